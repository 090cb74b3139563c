import { z } from 'zod';
import { PackgateError } from '../diagnostics/errors.ts';
import { oneOf } from '../diagnostics/nearest.ts';
import type { DriftReport } from '../loop/drift.ts';
import type { TaskKind } from '../store/queue-schema.ts';
import type { FixRecordEvent, RegressionProofEvent } from './recorded.ts';
import type { SpecialLogicHit } from './route.ts';

/** The six questions of a review, in the order the requirements document asks them. */
export const reviewQuestions = [
  'what_failed',
  'owning_layer',
  'why_missed',
  'regression',
  'special_logic',
  'stayed_in_packet',
] as const;
export const reviewQuestionSchema = z.enum(reviewQuestions);
export type ReviewQuestion = z.infer<typeof reviewQuestionSchema>;

export const QUESTION_TEXT: Readonly<Record<ReviewQuestion, string>> = {
  what_failed: 'what failed',
  owning_layer: 'which layer owns the defect',
  why_missed: 'why existing tests missed it',
  regression: 'what regression now covers it',
  special_logic: 'did the fix add route, environment, CI or auth special logic',
  stayed_in_packet: 'did the work stay within its packet',
};

/** Questions the data answers; the reviewer may contradict them only with a reason. */
export const DERIVED_QUESTIONS: ReadonlySet<ReviewQuestion> = new Set([
  'owning_layer',
  'regression',
  'special_logic',
  'stayed_in_packet',
]);

/**
 * One answer and where it came from: derived from the data, given by the reviewer, or the reviewer
 * overriding a derived answer (which keeps the derived answer and the reason beside it).
 */
export const reviewAnswerSchema = z.object({
  answer: z.string(),
  source: z.enum(['derived', 'reviewer', 'override']),
  derived: z.string().optional(),
  reason: z.string().optional(),
});
export type ReviewAnswer = z.infer<typeof reviewAnswerSchema>;
export type ReviewAnswers = Record<ReviewQuestion, ReviewAnswer>;

/** What the store and git know about the task, for the questions the data answers. */
export type ReviewFacts = {
  kind: TaskKind;
  fix: (FixRecordEvent & { event: number }) | undefined;
  proof: (RegressionProofEvent & { event: number }) | undefined;
  specialLogic: readonly SpecialLogicHit[];
  drift: Pick<DriftReport, 'changes' | 'clean'>;
};

/** The four derived answers: owning layer and regression from the bug-fix record, special logic from the diff, the packet from drift. */
export function derivedAnswers(facts: ReviewFacts): Record<string, string> {
  const bugfix = facts.kind === 'bugfix';
  const { fix, proof } = facts;
  const noRecord = 'unknown: no bug-fix record (packgate review record)';
  return {
    owning_layer: !bugfix ? 'not a bug fix' : fix ? fix.record.owning_layer : noRecord,
    regression: !bugfix ? 'not a bug fix' : fix ? regressionAnswer(fix, proof) : noRecord,
    special_logic: specialLogicAnswer(facts.specialLogic),
    stayed_in_packet: facts.drift.clean
      ? `yes: ${facts.drift.changes.length} changed ${facts.drift.changes.length === 1 ? 'file' : 'files'}, all inside the packet (drift rule 1)`
      : `no: ${facts.drift.changes
          .filter(c => c.rule !== 1)
          .map(c => `${c.path} (drift rule ${c.rule})`)
          .join(', ')}`,
  };
}

function regressionAnswer(fix: FixRecordEvent, proof: ReviewFacts['proof']): string {
  const location = fix.record.regression;
  if (!location)
    return (
      `none at ${fix.record.owning_layer}: ${fix.record.skipped_coverage ?? ''}` +
      (fix.coverageTask ? ` (coverage task ${fix.coverageTask})` : ' (no coverage task)')
    );
  const where = `${location.pack} › ${location.spec} › ${location.title}`;
  return proof
    ? `${where} (regression-proof #${proof.event}: red on ${proof.before.commit.slice(0, 12)}, green on ${proof.after.commit.slice(0, 12)})`
    : `${where} (not proven: packgate review prove)`;
}

