import path from 'node:path';
import { excludedPacks, packsOfEnvironment } from '../catalogue/environment-packs.ts';
import type { Catalogue, LoadedPack } from '../catalogue/load.ts';
import { UNIT_SPEC } from '../catalogue/project-plan.ts';
import { gateRules } from '../catalogue/gate-rules.ts';
import { claimsOfPack } from '../catalogue/refusal-claims.ts';
import { ALLOW_HTTP_VAR, httpAllowedBy } from '../environment/resolve.ts';
import { browserLayers, releaseStages, type Artifact, type Layer } from '../schema/common.ts';
import type { Environment } from '../schema/environment.ts';
import type { Pack } from '../schema/pack.ts';
import { sortLayers } from '../schema/pack.ts';
import { TEST_MANIFEST_FILE } from '../schema/test-manifest.ts';
import { watchRunOf } from '../schema/constants.ts';
import {
  VERDICT_SCHEMA_VERSION,
  type ManualRead,
  type PackVerdict,
  type QueueRead,
  type RunFlags,
  type RunProblem,
  type VerdictFile,
} from '../schema/verdict.ts';
import { unitTestTitles } from './attachments.ts';
import { holdingTasks, queueProblems } from './hold-judgement.ts';
import { judgeRun, listed, type PackInput } from './judge.ts';
import { judgeManual } from './manual-judgement.ts';
import type { ObservedTest } from './observe.ts';
import type { UnitReportCounts } from './unit-source.ts';
import { flagProblems } from './run-flags.ts';
import { refusalOutcomes } from './refusal-outcomes.ts';
import { runNarrowing } from './narrowing.ts';

export type GateRunInput = {
  catalogue: Catalogue;
  tests: readonly ObservedTest[];
  /** Errors Playwright reported outside tests (web server, global setup, worker crashes). */
  runErrors: readonly string[];
  /** Warnings about the run itself (e.g. evidence that had to be dropped). */
  runWarnings?: readonly string[];
  runStatus: 'passed' | 'failed' | 'timedout' | 'interrupted';
  /** Projects in this run (from the root suite), in case no test of theirs ran. */
  projects: ReadonlyArray<{ name: string; environment: string; layer?: string }>;
  faults: readonly string[];
  /** PACKGATE_ALLOW_HTTP=1 set for the run (for a merge, for any of its shards); absent: read from processEnv. */
  allowHttp?: boolean;
  startedAt: Date;
  durationMs: number;
  /** Whether this is `playwright merge-reports` of a sharded run's blob reports. */
  merged?: boolean;
  /** The settings the run used (see run-flags.ts); judged on release stages. */
  flags?: RunFlags;
  runId?: string;
  /** What the run read of the queue store's release holds (see release-holds.ts); absent: not read. */
  queue?: QueueRead;
  /** What the run read of the recorded manual verdicts (see manual-verdicts.ts); absent: not read. */
  manual?: ManualRead;
  /** What each pack's product suite report held, as its unit-layer test attached it (see unitReportCounts). */
  unitReports?: ReadonlyMap<string, UnitReportCounts>;
  processEnv?: Record<string, string | undefined>;
};

/** The verdict before evidence files are written: evidence paths are filled in by the writer. */
export type AssembledRun = {
  verdict: VerdictFile;
  /** The tests behind each pack, for its evidence folder. */
  testsByPack: Map<string, ObservedTest[]>;
};

/**
 * Decides a run: which environment it judged, which packs that environment requires, how each came
 * out, and the run's verdict. Returns undefined when the run touched no packgate project at all.
 */
