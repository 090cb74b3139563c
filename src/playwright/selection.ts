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
  const regexes = patterns?.map(p => new RegExp(`^${p.toLowerCase().split('*').map(escapeRegExp).join('.*')}$`));
  return {
    patterns,
    selects(name, isDefault) {
      if (!regexes) return isDefault;
      return regexes.some(r => r.test(name.toLowerCase()));
    },
  };
}

function projectPatterns(argv: readonly string[]): string[] | undefined {
  // Only the `test` command selects projects; its options follow it.
  const commandIndex = argv.findIndex(a => a === 'test');
  if (commandIndex < 0) return undefined;
  const found: string[] = [];
  for (let i = commandIndex + 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--project=')) {
      found.push(arg.slice('--project='.length));
    } else if (arg === '--project') {
      // Variadic: every following value up to the next option.
      while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) found.push(argv[++i]);
    }
  }
  return found.length ? found : undefined;
}
