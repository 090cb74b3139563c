import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ATTESTATION_FILE, attestGateOutput, publishedFiles } from '../../src/evidence/attest.ts';
import type { PackStatus, PackVerdict, VerdictFile } from '../../src/schema/verdict.ts';
import type { EvidenceRef, TaskKind, TaskState } from '../../src/store/queue-schema.ts';
import type { QueueStore, StoreOptions } from '../../src/store/queue-store.ts';
import { writeGateOutput } from './gate-output.ts';

/** Strings that would run if a page put them into HTML unescaped: each must show as text. */
export const XSS = [
  '<script>window.__xss = 1; alert(1)</script>',
  '<img src=x onerror="window.__xss = 2; alert(2)">',
  '"><svg onload="window.__xss = 3; alert(3)">',
  'javascript:alert(4)',
  '\'"`><iframe src="javascript:alert(5)"></iframe>',
  '</title></textarea><script>alert(6)</script>',
  '{{constructor.constructor("alert(7)")()}}',
] as const;

/** Evidence file names from the corpus (no `/`: a name, not a folder). */
export const XSS_FILE = '<img src=x onerror=alert(8)>.txt';

export const DAYS = 5;
export const ENVIRONMENTS = [
  { name: 'local', stage: 'dev' as const },
  { name: 'demo', stage: 'demo' as const },
];
export const PACKS = ['auth-session', 'workspace-launch'] as const;

/** The seeded statuses: per environment and pack, one per day, oldest first. */
export const STATUSES: Record<string, Record<(typeof PACKS)[number], PackStatus[]>> = {
  local: {
    'auth-session': ['PASS', 'PASS', 'FLAKY', 'PASS', 'PASS'],
    'workspace-launch': ['PASS', 'FAIL', 'PASS', 'PASS', 'PASS'],
  },
  demo: {
    'auth-session': ['PASS', 'PASS', 'PASS', 'PASS', 'PASS'],
    'workspace-launch': ['PASS', 'PASS', 'FAIL', 'FAIL', 'FAIL'],
  },
};

/** Whether a status blocks: a failure does; on dev a flaky pass warns only. */
export function blocks(status: PackStatus): boolean {
  return status === 'FAIL';
}

export function dayStart(day: number, environment: string): string {
  return new Date(
    Date.parse('2026-11-20T10:00:00Z') + day * 86_400_000 + (environment === 'demo' ? 3_600_000 : 0),
  ).toISOString();
}

export type Seeded = {
  /** Run ids by environment, oldest first. */
  runs: Record<string, number[]>;
  /** A run whose junit-like file changed after it was attested. */
  changedRun: number;
  /** A run signed with `publicKey`. */
  signedRun: number;
  publicKey: KeyObject;
  /** A run on a task, with a screenshot and a trace. */
  taskRun: number;
  tasks: Record<TaskState, string>;
};

type Open = (options?: StoreOptions) => Promise<QueueStore>;

/**
 * A store with something of everything the dashboard shows: a task in every state (one held by a
 * stale session), an escalation, a release hold, events of every section, and release-gate runs of
 * two environments over five days (demo BLOCKED since day 2), each with evidence attested as the gate
 * attests it, XSS strings in titles, reasons, notes and file names. `open` opens the store with a
 * clock; the stale hold is taken with one two hours behind.
 */
