import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { storeSink } from '../../src/loop/gate-run-sink.ts';
import { attestGateOutput } from '../../src/evidence/attest.ts';
import { recordGateRun, recordGateRunInProjectStore } from '../../src/loop/record-gate-run.ts';
import { sha256 } from '../../src/store/blobs.ts';
import { openProjectStore } from '../../src/store/open.ts';
import { writeGateOutput } from '../helpers/gate-output.ts';
import { GIT_IDENTITY } from '../helpers/task-project.ts';
import { copyProject } from '../helpers/temp-project.ts';
import { readyTask } from './contract/helpers.ts';
import { expect, forEachAdapter, test } from './fixtures.ts';

forEachAdapter(() => {
  test('a gate output folder is recorded on its task: verdict, packs, reasons, evidence by digest', async ({
    openTestStore,
  }, testInfo) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    const dir = testInfo.outputPath('gate-results');
    writeGateOutput(dir, { status: 'FAIL', trace: true });
    const { run } = await recordGateRun(store, {
      outputDir: dir,
      taskId: 'T-1',
      gitCommit: 'c0ffee',
      gitDirty: true,
      actor: 'ci',
    });
    expect(run).toMatchObject({
      taskId: 'T-1',
      environment: 'local',
      stage: 'dev',
      verdict: 'BLOCKED',
      gitCommit: 'c0ffee',
      gitDirty: true,
      command: 'npx playwright test --project=local-api',
      recordedBy: 'ci',
      packs: [{ pack: 'auth-session', status: 'FAIL', blocks: true, reason: 'the IdP refused the redirect_uri' }],
      problems: [],
    });
    const files = [
      'verdict.json',
      'summary.md',
      'evidence/auth-session/evidence.json',
      'evidence/auth-session/sign-in/attempt-2-trace.zip',
    ];
    expect(run.evidence.map(e => e.path).sort()).toEqual([...files].sort());
    for (const file of files) {
      const content = fs.readFileSync(`${dir}/${file}`);
      expect(run.evidence.find(e => e.path === file)).toMatchObject({ digest: sha256(content), size: content.length });
      expect(await store.blobs.get(sha256(content))).toEqual(content);
    }
    expect(run.verdictDigest).toBe(sha256(fs.readFileSync(`${dir}/verdict.json`)));
  });

  test('without a task the run is a release-gate run of its environment', async ({ openTestStore }, testInfo) => {
    const store = await openTestStore();
    const dir = testInfo.outputPath('gate-results');
    writeGateOutput(dir);
    const { run } = await recordGateRun(store, { outputDir: dir });
    expect(run).toMatchObject({ taskId: null, environment: 'local', verdict: 'PASS' });
    expect((await store.gateRuns({ environment: 'local' })).map(r => r.id)).toEqual([run.id]);
  });

  test('one run recorded twice (the gate, then gate record) is one record; a changed file is another run', async ({
    openTestStore,
  }, testInfo) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await readyTask(store, 'T-2');
    const dir = testInfo.outputPath('gate-results');
    writeGateOutput(dir);
    const first = await recordGateRun(store, { outputDir: dir, taskId: 'T-1' });
    expect(first.created).toBe(true);
    expect(first.run.subjectDigest).toMatch(/^[0-9a-f]{64}$/);
    // The gate attests its outputs after it has recorded them: the attestation is no part of the run's
    // identity, and is added to the run once it exists.
    attestGateOutput(dir, { commit: null, key: null, env: {} });
    const again = await recordGateRun(store, { outputDir: dir });
    const attestation = {
      path: 'attestation.intoto.json',
      pack: null,
      digest: expect.any(String),
      size: expect.any(Number),
    };
    expect(again).toEqual({ run: { ...first.run, evidence: [attestation, ...first.run.evidence] }, created: false });
    expect(await recordGateRun(store, { outputDir: dir, taskId: 'T-1' })).toEqual(again);
    expect(await store.stats()).toMatchObject({ gateRuns: 1, evidence: 4 });

    const before = await store.stats();
    const elsewhere = recordGateRun(store, { outputDir: dir, taskId: 'T-2' });
    await expect(elsewhere).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(elsewhere).rejects.toThrow(
      `this gate run is recorded already, as gate run #${first.run.id} on task T-1, not on task T-2: one run is one record\n` +
        '  hint: to prove task T-2, run the gate again with TASK_ID=T-2',
    );
    expect(await store.stats()).toEqual(before);

    fs.appendFileSync(`${dir}/summary.md`, 'edited\n');
    const changed = await recordGateRun(store, { outputDir: dir, taskId: 'T-1' });
    expect(changed.created).toBe(true);
    expect(changed.run.subjectDigest).not.toBe(first.run.subjectDigest);
    expect(await store.stats()).toMatchObject({ gateRuns: 2 });
  });

  test('an evidence file the verdict lists but the folder lacks is a warning of the run, not a silent gap', async ({
    openTestStore,
  }, testInfo) => {
    const store = await openTestStore();
    const dir = testInfo.outputPath('gate-results');
    writeGateOutput(dir, { trace: true, skipFiles: ['evidence/auth-session/sign-in/attempt-2-trace.zip'] });
    const { run } = await recordGateRun(store, { outputDir: dir });
    expect(run.problems).toEqual([
      {
        severity: 'warning',
        message:
          'evidence evidence/auth-session/sign-in/attempt-2-trace.zip listed in verdict.json is missing: not stored',
      },
    ]);
  });

  test('a verdict that is not a packgate verdict is refused with every problem, nothing recorded', async ({
    openTestStore,
  }, testInfo) => {
    const store = await openTestStore();
    const dir = testInfo.outputPath('gate-results');
    writeGateOutput(dir, { verdict: { verdict: 'MAYBE' as never, stage: 'moon' as never } });
    const recording = recordGateRun(store, { outputDir: dir });
    await expect(recording).rejects.toMatchObject({ code: 'EVIDENCE_INVALID' });
    await expect(recording).rejects.toThrow(
      /verdict\.json:3:14 verdict: expected one of "PASS", "PASS_WITH_WARNINGS", "BLOCKED", got "MAYBE"/,
    );
    await expect(recording).rejects.toThrow(/verdict\.json:6:12 stage: expected one of/);
    expect(await store.stats()).toMatchObject({ gateRuns: 0 });
  });

  test('a run on an unknown task is refused and nothing is recorded', async ({ openTestStore }, testInfo) => {
    const store = await openTestStore();
    const dir = testInfo.outputPath('gate-results');
    writeGateOutput(dir);
    await expect(recordGateRun(store, { outputDir: dir, taskId: 'GHOST' })).rejects.toMatchObject({
      code: 'TASK_UNKNOWN',
    });
    expect(await store.stats()).toMatchObject({ gateRuns: 0, evidence: 0 });
  });
});

