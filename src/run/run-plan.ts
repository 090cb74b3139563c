import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Catalogue } from '../catalogue/load.ts';
import type { Environment } from '../schema/environment.ts';
import type { Pack } from '../schema/pack.ts';
import type { SeedSet } from '../schema/seed.ts';
import type { ProjectPlan } from '../catalogue/project-plan.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';

/** How the projects launch the browser (Playwright's `launchOptions`), decided once by the runner. */
export type BrowserLaunch = { executablePath?: string; args: string[] };

/** Set by the runner for its workers: the path of this run's plan.json. */
export const RUN_PLAN_VAR = 'PACKGATE_RUN_PLAN';

/** Scratch folders of runs, under the project root; git-ignored with the rest of `.packgate/`. */
export const RUNS_DIR = '.packgate/runs';

/** Runs older than this are someone else's leftovers (a killed run): removed when a run starts. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * What the runner loaded, validated and decided, handed to every worker as plain JSON: workers build
 * the same projects from it and fixtures read packs, seeds and environments from it, so no worker
 * parses YAML or runs zod again. Holds no secret values, only the names of the env vars that do.
 */
export type RunPlan = {
  schemaVersion: 1;
  runId: string;
  /** This run's scratch folder (the plan, sign-in outcomes shared between workers). */
  runDir: string;
  root: string;
  /** Absolute folder of the packs: a spec's path below it names its pack and layer. */
  packsDir: string;
  faults: string[];
  projects: ProjectPlan[];
  /** How the projects launch the browser, decided by the runner (see browserFor). */
  browser?: BrowserLaunch;
  /**
   * Set in a session of Playwright's test server (UI mode, VS Code; isTestServerSession): it runs a
   * dependency only when it is selected, and every run of the session shares this plan.
   */
  testServer?: true;
  packs: Record<string, { definition: Pack; dir: string }>;
  seeds: Record<string, SeedSet>;
  environments: Record<string, { file: string; value: Environment }>;
};

/**
 * Writes the plan for this run and points the workers at it through RUN_PLAN_VAR. The process that
 * writes it removes its folder when it exits (see removeAtExit).
 */
export function writeRunPlan(
  catalogue: Catalogue,
  projects: ProjectPlan[],
  faults: string[],
  browser?: BrowserLaunch,
  testServer = false,
): RunPlan {
  const runsDir = path.join(catalogue.root, RUNS_DIR);
  pruneStaleRuns(runsDir);
  const runId = `${Date.now().toString(36)}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  const runDir = path.join(runsDir, runId);
  const plan: RunPlan = {
    schemaVersion: 1,
    runId,
    runDir,
    root: catalogue.root,
    packsDir: path.join(catalogue.root, catalogue.manifest.value.packs_dir),
    faults,
    projects,
    ...(browser ? { browser } : {}),
    ...(testServer ? { testServer: true as const } : {}),
    packs: Object.fromEntries([...catalogue.packs].map(([id, p]) => [id, { definition: p.value, dir: p.dir }])),
    seeds: Object.fromEntries([...catalogue.seeds].map(([id, s]) => [id, s.value])),
    environments: Object.fromEntries(
      [...catalogue.environments].map(([name, e]) => [name, { file: e.source.file, value: e.value }]),
    ),
  };
  const file = path.join(runDir, 'plan.json');
  writeFileAtomic(file, JSON.stringify(plan));
  removeAtExit(runDir);
  process.env[RUN_PLAN_VAR] = file;
  runCatalogues().set(runId, catalogue);
  return plan;
}

let cached: { file: string; plan: RunPlan } | undefined;

/** This run's plan, read once per process; undefined outside a packgate run. */
export function currentRunPlan(processEnv: Record<string, string | undefined> = process.env): RunPlan | undefined {
  const file = processEnv[RUN_PLAN_VAR];
  if (!file) return undefined;
  if (cached?.file !== file) cached = { file, plan: JSON.parse(fs.readFileSync(file, 'utf8')) as RunPlan };
  return cached.plan;
}

/**
 * The catalogue the runner loaded for this run, for the gate reporter in the same process; undefined
 * elsewhere (a worker, `merge-reports`), where the caller loads it from disk.
 */
export function catalogueOfCurrentRun(): Catalogue | undefined {
  const plan = currentRunPlan();
  return plan && runCatalogues().get(plan.runId);
}

/**
 * Removes this run's scratch folder once the run is over (workers are gone by the reporter's onEnd).
 * Not in a test server session (UI mode, VS Code): the server imports the config (an ES module) once,
 * so every run of the session shares the one plan, and the sign-ins a run left serve the next; the
 * folder goes when the server exits (removeAtExit). Removing it after the first run failed every later
 * run on a missing plan.json.
 */
export function removeRunScratch(): void {
  const plan = currentRunPlan();
  if (plan && !plan.testServer) fs.rmSync(plan.runDir, { recursive: true, force: true });
}

/**
 * The gate reporter removes a run's scratch folder when it has judged the run, but a process without
 * it left the folder (~40 KB of plan) for the 24-hour prune: every `--list` (which loads no gate
 * reporter; `packgate tests` lists on each `npm run check`), a shard, a run whose --reporter replaced
 * the gate's, a run that stopped before its first test. The process that wrote the plan removes it
 * when it exits: by then its workers, which read the plan, have exited too (and UI mode, whose runs all
 * share the plan, is over). One exit listener per process, kept on globalThis as runCatalogues is.
 */
function removeAtExit(runDir: string): void {
  const key = Symbol.for('packgate.runScratchAtExit');
  const global = globalThis as { [key]?: Set<string> };
  if (!global[key]) {
    const dirs = (global[key] = new Set());
    process.once('exit', () => {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });
  }
  global[key].add(runDir);
}

/** Kept on globalThis: the config and the reporter may be loaded as separate module instances. */
function runCatalogues(): Map<string, Catalogue> {
  const key = Symbol.for('packgate.runCatalogues');
  const global = globalThis as { [key]?: Map<string, Catalogue> };
  return (global[key] ??= new Map());
}

function pruneStaleRuns(runsDir: string): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(runsDir, { withFileTypes: true });
  } catch {
    return;
  }
  const now = Date.now();
  for (const entry of entries) {
    const dir = path.join(runsDir, entry.name);
    try {
      if (entry.isDirectory() && now - fs.statSync(dir).mtimeMs > STALE_AFTER_MS)
        fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another run may be removing it at the same time.
    }
  }
}
