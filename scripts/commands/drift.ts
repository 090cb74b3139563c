import { runDrift } from '../../src/loop/run-drift.ts';
import { checkedTaskPacket } from '../../src/loop/task-packet.ts';
import { taskWorkspace } from '../../src/loop/task-workspace.ts';
import { actorOf, emit, plural, project, table, withStore, type CommonOptions } from './kit.ts';

export type DriftOptions = CommonOptions & {
  task: string;
  base?: string;
  dir?: string;
  needed: string[];
  unrelated: string[];
};

/**
 * The task's changes against its packet, by the drift rules. Exit 0 when every change is owned;
 * 1 when anything is not: a must_not_touch or needed-outside change escalates the task, a change
 * outside ownership that is not needed proposes a follow-up task.
 */
export async function drift(options: DriftOptions): Promise<void> {
  const p = project();
  const outcome = await withStore(p, async store => {
    const task = await store.requireTask(options.task);
    const packet = checkedTaskPacket(task, {
      catalogue: p.catalogue(),
      governance: p.governance(),
      governanceFile: p.governanceFile,
    });
    const { dir, base } = taskWorkspace(p.root, task, await store.events(task.id, 'claim'), options);
    return runDrift(store, {
      taskId: task.id,
      packet,
      dir,
      base,
      judgement: { needed: options.needed, unrelated: options.unrelated },
      actor: actorOf(options),
      command: `packgate drift --task ${task.id}`,
    });
  });
  emit(options, { ...outcome }, [
    `drift of ${options.task} since ${outcome.base.slice(0, 12)}: ${plural(outcome.changes.length, 'changed file')}` +
      (outcome.clean ? ', all inside the packet' : ''),
    ...(outcome.changes.length
      ? table(
          ['RULE', 'FILE', 'WHY'],
          outcome.changes.map(c => [String(c.rule), c.path, c.why]),
        ).map(l => `  ${l}`)
      : []),
    ...(outcome.escalations.length
      ? [
          outcome.escalated
            ? `task ${options.task} escalated: stop and get the owning lane's decision`
            : `escalation recorded on ${options.task}`,
        ]
      : []),
    ...outcome.proposed.map(f => `follow-up task proposed: ${f.id} (${f.path}); revert the change here`),
    ...(outcome.unrelated.length ? [`unrelated: revert ${outcome.unrelated.map(c => c.path).join(', ')}`] : []),
  ]);
  if (!outcome.clean) process.exitCode = 1;
}
