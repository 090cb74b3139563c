import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

// The regression the seed describes: the IdP no longer has the app's deployed callback registered.
const faults = { PACKGATE_STACK_FAULTS: 'callback-unregistered' };

test('api layer catches it: exit 1, BLOCKED, auth-session FAIL naming the redirect URI', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.playwright(['--project=local-api', 'packs/auth-session/'], faults);
  expect(result.exitCode, result.output).toBe(1);
  const verdict = project.verdict();
  expect(verdict).toMatchObject({ verdict: 'BLOCKED', faults: ['callback-unregistered'] });
  const pack = verdict.packs.find(p => p.id === 'auth-session')!;
  expect(pack).toMatchObject({ status: 'FAIL', blocks: true });
  const callback = `${project.env.PACKGATE_LOCAL_APP_URL}/auth/callback`;
  expect(pack.reason).toContain(`IdP refused redirect_uri ${callback} for client gpuaas-app (HTTP 400)`);
  // What to fix, at either end (before: the IdP's words alone), as `env check` says it.
  expect(pack.reason).toContain(
    `; check the IdP registers ${callback} as a redirect URI of client gpuaas-app, ` +
      'or set oidc.redirect_path in environments/local.yaml to the callback it registers',
  );
  const evidence = JSON.parse(project.read(`gate-results/${pack.evidence.dir}/evidence.json`));
  expect(evidence).toMatchObject({ pack: 'auth-session', status: 'FAIL' });
  expect(evidence.correlationIds.length).toBeGreaterThan(0);
  expect(pack.evidence.files).toContain('evidence/auth-session/evidence.json');
  expect(
    pack.evidence.files.some(f => f.endsWith('trace.zip')),
    'a trace of the failing test',
  ).toBe(true);
  expect(result.stdout).toMatch(
    /packgate BLOCKED: local \(dev\): 0 passed, 1 blocking \(auth-session\), 7 not selected/,
  );
});

test('browser layer catches it in seconds: sign-in fails at the IdP step with its redirect_uri error', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.playwright(['--project=local-browser', 'packs/auth-session/'], faults);
  expect(result.exitCode, result.output).toBe(1);
  const pack = project.verdict().packs.find(p => p.id === 'auth-session')!;
  expect(pack).toMatchObject({ status: 'FAIL', blocks: true });
  // Named as the IdP's refusal, not as a step that ran into its timeout: the failure came at once.
  expect(pack.reason).toContain(
    'sign-in failed at step "idp-showed-form": the IdP refused the authorization request (HTTP 400)',
  );
  expect(pack.reason).toContain(`redirect_uri=${project.env.PACKGATE_LOCAL_APP_URL}/auth/callback`);
  expect(
    pack.evidence.files.some(f => f.endsWith('.png')),
    'a screenshot of what the user saw',
  ).toBe(true);
  expect(
    pack.evidence.files.some(f => f.endsWith('trace.zip')),
    'a trace of the failing test',
  ).toBe(true);
  expect(pack.evidence.missingArtifacts).toEqual([]);
});

test('packs blocked upstream by the failed sign-in ran no test, so no failure of theirs owes artifacts', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.playwright(['--project=local-browser'], faults);
  expect(result.exitCode, result.output).toBe(1);
  const verdict = project.verdict();
  expect(verdict.packs.find(p => p.id === 'auth-session')!.evidence.missingArtifacts).toEqual([]);
  const upstream = verdict.packs.filter(p => p.status === 'BLOCKED_BY_UPSTREAM');
  expect(upstream.map(p => p.id)).toContain('v3-shell');
  // Before: each listed every artifact its pack.yaml asks for (trace, screenshot, correlation-id) as
  // missing, as if a failure of its own had lost its evidence.
  for (const pack of upstream) expect(pack.evidence.missingArtifacts, pack.id).toEqual([]);
  // Each of their tests says in the pack's record why it never started, naming the setup's failure.
  const shell = JSON.parse(project.read('gate-results/evidence/v3-shell/evidence.json')) as {
    tests: Array<{ title: string; lastStatus: string; notRunBecause?: string }>;
  };
  expect(shell.tests.length).toBeGreaterThan(0);
  for (const t of shell.tests) {
    expect(t.lastStatus, t.title).toBe('not-run');
    expect(t.notRunBecause, t.title).toMatch(
      /^the sign-in setup failed \(local-sign-in › sign in as \w+: sign-in failed at step/,
    );
  }
});
