import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { demoAt } from '../helpers/demo.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A loopback server that redirects every request to itself: any answer for a URL reached without
 * following redirects, no end for one that follows them (the issuer's discovery document).
 */
async function redirectLoop(): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => res.writeHead(302, { location: req.url }).end());
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/**
 * A URL may carry a user name and password (a basic-auth deployment, a proxy's): env check's rows
 * quote the URLs they reach, and before they quoted those too, in the table, its --json and so in
 * a CI log. Now `***` stands for the password, wherever a row quotes the URL.
 */
test("env check never prints the credentials in a URL: not in its rows, not in --json, not in a refusal's words", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const loop = await redirectLoop();
  const withCredentials = loop.url.replace('http://', 'http://alice:hunter2-not-shown@');
  try {
    const env = demoAt(withCredentials, `${loop.url}/realms/gpuaas`);
    const text = await project.packgate(['env', 'check', 'demo', '--no-sign-in'], env);
    expect(text.exitCode, text.output).toBe(1);
    expect(text.output).not.toContain('hunter2');
    const shown = loop.url.replace('http://', 'http://alice:***@');
    expect(text.stdout).toMatch(new RegExp(`\\n {2}url app +ok +${escape(shown)} answers HTTP 302\\n`));

    const json = await project.packgate(['env', 'check', 'demo', '--no-sign-in', '--json'], env);
    expect(json.output).not.toContain('hunter2');
    const rows = Object.fromEntries((JSON.parse(json.stdout) as PreflightResult).checks.map(c => [c.check, c]));
    expect(rows['url api'].detail).toBe(`${shown}/api answers HTTP 302`);

    // The descriptor refuses it (plain HTTP on the demo stage): its words quote the URL, hidden too.
    const refused = await project.packgate(['env', 'check', 'demo', '--no-sign-in'], {
      ...env,
      PACKGATE_ALLOW_HTTP: '',
    });
    expect(refused.exitCode, refused.output).toBe(1);
    expect(refused.stdout).toContain(`${shown} (from PACKGATE_DEMO_APP_URL) is plain HTTP`);
    expect(refused.output).not.toContain('hunter2');
  } finally {
    loop.close();
  }
});

/** Before: "apiRequestContext.get: Max redirect count exceeded", Playwright's words, which say neither what nor what to do. */
test("an issuer whose discovery redirects without end: env check's row says it is a redirect loop", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const loop = await redirectLoop();
  try {
    const run = await project.packgate(
      ['env', 'check', 'demo', '--no-sign-in', '--json'],
      demoAt(loop.url, `${loop.url}/realms/gpuaas`),
    );
    expect(run.exitCode, run.output).toBe(1);
    const rows = Object.fromEntries((JSON.parse(run.stdout) as PreflightResult).checks.map(c => [c.check, c]));
    expect(rows['url auth_issuer']).toEqual({
      check: 'url auth_issuer',
      ok: false,
      detail:
        `${loop.url}/realms/gpuaas/.well-known/openid-configuration: redirected more than 20 times without an answer: ` +
        'a redirect loop (check the URL, and the proxy or app in front of it)',
    });
  } finally {
    loop.close();
  }
});

/**
 * A browser that cannot be had for the sign-ins: a PACKGATE_CHROMIUM naming nothing, one that does
 * not start. A row of its own saying which and why (the gate's browser layers would fail the same),
 * the sign-ins not checked, exit 1. Before: exit 2 with the variable's error for the first, and
 * "internal error ... a bug in packgate" with Playwright's launch words for the second.
 */
test('env check with no browser to sign in with: a failing browser row saying why, the sign-ins not checked', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const loop = await redirectLoop();
  const notABrowser = testInfo.outputPath('not-a-browser');
  writeBrokenBrowser(notABrowser);
  try {
    const env = demoAt(loop.url, `${loop.url}/realms/gpuaas`);
    const missing = await project.packgate(['env', 'check', 'demo', '--json'], {
      ...env,
      PACKGATE_CHROMIUM: '/no/such/chromium',
    });
    expect(missing.exitCode, missing.output).toBe(1);
    const rows = Object.fromEntries((JSON.parse(missing.stdout) as PreflightResult).checks.map(c => [c.check, c]));
    expect(rows.browser).toEqual({
      check: 'browser',
      ok: false,
      detail: expect.stringMatching(
        /^PACKGATE_CHROMIUM=\/no\/such\/chromium: no such file; point PACKGATE_CHROMIUM at /,
      ),
    });
    expect(rows['sign in as ada']).toEqual({
      check: 'sign in as ada',
      ok: null,
      detail: 'not checked: no browser to sign in with (browser, above)',
    });

    const broken = await project.packgate(['env', 'check', 'demo'], { ...env, PACKGATE_CHROMIUM: notABrowser });
    expect(broken.exitCode, broken.output).toBe(1);
    expect(broken.output).not.toContain('internal error');
    expect(broken.stdout).toMatch(
      new RegExp(
        `\\n {2}browser +FAIL +Chromium \\(${escape(notABrowser)}\\) did not start: exited with code 3: ` +
          'error while loading shared libraries: libnss3.so; it lacks system libraries',
      ),
    );
  } finally {
    loop.close();
  }
});

/** A "browser" that fails as a build without its system libraries does. */
function writeBrokenBrowser(file: string): void {
  fs.writeFileSync(file, '#!/bin/sh\necho "error while loading shared libraries: libnss3.so" >&2\nexit 3\n', {
    mode: 0o755,
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
