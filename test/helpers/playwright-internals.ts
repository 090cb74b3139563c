import { createRequire } from 'node:module';

/**
 * The installed Playwright's own command-line parser (commander) and project filter, asked directly:
 * what packgate mirrors to select and check projects (selection.ts, project-filter.ts), so an
 * upgrade that changes either fails packgate's tests rather than a user's run.
 */
type Command = {
  name(): string;
  options: Array<{ attributeName(): string }>;
  parseOptions(args: string[]): unknown;
  opts(): { project?: string[] };
  setOptionValue(key: string, value: unknown): void;
};
const playwrightRequire = createRequire(createRequire(import.meta.url).resolve('@playwright/test'));
const { program } = playwrightRequire('playwright/lib/program') as { program: { commands: Command[] } };
const { projectUtils } = playwrightRequire('playwright/lib/runner') as {
  projectUtils: { filterProjects(projects: unknown[], names: string[] | undefined): unknown[] };
};
const testCommand = program.commands.find(c => c.name() === 'test')!;

/** The `--project` values `playwright test <args>` runs with (undefined: none given). */
export function playwrightProjectArgs(args: string[]): string[] | undefined {
  // parseOptions keeps what an earlier parse set: every option starts empty again.
  for (const option of testCommand.options) testCommand.setOptionValue(option.attributeName(), undefined);
  testCommand.parseOptions(args);
  return testCommand.opts().project;
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
