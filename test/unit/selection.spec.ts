import { expect, test } from '@playwright/test';
import { projectSelection } from '../../src/playwright/selection.ts';
import { readCommandLine } from '../../src/run/command-line.ts';
import { playwrightProjectArgs } from '../helpers/playwright-internals.ts';

const commandLine = (...args: string[]) => readCommandLine(['node', 'playwright', 'test', ...args]);

test('no --project selects the default projects only, as Playwright does', () => {
  const s = projectSelection(commandLine());
  expect(s.patterns).toBeUndefined();
  expect(s.selects('local-api', true)).toBe(true);
  expect(s.selects('demo-remote', false)).toBe(false);
});

test('--project=name and --project name, case-insensitive', () => {
  expect(projectSelection(commandLine('--project=Demo-Remote')).selects('demo-remote', false)).toBe(true);
  const s = projectSelection(commandLine('--project', 'local-api', 'local-browser', '--grep', '@pack:x'));
  expect(s.patterns).toEqual(['local-api', 'local-browser']);
  expect(s.selects('local-browser', true)).toBe(true);
  expect(s.selects('demo-remote', false)).toBe(false);
});

test('wildcards', () => {
  const s = projectSelection(commandLine('--project=local-*'));
  expect(s.selects('local-api', true)).toBe(true);
  expect(s.selects('demo-remote', false)).toBe(false);
});

test('`-g --project=demo-remote` greps for "--project=demo-remote": the default projects run, as in Playwright', () => {
  const s = projectSelection(commandLine('-g', '--project=demo-remote'));
  expect(s.patterns).toBeUndefined();
  expect(s.selects('demo-remote', false)).toBe(false);
  expect(s.selects('local-api', true)).toBe(true);
  expect(playwrightProjectArgs(['-g', '--project=demo-remote'])).toBeUndefined();
});

test('commands other than test select the defaults', () => {
  expect(projectSelection(readCommandLine(['node', 'playwright', 'show-report'])).patterns).toBeUndefined();
});

test("--project values are read as Playwright's own parser reads them", () => {
  for (const args of [
    [],
    ['--project=local-browser', 'packs/auth-session/'],
    ['--project', 'local-api', 'local-browser', '--list'],
    ['--project', 'local-api', '--project=demo-remote'],
    ['--project=local-api,local-browser'],
    ['--project='],
    ['--project', '--list'],
    ['--project', 'local-api', '-', '-1', 'x'],
    ['--project', 'local-api', '--', '--project=nope'],
    ['--project=local-api', 'local-browsr'],
    // The value of another option, whatever it looks like: `-g --project=x` greps for "--project=x".
    ['-g', '--project=local-api'],
    ['--grep', '--project', 'local-api'],
    ['-G', '--project=demo-remote'],
    ['-xg', '--project=demo-remote'],
    ['-c', '--project', '--reporter', '--project=local-api'],
    ['--shard', '--project=demo-remote', '--project', 'local-api'],
    ['-gx', '--project=local-api'],
    ['--only-changed', '--project=local-api'],
    ['--project', 'local-api', '-g', 'x', 'local-browser'],
    ['packs/auth-session/', '--', '--project=demo-remote'],
  ])
    expect(projectSelection(commandLine(...args)).patterns, args.join(' ')).toEqual(playwrightProjectArgs(args));
});
