/** A live hold found when no session was given: the task, the session holding it, and its worktree if it has one. */
export type FoundHold = { taskId: string; session: string; worktree?: string | null };

/**
 * The hint of TASK_HELD when no session was given (no --session, no PACKGATE_SESSION, not run in the
 * task's worktree): the hold may be this person's own, from the shell `task start` printed its session
 * to. How to go on as that session, then `otherwise`: what to do when it is not theirs. One wording for
 * `task start` and a release or move, which each said it their own way.
 */
export function noSessionGivenHint(hold: FoundHold, otherwise: string): string {
  const cd = hold.worktree ? `cd ${hold.worktree} && ` : '';
  return (
    "no session was given (--session, PACKGATE_SESSION, or run it in the task's worktree): if the hold is yours, " +
    `give it (--session ${hold.session}), or carry on as it: ${cd}export PACKGATE_SESSION=${hold.session} TASK_ID=${hold.taskId}; ` +
    `else ${otherwise}`
  );
}
