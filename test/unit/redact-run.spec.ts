import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { REDACTION_VAR, RunRedaction, redactionSwitch } from '../../src/evidence/run-redaction.ts';
import {
  readSecretsSeen,
  recordSecretsInUrl,
  recordSecretsSeen,
  SECRETS_SEEN_FILE,
} from '../../src/evidence/secrets-seen.ts';
import { RUN_PLAN_VAR } from '../../src/run/run-plan.ts';

const local = { name: 'local', kind: 'embedded', stage: 'dev' };
const demo = { name: 'demo', kind: 'remote', stage: 'demo' };

test('tokens, codes and cookies the fixtures saw during the run are redacted by value from then on', ({}, testInfo) => {
  const runDir = testInfo.outputPath('run');
  fs.mkdirSync(runDir, { recursive: true });
  const redaction = new RunRedaction({ secretValues: ['env-password'], runDir, environments: [local] });
  const code = 'Zk3vQ9c2-authorization-code';
  expect(redaction.redact(`<a href="/cb/${code}">`)).toBe(`<a href="/cb/${code}">`);

  recordSecretsSeen('authorization-code', [code, 'short'], runDir);
  recordSecretsSeen('cookie', ['gH7_session-cookie-value'], runDir);
  expect(fs.statSync(path.join(runDir, SECRETS_SEEN_FILE)).mode & 0o777).toBe(0o600);
  expect(redaction.redact(`<a href="/cb/${code}">`)).toBe('<a href="/cb/[REDACTED]">');
  expect(redaction.redact('sid gH7_session-cookie-value, short, env-password')).toBe(
    'sid [REDACTED], short, [REDACTED]',
  );
  // The run's folder goes when the run ends; what was seen is still redacted by sweeps after that.
  fs.rmSync(runDir, { recursive: true });
  expect(redaction.redact(code)).toBe('[REDACTED]');
});

test("a worker records into its run's folder, found through the run plan; URLs give up their codes and states", ({}, testInfo) => {
  const runDir = testInfo.outputPath('run');
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(path.join(runDir, 'plan.json'), JSON.stringify({ schemaVersion: 1, runId: 'r', runDir }));
  const before = process.env[RUN_PLAN_VAR];
  process.env[RUN_PLAN_VAR] = path.join(runDir, 'plan.json');
  try {
    recordSecretsInUrl('http://app/auth/callback?code=c0de-c0de-1&state=st4te-st4te&iss=http%3A%2F%2Fidp');
    recordSecretsInUrl('http://app/cb#access_token=t0ken-t0ken&token_type=Bearer');
  } finally {
    if (before === undefined) delete process.env[RUN_PLAN_VAR];
    else process.env[RUN_PLAN_VAR] = before;
  }
  expect(readSecretsSeen(runDir).values.sort()).toEqual(['c0de-c0de-1', 'st4te-st4te', 't0ken-t0ken']);
});

test('recording outside a run does nothing and never throws', () => {
  expect(() => recordSecretsSeen('cookie', ['some-cookie-value'], undefined)).not.toThrow();
  expect(() => recordSecretsSeen('cookie', ['some-cookie-value'], '/nonexistent/run')).not.toThrow();
});

test(`${REDACTION_VAR}=off is honoured only for embedded dev environments, and always said`, () => {
  expect(redactionSwitch([local], {})).toEqual({ enabled: true });
  expect(redactionSwitch([local], { [REDACTION_VAR]: 'off' })).toEqual({
    enabled: false,
    notice: expect.stringMatching(/^REDACTION IS OFF \(PACKGATE_REDACTION=off\).*never publish them/),
  });
  expect(redactionSwitch([demo], { [REDACTION_VAR]: 'off' })).toEqual({
    enabled: true,
    notice: expect.stringContaining(
      'PACKGATE_REDACTION=off was refused: redaction can be turned off only for an embedded environment at stage dev, and this run judges demo (remote, demo)',
    ),
  });
  expect(redactionSwitch([local, demo], { [REDACTION_VAR]: 'off' }).enabled).toBe(true);
  expect(redactionSwitch([], { [REDACTION_VAR]: 'off' }).enabled).toBe(true);
  expect(redactionSwitch([local], { [REDACTION_VAR]: 'no' })).toEqual({
    enabled: true,
    notice: expect.stringContaining('PACKGATE_REDACTION=no is not understood'),
  });
  const off = new RunRedaction({
    secretValues: ['env-password'],
    environments: [local],
    processEnv: { [REDACTION_VAR]: 'off' },
  });
  expect(off.redact('env-password')).toBe('env-password');
});
