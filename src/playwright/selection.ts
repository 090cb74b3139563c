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

export function projectSelection(argv: readonly string[] = process.argv): ProjectSelection {
  const patterns = projectPatterns(argv);
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

/** Negative numbers, which the command-line parser (commander) takes as values, not options. */
const NEGATIVE_NUMBER = /^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/;

/**
 * The `--project` values as Playwright's command-line parser reads them: `--project=a` one value;
 * `--project a b` the next argument whatever it is, then every one up to the next option (a lone
 * `-` or a negative number is a value); given again, the values add up; never split at commas;
 * nothing after `--`.
 */
function projectPatterns(argv: readonly string[]): string[] | undefined {
  // Only the `test` command selects projects; its options follow it.
  const commandIndex = argv.findIndex(a => a === 'test');
  if (commandIndex < 0) return undefined;
  const isValue = (arg: string) => !(arg.length > 1 && arg.startsWith('-')) || NEGATIVE_NUMBER.test(arg);
  const found: string[] = [];
  for (let i = commandIndex + 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    if (arg.startsWith('--project=')) {
      found.push(arg.slice('--project='.length));
    } else if (arg === '--project' && i + 1 < argv.length) {
      found.push(argv[++i]);
      while (i + 1 < argv.length && isValue(argv[i + 1])) found.push(argv[++i]);
    }
  }
  return found.length ? found : undefined;
}
