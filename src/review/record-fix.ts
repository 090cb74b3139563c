import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { PackgateError } from '../diagnostics/errors.ts';
import { summarizeDiagnostics } from '../diagnostics/format.ts';
import { at, YamlSource } from '../diagnostics/yaml-source.ts';
import { changedFiles, git, resolveRevision } from '../git/git.ts';
import { checkedTaskPacket } from '../loop/task-packet.ts';
import { lastWorkspace } from '../loop/task-workspace.ts';
import { checkPacket, type PacketContext } from '../packet/check-packet.ts';
import { renderPacket } from '../packet/packet-source.ts';
import type { ContextPacket } from '../packet/packet-schema.ts';
import type { Task } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { coveragePacket, coverageTaskId, openCoverageTask } from './coverage-task.ts';
import { invalidRecord, type LoadedFixRecord } from './fix-record.ts';
import type { FixRecordEvent } from './recorded.ts';
import { checkRegressionLocation } from './regression-location.ts';

export type RecordFixRequest = {
  taskId: string;
  loaded: LoadedFixRecord;
  /** The fix commit when the record names none (--commit); default the head of the task's branch. */
  commit?: string;
  actor: string;
};

export type RecordFixProject = {
  /** The project root: git runs here, and the packs folder is relative to it. */
  root: string;
  packsDir: string;
  packetContext: Omit<PacketContext, 'taskId'>;
};

export type RecordedFixOutcome = {
  task: Pick<Task, 'id' | 'state' | 'kind'>;
  event: number;
  body: FixRecordEvent;
  /** The coverage task of a skipped coverage, and whether this record opened it. */
  coverage: { id: string; created: boolean } | null;
  /** False when the task's latest record is this one already: `event` is that one, nothing was written. */
  recorded: boolean;
  /** Paths the task's worktree changed but did not commit: not in the fix commit the record names. */
  uncommitted: string[];
};

/**
 * Records a bug fix's definition of done on its task: only on a bugfix task, only the record of
 * that task, with its regression located in the catalogue as it is at the fix commit (the pack,
 * the spec run at the owning layer, the title in its tests.yaml). A skipped coverage opens its
 * release-blocking coverage task instead. Everything is checked before anything is written.
 */
export async function recordFix(
  store: QueueStore,
  request: RecordFixRequest,
  project: RecordFixProject,
): Promise<RecordedFixOutcome> {
  const { record, source } = request.loaded;
  const task = await bugfixTask(store, request.taskId);
  if (record.task_id !== task.id)
    throw invalidRecord(source, [
      at(
        source,
        ['task_id'],
        'task-id',
        `the record is for task ${record.task_id}, but it is being recorded on task ${task.id}`,
        `record it on its own task (--task ${record.task_id}), or correct task_id`,
      ),
    ]);

  const { branch, base, worktree } = lastWorkspace(task, await store.events(task.id, 'claim'));
  if (!base)
    throw new PackgateError(
      'FIX_RECORD_INVALID',
      `task ${task.id} has no base commit to measure its fix from (it was not started with a worktree)`,
      { hint: `start it with a worktree: packgate task start ${task.id}` },
    );
  const fixCommit = record.fix_commit
    ? recordedCommit(project.root, source, record.fix_commit)
    : resolveRevision(project.root, request.commit ?? branch ?? 'HEAD');
  const baseCommit = resolveRevision(project.root, base);
  if (record.fix_commit && request.commit) {
    const given = resolveRevision(project.root, request.commit);
    if (given !== fixCommit)
      throw invalidRecord(source, [
        at(
          source,
          ['fix_commit'],
          'fix-commit-twice',
          `fix_commit ${record.fix_commit} is not the --commit given (${given.slice(0, 12)})`,
          'name the fix commit once: in the record, or with --commit',
        ),
      ]);
  }
  const off = offTheBranch(project.root, { id: task.id, branch, base: baseCommit, fix: fixCommit });
  if (off && record.fix_commit)
    throw invalidRecord(source, [
      at(
        source,
        ['fix_commit'],
        'fix-commit-off-branch',
        `the fix commit ${fixCommit.slice(0, 12)} ${off.why}`,
        `${off.hint}, or leave fix_commit out for its head`,
      ),
    ]);
  if (off && request.commit)
    throw new PackgateError(
      'FIX_RECORD_INVALID',
      `the fix commit ${fixCommit.slice(0, 12)} (--commit ${request.commit}) ${off.why}`,
      {
        hint: `${off.hint}, or leave --commit out for its head; nothing was recorded`,
      },
    );

  if (record.regression) {
    const problem = checkRegressionLocation(
      { cwd: project.root, commit: fixCommit, packsDir: project.packsDir },
      record.regression,
      record.owning_layer,
    );
    if (problem)
      throw new PackgateError(
        'FIX_RECORD_INVALID',
        `the regression of ${source.file} does not exist at the fix commit ${fixCommit.slice(0, 12)}: ` +
          `${record.regression.pack} › ${record.regression.spec} › "${record.regression.title}"`,
        {
          diagnostics: [at(source, ['regression', problem.field], problem.rule, problem.message, problem.hint)],
          hint: 'name a test the fix commit has at the owning layer (commit it first), or give --commit; nothing was recorded',
        },
      );
  }

  const coverage = record.skipped_coverage ? await coverageTask(store, task, request, project, fixCommit) : null;
  const body: FixRecordEvent = { record, fixCommit, baseCommit, coverageTask: coverage?.id ?? null };
  const summary = { id: task.id, state: task.state, kind: task.kind };
  const uncommitted = uncommittedWork(worktree, baseCommit);
  // The same record again (a command run twice) is the one recorded: a new event would be a newer record
  // than the one its regression proof proves, and the proof would have to be made again for nothing.
  const latest = (await store.events(task.id, 'fix-record')).at(-1);
  if (latest && isDeepStrictEqual(latest.body, JSON.parse(JSON.stringify(body))))
    return { task: summary, event: latest.id, body, coverage, recorded: false, uncommitted };
  const event = await store.addEvent(task.id, 'fix-record', body, request.actor);
  return { task: summary, event: event.id, body, coverage, recorded: true, uncommitted };
}

