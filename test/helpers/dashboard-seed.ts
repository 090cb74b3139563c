import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ATTESTATION_FILE, attestGateOutput, publishedFiles } from '../../src/evidence/attest.ts';
import type { ProofBody } from '../../src/loop/handoff.ts';
import type { AcceptanceItem } from '../../src/packet/packet-schema.ts';
import type { PackStatus, PackVerdict, VerdictFile } from '../../src/schema/verdict.ts';
import { slug } from '../../src/gate/write-outputs.ts';
import { taskStates, type EvidenceRef, type TaskKind, type TaskState } from '../../src/store/queue-schema.ts';
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

/** What a run writes where people's words go: a failing pack's reason, its failing test, a log file. */
export type RunWords = {
  failReason: string;
  failingTest: string;
  error: string;
  logFile: string;
  log: string;
  /** Who recorded the run. */
  recordedBy: string;
};
export const RUN_PROBES: RunWords = {
  failReason: `the launch failed: ${XSS[1]}`,
  failingTest: `launch ${XSS[4]}`,
  error: `Error: ${XSS[5]}\n    at launch.spec.ts:3:9`,
  logFile: XSS_FILE,
  log: `log line: ${XSS[0]}\n`,
  recordedBy: 'seeder',
};

/** What the seed writes where people's words go (titles, reasons, notes, proofs, logs), and its tasks' ids. */
export type SeedWords = {
  ids: Record<TaskState, string>;
  stale: { id: string; title: string };
  bug: { id: string; title: string };
  titles: Record<TaskState, string>;
  creator: string;
  track: string;
  claimReason: string;
  reviewReason: string;
  handoffSummary: string;
  parkedReason: string;
  blockedReason: string;
  escalation: { reason: string; path: string };
  readyNote: string;
  closeoutNote: string;
  checkpointNote: string;
  holdReason: string;
  acceptance: AcceptanceItem[];
  fileProof: { file: string; content: string; note: string };
  runProofNote: string;
  closeout: { watcher: string; run: string; command: string; lines: string[]; log: string };
  run: RunWords;
};

/**
 * The corpus's strings wherever people's words go, so that every view proves it shows them as text;
 * the task ids other specs name.
 */
export const PROBE_WORDS: SeedWords = {
  ids: {
    proposed: 'T-PROPOSED',
    ready: 'T-READY',
    in_progress: 'T-PROGRESS',
    in_review: 'T-REVIEW',
    done: 'T-DONE',
    parked: 'T-PARKED',
    blocked: 'T-BLOCKED',
    escalated: 'T-ESCALATED',
  },
  /** The task a silent session holds, and the bug fix that holds auth-session back. */
  stale: { id: 'T-STALE', title: 'held by a silent session' },
  bug: { id: 'BUG-1', title: 'sign-in loses the session' },
  /** Each state's task's title; the proposed one's from the corpus. */
  titles: byState(state => (state === 'proposed' ? XSS[0] : `task ${state}`)),
  creator: 'seeder',
  track: 'track-dash',
  claimReason: 'go',
  reviewReason: XSS[1],
  handoffSummary: XSS[2],
  parkedReason: 'later',
  blockedReason: XSS[5],
  escalation: { reason: XSS[3], path: 'stack/x.ts' },
  readyNote: XSS[4],
  /** An older packgate's closeout event's note, and a checkpoint event's. */
  closeoutNote: XSS[6],
  checkpointNote: XSS[6],
  holdReason: `open bug fix: ${XSS[2]}`,
  /**
   * The in-review task's acceptance items: the first proven by a file, the second by a gate run on
   * the task (both as `task prove` records them), the third by its pack passing, the fourth by nothing.
   */
  acceptance: [
    XSS[2],
    XSS[3],
    { text: XSS[4], pack: 'auth-session', environment: 'local' },
    XSS[5],
  ] satisfies AcceptanceItem[],
  fileProof: { file: XSS_FILE, content: `plan: ${XSS[0]}\n`, note: XSS[6] },
  runProofNote: XSS[1],
  /** A watched run of the in-review task, closed out with its log stored. */
  closeout: {
    watcher: 'W-DEPLOY',
    run: 'W-DEPLOY-20261125T093012-481920',
    command: `make deploy ENV=demo ${XSS[2]}`,
    lines: [`POST /token: 401 invalid_grant ${XSS[0]}`],
    log: `deploying\nPOST /token: 401 invalid_grant ${XSS[0]}\n`,
  },
  run: RUN_PROBES,
};

