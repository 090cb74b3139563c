import type { Catalogue } from '../catalogue/load.ts';
import { loadCatalogue } from '../catalogue/load.ts';
import { environmentsOfPack, packsOfEnvironment } from '../catalogue/environment-packs.ts';
import { specsAt } from '../catalogue/spec-path.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { createRedactor } from '../evidence/redact.ts';
import { git, projectRepo, resolveRevision } from '../git/git.ts';
import { notTheTasksRun } from '../loop/prove.ts';
import { lastWorkspace } from '../loop/task-workspace.ts';
import { packetEnvironmentName, type ContextPacket } from '../packet/packet-schema.ts';
import type { GateRun } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import type { Layer } from '../schema/common.ts';
import path from 'node:path';
import type { RegressionLocation } from './fix-record-schema.ts';
import {
  recordedFix,
  regressionProofEventSchema,
  type FixRecordEvent,
  type ProofRun,
  type RegressionProofEvent,
} from './recorded.ts';
import { proofEnvironment, runRegressionPacks, type RegressionRun } from './regression-run.ts';
import { uncommittedWork } from './record-fix.ts';
import { withScratchWorktree } from './scratch-worktree.ts';
import { isRegression, outcomesOfPackEvidence, testName, type TestOutcome } from './test-outcomes.ts';

/** What a proof is of: the task's latest record, its regression and layer. */
export type ProofSubject = {
  taskId: string;
  fix: FixRecordEvent & { event: number };
  regression: RegressionLocation;
  layer: Layer;
};

export type ProvenRegression = RegressionProofEvent & { event: number; environment: string; packs: string[] };

/** The task's latest bug-fix record, with a regression to prove; bad input (exit 2) otherwise. */
export async function proofSubject(store: QueueStore, taskId: string): Promise<ProofSubject> {
  await store.requireTask(taskId);
  const fix = await recordedFix(store, taskId);
  if (!fix)
    throw new PackgateError('INPUT_INVALID', `task ${taskId} has no bug-fix record, so no regression to prove`, {
      hint: `record one first: packgate review record --task ${taskId} --file fix-record.yaml`,
    });
  if (!fix.record.regression)
    throw new PackgateError(
      'INPUT_INVALID',
      `task ${taskId}'s bug-fix record skips coverage ("${fix.record.skipped_coverage}"): it names no regression, so there is nothing to prove`,
      { hint: fix.coverageTask ? `the missing coverage is task ${fix.coverageTask}` : undefined },
    );
  return { taskId, fix, regression: fix.record.regression, layer: fix.record.owning_layer };
}

/**
 * The environment a repository proof runs in: the packet's, when it has an embedded stack that runs
 * the pack at the layer (the stack is started from each worktree's code); else the first such one.
 */
export function proofEnvironmentName(
  catalogue: Catalogue,
  packet: ContextPacket | undefined,
  regression: RegressionLocation,
  layer: Layer,
): string {
  const pack = catalogue.packs.get(regression.pack);
  if (!pack)
    throw new PackgateError('INPUT_INVALID', `the regression's pack "${regression.pack}" is not in the catalogue`, {
      hint: 'record the fix again with a regression in a pack that exists',
    });
  const specs = pack.value.specs[layer] ?? [];
  if (!specs.includes(regression.spec))
    throw new PackgateError(
      'INPUT_INVALID',
      `pack ${regression.pack} does not run ${regression.spec} at the ${layer} layer ` +
        `(its pack.yaml layers: ${layer}: ${specs.join(', ') || 'nothing'})`,
      { hint: 'record the fix again with the spec and layer that run the regression' },
    );
  const environments = [...catalogue.environments.values()].map(e => e.value);
  const candidates = environmentsOfPack(
    pack.value,
    environments.filter(e => e.stack && e.layers.includes(layer)),
    [...catalogue.packs.values()].map(p => p.value),
  );
  const wanted = packet ? packetEnvironmentName(packet.environment) : undefined;
  const chosen = wanted && candidates.includes(wanted) ? wanted : candidates[0];
  if (!chosen)
    throw new PackgateError(
      'INPUT_INVALID',
      `no environment with an embedded stack runs pack ${regression.pack} at the ${layer} layer`,
      {
        hint: 'a repository proof starts the stack from each commit; prove a deployed fix with --before-run and --after-run',
      },
    );
  return chosen;
}

