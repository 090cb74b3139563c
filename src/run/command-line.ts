import { COMMAND_OPTIONS, type OptionSpec } from './playwright-options.ts';

/**
 * The Playwright command line this process runs, read once and the way Playwright's own parser
 * (commander) reads it: the one place packgate looks at process.argv for Playwright's options (the
 * projects a run selects, what narrows it, whether it lists, shards or merges). Reading it any
 * other way gets odd command lines wrong: in `test -g --project=x` the grep pattern is
 * `--project=x`, and no project is named.
 *
 * Plain types, not zod: nothing here is stored or read back, and the runner's start does not load
 * zod (scripts/check-layers.ts).
 */
export type CommandLine = {
  /** The Playwright command (`test`, `merge-reports`, `show-report`, ...); undefined where none runs (a worker). */
  command: string | undefined;
  /** The command's arguments, as given. */
  args: string[];
  /** The options, as Playwright's action receives them (commander's opts()); none for a command packgate does not read. */
  options: PlaywrightOptions;
  /** Each option (as written, with its value) and each operand Playwright keeps, in the order given. */
  given: GivenArg[];
  /** The arguments left: `test`'s file filters, merge-reports' folder of blob reports. */
  operands: string[];
};

export type OptionValue = string | string[] | boolean;

/** The options packgate reads, by the names Playwright's actions give them; any other is there by its name. */
export type PlaywrightOptions = {
  project?: string[];
  grep?: string;
  grepInvert?: string;
  shard?: string;
  retries?: string;
  reporter?: string;
  list?: boolean;
  lastFailed?: boolean;
  onlyChanged?: string | boolean;
  testList?: string;
  testListInvert?: string;
  headed?: boolean;
  debug?: string;
  ui?: boolean;
  uiHost?: string;
  uiPort?: string;
  [name: string]: OptionValue | undefined;
};

/** An option as written (`-g`, `--grep`) with the value it took, or an operand. */
export type GivenArg = { option: OptionSpec; as: string; value?: string } | { operand: string };

/** The command line of this process (or `argv`), as Playwright reads it. */
export function readCommandLine(argv: readonly string[] = process.argv): CommandLine {
  // 1. The program's own parse (node and the script come first): the command and the arguments up to
  //    the first that looks like an option are its operands, handed to the command as they are, not
  //    read for options; a `--` among them is dropped and everything after it is an operand too.
  const user = argv.slice(2);
  let at = 0;
  while (at < user.length && user[at] !== '--' && !looksLikeOption(user[at])) at++;
  const leading = user[at] === '--' ? [...user.slice(0, at), ...user.slice(at + 1)] : user.slice(0, at);
  const rest = user[at] === '--' ? [] : user.slice(at);
  const [command, ...before] = leading;
  const specs = command === undefined ? undefined : COMMAND_OPTIONS[command];
  const args = command === undefined ? [] : user.slice(user.indexOf(command) + 1);
  if (!specs) return { command, args, options: {}, given: [], operands: [] };
  // 2. The command's parse of the rest, for its options.
  const parsed = parseOptions(specs, rest);
  const all = [...before, ...parsed.operands];
  // 3. `test`'s action drops as many file filters as follow the first `--` of the whole command line.
  const dash = argv.indexOf('--');
  const operands = command === 'test' && dash >= 0 ? all.slice(0, all.length - (argv.length - 1 - dash)) : all;
  let keep = operands.length;
  const given = [...before.map(operand => ({ operand })), ...parsed.given].filter(
    arg => !('operand' in arg) || keep-- > 0,
  );
  return { command, args, options: parsed.options, given, operands };
}

/** A `playwright test` that runs tests: not a listing, not another command. */
export function isTestRun(commandLine: CommandLine): boolean {
  return commandLine.command === 'test' && !commandLine.options.list;
}

/**
 * A `playwright test --ui` (or `--ui-host`, `--ui-port`, which open it too): Playwright's UI mode, a
 * test server session (isTestServerSession) with a browser window of its own.
 */
export function isUiMode({ command, options }: CommandLine): boolean {
  return command === 'test' && !!(options.ui || options.uiHost !== undefined || options.uiPort !== undefined);
}

