import { expect, test } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { freePorts } from '../helpers/ports.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * env check does not start an environment's stack (a gate run does): with it down, every URL row says
 * "connection refused", and the check ends with what to do about it. Nothing listens on the ports
 * given; no browser launches (--no-sign-in).
 */
test("env check of an environment whose stack is not up says to start it, as text and in --json; a deployment's does not", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const [app, api, idp] = await freePorts(3);
  const down = {
    PACKGATE_LOCAL_APP_URL: `http://127.0.0.1:${app}`,
    PACKGATE_LOCAL_API_URL: `http://127.0.0.1:${api}`,
    PACKGATE_LOCAL_ISSUER_URL: `http://127.0.0.1:${idp}/realms/gpuaas`,
  };
  const hint =
    "nothing listens at local's URLs: its stack is not up? `npx packgate stack start --env local` starts it " +
    '(a gate run starts it itself, and stops it at the end)';

  // Before: three "connection refused: nothing listens there" rows, and nothing said what to do.
  const text = await project.packgate(['env', 'check', 'local', '--no-sign-in'], down);
  expect(text.exitCode, text.output).toBe(1);
  expect(text.stdout).toContain(
    `  url app                 FAIL    http://127.0.0.1:${app}: connection refused: nothing listens there\n`,
  );
  expect(text.stdout.endsWith(`\nhint: ${hint}\n`)).toBe(true);
  const json = await project.packgate(['env', 'check', 'local', '--no-sign-in', '--json'], down);
  expect(json.exitCode, json.output).toBe(1);
  expect(JSON.parse(json.stdout) as PreflightResult & { ok: boolean }).toMatchObject({ ok: false, ready: false, hint });

  // A deployment (no stack packgate starts) that does not answer gets no such hint: starting is not ours.
  const demo = await project.packgate(['env', 'check', 'demo', '--no-sign-in', '--json'], {
    PACKGATE_DEMO_APP_URL: `http://127.0.0.1:${app}`,
    PACKGATE_DEMO_ISSUER_URL: `http://127.0.0.1:${idp}/realms/gpuaas`,
    PACKGATE_DEMO_USER_PASSWORD: 'x',
    PACKGATE_DEMO_MEMBER_PASSWORD: 'y',
    PACKGATE_ALLOW_HTTP: '1',
  });
  const body = JSON.parse(demo.stdout) as PreflightResult;
  expect(body.checks.find(c => c.check === 'url app')?.detail).toContain('connection refused');
  expect(body.hint).toBeUndefined();
});