/**
 * The packs a proof judges: the regression's and every pack depending on it (transitively) that the
 * environment runs, at the layer when one is given.
 */
export function packsToRun(catalogue: Catalogue, environment: string, pack: string, layer?: Layer): string[] {
  const env = catalogue.environments.get(environment)?.value;
  const running = new Set(
    env
      ? packsOfEnvironment(
          env,
          [...catalogue.packs.values()].map(p => p.value),
        ).map(r => r.pack.id)
      : [],
  );
  const chosen = new Set([pack]);
  for (let grew = true; grew;) {
    grew = false;
    for (const candidate of catalogue.packs.values())
      if (!chosen.has(candidate.value.id) && candidate.value.depends_on.some(id => chosen.has(id))) {
        chosen.add(candidate.value.id);
        grew = true;
      }
  }
  return [...chosen]
    .filter(id => id === pack || (running.has(id) && (!layer || specsAt(catalogue.packs.get(id)!, layer).length > 0)))
    .sort((a, b) => (a === pack ? -1 : b === pack ? 1 : a.localeCompare(b)));
}

/**
 * The SWE-bench judgement of a fix: the regression FAILs before and PASSes after it (fail to pass);
 * every other test that passed before passes after (pass to pass). Each refusal names its test.
 * `after` undefined judges the before run alone (a regression that does not catch the bug stops there).
 */
export function judgeProof(
  regression: RegressionLocation,
  before: readonly TestOutcome[],
  after: readonly TestOutcome[] | undefined,
  where: { before: string; after: string },
): string[] {
  const name = testName(regression);
  const refusals: string[] = [];
  const was = before.find(t => isRegression(t, regression));
  if (!was)
    refusals.push(`the regression ${name} is not found in the run ${where.before}${nearest(before, regression)}`);
  else if (was.status === 'passed' || was.status === 'flaky')
    refusals.push(
      `the regression ${name} passes before the fix${was.status === 'flaky' ? ' (on a retry)' : ''}: it does not catch this bug`,
    );
  else if (was.status === 'not-run')
    refusals.push(`the regression ${name} did not run before the fix (${where.before}): it is not shown red`);
  if (refusals.length || !after) return refusals;

  const now = after.find(t => isRegression(t, regression));
  if (!now) refusals.push(`the regression ${name} is not found in the run ${where.after}${nearest(after, regression)}`);
  else if (now.status !== 'passed')
    refusals.push(`the regression ${name} ${statusWords(now.status)} after the fix: the fix does not make it pass`);
  for (const test of before) {
    if (test.status !== 'passed' || isRegression(test, regression)) continue;
    const later = after.find(t => t.pack === test.pack && t.spec === test.spec && t.title === test.title);
    if (!later || later.status === 'not-run' || later.status === 'sign-in-failed')
      refusals.push(`${testName(test)} passed before the fix and did not run after it`);
    else if (later.status !== 'passed') refusals.push(`the fix turns ${testName(test)} red`);
  }
  return refusals;
}

function statusWords(status: TestOutcome['status']): string {
  if (status === 'flaky') return 'passes only on a retry';
  if (status === 'failed') return 'fails';
  return 'does not run';
}

/** The tests of the regression's pack the run had, for a regression not found in it. */
function nearest(outcomes: readonly TestOutcome[], regression: RegressionLocation): string {
  const same = outcomes.filter(t => t.pack === regression.pack).map(t => `${t.spec} › ${t.title}`);
  return same.length
    ? ` (pack ${regression.pack} ran: ${same.join('; ')})`
    : ` (no test of pack ${regression.pack} ran)`;
}

