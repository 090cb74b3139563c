import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoAtLocalStack } from '../helpers/demo.ts';
import { inlinePack } from '../helpers/inline-pack.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A gate that cannot pass silently: each test here is a way a run used to end in PASS (or keep an
 * old PASS) without the proof, and asserts the verdict, status and reason it gets now.
 */

test.describe('partial packs do not pass', () => {
  test('on a release stage, a pack run in part is NOT_RUN, naming the tests left out', async ({}, testInfo) => {
    const project = await TempProject.create(testInfo);
    const password = 'partial-' + Date.now();
    project.env.PACKGATE_LOCAL_USER_PASSWORD = password;
    const result = await project.playwright(
      ['--project=demo-remote', '--grep', "accepts the app's registered callback"],
      { ...demoAtLocalStack(project, password), PACKGATE_STACK: 'always' },
    );
    expect(result.exitCode, result.output).toBe(1);
    const verdict = project.verdict();
    expect(verdict).toMatchObject({ verdict: 'BLOCKED', complete: false });
    const pack = verdict.packs.find(p => p.id === 'auth-session')!;
    expect(pack).toMatchObject({ status: 'NOT_RUN', blocks: true, tests: { total: 1, passed: 1 } });
    expect(pack.missingTests).toEqual([
      'remote: discovery names exactly the configured issuer and offers PKCE with S256',
      'remote: authorize refuses every unregistered variant of the callback and never redirects to one',
      'remote: a user signs in through the IdP and lands in the shell with their identity',
    ]);
    expect(pack.reason).toMatch(
      /^3 of 4 tests did not run \(filtered out, sharded out, or their project not selected\): /,
    );
    expect(verdict.problems.map(p => p.message)).toContainEqual(
      expect.stringContaining('this run selected part of the tests (--grep=accepts the app'),
    );
  });

  test('on dev, a subset judges what it selected and lists the rest as not selected', async ({}, testInfo) => {
    const project = await TempProject.create(testInfo);
    const result = await project.playwright(['--project=local-api', '--grep', 'a replayed callback']);
    expect(result.exitCode, result.output).toBe(0);
    const verdict = project.verdict();
    expect(verdict).toMatchObject({ verdict: 'PASS', complete: false });
    const pack = verdict.packs.find(p => p.id === 'auth-session')!;
    expect(pack).toMatchObject({ status: 'PASS', tests: { total: 1, passed: 1 } });
    expect(pack.missingTests).toHaveLength(9);
    expect(pack.reason).toMatch(/^the 1 selected test passed; 9 not selected: /);
    expect(verdict.packs.filter(p => p.id !== 'auth-session').map(p => p.status)).not.toContain('PASS');
    expect(verdict.headline).toBe('PASS: local (dev): 1 passed, 7 not selected, 9 of their tests not selected');
  });
});

test.describe('failures do not count as passes', () => {
  test('test.fail(), a test that asserts nothing, and a failing test outside the describe all fail their pack', async ({}, testInfo) => {
    const project = await TempProject.create(testInfo, {
      ...inlinePack({
        id: 'expected-failure',
        policy: { dev: 'blocking' },
        layer: 'api',
        body: `test.fail(); expect(1, 'fails, as declared').toBe(2);`,
      }),
      ...inlinePack({ id: 'no-assertion', policy: { dev: 'blocking' }, layer: 'api', body: `await env.name;` }),
      ...inlinePack({ id: 'outside', policy: { dev: 'blocking' }, layer: 'api', body: '' }),
      'packs/outside/api.spec.ts': `import { expect, test } from '../../fixtures/index.ts';

test.describe('@pack:outside', () => {
  test('inside the describe', () => expect(1).toBe(1));
});

test('outside the describe', () => expect(1, 'made to fail').toBe(2));
`,
      'packs/outside/tests.yaml': 'api.spec.ts:\n  - "@pack:outside › inside the describe"\n  - outside the describe\n',
    });
    const result = await project.playwright([
      '--project=local-api',
      'packs/expected-failure/',
      'packs/no-assertion/',
      'packs/outside/',
    ]);
    expect(result.exitCode, result.output).toBe(1);
    const verdict = project.verdict();
    expect(verdict.verdict).toBe('BLOCKED');
    const status = (id: string) => verdict.packs.find(p => p.id === id)!;
    expect(status('expected-failure')).toMatchObject({
      status: 'FAIL',
      blocks: true,
      tests: { passed: 0, failed: 1 },
      reason:
        'expected-failure journey is declared test.fail(): an expected failure proves no journey, so the gate counts it as failed',
    });
    expect(status('no-assertion')).toMatchObject({
      status: 'FAIL',
      blocks: true,
      reason:
        'no-assertion journey asserted nothing: a test passes the gate only when it checked something (call expect)',
    });
    expect(status('outside')).toMatchObject({ status: 'FAIL', blocks: true, tests: { passed: 1, failed: 1 } });
    expect(status('outside').reason).toContain('outside the describe failed: made to fail');
  });
});

