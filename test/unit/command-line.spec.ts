import { expect, test } from '@playwright/test';
import { isListing, isTestRun, isUiMode, readCommandLine } from '../../src/run/command-line.ts';
import { MERGE_REPORTS_OPTIONS, TEST_OPTIONS } from '../../src/run/playwright-options.ts';
import { playwrightCommandLine, playwrightOptionDeclarations } from '../helpers/playwright-internals.ts';

const byFlags = <T extends { flags: string }>(options: readonly T[]) =>
  [...options].sort((a, b) => a.flags.localeCompare(b.flags));

test("the options packgate reads by are the installed Playwright's own declarations", () => {
  expect(byFlags(TEST_OPTIONS)).toEqual(byFlags(playwrightOptionDeclarations('test')));
  expect(byFlags(MERGE_REPORTS_OPTIONS)).toEqual(byFlags(playwrightOptionDeclarations('merge-reports')));
});

/** Command lines Playwright runs (it refuses none of them), the odd ones most of all. */
const COMMAND_LINES: string[][] = [
  ['test'],
  ['test', '--project', 'local-api', 'local-browser', '-g', '@pack:x', 'packs/a/', '--list'],
  ['test', '-g', '--project=demo-remote'],
  ['test', '-g', '--list'],
  ['test', '--grep', '--shard=1/2', '--retries', '--last-failed'],
  ['test', '-G', 'slow', 'packs/a/'],
  ['test', '--grep-invert=slow', '-gsign', '-g=in', 'packs/b/'],
  ['test', '-xj2', '-G', 'x', 'packs/a/'],
  ['test', '--only-changed', 'main', 'packs/a/'],
  ['test', '--only-changed', '--list', 'packs/a/'],
  ['test', '--only-changed=', 'packs/a/'],
  ['test', '--debug', '--headed', '-u', '--ui-port', '0'],
  ['test', '--debug', 'cli', '-uall', '--no-deps'],
  ['test', '--shuffle', '-1', '--repeat-each', '-1', '-1'],
  ['test', '--reporter', 'dot', '--reporter=list', '--add-reporter', 'html'],
  ['test', '--test-list', 'a.txt', '--test-list-invert=b.txt', '--last-failed-file', 'c.json'],
  ['test', 'packs/a/', '--', 'packs/b/', '--list'],
  ['test', 'packs/a/', '-g', 'x', '--', '--list', 'packs/b/'],
  ['test', '--', '--project=demo-remote', '--list'],
  ['test', '--project', 'a', '-', '-1', '--', 'b'],
  ['test', '-c', 'other.config.ts', '--output', '-', 'packs/'],
  ['merge-reports', 'all-blob-reports'],
  ['merge-reports', '--reporter', 'html', '-c', 'x.ts', 'all-blob-reports'],
  ['merge-reports', '--config=x.ts'],
  ['show-report', 'playwright-report'],
  ['clear-cache'],
];

test("a command line is read as the installed Playwright's parser reads it: the command, its options, its operands", () => {
  for (const args of COMMAND_LINES) {
    const argv = ['node', 'playwright', ...args];
    const playwright = playwrightCommandLine(argv);
    expect(playwright, `Playwright runs: ${args.join(' ')}`).toBeDefined();
    const { command, options, operands } = readCommandLine(argv);
    expect({ command, options, operands }, args.join(' ')).toEqual(playwright);
  }
});

test('an option that takes a value takes the next argument, whatever it looks like', () => {
  const read = (...args: string[]) => readCommandLine(['node', 'playwright', 'test', ...args]);
  const grepsForProject = read('-g', '--project=demo-remote');
  expect(grepsForProject.options.grep).toBe('--project=demo-remote');
  expect(grepsForProject.options.project).toBeUndefined();
  // `-g --list` runs the tests that match "--list": a run to judge, not a listing.
  expect(isTestRun(read('-g', '--list'))).toBe(true);
  expect(isListing(read('-g', '--list'))).toBe(false);
  expect(isListing(read('-gx', '--list'))).toBe(true);
  expect(read('--grep', '--shard=1/2').options.shard).toBeUndefined();
  expect(read('--retries', '--last-failed').options).toEqual({ deps: true, retries: '--last-failed' });
});

test('--ui, --ui-host and --ui-port open UI mode; a grep for "--ui" does not', () => {
  const read = (...args: string[]) => readCommandLine(['node', 'playwright', 'test', ...args]);
  expect(isUiMode(read('--ui'))).toBe(true);
  expect(isUiMode(read('--ui-port=0', '--ui-host=127.0.0.1'))).toBe(true);
  expect(isUiMode(read('--ui-port', '0', 'packs/a/'))).toBe(true);
  expect(isUiMode(read('-g', '--ui'))).toBe(false);
  expect(isUiMode(read())).toBe(false);
});

test('a process that runs no Playwright command (a worker) has no command line to read', () => {
  expect(readCommandLine(['node', '/x/playwright/lib/worker/workerMain.js'])).toEqual({
    command: undefined,
    args: [],
    options: {},
    given: [],
    operands: [],
  });
});