function refuse(refusals: string[], hint: string): never {
  throw new PackgateError('REGRESSION_NOT_PROVEN', refusals.join('; '), { hint });
}

export type RepositoryProofOptions = {
  root: string;
  store: QueueStore;
  catalogue: Catalogue;
  subject: ProofSubject;
  packet: ContextPacket | undefined;
  actor: string;
  /** Where a person waiting sees what runs; nothing when undefined. */
  progress?: (line: string) => void;
};

/**
 * Proves a regression in the repository: the regression's pack and its dependents run at the
 * record's layer in a scratch worktree at the base commit (with the regression's pack folder as the
 * fix has it, as SWE-bench applies the test patch to the base), then at the fix; the judgement
 * above decides; only a proof that holds is recorded, with both runs' verdict.json and redacted
 * output log in the store's blobs.
 */
export async function proveInRepository(options: RepositoryProofOptions): Promise<ProvenRegression> {
  const { root, store, catalogue, subject, actor } = options;
  const { regression, layer, fix } = subject;
  const repo = projectRepo(root);
  if (!repo)
    throw new PackgateError('GIT_FAILED', `${root} is not in a git repository that tracks its packgate.yaml`, {
      hint: 'a repository proof runs the project at its commits: commit it, or prove a deployed fix with --before-run',
    });
  const baseCommit = resolveRevision(repo, fix.baseCommit);
  const fixCommit = resolveRevision(repo, fix.fixCommit);
  // Said before two stacks start for minutes: the same commit twice cannot be red, then green.
  if (baseCommit === fixCommit)
    throw new PackgateError(
      'INPUT_INVALID',
      `the fix commit of ${subject.taskId}'s bug-fix record, ${fixCommit.slice(0, 12)}, is its base commit: ` +
        'a proof in the repository would run the same commit before and after the fix',
      {
        hint:
          "commit the fix on the task's branch and record it again (packgate review record), or, for a fix made in a " +
          `deployment, prove it with two gate runs recorded on the task: packgate review prove --task ${subject.taskId} --before-run <n> --after-run <m>`,
      },
    );
  const task = await store.requireTask(subject.taskId);
  const uncommitted = uncommittedWork(lastWorkspace(task, await store.events(task.id, 'claim')).worktree, baseCommit);
  const notRun = uncommitted.length
    ? `; the task's worktree has changes not committed (${uncommitted.join(', ')}), which no proof runs: commit them and record again`
    : '';
  if (uncommitted.length)
    options.progress?.(
      `the task's worktree has changes not committed (${uncommitted.join(', ')}): the proof runs ${fixCommit.slice(0, 12)} without them`,
    );
  const packDir = path.join(path.relative(repo, root), catalogue.manifest.value.packs_dir, regression.pack);
  // Chosen in the first scratch worktree, whose pack folder is the fix's: the checkout's catalogue may
  // not have the spec (or the pack) the fix adds its regression in, which the record checked at the fix.
  let chosen: { environment: string; shared: Awaited<ReturnType<typeof proofEnvironment>> } | undefined;

  const runAt = (commit: string, label: 'before' | 'after') =>
    withScratchWorktree(root, commit, `${subject.taskId}-${label}`, async scratch => {
      if (label === 'before' && git(repo, ['diff', '--name-only', baseCommit, fixCommit, '--', packDir]).trim())
        git(scratch.dir, ['checkout', fixCommit, '--', packDir]);
      const loaded = loadCatalogue(scratch.project);
      const atCommit = loaded.catalogue && !hasErrors(loaded.diagnostics) ? loaded.catalogue : catalogue;
      if (!chosen) {
        const name = proofEnvironmentName(atCommit, options.packet, regression, layer);
        chosen = { environment: name, shared: await proofEnvironment(atCommit, name) };
      }
      const { environment, shared } = chosen;
      const packs = packsToRun(atCommit, environment, regression.pack, layer);
      options.progress?.(
        `${label} the fix: ${environment}-${layer} at ${commit.slice(0, 12)}: ${packs.join(', ')} ...`,
      );
      return runRegressionPacks({
        project: scratch.project,
        catalogue: atCommit,
        environment,
        layer,
        packs,
        env: shared.env,
      });
    });

  const where = {
    before: `at the base commit ${baseCommit.slice(0, 12)}`,
    after: `at the fix ${fixCommit.slice(0, 12)}`,
  };
  const before = await runAt(baseCommit, 'before');
  const early = judgeProof(regression, before.outcomes, undefined, where);
  if (early.length) refuse(early, hintFor(before, 'before') + notRun);
  const after = await runAt(fixCommit, 'after');
  const refusals = judgeProof(regression, before.outcomes, after.outcomes, where);
  if (refusals.length) refuse(refusals, hintFor(after, 'after') + notRun);
  const { environment, shared } = chosen!;
  const redact = createRedactor(shared.secretValues);

  const body: RegressionProofEvent = regressionProofEventSchema.parse({
    regression,
    layer,
    mode: 'repository',
    fixRecordEvent: fix.event,
    before: await storedRun(store, before, baseCommit, regression, redact),
    after: await storedRun(store, after, fixCommit, regression, redact),
  });
  const event = await store.addEvent(subject.taskId, 'regression-proof', body, actor);
  return { ...body, event: event.id, environment, packs: [...new Set(after.outcomes.map(t => t.pack))] };
}