export async function seedDashboard(
  open: Open,
  workDir: string,
  extra: { screenshot?: Buffer; trace?: Buffer } = {},
): Promise<Seeded> {
  const past = await open({ now: () => new Date(Date.now() - 2 * 3_600_000) });
  const store = await open();
  const tasks: Record<TaskState, string> = {
    proposed: 'T-PROPOSED',
    ready: 'T-READY',
    in_progress: 'T-PROGRESS',
    in_review: 'T-REVIEW',
    done: 'T-DONE',
    parked: 'T-PARKED',
    blocked: 'T-BLOCKED',
    escalated: 'T-ESCALATED',
  };
  const create = async (id: string, title: string, lane: string, kind: TaskKind, pack: string, environment: string) =>
    store.createTask(
      {
        id,
        title,
        state: 'ready',
        kind,
        ownerLane: lane,
        trackId: 'track-dash',
        packet: { task_id: id, owner_lane: lane, goal: title, workflow_regression_pack: pack, environment },
        packetDigest: `digest-${id}`,
      },
      'seeder',
    );
  await store.createTask({ id: tasks.proposed, title: XSS[0], ownerLane: 'A-web' }, 'seeder');
  for (const [state, id] of Object.entries(tasks)) {
    if (state === 'proposed') continue;
    const lane = state === 'in_review' || state === 'done' ? 'A-web' : 'C-ops';
    await create(
      id,
      `task ${state}`,
      lane,
      'feature',
      state === 'done' ? 'workspace-launch' : 'auth-session',
      state === 'parked' ? 'local' : 'demo',
    );
  }
  const live = { id: 'session-live', actor: 'agent-live', host: 'host-a', pid: 1 };
  await store.claim(tasks.in_progress, { session: live, actor: 'agent-live', reason: 'picked up' });
  await past.claim(tasks.in_review, {
    session: { id: 'session-old', actor: 'agent-old', host: 'host-b', pid: 2 },
    actor: 'agent-old',
    reason: 'go',
  });
  await store.transition(tasks.in_review, { to: 'in_review', actor: 'agent-old', reason: XSS[1] });
  await create('T-STALE', 'held by a silent session', 'C-ops', 'feature', 'auth-session', 'demo');
  await past.claim('T-STALE', {
    session: { id: 'session-silent', actor: 'agent-silent', host: 'host-c', pid: 3 },
    actor: 'agent-silent',
    reason: 'go',
  });
  await store.claim(tasks.done, { session: live, actor: 'agent-live', reason: 'go' });
  await store.transition(tasks.done, {
    to: 'in_review',
    actor: 'agent-live',
    reason: 'handed off',
    event: { kind: 'handoff', body: { summary: XSS[2] } },
  });
  await store.transition(tasks.done, { to: 'done', actor: 'reviewer', reason: 'accepted' });
  await store.transition(tasks.parked, { to: 'parked', actor: 'coordinator', reason: 'later' });
  await store.transition(tasks.blocked, { to: 'blocked', actor: 'coordinator', reason: XSS[5] });
  await store.claim(tasks.escalated, { session: live, actor: 'agent-live', reason: 'go' });
  await store.escalate({
    taskId: tasks.escalated,
    source: 'drift',
    to: 'P-platform',
    reason: XSS[3],
    details: null,
    crossed: [{ path: 'stack/x.ts', kind: 'must-not-touch', boundary: 'must_not_touch stack/**', lane: 'P-platform' }],
    paths: ['stack/x.ts'],
    base: 'abc',
    head: 'def',
    stopConditions: ['stop'],
    createdBy: 'agent-live',
  });
  await store.addEvent(tasks.ready, 'note', { note: XSS[4] }, 'coordinator');
  // An older packgate's closeout: shown field by field, its note too (a checkpoint's words leave its note out).
  await store.addEvent(
    tasks.in_review,
    'watch',
    { closeout: 'watched run closed', verdict: 'PASS', note: XSS[6] },
    'watcher',
  );
  await store.addEvent(tasks.in_review, 'checkpoint', { decision: 'continue', note: XSS[6] }, 'coordinator');
  await create('BUG-1', 'sign-in loses the session', 'C-ops', 'bugfix', 'auth-session', 'demo');
  await store.openReleaseHold({
    taskId: 'BUG-1',
    pack: 'auth-session',
    reason: `open bug fix: ${XSS[2]}`,
    createdBy: 'seeder',
  });

  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const runs: Record<string, number[]> = {};
  let changedRun = 0;
  let signedRun = 0;
  for (let day = 0; day < DAYS; day++)
    for (const env of ENVIRONMENTS) {
      const packs = PACKS.map(pack => ({ pack, status: STATUSES[env.name][pack][day] }));
      const last = day === DAYS - 1;
      const id = await recordRun(store, path.join(workDir, `run-${env.name}-${day}`), {
        taskId: null,
        environment: env.name,
        stage: env.stage,
        startedAt: dayStart(day, env.name),
        durationMs: 60_000 + day * 5_000,
        packs,
        key: last && env.name === 'local' ? privateKey : undefined,
        changeAfterAttesting: last && env.name === 'demo',
        screenshot: extra.screenshot,
      });
      (runs[env.name] ??= []).push(id);
      if (last && env.name === 'local') signedRun = id;
      if (last && env.name === 'demo') changedRun = id;
    }
  const taskRun = await recordRun(store, path.join(workDir, 'run-task'), {
    taskId: tasks.in_review,
    environment: 'local',
    stage: 'dev',
    startedAt: dayStart(DAYS, 'local'),
    durationMs: 42_000,
    packs: [{ pack: 'auth-session', status: 'PASS' }],
    screenshot: extra.screenshot,
    trace: extra.trace,
  });
  await past.close();
  await store.close();
  return { runs, changedRun, signedRun, publicKey, taskRun, tasks };
}

