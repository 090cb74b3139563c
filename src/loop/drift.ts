import { compileGlob } from '../packet/glob.ts';
import type { ContextPacket } from '../packet/packet-schema.ts';
import type { FileChange } from '../git/git.ts';

/**
 * A changed file judged by the requirements document's drift rules:
 *
 * 1. inside the task's ownership (owned_files) and not forbidden: fine, fix it here;
 * 2. forbidden (must_not_touch), or outside ownership but needed for the task: stop and escalate;
 * 3. outside ownership, useful but not needed: revert it here; it belongs in a follow-up task;
 * 4. outside ownership and unrelated (the worker says so): revert it and leave it alone.
 *
 * Whether an outside change is needed (2) or unrelated (4) is the worker's call, passed as globs;
 * the rest is rule 3, the safe default: nothing outside ownership rides along unnoticed. A change
 * outside the project's folder (`../app/main.go`, where the project is a subfolder of its
 * repository) is rule 2: no packet can own it, nor a follow-up task take it.
 */
export type DriftRule = 1 | 2 | 3 | 4;

export type JudgedChange = FileChange & {
  rule: DriftRule;
  /** What put it under its rule. */
  kind: 'owned' | 'must-not-touch' | 'needed' | 'not-needed' | 'unrelated' | 'outside-project';
  /** The glob that decided it, when one did. */
  glob?: string;
  why: string;
};

export type DriftReport = {
  changes: JudgedChange[];
  /** Whether every change is inside ownership (rule 1 only). */
  clean: boolean;
  /** Rule 2 changes under must_not_touch. */
  forbidden: JudgedChange[];
  escalations: JudgedChange[];
  followUps: JudgedChange[];
  unrelated: JudgedChange[];
};

export type DriftJudgement = {
  /** Globs of outside changes the worker says the task needs (rule 2). */
  needed?: readonly string[];
  /** Globs of outside changes the worker says are unrelated (rule 4). */
  unrelated?: readonly string[];
};

export function judgeDrift(
  packet: Pick<ContextPacket, 'owned_files' | 'must_not_touch'>,
  changes: readonly FileChange[],
  judgement: DriftJudgement = {},
): DriftReport {
  const match = (globs: readonly string[], file: string) => globs.find(g => compileGlob(g)(file));
  const judged = changes.map((change): JudgedChange => {
    if (change.path.startsWith('../'))
      return {
        ...change,
        rule: 2,
        kind: 'outside-project',
        why: "outside the project's folder, where no packet reaches: stop and escalate",
      };
    const forbidden = match(packet.must_not_touch, change.path);
    if (forbidden)
      return {
        ...change,
        rule: 2,
        kind: 'must-not-touch',
        glob: forbidden,
        why: `must_not_touch (${forbidden}): stop and escalate`,
      };
    const owned = match(packet.owned_files, change.path);
    if (owned) return { ...change, rule: 1, kind: 'owned', glob: owned, why: `owned (${owned})` };
    const needed = match(judgement.needed ?? [], change.path);
    if (needed)
      return {
        ...change,
        rule: 2,
        kind: 'needed',
        glob: needed,
        why: 'outside ownership but needed: stop and escalate',
      };
    const unrelated = match(judgement.unrelated ?? [], change.path);
    if (unrelated)
      return {
        ...change,
        rule: 4,
        kind: 'unrelated',
        glob: unrelated,
        why: 'outside ownership and unrelated: revert it, leave it alone',
      };
    return {
      ...change,
      rule: 3,
      kind: 'not-needed',
      why: 'outside ownership and not needed: revert it here; it belongs in a follow-up task',
    };
  });
  const escalations = judged.filter(c => c.rule === 2);
  return {
    changes: judged,
    clean: judged.every(c => c.rule === 1),
    forbidden: escalations.filter(c => c.kind === 'must-not-touch'),
    escalations,
    followUps: judged.filter(c => c.rule === 3),
    unrelated: judged.filter(c => c.rule === 4),
  };
}
