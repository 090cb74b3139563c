import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createRedactor } from '../../src/evidence/redact.ts';
import { startingRunReason, unjudgedVerdict, writeUnjudgedVerdict } from '../../src/gate/unjudged.ts';
import { readCommandLine } from '../../src/run/command-line.ts';
import { verdictFileSchema } from '../../src/schema/verdict.ts';

const verdict = (why: string) =>
  unjudgedVerdict({
    environment: 'local',
    env: { stage: 'dev', kind: 'embedded' },
    projects: ['local-browser', 'local-api'],
    runId: 'run-1',
    startedAt: new Date('2026-12-06T10:00:00Z'),
    summary: 'the run has not judged yet',
    why,
  });

// writeUnjudgedVerdict writes without zod (the runner's start does not load it): this holds the
// verdict's fixed shape to the schema every reader checks it against.
test('the verdict of a run that has not judged passes the verdict schema, BLOCKED and incomplete', () => {
  const checked = verdictFileSchema.parse(verdict('killed before judging'));
  expect(checked).toMatchObject({
    verdict: 'BLOCKED',
    complete: false,
    projects: ['local-api', 'local-browser'],
    problems: [{ severity: 'error', message: 'killed before judging' }],
  });
});

test('written alone into the output folder, redacted, with its summary', ({}, testInfo) => {
  const root = testInfo.outputPath('project');
  const outputDir = path.join(root, 'gate-results');
  fs.mkdirSync(root, { recursive: true });
  writeUnjudgedVerdict(
    outputDir,
    root,
    verdict('the reporter failed: login as ada with s3cret-Passw0rd'),
    createRedactor(['s3cret-Passw0rd']),
  );
  const written = JSON.parse(fs.readFileSync(path.join(outputDir, 'verdict.json'), 'utf8'));
  expect(verdictFileSchema.parse(written).problems[0].message).toBe(
    'the reporter failed: login as ada with [REDACTED]',
  );
  expect(fs.readFileSync(path.join(outputDir, 'summary.md'), 'utf8')).toContain('BLOCKED');
  expect(fs.readdirSync(outputDir).sort()).toEqual(['.packgate-output', 'summary.md', 'verdict.json']);
});

test('why a run has no verdict yet reads the command line as Playwright does: the shard, the last --reporter', () => {
  const reason = (...args: string[]) =>
    startingRunReason(readCommandLine(['node', 'playwright', 'test', ...args]), 'run-1', new Date(0)).summary;
  expect(reason('--shard', '1/2')).toBe('shard 1/2 of a run');
  // The grep pattern "--shard=1/2": a whole run.
  expect(reason('-g', '--shard=1/2')).toBe('the run has not finished');
  // Playwright reports with the last --reporter given: dot, without the gate.
  expect(reason('--reporter=./reporters/gate-reporter.ts', '--reporter', 'dot')).toBe('the gate reporter was replaced');
  expect(reason('--reporter', 'dot', '--reporter=list,./reporters/gate-reporter.ts')).toBe('the run has not finished');
  expect(reason('--add-reporter', 'dot')).toBe('the run has not finished');
});
