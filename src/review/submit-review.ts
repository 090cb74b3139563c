import type { Located } from '../catalogue/load.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { changedFiles, headCommit } from '../git/git.ts';
import type { Governance } from '../governance/governance-schema.ts';
import { judgeDrift } from '../loop/drift.ts';
import type { OpenedTask } from '../loop/open-task.ts';
import { lastWorkspace } from '../loop/task-workspace.ts';
import type { TaskEvent, Transition } from '../store/queue-schema.ts';
import type { QueueStore, SessionInfo } from '../store/queue-store.ts';
import type { ReleaseHold } from '../store/release-hold-schema.ts';
import { isLegalTransition } from '../store/task-states.ts';
import { coverageTaskId } from './coverage-task.ts';
import { answerQuestions, type Override, type ReviewAnswers } from './questions.ts';
import { recordedFix, recordedProof } from './recorded.ts';
import { acceptingLanes, routeReview, type ReviewRouting } from './route.ts';

export type ReviewDecision = 'accepted' | 'changes-requested';

export type ReviewRequest = {
  decision: ReviewDecision;
  /** Who reviews: the actor, its session (if any) and the lane it reviews for (if it names one). */
  reviewer: { actor: string; session: string | null; lane: string | null };
  whatFailed?: string;
  whyMissed?: string;
  overrides: readonly Override[];
  /** The governance file, located: a refusal names the line of the lane's reviewers. */
  governance: Located<Governance> | undefined;
};

/** Who handed the task off: the handoff event's actor, the session that held the task then, and the commit. */
export type HandedOffBy = { event: number; actor: string; session: string | null; head: string | null };

export type ReviewOutcome = {
  event: TaskEvent;
  transition: Transition;
  answers: ReviewAnswers;
  routing: ReviewRouting;
  handoff: HandedOffBy;
  /** Release holds the accepted review cleared as coverage. */
  clearedHolds: ReleaseHold[];
  /** The coverage task of an earlier record, made needless by the accepted regression. */
  coverage?: CoverageClosed;
};

export type CoverageClosed = { id: string; clearedHolds: ReleaseHold[]; parked: boolean };

/**
 * A review of a task in review: the six questions answered (four from the data), and the decision.
 * Refused (REVIEW_REFUSED, nothing written) when the reviewer handed the task off (same actor or
 * same session), when an accept does not name a routed lane, and when a bug fix is accepted without
 * its record and its proof (or its coverage task). Accepted: the task moves to done with the
 * review, in one store call, and its release holds are cleared as covered. Changes requested: the
 * task goes back to in_progress, held again by the session that handed it off, the review attached.
 */
