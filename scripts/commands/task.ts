import { staleCheckpointLine, taskCheckpointClock } from '../../src/coordinator/stale-checkpoint.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { FORCED_PREFIX, moveTask } from '../../src/loop/move-task.ts';
import { lastMoveInto, movedAt } from '../../src/loop/moved-into.ts';
import { acceptanceItemsHint, proveAcceptance } from '../../src/loop/prove.ts';
import { assertStartable, restoreLostWorktree, startTask } from '../../src/loop/start-task.ts';
import { checkedTaskPacket } from '../../src/loop/task-packet.ts';
import { renderPacket } from '../../src/packet/packet-source.ts';
import type { Checkpoint } from '../../src/store/checkpoint-schema.ts';
import type { Escalation } from '../../src/store/escalation-schema.ts';
import { noSessionGivenHint } from '../../src/store/no-session-hint.ts';
import { closeoutLines } from '../../src/watch/closeout-lines.ts';
import { taskStateSchema, taskStates, type TaskSummary, type Transition } from '../../src/store/queue-schema.ts';
import { oneOf } from '../../src/diagnostics/nearest.ts';
import {
  actorOf,
  assertLaneKnown,
  assertSessionKnown,
  assertTrackKnown,
  gateRunNumber,
  emit,
  packetContext,
  plural,
  project,
  sessionOf,
  splitList,
  table,
  withStore,
  type CommonOptions,
} from './kit.ts';
import { eventLines } from './task-events.ts';

/** Claims a task for a session and gives it a worktree and branch with its packet inside. */
export async function taskStart(
  id: string,
  options: CommonOptions & { session?: string; base?: string; worktree: boolean; force?: boolean; reason?: string },
): Promise<void> {
  const p = project();
  const force = forceOf(options);
  const given = sessionOf(p, options, false);
  const session = given ?? sessionOf(p, options, true)!;
  const started = await withStore(p, async store => {
    const task = await store.requireTask(id);
    if (task.holder?.session === session.id) {
      const { worktree, branch, base } = task.workspace ?? {};
      const restored =
        options.worktree && worktree && branch && base
          ? restoreLostWorktree(
              {
                root: p.root,
                storeLocation: p.storeLocation(),
                governance: p.governance()?.value,
                taskId: id,
                packet: checkedTaskPacket(task, packetContext(p)),
                session,
              },
              { worktree, branch, base },
            )
          : undefined;
      return { task, already: true as const, restored };
    }
    // Started again from a new shell, no session given: the live hold may well be this person's own.
    if (!given && task.holder && !task.holder.stale) {
      throw new PackgateError(
        'TASK_HELD',
        `task ${id} is held by session ${task.holder.session} since ${task.holder.since} (last heartbeat ${task.holder.heartbeatAt})`,
        {
          hint: noSessionGivenHint(
            { taskId: id, session: task.holder.session, worktree: task.workspace?.worktree },
            'pick another task (packgate task next), or wait until that hold is released or stale',
          ),
        },
      );
    }
    // A proposed task most often lacks the packet that makes it ready: that is said first (startTask checks the rest).
    if (task.state !== 'proposed') assertStartable(task);
    const packet = checkedTaskPacket(task, packetContext(p));
    const workspace = await startTask({
      root: p.root,
      store,
      storeLocation: p.storeLocation(),
      governance: p.governance()?.value,
      taskId: id,
      packet,
      session,
      actor: actorOf(options),
      base: options.base,
      worktree: options.worktree,
      force,
    });
    return { task: await store.requireTask(id), already: false as const, workspace };
  });
  const workspace = started.already ? started.task.workspace : started.workspace;
  const restored = started.already && started.restored !== undefined;
  emit(options, { task: started.task, session: session.id, workspace, already: started.already, restored }, [
    started.already
      ? `task ${id} is already held by your session ${session.id}${restored ? ': its worktree was gone, and is made again on its branch' : ''}`
      : `task ${id} started: in_progress, held by session ${session.id}`,
    ...(workspace?.worktree
      ? [
          `  worktree ${workspace.worktree} on branch ${workspace.branch}`,
          `  packet   ${workspace.worktree}/.packgate/packet.yaml`,
        ]
      : []),
    `work in it with: ${workspace?.worktree ? `cd ${workspace.worktree} && ` : ''}export PACKGATE_SESSION=${session.id} TASK_ID=${id}`,
  ]);
}

