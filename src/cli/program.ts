import type { INestApplicationContext } from '@nestjs/common';
import { Command, CommanderError } from 'commander';
import { dlqCommands } from './commands/dlq.js';
import { keyCommands } from './commands/key.js';
import { lagCommand } from './commands/lag.js';
import { publishCommand } from './commands/publish.js';
import { recoverCommands } from './commands/recover.js';
import { tenantCommands } from './commands/tenant.js';
import { webhooksCommands } from './commands/webhooks.js';
import { helpConfiguration } from './help.js';

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

export interface ParseOptions {
  now?: () => number;
  writeOut?: (text: string) => void;
  writeErr?: (text: string) => void;
}

export function buildProgram(ctx: CommandContext, io: Pick<ParseOptions, 'writeOut' | 'writeErr'> = {}): Command {
  const program = new Command('rift')
    .description('operate Rift Webhooks')
    // Subcommands copy these settings when they are created, so they come before the commands.
    .configureHelp(helpConfiguration)
    .configureOutput({
      writeOut: io.writeOut ?? ((s) => process.stdout.write(s)),
      writeErr: io.writeErr ?? ((s) => process.stderr.write(s)),
      outputError: (s, write) => write(s.replace(/^error: /, 'rift: ')),
    })
    .showHelpAfterError('(add --help to the command for its usage)')
    // `recover status <id> --webhook <id>`: without this, `recover` would take `--webhook` for itself.
    .enablePositionalOptions()
    .exitOverride();
  tenantCommands(program, ctx);
  keyCommands(program, ctx);
  webhooksCommands(program, ctx);
  lagCommand(program, ctx);
  dlqCommands(program, ctx);
  recoverCommands(program, ctx);
  publishCommand(program, ctx);
  program.addHelpText('after', "\nReads the service's environment (DATABASE_URL, KAFKA_BROKERS, RIFT_TOPIC_PREFIX, ...).");
  return program;
}

/**
 * Parses a command line into the invocation it asks for, or the exit code when there is nothing to
 * run: 0 after `--help`, 2 after a usage error (commander has printed the message and the help hint).
 */
export function parseCommandLine(argv: readonly string[], options: ParseOptions = {}): Invocation | { exitCode: number } {
  let chosen: Invocation | undefined;
  const program = buildProgram({ submit: (inv) => (chosen = inv), now: options.now ?? Date.now }, options);
  try {
    // A bare `rift` prints the help and succeeds, as it always has.
    program.parse(argv.length === 0 ? ['--help'] : [...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return { exitCode: err.exitCode === 0 ? 0 : 2 };
    throw err;
  }
  if (!chosen) throw new Error('the command line chose no command');
  return chosen;
}