export function assembleRun(input: GateRunInput): AssembledRun | undefined {
  const { catalogue, tests } = input;
  const environments = [
    ...new Set([...input.projects.map(p => p.environment), ...tests.map(t => t.project.environment)]),
  ].sort();
  if (!environments.length) return undefined;
  const problems: RunProblem[] = [];
  const envName = environments[0];
  if (environments.length > 1)
    problems.push({
      severity: 'error',
      message:
        `this run mixes environments (${environments.join(', ')}); a verdict is for one environment: ` +
        `run --project=<env>-* for each, only ${envName} was judged`,
    });
  const env = catalogue.environments.get(envName)!.value;
  const rules = gateRules(env);

  for (const message of input.runErrors) problems.push({ severity: 'error', message });
  if (input.flags) problems.push(...flagProblems(input.flags, rules.retries, releaseStages.has(env.stage)));
  for (const message of input.runWarnings ?? []) problems.push({ severity: 'warning', message });
  if (input.runStatus === 'interrupted')
    problems.push({ severity: 'error', message: 'the run was interrupted before it finished' });
  if (input.runStatus === 'timedout')
    problems.push({ severity: 'error', message: 'the run hit its global timeout before it finished' });
  // A release stage's https waived for a test: said as a warning, and the run is narrowed (below).
  const httpAllowed = (input.allowHttp ?? httpAllowedBy(input.processEnv)) && !env.allowHttp;
  if (httpAllowed)
    problems.push({
      severity: 'warning',
      message: `${ALLOW_HTTP_VAR}=1: plain-HTTP URLs were accepted for stage ${env.stage}, which requires https; not a release verdict`,
    });

  const running = packsOfEnvironment(
    env,
    [...catalogue.packs.values()].map(p => p.value),
  );
  const ofEnv = tests.filter(t => t.project.environment === envName);
  const signIns = ofEnv.filter(t => t.signInAs !== undefined);
  const testsByPack = new Map<string, ObservedTest[]>(running.map(r => [r.pack.id, []]));
  for (const test of withSignInOutcome(
    ofEnv.filter(t => t.signInAs === undefined),
    signIns,
  )) {
    const bucket = testsByPack.get(test.pack);
    if (bucket) bucket.push(test);
    else
      problems.push({
        severity: 'error',
        message: `${test.location} belongs to pack "${test.pack}", which environment ${envName} does not run`,
      });
  }

  const provers = signInProvers(
    running.map(r => r.pack),
    id => testsByPack.get(id)!.length > 0,
  );
  const inputs: Array<PackInput<ObservedTest>> = running.map(({ pack, policy }) => {
    const tests = testsByPack.get(pack.id)!;
    const completeness = checkCompleteness(catalogue.packs.get(pack.id)!, env, tests);
    if (completeness.problem)
      problems.push({ severity: rules.requireAllPacks ? 'error' : 'warning', message: completeness.problem });
    const signIn = provers.has(pack.id) && tests.length ? signIns : [];
    return { id: pack.id, policy, dependsOn: pack.depends_on, tests, missing: completeness.missing, signIn };
  });
  const judgement = judgeRun(inputs, rules, problems);

  const runsManual = env.layers.includes('manual');
  const packs: PackVerdict[] = judgement.packs.map(j => {
    const pack = catalogue.packs.get(j.id)!.value;
    const packTests = testsByPack.get(j.id)!;
    const policy = inputs.find(i => i.id === j.id)!.policy;
    const manual = judgeManual({
      pack: j.id,
      checks: pack.manual,
      packPolicy: policy,
      stage: env.stage,
      environment: envName,
      runsManual,
      read: input.manual,
      now: new Date(),
    });
    judgement.problems.push(...manual.problems);
    // A blocking manual check without a valid pass outranks a pass or a warning of the tests, never a failure.
    if (manual.override && (j.status === 'PASS' || j.status === 'FLAKY' || j.status === 'SKIPPED'))
      j = { ...j, ...manual.override, blocks: true };
    const ranManual = runsManual && pack.manual.length > 0;
    const layers = sortLayers([
      ...new Set([...packTests.map(t => t.project.layer), ...(ranManual ? (['manual'] as const) : [])]),
    ]);
    const notApplicable = [...new Set(packTests.flatMap(t => t.notApplicable))];
    return {
      id: j.id,
      title: pack.title,
      owner: pack.owner,
      policy,
      status: j.status,
      blocks: j.blocks,
      reason: notApplicable.length ? `${j.reason}; not applicable here: ${notApplicable.join('; ')}` : j.reason,
      ...(j.upstream ? { upstream: j.upstream } : {}),
      layers,
      tests: j.tests,
      ...(input.unitReports?.has(j.id) ? { unitReport: input.unitReports.get(j.id) } : {}),
      missingTests: [...(inputs.find(i => i.id === j.id)!.missing ?? [])],
      notApplicable,
      refusals: refusalOutcomes(
        pack.refusals,
        packTests,
        pack.layers.filter(layer => env.layers.includes(layer)),
        j.status !== 'NOT_SELECTED',
        claimLayers(catalogue.root, catalogue.packs.get(j.id)!),
      ),
      manual: manual.outcomes,
      evidence: {
        dir: `evidence/${j.id}`,
        files: [],
        correlationIds: [...new Set(packTests.flatMap(t => t.correlationIds))],
        traceIds: [...new Set(packTests.flatMap(t => t.traceIds))],
        missingArtifacts:
          j.status === 'PASS' || j.status === 'NOT_SELECTED' ? [] : missingArtifacts(pack.artifacts, packTests, layers),
      },
    };
  });

  // Shards merged into one report are a whole run split up: a test of a layer the run covered that
  // no shard reported means a shard's report is missing, whatever the stage.
  const runLayers = new Set(input.projects.filter(p => p.environment === envName).map(p => p.layer));
  const lostOf = new Map(
    packs.map(p => [p, p.missingTests.filter(t => runLayers.has(t.slice(0, t.indexOf(':'))))] as const),
  );
  const unreported = [...lostOf.values()].reduce((n, lost) => n + lost.length, 0);
  if (input.merged && unreported) {
    // Not "a subset was chosen with --grep, --project or a file filter": nobody chose; a report is lost.
    for (const pack of packs) {
      const lost = lostOf.get(pack)!;
      if (!lost.length || (pack.status !== 'NOT_SELECTED' && pack.status !== 'PASS')) continue;
      const titles = listed(
        lost.map(t => `"${t}"`),
        5,
      );
      pack.reason =
        pack.status === 'NOT_SELECTED'
          ? `in none of the merged reports (a shard's blob report is missing): ${titles}`
          : `the ${pack.tests.total} reported tests passed; ${lost.length} in none of the merged reports: ${titles}`;
    }
    judgement.problems.push({
      severity: 'error',
      message:
        `${unreported} tests of the environment's packs are in none of the merged reports: a shard's blob report ` +
        'is missing or was not copied with the others; merge the reports of every shard',
    });
  }
  // A pack that proves the sign-in keeps the setup's tests as its evidence: its sign-ins, and what a failed one saw.
  for (const input of inputs) {
    const withSignIn = [...(input.signIn ?? []), ...testsByPack.get(input.id)!];
    testsByPack.set(input.id, withSignIn);
    const pack = packs.find(p => p.id === input.id)!;
    if (pack.status !== 'PASS' && pack.status !== 'NOT_SELECTED')
      pack.evidence.missingArtifacts = missingArtifacts(
        catalogue.packs.get(input.id)!.value.artifacts,
        withSignIn,
        pack.layers,
      );
  }
  // After the packs are judged: a hold is the queue's, not a reason any pack's tests did not run.
  if (input.queue) judgement.problems.push(...queueProblems(input.queue, env.stage));
  const runVerdict: VerdictFile['verdict'] = judgement.problems.some(p => p.severity === 'error')
    ? 'BLOCKED'
    : judgement.verdict === 'PASS' && judgement.problems.length
      ? 'PASS_WITH_WARNINGS'
      : judgement.verdict;
  const complete = packs.every(p => p.status !== 'NOT_SELECTED' && p.status !== 'NOT_RUN' && !p.missingTests.length);
  const narrowed = runNarrowing({
    environment: envName,
    flags: input.flags,
    merged: input.merged ?? false,
    runLayers,
    missing: packs.flatMap(p => p.missingTests),
    faults: input.faults,
    faultsUnwatched: input.faults.flatMap(fault => {
      const pack = catalogue.faults.get(fault)?.value.pack;
      return pack && packs.find(p => p.id === pack)?.status === 'NOT_SELECTED' ? [{ fault, pack }] : [];
    }),
    ...(httpAllowed ? { httpAllowedFor: env.stage } : {}),
  });
  const verdict: VerdictFile = {
    schemaVersion: VERDICT_SCHEMA_VERSION,
    verdict: runVerdict,
    headline: headline(runVerdict, envName, env.stage, packs, input.queue),
    environment: envName,
    stage: env.stage,
    kind: env.kind,
    complete,
    narrowed,
    projects: [...new Set(input.projects.filter(p => p.environment === envName).map(p => p.name))].sort(),
    faults: [...input.faults],
    ...(input.runId ? { runId: input.runId } : {}),
    ...watchRunOf(input.processEnv ?? process.env),
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    ...(input.flags ? { run: input.flags } : {}),
    packs,
    excluded: excludedPacks(
      env,
      [...catalogue.packs.values()].map(p => p.value),
    ),
    problems: judgement.problems,
    ...(input.queue ? { queue: input.queue } : {}),
  };
  return { verdict, testsByPack };
}

