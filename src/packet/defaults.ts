/**
 * What every packet carries unless governance.yaml says otherwise: the requirements document's own
 * drift rules and implementation-loop outputs, which are about the loop, not about any product.
 */
export const DRIFT_RULES = [
  '1. Inside the same owning layer and required for acceptance: fix it.',
  '2. Blocks the task but crosses ownership boundaries: stop and create a blocker or escalation packet.',
  '3. Useful but not blocking: create a follow-up task.',
  '4. Unrelated: leave it alone.',
] as const;

export const HANDOFF_REQUIRED = [
  'exact files changed',
  'commands run',
  'pass/fail/skipped results',
  'residual risks',
  'queue evidence and handoff',
] as const;

/** The stop condition that makes drift rule 2 a stop, whatever the lane adds. */
export const DRIFT_STOP_CONDITION =
  'the work needs a change under must_not_touch or outside owned_files: stop, run `packgate drift`, which records the escalation';

/**
 * What each field is for, as the hint of a missing or empty one; `governanceFile` is the governance
 * file read (packgate.yaml's `governance:`, relative to the root), named where it gives the value.
 */
export const fieldHints = (governanceFile: string): Record<string, string> => ({
  task_id: 'the task\'s id, e.g. "C-AUTH-GATE-001" (TASK_ID)',
  track_id: 'the parallel track the task belongs to (TRACK_ID; packet new defaults it to the task id)',
  owner_lane: `the lane that owns the work, one of ${governanceFile} \`lanes:\` (OWNER_LANE)`,
  goal: 'what done looks like, in a sentence (GOAL)',
  non_goals: `what this task must not turn into (NON_GOALS, ";"-separated; ${governanceFile} adds defaults)`,
  current_state: 'where things stand when the task starts (CURRENT_STATE)',
  architecture_context: "the pack's journey, layers and environment (packet new fills it from the catalogue)",
  environment: 'the environment the proof runs in, an environments/ name (ENVIRONMENT)',
  owned_files: `globs of the files the task may change (OWNED_FILES; the lane in ${governanceFile} gives defaults)`,
  must_not_touch: `globs the task must not change (MUST_NOT_TOUCH; ${governanceFile} gives defaults)`,
  commands_to_run: 'the exact command lines that prove the work (packet new fills the playwright commands)',
  acceptance: 'the checks the handoff must prove (ACCEPTANCE, ";"-separated)',
  workflow_regression_pack: 'the pack that protects this work, a packs/ id (WORKFLOW_REGRESSION_PACK)',
  known_risks: 'what could go wrong or stay unproven (KNOWN_RISKS, ";"-separated)',
  stop_conditions: 'when to stop and hand back (STOP_CONDITIONS, ";"-separated)',
  deviation_rules: 'what to do when unexpected work appears (the four drift rules by default)',
  handoff_required: 'what the handoff must contain (the implementation loop outputs by default)',
});