test.describe('for the gate reporter', () => {
  test("as the gate's sink: a finished run is recorded, and a failure is a warning for the verdict", async ({}, testInfo) => {
    const root = testInfo.outputPath('project');
    copyProject(root);
    const outputDir = `${root}/gate-results`;
    const verdict = writeGateOutput(outputDir);
    const sink = storeSink({});
    expect(sink.name).toBe('queue store');
    expect(await sink.record({ root, outputDir, verdict })).toBeUndefined();
    const store = await openProjectStore(root, {});
    try {
      expect(await store.gateRuns({ environment: 'local' })).toEqual([
        expect.objectContaining({ taskId: null, verdict: 'PASS', projects: ['local-api'] }),
      ]);
    } finally {
      await store.close();
    }
    expect(await storeSink({ TASK_ID: 'GHOST-1' }).record({ root, outputDir, verdict })).toEqual({
      severity: 'warning',
      message: 'queue store: this run was not recorded on task GHOST-1: no task GHOST-1 in the queue store',
    });
  });

  test("records on the task TASK_ID names, at the project's git commit", async ({}, testInfo) => {
    const root = testInfo.outputPath('project');
    copyProject(root);
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...GIT_IDENTITY } }).trim();
    git('init', '-q');
    git('add', 'packgate.yaml');
    git('commit', '-q', '-m', 'x');
    const store = await openProjectStore(root, {});
    await readyTask(store, 'T-1');
    await store.close();
    writeGateOutput(`${root}/gate-results`);
    const { run, problem } = await recordGateRunInProjectStore({
      root,
      outputDir: `${root}/gate-results`,
      env: { TASK_ID: 'T-1' },
    });
    expect(problem).toBeUndefined();
    expect(run).toMatchObject({ taskId: 'T-1', verdict: 'PASS', gitCommit: git('rev-parse', 'HEAD'), gitDirty: true });
  });

  test('never throws: a store that cannot be written comes back as a problem for the verdict', async ({}, testInfo) => {
    const root = testInfo.outputPath('project');
    copyProject(root);
    writeGateOutput(`${root}/gate-results`);
    const unknownTask = await recordGateRunInProjectStore({
      root,
      outputDir: `${root}/gate-results`,
      env: { TASK_ID: 'GHOST-1' },
    });
    expect(unknownTask).toEqual({
      problem: {
        severity: 'warning',
        message: 'queue store: this run was not recorded on task GHOST-1: no task GHOST-1 in the queue store',
      },
    });
    // A store path that is a folder, not a database.
    fs.mkdirSync(`${root}/.packgate/broken.db`, { recursive: true });
    const manifest = fs.readFileSync(`${root}/packgate.yaml`, 'utf8');
    fs.writeFileSync(`${root}/packgate.yaml`, manifest.replace(/^store: .*$/m, 'store:\n  path: .packgate/broken.db'));
    const unwritable = await recordGateRunInProjectStore({ root, outputDir: `${root}/gate-results`, env: {} });
    expect(unwritable.problem?.severity).toBe('warning');
    expect(unwritable.problem?.message).toMatch(
      /^queue store: this run was not recorded: cannot open the queue store .*broken\.db: a folder, not a file$/,
    );
  });
});