/**
 * Pack tests whose project depends on a sign-in setup that failed never started (Playwright skips
 * them): each says so, naming the setup's failure.
 */
function withSignInOutcome(tests: ObservedTest[], signIns: readonly ObservedTest[]): ObservedTest[] {
  const failed = signIns.find(t => t.outcome === 'unexpected');
  if (!failed) return tests;
  const because = `the sign-in setup failed (${failed.projectName} › ${failed.title}: ${failed.error ?? 'no error message'})`;
  return tests.map(t => (t.project.signIn && t.lastStatus === undefined ? { ...t, notRunBecause: because } : t));
}

/**
 * The packs that prove the sign-in: those that sign in (an identity) while no pack upstream of them
 * that ran in this run does. A failed sign-in setup is their failure; the packs downstream of them
 * are blocked by them, as by any failed upstream.
 */
function signInProvers(packs: readonly Pack[], ran: (id: string) => boolean): Set<string> {
  const byId = new Map(packs.map(p => [p.id, p]));
  const signsInUpstream = (pack: Pack, seen = new Set<string>()): boolean =>
    pack.depends_on.some(id => {
      const up = byId.get(id);
      if (!up || seen.has(id)) return false;
      seen.add(id);
      return (up.identity !== undefined && ran(id)) || signsInUpstream(up, seen);
    });
  return new Set(packs.filter(p => p.identity !== undefined && !signsInUpstream(p)).map(p => p.id));
}

