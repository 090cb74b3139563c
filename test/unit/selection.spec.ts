import { expect, test } from '@playwright/test';
import { projectSelection } from '../../src/playwright/selection.ts';

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
