import type { INestApplicationContext } from '@nestjs/common';

/** The part of the Nest application context a command uses: its providers. */
export type CliApp = Pick<INestApplicationContext, 'get'>;

/**
 * What a command line asks for, decided before anything connects: the command's name and its
 * parsed arguments (what the unit specs check), and how to carry it out against the modules.
 */
export interface Invocation {
  readonly command: string;
  readonly args: object;
  readonly run: (app: CliApp) => Promise<void>;
}

export function invocation<A extends object>(command: string, args: A, run: (app: CliApp, args: A) => Promise<void>): Invocation {
  return { command, args, run: (app) => run(app, args) };
}

/** What each command file gets: where to hand its invocation, and the clock durations count back from. */
export interface CommandContext {
  submit(invocation: Invocation): void;
  now(): number;
}
