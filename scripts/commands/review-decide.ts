import type { Command } from 'commander';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { changedFiles, mainCheckoutOf, repoRoot } from '../../src/git/git.ts';
import type { Governance } from '../../src/governance/governance-schema.ts';
import type { Located } from '../../src/catalogue/load.ts';
import { loadGovernanceOrThrow } from '../../src/governance/load-governance.ts';
import { loadManifest, readWorktreePointer } from '../../src/store/open.ts';
import { openTask } from '../../src/loop/open-task.ts';
import { lastMoveInto, movedAt } from '../../src/loop/moved-into.ts';
import { parseOverrides, QUESTION_TEXT, reviewQuestions, type ReviewAnswers } from '../../src/review/questions.ts';
import { acceptingLanes, routeReview, type ReviewRouting } from '../../src/review/route.ts';
import { submitReview, type ReviewOutcome } from '../../src/review/submit-review.ts';
import {
  actorOf,
  emit,
  packetContext,
  plural,
  project,
  run,
  withStore,
  type CommonOptions,
  type Project,
} from './kit.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `review route` (who must review a task's change, and what in it is high-risk) and `review submit`
 * (the six questions answered, the task accepted to done or sent back to in_progress).
 */
export function registerReviewDecisionCommands(review: Command): void {
  const json = ['--json', 'print the result (or the error) as JSON'] as const;
  review
    .command('route')
    .description(
      "the lanes that must review a task's change and why, and the special logic it adds (governance.yaml review:)",
    )
    .requiredOption('--task <id>', 'the task')
    .option(...json)
    .action(options => run(options, () => reviewRoute(options)));
  review
    .command('submit')
    .description(
      'review a task in review: the six questions answered (owning layer, regression, special logic and ' +
        'stayed-in-packet from the data), then --accept (to done) or --request-changes (back to in_progress)',
    )
    .requiredOption('--task <id>', 'the task, in_review')
    .option('--accept', 'accept it: the task moves to done and its release holds clear as covered')
    .option('--request-changes', 'send it back to in_progress, held by the session that handed it off')
    .option('--what-failed <text>', 'question 1: what failed (required for a bug fix and to request changes)')
    .option('--why-missed <text>', 'question 3: why existing tests missed it (required for a bug fix)')
    .option(
      '--override <question=answer>',
      'contradict a derived answer (repeatable; each needs its --because)',
      collect,
      [],
    )
    .option('--because <text>', 'the reason of the --override before it', collect, [])
    .option('--lane <lane>', 'the lane the reviewer reviews for: an accept must name one the change is routed to')
    .option('--session <id>', "the reviewer's session (PACKGATE_SESSION): never the one that handed off")
    .option(...json)
    .option('--actor <name>', 'who reviews (PACKGATE_ACTOR; default user@host): never who handed off')
    .action(options => run(options, () => reviewSubmit(options)));
}

type RouteOptions = CommonOptions & { task: string };

/**
 * The governance a review is judged by. Inside a task's worktree it is the main checkout's, not the
 * task branch's: the implementer's branch (committed or not) must not decide who reviews it.
 */
function reviewGovernance(p: Project): Located<Governance> | undefined {
  if (!readWorktreePointer(p.root)) return p.governance();
  const repo = repoRoot(p.root)!;
  const home = mainCheckoutOf(repo, p.root);
  return loadGovernanceOrThrow(home, loadManifest(home));
}

async function reviewRoute(options: RouteOptions): Promise<void> {
  const p = project();
  const routing = await withStore(p, async store => {
    const opened = await openTask(store, { task: options.task }, { root: p.root, packetContext: packetContext(p) });
    return routeReview(
      reviewGovernance(p)?.value,
      opened.task.ownerLane,
      changedFiles(opened.dir, opened.base).map(c => c.path),
    );
  });
  emit(options, { task: options.task, ...routing }, routeLines(options.task, routing));
}

function routeLines(task: string, routing: ReviewRouting): string[] {
  return [
    `review route of ${task}: ${plural(routing.paths.length, 'changed path')}`,
    ...(routing.reviewers.length
      ? routing.reviewers.flatMap(r => [
          `  lane ${r.lane} must review ${r.paths.join(', ')}`,
          ...r.why.map(why => `    because ${why}`),
          ...(r.actors ? [`    reviewed by ${r.actors.join(', ')} (lanes.${r.lane}.reviewers)`] : []),
        ])
      : ['  no lane is routed: any reviewer may accept it']),
    ...openLanesLine(routing),
    `special logic: ${routing.specialLogic.length ? 'yes' : 'no'}`,
    ...routing.specialLogic.map(s => `  ${s.kind}: ${s.path} (${s.glob}): ${s.why}`),
  ];
}