/** The README's tasks: each state's id and title. */
const DOCS_TASKS: Record<TaskState, [id: string, title: string]> = {
  proposed: ['WEB-231', 'Remember the last workspace a user opened'],
  ready: ['OPS-118', 'Rotate the demo IdP signing key'],
  in_progress: ['OPS-121', 'Retry workspace launch while the pod is not ready'],
  in_review: ['WEB-214', 'Keep the session alive across the OIDC token refresh'],
  done: ['WEB-207', 'Show launch progress in the shell'],
  parked: ['OPS-097', 'Move the local stack to Postgres 17'],
  blocked: ['OPS-115', 'Run the launch pack on the demo cluster'],
  escalated: ['OPS-119', 'Cache workspace images on the launcher nodes'],
};

/** A value for each task state. */
function byState<T>(value: (state: TaskState) => T): Record<TaskState, T> {
  return Object.fromEntries(taskStates.map(state => [state, value(state)])) as Record<TaskState, T>;
}

/**
 * Believable words for the README's screenshots (test/stack/dashboard.spec.ts with
 * PACKGATE_DOCS_SCREENSHOTS=1): the same store as the probes make, in a team's own words.
 */
export const DOCS_WORDS: SeedWords = {
  ids: byState(state => DOCS_TASKS[state][0]),
  stale: { id: 'OPS-122', title: "Trim the launcher's startup probes" },
  bug: { id: 'BUG-42', title: 'Sign-in loses the session after the token refresh' },
  titles: byState(state => DOCS_TASKS[state][1]),
  creator: 'coordinator',
  track: 'auth-refresh',
  claimReason: 'picked up from the queue',
  reviewReason: 'handed off: refresh proven on local; sign-out across tabs still open',
  handoffSummary: 'launch steps shown with a progress bar; pack green on local and demo',
  parkedReason: 'after the 2.4 release',
  blockedReason: "waiting on the demo cluster's node quota (ticket INFRA-512)",
  escalation: {
    reason: 'the cache needs stack/launcher/nodes.ts, which P-platform owns',
    path: 'stack/launcher/nodes.ts',
  },
  readyNote: "start after Thursday's key ceremony; the old key stays valid for 24 h",
  closeoutNote: 'deploy to demo finished; smoke test green',
  checkpointNote: 'refresh path proven on local; sign-out across tabs is next',
  holdReason: 'open bug fix: users on demo are signed out after 5 minutes',
  acceptance: [
    'refresh plan reviewed with the identity team',
    'no 401 in the launcher log during a 30-minute session',
    { text: 'a signed-in user stays signed in across the token refresh', pack: 'auth-session', environment: 'local' },
    'signing out in one tab signs out every open tab',
  ],
  fileProof: {
    file: 'notes/token-refresh-plan.md',
    content:
      '# Token refresh plan\n\n' +
      '- refresh 60 s before expiry, in the shell, not in each app\n' +
      '- a failed refresh sends the user to /login with the page they were on\n' +
      '- reviewed with the identity team on 2026-11-24\n',
    note: 'reviewed with the identity team',
  },
  runProofNote: 'soak run: 30 minutes signed in, no 401',
  closeout: {
    watcher: 'W-DEMO-DEPLOY',
    run: 'W-DEMO-DEPLOY-20261125T093012-481920',
    command: 'make deploy ENV=demo',
    lines: ['POST /token: 401 invalid_grant (refresh token expired)'],
    log:
      'deploying web 2.4.0-rc.3 to demo\n' +
      'waiting for rollout: 3/3 pods ready\n' +
      'smoke: GET /healthz 200\n' +
      'smoke: POST /token: 401 invalid_grant (refresh token expired)\n' +
      'smoke failed: 1 of 4 checks\n',
  },
  run: {
    failReason: 'the launch failed: the workspace pod was not ready after 120 s',
    failingTest: 'a launched workspace opens its shell',
    error:
      "Error: expect(locator).toBeVisible() failed: getByRole('main', { name: 'Workspace' })\n    at launch.spec.ts:3:9",
    logFile: 'launcher.log',
    log: 'launcher: pod ws-7f3c scheduled\nlauncher: pod ws-7f3c not ready after 120 s\n',
    recordedBy: 'ci',
  },
};

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
  /** A run on a task: its packs pass. */
  taskRun: number;
  /** A release-gate run whose failing test left a screenshot and the trace of its retry. */
  tracedRun: number;
  tasks: Record<TaskState, string>;
  /** The digest of the file proving the in-review task's first acceptance item. */
  proofDigest: string;
  /** The words it wrote: `PROBE_WORDS` unless others were given. */
  words: SeedWords;
};