/** The layers whose specs claim each refusal of the pack, read when asked (specs only of a pack with refusals). */
function claimLayers(root: string, pack: LoadedPack): (id: string) => Layer[] {
  let claims: ReturnType<typeof claimsOfPack> | undefined;
  return id => {
    claims ??= claimsOfPack(root, pack.dir, pack.value);
    return claims.filter(c => c.id === id).flatMap(c => c.layers);
  };
}

/**
 * Which of the pack's tests (its tests.yaml: the tests of each spec pack.yaml runs at the layers the
 * environment runs) the run did not run, and what makes that unknowable: no valid manifest, or tests
 * the manifest does not know.
 */
function checkCompleteness(
  pack: LoadedPack,
  env: Environment,
  tests: readonly ObservedTest[],
): { missing: string[]; problem?: string } {
  const runs = pack.value.layers
    .filter(layer => env.layers.includes(layer))
    .flatMap(layer => (pack.value.specs[layer] ?? []).map(spec => ({ layer, spec })));
  const manifest = pack.tests?.value;
  const manifestFile = `${pack.dir}/${TEST_MANIFEST_FILE}`;
  const update = 'run `npx packgate tests --update` and commit it';
  const unlisted = [...new Set(runs.filter(r => !manifest?.[r.spec]).map(r => r.spec))];
  if (unlisted.length)
    return {
      missing: [],
      problem:
        `${manifestFile} ${manifest ? `lists no tests of ${unlisted.join(', ')}` : 'is missing or invalid (`npx packgate lint` says why)'}: ` +
        `the gate cannot tell whether every test of pack "${pack.value.id}" ran; ${update}`,
    };
  // The same title may be in two specs of a layer; the spec tells them apart.
  const key = (layer: string, spec: string, title: string) => JSON.stringify([layer, spec, title]);
  const expected = runs.flatMap(({ layer, spec }) =>
    manifest![spec]!.map(title => ({ key: key(layer, spec, title), shown: `${layer}: ${title}` })),
  );
  // The unit layer's tests are not in tests.yaml: its source's required ids name them.
  if (pack.value.unit && pack.value.layers.includes('unit') && env.layers.includes('unit'))
    expected.push(
      ...unitTestTitles(pack.value.unit).map(title => ({
        key: key('unit', path.basename(UNIT_SPEC), title),
        shown: `unit: ${title}`,
      })),
    );
  const wanted = new Set(expected.map(e => e.key));
  const seen = new Set(tests.map(t => key(t.project.layer, specOf(t), t.title)));
  const unknown = tests.filter(t => !wanted.has(key(t.project.layer, specOf(t), t.title)));
  return {
    missing: expected.filter(e => !seen.has(e.key)).map(e => e.shown),
    problem: unknown.length
      ? `${manifestFile} does not list ${listed(
          unknown.map(t => `"${t.title}" (${t.location})`),
          3,
        )}: ` + `it is out of date with the specs; ${update}`
      : undefined,
  };
}

