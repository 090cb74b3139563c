import { PackgateError } from '../../src/diagnostics/errors.ts';
import { runDrift } from '../../src/loop/run-drift.ts';
import { openTask } from '../../src/loop/open-task.ts';
import { actorOf, emit, packetContext, plural, project, table, withStore, type CommonOptions } from './kit.ts';

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
    const opened = await openTask(store, options, { root: p.root, packetContext: packetContext(p) });
    // A done task's changes were reviewed as they were: what is in its worktree now is no drift of it.
    if (opened.task.state === 'done')
      throw new PackgateError('INPUT_INVALID', `task ${opened.task.id} is done: there is no work of it to judge`, {
        hint: 'a change made after its review is a task of its own: packgate packet new ...',
      });
    return runDrift(store, opened, {
      judgement: { needed: options.needed, unrelated: options.unrelated },
      actor: actorOf(options),
      command: `packgate drift --task ${options.task}`,
      governance: p.governance()?.value,
      governanceFile: p.governanceFile,
    });
  });
  emit(
    options,
    { ...outcome },
    [
      `drift of ${options.task} since ${outcome.base.slice(0, 12)}: ${plural(outcome.changes.length, 'changed file')}` +
        (outcome.clean ? ', all inside the packet' : ''),
      ...(outcome.changes.length
        ? table(
            ['RULE', 'FILE', 'WHY'],
            outcome.changes.map(c => [
              String(c.rule),
              `${c.path}${c.uncommitted ? ' (changes not committed)' : ''}`,
              c.why,
            ]),
          ).map(l => `  ${l}`)
        : []),
      ...notCommitted(outcome.changes),
      ...(outcome.escalations.length
        ? [
            outcome.escalated
              ? `task ${options.task} escalated (escalation #${outcome.escalation?.id}): stop and get the owning lane's decision`
              : `escalation #${outcome.escalation?.id} recorded on ${options.task}`,
            ...(outcome.escalation?.crossed ?? []).map(
              c => `  ${c.path} crossed ${c.boundary}; ${c.lane ? `lane ${c.lane} owns it` : 'no lane owns it'}`,
            ),
          ]
        : []),
      ...outcome.proposed.map(
        f => `follow-up task proposed: ${f.id} (${f.path}, lane ${f.ownerLane}, with a packet); revert the change here`,
      ),
      ...(outcome.unrelated.length ? [`unrelated: revert ${outcome.unrelated.map(c => c.path).join(', ')}`] : []),
    ],
    outcome.clean ? 0 : 1,
  );
}

/**
 * Work in the worktree that is not committed (untracked, or changed since the last commit) is judged
 * like the rest, but review accepts the task's branch and main merges it: uncommitted, neither sees it.
 */
export function notCommitted(changes: ReadonlyArray<{ uncommitted?: true }>): string[] {
  const count = changes.filter(c => c.uncommitted).length;
  if (!count) return [];
  return [
    `${plural(count, 'file')} with changes not committed: not on the task's branch, which review accepts and main merges; ` +
      `commit ${count === 1 ? 'it' : 'them'} (git add ... && git commit)`,
  ];
}