/**
 * A session of Playwright's test server: UI mode, or `playwright test-server` (what VS Code's
 * extension starts). Both import the config once, then list and run tests many times against it,
 * list every project, and run a project's dependencies only when those are selected too.
 */
export function isTestServerSession(commandLine: CommandLine): boolean {
  return isUiMode(commandLine) || commandLine.command === 'test-server';
}

/** A `playwright test --list`: it loads every test and runs none. */
export function isListing(commandLine: CommandLine): boolean {
  return commandLine.command === 'test' && !!commandLine.options.list;
}

/**
 * commander's parseOptions for one command: options anywhere, by their short or long name, with the
 * value inline (`--grep=x`, `-gx`) or as the next argument, whatever it looks like (`-g --list`
 * greps for "--list"); a variadic option takes arguments up to the next option; flags group (`-xj2`);
 * after an unknown option, what follows is not an operand (Playwright stops on it anyway); nothing
 * after `--` is an option.
 */
function parseOptions(specs: readonly OptionSpec[], args: readonly string[]) {
  const find = (arg: string) => specs.find(s => s.short === arg || s.long === arg);
  // A negated option (`--no-deps`) is true until given.
  const options: PlaywrightOptions = Object.fromEntries(specs.filter(s => s.negate).map(s => [s.name, true]));
  const given: GivenArg[] = [];
  const operands: string[] = [];
  const set = (option: OptionSpec, as: string, value: string | undefined) => {
    given.push({ option, as, ...(value === undefined ? {} : { value }) });
    options[option.name] = valueOf(option, value, options[option.name]);
  };
  const operand = (arg: string) => {
    given.push({ operand: arg });
    operands.push(arg);
  };
  let unknown = false;
  let variadic: OptionSpec | undefined;
  let group: string | undefined;
  let i = 0;
  while (i < args.length || group !== undefined) {
    const arg = group ?? args[i++];
    group = undefined;
    if (arg === '--') {
      if (!unknown) args.slice(i).forEach(operand);
      break;
    }
    if (variadic && (!looksLikeOption(arg) || NEGATIVE_NUMBER.test(arg))) {
      set(variadic, variadic.long!, arg);
      continue;
    }
    variadic = undefined;
    const option = looksLikeOption(arg) ? find(arg) : undefined;
    if (option) {
      if (option.takes === 'a value') {
        // With no value left Playwright stops with an error before it loads the config.
        if (i >= args.length) break;
        set(option, arg, args[i++]);
      } else if (option.takes === 'an optional value') {
        const next = args[i];
        set(
          option,
          arg,
          i < args.length && (!looksLikeOption(next) || NEGATIVE_NUMBER.test(next)) ? args[i++] : undefined,
        );
      } else set(option, arg, undefined);
      if (option.variadic) variadic = option;
      continue;
    }
    const short = arg.length > 2 && arg[0] === '-' && arg[1] !== '-' ? find(arg.slice(0, 2)) : undefined;
    if (short) {
      if (short.takes === 'no value') {
        set(short, arg.slice(0, 2), undefined);
        group = `-${arg.slice(2)}`;
      } else set(short, arg.slice(0, 2), arg.slice(2));
      continue;
    }
    const inline = /^(--[^=]+)=(.*)$/s.exec(arg);
    const long = inline ? find(inline[1]) : undefined;
    if (inline && long && long.takes !== 'no value') {
      set(long, inline[1], inline[2]);
      continue;
    }
    if (looksLikeOption(arg) && !NEGATIVE_NUMBER.test(arg)) unknown = true;
    if (!unknown) operand(arg);
  }
  return { options, given, operands };
}

/** commander's handleOptionValue: a preset for a missing value, values of a variadic option add up. */
function valueOf(option: OptionSpec, value: string | undefined, before: OptionValue | undefined): OptionValue {
  if (value === undefined) return option.preset ?? !option.negate;
  if (!option.variadic) return value;
  return Array.isArray(before) ? [...before, value] : [value];
}

/** What commander takes for an option: a dash and more. */
function looksLikeOption(arg: string): boolean {
  return arg.length > 1 && arg[0] === '-';
}

/** Negative numbers, which a command (not the program, which has commands) takes as values and operands. */
const NEGATIVE_NUMBER = /^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/;
