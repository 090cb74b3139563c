import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { startManualRun, withManualCheck, type ManualRun } from '../helpers/manual-run.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * The person is a scripted stand-in: it connects to the headed browser `manual run` opened (under
 * Xvfb) through the remote debugging port it printed, checks the page, closes it, and answers.
 */
test('manual run: a headed browser signed in at the start, its trace and video kept redacted with the verdict', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  withManualCheck(project);
  const password = 'manual-run-' + Date.now();
  project.env.PACKGATE_LOCAL_USER_PASSWORD = password;
  // Refused before anything opens: another lane (exit 1), a check the pack does not have (exit 2); nothing recorded.
  const target = ['--pack', 'auth-session', '--env', 'local'];
  const otherLane = await project.packgate([
    'manual',
    'record',
    ...target,
    '--check',
    'shell-greets',
    '--result',
    'pass',
    '--lane',
    'A-web',
  ]);
  expect(otherLane.exitCode, otherLane.output).toBe(1);
  expect(otherLane.stderr).toContain(
    'lane A-web may not record manual check auth-session/shell-greets: its lane is C-ops',
  );
  // Evidence that is not there, or a folder: said which, exit 2, nothing recorded.
  fs.mkdirSync(path.join(project.dir, 'shots'));
  for (const [evidence, said] of [
    ['nope.png', 'evidence nope.png: no such file; nothing recorded'],
    ['shots', 'evidence shots: a folder, not a file; nothing recorded'],
  ]) {
    const bad = await project.packgate([
      ...['manual', 'record', ...target, '--check', 'shell-greets', '--result', 'pass', '--lane', 'C-ops'],
      ...['--evidence', evidence],
    ]);
    expect(bad.exitCode, bad.output).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(`packgate: ${said}`);
  }
  const misspelt = await project.packgate([
    'manual',
    'run',
    ...target,
    '--check',
    'shell-greet',
    '--lane',
    'C-ops',
    '--json',
  ]);
  expect(misspelt.exitCode, misspelt.output).toBe(2);
  expect(JSON.parse(misspelt.stdout)).toMatchObject({
    ok: false,
    error: {
      code: 'INPUT_INVALID',
      message: 'pack auth-session has no manual check "shell-greet"',
      hint: 'did you mean "shell-greets"?',
    },
  });
  // Without a display (no X server, no Wayland), said before anything opens: exit 2.
  const headless = await project.packgate(['manual', 'run', ...target, '--check', 'shell-greets', '--lane', 'C-ops'], {
    DISPLAY: '',
    WAYLAND_DISPLAY: '',
  });
  expect(headless.exitCode, headless.output).toBe(2);
  expect(headless.stderr).toContain('this machine has no display (DISPLAY is not set)');
  expect(headless.stderr).toContain('xvfb-run -a npx packgate manual run');
  expect(headless.stderr).not.toContain('manual check auth-session/shell-greets');
  expect(project.exists('.packgate/queue.db')).toBe(false);
  const stack = await project.startStack();
  let run: ManualRun | undefined;
  try {
    // A sign-in the IdP refuses ends the run at the step, in its words: exit 1, no stack trace.
    const refused = startManualRun(
      project,
      [...target, '--check', 'shell-greets', '--lane', 'C-ops', '--result', 'pass'],
      { PACKGATE_LOCAL_USER_PASSWORD: `${password}-wrong` },
    );
    expect(await refused.exited, refused.stderr()).toBe(1);
    expect(refused.stderr()).toContain(
      'packgate: the browser could not sign in as "ada" in environment "local": ' +
        'sign-in failed at step "idp-accepted-credentials": the IdP refused the credentials of "ada"',
    );
    expect(refused.stderr()).toContain('hint: `packgate env check local` checks');
    expect(refused.stderr(), 'no stack trace').not.toMatch(/^\s+at /m);

    run = startManualRun(project, [
      ...['--pack', 'auth-session', '--env', 'local', '--check', 'shell-greets'],
      ...['--lane', 'C-ops', '--actor', 'carol', '--json'],
    ]);
    const endpoint = await run.said(/remote debugging: (http:\/\/127\.0\.0\.1:\d+)/);
    // The steps and the expected result were shown first.
    expect(run.stderr()).toContain(
      'manual check auth-session/shell-greets: The shell greets the signed-in user\n  1. Look at the header\n',
    );
    expect(run.stderr()).toContain('  expected: The header names the signed-in user\n');
    const browser = await chromium.connectOverCDP(endpoint);
    const page = browser
      .contexts()
      .flatMap(c => c.pages())
      .find(p => p.url().includes('/shell'))!;
    expect(page, 'the page at the start URL').toBeTruthy();
    // Signed in as the pack's identity, through the real sign-in.
    await expect(page.locator('[data-testid=user-identity]')).toContainText('Ada');
    // A page the person opens from it is filmed too; closing the start page ends the check.
    const [second] = await Promise.all([
      page.context().waitForEvent('page'),
      page.evaluate(() => void window.open(location.href)),
    ]);
    await expect(second.locator('[data-testid=user-identity]')).toContainText('Ada');
    await page.close();
    await browser.close();
    await run.said('pass or fail? ');
    run.stdin.write('pass\n');
    await run.said('note: ');
    run.stdin.end('greets Ada\n');
    expect(await run.exited, run.stderr()).toBe(0);
  } finally {
    run?.kill();
    stack.kill('SIGTERM');
  }
  const { verdict } = JSON.parse(run.stdout()) as {
    verdict: { evidence: Array<{ name: string; digest: string; size: number }> } & Record<string, unknown>;
  };
  expect(verdict).toMatchObject({
    pack: 'auth-session',
    environment: 'local',
    check: 'shell-greets',
    result: 'pass',
    note: 'greets Ada',
    source: 'run',
    recordedBy: 'carol',
    lane: 'C-ops',
  });
  expect(Date.parse(verdict.expiresAt as string) - Date.parse(verdict.recordedAt as string)).toBe(2 * 86_400_000);
  expect(verdict.evidence.map(e => e.name)).toEqual(['trace.zip', 'video.mjpeg', 'video-2.mjpeg']);
  const blob = (digest: string) =>
    fs.readFileSync(path.join(project.dir, '.packgate/evidence/sha256', digest.slice(0, 2), digest));
  // The trace holds the session, the sign-in's typing of the password redacted; the video was kept.
  const trace = unzipSync(blob(verdict.evidence[0].digest));
  const text = Object.values(trace)
    .map(bytes => Buffer.from(bytes).toString('latin1'))
    .join('\n');
  expect(Object.keys(trace).some(name => name.endsWith('.trace'))).toBe(true);
  expect(text).toContain('/shell');
  expect(text).toContain('[REDACTED]');
  expect(text).not.toContain(password);
  for (const film of verdict.evidence.slice(1)) {
    const video = blob(film.digest);
    expect(video.length).toBeGreaterThan(1000);
    // Motion JPEG: JPEG frames one after another, the first at the start (how many more the browser
    // sent before the page closed depends on how busy the machine is).
    expect(video.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    expect(video.toString('latin1').split('\xff\xd8\xff').length - 1).toBeGreaterThan(0);
  }
});