function hintFor(run: RegressionRun, label: string): string {
  return (
    `the run ${label} the fix was: ${run.command} (verdict ${run.verdict}, exit ${run.exitCode})${whyNoTest(run)}; ` +
    'the record is unchanged and no proof was recorded'
  );
}

/** For a run that ran no test at all: the first problem its verdict names (a stack that did not start, ...). */
export function whyNoTest(run: Pick<RegressionRun, 'outcomes' | 'verdictBytes'>): string {
  if (run.outcomes.length || !run.verdictBytes) return '';
  const { problems } = JSON.parse(run.verdictBytes.toString('utf8')) as { problems?: Array<{ message: string }> };
  return problems?.length ? `, which ran no test: ${problems[0].message}` : '';
}

async function storedRun(
  store: QueueStore,
  run: RegressionRun,
  commit: string,
  regression: RegressionLocation,
  redact: (text: string) => string,
): Promise<ProofRun> {
  const verdictDigest = run.verdictBytes ? (await store.blobs.put(run.verdictBytes)).digest : null;
  const outputDigest = (await store.blobs.put(Buffer.from(redact(`$ ${run.command}\n${run.log}`), 'utf8'))).digest;
  return {
    commit,
    verdict: run.verdict,
    ...findings(run.outcomes, regression),
    exitCode: run.exitCode,
    verdictDigest,
    outputDigest,
    gateRun: null,
  };
}

/** What a proof run found: whether the regression passed, and which other tests failed. */
function findings(
  outcomes: readonly TestOutcome[],
  regression: RegressionLocation,
): Pick<ProofRun, 'regressionPassed' | 'othersFailed'> {
  return {
    regressionPassed: outcomes.some(t => isRegression(t, regression) && t.status === 'passed'),
    othersFailed: outcomes.filter(t => !isRegression(t, regression) && t.status === 'failed').map(testName),
  };
}

export type DeploymentProofOptions = {
  store: QueueStore;
  catalogue: Catalogue;
  subject: ProofSubject;
  beforeRun: number;
  afterRun: number;
  actor: string;
};

/**
 * Proves a regression fixed in a deployment: two gate runs recorded on the task, in one
 * environment, the later with the regression's pack PASS and the earlier with it FAIL; the
 * regression itself and the other tests are judged as in the repository, from the per-pack
 * evidence the runs stored.
 */