/** --force needs a reason (it is recorded on the task), and a reason is only for --force. */
function forceOf(options: { force?: boolean; reason?: string }): { reason: string } | undefined {
  const reason = options.reason?.trim();
  if (options.force && !reason)
    throw new PackgateError(
      'INPUT_INVALID',
      '--force needs --reason: why the task starts before its dependencies are done',
      {
        hint: 'e.g. --force --reason "the dependency only renames a file this task does not touch"',
      },
    );
  if (!options.force && options.reason !== undefined)
    throw new PackgateError('INPUT_INVALID', '--reason goes with --force (it is the reason for the override)', {
      hint: 'drop --reason, or add --force to start before the dependencies are done',
    });
  return options.force ? { reason: reason! } : undefined;
}

/** Gives a held task up: back to ready (or parked, blocked, escalated), the hold released on the record. */
export async function taskRelease(
  id: string,
  options: CommonOptions & { session?: string; to: string; reason: string; force?: boolean },
): Promise<void> {
  const p = project();
  const to = parseState(options.to, ['ready', 'parked', 'blocked', 'escalated']) as
    'ready' | 'parked' | 'blocked' | 'escalated';
  const session = sessionOf(p, options, false);
  const move = await withStore(p, store =>
    store.release(id, {
      session: session?.id,
      force: options.force,
      to,
      actor: actorOf(options),
      reason: options.reason,
    }),
  );
  emit(options, { transition: move }, `task ${id} released: ${move.from} -> ${move.to} (${move.reason})`);
}

/** Moves a task by hand, with a reason; illegal moves are refused with the legal ones named. */
export async function taskMove(
  id: string,
  state: string,
  options: CommonOptions & { reason: string; force?: boolean },
): Promise<void> {
  const p = project();
  const to = parseState(state, taskStates);
  const move = await withStore(p, async store => {
    let packetChecked = false;
    if (to === 'ready') {
      checkedTaskPacket(await store.requireTask(id), packetContext(p));
      packetChecked = true;
    }
    return moveTask(store, {
      taskId: id,
      to,
      reason: options.reason,
      actor: actorOf(options),
      packetChecked,
      force: options.force,
      coordinators: options.force
        ? { names: p.governance()?.value.review.coordinators ?? [], file: p.governanceFile }
        : undefined,
    });
  });
  const shown = withForced(move);
  emit(
    options,
    { transition: shown },
    `task ${id}: ${move.from} -> ${move.to}${shown.forced ? ' FORCED' : ''} (${move.reason})`,
  );
}

/** A transition as shown: `forced` when a coordinator forced it past its review. */
function withForced(transition: Transition): Transition & { forced: boolean } {
  return { ...transition, forced: transition.reason.startsWith(FORCED_PREFIX) };
}

/** A task with everything recorded on it: transitions, escalations, gate runs, events. */
export async function taskShow(id: string, options: CommonOptions & { packet?: boolean }): Promise<void> {
  const p = project();
  const shown = await withStore(p, async store => ({
    task: await store.requireTask(id),
    checkpoint: await taskCheckpointClock(store, await store.requireTask(id), () => p.governance()?.value),
    checkpoints: await store.checkpoints(id),
    transitions: (await store.transitions(id)).map(withForced),
    events: await store.events(id),
    gateRuns: await store.gateRuns({ taskId: id }),
    escalations: await store.escalations(id),
    releaseHolds: await store.releaseHolds({ taskId: id }),
    watchCloseouts: await store.watchCloseouts({ taskId: id }),
  }));
  const { task, transitions, events, gateRuns, escalations, releaseHolds } = shown;
  if (options.packet && !options.json) {
    if (!task.packet) throw new PackgateError('PACKET_INVALID', `task ${id} has no packet`);
    process.stdout.write(renderPacket(task.packet as Record<string, unknown>));
    return;
  }
  emit(options, shown, [
    `${task.id}  ${task.state}  ${task.kind}  ${task.title}`,
    `  lane ${task.ownerLane ?? '-'}, track ${task.trackId ?? '-'}${task.origin ? `, follow-up of ${task.origin}` : ''}; ` +
      `packet ${task.packetDigest ? task.packetDigest.slice(0, 12) : 'none'}`,
    `  depends on: ${task.dependsOn.join(', ') || 'nothing'}`,
    `  held by: ${task.holder ? `${task.holder.session} since ${task.holder.since}${task.holder.stale ? ' (STALE)' : ''}` : 'nobody'}`,
    ...staleCheckpointLine(task, shown.checkpoint),
    ...(task.workspace?.worktree
      ? [`  worktree: ${task.workspace.worktree} (${task.workspace.branch}, base ${task.workspace.base?.slice(0, 12)})`]
      : []),
    'transitions:',
    ...transitions.map(
      t => `  ${t.at}  ${t.from ?? '-'} -> ${t.to}${t.forced ? ' FORCED' : ''}  by ${t.actor}: ${t.reason}`,
    ),
    ...(gateRuns.length
      ? [
          'gate runs:',
          ...gateRuns.map(
            r =>
              `  #${r.id} ${r.verdict} in ${r.environment} at ${r.gitCommit?.slice(0, 12) ?? '?'} (${plural(r.evidence.length, 'evidence file')})`,
          ),
        ]
      : []),
    ...checkpointLines(shown.checkpoints),
    ...(escalations.length ? ['escalations:', ...escalations.flatMap(escalationLines)] : []),
    ...closeoutLines(shown.watchCloseouts),
    ...(releaseHolds.length
      ? [
          'release holds:',
          ...releaseHolds.map(
            h =>
              `  #${h.id} ${h.active ? 'HOLDS' : 'cleared'} ${h.pack} since ${h.since}: ${h.reason}` +
              (h.clearedAs
                ? ` (${h.clearedAs} accepted by ${h.clearedBy}${h.riskExpiresAt ? ` until ${h.riskExpiresAt}` : ''})`
                : ''),
          ),
        ]
      : []),
    ...eventLines(events, shown.checkpoints),
  ]);
}

