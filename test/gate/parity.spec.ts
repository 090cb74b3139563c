import fs from 'node:fs';
import path from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { Agent, fetch as undiciFetch } from 'undici';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { resolveLocalhostNames } from '../../src/net/localhost-names.ts';
import { expectGroupCaught, faultGroups } from '../helpers/fault-groups.ts';
import { startManualRun, withManualCheck } from '../helpers/manual-run.ts';
import { REPO, TempProject } from '../helpers/temp-project.ts';

/**
 * The parity layer: the reference stack in deployment shape (TLS with a CA made at start, host
 * routing on *.localhost through the ingress, configuration injected as mounted files, rolling
 * restarts) passes every pack with certificate checks on, and each mistake only a deployment can
 * make (faults.yaml, `kinds: [parity]`) is caught by its pack with the verdict owed.
 */
const catalogue = loadCatalogueOrThrow(REPO);
const parityOnly = [...catalogue.faults.values()].map(f => f.value).filter(f => f.kinds?.includes('parity'));
const groups = faultGroups(catalogue, 'parity', fault => fault.kinds?.includes('parity') ?? false);
const packs = [...catalogue.packs.keys()];
/** What `npm run gate:parity` runs. */
const GATE_PARITY = ['--project=parity-*'];

resolveLocalhostNames();

test('the parity matrix covers every parity-only fault, at least four', () => {
  expect(groups.flatMap(g => g.faults.map(f => f.id)).sort()).toEqual(parityOnly.map(f => f.id).sort());
  expect(parityOnly.length).toBeGreaterThanOrEqual(4);
});

test('with no fault, the parity gate passes every pack through TLS it trusts explicitly', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const app = await project.useParityPorts();
  // Started here and reused by the run, so the test can talk to it too.
  const stack = await project.startStack({}, project.dir, 'parity');
  try {
    const result = await project.playwright(GATE_PARITY);
    expect(result.exitCode, result.output).toBe(0);
    const verdict = project.verdict();
    expect(verdict.verdict).toBe('PASS');
    expect(Object.fromEntries(verdict.packs.map(p => [p.id, p.status]))).toEqual(
      Object.fromEntries(packs.map(id => [id, 'PASS'])),
    );
    expect(result.stdout).toContain(`packgate PASS: parity (dev): ${packs.length} passed`);
    for (const project of ['parity-api', 'parity-browser', 'parity-parity'])
      expect(result.stdout, `${project} ran`).toContain(`[${project}]`);

    // The CA is the stack's own, made at start: without it the app's certificate is refused (the
    // run's clients passed because they trust it, not because checks were off); with it, accepted.
    const ca = project.read('.packgate/parity/ca.pem');
    expect(ca).toContain('BEGIN CERTIFICATE');
    const untrusted = await fetch(`${app}/healthz`).then(
      () => 'accepted',
      (error: Error) => String((error.cause as { code?: string })?.code),
    );
    expect(untrusted).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT/);
    const trusted = await undiciFetch(`${app}/healthz`, { dispatcher: new Agent({ connect: { ca } }) });
    expect(trusted.status).toBe(200);
    expect(trusted.headers.get('strict-transport-security')).toContain('max-age=');

    // The preflight trusts the CA as the gate does: every URL answers, the IdP's discovery and the
    // registered callback check out, and the sign-in lands in the app, over TLS it verified.
    const check = await project.packgate(['env', 'check', 'parity']);
    expect(check.exitCode, check.output).toBe(0);
    expect(check.stdout).toMatch(/^ {2}sign in as ada +ok +"ada" landed in the app at https:/m);

    // So does a manual check's headed browser: signed in, at the check's start page, over that TLS.
    withManualCheck(project, 'parity');
    const manual = startManualRun(project, [
      ...['--pack', 'auth-session', '--env', 'parity', '--check', 'shell-greets'],
      ...['--lane', 'C-ops', '--result', 'pass', '--json'],
    ]);
    try {
      const browser = await chromium.connectOverCDP(await manual.said(/remote debugging: (http:\/\/[^\s]+)/));
      const page = browser.contexts().flatMap(c => c.pages())[0];
      expect(page.url()).toBe(`${app}/shell`);
      await expect(page.getByTestId('user-identity')).toContainText('Ada');
      await page.close();
      await browser.close();
      expect(await manual.exited, manual.stderr()).toBe(0);
    } finally {
      manual.kill();
    }
    expect(JSON.parse(manual.stdout())).toMatchObject({
      verdict: { environment: 'parity', result: 'pass', source: 'run' },
    });

    // Configuration injected as a ConfigMap and a Secret: the callback the IdP registers is read
    // from it, and the secret sits apart, readable by its owner only.
    const mounted = path.join(project.dir, '.packgate/stacks/parity');
    const config = fs.readFileSync(path.join(mounted, 'gpuaas.env'), 'utf8');
    expect(config).toContain(`IDP_CLIENT_REDIRECT_URIS="${app}/auth/callback"`);
    expect(config).not.toContain('OIDC_CLIENT_SECRET');
    expect(fs.readFileSync(path.join(mounted, 'secrets.env'), 'utf8')).toContain('OIDC_CLIENT_SECRET=');
    expect(fs.statSync(path.join(mounted, 'secrets.env')).mode & 0o777).toBe(0o600);
  } finally {
    stack.kill('SIGTERM');
  }
});

for (const group of groups) {
  const ids = group.faults.map(f => f.id);
  test(`parity: ${ids.join(' + ')}: ${group.verdict}`, async ({}, testInfo) => {
    const project = await TempProject.create(testInfo);
    await project.useParityPorts();
    // No retries: a fault fails on every attempt (see the fault matrix).
    const result = await project.playwright([...GATE_PARITY, '--retries=0'], { PACKGATE_STACK_FAULTS: ids.join(',') });
    expect(result.exitCode, result.output).toBe(group.verdict === 'BLOCKED' ? 1 : 0);
    const verdict = project.verdict();
    expectGroupCaught(catalogue, group, verdict);
    // The service refuses to become ready, naming the value its configuration lacks.
    if (ids.includes('config-value-missing'))
      expect(verdict.packs.find(p => p.id === 'notebook-proxy')!.reason).toContain('NOTEBOOK_KERNEL_IMAGE');
  });
}