/** A test as the gate's per-pack record (evidence/<pack>/evidence.json) lists it. */
export type TestRecord = {
  title: string;
  project: string;
  outcome: 'expected' | 'unexpected' | 'flaky' | 'skipped';
  /** `not-run` when the test never started (src/gate/write-outputs.ts). */
  lastStatus: string;
  errors?: string[];
  /** What the test's own test.skip() said. */
  skipReason?: string;
  correlationIds?: string[];
};

export type RunSpec = {
  taskId: string | null;
  environment: string;
  stage: 'dev' | 'demo';
  startedAt: string;
  durationMs: number;
  /** Each pack's status; its reason and tests as the gate would record them, unless given. */
  packs: Array<{
    pack: string;
    status: PackStatus;
    reason?: string;
    /** The pack's own tests; the verdict counts them (else two, one failed when the pack fails). */
    tests?: TestRecord[];
    /**
     * The sign-in setup's tests, for a pack that proves the sign-in: its record lists them first, as
     * the gate's does (src/gate/assemble.ts); the verdict does not count them.
     */
    signIn?: TestRecord[];
    /** The pack's tests the run left out, as `<layer>: <title>` (its verdict's `missingTests`). */
    missingTests?: string[];
  }>;
  key?: KeyObject;
  changeAfterAttesting?: boolean;
  /** A byte of the attestation's signature changed after signing: it no longer verifies with `key`. */
  changeSignature?: boolean;
  /** The signature's keyid taken out after signing: it names no key, and still verifies with `key`. */
  unnameKey?: boolean;
  screenshot?: Buffer;
  trace?: Buffer;
  /** What narrowed the run (its verdict's `narrowed`); none: a whole run. */
  narrowed?: string[];
};

