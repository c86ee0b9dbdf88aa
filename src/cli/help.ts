import { Help, type Command, type HelpConfiguration, type Option } from 'commander';

/** Commands that only group others (`rift dlq`): left out of the command list, their children shown. */
const GROUPS = new WeakSet<Command>();

export function group(parent: Command, name: string, description: string): Command {
  const cmd = parent.command(name).description(description);
  GROUPS.add(cmd);
  return cmd;
}

/**
 * Options a command requires while it also has subcommands (`recover --webhook`, beside `recover
 * status`): commander demands a command's mandatory options before any subcommand of it runs, so
 * these are checked when the command itself runs, and shown as required all the same.
 */
const OWN_REQUIRED = new WeakSet<Option>();

export function ownRequiredOption(cmd: Command, option: Option): Command {
  OWN_REQUIRED.add(option);
  return cmd.addOption(option).hook('preAction', (_parent, actionCmd) => {
    if (actionCmd === cmd && cmd.getOptionValue(option.attributeName()) === undefined) {
      cmd.error(`error: required option '${option.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue' });
    }
  });
}

const required = (o: Option) => o.mandatory || OWN_REQUIRED.has(o);

/** More optional flags than this show as `[options]` in the command list (publish's event fields). */
const LISTED_OPTIONS = 4;

/** `dlq list [--webhook <id>] [--since <time>] [--json]`: the path from the top and what it takes. */
function synopsis(cmd: Command): string {
  const path: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) path.unshift(c.name());
  if (path.length === 0) path.push(cmd.name()); // the implicit `help` command has no parent
  const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`));
  const needed = cmd.options.filter(required).map((o) => o.flags);
  const optional = cmd.options.filter((o) => !required(o));
  const rest = optional.length > LISTED_OPTIONS ? ['[options]'] : optional.map((o) => `[${o.flags}]`);
  return [...path, ...args, ...needed, ...rest].join(' ');
}

/**
 * The top-level help lists every runnable command with its arguments and flags, as the hand-kept
 * usage text did, instead of commander's default of the groups alone (`dlq [options]`). The width
 * is fixed so the text is the same in a terminal, a pipe and the README.
 */
export const helpConfiguration: HelpConfiguration = {
  helpWidth: 110,
  visibleCommands(this: Help, cmd: Command): Command[] {
    const expand = (c: Command): Command[] => [...(GROUPS.has(c) ? [] : [c]), ...c.commands.flatMap(expand)];
    return Help.prototype.visibleCommands.call(this, cmd).flatMap(expand);
  },
  subcommandTerm: synopsis,
  optionDescription(this: Help, option: Option): string {
    const text = Help.prototype.optionDescription.call(this, option);
    return required(option) ? `${text} (required)` : text;
  },
};
