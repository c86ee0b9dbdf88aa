import { Command, CommanderError } from 'commander';
import { dlqCommands } from './commands/dlq.js';
import { keyCommands } from './commands/key.js';
import { lagCommand } from './commands/lag.js';
import { publishCommand } from './commands/publish.js';
import { recoverCommands } from './commands/recover.js';
import { tenantCommands } from './commands/tenant.js';
import { webhooksCommands } from './commands/webhooks.js';
import { helpConfiguration } from './help.js';
import type { CommandContext, Invocation } from './invocation.js';

export type { CliApp, CommandContext, Invocation } from './invocation.js';

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