/** The spec file a test is in, from its location (`packs/<id>/<spec>:<line>`). */
function specOf(test: ObservedTest): string {
  return path.basename(test.location.replace(/:\d+$/, ''));
}

/**
 * Required artifacts a failure did not produce. Screenshots and videos only count where a browser ran.
 * Only a test that failed (an attempt at least) owes them: one that never ran (blocked upstream, its
 * setup failed, skipped) produced nothing to keep.
 */
function missingArtifacts(
  required: readonly Artifact[],
  tests: readonly ObservedTest[],
  layers: readonly Layer[],
): string[] {
  const failed = tests.filter(t => t.outcome === 'unexpected' || t.outcome === 'flaky');
  if (!failed.length) return [];
  const names = failed.flatMap(t => t.failureAttachments.map(a => a.name));
  const browser = layers.some(l => browserLayers.has(l));
  const has: Record<Artifact, boolean | undefined> = {
    trace: names.some(n => n.startsWith('trace')),
    screenshot: browser ? names.some(n => n.startsWith('screenshot')) : undefined,
    video: browser ? names.includes('video') : undefined,
    'correlation-id': failed.some(t => t.correlationIds.length > 0),
    har: names.some(n => n.endsWith('.har') || n === 'har'),
    'console-log': names.includes('console-log'),
    'server-log': names.includes('server-log'),
  };
  return required.filter(a => has[a] === false);
}

function headline(
  verdict: VerdictFile['verdict'],
  env: string,
  stage: string,
  packs: PackVerdict[],
  queue: QueueRead | undefined,
): string {
  const count = (pred: (p: PackVerdict) => boolean) => packs.filter(pred).length;
  const parts = [`${count(p => p.status === 'PASS')} passed`];
  const blocking = packs.filter(p => p.blocks).map(p => p.id);
  if (blocking.length) parts.push(`${blocking.length} blocking (${blocking.join(', ')})`);
  const warnings = count(p => !p.blocks && p.status !== 'PASS' && p.status !== 'NOT_SELECTED');
  if (warnings) parts.push(`${warnings} with warnings`);
  const notSelected = count(p => p.status === 'NOT_SELECTED');
  if (notSelected) parts.push(`${notSelected} not selected`);
  const partly = packs.filter(p => p.status !== 'NOT_SELECTED' && p.status !== 'NOT_RUN');
  const testsLeftOut = partly.reduce((n, p) => n + p.missingTests.length, 0);
  if (testsLeftOut) parts.push(`${testsLeftOut} of their tests not selected`);
  const holding = holdingTasks(queue);
  if (holding.length)
    parts.push(`held by ${holding.length === 1 ? 'task' : 'tasks'} ${listed(holding, 5)} of the queue`);
  else if (queue && 'reason' in queue) parts.push('release holds not read');
  return `${verdict}: ${env} (${stage}): ${parts.join(', ')}`;
}

/**
 * The verdict with a problem found after it was written (e.g. the queue store could not record the
 * run): the problem is listed, and it can only make the verdict worse, never better. A problem
 * listed already is not listed again (the attestation is written twice, and can fail twice alike).
 */
export function withLateProblem(verdict: VerdictFile, problem: RunProblem): VerdictFile {
  const listed = verdict.problems.some(p => p.severity === problem.severity && p.message === problem.message);
  const worse: VerdictFile['verdict'] =
    verdict.verdict === 'BLOCKED' || problem.severity === 'error' ? 'BLOCKED' : 'PASS_WITH_WARNINGS';
  return {
    ...verdict,
    verdict: worse,
    headline: headline(worse, verdict.environment, verdict.stage, verdict.packs, verdict.queue),
    problems: listed ? verdict.problems : [...verdict.problems, problem],
  };
}