/**
 * What the task's worktree has changed and not committed (untracked files included): no record or
 * proof sees it, since both are of commits. Nothing when the worktree is gone.
 */
export function uncommittedWork(worktree: string | null, base: string): string[] {
  if (!worktree || !fs.existsSync(worktree)) return [];
  return changedFiles(worktree, base)
    .filter(change => change.uncommitted)
    .map(change => change.path);
}

async function bugfixTask(store: QueueStore, id: string): Promise<Task> {
  const task = await store.getTask(id);
  if (!task)
    throw new PackgateError('FIX_RECORD_INVALID', `task ${id} is not in the queue store`, {
      hint: 'record a bug fix on its bugfix task; list them with: packgate task list',
    });
  if (task.kind !== 'bugfix')
    throw new PackgateError(
      'FIX_RECORD_INVALID',
      `task ${id} is a ${task.kind} task: only a bugfix task has a bug-fix record`,
      { hint: 'a bug fix is its own task: packgate packet new --kind bugfix ...' },
    );
  if (task.state === 'done')
    throw new PackgateError('FIX_RECORD_INVALID', `task ${id} is done: its review accepted the record it had`, {
      hint: 'a record now would change what was reviewed; a new bug is a bugfix task of its own',
    });
  return task;
}

/** The record's own fix_commit, resolved; one this repository does not have is a problem located in the record. */
function recordedCommit(root: string, source: YamlSource, revision: string): string {
  try {
    return resolveRevision(root, revision);
  } catch (error) {
    if (!(error instanceof PackgateError)) throw error;
    throw invalidRecord(source, [
      at(
        source,
        ['fix_commit'],
        'unknown-commit',
        `fix_commit ${revision} is not a commit of this repository`,
        'name the commit of the fix (git log on the task branch), or leave fix_commit out for its head',
      ),
    ]);
  }
}

/**
 * Why a fix commit is not one of the task's own (from its base to its branch's head), if it is not:
 * any other (main moved on, another branch) would be proven against the base for minutes, then
 * refused in review as not what the branch holds.
 */
function offTheBranch(
  root: string,
  task: { id: string; branch: string | null; base: string; fix: string },
): { why: string; hint: string } | undefined {
  const ok = (args: string[]) => {
    try {
      return git(root, args);
    } catch {
      return undefined;
    }
  };
  // A branch deleted since is no bound: the base still is.
  const head = task.branch ? ok(['rev-parse', '--verify', '--quiet', `${task.branch}^{commit}`])?.trim() : undefined;
  const contains = (commit: string, ancestor: string) =>
    ok(['merge-base', '--is-ancestor', ancestor, commit]) !== undefined;
  if (contains(task.fix, task.base) && (!head || contains(head, task.fix))) return undefined;
  return {
    why:
      `is not on task ${task.id}'s branch${task.branch ? ` ${task.branch}` : ''}: its commits ` +
      `run from its base ${task.base.slice(0, 12)}${head ? ` to its head ${head.slice(0, 12)}` : ''}`,
    hint: `name a commit of the branch (git log ${task.branch ?? `${task.base.slice(0, 12)}..`})`,
  };
}

/** The coverage task of a skipped coverage: its packet derived from the fix's and checked as `packet check` checks it. */
async function coverageTask(
  store: QueueStore,
  task: Task,
  request: RecordFixRequest,
  project: RecordFixProject,
  fixCommit: string,
): Promise<{ id: string; created: boolean }> {
  const { record } = request.loaded;
  const id = coverageTaskId(task.id);
  const existing = await store.getTask(id);
  if (existing) return { id, created: false };
  const parent = checkedTaskPacket(task, project.packetContext);
  const packet = checkedCoveragePacket(
    coveragePacket(parent, record, {
      id,
      fixCommit,
      packsDir: project.packsDir,
      governance: project.packetContext.governance?.value,
    }),
    project.packetContext,
  );
  const reason = `no regression at the ${record.owning_layer} layer for ${task.id}: ` + record.skipped_coverage!.trim();
  return openCoverageTask(store, packet, reason, request.actor);
}

function checkedCoveragePacket(packet: ContextPacket, context: Omit<PacketContext, 'taskId'>): ContextPacket {
  const source = new YamlSource(`task:${packet.task_id}`, renderPacket(packet));
  const { packet: checked, diagnostics } = checkPacket(source, context);
  if (!checked)
    throw new PackgateError(
      'PACKET_INVALID',
      `the packet of coverage task ${packet.task_id}, derived from its bug fix's, does not pass ` +
        `(${summarizeDiagnostics(diagnostics)})`,
      { diagnostics, hint: "fix the bug fix's packet (packgate packet attach <file>) and record again" },
    );
  return checked;
}
