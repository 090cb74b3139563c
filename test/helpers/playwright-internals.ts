import { createRequire } from 'node:module';
import type { OptionSpec } from '../../src/run/playwright-options.ts';

/**
 * The installed Playwright's own command-line parser (commander) and project filter, asked directly:
 * what packgate mirrors to read the command line and check projects (src/run/command-line.ts,
 * project-filter.ts), so an upgrade that changes either fails packgate's tests rather than a user's run.
 */
type Option = {
  flags: string;
  short?: string;
  long?: string;
  required: boolean;
  optional: boolean;
  variadic: boolean;
  negate: boolean;
  presetArg?: unknown;
  attributeName(): string;
};
type Command = {
  name(): string;
  options: Option[];
  action(fn: (...args: unknown[]) => void): Command;
  exitOverride(): Command;
  configureOutput(output: { writeOut(text: string): void; writeErr(text: string): void }): Command;
};
const playwrightRequire = createRequire(createRequire(import.meta.url).resolve('@playwright/test'));
const { program } = playwrightRequire('playwright/lib/program') as {
  program: Command & { commands: Command[]; parse(argv: string[]): void };
};
const { projectUtils } = playwrightRequire('playwright/lib/runner') as {
  projectUtils: { filterProjects(projects: unknown[], names: string[] | undefined): unknown[] };
};
const commandOf = (name: string) => program.commands.find(c => c.name() === name)!;

/** What Playwright's action for a command receives: its options and the arguments it keeps. */
export type PlaywrightCommandLine = { command: string; options: Record<string, unknown>; operands: string[] };

let parsed: PlaywrightCommandLine | undefined;
// The actions record what they are given instead of running: `test` as its action starts, dropping
// the file filters after the first `--` of the command line (Playwright's own lines, with this argv);
// a command packgate does not read, only its name.
let argvOfParse: string[] = [];
for (const command of program.commands)
  command.action(() => (parsed = { command: command.name(), options: {}, operands: [] }));
commandOf('test').action((filters, options) => {
  const dash = argvOfParse.indexOf('--');
  const after = dash >= 0 ? argvOfParse.length - 1 - dash : 0;
  const args = filters as string[];
  parsed = { command: 'test', options: { ...(options as object) }, operands: args.slice(0, args.length - after) };
});
commandOf('merge-reports').action((dir, options) => {
  parsed = { command: 'merge-reports', options: { ...(options as object) }, operands: dir ? [dir as string] : [] };
});
// A command line Playwright refuses throws here, quietly, where Playwright would print and exit.
for (const command of [program, ...program.commands])
  command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });

/**
 * How `playwright <argv.slice(2)>` is read by Playwright itself (its program's parse, from node and
 * the script on), or undefined when it refuses the command line before loading any config.
 */
export function playwrightCommandLine(argv: string[]): PlaywrightCommandLine | undefined {
  parsed = undefined;
  argvOfParse = argv;
  try {
    program.parse(argv);
  } catch {
    return undefined;
  }
  return parsed;
}

/** The `--project` values `playwright test <args>` runs with (undefined: none given). */
export function playwrightProjectArgs(args: string[]): string[] | undefined {
  return playwrightCommandLine(['node', 'playwright', 'test', ...args])?.options.project as string[] | undefined;
}

/** A Playwright command's options as commander holds them, in the shape of packgate's OptionSpec. */
export function playwrightOptionDeclarations(command: string): OptionSpec[] {
  return commandOf(command).options.map(o => ({
    flags: o.flags,
    ...(o.short ? { short: o.short } : {}),
    ...(o.long ? { long: o.long } : {}),
    name: o.attributeName(),
    takes: o.required ? 'a value' : o.optional ? 'an optional value' : 'no value',
    variadic: o.variadic,
    negate: o.negate,
    ...(o.presetArg === undefined ? {} : { preset: String(o.presetArg) }),
  }));
}

/** Whether Playwright's filterProjects takes these `--project` values for projects of these names. */
export function playwrightAcceptsProjects(
  projects: ReadonlyArray<{ name: string; isDefault: boolean }>,
  values: string[] | undefined,
): boolean {
  try {
    projectUtils.filterProjects(
      projects.map(p => ({ project: { name: p.name }, default: p.isDefault })),
      values,
    );
    return true;
  } catch {
    return false;
  }
}