export async function submitReview(
  store: QueueStore,
  opened: OpenedTask,
  request: ReviewRequest,
): Promise<ReviewOutcome> {
  const { task, packet, dir, base } = opened;
  const { reviewer } = request;
  const governance = request.governance?.value;
  const bugfix = task.kind === 'bugfix';

  if (reviewer.lane && governance && !Object.keys(governance.lanes).includes(reviewer.lane))
    throw new PackgateError('INPUT_INVALID', `--lane ${reviewer.lane} is not one of the lanes`, {
      hint: `one of: ${Object.keys(governance.lanes).join(', ')}`,
    });
  const laneReviewers = reviewer.lane ? governance?.lanes[reviewer.lane]?.reviewers : undefined;
  if (laneReviewers && !laneReviewers.includes(reviewer.actor)) {
    const { file } = request.governance!.source;
    const { line } = request.governance!.source.locate(['lanes', reviewer.lane!, 'reviewers']);
    throw refused(
      `${reviewer.actor} does not review for lane ${reviewer.lane}: ${file}:${line} names ` +
        `${laneReviewers.join(', ')} (lanes.${reviewer.lane}.reviewers)`,
      `review as one of them (--actor, PACKGATE_ACTOR), or add ${reviewer.actor} to lanes.${reviewer.lane}.reviewers in ${file}`,
    );
  }
  const missingAnswers = [
    ...((bugfix || request.decision === 'changes-requested') && !request.whatFailed?.trim() ? ['--what-failed'] : []),
    ...(bugfix && !request.whyMissed?.trim() ? ['--why-missed'] : []),
  ];
  if (missingAnswers.length)
    throw new PackgateError(
      'INPUT_INVALID',
      `the review of ${task.id} needs ${missingAnswers.join(' and ')}: ${
        bugfix ? 'a bug fix is reviewed by what failed and why the tests missed it' : 'say what must change'
      }`,
      { hint: `e.g. ${missingAnswers.map(flag => `${flag} "..."`).join(' ')}` },
    );

  const head = headCommit(dir) ?? null;
  const changes = changedFiles(dir, base);
  const drift = judgeDrift(packet, changes);
  const routing = routeReview(
    governance,
    task.ownerLane,
    changes.map(c => c.path),
  );

  const handoff = await handedOffBy(store, task.id);
  if (reviewer.actor === handoff.actor) {
    // A routed lane whose only listed reviewer is the implementer can never accept: say how out.
    const sole = acceptingLanes(routing).find(r => r.actors?.every(actor => actor === handoff.actor));
    throw refused(
      `${reviewer.actor} handed ${task.id} off (handoff #${handoff.event}) and cannot review it` +
        (sole ? `, and is the only reviewer of lane ${sole.lane}, which must accept it` : ''),
      sole
        ? `add another reviewer to lanes.${sole.lane}.reviewers in ${request.governance!.source.file}, ` +
            `or a coordinator moves it to done: packgate task move ${task.id} done --force --reason "..."`
        : 'a reviewer is someone else: their name in --actor (PACKGATE_ACTOR)',
    );
  }
  if (reviewer.session && reviewer.session === handoff.session)
    throw refused(
      `session ${reviewer.session} handed ${task.id} off (handoff #${handoff.event}) and cannot review it`,
      "review in a session of your own: --session <id>, or a shell without the implementer's PACKGATE_SESSION",
    );
  const fix = bugfix ? await recordedFix(store, task.id) : undefined;
  const proof = fix ? await recordedProof(store, task.id, fix) : undefined;
  const answers = answerQuestions(
    { kind: task.kind, fix, proof, specialLogic: routing.specialLogic, drift },
    { whatFailed: request.whatFailed, whyMissed: request.whyMissed, overrides: request.overrides },
  );

  if (request.decision === 'accepted') {
    const accepting = acceptingLanes(routing);
    const lanes = accepting.map(r => r.lane);
    if (lanes.length && !(reviewer.lane && lanes.includes(reviewer.lane))) {
      const passedBy = reviewer.lane && routing.reviewers.some(r => r.lane === reviewer.lane);
      const route = `packgate review route --task ${task.id} says why`;
      throw refused(
        `the change must be reviewed for lane ${lanes.join(' or ')} (${accepting
          .map(r => `${r.lane}: ${r.paths.join(', ')}${r.actors ? `, reviewed by ${r.actors.join(', ')}` : ''}`)
          .join('; ')}); ` +
          (!reviewer.lane
            ? 'the reviewer named no lane'
            : passedBy
              ? `not ${reviewer.lane}: a routed lane that lists its reviewers is reviewed for by them, ` +
                `not passed by a review for another lane`
              : `not ${reviewer.lane}`),
        accepting[0].actors
          ? `review it for ${lanes[0]} as one of ${accepting[0].actors.join(', ')}: --lane ${lanes[0]} --actor <name> (${route})`
          : `review it for one of them: --lane ${lanes[0]} (${route})`,
      );
    }
    const missing = !bugfix
      ? []
      : !fix
        ? [`a bug-fix record (packgate review record --task ${task.id} --file <file>)`]
        : fix.record.regression
          ? proof
            ? []
            : [
                `a proof of its regression, red before the fix and green after (packgate review prove --task ${task.id})`,
              ]
          : fix.coverageTask
            ? []
            : ['the coverage task of its skipped coverage'];
    if (missing.length) throw refused(`bug fix ${task.id} cannot be accepted without ${missing.join(' and ')}`);
    // The record answers two of the six questions: whoever wrote it is no independent reviewer of it.
    if (fix && fix.actor === reviewer.actor)
      throw refused(
        `${reviewer.actor} recorded ${task.id}'s bug-fix record (event #${fix.event}) and cannot accept it: ` +
          'its root cause, owning layer and regression are what the review checks',
        'a reviewer is someone who wrote neither the fix nor its record: their name in --actor (PACKGATE_ACTOR)',
      );
    // What is accepted is the branch as it is now: it must be what was handed off and, for a bug fix, proven.
    const moved = movedSince(head, [
      ['handed off', handoff.head],
      ['recorded and proven', fix?.fixCommit ?? null],
    ]);
    if (moved)
      throw refused(
        `${task.id}'s branch is at ${short(head)}, but it was ${moved.what} at ${short(moved.at)}: ` +
          'what would be accepted is not what was reviewed',
        `send it back (--request-changes) for the implementer to hand off the branch as it is` +
          (bugfix ? ` and record and prove the fix at it (packgate review record, packgate review prove)` : ''),
      );
    // Nor is a change only in the worktree: it is judged in the answers above, but main merges the branch.
    const uncommitted = changes.filter(c => c.uncommitted).map(c => c.path);
    if (uncommitted.length)
      throw refused(
        `${task.id}'s worktree has changes not committed (${uncommitted.join(', ')}): ` +
          'they are not on its branch, which is what an accept accepts',
        'send it back (--request-changes) for the implementer to commit them and hand off again, or to remove them',
      );
  }

  const body = {
    decision: request.decision,
    reviewer,
    handoff,
    base,
    head,
    paths: routing.paths,
    routedLanes: routing.reviewers,
    specialLogic: routing.specialLogic,
    answers,
  };
  const transition =
    request.decision === 'accepted'
      ? await store.transition(task.id, {
          from: 'in_review',
          to: 'done',
          actor: reviewer.actor,
          reason: `review accepted by ${reviewer.actor}${reviewer.lane ? ` for ${reviewer.lane}` : ''}`,
          event: { kind: 'review', body },
        })
      : await store.claim(task.id, {
          session: await sessionOf(store, handoff),
          actor: reviewer.actor,
          reason: `changes requested by ${reviewer.actor}: ${answers.what_failed.answer}`,
          ...lastWorkspace(task, await store.events(task.id, 'claim')),
          event: { kind: 'review', body },
        });
  const event = (await store.events(task.id, 'review')).at(-1)!;

  let clearedHolds: ReleaseHold[] = [];
  if (request.decision === 'accepted')
    clearedHolds = await store
      .clearReleaseHolds(task.id, { as: 'coverage', actor: reviewer.actor, reason: `review #${event.id} accepted` })
      .catch((error: unknown) => {
        if (error instanceof PackgateError && error.code === 'NO_RELEASE_HOLD') return [];
        throw error;
      });
  const coverage =
    request.decision === 'accepted' && fix?.record.regression && proof
      ? await closeCoverageTask(store, task.id, reviewer.actor, event.id)
      : undefined;
  // The answers as stored, a credential in a reviewer's text redacted: what is printed is what was kept.
  const stored = (event.body as { answers?: ReviewAnswers }).answers ?? answers;
  return { event, transition, answers: stored, routing, handoff, clearedHolds, ...(coverage ? { coverage } : {}) };
}

