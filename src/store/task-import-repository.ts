import { PackgateError } from '../diagnostics/errors.ts';
import { redactDeep } from '../evidence/redact.ts';
import type { EventRepository } from './event-repository.ts';
import type { TaskEventKind, TaskKind, TaskState } from './queue-schema.ts';
import type { StoreContext } from './store-context.ts';
import { packOf } from './task-repository.ts';
import { currentTask } from './task-rows.ts';
import { storableJson } from './sql.ts';

/** A task brought in from an existing backlog, with the date it was really created and its history. */
export type ImportedTask = {
  id: string;
  title: string;
  state: TaskState;
  kind: TaskKind;
  ownerLane: string | null;
  trackId: string | null;
  createdAt: string;
  packet: Record<string, unknown> | null;
  packetDigest: string | null;
  legacyReason: string | null;
  /** Tasks it waits on: in the same import or already stored (checked again here, in the transaction). */
  dependsOn: string[];
  events: Array<{ kind: TaskEventKind; at: string; body: Record<string, unknown> }>;
};

/** What decides whether a task's debt is legacy: its mark (a reason, or cleared by hand) and its date. */
export type LegacyMark = {
  createdAt: string;
  legacyReason: string | null;
  /** Cleared by hand (`queue mark-legacy --clear`): new debt, whatever the date. */
  debtNew: boolean;
};

/** Tasks from elsewhere, and the legacy mark: what queue health counts as the debt it started with. */
export class TaskImportRepository {
  constructor(
    private readonly context: StoreContext,
    private readonly events: EventRepository,
  ) {}

  /**
   * Imports every task or none: one whose id is taken refuses the lot (TASK_EXISTS naming each).
   * A task keeps its creation date, its state (recorded as one transition at that date, so a task
   * imported done needs no packet) and its events.
   */
  async import(tasks: readonly ImportedTask[], actor: string): Promise<number> {
    const { db, redact } = this.context;
    const clean = redactDeep(tasks, redact);
    return db.transaction(async tx => {
      const taken: string[] = [];
      for (const task of clean) if (await tx.get('SELECT id FROM tasks WHERE id = ?', [task.id])) taken.push(task.id);
      if (taken.length)
        throw new PackgateError(
          'TASK_EXISTS',
          `${takenSummary(taken, clean.length)}; nothing imported:\n${listed(taken)}`,
          {
            hint:
              taken.length > TAKEN_LISTED
                ? 'drop them from the file (packgate task list shows every task in the store), or give them new ids'
                : 'drop them from the file, or give them new ids',
          },
        );
      // Edges go in after every task, so a task may wait on one listed after it; the graph lock as `task depend` takes.
      await tx.lock('packgate:task-graph');
      for (const task of clean) {
        await tx.run(
          `INSERT INTO tasks (id, title, state, kind, owner_lane, track_id, origin, packet, packet_digest, created_at,
             created_by, updated_at, legacy_reason, workflow_pack) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`,
          [
            task.id,
            task.title,
            task.state,
            task.kind,
            task.ownerLane,
            task.trackId,
            task.packet ? storableJson(task.packet) : null,
            task.packetDigest,
            task.createdAt,
            actor,
            task.createdAt,
            task.legacyReason,
            packOf(task.packet),
          ],
        );
        await tx.run(
          'INSERT INTO transitions (task_id, from_state, to_state, actor, reason, at) VALUES (?, NULL, ?, ?, ?, ?)',
          [task.id, task.state, actor, 'imported', task.createdAt],
        );
        for (const event of task.events) await this.events.record(tx, task.id, event.kind, event.body, actor, event.at);
      }
      for (const task of clean)
        for (const target of task.dependsOn) {
          await currentTask(tx, target);
          await tx.run('INSERT INTO task_dependencies (task_id, depends_on) VALUES (?, ?)', [task.id, target]);
          await this.events.record(tx, task.id, 'note', { dependsOn: target }, actor, task.createdAt);
        }
      return clean.length;
    });
  }

  /**
   * Marks a task as legacy debt with the reason, or (null) as new debt whatever its date: clearing
   * only the reason would leave a task created before the cutoff legacy. A `note` event says which.
   * `check` sees the mark as it stands, in the transaction; what it throws refuses the change, and
   * nothing is written (a mark that would change nothing is the caller's to refuse).
   */
  async markLegacy(
    taskId: string,
    reason: string | null,
    actor: string,
    check?: (current: LegacyMark) => void,
  ): Promise<void> {
    const { db, clock, redact } = this.context;
    const clean = reason === null ? null : redactDeep(reason, redact);
    await db.transaction(async tx => {
      await currentTask(tx, taskId, tx.forUpdate);
      if (check) {
        const row = await tx.get<{ created_at: string; legacy_reason: string | null; debt_new: number }>(
          'SELECT created_at, legacy_reason, debt_new FROM tasks WHERE id = ?',
          [taskId],
        );
        check({ createdAt: row!.created_at, legacyReason: row!.legacy_reason, debtNew: Number(row!.debt_new) === 1 });
      }
      await tx.run('UPDATE tasks SET legacy_reason = ?, debt_new = ? WHERE id = ?', [
        clean,
        clean === null ? 1 : 0,
        taskId,
      ]);
      await this.events.record(tx, taskId, 'note', { legacy: clean }, actor, clock.stamp());
    });
  }
}

/** How many of an import's ids a refusal lists: a backlog imported twice names hundreds. */
const TAKEN_LISTED = 20;

/** How many of the import's tasks are taken, of how many. */
function takenSummary(taken: readonly string[], total: number): string {
  if (taken.length === total)
    return total === 1
      ? 'the task to import is already in the store'
      : `all ${total} tasks to import are already in the store`;
  return `${taken.length} of the ${total} tasks to import ${taken.length === 1 ? 'is' : 'are'} already in the store`;
}

/** One id a line, as the import's success lists its tasks; past TAKEN_LISTED, how many more. */
function listed(ids: readonly string[]): string {
  const shown = ids.slice(0, TAKEN_LISTED).map(id => `  ${id}`);
  if (ids.length > TAKEN_LISTED) shown.push(`  ... and ${ids.length - TAKEN_LISTED} more`);
  return shown.join('\n');
}
