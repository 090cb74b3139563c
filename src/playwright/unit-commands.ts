import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ProjectPlan } from '../catalogue/project-plan.ts';
import { firstLine } from '../diagnostics/first-line.ts';
import { unitReportLocation } from '../gate/unit-location.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';
import type { RunPlan } from '../run/run-plan.ts';

/** How a pack's `unit.command` ended: what the unit layer's report test says when the report is not there. */
export type UnitCommandOutcome = {
  command: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The last line the command printed, for a report it did not write. */
  lastLine?: string;
  /**
   * Whether the pack's report file changed while the commands ran: false when it is not there, or
   * is the one an earlier run left (not judged: the command did not write it).
   */
  wroteReport?: boolean;
};

/** Where the runner leaves the outcomes for the workers, in the run's scratch folder. */
const OUTCOMES_FILE = 'unit-commands.json';

/**
 * Runs the `unit.command` of every pack a selected unit project judges, once per run and before any
 * test, in the catalogue root: the same command named by several packs runs once. Its exit code is
 * recorded, not judged: the report it writes is the verdict (a suite with failures exits non-zero).
 */
export function runUnitCommands(plan: RunPlan, selected: readonly ProjectPlan[]): void {
  const packs = new Set(
    selected.flatMap(p => (p.kind === 'packs' && p.metadata.layer === 'unit' ? p.metadata.packs : [])),
  );
  const byCommand = new Map<string, UnitCommandOutcome>();
  const outcomes: Record<string, UnitCommandOutcome> = {};
  // Each report as it was before any command ran: one no command rewrote is an earlier run's.
  const reportFile = (id: string) => {
    const unit = plan.packs[id]?.definition.unit;
    return unit ? unitReportLocation(plan.root, unit).file : undefined;
  };
  const before = new Map([...packs].map(id => [id, fileState(reportFile(id))]));
  for (const id of [...packs].sort()) {
    const unit = plan.packs[id]?.definition.unit;
    if (!unit?.command) continue;
    let outcome = byCommand.get(unit.command);
    if (!outcome) {
      process.stderr.write(`packgate: unit layer of ${id}: running \`${unit.command}\`\n`);
      const log = path.join(plan.runDir, `unit-command-${byCommand.size + 1}.log`);
      outcome = runCommand(unit.command, plan.root, unit.command_timeout_s, log, unitCommandEnv(plan));
      byCommand.set(unit.command, outcome);
    }
    outcomes[id] = outcome;
  }
  for (const id of Object.keys(outcomes)) {
    const after = fileState(reportFile(id));
    outcomes[id] = { ...outcomes[id]!, wroteReport: after !== undefined && after !== before.get(id) };
  }
  if (Object.keys(outcomes).length) writeFileAtomic(path.join(plan.runDir, OUTCOMES_FILE), JSON.stringify(outcomes));
}

/**
 * The runner's environment without packgate's own variables (PACKGATE_*: the attestation's signing
 * key, the store's URL, `local`'s generated passwords) and without every env var an environment names
 * under `secrets:`. The product suite signs nobody in; whatever it printed or wrote of them would land
 * where packgate redacts nothing (its own reports, its caches).
 */
export function unitCommandEnv(plan: RunPlan, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const secretVars = new Set(
    Object.values(plan.environments).flatMap(({ value }) => Object.values(value.secrets).map(ref => ref.env)),
  );
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !name.startsWith('PACKGATE_') && !secretVars.has(name)),
  );
}

/** What the runner recorded of the pack's command in this run, if it ran one. */
export function unitCommandOutcome(plan: RunPlan, pack: string): UnitCommandOutcome | undefined {
  try {
    const all = JSON.parse(fs.readFileSync(path.join(plan.runDir, OUTCOMES_FILE), 'utf8')) as Record<
      string,
      UnitCommandOutcome
    >;
    return all[pack];
  } catch {
    return undefined;
  }
}

/**
 * Runs the command with its output in a log file of the run's scratch folder: a suite can print more
 * than a pipe's buffer holds, and only the last line is wanted (why a report was not written).
 */
function runCommand(
  command: string,
  cwd: string,
  timeoutS: number,
  log: string,
  env: NodeJS.ProcessEnv,
): UnitCommandOutcome {
  const fd = fs.openSync(log, 'w');
  let result: ReturnType<typeof spawnSync>;
  try {
    result = spawnSync(command, { cwd, env, shell: true, stdio: ['ignore', fd, fd], timeout: timeoutS * 1000 });
  } finally {
    fs.closeSync(fd);
  }
  const last = lastLine(fs.readFileSync(log, 'utf8')) ?? result.error?.message;
  return {
    command,
    exitCode: result.status,
    signal: result.signal,
    timedOut: (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT',
    ...(last ? { lastLine: firstLine(last) } : {}),
  };
}

/** A file's identity and last change, to tell a rewritten file from one left as it was; undefined when absent. */
function fileState(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    const stat = fs.statSync(file, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return undefined;
  }
}

function lastLine(text: string): string | undefined {
  return text
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
    .at(-1);
}
