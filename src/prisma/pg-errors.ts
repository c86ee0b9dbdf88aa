/**
 * PostgreSQL's SQLSTATE of a failed query, as Prisma 7's driver adapter reports it
 * (`meta.driverAdapterError.cause.originalCode`); undefined when the database was not reached.
 */
export function sqlState(err: unknown): string | undefined {
  const e = err as { meta?: { driverAdapterError?: { cause?: { originalCode?: string; code?: string } } }; code?: string };
  const cause = e?.meta?.driverAdapterError?.cause;
  const code = cause?.originalCode ?? cause?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * An error caused by the rows themselves: retrying the same rows cannot help, other rows may pass.
 * Classes 22 (data exception: out of range, bad date-time, bad encoding), 23 (integrity constraint)
 * and 54 (program limit exceeded: nesting too deep for the json parser, row too big).
 */
export function isDataError(err: unknown): boolean {
  const state = sqlState(err);
  return state !== undefined && /^(22|23|54)/.test(state);
}
