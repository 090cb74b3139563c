import type {
  GateRunPage,
  GateRunSummary,
  Health,
  ReleaseEnvironment,
  ReleasePack,
  ReleaseView,
  TaskPage,
  TaskPageFilter,
  TrendFilter,
  Trends,
  TrendSeries,
} from './dashboard-schema.ts';
import { taskFilterSchema, trendFilterSchema } from './dashboard-schema.ts';
import { narrowedOf, readRuns } from './gate-run-repository.ts';
import { taskStates, type GateRun, type GateRunPack } from './queue-schema.ts';
import { runProblemSchema } from '../schema/verdict.ts';
import type { QueueStore } from './queue-store.ts';
import { byteOrder, Where, type Dialect } from './sql.ts';
import type { StoreContext } from './store-context.ts';
import { releaseStages } from '../schema/common.ts';
import { SUMMARY_COLUMNS, SUMMARY_FROM, toSummary, type SummaryRow } from './task-summary.ts';

/**
 * A task's packet as PostgreSQL's jsonb, which refuses the JSON escape of a NUL (`\u0000`, "unsupported
 * Unicode escape sequence"): one packet holding one (a NUL in its goal, say) failed the queue page for
 * every task. Read as U+FFFD's escape instead, as the store keeps a NUL in text; an escaped backslash
 * before it (`\\u0000`, text) stays text.
 */
const PG_PACKET = "REPLACE(t.packet, '\\u0000', '\\ufffd')::jsonb";

/** The packet's pack and environment, read from its JSON by each dialect's own functions. */
const PACKET_FIELDS: Record<Dialect, { pack: string; environment: string }> = {
  sqlite: {
    pack: "json_extract(t.packet, '$.workflow_regression_pack')",
    environment: "COALESCE(json_extract(t.packet, '$.environment.name'), json_extract(t.packet, '$.environment'))",
  },
  postgres: {
    pack: `(${PG_PACKET} ->> 'workflow_regression_pack')`,
    environment: `COALESCE(${PG_PACKET} -> 'environment' ->> 'name', ${PG_PACKET} ->> 'environment')`,
  },
};

/**
 * Release-gate runs: those recorded on no task (a task's runs prove its branch, not a release) that
 * ran the environment's whole catalogue (a narrowed run, a --grep or one pack, says nothing of the rest).
 */
const RELEASE_RUN = 'r.task_id IS NULL AND r.narrowed IS NULL';

/** What a page was rendered with, compared with what the change feed sends (see changeStamp). */
export type ChangeStamp = { data: string; heartbeats: string };

type PackRow = {
  pack: string;
  status: ReleasePack['status'];
  policy: ReleasePack['policy'];
  blocks: number;
  reason: string;
};

type RunSummaryRow = {
  id: number;
  task_id: string | null;
  narrowed: string | null;
  environment: string;
  stage: GateRun['stage'];
  verdict: GateRun['verdict'];
  git_commit: string | null;
  started_at: string;
  duration_ms: number;
  recorded_at: string;
  blocking: number;
};

/**
 * A state's place in the workflow (taskStates' order: proposed, ready, in progress, in review, done,
 * then parked, blocked, escalated), for ORDER BY: sorting the column itself would sort the names.
 */
const STATE_RANK = `CASE t.state ${taskStates.map((state, rank) => `WHEN '${state}' THEN ${rank}`).join(' ')} END`;

/**
 * The queue's order: by lane, tasks with no lane last (said, since SQLite puts NULL first and
 * PostgreSQL last), then by state as the workflow runs, then by id. Lanes and ids, as every text the
 * dashboard lists by, in byte order: the same on SQLite and on a PostgreSQL of any collation.
 */
function queueOrder(dialect: Dialect): string {
  return `${byteOrder(dialect, 't.owner_lane')} NULLS LAST, ${STATE_RANK}, ${byteOrder(dialect, 't.id')}`;
}

/** The lane filter that matches tasks with no lane, as the queue view shows them. */
export const NO_LANE = '-';

/**
 * The dashboard's reads: pages of tasks and runs, the release view, trends and health. Reads only,
 * so they work on a store opened read-only; each is a few indexed queries, whatever the store's size.
 */
export class DashboardReads {
  constructor(
    private readonly context: StoreContext,
    private readonly store: QueueStore,
  ) {}

