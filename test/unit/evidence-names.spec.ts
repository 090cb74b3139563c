import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createRedactor } from '../../src/evidence/redact.ts';
import type { ObservedTest } from '../../src/gate/observe.ts';
import { writeGateOutputs } from '../../src/gate/write-outputs.ts';
import { assembledVerdict } from '../helpers/assembled-run.ts';

/**
 * A failed test's attachments are copied into evidence/<pack>/<title>/: a title holding a secret
 * value (a token a test was named after, a password in a data-driven title) is redacted before it
 * names the folder, as the files' contents are. Before, the folder name carried the secret.
 */
test("a test title's secret never names an evidence folder", async ({}, testInfo) => {
  const secret = 'tok-7f3a9c2e41b8d6';
  const screenshot = testInfo.outputPath('test-failed-1.png');
  fs.writeFileSync(screenshot, 'png');
  const failed: ObservedTest = {
    title: `signs in with ${secret}`,
    outcome: 'unexpected',
    lastStatus: 'failed',
    pack: 'auth-session',
    project: {
      root: '',
      packsDir: 'packs',
      environment: 'local',
      stage: 'dev',
      layer: 'api',
      packs: [],
      part: 'signed-out',
    },
    projectName: 'local-api',
    location: 'packs/auth-session/api.spec.ts:3',
    correlationIds: [],
    traceIds: [],
    failureAttachments: [{ name: 'screenshot', path: screenshot, contentType: 'image/png', attempt: 0 }],
    errors: [],
    durationMs: 1,
    interactiveSignIns: 0,
    notApplicable: [],
    refuses: [],
  } as ObservedTest;
  const outputDir = testInfo.outputPath('gate-results');
  const verdict = writeGateOutputs(
    outputDir,
    testInfo.outputPath('project'),
    { verdict: assembledVerdict(), testsByPack: new Map([['auth-session', [failed]]]) },
    createRedactor([secret]),
  );
  const files = verdict.packs.find(p => p.id === 'auth-session')!.evidence.files;
  expect(files).toEqual([
    'evidence/auth-session/evidence.json',
    'evidence/auth-session/signs-in-with-redacted/attempt-1-test-failed-1.png',
  ]);
  const everything = fs.readdirSync(outputDir, { recursive: true }).map(String);
  expect(everything.filter(name => name.includes(secret))).toEqual([]);
  expect(fs.readFileSync(path.join(outputDir, files[0]), 'utf8')).not.toContain(secret);
});
