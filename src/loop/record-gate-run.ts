import { shellQuote } from '../text/shell-quote.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import { checkoutOf, type Checkout } from '../git/git.ts';
import type { GateRun, EvidenceRef } from '../store/queue-schema.ts';
import { verdictFileSchema, type RunProblem, type VerdictFile } from '../schema/verdict.ts';
import { openProjectStore, readWorktreePointer } from '../store/open.ts';
import type { QueueStore, RecordedGateRun } from '../store/queue-store.ts';
import type { ProjectManifest } from '../schema/project.ts';
import { ATTESTATION_FILE, gateFiles, publishedFiles } from '../evidence/attest.ts';
import { isFile } from '../fs/is-file.ts';
import { parseJsonText } from '../evidence/read-json.ts';
import { subjectDigest } from './subject-digest.ts';
import { TASK_ID_VAR } from './task-id-var.ts';

export type RecordGateRunOptions = {
  /** The gate's output folder: verdict.json, summary.md and evidence/<pack>/ as the gate wrote them. */
  outputDir: string;
  /**
   * The task the run proves; none records it as a run of its environment: a release-gate run when it
   * ran the whole catalogue, else a narrowed one (its verdict's `narrowed`).
   */
  taskId?: string | null;
  gitCommit?: string | null;
  gitDirty?: boolean;
  /** The command line that ran the gate; default: `npx playwright test` with the run's projects. */
  command?: string;
  actor?: string;
};

/**
 * Records a gate run from its output folder: verdict.json, summary.md and every evidence file the
 * verdict lists, each stored by SHA-256 (the gate has already redacted them; nothing else is
 * read), then the run with its per-pack statuses and reasons, in one transaction. An evidence file
 * the verdict lists but the folder lacks is recorded as a warning of the run, never silently. A
 * folder recorded already (the gate reporter records a TASK_ID run itself) is that record again,
 * `created: false`: one run is one record.
 */
export async function recordGateRun(store: QueueStore, options: RecordGateRunOptions): Promise<RecordedGateRun> {
  const outputDir = path.resolve(options.outputDir);
  const verdictPath = path.join(outputDir, 'verdict.json');
  const { verdict, bytes } = readVerdict(verdictPath);
  const problems: RunProblem[] = [...verdict.problems];
  const evidence: EvidenceRef[] = [];
  const put = async (file: string, pack: string | null) => {
    const full = path.resolve(outputDir, file);
    if (path.relative(outputDir, full).startsWith('..')) {
      problems.push({ severity: 'warning', message: `evidence ${file} is outside the output folder: not stored` });
    } else if (!fs.existsSync(full)) {
      problems.push({ severity: 'warning', message: `evidence ${file} listed in verdict.json is missing: not stored` });
    } else {
      evidence.push({ path: file, pack, ...(await store.blobs.put(fs.readFileSync(full))) });
    }
  };
  const verdictBlob = await store.blobs.put(bytes);
  evidence.push({ path: 'verdict.json', pack: null, ...verdictBlob });
  if (fs.existsSync(path.join(outputDir, 'summary.md'))) await put('summary.md', null);
  for (const pack of verdict.packs) for (const file of pack.evidence.files) await put(file, pack.id);

  // Read before anything is written: a file that cannot be read leaves no run recorded without it.
  const late = await lateFiles(store, outputDir);
  const recorded = await store.recordGateRun({
    taskId: options.taskId ?? null,
    environment: verdict.environment,
    stage: verdict.stage,
    verdict: verdict.verdict,
    gitCommit: options.gitCommit ?? null,
    gitDirty: options.gitDirty ?? false,
    command: options.command ?? commandOf(verdict),
    projects: verdict.projects,
    narrowed: narrowingOf(verdict),
    startedAt: verdict.startedAt,
    durationMs: verdict.durationMs,
    recordedBy: options.actor ?? defaultActor(),
    verdictDigest: verdictBlob.digest,
    subjectDigest: subjectDigest(outputDir),
    problems,
    packs: verdict.packs.map(p => ({
      pack: p.id,
      status: p.status,
      policy: p.policy,
      blocks: p.blocks,
      reason: p.reason,
      ...(p.missingTests.length ? { missingTests: p.missingTests } : {}),
    })),
    evidence: dedupe(evidence),
  });
  return late.length ? { ...recorded, run: await store.addGateRunFiles(recorded.run.id, late) } : recorded;
}

/**
 * What the folder holds besides the gate's own files: its attestation and the reports written after
 * the gate (JUnit, Allure results), stored when they exist. The gate hands a run over once they are
 * written; a folder recorded before them (`gate record` run early) gets them when recorded again.
 */
