import { expect, test } from '@playwright/test';
import type { FullConfig } from '@playwright/test/reporter';
import { flagProblems, readRunFlags } from '../../src/gate/run-flags.ts';

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
  const flags = readRunFlags(config(), ['demo-remote'], argv);
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
    ['node', 'cli.js', 'test', '--grep=x'],
  );
  const messages = flagProblems(flags, 1, true).map(p => p.message);
  expect(messages).toHaveLength(3);
  expect(messages[0]).toMatch(/^this run retried failures up to 3 times, but the environment allows 1/);
  expect(messages[1]).toMatch(/^this run selected part of the tests \(--grep=x\)/);
  expect(messages[2]).toMatch(/^reporter allure-playwright runs before the gate reporter/);
  expect(flagProblems(flags, 1, false), 'dev runs are free to do all of it').toEqual([]);
  expect(flagProblems(readRunFlags(config(), ['demo-remote'], ['node', 'cli.js', 'test']), 1, true)).toEqual([]);
});