export async function proveInDeployment(options: DeploymentProofOptions): Promise<ProvenRegression> {
  const { store, catalogue, subject, actor } = options;
  const { regression, layer, fix, taskId } = subject;
  const runs = await store.gateRuns({ taskId });
  const find = async (id: number, flag: string) => {
    const run = runs.find(r => r.id === id);
    if (!run) throw await notTheTasksRun(store, id, taskId, runs, flag);
    return run;
  };
  const before = await find(options.beforeRun, '--before-run');
  const after = await find(options.afterRun, '--after-run');

  const refusals: string[] = [];
  if (before.environment !== after.environment)
    refusals.push(
      `gate run #${before.id} ran in ${before.environment} and #${after.id} in ${after.environment}: a proof compares one environment`,
    );
  if (after.id <= before.id || after.recordedAt < before.recordedAt)
    refusals.push(`gate run #${after.id} was recorded before #${before.id}: the green run must come after the red one`);
  const statusIn = (run: GateRun) => run.packs.find(p => p.pack === regression.pack)?.status ?? 'not in the run';
  if (statusIn(before) !== 'FAIL')
    refusals.push(
      `pack ${regression.pack} is ${statusIn(before)} in gate run #${before.id}, not FAIL: the run before the fix does not show the bug`,
    );
  if (statusIn(after) !== 'PASS')
    refusals.push(
      `pack ${regression.pack} is ${statusIn(after)} in gate run #${after.id}, not PASS: the run after the fix does not show it fixed`,
    );
  if (refusals.length) refuse(refusals, 'name a gate run of the pack failing before the fix and a later one passing');

  const packs = packsToRun(catalogue, before.environment, regression.pack);
  const beforeOutcomes = await recordedOutcomes(store, before, packs);
  const afterOutcomes = await recordedOutcomes(store, after, packs);
  const judged = judgeProof(regression, beforeOutcomes, afterOutcomes, {
    before: `#${before.id}`,
    after: `#${after.id}`,
  });
  if (judged.length) refuse(judged, 'the gate runs named are unchanged; nothing was recorded');

  const proofRun = (run: GateRun, outcomes: TestOutcome[]): ProofRun => ({
    commit: run.gitCommit ?? 'unknown',
    verdict: run.verdict,
    ...findings(outcomes, regression),
    exitCode: null,
    verdictDigest: run.verdictDigest,
    outputDigest: run.evidence.find(e => e.path === 'summary.md')?.digest ?? run.verdictDigest,
    gateRun: run.id,
  });
  const body: RegressionProofEvent = regressionProofEventSchema.parse({
    regression,
    layer,
    mode: 'deployment',
    fixRecordEvent: fix.event,
    before: proofRun(before, beforeOutcomes),
    after: proofRun(after, afterOutcomes),
  });
  const event = await store.addEvent(taskId, 'regression-proof', body, actor);
  return { ...body, event: event.id, environment: before.environment, packs };
}

/** The outcomes a recorded gate run stored for these packs (their evidence.json, by digest). */
async function recordedOutcomes(store: QueueStore, run: GateRun, packs: readonly string[]): Promise<TestOutcome[]> {
  const outcomes: TestOutcome[] = [];
  for (const file of run.evidence) {
    if (!file.pack || !packs.includes(file.pack) || path.basename(file.path) !== 'evidence.json') continue;
    if ((await store.blobs.verify(file.digest)).status !== 'ok')
      throw new PackgateError(
        'EVIDENCE_INVALID',
        `gate run #${run.id}'s ${file.path} is missing or changed in the store`,
        {
          hint: 'run `packgate evidence verify` to see what else is affected',
        },
      );
    outcomes.push(...outcomesOfPackEvidence((await store.blobs.get(file.digest))!.toString('utf8')));
  }
  return outcomes;
}