test.describe('no verdict outlives its run', () => {
  test('--list leaves the verdict alone; a replaced reporter, a failed web server and a kill -9 leave BLOCKED', async ({}, testInfo) => {
    const project = await TempProject.create(testInfo);
    const pass = await project.playwright(['--project=local-api', 'packs/platform-proxy/']);
    expect(pass.exitCode, pass.output).toBe(0);
    const passed = project.read('gate-results/verdict.json');
    expect(JSON.parse(passed).verdict).toBe('PASS');

    const listed = await project.playwright(['--list']);
    expect(listed.exitCode, listed.output).toBe(0);
    expect(project.read('gate-results/verdict.json'), '--list must not touch the verdict').toBe(passed);

    const replaced = await project.playwright(['--project=local-api', 'packs/platform-proxy/', '--reporter=dot']);
    expect(replaced.exitCode, replaced.output).toBe(0);
    expect(project.verdict()).toMatchObject({
      verdict: 'BLOCKED',
      headline: 'BLOCKED: local (dev): no verdict: the gate reporter was replaced',
      packs: [],
    });
    expect(project.verdict().problems[0].message).toMatch(/^--reporter=dot replaced the gate reporter/);

    // The app's port taken: the stack cannot start, and the run ends before any test.
    // (It answers, 404: a stack that is not this run's, which the run must not reuse.)
    const blocker = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>(resolve =>
      blocker.listen(Number(new URL(project.env.PACKGATE_LOCAL_APP_URL).port), '127.0.0.1', resolve),
    );
    try {
      const noStack = await project.playwright(['--project=local-api', 'packs/platform-proxy/']);
      expect(noStack.exitCode, noStack.output).toBe(1);
      const verdict = project.verdict();
      expect(verdict).toMatchObject({ verdict: 'BLOCKED', headline: 'BLOCKED: local (dev): no verdict: no test ran' });
      expect(verdict.problems[0].message).toMatch(
        /^the run stopped before any test ran, so there is no verdict: .*webServer/,
      );
      // The stack's own words say why, and which variable moves it.
      const port = new URL(project.env.PACKGATE_LOCAL_APP_URL).port;
      expect(verdict.problems[0].message).toContain(
        `; stack:local said: packgate stack "local": cannot start the app (platform proxy) at ${project.env.PACKGATE_LOCAL_APP_URL}: ` +
          `port ${port} on 127.0.0.1 is already in use. (hint: stop that process, or move it to a free port with ` +
          'PACKGATE_LOCAL_APP_URL=http://127.0.0.1:<free-port>)',
      );
      expect(project.read('gate-results/summary.md')).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(verdict.runId).toBeTruthy();
      expect(verdict.runId).not.toBe(JSON.parse(passed).runId);
    } finally {
      blocker.close();
    }

    // Killed outright while its tests run: what it leaves says so, and is BLOCKED. (Playwright makes
    // test-results when the run's tests start: the folder of the runs before must not count.)
    fs.rmSync(path.join(project.dir, 'test-results'), { recursive: true, force: true });
    const run = project.start(
      [
        path.join(project.dir, 'node_modules/@playwright/test/cli.js'),
        'test',
        '--project=local-api',
        'packs/auth-session/',
      ],
      {},
    );
    await expect.poll(() => fs.existsSync(path.join(project.dir, 'test-results')), { timeout: 60_000 }).toBe(true);
    process.kill(-run.child.pid!, 'SIGKILL');
    await run.done;
    // Playwright starts web servers in process groups of their own: stop this run's stack too (its
    // command line does not name the project; its working directory does).
    killProcessesIn(project.dir);
    const killed = project.verdict();
    expect(killed).toMatchObject({
      verdict: 'BLOCKED',
      headline: 'BLOCKED: local (dev): no verdict: the run has not finished',
    });
    expect(killed.problems[0].message).toMatch(
      /has not reached a verdict: if this stays, the run ended before the gate reporter judged it/,
    );
  });
});

