/**
 * The options of the Playwright commands that load playwright.config.ts (`test`, `merge-reports`),
 * written as Playwright declares them to its command-line parser (commander): `-g, --grep <grep>`
 * takes a value, `--only-changed [ref]` may, `--project <project-name...>` takes several, `--list`
 * none. Which argument is an option's value and which a test filter follows from these alone, so
 * test/unit/command-line.spec.ts holds them to the installed Playwright's own declarations: an
 * upgrade that adds or changes an option fails packgate's tests, not a user's run.
 */
export type OptionSpec = {
  /** As declared: `-c, --config <file>`. */
  flags: string;
  short?: string;
  long?: string;
  /** commander's attribute name, the key of Playwright's options: `--grep-invert` grepInvert, `--no-deps` deps. */
  name: string;
  takes: 'no value' | 'a value' | 'an optional value';
  /** Takes every argument up to the next option (`--project a b`). */
  variadic: boolean;
  /** `--no-deps`: false when given, true when not. */
  negate: boolean;
  /** The value of an optional-value option given without one (`--debug` is `--debug inspector`). */
  preset?: string;
};

/** `playwright test`'s options (Playwright 1.65), each with its preset where it has one. */
const TEST_FLAGS: ReadonlyArray<string | [flags: string, preset: string]> = [
  '--add-reporter <reporter>',
  '--browser <browser>',
  '-c, --config <file>',
  ['--debug [mode]', 'inspector'],
  '--fail-on-flaky-tests',
  '--forbid-only',
  '--fully-parallel',
  '-g, --grep <grep>',
  '-G, --grep-invert <grep>',
  '--global-timeout <timeout>',
  '--headed',
  '--ignore-snapshots',
  '-j, --workers <workers>',
  '--last-failed',
  '--last-failed-file <file>',
  '--list',
  '--max-failures <N>',
  '--no-deps',
  '--only-changed [ref]',
  '--output <dir>',
  '--pass-with-no-tests',
  '--project <project-name...>',
  '--quiet',
  '--repeat-each <N>',
  '--reporter <reporter>',
  '--retries <retries>',
  // Never used: the option needs a value; Playwright declares it all the same.
  ['--run-agents <mode>', 'none'],
  '--shard <shard>',
  '--shuffle [seed]',
  '--test-list <file>',
  '--test-list-invert <file>',
  '--timeout <timeout>',
  '--trace <mode>',
  '--tsconfig <path>',
  '--ui',
  '--ui-host <host>',
  '--ui-port <port>',
  ['-u, --update-snapshots [mode]', 'changed'],
  '--update-source-method <method>',
  '-x',
];
export const TEST_OPTIONS: readonly OptionSpec[] = TEST_FLAGS.map(option =>
  typeof option === 'string' ? declare(option) : declare(option[0], option[1]),
);

/** `playwright merge-reports [dir]`'s options. */
export const MERGE_REPORTS_OPTIONS: readonly OptionSpec[] = ['-c, --config <file>', '--reporter <reporter>'].map(
  flags => declare(flags),
);

/** The options of each command packgate reads; any other command's are not looked at. */
export const COMMAND_OPTIONS: Readonly<Record<string, readonly OptionSpec[]>> = {
  test: TEST_OPTIONS,
  'merge-reports': MERGE_REPORTS_OPTIONS,
};

/** An option from its flags, as commander splits them (its splitOptionFlags and attributeName). */
function declare(flags: string, preset?: string): OptionSpec {
  const words = flags.split(/[ |,]+/);
  const short = words.find(w => /^-[^-]$/.test(w));
  const long = words.find(w => w.startsWith('--'));
  const value = words.find(w => /^[<[]/.test(w)) ?? '';
  const negate = !!long?.startsWith('--no-');
  const bare = long ? long.slice(2).replace(/^no-/, '') : short!.slice(1);
  return {
    flags,
    ...(short ? { short } : {}),
    ...(long ? { long } : {}),
    name: bare.replace(/-(.)/g, (_, c: string) => c.toUpperCase()),
    takes: value.startsWith('<') ? 'a value' : value.startsWith('[') ? 'an optional value' : 'no value',
    variadic: /\.\.\.[>\]]$/.test(value),
    negate,
    ...(preset ? { preset } : {}),
  };
}
