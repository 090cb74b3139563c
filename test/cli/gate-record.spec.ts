import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Handoff } from '../../src/loop/handoff-schema.ts';
import type { GateRun } from '../../src/store/queue-schema.ts';
import { sha256 } from '../../src/store/blobs.ts';
import { writeGateOutput } from '../helpers/gate-output.ts';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

test('a gate run with TASK_ID set records itself on the task with its evidence digests; handoff lists it; a changed byte shows', async ({}, testInfo) => {
  test.setTimeout(180_000);
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  expect((await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1'])).exitCode).toBe(0);
  const worktree = `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`;

  const gate = await project.playwright(['--project=local-api', 'packs/auth-session/'], worktree, {
    TASK_ID: EXAMPLE_TASK,
  });
  expect(gate.exitCode, gate.output).toBe(0);
  // The gate reporter recorded the run itself, on the task TASK_ID named.
  const show = await project.json<{ gateRuns: GateRun[] }>(['task', 'show', EXAMPLE_TASK]);
  expect(show.body.gateRuns).toHaveLength(1);
  const run = show.body.gateRuns[0];
  expect(run).toMatchObject({ taskId: EXAMPLE_TASK, environment: 'local', verdict: 'PASS', projects: ['local-api'] });
  expect(run.gitCommit).toBe(project.git(['rev-parse', 'HEAD'], worktree).trim());
  expect(run.packs).toContainEqual(expect.objectContaining({ pack: 'auth-session', status: 'PASS' }));
  expect(run.packs.filter(p => p.pack !== 'auth-session').every(p => p.status === 'NOT_SELECTED')).toBe(true);
  for (const file of run.evidence)
    expect(file.digest, file.path).toBe(sha256(fs.readFileSync(`${worktree}/gate-results/${file.path}`)));
  // The gate's own files, then (handed over again after its last attestation) the attestation and
  // the reports written after the gate.
  const paths = run.evidence.map(e => e.path);
  expect(paths.filter(p => !p.startsWith('allure-results/'))).toEqual([
    'attestation.intoto.json',
    'evidence/auth-session/evidence.json',
    'junit.xml',
    'summary.md',
    'verdict.json',
  ]);
  expect(paths.some(p => /^allure-results\/.+-result\.json$/.test(p))).toBe(true);

  // Recording the same output again, as the loop's next step in the README does, finds the one record.
  const again = await project.packgate(['gate', 'record'], {}, worktree);
  expect(again.stdout).toMatch(
    new RegExp(
      `^gate run #${run.id} is this run, recorded already on task ${EXAMPLE_TASK} \\(attestation subjects sha256 [0-9a-f]{12}\\): nothing new recorded\n$`,
    ),
  );
  expect(again.exitCode).toBe(0);
  expect((await project.json<{ gateRuns: GateRun[] }>(['task', 'show', EXAMPLE_TASK])).body.gateRuns).toEqual([run]);

  const handoff = await project.packgate(['handoff', '--task', EXAMPLE_TASK, '--dry-run', '--json'], {}, worktree);
  const doc = (JSON.parse(handoff.stdout) as { handoff: Handoff }).handoff;
  expect(doc.commands[0]).toMatchObject({
    command: 'npx playwright test --project=local-api packs/auth-session/',
    result: 'pass',
    run: run.id,
  });
  expect(doc.evidence.map(e => [e.path, e.digest, e.status])).toEqual(run.evidence.map(e => [e.path, e.digest, 'ok']));

  const verdict = run.evidence.find(e => e.path === 'verdict.json')!;
  const blob = `${project.dir}/.packgate/evidence/sha256/${verdict.digest.slice(0, 2)}/${verdict.digest}`;
  fs.chmodSync(blob, 0o644);
  fs.appendFileSync(blob, ' ');
  const tampered = await project.packgate(['handoff', '--task', EXAMPLE_TASK, '--dry-run'], {}, worktree);
  expect(tampered.stdout).toContain(
    `evidence verdict.json of gate run #${run.id} (sha256 ${verdict.digest}) is changed since it was stored`,
  );
  expect(tampered.exitCode).toBe(1);
});

test('without a task the run is recorded as a release-gate run of its environment', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  writeGateOutput(`${project.dir}/gate-results`);
  // Allure's results, a file per test and attachment, are one line; --json lists each.
  project.write({
    'gate-results/allure-results/a-result.json': '{}\n',
    'gate-results/allure-results/b-container.json': '{}\n',
  });
  const result = await project.packgate(['gate', 'record']);
  expect(result.stdout).toMatch(/^gate run #1 recorded as a release-gate run of local: PASS, 5 evidence files\n/);
  expect(result.stdout).toMatch(/^ {2}sha256:[0-9a-f]{64} {2}verdict\.json$/m);
  expect(result.stdout).toContain('\n  allure-results/ 2 files (--json lists each)\n');
  expect(result.stdout).not.toContain('a-result.json');
  expect(result.exitCode).toBe(0);
});

test('a narrowed run is recorded as narrowed, saying what narrowed it: not as a release-gate run', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  writeGateOutput(`${project.dir}/gate-results`, {
    verdict: { complete: false, narrowed: ['packs/auth-session/', 'not selected: local-browser'] },
  });
  const result = await project.packgate(['gate', 'record']);
  expect(result.stdout).toMatch(
    /^gate run #1 recorded as a narrowed run of local \(packs\/auth-session\/; not selected: local-browser\), not a release-gate run: PASS, /,
  );
  expect(result.exitCode).toBe(0);

  // A verdict from before the gate said what narrowed it: its filters and shard say so.
  const flags = { retries: 1, repeatEach: 1, workers: 2, maxFailures: 0, reporters: ['gate-reporter'], args: [] };
  writeGateOutput(`${project.dir}/gate-results`, {
    verdict: { startedAt: '2026-11-26T02:00:00.000Z', run: { ...flags, shard: '2/4', filters: ['--grep=login'] } },
  });
  const older = await project.packgate(['gate', 'record', '--json']);
  expect(JSON.parse(older.stdout)).toMatchObject({ run: { id: 2, narrowed: ['--grep=login', '--shard=2/4'] } });
});

test('in a task worktree without TASK_ID, a run is recorded on that task, not as a release-gate run', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  expect((await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1'])).exitCode).toBe(0);
  const worktree = `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`;
  writeGateOutput(`${worktree}/gate-results`);
  const result = await project.packgate(['gate', 'record'], {}, worktree);
  expect(result.stdout).toMatch(new RegExp(`^gate run #1 recorded on task ${EXAMPLE_TASK}: PASS`));
  expect(result.exitCode).toBe(0);
});

test('the same output recorded twice is one gate run: said so, nothing new written', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  writeGateOutput(`${project.dir}/gate-results`);
  const first = await project.json<{ run: GateRun; created: boolean }>(['gate', 'record', '--task', EXAMPLE_TASK]);
  expect(first.body.created).toBe(true);
  const before = project.storeSnapshot();
  const again = await project.json<{ run: GateRun; created: boolean }>(['gate', 'record'], { TASK_ID: EXAMPLE_TASK });
  expect(again.body).toMatchObject({ ok: true, created: false, run: first.body.run });
  expect(again.result.exitCode).toBe(0);
  const other = await project.packgate(['gate', 'record', '--task', 'GHOST']);
  expect(other.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test('bad input: no verdict, a verdict that is not one, an unknown task: exit 2, store unchanged', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const before = project.storeSnapshot();
  const none = await project.packgate(['gate', 'record']);
  expect(none.stderr).toBe(
    `packgate: no verdict at ${project.dir}/gate-results/verdict.json\n  hint: run the gate first (npx playwright test), or point --output at its folder\n`,
  );
  expect(none.exitCode).toBe(2);

  project.write({ 'gate-results/verdict.json': '{"schemaVersion": 1, "verdict": "PASS",}' });
  const notJson = await project.packgate(['gate', 'record']);
  expect(notJson.stderr).toMatch(/^packgate: .*verdict\.json is not JSON: /);
  expect(notJson.exitCode).toBe(2);

  project.write({ 'gate-results/verdict.json': JSON.stringify({ schemaVersion: 1, verdict: 'PASS' }, null, 2) });
  const notVerdict = await project.packgate(['gate', 'record']);
  expect(notVerdict.stderr).toContain('verdict.json:1:1 headline: missing required field "headline"');
  expect(notVerdict.exitCode).toBe(2);

  writeGateOutput(`${project.dir}/gate-results`);
  const unknown = await project.packgate(['gate', 'record', '--task', 'GHOST']);
  expect(unknown.stderr).toBe(
    'packgate: no task GHOST in the queue store\n  hint: list tasks with: packgate task list\n',
  );
  expect(unknown.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});
