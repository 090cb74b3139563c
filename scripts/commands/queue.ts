import { PackgateError } from '../../src/diagnostics/errors.ts';
import { readImportFile } from '../../src/coordinator/import-tasks.ts';
import { legacyCutoff, legacyReasonOf } from '../../src/coordinator/queue-health.ts';
import { healthSettings, queueHealth } from '../../src/coordinator/queue-health-run.ts';
import type { LegacyMark } from '../../src/store/task-import-repository.ts';
import type { QueueHealthReport } from '../../src/coordinator/queue-health-report.ts';
import { filterHealth, type HealthFilter } from '../../src/coordinator/queue-health-filter.ts';
import { actorOf, assertLaneKnown, emit, plural, project, table, withStore, type CommonOptions } from './kit.ts';

/**
 * Evidence debt per task, legacy apart from new; exit 1 on new debt only. `--new` and `--lane` narrow
 * the listing (a backlog's thousands of legacy rows drown the few new ones in a CI log), never the
 * totals nor the exit code: those judge the whole queue.
 */
export async function queueHealthCommand(options: CommonOptions & { new?: boolean; lane?: string }): Promise<void> {
  const p = project();
  const governance = p.governance()?.value;
  const whole = await withStore(p, async store => {
    await assertLaneKnown(p, store, options.lane);
    return queueHealth(store, governance);
  });
  const { report, filter } = filterHealth(whole, { new: options.new, lane: options.lane });
  emit(options, { report, filter }, healthLines(report, filter), report.ok ? 0 : 1);
}

/** The table a person reads at a glance: one row per problem, new debt first, then the totals. */
function healthLines(report: QueueHealthReport, filter: HealthFilter): string[] {
  const { totals } = report;
  const ordered = [...report.tasks.filter(t => t.debt === 'new'), ...report.tasks.filter(t => t.debt === 'legacy')];
  const rows = ordered.flatMap(t =>
    t.problems.map((problem, i) => [
      i ? '' : t.id,
      i ? '' : t.kind,
      i ? '' : t.state,
      problem.rule,
      i ? '' : t.debt === 'legacy' ? `legacy (${t.legacyReason})` : 'NEW',
      problem.detail,
    ]),
  );
  const rules = Object.entries(totals.byRule)
    .filter(([, n]) => n.legacy + n.new)
    .map(([rule, n]) => `${rule} ${n.new} new, ${n.legacy} legacy`);
  const filtered = filter.new || filter.lane !== null;
  return [
    `queue health: ${plural(totals.tasks, 'task')}; ${totals.withDebt.new} with new debt, ${totals.withDebt.legacy} with legacy debt` +
      ` (legacy before ${report.legacyBefore ?? 'no date'}; checkpoint every ${report.checkpointInterval})`,
    ...(rows.length
      ? table(['TASK', 'KIND', 'STATE', 'DEBT', 'LEGACY/NEW', 'DETAIL'], rows)
      : [filtered ? `no task listed ${listedWhat(filter)}` : 'no evidence debt']),
    ...leftOutLines(filter),
    ...(rules.length ? [`by rule: ${rules.join('; ')}`] : []),
    ...(report.ok
      ? ['ok: no new debt']
      : [
          `NOT OK: ${plural(totals.withDebt.new, 'task')} with new debt (exit 1); legacy debt is ${legacyShown(filter)}, not failed`,
          // Some debt has no command left to pay it (a handoff of a task already done): the way out is said.
          `  hint: record what each DETAIL says is missing; debt no one will pay (a task done without its handoff) ` +
            `is marked legacy: packgate queue mark-legacy ${ordered.find(t => t.debt === 'new')?.id ?? '<task>'} --reason "why"`,
        ]),
  ];
}

/** What became of legacy debt in the list: other lanes' is not listed under --lane. */
function legacyShown(filter: HealthFilter): string {
  if (filter.new) return 'left out';
  return filter.lane === null ? 'listed' : `listed for lane ${filter.lane}`;
}

/** What the filter lists: `with new debt in lane C-ops`. */
function listedWhat(filter: HealthFilter): string {
  return [filter.new ? 'with new debt' : 'with debt', filter.lane === null ? '' : `in lane ${filter.lane}`]
    .filter(Boolean)
    .join(' ');
}

/** What --new and --lane left out, so that a short list is not read as a short queue. */
function leftOutLines(filter: HealthFilter): string[] {
  const { legacy, otherLanes } = filter.leftOut;
  const lines: string[] = [];
  if (filter.new) lines.push(`left out (--new): ${plural(legacy, 'task')} with legacy debt`);
  if (filter.lane !== null)
    lines.push(
      `left out (--lane ${filter.lane}): ${plural(otherLanes.new + otherLanes.legacy, 'task')} with debt in other lanes ` +
        `(${otherLanes.new} new, ${otherLanes.legacy} legacy)`,
    );
  return lines;
}

/** Marks a task as legacy debt with why (or, with --clear, as new again), on the record. */
export async function queueMarkLegacy(
  id: string,
  options: CommonOptions & { reason?: string; clear?: boolean },
): Promise<void> {
  const reason = options.reason?.trim();
  if (!options.clear === !reason)
    throw new PackgateError('INPUT_INVALID', 'give --reason (why its debt is legacy) or --clear, one of them', {
      hint: 'e.g. --reason "migrated from the old tracker with its history"',
    });
  const p = project();
  const cutoff = legacyCutoff(healthSettings(p.governance()?.value).legacyBefore);
  // Clearing a task whose debt is new already would record a mark that changes nothing, and say
  // "new again" of a task never legacy: refused as moving a task where it is, nothing written.
  const refuseNoop = (mark: LegacyMark) => {
    if (legacyReasonOf(mark, cutoff)) return;
    throw new PackgateError(
      'INPUT_INVALID',
      `task ${id} is not marked legacy: its debt is new already; nothing recorded`,
      {
        hint:
          `--clear undoes a mark (--reason, or legacy_reason in queue import) or a date before queue.legacy_before ` +
          `in ${p.governanceFile}; to mark its debt legacy: packgate queue mark-legacy ${id} --reason "why"`,
      },
    );
  };
  await withStore(p, store => store.markLegacy(id, reason ?? null, actorOf(options), reason ? undefined : refuseNoop));
  emit(
    options,
    { task: id, legacyReason: reason ?? null },
    reason ? `task ${id}: its debt is legacy (${reason})` : `task ${id}: its debt is new again`,
  );
}

/** Brings a backlog in, all or nothing: tasks keep their dates (the cutoff marks the old ones legacy) and events. */
export async function queueImport(file: string, options: CommonOptions): Promise<void> {
  const p = project();
  const { tasks, count } = await withStore(p, async store => {
    const tasks = await readImportFile(p.root, file, {
      catalogue: p.catalogue,
      // Only the few ids a dependency names outside the file are looked up.
      inStore: async ids => {
        const found = await Promise.all(ids.map(id => store.getTask(id)));
        return new Set(ids.filter((_, i) => found[i]));
      },
      storeIds: async () => (await store.listTasks()).map(t => t.id),
      governance: p.governance(),
      governanceFile: p.governanceFile,
    });
    return { tasks, count: await store.importTasks(tasks, actorOf(options)) };
  });
  // One line a task, as gate record lists its evidence: a backlog of hundreds stays readable.
  const width = Math.max(...tasks.map(t => t.id.length));
  emit(options, { imported: tasks.map(t => t.id) }, [
    `imported ${plural(count, 'task')} from ${file}:`,
    ...tasks.map(t => `  ${t.id.padEnd(width)}  ${t.state}`),
    'see their debt with: packgate queue health',
  ]);
}