type Open = (options?: StoreOptions) => Promise<QueueStore>;

/**
 * A store with something of everything the dashboard shows: a task in every state (one held by a
 * stale session), an escalation, a release hold, events of every section, an in-review task with
 * acceptance items proven by a file, by a run, by its pack and by nothing, and a watched run closed
 * out with its log; and release-gate runs of two environments over five days (demo BLOCKED since day
 * 2), each with evidence attested as the gate attests it. `words` go where people's words go: the
 * XSS corpus by default. `open` opens the store with a clock; the stale hold is taken with one two
 * hours behind.
 */
export async function seedDashboard(
  open: Open,
  workDir: string,
  extra: { screenshot?: Buffer; trace?: Buffer; words?: SeedWords } = {},
): Promise<Seeded> {
  const words = extra.words ?? PROBE_WORDS;
  const past = await open({ now: () => new Date(Date.now() - 2 * 3_600_000) });
  const store = await open();
  const tasks = words.ids;
  const create = async (
    id: string,
    title: string,
    lane: string,
    kind: TaskKind,
    pack: string,
    environment: string,
    acceptance?: AcceptanceItem[],
  ) =>
    store.createTask(
      {
        id,
        title,
        state: 'ready',
        kind,
        ownerLane: lane,
        trackId: words.track,
        packet: {
          task_id: id,
          owner_lane: lane,
          goal: title,
          workflow_regression_pack: pack,
          environment,
          ...(acceptance ? { acceptance } : {}),
        },
        packetDigest: `digest-${id}`,
      },
      words.creator,
    );
  await store.createTask({ id: tasks.proposed, title: words.titles.proposed, ownerLane: 'A-web' }, words.creator);
  for (const [state, id] of Object.entries(tasks) as Array<[TaskState, string]>) {
    if (state === 'proposed') continue;
    const lane = state === 'in_review' || state === 'done' ? 'A-web' : 'C-ops';
    await create(
      id,
      words.titles[state],
      lane,
      'feature',
      state === 'done' ? 'workspace-launch' : 'auth-session',
      state === 'parked' ? 'local' : 'demo',
      state === 'in_review' ? words.acceptance : undefined,
    );
  }
  const live = { id: 'session-live', actor: 'agent-live', host: 'host-a', pid: 1 };
  await store.claim(tasks.in_progress, { session: live, actor: 'agent-live', reason: words.claimReason });
  await past.claim(tasks.in_review, {
    session: { id: 'session-old', actor: 'agent-old', host: 'host-b', pid: 2 },
    actor: 'agent-old',
    reason: words.claimReason,
  });
  await store.transition(tasks.in_review, { to: 'in_review', actor: 'agent-old', reason: words.reviewReason });
  await create(words.stale.id, words.stale.title, 'C-ops', 'feature', 'auth-session', 'demo');
  await past.claim(words.stale.id, {
    session: { id: 'session-silent', actor: 'agent-silent', host: 'host-c', pid: 3 },
    actor: 'agent-silent',
    reason: words.claimReason,
  });
  await store.claim(tasks.done, { session: live, actor: 'agent-live', reason: words.claimReason });
  await store.transition(tasks.done, {
    to: 'in_review',
    actor: 'agent-live',
    reason: 'handed off',
    event: { kind: 'handoff', body: { summary: words.handoffSummary } },
  });
  await store.transition(tasks.done, { to: 'done', actor: 'reviewer', reason: 'accepted' });
  await store.transition(tasks.parked, { to: 'parked', actor: 'coordinator', reason: words.parkedReason });
  await store.transition(tasks.blocked, { to: 'blocked', actor: 'coordinator', reason: words.blockedReason });
  await store.claim(tasks.escalated, { session: live, actor: 'agent-live', reason: words.claimReason });
  const crossed = words.escalation.path;
  await store.escalate({
    taskId: tasks.escalated,
    source: 'drift',
    to: 'P-platform',
    reason: words.escalation.reason,
    details: null,
    crossed: [{ path: crossed, kind: 'must-not-touch', boundary: 'must_not_touch stack/**', lane: 'P-platform' }],
    paths: [crossed],
    base: 'abc',
    head: 'def',
    stopConditions: ['stop'],
    createdBy: 'agent-live',
  });
  await store.addEvent(tasks.ready, 'note', { note: words.readyNote }, 'coordinator');
  // An older packgate's closeout: shown field by field, its note too (a checkpoint's words leave its note out).
  await store.addEvent(
    tasks.in_review,
    'watch',
    { closeout: 'watched run closed', verdict: 'PASS', note: words.closeoutNote },
    'watcher',
  );
  await store.addEvent(
    tasks.in_review,
    'checkpoint',
    { decision: 'continue', note: words.checkpointNote },
    'coordinator',
  );
  await create(words.bug.id, words.bug.title, 'C-ops', 'bugfix', 'auth-session', 'demo');
  await store.openReleaseHold({
    taskId: words.bug.id,
    pack: 'auth-session',
    reason: words.holdReason,
    createdBy: words.creator,
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
        trace: day === DAYS - 2 && env.name === 'demo' ? extra.trace : undefined,
        words: words.run,
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
    words: words.run,
  });
  const proofDigest = await proveAndWatch(store, tasks.in_review, taskRun, words);
  await past.close();
  await store.close();
  const tracedRun = runs.demo[DAYS - 2];
  return { runs, changedRun, signedRun, publicKey, taskRun, tracedRun, tasks, proofDigest, words };
}

