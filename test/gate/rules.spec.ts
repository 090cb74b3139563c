import { expect, test } from '@playwright/test';
import { inlinePack } from '../helpers/inline-pack.ts';
import { freePorts } from '../helpers/ports.ts';
import { TempProject } from '../helpers/temp-project.ts';

test('an advisory failure alone warns and exits 0', async ({}, testInfo) => {
  const project = await TempProject.create(
    testInfo,
    inlinePack({
      id: 'advisory-check',
      policy: { dev: 'advisory' },
      layer: 'api',
      body: `expect(1, 'made to fail').toBe(2);`,
    }),
  );
  const result = await project.playwright(['--project=local-api', 'packs/advisory-check/', 'packs/auth-session/']);
  expect(result.exitCode, result.output).toBe(0);
  const verdict = project.verdict();
  expect(verdict.verdict).toBe('PASS_WITH_WARNINGS');
  expect(verdict.packs.find(p => p.id === 'advisory-check')).toMatchObject({
    status: 'FAIL',
    policy: 'advisory',
    blocks: false,
  });
  expect(verdict.packs.find(p => p.id === 'auth-session')).toMatchObject({ status: 'PASS' });
});

test('a blocking failure exits 1 even when other packs pass', async ({}, testInfo) => {
  const project = await TempProject.create(
    testInfo,
    inlinePack({
      id: 'blocking-check',
      policy: { dev: 'blocking' },
      layer: 'api',
      body: `expect(1, 'made to fail').toBe(2);`,
    }),
  );
  const result = await project.playwright(['--project=local-api', 'packs/blocking-check/', 'packs/auth-session/']);
  expect(result.exitCode, result.output).toBe(1);
  expect(project.verdict().verdict).toBe('BLOCKED');
  expect(project.verdict().packs.find(p => p.id === 'blocking-check')!.reason).toContain('made to fail');
});

test('a dev run of one pack (a file filter) lists the others as NOT_SELECTED, never PASS', async ({}, testInfo) => {
  const project = await TempProject.create(
    testInfo,
    inlinePack({
      id: 'other',
      policy: { dev: 'blocking' },
      layer: 'api',
      body: `expect(1).toBe(1);`,
    }),
  );
  const result = await project.playwright(['--project=local-api', 'packs/auth-session/']);
  expect(result.exitCode, result.output).toBe(0);
  const verdict = project.verdict();
  expect(verdict).toMatchObject({ verdict: 'PASS', complete: false });
  expect(verdict.packs.find(p => p.id === 'other')).toMatchObject({
    status: 'NOT_SELECTED',
    blocks: false,
    tests: { total: 0 },
  });
  expect(verdict.packs.find(p => p.id === 'auth-session')).toMatchObject({ status: 'PASS' });
  expect(result.stdout).toContain('8 not selected');
});

test('a pack whose upstream failed is BLOCKED_BY_UPSTREAM, naming it', async ({}, testInfo) => {
  const project = await TempProject.create(
    testInfo,
    inlinePack({
      id: 'shell-after-login',
      policy: { dev: 'blocking' },
      layer: 'api',
      dependsOn: ['auth-session'],
      body:
        `const probe = await api.get(env.urls.authIssuer + '/.well-known/openid-configuration'); ` +
        `expect(probe.ok()).toBe(true); expect(1, 'journey broken').toBe(2);`,
    }),
  );
  const result = await project.playwright(['--project=local-api', 'packs/shell-after-login/', 'packs/auth-session/'], {
    PACKGATE_STACK_FAULTS: 'callback-unregistered',
  });
  expect(result.exitCode, result.output).toBe(1);
  const verdict = project.verdict();
  expect(verdict.packs.find(p => p.id === 'auth-session')).toMatchObject({ status: 'FAIL' });
  const downstream = verdict.packs.find(p => p.id === 'shell-after-login')!;
  expect(downstream).toMatchObject({ status: 'BLOCKED_BY_UPSTREAM', upstream: 'auth-session', blocks: true });
  expect(downstream.reason).toMatch(/^blocked by upstream pack "auth-session" \(FAIL: /);
});

test('an unknown fault id stops the run before anything starts: exit 2, the fault it is near named, else the known ones listed', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.playwright(['--project=local-api'], { PACKGATE_STACK_FAULTS: 'callback-unregistred' });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain(
    'packgate: PACKGATE_STACK_FAULTS names unknown fault: callback-unregistred\n  hint: did you mean "callback-unregistered"?\n',
  );
  expect(project.exists('gate-results/verdict.json')).toBe(false);
  // An id nothing resembles gets the list.
  const far = await project.playwright(['--project=local-api'], {
    PACKGATE_STACK_FAULTS: 'callback-500,everything-broken',
  });
  expect(far.exitCode).toBe(2);
  expect(far.stderr).toContain('packgate: PACKGATE_STACK_FAULTS names unknown fault: everything-broken\n');
  expect(far.stderr).toContain('known faults: callback-unregistered, callback-500,');
});

