import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ConfigError } from './config-error.js';
import { EnvironmentVariables } from './env.schema.js';

/** Type checks say the most about a bad value ("must be an integer" before "must not be greater"). */
const FIRST = ['isDefined', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isIn', 'matches'];

/** One line per bad variable: its most telling problem. */
function describe(errors: ValidationError[]): string[] {
  return errors.map((e) => {
    const constraints = e.constraints ?? {};
    const key = FIRST.find((k) => k in constraints) ?? Object.keys(constraints)[0]!;
    const m = constraints[key] ?? 'is invalid';
    return m.startsWith(e.property) ? `  - ${m}` : `  - ${e.property}: ${m}`;
  });
}

export function validateEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const vars = plainToInstance(EnvironmentVariables, defined, { exposeDefaultValues: true });
  const errors = validateSync(vars, { whitelist: true, forbidUnknownValues: true });
  const problems = describe(errors);
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration (${problems.length} problem(s)):\n${problems.join('\n')}`);
  }
  return vars;
}