export async function taskList(
  options: CommonOptions & { state?: string; lane?: string; track?: string; heldBy?: string; stale?: boolean },
): Promise<void> {
  const p = project();
  const states = splitList(options.state?.replace(/,/g, ';')).map(s => parseState(s, taskStates));
  const tasks = await withStore(p, async store => {
    await assertLaneKnown(p, store, options.lane);
    await assertTrackKnown(store, options.track);
    await assertSessionKnown(store, options.heldBy);
    return store.listTasks({
      states,
      lane: options.lane,
      track: options.track,
      heldBy: options.heldBy,
      stale: options.stale,
    });
  });
  emit(options, { tasks }, tasks.length ? summaryTable(tasks) : 'no tasks match');
}

/** Ready tasks whose dependencies are all done: what can be started now. */
export async function taskNext(options: CommonOptions & { lane?: string; track?: string }): Promise<void> {
  const p = project();
  const tasks = await withStore(p, async store => {
    await assertLaneKnown(p, store, options.lane);
    await assertTrackKnown(store, options.track);
    return store.nextTasks({ lane: options.lane, track: options.track });
  });
  emit(options, { tasks }, tasks.length ? summaryTable(tasks) : 'nothing is ready with its dependencies done');
}

export async function taskDepend(id: string, options: CommonOptions & { on: string[] }): Promise<void> {
  const p = project();
  const task = await withStore(p, async store => {
    await store.addDependencies(id, options.on, actorOf(options));
    return store.requireTask(id);
  });
  emit(options, { task: { id, dependsOn: task.dependsOn } }, `task ${id} depends on: ${task.dependsOn.join(', ')}`);
}