/**
 * The in-review task's proofs, as `packgate task prove` records them (src/loop/prove.ts): its first
 * item by a file stored by digest, its second by the task's gate run; and a watched run of it closed
 * out with its log stored, as `watch run` closes one out. Answers the proving file's digest.
 */
async function proveAndWatch(store: QueueStore, taskId: string, run: number, words: SeedWords): Promise<string> {
  const file = await store.blobs.put(Buffer.from(words.fileProof.content));
  const byFile: ProofBody = {
    item: 1,
    file: words.fileProof.file,
    digest: file.digest,
    size: file.size,
    note: words.fileProof.note,
  };
  await store.addEvent(taskId, 'proof', byFile, 'agent-old');
  const byRun: ProofBody = { item: 2, run, note: words.runProofNote };
  await store.addEvent(taskId, 'proof', byRun, 'agent-old');
  const { closeout } = words;
  const log = await store.blobs.put(Buffer.from(closeout.log));
  await store.closeWatch({
    taskId,
    run: closeout.run,
    watcher: closeout.watcher,
    session: null,
    source: 'run',
    status: 'failure',
    class: 'auth',
    lines: closeout.lines,
    exitCode: 1,
    signal: null,
    durationMs: 412_300,
    command: closeout.command,
    logDigest: log.digest,
    logPath: `.packgate/watch-logs/${closeout.run}.log`,
    verdictDigest: null,
    verdict: null,
    blockingPacks: [],
    startedAt: '2026-11-25T09:30:12.000Z',
    createdBy: 'watcher',
  });
  return file.digest;
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
  /** Its failing pack's reason, failing test and log: the corpus's unless given. */
  words?: RunWords;
};

/** Writes a gate output folder as the gate does, attests it, puts its files in the store and records the run. */
export async function recordRun(store: QueueStore, dir: string, spec: RunSpec): Promise<number> {
  const words = spec.words ?? RUN_PROBES;
  const packs: PackVerdict[] = spec.packs.map(({ pack, status, reason, missingTests, tests }) => ({
    id: pack,
    title: pack,
    owner: pack === 'workspace-launch' ? 'P-platform' : 'C-ops',
    policy: 'blocking',
    status,
    blocks: blocks(status),
    reason:
      reason ?? (status === 'PASS' ? 'all 2 tests passed' : status === 'FLAKY' ? 'passed on retry' : words.failReason),
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
                title: words.failingTest,
                project: `${spec.environment}-api`,
                outcome: 'unexpected' as const,
                lastStatus: 'failed',
                errors: [words.error],
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
  const failing = packs.find(p => p.status === 'FAIL')?.id;
  fs.writeFileSync(path.join(dir, `evidence/${failing ?? packs[0].id}/${words.logFile}`), words.log);
  // As the gate keeps them: only of a failing test, named `<test slug>/attempt-<n>-<file>`
  // (src/gate/write-outputs.ts): a screenshot of each failed attempt, the trace of the retry.
  const attempts = failing && path.join(dir, `evidence/${failing}/${slug(words.failingTest)}`);
  if (attempts) fs.mkdirSync(attempts, { recursive: true });
  if (attempts && spec.screenshot) fs.writeFileSync(path.join(attempts, 'attempt-2-failure.png'), spec.screenshot);
  if (attempts && spec.trace) fs.writeFileSync(path.join(attempts, 'attempt-2-trace.zip'), spec.trace);
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
    recordedBy: words.recordedBy,
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
