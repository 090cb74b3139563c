import { z } from 'zod';
import { laneIdSchema } from '../governance/governance-schema.ts';
import { taskIdSchema } from '../packet/packet-schema.ts';
import { checkpointDecisionSchema, MAX_NEXT_ACTIONS } from '../store/checkpoint-schema.ts';

const text = z.string().trim().min(1, { error: 'is empty: write what stands, or "none"' });

/**
 * A list a person may write as one line in the template (`next_actions: ask C-ops`): that one item.
 * Refused, it read "expected array" and "has more than 3 actions", the characters counted as actions.
 */
const oneOrList = <T extends z.ZodType>(list: T) =>
  z.preprocess(value => (typeof value === 'string' ? [value] : value), list);

/** `ID: goal`, a task a split makes. */
export const splitSpecSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const at = value.indexOf(':');
    const id = at < 0 ? '' : value.slice(0, at).trim();
    const goal = at < 0 ? '' : value.slice(at + 1).trim();
    const parsedId = taskIdSchema.safeParse(id);
    if (!parsedId.success || !goal) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not "ID: goal"${parsedId.success || !id ? '' : ` (the id ${parsedId.error.issues[0].message})`}`,
      });
      return z.NEVER;
    }
    return { id, goal };
  });
export type SplitSpec = z.output<typeof splitSpecSchema>;

/**
 * The seven fields of a coordinator checkpoint as a person gives them (flags, or the editor
 * template, whose keys these are), with the decision's own inputs: the lane an escalation goes to
 * and the tasks a split makes.
 */
export const checkpointFieldsSchema = z
  .strictObject({
    original_goal: text,
    current_track: text,
    what_changed: text,
    drift_discovered: text,
    blocked_on: text,
    next_actions: oneOrList(
      z
        .array(text)
        .min(1, { error: 'is empty: name the next action (up to three)' })
        .max(MAX_NEXT_ACTIONS, { error: `has more than ${MAX_NEXT_ACTIONS} actions: keep the next three` }),
    ),
    decision: checkpointDecisionSchema,
    /** escalate: the lane whose decision it needs (default: the task's owner lane). */
    escalate_to: laneIdSchema.nullable().optional(),
    /** split: the tasks to make, each `ID: goal`. */
    split: oneOrList(z.array(splitSpecSchema)).default([]),
  })
  .superRefine((fields, ctx) => {
    if (fields.decision === 'split' && !fields.split.length)
      ctx.addIssue({ code: 'custom', path: ['split'], message: 'a split names the tasks it makes: "ID: goal"' });
    if (fields.decision !== 'split' && fields.split.length)
      ctx.addIssue({
        code: 'custom',
        path: ['split'],
        message: `only a split makes tasks (the decision is ${fields.decision})`,
      });
    if (fields.decision !== 'escalate' && fields.escalate_to)
      ctx.addIssue({
        code: 'custom',
        path: ['escalate_to'],
        message: `only an escalation goes to a lane (the decision is ${fields.decision})`,
      });
  });
export type CheckpointFields = z.output<typeof checkpointFieldsSchema>;

/** Which flag gives each field, for errors about flags. */
export const FIELD_FLAGS: Readonly<Record<string, string>> = {
  original_goal: '--original-goal',
  current_track: '--track',
  what_changed: '--changed',
  drift_discovered: '--drift',
  blocked_on: '--blocked-on',
  next_actions: '--next',
  decision: '--decision',
  escalate_to: '--to',
  split: '--split',
};