export async function taskProve(
  id: string,
  options: CommonOptions & { item: string; run?: string; file?: string; note?: string },
): Promise<void> {
  const p = project();
  // Digits only: Number('abc') is NaN, and Number('') or Number(' ') is 0, neither an item a person named.
  const item = /^\d+$/.test(options.item) ? Number(options.item) : NaN;
  const run = options.run === undefined ? undefined : gateRunNumber(options.run, '--run');
  const { event, recorded } = await withStore(p, async store => {
    const task = await store.requireTask(id);
    if (!task.packet) throw new PackgateError('PACKET_INVALID', `task ${id} has no packet, so no acceptance items`);
    if (task.state === 'done')
      throw new PackgateError('INPUT_INVALID', `task ${id} is done: its review accepted it as it was proven`, {
        hint: 'a proof now would change what was reviewed; what is left to do is a task of its own',
      });
    // The handoff holds the proofs its reviewer reviews: one recorded after it is in no handoff.
    if (task.state === 'in_review') {
      const handedOff = await lastMoveInto(store, id, 'in_review');
      throw new PackgateError(
        'INPUT_INVALID',
        `task ${id} is in review${handedOff ? ` since ${movedAt(handedOff)}` : ''}: ` +
          'its handoff holds the proofs its reviewer reviews, and a proof now would be in none',
        {
          hint:
            `to add one, the review requests changes (packgate review submit --task ${id} --request-changes), ` +
            'which sends it back to in_progress; then prove it and hand it off again',
        },
      );
    }
    const packet = checkedTaskPacket(task, packetContext(p));
    if (Number.isNaN(item))
      throw new PackgateError(
        'INPUT_INVALID',
        `--item must be the number of an acceptance item, e.g. 1, not "${options.item}"`,
        { hint: acceptanceItemsHint(packet) },
      );
    return proveAcceptance(store, {
      root: p.root,
      taskId: id,
      packet,
      item,
      run,
      file: options.file,
      note: options.note,
      actor: actorOf(options),
    });
  });
  const proof =
    run !== undefined ? `gate run #${run}` : `${event.body.file} (sha256 ${String(event.body.digest).slice(0, 12)})`;
  emit(
    options,
    { event, recorded },
    recorded
      ? `acceptance item ${item} of ${id} proven by ${proof}`
      : `acceptance item ${item} of ${id} is proven by ${proof} already (recorded ${event.at} by ${event.actor}); nothing recorded`,
  );
}

/**
 * The task's checkpoints: one line each, and the latest in full (its seven fields), since that is
 * where the coordinator left the goal, the drift and what comes next. `--json` has them all in full.
 */
function checkpointLines(checkpoints: Checkpoint[]): string[] {
  const latest = checkpoints.at(-1);
  if (!latest) return [];
  const head = (c: Checkpoint) => {
    const did = [
      c.outcome.movedTo ? `-> ${c.outcome.movedTo}` : '',
      c.outcome.escalatedTo ? `escalated to ${c.outcome.escalatedTo}` : '',
      c.outcome.splitInto.length ? `split into ${c.outcome.splitInto.join(', ')}` : '',
    ].filter(Boolean);
    return `  #${c.number} ${c.createdAt}  ${c.decision}${did.length ? ` (${did.join('; ')})` : ''} by ${c.createdBy}`;
  };
  return [
    'checkpoints:',
    ...checkpoints.slice(0, -1).map(c => `${head(c)}: blocked on: ${c.blockedOn}`),
    head(latest),
    `    goal: ${latest.originalGoal}${latest.goalChanged ? ' (GOAL CHANGED from the packet)' : ''}`,
    `    track: ${latest.currentTrack}`,
    `    changed: ${latest.whatChanged}`,
    `    drift: ${latest.driftDiscovered}`,
    `    blocked on: ${latest.blockedOn}`,
    ...latest.nextActions.map((a, i) => `    next ${i + 1}: ${a}`),
  ];
}

/** An escalation as `task show` (and `watch show`) print it: what crossed which boundary, the diff, the stop conditions. */
export function escalationLines(e: Escalation): string[] {
  return [
    `  #${e.id} ${e.createdAt} ${e.source} by ${e.createdBy}${e.to ? `, to ${e.to}` : ''}${e.moved ? '' : ' (the task stayed where it was)'}: ${e.reason}`,
    ...e.crossed.map(
      c => `    ${c.path} crossed ${c.boundary}; ${c.lane ? `lane ${c.lane} owns it` : 'no lane owns it'}`,
    ),
    ...(e.paths.length ? [`    diff since ${e.base?.slice(0, 12) ?? '?'}: ${e.paths.join(', ')}`] : []),
    ...e.stopConditions.map(c => `    stop condition: ${c}`),
  ];
}

function summaryTable(tasks: TaskSummary[]): string[] {
  return table(
    ['TASK', 'STATE', 'LANE', 'HELD BY', 'TITLE'],
    tasks.map(t => [
      t.id,
      t.state,
      t.ownerLane ?? '-',
      t.holder ? `${t.holder.session}${t.holder.stale ? ' (stale)' : ''}` : '-',
      t.title,
    ]),
  );
}

function parseState<S extends string>(value: string, allowed: readonly S[]): S {
  const parsed = taskStateSchema.safeParse(value);
  if (!parsed.success || !allowed.includes(parsed.data as S))
    throw new PackgateError('INPUT_INVALID', `"${value}" is not a state here`, {
      hint: oneOf(value, allowed),
    });
  return parsed.data as S;
}