test("a run whose filters match none of its projects' tests (--pass-with-no-tests) says so, and its verdict says no test ran", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const run = await project.playwright(['--project=local-api', '--grep=no-such-test', '--pass-with-no-tests'], {
    PACKGATE_STACK: 'never',
  });
  expect(run.exitCode, run.output).toBe(1);
  // Before: "no packgate project ran ... (select one with --project=<env>-<layer>)", --project given,
  // and the verdict kept saying "the run has not finished" after it had.
  const why = "no test of local-api matched this run's filters (--grep=no-such-test), so there is no verdict";
  expect(run.stdout).toContain(`\npackgate: ${why}\n`);
  expect(run.output).not.toContain('select one with --project');
  expect(project.verdict()).toMatchObject({
    verdict: 'BLOCKED',
    headline: 'BLOCKED: local (dev): no verdict: no test ran',
    problems: [{ severity: 'error', message: why }],
  });
});

test.describe("the run's own flags cannot weaken a release verdict", () => {
  test('more retries than the environment allows block on a release stage, and the verdict records the flags', async ({}, testInfo) => {
    const project = await TempProject.create(testInfo);
    const password = 'retries-' + Date.now();
    project.env.PACKGATE_LOCAL_USER_PASSWORD = password;
    const result = await project.playwright(['--project=demo-remote', '--retries=5', '--workers=1'], {
      ...demoAtLocalStack(project, password),
      PACKGATE_STACK: 'always',
    });
    expect(result.exitCode, result.output).toBe(1);
    const verdict = project.verdict();
    expect(verdict.verdict).toBe('BLOCKED');
    expect(verdict.packs.every(p => p.status === 'PASS')).toBe(true);
    expect(verdict.run).toMatchObject({
      retries: 5,
      workers: 1,
      shard: null,
      filters: [],
      reporters: ['list', 'gate-reporter', 'junit', 'allure-reporter'],
      args: ['--project=demo-remote', '--retries=5', '--workers=1'],
    });
    expect(verdict.problems).toContainEqual({
      severity: 'error',
      message:
        'this run retried failures up to 5 times, but the environment allows 1 (gate.retries): extra retries turn failures into flakes; run without --retries',
    });
  });
});

test.describe('the output folder is never deleted unless packgate made it', () => {
  test('output_dir: . is refused before anything runs, and the project is intact', async ({}, testInfo) => {
    const project = await TempProject.create(testInfo);
    project.edit('packgate.yaml', text => text.replace('output_dir: gate-results', 'output_dir: .'));
    const result = await project.playwright(['--project=local-api', 'packs/platform-proxy/']);
    expect(result.exitCode, result.output).toBe(2);
    expect(result.stderr).toContain('packgate.yaml:');
    expect(result.stderr).toContain('output_dir');
    expect(result.stderr).toContain('not the project itself');
    expect(project.exists('packs/auth-session/pack.yaml')).toBe(true);
  });

  test('a folder holding files packgate did not write is refused, and kept', async ({}, testInfo) => {
    const project = await TempProject.create(testInfo);
    project.write({ 'reports/keep-me.txt': "not the gate's" });
    const result = await project.playwright(['--project=local-api', 'packs/platform-proxy/'], {
      PACKGATE_OUTPUT_DIR: path.join(project.dir, 'reports'),
    });
    expect(result.exitCode, result.output).toBe(2);
    expect(result.stderr).toContain('holds files packgate did not write (keep-me.txt)');
    expect(project.read('reports/keep-me.txt')).toBe("not the gate's");
  });
});

/** Kills every process whose working directory is `dir` or below it (Linux's /proc). */
function killProcessesIn(dir: string): void {
  for (const pid of fs.readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
    let cwd: string;
    try {
      cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // gone, or not ours to read
    }
    if (cwd === dir || cwd.startsWith(`${dir}/`)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  }
}