/** Writes a gate output folder as the gate does, attests it, puts its files in the store and records the run. */
export async function recordRun(store: QueueStore, dir: string, spec: RunSpec): Promise<number> {
  const packs: PackVerdict[] = spec.packs.map(({ pack, status, reason, missingTests, tests }) => ({
    id: pack,
    title: pack,
    owner: pack === 'workspace-launch' ? 'P-platform' : 'C-ops',
    policy: 'blocking',
    status,
    blocks: blocks(status),
    reason:
      reason ??
      (status === 'PASS'
        ? 'all 2 tests passed'
        : status === 'FLAKY'
          ? 'passed on retry'
          : `the launch failed: ${XSS[1]}`),
    layers: ['api'],
    missingTests: missingTests ?? [],
    notApplicable: [],
    refusals: [],
    manual: [],
    tests: tests
      ? countTests(tests)
      : {
          total: 2,
          passed: status === 'FAIL' ? 1 : 2,
          failed: status === 'FAIL' ? 1 : 0,
          flaky: status === 'FLAKY' ? 1 : 0,
          skipped: 0,
          notRun: 0,
        },
    evidence: {
      dir: `evidence/${pack}`,
      files: [`evidence/${pack}/evidence.json`],
      correlationIds: [`corr-${pack}-${spec.startedAt.slice(0, 10)}`],
      traceIds: ['4bf92f3577b34da6a3ce929d0e0e4736'],
      missingArtifacts: [],
    },
  }));
  const verdict: VerdictFile['verdict'] = packs.some(p => p.blocks)
    ? 'BLOCKED'
    : packs.some(p => p.status !== 'PASS')
      ? 'PASS_WITH_WARNINGS'
      : 'PASS';
  writeGateOutput(dir, {
    status: verdict === 'BLOCKED' ? 'FAIL' : 'PASS',
    verdict: {
      verdict,
      environment: spec.environment,
      stage: spec.stage,
      startedAt: spec.startedAt,
      durationMs: spec.durationMs,
      packs,
    },
  });
  for (const [i, p] of packs.entries()) {
    fs.mkdirSync(path.join(dir, `evidence/${p.id}`), { recursive: true });
    // The gate's per-pack record: the run page lists its tests; a failing one's title and error from the corpus.
    const tests: TestRecord[] = [...(spec.packs[i].signIn ?? []), ...(spec.packs[i].tests ?? [])];
    if (!spec.packs[i].tests)
      tests.push(
        { title: 'the journey works', project: `${spec.environment}-api`, outcome: 'expected', lastStatus: 'passed' },
        ...(p.status === 'FAIL'
          ? [
              {
                title: `launch ${XSS[4]}`,
                project: `${spec.environment}-api`,
                outcome: 'unexpected' as const,
                lastStatus: 'failed',
                errors: [`Error: ${XSS[5]}\n    at launch.spec.ts:3:9`],
                correlationIds: [`corr-test-${p.id}`],
              },
            ]
          : []),
      );
    fs.writeFileSync(
      path.join(dir, `evidence/${p.id}/evidence.json`),
      JSON.stringify({ pack: p.id, status: p.status, tests }),
    );
  }
  const failing = packs.find(p => p.status === 'FAIL')?.id ?? packs[0].id;
  fs.writeFileSync(path.join(dir, `evidence/${failing}/${XSS_FILE}`), `log line: ${XSS[0]}\n`);
  if (spec.screenshot) fs.writeFileSync(path.join(dir, `evidence/${failing}/failure.png`), spec.screenshot);
  if (spec.trace) {
    // Named as the gate names a test's trace: `<test slug>/attempt-<n>-trace.zip` (src/gate/write-outputs.ts).
    fs.mkdirSync(path.join(dir, `evidence/${failing}/the-journey-works`), { recursive: true });
    fs.writeFileSync(path.join(dir, `evidence/${failing}/the-journey-works/attempt-2-trace.zip`), spec.trace);
  }
  attestGateOutput(dir, { commit: null, env: {}, key: spec.key ?? null });
  if (spec.changeAfterAttesting) fs.appendFileSync(path.join(dir, 'summary.md'), 'x');
  if (spec.changeSignature || spec.unnameKey) {
    const file = path.join(dir, ATTESTATION_FILE);
    const envelope = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      signatures: Array<{ keyid?: string; sig: string }>;
    };
    if (spec.changeSignature) {
      const sig = Buffer.from(envelope.signatures[0].sig, 'base64');
      sig[0] ^= 1;
      envelope.signatures[0].sig = sig.toString('base64');
    }
    if (spec.unnameKey) delete envelope.signatures[0].keyid;
    fs.writeFileSync(file, JSON.stringify(envelope));
  }
  const evidence: EvidenceRef[] = [];
  for (const file of [...publishedFiles(dir), ATTESTATION_FILE]) {
    const { digest, size } = await store.blobs.put(fs.readFileSync(path.join(dir, file)));
    evidence.push({ path: file, pack: file.startsWith('evidence/') ? file.split('/')[1] : null, digest, size });
  }
  const { run } = await store.recordGateRun({
    subjectDigest: null,
    taskId: spec.taskId,
    environment: spec.environment,
    stage: spec.stage,
    verdict,
    gitCommit: 'abc123',
    gitDirty: false,
    command: 'npx playwright test',
    projects: [`${spec.environment}-api`],
    narrowed: spec.narrowed,
    startedAt: spec.startedAt,
    durationMs: spec.durationMs,
    recordedBy: 'seeder',
    verdictDigest: '0'.repeat(64),
    problems: [],
    packs: packs.map(p => ({ pack: p.id, status: p.status, policy: p.policy, blocks: p.blocks, reason: p.reason })),
    evidence,
  });
  return run.id;
}

/** A pack's test counts as the gate's verdict has them from its record (src/gate/judge.ts). */
function countTests(tests: readonly TestRecord[]): PackVerdict['tests'] {
  const notRun = (t: TestRecord) => t.lastStatus === 'not-run' || t.lastStatus === 'interrupted';
  return {
    total: tests.length,
    passed: tests.filter(t => t.outcome === 'expected').length,
    failed: tests.filter(t => t.outcome === 'unexpected').length,
    flaky: tests.filter(t => t.outcome === 'flaky').length,
    skipped: tests.filter(t => t.outcome === 'skipped' && !notRun(t)).length,
    notRun: tests.filter(t => t.outcome === 'skipped' && notRun(t)).length,
  };
}
