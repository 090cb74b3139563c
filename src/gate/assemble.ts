import { excludedPacks, packsOfEnvironment } from '../catalogue/environment-packs.ts';
import type { Catalogue } from '../catalogue/load.ts';
import { ALLOW_HTTP_VAR, gateRules } from '../environment/resolve.ts';
import { browserLayers, type Artifact, type Layer } from '../schema/common.ts';
import { sortLayers } from '../schema/pack.ts';
import { VERDICT_SCHEMA_VERSION, type PackVerdict, type RunProblem, type VerdictFile } from '../schema/verdict.ts';
import { judgeRun, type PackInput } from './judge.ts';
import type { ObservedTest } from './observe.ts';

export type GateRunInput = {
  catalogue: Catalogue;
  tests: readonly ObservedTest[];
  /** Errors Playwright reported outside tests (web server, global setup, worker crashes). */
  runErrors: readonly string[];
  /** Warnings about the run itself (e.g. evidence that had to be dropped). */
  runWarnings?: readonly string[];
  runStatus: 'passed' | 'failed' | 'timedout' | 'interrupted';
  /** Projects in this run (from the root suite), in case no test of theirs ran. */
  projects: ReadonlyArray<{ name: string; environment: string }>;
  faults: readonly string[];
  startedAt: Date;
  durationMs: number;
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
  for (const message of input.runWarnings ?? []) problems.push({ severity: 'warning', message });
  if (input.runStatus === 'interrupted')
    problems.push({ severity: 'error', message: 'the run was interrupted before it finished' });
  if (input.runStatus === 'timedout')
    problems.push({ severity: 'error', message: 'the run hit its global timeout before it finished' });
  if ((input.processEnv ?? process.env)[ALLOW_HTTP_VAR] === '1' && !env.allow_http)
    problems.push({
      severity: 'warning',
      message: `${ALLOW_HTTP_VAR}=1: plain-HTTP URLs were accepted for stage ${env.stage}, which requires https; not a release verdict`,
    });

  const running = packsOfEnvironment(
    env,
    [...catalogue.packs.values()].map(p => p.value),
  );
  const testsByPack = new Map<string, ObservedTest[]>(running.map(r => [r.pack.id, []]));
  for (const test of tests.filter(t => t.project.environment === envName)) {
    const bucket = testsByPack.get(test.pack);
    if (bucket) bucket.push(test);
    else
      problems.push({
        severity: 'error',
        message: `${test.location} belongs to pack "${test.pack}", which environment ${envName} does not run`,
      });
  }

  const inputs: PackInput[] = running.map(({ pack, policy }) => ({
    id: pack.id,
    policy,
    dependsOn: pack.depends_on,
    tests: testsByPack.get(pack.id)!,
  }));
  const judgement = judgeRun(inputs, rules, problems);

  const packs: PackVerdict[] = judgement.packs.map(j => {
    const pack = catalogue.packs.get(j.id)!.value;
    const packTests = testsByPack.get(j.id)!;
    const layers = sortLayers([...new Set(packTests.map(t => t.project.layer))]);
    return {
      id: j.id,
      title: pack.title,
      owner: pack.owner,
      policy: inputs.find(i => i.id === j.id)!.policy,
      status: j.status,
      blocks: j.blocks,
      reason: j.reason,
      ...(j.upstream ? { upstream: j.upstream } : {}),
      layers,
      tests: j.tests,
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

  const complete = packs.every(p => p.status !== 'NOT_SELECTED' && p.status !== 'NOT_RUN');
  const verdict: VerdictFile = {
    schemaVersion: VERDICT_SCHEMA_VERSION,
    verdict: judgement.verdict,
    headline: headline(judgement.verdict, envName, env.stage, packs),
    environment: envName,
    stage: env.stage,
    kind: env.kind,
    complete,
    projects: [...new Set(input.projects.filter(p => p.environment === envName).map(p => p.name))].sort(),
    faults: [...input.faults],
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    packs,
    excluded: excludedPacks(
      env,
      [...catalogue.packs.values()].map(p => p.value),
    ),
    problems: judgement.problems,
  };
  return { verdict, testsByPack };
}

/** Required artifacts a failure did not produce. Screenshots and videos only count where a browser ran. */
function missingArtifacts(
  required: readonly Artifact[],
  tests: readonly ObservedTest[],
  layers: readonly Layer[],
): string[] {
  const failed = tests.filter(t => t.outcome !== 'expected');
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

function headline(verdict: VerdictFile['verdict'], env: string, stage: string, packs: PackVerdict[]): string {
  const count = (pred: (p: PackVerdict) => boolean) => packs.filter(pred).length;
  const parts = [`${count(p => p.status === 'PASS')} passed`];
  const blocking = packs.filter(p => p.blocks).map(p => p.id);
  if (blocking.length) parts.push(`${blocking.length} blocking (${blocking.join(', ')})`);
  const warnings = count(p => !p.blocks && p.status !== 'PASS' && p.status !== 'NOT_SELECTED');
  if (warnings) parts.push(`${warnings} with warnings`);
  const notSelected = count(p => p.status === 'NOT_SELECTED');
  if (notSelected) parts.push(`${notSelected} not selected`);
  return `${verdict}: ${env} (${stage}): ${parts.join(', ')}`;
}

/**
 * The verdict with a problem found after it was written (e.g. the queue store could not record the
 * run): the problem is listed, and it can only make the verdict worse, never better.
 */
export function withLateProblem(verdict: VerdictFile, problem: RunProblem): VerdictFile {
  const worse: VerdictFile['verdict'] =
    verdict.verdict === 'BLOCKED' || problem.severity === 'error' ? 'BLOCKED' : 'PASS_WITH_WARNINGS';
  return {
    ...verdict,
    verdict: worse,
    headline: headline(worse, verdict.environment, verdict.stage, verdict.packs),
    problems: [...verdict.problems, problem],
  };
}