  async tasks(input: TaskPageFilter = {}): Promise<TaskPage> {
    const filter = taskFilterSchema.parse(input);
    const { db, clock } = this.context;
    const fields = PACKET_FIELDS[db.dialect];
    const order = queueOrder(db.dialect);
    const where = new Where()
      // "-" is no lane (a lane id starts with a letter or digit): the queue's row of tasks with none.
      .when(filter.lane === NO_LANE, 't.owner_lane IS NULL')
      .when(filter.lane && filter.lane !== NO_LANE, 't.owner_lane = ?', filter.lane!)
      .when(filter.state, 't.state = ?', filter.state!)
      .when(filter.kind, 't.kind = ?', filter.kind!)
      .when(filter.pack, `${fields.pack} = ?`, filter.pack!)
      .when(filter.environment, `${fields.environment} = ?`, filter.environment!);
    const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks t${where}`, where.params);
    const rows = await db.all<SummaryRow & { pack: string | null; environment: string | null }>(
      // The page's ids first, then its rows: the packets' JSON is read for one page, not for every match.
      `SELECT ${SUMMARY_COLUMNS}, ${fields.pack} AS pack, ${fields.environment} AS environment FROM ${SUMMARY_FROM}
       WHERE t.id IN (SELECT t.id FROM tasks t${where} ORDER BY ${order} LIMIT ${filter.limit} OFFSET ${filter.offset})
       ORDER BY ${order}`,
      where.params,
    );
    return {
      total: Number(count?.n ?? 0),
      offset: filter.offset,
      limit: filter.limit,
      tasks: rows.map(r => ({ ...toSummary(r, clock), pack: r.pack ?? null, environment: r.environment ?? null })),
    };
  }

  /**
   * The values a page's filters can match, each list in byte order: environments and packs of the
   * recorded gate runs and the ids of the tasks (the runs list, trends), or the environments, packs
   * and lanes the tasks' packets name (the queue). Read only when a filtered page is empty, to say
   * which value was meant.
   */
  async filterValues(of: 'runs' | 'tasks'): Promise<Record<'environment' | 'pack' | 'task' | 'lane', string[]>> {
    const { db } = this.context;
    const values = async (column: string, from: string) =>
      (
        await db.all<{ v: string | null }>(
          `SELECT DISTINCT ${byteOrder(db.dialect, column)} AS v FROM ${from} WHERE ${column} IS NOT NULL ORDER BY 1`,
        )
      ).map(r => String(r.v));
    if (of === 'runs')
      return {
        environment: await values('r.environment', 'gate_runs r'),
        pack: await values('p.pack', 'gate_run_packs p'),
        task: await values('t.id', 'tasks t'),
        lane: [],
      };
    const fields = PACKET_FIELDS[db.dialect];
    return {
      environment: await values(fields.environment, 'tasks t'),
      pack: await values(fields.pack, 'tasks t'),
      task: [],
      lane: await values('t.owner_lane', 'tasks t'),
    };
  }

  /** How many tasks each lane has in each state: the queue at a glance, its lanes in the queue's order. */
  async laneStateCounts(): Promise<Array<{ lane: string | null; state: string; count: number }>> {
    const { db } = this.context;
    const rows = await db.all<{ lane: string | null; state: string; n: number }>(
      `SELECT t.owner_lane AS lane, t.state, COUNT(*) AS n FROM tasks t GROUP BY t.owner_lane, t.state
       ORDER BY ${byteOrder(db.dialect, 't.owner_lane')} NULLS LAST, ${STATE_RANK}`,
    );
    return rows.map(r => ({ lane: r.lane, state: r.state, count: Number(r.n) }));
  }

  /** Newest first. */
  async gateRuns(filter: {
    environment?: string;
    taskId?: string;
    offset: number;
    limit: number;
  }): Promise<GateRunPage> {
    const { db } = this.context;
    const where = new Where()
      .when(filter.environment, 'r.environment = ?', filter.environment!)
      .when(filter.taskId, 'r.task_id = ?', filter.taskId!);
    const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM gate_runs r${where}`, where.params);
    const rows = await db.all<RunSummaryRow>(
      `${RUN_SUMMARY}${where} ORDER BY r.id DESC LIMIT ${Math.floor(filter.limit)} OFFSET ${Math.floor(filter.offset)}`,
      where.params,
    );
    return { total: Number(count?.n ?? 0), offset: filter.offset, limit: filter.limit, runs: rows.map(toRunSummary) };
  }

  async gateRun(id: number): Promise<GateRun | undefined> {
    const [run] = await readRuns(this.context.db, { id });
    return run;
  }

  /**
   * Every environment's latest release-gate run, each pack's latest result there (from the latest run
   * that ran it: a run may select only some packs) and what holds its release.
   */
  async release(): Promise<ReleaseView> {
    const { db } = this.context;
    const latest = await db.all<RunSummaryRow>(
      `${RUN_SUMMARY} WHERE r.id IN (SELECT MAX(r.id) FROM gate_runs r WHERE ${RELEASE_RUN} GROUP BY r.environment)
       ORDER BY ${byteOrder(db.dialect, 'r.environment')}`,
    );
    const holds = await this.store.releaseHolds({ activeOnly: true });
    const environments: ReleaseEnvironment[] = [];
    for (const row of latest) {
      const run = toRunSummary(row);
      const packs = await this.releasePacks(run);
      const names = new Set(packs.map(p => p.pack));
      const applying = holds.filter(h => names.has(h.pack));
      const held = applying.map(
        h => `${h.pack} held by task ${h.taskId} (${h.task.kind}, lane ${h.task.ownerLane ?? 'unknown'}): ${h.reason}`,
      );
      // As the gate weighs a hold (src/gate/hold-judgement.ts): it blocks a release stage; on dev it warns.
      const release = releaseStages.has(run.stage);
      const problems = await this.runProblems(run.id, applying);
      const blockers = [
        ...packs.filter(p => p.blocks).map(p => `${p.pack} ${p.status} (lane ${p.owner ?? 'unknown'}): ${p.reason}`),
        ...(release ? held : []),
        ...problems.errors,
      ];
      const warnings = [
        ...(release ? [] : held.map(line => `${line} (a warning on dev: it blocks the release stages)`)),
        ...problems.warnings,
      ];
      const warned =
        warnings.length > 0 || packs.some(p => !p.blocks && p.status !== 'PASS' && p.status !== 'NOT_SELECTED');
      environments.push({
        environment: run.environment,
        stage: run.stage,
        latestRun: run,
        verdict: blockers.length ? 'BLOCKED' : warned && run.verdict === 'PASS' ? 'PASS_WITH_WARNINGS' : run.verdict,
        packs,
        holds: applying,
        blockers,
        warnings,
      });
    }
    return { environments };
  }

  /**
   * The run's own problems, as the gate judged them (an error blocks it, a warning warns), each said
   * as `run #N: ...`: what the packs do not explain, such as release holds that could not be read or
   * no test that ran. A hold the run named is left out while it still holds one of the run's packs
   * (the live hold is listed, as the gate names it: `release hold: task <id> ...`, describeHold in
   * src/gate/hold-judgement.ts); one cleared since stays, the run's verdict standing until the gate
   * runs again.
   */
  private async runProblems(
    runId: number,
    applying: Array<{ taskId: string }>,
  ): Promise<{ errors: string[]; warnings: string[] }> {
    const row = await this.context.db.get<{ problems: string }>('SELECT problems FROM gate_runs WHERE id = ?', [runId]);
    const parsed = runProblemSchema.array().safeParse(JSON.parse(row?.problems ?? '[]'));
    const holding = new Set(applying.map(h => h.taskId));
    const said = (parsed.success ? parsed.data : [])
      .filter(p => !holding.has(/^release hold: task (\S+) /.exec(p.message)?.[1] ?? ''))
      .map(p => ({ ...p, line: `run #${runId}: ${p.message}` }));
    return {
      errors: said.filter(p => p.severity === 'error').map(p => p.line),
      warnings: said.filter(p => p.severity === 'warning').map(p => p.line),
    };
  }

  /**
   * Per pack and environment, the results of the latest `runs` release-gate runs that ran the pack,
   * oldest first: a run that did not select it (NOT_SELECTED) is no point of its trend.
   */
  async trends(input: TrendFilter = {}): Promise<Trends> {
    const filter = trendFilterSchema.parse(input);
    const inner = new Where(RELEASE_RUN).when(filter.environment, 'r.environment = ?', filter.environment!);
    const outer = new Where().when(filter.pack, 'p.pack = ?', filter.pack!);
    const { db } = this.context;
    const rows = await db.all<{
      id: number;
      environment: string;
      started_at: string;
      duration_ms: number;
      pack: string;
      status: GateRunPack['status'];
      blocks: number;
    }>(
      `SELECT r.id, r.environment, r.started_at, r.duration_ms, p.pack, p.status, p.blocks
       FROM gate_runs r JOIN gate_run_packs p ON p.run_id = r.id
       WHERE r.id IN (SELECT r.id FROM gate_runs r${inner} ORDER BY r.id DESC LIMIT ${filter.runs})
       AND p.status <> 'NOT_SELECTED' ${outer.toString().replace(' WHERE ', ' AND ')}
       ORDER BY ${byteOrder(db.dialect, 'r.environment')}, ${byteOrder(db.dialect, 'p.pack')}, r.id`,
      [...inner.params, ...outer.params],
    );
    const series = new Map<string, TrendSeries>();
    for (const row of rows) {
      const key = `${row.environment}\u0000${row.pack}`;
      let s = series.get(key);
      if (!s)
        series.set(
          key,
          (s = {
            environment: row.environment,
            pack: row.pack,
            points: [],
            counts: { pass: 0, warn: 0, block: 0, flaky: 0 },
          }),
        );
      const outcome = row.status === 'PASS' ? 'pass' : Number(row.blocks) === 1 ? 'block' : 'warn';
      s.counts[outcome]++;
      if (row.status === 'FLAKY') s.counts.flaky++;
      s.points.push({
        runId: Number(row.id),
        status: row.status,
        outcome,
        startedAt: row.started_at,
        durationMs: Number(row.duration_ms),
      });
    }
    return { series: [...series.values()] };
  }

  /** Stale holds, the latest escalations with their tasks, the release holds that hold now. */
  async health(limit = 50): Promise<Health> {
    const recent = await this.context.db.all<{ id: number; task_id: string; title: string; state: string }>(
      `SELECT e.id, e.task_id, t.title, t.state FROM escalations e JOIN tasks t ON t.id = e.task_id
       ORDER BY e.id DESC LIMIT ${Math.floor(limit)}`,
    );
    const escalations: Health['escalations'] = [];
    const tasks = new Map(recent.map(r => [r.task_id, r]));
    const wanted = new Set(recent.map(r => Number(r.id)));
    for (const [taskId, task] of tasks)
      for (const e of await this.store.escalations(taskId))
        if (wanted.has(e.id))
          escalations.push({ ...e, title: task.title, state: task.state as Health['escalations'][number]['state'] });
    escalations.sort((a, b) => b.id - a.id);
    return {
      staleHolds: await this.staleHolds(),
      escalations,
      activeReleaseHolds: await this.store.releaseHolds({ activeOnly: true }),
    };
  }

  /** Tasks held by a session with no heartbeat in the stale window: read from the holds, not every task. */
  private async staleHolds(): Promise<Health['staleHolds']> {
    const { db, clock } = this.context;
    const rows = await db.all<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM holds h JOIN sessions s ON s.id = h.session_id JOIN tasks t ON t.id = h.task_id
       WHERE s.heartbeat_at < ? ORDER BY ${byteOrder(db.dialect, 't.id')}`,
      [clock.staleCutoff()],
    );
    return rows.map(r => toSummary(r, clock));
  }

  /**
   * A fingerprint of everything the dashboard shows, so a page knows to reload: `data` moves when
   * anything is written (a move, an event, a run, files added to a run, an escalation, a hold, a
   * task), `heartbeats` when a session heartbeats or, with nothing written, falls silent long enough
   * to be stale. Apart, because watchers heartbeat every minute and only the pages that show
   * heartbeat times need to reload for it. Files are counted: `report allure` adds them to a run
   * already recorded, and evidence rows have no id of their own.
   */
  async changeStamp(): Promise<ChangeStamp> {
    const row = await this.context.db.get<Record<string, unknown>>(
      `SELECT (SELECT MAX(id) FROM transitions) AS a, (SELECT MAX(id) FROM task_events) AS b,
        (SELECT MAX(id) FROM gate_runs) AS c, (SELECT MAX(id) FROM escalations) AS e,
        (SELECT COUNT(*) FROM tasks) AS f, (SELECT COUNT(*) FROM evidence) AS g,
        (SELECT MAX(heartbeat_at) FROM sessions) AS heartbeats,
        (SELECT COUNT(*) FROM sessions WHERE heartbeat_at < ?) AS stale`,
      [this.context.clock.staleCutoff()],
    );
    const { heartbeats, stale, ...data } = row ?? {};
    return {
      data: Object.values(data)
        .map(v => String(v ?? ''))
        .join('|'),
      heartbeats: `${String(heartbeats ?? '')}|${String(stale ?? '')}`,
    };
  }

  /**
   * The packs of the run, each with its latest result and the start of its current streak: the
   * environment's release runs are walked back from the latest, a batch at a time, until every pack
   * has met another status, the runs end, or STREAK_BATCHES were read (then `sinceAtLeast`). A run
   * that did not select a pack (NOT_SELECTED) says nothing of it: the pack's result is the latest run
   * that ran it, and NOT_SELECTED only when no run looked at did.
   */
  private async releasePacks(run: GateRunSummary): Promise<ReleasePack[]> {
    const { db } = this.context;
    const packs = await db.all<PackRow>(
      `SELECT pack, status, policy, blocks, reason FROM gate_run_packs WHERE run_id = ? ORDER BY ${byteOrder(db.dialect, 'pack')}`,
      [run.id],
    );
    const result = new Map(packs.map(p => [p.pack, { ...p, runId: run.id, startedAt: run.startedAt }]));
    const since = new Map(packs.map(p => [p.pack, run.startedAt]));
    const open = new Set(packs.map(p => p.pack));
    let before = run.id;
    for (let batch = 0; open.size && batch < STREAK_BATCHES; batch++) {
      const rows = await db.all<PackRow & { id: number; started_at: string }>(
        `SELECT r.id, r.started_at, p.pack, p.status, p.policy, p.blocks, p.reason
         FROM gate_runs r JOIN gate_run_packs p ON p.run_id = r.id
         WHERE ${RELEASE_RUN} AND r.environment = ? AND r.id < ? ORDER BY r.id DESC LIMIT ${STREAK_BATCH}`,
        [run.environment, before],
      );
      for (const row of rows) {
        const current = result.get(row.pack);
        if (!current || !open.has(row.pack)) continue;
        if (current.status === 'NOT_SELECTED' && row.status !== 'NOT_SELECTED')
          result.set(row.pack, { ...row, runId: Number(row.id), startedAt: row.started_at });
        else if (row.status === 'NOT_SELECTED' && current.status !== 'NOT_SELECTED') continue;
        else if (row.status !== current.status) {
          open.delete(row.pack);
          continue;
        }
        since.set(row.pack, row.started_at);
      }
      if (rows.length < STREAK_BATCH) {
        open.clear();
        break;
      }
      // The last run of a batch may be cut part-way: the next batch starts with it again, unless the
      // batch held that run alone (500 packs), which would never move on.
      const last = Number(rows[rows.length - 1].id);
      before = last + 1 < before ? last + 1 : last;
    }
    // Each pack's owner as the run it is taken from names it.
    const owners = new Map<number, Map<string, string>>();
    for (const { runId } of result.values()) if (!owners.has(runId)) owners.set(runId, await this.packOwners(runId));
    return [...result.values()].map(p => ({
      pack: p.pack,
      status: p.status,
      policy: p.policy,
      blocks: Number(p.blocks) === 1,
      reason: p.reason,
      runId: p.runId,
      startedAt: p.startedAt,
      since: since.get(p.pack)!,
      sinceAtLeast: open.has(p.pack),
      owner: owners.get(p.runId)?.get(p.pack) ?? null,
    }));
  }

  /**
   * Each pack's owner as the run's verdict.json names it (the store keeps the verdict as evidence,
   * not the owner as a column): empty when the run kept no verdict or it does not parse.
   */
  private async packOwners(runId: number): Promise<Map<string, string>> {
    const ref = await this.context.db.get<{ digest: string }>(
      "SELECT digest FROM evidence WHERE run_id = ? AND path = 'verdict.json'",
      [runId],
    );
    const content = ref && (await this.store.blobs.get(ref.digest));
    const owners = new Map<string, string>();
    if (!content) return owners;
    try {
      const verdict = JSON.parse(content.toString('utf8')) as { packs?: Array<{ id?: unknown; owner?: unknown }> };
      for (const pack of verdict.packs ?? [])
        if (typeof pack.id === 'string' && typeof pack.owner === 'string') owners.set(pack.id, pack.owner);
    } catch {
      // Not JSON: no owners, the rest of the view stands.
    }
    return owners;
  }
}

/**
 * Rows (run x pack) read at a time while walking back a streak, and how many batches at most: a pack
 * that has passed for years is shown as passing since at least the oldest run looked at, so the
 * release view costs the same on a store of any age.
 */
const STREAK_BATCH = 500;
const STREAK_BATCHES = 4;

const RUN_SUMMARY = `SELECT r.id, r.task_id, r.narrowed, r.environment, r.stage, r.verdict, r.git_commit, r.started_at, r.duration_ms,
  r.recorded_at, (SELECT COUNT(*) FROM gate_run_packs p WHERE p.run_id = r.id AND p.blocks = 1) AS blocking
  FROM gate_runs r`;

function toRunSummary(r: RunSummaryRow): GateRunSummary {
  return {
    id: Number(r.id),
    taskId: r.task_id,
    narrowed: narrowedOf(r.narrowed),
    environment: r.environment,
    stage: r.stage,
    verdict: r.verdict,
    gitCommit: r.git_commit,
    startedAt: r.started_at,
    durationMs: Number(r.duration_ms),
    recordedAt: r.recorded_at,
    blockingPacks: Number(r.blocking),
  };
}
