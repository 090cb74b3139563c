import { expect, test } from '@playwright/test';
import { judgeDrift } from '../../../src/loop/drift.ts';

const packet = { owned_files: ['packs/**', 'environments/**'], must_not_touch: ['src/**', 'environments/prod.yaml'] };
const change = (path: string) => ({ path, status: 'modified' as const });

test('rule 1: a change inside owned_files is fine and the report is clean', () => {
  const report = judgeDrift(packet, [change('packs/auth-session/pack.yaml')]);
  expect(report.changes.map(c => [c.path, c.rule, c.kind, c.glob])).toEqual([
    ['packs/auth-session/pack.yaml', 1, 'owned', 'packs/**'],
  ]);
  expect(report.clean).toBe(true);
});

test('rule 2: must_not_touch wins over ownership and escalates', () => {
  const report = judgeDrift(packet, [change('environments/prod.yaml'), change('src/gate/judge.ts')]);
  expect(report.changes.map(c => [c.path, c.rule, c.kind])).toEqual([
    ['environments/prod.yaml', 2, 'must-not-touch'],
    ['src/gate/judge.ts', 2, 'must-not-touch'],
  ]);
  expect(report.forbidden).toHaveLength(2);
  expect(report.clean).toBe(false);
});

test('rule 2: an outside change the worker says is needed escalates too', () => {
  const report = judgeDrift(packet, [change('stack/app.ts')], { needed: ['stack/**'] });
  expect(report.escalations.map(c => [c.path, c.kind])).toEqual([['stack/app.ts', 'needed']]);
  expect(report.forbidden).toEqual([]);
});

test('rule 3: an outside change not needed belongs in a follow-up task', () => {
  const report = judgeDrift(packet, [change('README.md')]);
  expect(report.followUps.map(c => [c.path, c.rule, c.why])).toEqual([
    ['README.md', 3, 'outside ownership and not needed: revert it here; it belongs in a follow-up task'],
  ]);
});

test('rule 4: an outside change the worker calls unrelated is to be reverted and left alone', () => {
  const report = judgeDrift(packet, [change('README.md')], { unrelated: ['*.md'] });
  expect(report.unrelated.map(c => [c.path, c.rule])).toEqual([['README.md', 4]]);
  expect(report.followUps).toEqual([]);
});

test('no changes is clean', () => {
  expect(judgeDrift(packet, []).clean).toBe(true);
});
