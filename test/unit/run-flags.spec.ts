import { expect, test } from '@playwright/test';
import type { FullConfig } from '@playwright/test/reporter';
import { flagProblems, readRunFlags } from '../../src/gate/run-flags.ts';
import { readCommandLine } from '../../src/run/command-line.ts';
import { TEST_OPTIONS } from '../../src/run/playwright-options.ts';
import { playwrightCommandLine } from '../helpers/playwright-internals.ts';

const config = (over: Partial<FullConfig> = {}): FullConfig =>
  ({
    projects: [{ name: 'demo-remote', retries: 1, repeatEach: 1 }],
    workers: 2,
    maxFailures: 0,
    shard: null,
    reporter: [['list'], ['/x/reporters/gate-reporter.ts']],
    ...over,
  }) as unknown as FullConfig;

test('filters are what selects part of the tests: grep, file filters, --last-failed; not projects or values', () => {
  const argv = [
    'node',
    'cli.js',
    'test',
    '--project',
    'demo-remote',
    '-g',
    'sign',
    '--workers',
    '1',
    'packs/a/',
    '--last-failed',
  ];
  const flags = readRunFlags(config(), ['demo-remote'], readCommandLine(argv));
  expect(flags.filters).toEqual(['-g=sign', 'packs/a/', '--last-failed']);
  expect(flags.args).toEqual(argv.slice(3));
  expect(flags.reporters).toEqual(['list', 'gate-reporter']);
});

test('a release stage refuses more retries than allowed, filters, and a copying reporter before the gate', () => {
  const flags = readRunFlags(
    config({
      projects: [{ name: 'demo-remote', retries: 3, repeatEach: 1 }] as unknown as FullConfig['projects'],
      reporter: [['allure-playwright'], ['/x/reporters/gate-reporter.ts'], ['html']],
    }),
    ['demo-remote'],
    readCommandLine(['node', 'cli.js', 'test', '--grep=x']),
  );
  const messages = flagProblems(flags, 1, true).map(p => p.message);
  expect(messages).toHaveLength(3);
  expect(messages[0]).toMatch(/^this run retried failures up to 3 times, but the environment allows 1/);
  expect(messages[1]).toMatch(/^this run selected part of the tests \(--grep=x\)/);
  expect(messages[2]).toMatch(/^reporter allure-playwright runs before the gate reporter/);
  expect(flagProblems(flags, 1, false), 'dev runs are free to do all of it').toEqual([]);
  expect(
    flagProblems(readRunFlags(config(), ['demo-remote'], readCommandLine(['node', 'cli.js', 'test'])), 1, true),
  ).toEqual([]);
});

test("the filters of odd command lines are what Playwright's parser reads: each option's value, its file filters", () => {
  const lines: Array<[string[], string[]]> = [
    [['-g', '--project=demo-remote'], ['-g=--project=demo-remote']],
    [
      ['-G', 'slow', 'packs/a/'],
      ['-G=slow', 'packs/a/'],
    ],
    [
      ['--only-changed', 'main', 'packs/a/'],
      ['--only-changed=main', 'packs/a/'],
    ],
    [['--only-changed', '--list'], ['--only-changed']],
    [
      ['-xgsign', 'packs/a/'],
      ['-g=sign', 'packs/a/'],
    ],
    [['--project', 'demo-remote', 'packs/a/'], []],
    [['packs/a/', '--', 'packs/b/'], ['packs/a/']],
    [['--retries', '--last-failed', '--shard', '-g'], []],
    [
      ['--test-list', 'a.txt', '--last-failed-file', 'x.json', '--test-list-invert=b.txt'],
      ['--test-list=a.txt', '--test-list-invert=b.txt'],
    ],
  ];
  for (const [args, filters] of lines) {
    const argv = ['node', 'cli.js', 'test', ...args];
    expect(readRunFlags(config(), ['demo-remote'], readCommandLine(argv)).filters, args.join(' ')).toEqual(filters);
    const playwright = playwrightCommandLine(argv)!;
    expect(
      filters.filter(f => !f.startsWith('-')),
      args.join(' '),
    ).toEqual(playwright.operands);
    for (const filter of filters.filter(f => f.startsWith('-'))) {
      const [as, value] = filter.split(/=(.*)/s);
      const option = TEST_OPTIONS.find(o => o.short === as || o.long === as)!;
      expect(playwright.options[option.name], `${args.join(' ')}: ${filter}`).toEqual(value ?? true);
    }
  }
});