/** "yes: auth (stack/idp/provider.ts), ci (.ci/run)" or "no". */
export function specialLogicAnswer(hits: readonly SpecialLogicHit[]): string {
  if (!hits.length) return 'no';
  const byKind = new Map<string, string[]>();
  for (const hit of hits) byKind.set(hit.kind, [...(byKind.get(hit.kind) ?? []), hit.path]);
  return `yes: ${[...byKind].map(([kind, paths]) => `${kind} (${[...new Set(paths)].join(', ')})`).join(', ')}`;
}

/** A reviewer's contradiction of a derived answer, with its reason. */
export type Override = { question: ReviewQuestion; answer: string; reason: string };

/**
 * Parses `--override QUESTION=ANSWER` with its `--because TEXT` (the nth reason goes with the nth
 * override). INPUT_INVALID for an unknown question, a question the reviewer answers directly, or an
 * override without its reason.
 */
export function parseOverrides(overrides: readonly string[], reasons: readonly string[]): Override[] {
  const parsed = overrides.map((text, i): Override => {
    const eq = text.indexOf('=');
    const question = eq > 0 ? text.slice(0, eq).trim() : text.trim();
    const known = reviewQuestionSchema.safeParse(question);
    if (!known.success)
      throw new PackgateError('INPUT_INVALID', `--override ${text}: "${question}" is not one of the six questions`, {
        hint: `${oneOf(question, [...DERIVED_QUESTIONS])} (as QUESTION=ANSWER)`,
      });
    if (!DERIVED_QUESTIONS.has(known.data))
      throw new PackgateError('INPUT_INVALID', `--override ${question}: the reviewer answers it directly`, {
        hint: `pass --${question.replace('_', '-')} <text>`,
      });
    const answer = eq > 0 ? text.slice(eq + 1).trim() : '';
    if (!answer)
      throw new PackgateError('INPUT_INVALID', `--override ${text}: no answer after "="`, {
        hint: `e.g. --override ${question}="no: ..." --because "why the data is wrong here"`,
      });
    const reason = reasons[i]?.trim();
    if (!reason)
      throw new PackgateError(
        'INPUT_INVALID',
        `--override ${question} has no reason: a derived answer is contradicted only with one`,
        {
          hint: 'add --because <text> after each --override (the nth --because goes with the nth --override)',
        },
      );
    return { question: known.data, answer, reason };
  });
  if (reasons.length > overrides.length)
    throw new PackgateError('INPUT_INVALID', `${reasons.length} --because for ${overrides.length} --override`, {
      hint: 'each --because is the reason of the --override before it',
    });
  const twice = parsed.find((o, i) => parsed.findIndex(p => p.question === o.question) !== i);
  if (twice) throw new PackgateError('INPUT_INVALID', `--override ${twice.question} is given twice`);
  return parsed;
}

/**
 * The six answers: the reviewer's two (for a task that is not a bug fix, "not a bug fix" when not
 * given), the four derived ones, each overridden where the reviewer contradicts it with a reason.
 */
export function answerQuestions(
  facts: ReviewFacts,
  reviewer: { whatFailed?: string; whyMissed?: string; overrides: readonly Override[] },
): ReviewAnswers {
  const derived = derivedAnswers(facts);
  const given = (text: string | undefined): ReviewAnswer =>
    text?.trim() ? { answer: text.trim(), source: 'reviewer' } : { answer: 'not a bug fix', source: 'derived' };
  const answers = {} as ReviewAnswers;
  for (const question of reviewQuestions) {
    if (question === 'what_failed') answers[question] = given(reviewer.whatFailed);
    else if (question === 'why_missed') answers[question] = given(reviewer.whyMissed);
    else {
      const override = reviewer.overrides.find(o => o.question === question);
      answers[question] = override
        ? { answer: override.answer, source: 'override', derived: derived[question], reason: override.reason }
        : { answer: derived[question], source: 'derived' };
    }
  }
  return answers;
}