async function lateFiles(store: QueueStore, outputDir: string): Promise<EvidenceRef[]> {
  const own = new Set(gateFiles(outputDir));
  const names = [
    ...publishedFiles(outputDir).filter(name => !own.has(name)),
    // Only a file: an attestation that could not be written is no evidence (the verdict says why).
    ...(isFile(path.join(outputDir, ATTESTATION_FILE)) ? [ATTESTATION_FILE] : []),
  ];
  const refs: EvidenceRef[] = [];
  for (const name of names)
    refs.push({ path: name, pack: null, ...(await store.blobs.put(fs.readFileSync(path.join(outputDir, name)))) });
  return refs;
}

/**
 * For the gate reporter: records the run in the project's store, on the task TASK_ID names (or as a
 * release-gate run), at the project's git commit. It never throws: a store that cannot be written
 * comes back as a problem for the verdict's `problems`, so it is reported and cannot turn a BLOCKED
 * verdict into a pass or hide one.
 */
export async function recordGateRunInProjectStore(options: {
  root: string;
  outputDir: string;
  env?: Record<string, string | undefined>;
  taskId?: string;
  command?: string;
  /** The commit the run was on, when the caller looked it up already; default: the project's checkout now. */
  checkout?: Checkout;
  /** packgate.yaml as the gate validated it; default: read again. */
  manifest?: ProjectManifest;
}): Promise<{ run: GateRun; problem?: undefined } | { run?: undefined; problem: RunProblem }> {
  const env = options.env ?? process.env;
  let taskId = options.taskId ?? (env[TASK_ID_VAR] || undefined);
  let store: QueueStore | undefined;
  try {
    taskId ??= taskOfCheckout(options.root);
    store = await openProjectStore(options.root, env, { manifest: options.manifest });
    const checkout = options.checkout ?? checkoutOf(options.root);
    const { run } = await recordGateRun(store, {
      outputDir: options.outputDir,
      taskId,
      gitCommit: checkout.commit ?? null,
      gitDirty: checkout.dirty ?? false,
      command: options.command,
    });
    return { run };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    // A warning: the verdict stands on the run itself (a BLOCKED run stays BLOCKED, a pass becomes
    // PASS_WITH_WARNINGS), and a task without its recorded proof is refused at handoff anyway.
    return {
      problem: {
        severity: 'warning',
        message: `queue store: this run was not recorded${taskId ? ` on task ${taskId}` : ''}: ${why}`,
      },
    };
  } finally {
    await store?.close().catch(() => {});
  }
}

function readVerdict(file: string): { verdict: VerdictFile; bytes: Buffer } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new PackgateError('INPUT_INVALID', `no verdict at ${file}`, {
      hint: 'run the gate first (npx playwright test), or point --output at its folder',
    });
  }
  // Parsed from the very bytes that are recorded and digested.
  const verdict = parseJsonText(bytes.toString('utf8'), verdictFileSchema, {
    shown: file,
    name: 'verdict',
    what: 'a packgate verdict',
    described: 'schemas/verdict.schema.json',
    hint: 'it is written by the gate reporter; run the gate again',
  });
  return { verdict, bytes };
}

function dedupe(files: EvidenceRef[]): EvidenceRef[] {
  const seen = new Set<string>();
  return files.filter(f => !seen.has(f.path) && seen.add(f.path));
}

/**
 * The task a run proves when TASK_ID is not set: the one whose worktree the run is in (task start
 * leaves a pointer there), so a gate run in a task's worktree is never recorded as a release-gate run.
 */
export function taskOfCheckout(root: string): string | undefined {
  return readWorktreePointer(root)?.taskId;
}

export function defaultActor(env: Record<string, string | undefined> = process.env): string {
  return env.PACKGATE_ACTOR?.trim() || `${os.userInfo().username}@${os.hostname()}`;
}

/**
 * What narrowed the run, as its verdict says (src/gate/narrowing.ts). A verdict written before it
 * said so gives its filters and shard: a run of part of the projects then is not known as narrowed.
 */
function narrowingOf(verdict: VerdictFile): string[] {
  if (verdict.narrowed) return verdict.narrowed;
  const flags = verdict.run;
  return [...(flags?.filters ?? []), ...(flags?.shard ? [`--shard=${flags.shard}`] : [])];
}

/**
 * The command line the run was, as the verdict has its arguments (file filters, --grep and all),
 * so running it again runs the same tests; a verdict without them (an older gate) gives its projects.
 */
function commandOf(verdict: VerdictFile): string {
  const args = verdict.run?.args ?? verdict.projects.map(p => `--project=${p}`);
  return ['npx playwright test', ...args.map(shellQuote)].join(' ');
}
