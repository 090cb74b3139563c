import { expect, test } from '@playwright/test';
import { demoAtLocalStack } from '../helpers/demo.ts';
import { inlinePack } from '../helpers/inline-pack.ts';
import { TempProject } from '../helpers/temp-project.ts';

test("demo-remote runs every pack's remote journeys unchanged against the environment its env vars name", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const password = 'demo-at-local-' + Date.now();
  project.env.PACKGATE_LOCAL_USER_PASSWORD = password;
  // The member persona has an account there too, so the refusals a second persona proves run remotely.
  const memberPassword = 'demo-member-at-local-' + Date.now();
  project.env.PACKGATE_LOCAL_MEMBER_PASSWORD = memberPassword;
  // The stack runs on its own, as a deployment would; the run starts no stack for demo.
  const stack = await project.startStack();
  try {
    const result = await project.playwright(['--project=demo-remote'], {
      ...demoAtLocalStack(project, password),
      PACKGATE_DEMO_MEMBER_PASSWORD: memberPassword,
    });
    expect(result.exitCode, result.output).toBe(0);
    const verdict = project.verdict();
    expect(verdict).toMatchObject({
      environment: 'demo',
      stage: 'demo',
      kind: 'remote',
      projects: ['demo-remote'],
      complete: true,
    });
    // Every pack runs its remote journeys (its browser ones, for most) against the stack the descriptor was pointed at.
    for (const pack of verdict.packs)
      expect(pack, `${pack.id}: ${pack.reason}`).toMatchObject({ status: 'PASS', layers: ['remote'] });
    expect(verdict.packs.map(p => p.id)).toHaveLength(8);
    // Pointing a release descriptor at plain HTTP is allowed for this test only, and says so.
    expect(verdict.verdict).toBe('PASS_WITH_WARNINGS');
    expect(verdict.problems).toEqual([
      {
        severity: 'warning',
        message:
          'PACKGATE_ALLOW_HTTP=1: plain-HTTP URLs were accepted for stage demo, which requires https; not a release verdict',
      },
    ]);
    // Not a release verdict, so no release counts it. Before: narrowed was [] and the queue store
    // recorded it "as a release-gate run of demo", which the release view showed as demo's.
    expect(verdict.narrowed).toEqual([
      'PACKGATE_ALLOW_HTTP=1: plain HTTP accepted for stage demo (not a release verdict)',
    ]);
    expect(result.output).toContain(
      'recorded in the queue store: gate run #1 as a narrowed run of demo (PACKGATE_ALLOW_HTTP=1: plain HTTP ' +
        'accepted for stage demo (not a release verdict)), not a release-gate run',
    );
  } finally {
    stack.kill('SIGTERM');
  }
});

test('a release stage blocks when a blocking pack it requires ran no test (NOT_RUN)', async ({}, testInfo) => {
  const project = await TempProject.create(
    testInfo,
    inlinePack({
      id: 'deploy-smoke',
      policy: { demo: 'blocking' },
      layer: 'remote',
      body: `expect(1).toBe(1);`,
    }),
  );
  const password = 'not-run-' + Date.now();
  project.env.PACKGATE_LOCAL_USER_PASSWORD = password;
  // PACKGATE_STACK=always: start the local stack for this demo run, to point demo at.
  const result = await project.playwright(['--project=demo-remote', 'packs/auth-session/'], {
    ...demoAtLocalStack(project, password),
    PACKGATE_STACK: 'always',
  });
  expect(result.exitCode, result.output).toBe(1);
  const verdict = project.verdict();
  expect(verdict).toMatchObject({ verdict: 'BLOCKED', complete: false });
  expect(verdict.packs.find(p => p.id === 'deploy-smoke')).toMatchObject({
    status: 'NOT_RUN',
    blocks: true,
    tests: { total: 0 },
  });
  expect(verdict.packs.find(p => p.id === 'auth-session')).toMatchObject({ status: 'PASS' });
});

test('a deployed environment without its password env var fails at once, naming the variable', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.playwright(
    ['--project=demo-remote', '--grep', 'lands in the shell|shows the active tenant'],
    {
      PACKGATE_DEMO_APP_URL: 'https://127.0.0.1:9',
      PACKGATE_DEMO_ISSUER_URL: 'https://127.0.0.1:9/realms/x',
    },
  );
  expect(result.exitCode, result.output).toBe(1);
  const verdict = project.verdict();
  expect(verdict.verdict).toBe('BLOCKED');
  const pack = verdict.packs.find(p => p.id === 'auth-session')!;
  expect(pack).toMatchObject({ status: 'FAIL' });
  expect(pack.reason).toContain('secret "user-password" of environment "demo" is not available');
  expect(pack.reason).toContain('set the env var PACKGATE_DEMO_USER_PASSWORD');
  // The sign-in fails once (and its retry): the packs that depend on it are blocked by it, their
  // tests not each failing on the same missing variable.
  const shell = verdict.packs.find(p => p.id === 'v3-shell')!;
  expect(shell).toMatchObject({ status: 'BLOCKED_BY_UPSTREAM', upstream: 'auth-session' });
  expect(shell.tests.failed).toBe(0);
});
