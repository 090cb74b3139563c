import { readCommandLine, type CommandLine } from '../run/command-line.ts';
import { escapeRegExp } from '../text/escape-regexp.ts';

/**
 * Which projects a `playwright test` command line selects, mirroring Playwright's own filter
 * (case-insensitive names, `*` wildcards, `default: false` projects only when named).
 *
 * Why the config needs this: Playwright starts every `webServer` whatever `--project` says (per-project
 * web servers were proposed in microsoft/playwright#22496 and reverted), so the config itself decides
 * which embedded stacks a run needs. When the command line says nothing (UI mode, VS Code, `--list`),
 * every default project counts as selected, as Playwright does.
 */
export type ProjectSelection = {
  /** The `--project` patterns given, or undefined for "the default projects". */
  patterns: string[] | undefined;
  selects(projectName: string, isDefault: boolean): boolean;
};

export function projectSelection(commandLine: CommandLine = readCommandLine()): ProjectSelection {
  // `--project` as Playwright's parser reads it (command-line.ts): only `test` has it; the values of
  // every `--project` given add up, never split at commas.
  const patterns = commandLine.options.project;
  return {
    patterns,
    selects(name, isDefault) {
      if (!patterns) return isDefault;
      return patterns.some(p => matchesProject(p, name));
    },
  };
}

/**
 * Whether one `--project` value selects the project of this name, as Playwright's filterProjects
 * decides it: in any case (its toLocaleLowerCase), the whole name, `*` matching any run of characters.
 */
export function matchesProject(pattern: string, projectName: string): boolean {
  const value = pattern.toLocaleLowerCase();
  const name = projectName.toLocaleLowerCase();
  if (!value.includes('*')) return value === name;
  return new RegExp(`^${value.split('*').map(escapeRegExp).join('.*')}$`, 'i').test(name);
}
