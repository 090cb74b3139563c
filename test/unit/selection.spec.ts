import { expect, test } from '@playwright/test';
import { projectSelection } from '../../src/playwright/selection.ts';
import { playwrightProjectArgs } from '../helpers/playwright-internals.ts';

const argv = (...args: string[]) => ['node', 'playwright', 'test', ...args];

test('no --project selects the default projects only, as Playwright does', () => {
  const s = projectSelection(argv());
  expect(s.patterns).toBeUndefined();
  expect(s.selects('local-api', true)).toBe(true);
  expect(s.selects('demo-remote', false)).toBe(false);
});

test('--project=name and --project name, case-insensitive', () => {
  expect(projectSelection(argv('--project=Demo-Remote')).selects('demo-remote', false)).toBe(true);
  const s = projectSelection(argv('--project', 'local-api', 'local-browser', '--grep', '@pack:x'));
  expect(s.patterns).toEqual(['local-api', 'local-browser']);
  expect(s.selects('local-browser', true)).toBe(true);
  expect(s.selects('demo-remote', false)).toBe(false);
});

test('wildcards', () => {
  const s = projectSelection(argv('--project=local-*'));
  expect(s.selects('local-api', true)).toBe(true);
  expect(s.selects('demo-remote', false)).toBe(false);
});

test('commands other than test select the defaults', () => {
  expect(projectSelection(['node', 'playwright', 'show-report']).patterns).toBeUndefined();
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
  ])
    expect(projectSelection(argv(...args)).patterns, args.join(' ')).toEqual(playwrightProjectArgs(args));
});
