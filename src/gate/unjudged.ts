import type { Environment } from '../schema/environment.ts';
import fs from 'node:fs';
import path from 'node:path';
import { redactDeep, type Redactor } from '../evidence/redact.ts';
import type { CommandLine } from '../run/command-line.ts';
import { VERDICT_SCHEMA_VERSION, watchRunOf } from '../schema/constants.ts';
import type { VerdictFile } from '../schema/verdict.ts';
import { replaceOutputDir, REPORTS_OF_THIS_RUN } from './output-dir.ts';
import { verdictTexts } from './render.ts';

/**
 * A BLOCKED verdict for a run that has not judged, or could not: it stands in the output folder from
 * the moment a run starts, so an earlier PASS never outlives a run that then dies, and it says why.
 */
export function unjudgedVerdict(options: {
  environment: string;
  env: Pick<Environment, 'stage' | 'kind'>;
  projects: readonly string[];
  runId?: string;
  startedAt: Date;
  /** A few words for the headline. */
  summary: string;
  /** What happened and what to do. */
  why: string;
}): VerdictFile {
  const { environment, env, why } = options;
  return {
    schemaVersion: VERDICT_SCHEMA_VERSION,
    verdict: 'BLOCKED',
    headline: `BLOCKED: ${environment} (${env.stage}): no verdict: ${options.summary}`,
    environment,
    stage: env.stage,
    kind: env.kind,
    complete: false,
    // A layer's signed-out and signed-in tests are two Playwright projects of one name.
    projects: [...new Set(options.projects)].sort(),
    faults: [],
    ...(options.runId ? { runId: options.runId } : {}),
    ...watchRunOf(process.env),
    startedAt: options.startedAt.toISOString(),
    durationMs: 0,
    packs: [],
    excluded: [],
    problems: [{ severity: 'error', message: why }],
  };
}

/**
 * Replaces the output folder with a verdict of unjudgedVerdict alone: a run that has not judged yet
 * (written when it starts, so no earlier verdict outlives it), or one that could not judge. Written
 * without zod, which the runner's start does not load: the verdict's shape is fixed, and its test
 * holds it to the schema.
 */
export function writeUnjudgedVerdict(outputDir: string, root: string, verdict: VerdictFile, redact: Redactor): void {
  const redacted = redactDeep(verdict, redact);
  replaceOutputDir(
    outputDir,
    root,
    staging => {
      for (const [name, text] of verdictTexts(redacted)) fs.writeFileSync(path.join(staging, name), text);
    },
    REPORTS_OF_THIS_RUN,
  );
}

/**
 * The environment and projects of the verdict run `runId` wrote when it started, for a run that then
 * loaded no test of them; none when the output folder holds another run's verdict, or none.
 */
export function startedProjects(
  outputDir: string,
  runId: string | undefined,
): Array<{ name: string; environment: string }> {
  try {
    const started = JSON.parse(fs.readFileSync(path.join(outputDir, 'verdict.json'), 'utf8')) as Partial<VerdictFile>;
    if (!runId || started.runId !== runId || !started.environment) return [];
    return (started.projects ?? []).map(name => ({ name, environment: started.environment! }));
  } catch {
    return [];
  }
}

/** Why the output folder holds no verdict while (or after) a run of this command line. */
export function startingRunReason(
  commandLine: CommandLine,
  runId: string,
  startedAt: Date,
): { summary: string; why: string } {
  const { shard, reporter } = commandLine.options;
  if (shard)
    return {
      summary: `shard ${shard} of a run`,
      why:
        `shard ${shard} of a run: a shard proves only part of each pack; merge every shard's blob report with ` +
        'the gate reporter for the verdict: npx playwright merge-reports --config playwright.config.ts <folder of blob reports>',
    };
  // Playwright takes the last --reporter given; --add-reporter adds to the config's, the gate's among them.
  if (reporter && !reporter.includes('gate-reporter'))
    return {
      summary: 'the gate reporter was replaced',
      why:
        `--reporter=${reporter} replaced the gate reporter: this run cannot reach a verdict; ` +
        'run without --reporter (the config includes the gate), or add ./reporters/gate-reporter.ts to the list',
    };
  return {
    summary: 'the run has not finished',
    why:
      `run ${runId}, started ${startedAt.toISOString()}, has not reached a verdict: if this stays, the run ended ` +
      'before the gate reporter judged it (killed, crashed, or run without the gate reporter), and it proves nothing',
  };
}
