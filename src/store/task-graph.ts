import { PackgateError } from '../diagnostics/errors.ts';
import type { EventRepository } from './event-repository.ts';
import { byteOrder, type SqlExecutor, type SqlTransaction } from './sql.ts';
import type { StoreContext } from './store-context.ts';
import { currentTask } from './task-rows.ts';

/** The task graph: which tasks wait on which, kept free of cycles. */
export class TaskGraph {
  constructor(
    private readonly context: StoreContext,
    private readonly events: EventRepository,
  ) {}

  /** Adds `id depends on each of on`, noting each new edge on `id`; DEPENDENCY_CYCLE refuses them all. */
  add(id: string, on: readonly string[], actor: string): Promise<void> {
    return this.context.db.transaction(tx => this.addIn(tx, id, on, actor));
  }

  /** The same, inside the caller's transaction. */
  async addIn(tx: SqlTransaction, id: string, on: readonly string[], actor: string): Promise<void> {
    // One graph change at a time: two edges that each look fine alone can close a cycle together.
    await tx.lock('packgate:task-graph');
    await currentTask(tx, id);
    for (const target of on) {
      await currentTask(tx, target);
      if (target === id) throw cycle([id, id]);
      const path = await pathBetween(tx, target, id);
      if (path) throw cycle([id, ...path]);
      const added = await tx.run(
        `INSERT INTO task_dependencies (task_id, depends_on) SELECT ?, ? WHERE NOT EXISTS
           (SELECT 1 FROM task_dependencies WHERE task_id = ? AND depends_on = ?)`,
        [id, target, id, target],
      );
      if (added) await this.events.record(tx, id, 'note', { dependsOn: target }, actor, this.context.clock.stamp());
    }
  }

  /** The tasks `id` depends on, by id (in byte order on both adapters). */
  async dependencies(id: string): Promise<string[]> {
    const { db } = this.context;
    const rows = await db.all<{ depends_on: string }>(
      `SELECT depends_on FROM task_dependencies WHERE task_id = ? ORDER BY ${byteOrder(db.dialect, 'depends_on')}`,
      [id],
    );
    return rows.map(d => d.depends_on);
  }
}

/** A path of dependencies from `from` to `to` in the store, if there is one (the shortest). */
function pathBetween(tx: SqlExecutor, from: string, to: string): Promise<string[] | undefined> {
  return shortestPath(from, to, async node =>
    (await tx.all<{ depends_on: string }>('SELECT depends_on FROM task_dependencies WHERE task_id = ?', [node])).map(
      e => e.depends_on,
    ),
  );
}

/** The shortest path from `from` to `to` (breadth first) over the edges `next` gives, if there is one. */
export async function shortestPath(
  from: string,
  to: string,
  next: (node: string) => readonly string[] | Promise<readonly string[]>,
): Promise<string[] | undefined> {
  const previous = new Map<string, string | null>([[from, null]]);
  let frontier = [from];
  while (frontier.length) {
    const reached: string[] = [];
    for (const node of frontier) {
      if (node === to) {
        const path: string[] = [];
        for (let at: string | null = node; at !== null; at = previous.get(at) ?? null) path.unshift(at);
        return path;
      }
      for (const target of await next(node)) {
        if (previous.has(target)) continue;
        previous.set(target, node);
        reached.push(target);
      }
    }
    frontier = reached;
  }
  return undefined;
}

function cycle(path: string[]): PackgateError {
  return new PackgateError(
    'DEPENDENCY_CYCLE',
    `task ${path[0]} cannot depend on ${path[1]}: that would close a cycle ${path.join(' -> ')}`,
    { hint: 'a task graph has no cycles; split the work or drop one of the dependencies' },
  );
}
