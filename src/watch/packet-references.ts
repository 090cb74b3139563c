import fs from 'node:fs';
import path from 'node:path';
import { nearest, suggest } from '../diagnostics/nearest.ts';
import { deadlineProblem, type Duration } from '../schema/governance-values.ts';
import { watchStatuses } from '../store/watch-closeout-schema.ts';
import { GATE_BLOCKED } from './classify.ts';
import type { WatchPacket } from './watch-packet-schema.ts';

/** What a packet names that only the project can say exists, as much of it as is known. */
export type PacketReferences = {
  lane?: string;
  cwd?: string;
  expected_duration?: Duration;
  /** The packet's own failure class names. */
  classes: readonly string[];
  escalation: ReadonlyArray<{ when?: { class?: unknown }; escalate_to?: unknown }>;
};

/** The project a packet is checked against: its root, the governance file's lanes, failure classes and grace. */
export type PacketProject = {
  root: string;
  /** The governance file as the project names it (packgate.yaml `governance:`, default governance.yaml). */
  governanceFile: string;
  lanes: readonly string[];
  projectClasses: readonly string[];
  grace: number;
};

/** One problem, at its field path in the packet (`escalation[0].escalate_to`). */
export type ReferenceProblem = { path: Array<string | number>; message: string; hint?: string };

/** What a complete packet names. */
export function packetReferences(packet: WatchPacket): PacketReferences {
  return {
    lane: packet.lane,
    cwd: packet.cwd,
    expected_duration: packet.expected_duration,
    classes: packet.failure.classes.map(c => c.name),
    escalation: packet.escalation,
  };
}

/** The classes a closeout can have: the packet's, the governance file's, and the gate's own. */
export function knownClasses(packetClasses: readonly string[], projectClasses: readonly string[]): string[] {
  return [...new Set([...packetClasses, ...projectClasses, GATE_BLOCKED])];
}

/**
 * `did you mean` a class or a status (a misspelt status reads as a class), else the classes there are
 * and where they come from (`governanceFile`: the file the project's classes were read from).
 */
export function classHint(name: string, classes: readonly string[], governanceFile: string): string {
  const near = nearest(name, [...classes, ...watchStatuses]);
  return near
    ? `did you mean "${near}"?`
    : `known classes: ${classes.join(', ')} (the packet's failure.classes, watch.classes in ${governanceFile}, ${GATE_BLOCKED})`;
}

/**
 * What a packet names that does not exist: a lane that watches or is escalated to, a class an
 * escalation rule waits for (a misspelt one never fires), the folder it
 * runs in; and a deadline (expected duration x the governance file's grace) no timer can keep. Checked
 * by `watch new` before it writes and by `watch run` and `watch close` before anything is recorded,
 * since a packet is also edited by hand: an unknown lane escalates to nobody, a missing cwd cannot
 * start (the shell's spawn fails, after the run was recorded as started), an overflowing deadline
 * fires at once.
 */
export function referenceProblems(packet: PacketReferences, project: PacketProject): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const { lanes } = project;
  if (packet.lane !== undefined && !lanes.includes(packet.lane))
    problems.push({
      path: ['lane'],
      message: `unknown lane "${packet.lane}"`,
      hint: suggest(packet.lane, lanes, 'lanes'),
    });
  const classes = knownClasses(packet.classes, project.projectClasses);
  packet.escalation.forEach((rule, i) => {
    const to = rule.escalate_to;
    if (typeof to === 'string' && !lanes.includes(to))
      problems.push({
        path: ['escalation', i, 'escalate_to'],
        message: `unknown lane "${to}" to escalate to`,
        hint: suggest(to, lanes, 'lanes'),
      });
    const name = rule.when?.class;
    if (typeof name === 'string' && !classes.includes(name))
      problems.push({
        path: ['escalation', i, 'when', 'class'],
        message: `unknown failure class "${name}": the rule would never fire`,
        hint: classHint(name, classes, project.governanceFile),
      });
  });
  const deadline = packet.expected_duration && deadlineProblem(packet.expected_duration, project.grace);
  if (deadline)
    problems.push({
      path: ['expected_duration'],
      message: deadline,
      hint: 'a longer job is better watched by a poll command that runs in shorter rounds',
    });
  if (packet.cwd !== undefined) {
    const dir = path.resolve(project.root, packet.cwd);
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      problems.push({
        path: ['cwd'],
        message: `"${packet.cwd}" is not a folder (${dir})`,
        hint: 'cwd is relative to the project root: create the folder or fix the path',
      });
  }
  return problems;
}
