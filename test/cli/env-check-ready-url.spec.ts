import http from 'node:http';
import type net from 'node:net';
import { expect, test, type TestInfo } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { freePorts } from '../helpers/ports.ts';
import { TempProject } from '../helpers/temp-project.ts';

/** A server on loopback answering 200 to anything, standing in for a stack's app or its readiness probe. */
async function answering(): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((_, res) => res.end('{"ready":true}'));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, close: () => server.close() };
}

/** A temp project whose local stack is probed for readiness at PACKGATE_LOCAL_PROBE_URL, and env check's JSON of it. */
async function probedApart(testInfo: TestInfo) {
  const project = await TempProject.create(testInfo);
  project.edit('environments/local.yaml', text =>
    text.replace(
      '  command: node stack/run.js --env local\n',
      '  command: node stack/run.js --env local\n  ready_url: { env: PACKGATE_LOCAL_PROBE_URL }\n',
    ),
  );
  const check = async (env: Record<string, string>) => {
    const run = await project.packgate(['env', 'check', 'local', '--no-sign-in', '--json'], env);
    return JSON.parse(run.stdout) as PreflightResult;
  };
  return { project, check };
}

/**
 * An environment whose stack packgate starts may probe its readiness apart from its app
 * (`stack.ready_url`). env check says whether that probe answers, in a row of its own: nothing
 * there is expected while the stack is not up (a gate run starts it), and a failure once the stack's
 * URLs answer, where a run would wait for a ready stack in vain. Before: no row for it at all.
 */
test('env check: a row says whether stack.ready_url answers, and whether its silence is expected', async ({}, testInfo) => {
  const { check } = await probedApart(testInfo);
  const [probePort] = await freePorts(1);
  const rowOf = async (env: Record<string, string>) => {
    const result = await check(env);
    return { row: result.checks.find(c => c.check === 'url stack.ready_url'), hint: result.hint };
  };
  const down = `http://127.0.0.1:${probePort}`;

  // The stack not up: nothing listens at its URLs nor its probe, which is what env check expects.
  const notUp = await rowOf({ PACKGATE_LOCAL_PROBE_URL: down });
  expect(notUp.row).toEqual({
    check: 'url stack.ready_url',
    ok: null,
    detail:
      `${down}/__stack/ready: connection refused: nothing listens there; ` +
      'expected while the stack is not up: a gate run starts it and waits for this probe',
  });
  expect(notUp.hint).toContain('its stack is not up?');

  const app = await answering();
  const probe = await answering();
  try {
    // The stack's URLs answer, the probe does not: a run would never see this stack ready, and the
    // stack is not said to be down.
    const up = {
      PACKGATE_LOCAL_APP_URL: app.url,
      PACKGATE_LOCAL_API_URL: app.url,
      PACKGATE_LOCAL_ISSUER_URL: `${app.url}/realms/gpuaas`,
    };
    const upElsewhere = await rowOf({ ...up, PACKGATE_LOCAL_PROBE_URL: down });
    expect(upElsewhere.row).toEqual({
      check: 'url stack.ready_url',
      ok: false,
      detail:
        `${down}/__stack/ready: connection refused: nothing listens there, though url app answers: ` +
        'the stack is up, but not probed here, so a gate run would wait for it in vain; ' +
        'check stack.ready_url in environments/local.yaml',
    });
    expect(upElsewhere.hint).toBeUndefined();

    const ready = await rowOf({ ...up, PACKGATE_LOCAL_PROBE_URL: probe.url });
    expect(ready.row).toEqual({
      check: 'url stack.ready_url',
      ok: true,
      detail: `${probe.url}/__stack/ready answers HTTP 200`,
    });
  } finally {
    app.close();
    probe.close();
  }
});

test("env check: stack.ready_url's variable has its row, as the URLs' variables have theirs: unset, refused or set", async ({}, testInfo) => {
  const { check } = await probedApart(testInfo);
  const rowOf = async (env: Record<string, string>) =>
    (await check(env)).checks.find(c => c.check === 'stack.ready_url');
  expect(await rowOf({})).toEqual({
    check: 'stack.ready_url',
    ok: false,
    detail: 'PACKGATE_LOCAL_PROBE_URL is not set and there is no default: set it',
  });
  expect(await rowOf({ PACKGATE_LOCAL_PROBE_URL: '127.0.0.1:4999' })).toEqual({
    check: 'stack.ready_url',
    ok: false,
    detail: '"127.0.0.1:4999" (from PACKGATE_LOCAL_PROBE_URL) is not a URL',
  });
  expect(await rowOf({ PACKGATE_LOCAL_PROBE_URL: 'http://127.0.0.1:4999' })).toEqual({
    check: 'stack.ready_url',
    ok: true,
    detail: 'PACKGATE_LOCAL_PROBE_URL is set',
  });
});