test("a fault only the parity stack can have, asked of local's, stops the run before it starts: exit 2, not a BLOCKED read as caught", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // `npx packgate stack faults` says to inject with `PACKGATE_STACK_FAULTS=<id> npx playwright test`: for
  // this fault, local's stack refused to start, and the run ended BLOCKED with exit 1, as if it had caught it.
  const result = await project.playwright([], { PACKGATE_STACK_FAULTS: 'callback-500,hsts-missing' });
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stderr).toBe(
    'packgate: PACKGATE_STACK_FAULTS names hsts-missing, which only a stack of kind parity can have; ' +
      'this run starts the stack of local (embedded), which cannot inject it\n' +
      "  hint: run the projects of parity with it: PACKGATE_STACK_FAULTS=hsts-missing npx playwright test --project='parity-*'\n",
  );
  expect(result.stdout).not.toContain('[stack:local]');
  expect(project.exists('gate-results/verdict.json')).toBe(false);
  expect(project.exists('.packgate/queue.db'), 'nothing recorded').toBe(false);
});

test('faults asked of a run that starts no stack stop it before it starts: exit 2, not a healthy run read as a drill', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // demo's URLs on a port nothing listens on: before, the run went on to reach them, the fault nowhere.
  const [closed] = await freePorts(1);
  const demo = {
    PACKGATE_DEMO_APP_URL: `http://127.0.0.1:${closed}`,
    PACKGATE_DEMO_ISSUER_URL: `http://127.0.0.1:${closed}/realms/gpuaas`,
    PACKGATE_ALLOW_HTTP: '1',
  };
  const result = await project.playwright(['--project=demo-remote'], {
    ...demo,
    PACKGATE_STACK_FAULTS: 'callback-500',
  });
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stderr).toContain(
    'packgate: PACKGATE_STACK_FAULTS names callback-500, but this run starts no stack to inject it into ' +
      '(it runs demo-remote): it would test what is there without it\n' +
      "  hint: run the projects of an environment with a stack: PACKGATE_STACK_FAULTS=callback-500 npx playwright test --project='local-*'; " +
      'for a stack you started with it (npx packgate stack start --faults ...), add PACKGATE_STACK=never\n',
  );
  expect(project.exists('gate-results/verdict.json')).toBe(false);
});

test("a fault whose pack the run did not select is said in narrowed: the run's pass says nothing of the gate", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // launch-api-500 breaks app-launch; the run selects platform-proxy alone, which it does not touch.
  const result = await project.playwright(['--project=local-api', 'packs/platform-proxy/'], {
    PACKGATE_STACK_FAULTS: 'launch-api-500',
  });
  expect(result.exitCode, result.output).toBe(0);
  const verdict = project.verdict();
  expect(verdict.faults).toEqual(['launch-api-500']);
  // Before: "faults injected" alone, beside a PASS that read as the gate missing the fault.
  expect(verdict.narrowed).toContain(
    'fault launch-api-500: its pack app-launch was not selected, so nothing in this run could catch it',
  );
});