test("Ctrl-C while the person answers: the session's unredacted trace and videos are not left in the temp folder", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  withManualCheck(project);
  // Its own temp folder, short: Chromium's socket path under it must fit in 108 bytes.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-'));
  const stack = await project.startStack();
  let run: ManualRun | undefined;
  try {
    run = startManualRun(
      project,
      ['--pack', 'auth-session', '--env', 'local', '--check', 'shell-greets', '--lane', 'C-ops'],
      { TMPDIR: tmp },
    );
    const endpoint = await run.said(/remote debugging: (http:\/\/127\.0\.0\.1:\d+)/);
    const browser = await chromium.connectOverCDP(endpoint);
    for (const page of browser.contexts().flatMap(c => c.pages())) await page.close();
    await browser.close();
    await run.said('pass or fail? ');
    expect(fs.readdirSync(tmp).filter(name => name.startsWith('packgate-manual-'))).toHaveLength(1);
    run.interrupt();
    expect(await run.exited, run.stderr()).toBe(130);
  } finally {
    run?.kill();
    stack.kill('SIGTERM');
  }
  expect(fs.readdirSync(tmp).filter(name => name.startsWith('packgate-manual-'))).toEqual([]);
  expect(project.exists('.packgate/queue.db')).toBe(false);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('refused before a browser opens, the hint says what to do: where to record it, where to declare one, how to start the stack', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  withManualCheck(project);
  const record = (pack: string, env: string, check: string) =>
    project.packgate([
      ...['manual', 'record', '--pack', pack, '--env', env, '--check', check],
      ...['--result', 'pass', '--lane', 'C-ops'],
    ]);
  // README's `manual record --pack demo-deploy --env demo --check looks-right`, before demo-deploy declares it.
  const undeclared = await record('demo-deploy', 'demo', 'looks-right');
  expect(undeclared.exitCode, undeclared.output).toBe(2);
  expect(undeclared.stderr).toBe(
    'packgate: pack demo-deploy has no manual check "looks-right"\n' +
      '  hint: packs/demo-deploy/pack.yaml declares no manual checks: add it under manual: ' +
      '(id, title, start, steps, expected, lane, valid_for), with manual among its layers\n',
  );
  // Environments that run auth-session but not its manual layer: the one that judges it is named.
  for (const env of ['demo', 'parity']) {
    const elsewhere = await record('auth-session', env, 'shell-greets');
    expect(elsewhere.exitCode, elsewhere.output).toBe(2);
    expect(elsewhere.stderr).toBe(
      `packgate: environment ${env} does not run the manual layer: no gate there would read the verdict\n` +
        "  hint: record it for an environment that judges auth-session's manual checks: local\n",
    );
  }
  expect(project.exists('.packgate/queue.db')).toBe(false);

  // Its stack not started (a gate run starts it, a manual check does not): the sign-in's first step
  // fails, and the hint says how to start it.
  const down = startManualRun(project, [
    ...['--pack', 'auth-session', '--env', 'local', '--check', 'shell-greets', '--lane', 'C-ops', '--result', 'pass'],
  ]);
  expect(await down.exited, down.stderr()).toBe(1);
  expect(down.stderr()).toContain('sign-in failed at step "app-sent-to-idp": could not open http://127.0.0.1:');
  expect(down.stderr()).toContain(
    "  hint: `packgate env check local` checks its URLs, its IdP and each account's sign-in; " +
      'its stack must be up: `npx packgate stack start --env local`\n',
  );
  expect(project.exists('.packgate/queue.db')).toBe(false);
});