/**
 * A coverage task an earlier record of the fix opened (its regression skipped then), made needless
 * by the regression the accepted record names and proves: its holds are cleared as covered and, if
 * nobody works on it, it is parked. One someone holds or has handed off is left to its own review.
 */
async function closeCoverageTask(
  store: QueueStore,
  taskId: string,
  actor: string,
  review: number,
): Promise<CoverageClosed | undefined> {
  const id = coverageTaskId(taskId);
  const coverage = await store.getTask(id);
  if (!coverage || coverage.state === 'done') return undefined;
  const reason = `covered by the regression of ${taskId}, proven and accepted in review #${review}`;
  const clearedHolds = await store.clearReleaseHolds(id, { as: 'coverage', actor, reason }).catch((error: unknown) => {
    if (error instanceof PackgateError && error.code === 'NO_RELEASE_HOLD') return [];
    throw error;
  });
  const parked = isLegalTransition(coverage.state, 'parked') && coverage.state !== 'in_progress';
  if (parked) await store.transition(id, { from: coverage.state, to: 'parked', actor, reason });
  return { id, clearedHolds, parked };
}

/** The task's latest handoff: its actor, and the session of the claim it ended (the holder at the handoff). */
export async function handedOffBy(store: QueueStore, taskId: string): Promise<HandedOffBy> {
  const events = await store.events(taskId);
  const handoff = events.filter(e => e.kind === 'handoff').at(-1);
  if (!handoff)
    throw new PackgateError('INPUT_INVALID', `task ${taskId} has no recorded handoff to review`, {
      hint: `hand it off first: packgate handoff --task ${taskId}`,
    });
  const claim = events.filter(e => e.kind === 'claim' && e.id < handoff.id).at(-1);
  return {
    event: handoff.id,
    actor: handoff.actor,
    session: (claim?.body.session as string | undefined) ?? null,
    head: (handoff.body.head as string | null | undefined) ?? null,
  };
}

/** The session that handed off, as registered (a session never registered is taken at its word). */
async function sessionOf(store: QueueStore, handoff: HandedOffBy): Promise<SessionInfo> {
  if (!handoff.session)
    throw refused(
      `no session held the task when it was handed off (handoff #${handoff.event}): nobody to send it back to`,
      'move it with: packgate task move <id> blocked --reason "..." and start it again',
    );
  const known = (await store.sessions()).find(s => s.id === handoff.session);
  return {
    id: handoff.session,
    actor: known?.actor ?? handoff.actor,
    host: known?.host ?? '',
    pid: known?.pid ?? null,
  };
}

/** The first of the commits something was done at that the head is not (commits compared whole or abbreviated). */
function movedSince(
  head: string | null,
  done: ReadonlyArray<readonly [what: string, at: string | null]>,
): { what: string; at: string } | undefined {
  if (!head) return undefined;
  const same = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
  const found = done.find(([, at]) => at && !same(head, at));
  return found && { what: found[0], at: found[1]! };
}

function short(commit: string | null): string {
  return commit ? commit.slice(0, 12) : 'no commit';
}

function refused(message: string, hint?: string): PackgateError {
  return new PackgateError('REVIEW_REFUSED', message, { hint });
}