/** Said when an open lane is routed beside one that lists its reviewers: a review for it accepts nothing. */
function openLanesLine(routing: ReviewRouting): string[] {
  const accepting = acceptingLanes(routing).map(r => r.lane);
  const open = routing.reviewers.filter(r => !accepting.includes(r.lane)).map(r => r.lane);
  if (!open.length) return [];
  return [
    `  accepted only for lane ${accepting.join(' or ')}, by its reviewers: a review for ${open.join(' or ')} ` +
      'does not stand in for theirs',
  ];
}

type SubmitOptions = CommonOptions & {
  task: string;
  accept?: boolean;
  requestChanges?: boolean;
  whatFailed?: string;
  whyMissed?: string;
  override: string[];
  because: string[];
  lane?: string;
  session?: string;
};

async function reviewSubmit(options: SubmitOptions): Promise<void> {
  if (!!options.accept === !!options.requestChanges)
    throw new PackgateError('INPUT_INVALID', 'a review decides: pass exactly one of --accept and --request-changes');
  const overrides = parseOverrides(options.override, options.because);
  const p = project();
  // The reviewer's own session, as given: a task worktree's pointer names the implementer's.
  const sessionId = options.session || process.env.PACKGATE_SESSION;
  const outcome = await withStore(p, async store => {
    const task = await store.requireTask(options.task);
    // Reviewed already (the same submit run twice, say): handing it off again is no way on.
    if (task.state === 'done') {
      const done = await lastMoveInto(store, task.id, 'done');
      throw new PackgateError(
        'INPUT_INVALID',
        `task ${task.id} is done${done ? ` (since ${movedAt(done)}, by ${done.actor}: ${done.reason})` : ''}: ` +
          'there is nothing to review',
        {
          hint: `done is final: see it with packgate task show ${task.id}; further work is a new task (packgate packet new)`,
        },
      );
    }
    if (task.state !== 'in_review')
      throw new PackgateError(
        'INPUT_INVALID',
        `task ${task.id} is ${task.state}, not in_review: there is nothing to review`,
        {
          hint: `a task is reviewed after its handoff: packgate handoff --task ${task.id}`,
        },
      );
    const opened = await openTask(store, { task: task.id }, { root: p.root, packetContext: packetContext(p) });
    return submitReview(store, opened, {
      decision: options.accept ? 'accepted' : 'changes-requested',
      reviewer: { actor: actorOf(options), session: sessionId ?? null, lane: options.lane ?? null },
      whatFailed: options.whatFailed,
      whyMissed: options.whyMissed,
      overrides,
      governance: reviewGovernance(p),
    });
  });
  emit(
    options,
    {
      task: options.task,
      review: outcome.event.id,
      decision: outcome.event.body.decision,
      transition: outcome.transition,
      answers: outcome.answers,
      reviewers: outcome.routing.reviewers,
      specialLogic: outcome.routing.specialLogic,
      handoff: outcome.handoff,
      clearedHolds: outcome.clearedHolds,
      coverage: outcome.coverage ?? null,
    },
    submitLines(options.task, outcome),
  );
}

function submitLines(task: string, outcome: ReviewOutcome): string[] {
  const accepted = outcome.event.body.decision === 'accepted';
  return [
    `review #${outcome.event.id} of ${task}: ${accepted ? 'accepted' : 'changes requested'}`,
    ...answerLines(outcome.answers),
    accepted
      ? `task ${task}: in_review -> done` +
        (outcome.clearedHolds.length
          ? `; release holds cleared as covered: ${outcome.clearedHolds.map(h => `#${h.id} ${h.pack}`).join(', ')}`
          : '')
      : `task ${task}: in_review -> in_progress, held by session ${outcome.handoff.session} again`,
    ...(outcome.coverage
      ? [
          `coverage task ${outcome.coverage.id}: covered by this regression` +
            (outcome.coverage.clearedHolds.length
              ? `; its release holds cleared: ${outcome.coverage.clearedHolds.map(h => `#${h.id} ${h.pack}`).join(', ')}`
              : '') +
            (outcome.coverage.parked ? '; parked' : '; left to its own review (someone works on it)'),
        ]
      : []),
  ];
}

function answerLines(answers: ReviewAnswers): string[] {
  return reviewQuestions.map((question, i) => {
    const a = answers[question];
    const source = a.source === 'override' ? `override of "${a.derived}" because ${a.reason}` : a.source;
    return `  ${i + 1}. ${QUESTION_TEXT[question]}: ${a.answer}  [${source}]`;
  });
}
