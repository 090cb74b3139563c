import { stripVTControlCharacters } from 'node:util';
import type { WatchStatus } from '../store/watch-closeout-schema.ts';

/** A failure class as packets and governance.yaml write it: a name and regular expressions over one log line. */
export type FailureClass = { name: string; patterns: readonly string[] };

/** How the watched process ended, as the supervisor saw it. */
export type RunEnd = {
  exitCode: number | null;
  signal: string | null;
  /** The deadline passed and the supervisor killed the process group. */
  timedOut: boolean;
  /** packgate itself was interrupted (SIGINT/SIGTERM) and killed the process group. */
  interrupted: boolean;
};

/** What a gate run left behind: its verdict and the packs that blocked it. */
export type VerdictOutcome = {
  verdict: string;
  blockingPacks: Array<{ pack: string; status: string; reason: string }>;
};

export type Classification = {
  status: WatchStatus;
  class: string | null;
  /** Matching log lines (at most `MAX_LINES`), or one line per blocking pack. */
  lines: string[];
  /** Why, in words, for the person reading the closeout. */
  why: string;
};

/** Matching lines kept per closeout: enough to see the pattern, not the whole log again. */
export const MAX_LINES = 20;
const MAX_LINE_LENGTH = 400;

/** The class a gate verdict of BLOCKED gives: the gate said no, whatever the log says. */
export const GATE_BLOCKED = 'gate-blocked';

/**
 * Classifies a finished watched run. Pure; the rules, in order:
 * 1. interrupted (packgate was stopped): `interrupted`.
 * 2. the deadline passed: `timeout` (the class of any matching line is kept, it often says why).
 * 3. a gate verdict written by this run decides over the log's words: a verdict the packet counts
 *    as success with the success exit code -> `success`; BLOCKED -> `failure` of class
 *    `gate-blocked` with the blocking packs as its lines.
 * 4. the success exit code -> `success`.
 * 5. killed by a signal (or a shell's 128+n exit for one) -> `crash`, with the class of any matching line.
 * 6. any other exit code -> `failure`, of the first class (the packet's, then the project's, in
 *    order) with a matching line; class null when none matches: a failure of unknown class, not a
 *    crash, since the process chose to exit.
 */
export function classifyRun(input: {
  end: RunEnd;
  log: string;
  packetClasses: readonly FailureClass[];
  projectClasses: readonly FailureClass[];
  success: { exit_code: number; verdicts: readonly string[] };
  verdict?: VerdictOutcome;
  /** How the deadline was set (`15m x watch.grace 1.5`), for a timeout's why. */
  deadline?: string;
}): Classification {
  const { end, success, verdict } = input;
  const matched = () => matchClasses(input.log, [...input.packetClasses, ...input.projectClasses]);
  if (end.interrupted) return { status: 'interrupted', class: null, lines: [], why: 'packgate was interrupted' };
  if (end.timedOut) {
    const m = matched();
    // What to do depends on which it was: a hang (the log says where), or a run that is slower than the packet says.
    const why =
      `the deadline passed${input.deadline ? `: still running after ${input.deadline}` : ''}, the process group was killed` +
      `${m ? `; log matches ${m.class}` : ''} (if a healthy run takes this long, raise expected_duration)`;
    return { status: 'timeout', class: m?.class ?? null, lines: m?.lines ?? [], why };
  }
  if (verdict) {
    if (success.verdicts.includes(verdict.verdict) && end.exitCode === success.exit_code)
      return { status: 'success', class: null, lines: [], why: `gate verdict ${verdict.verdict}` };
    if (verdict.verdict === 'BLOCKED')
      return {
        status: 'failure',
        class: GATE_BLOCKED,
        lines: verdict.blockingPacks.slice(0, MAX_LINES).map(p => clip(`${p.pack} ${p.status}, ${p.reason}`)),
        why: `gate verdict BLOCKED by ${verdict.blockingPacks.map(p => p.pack).join(', ') || 'the run itself'}`,
      };
  }
  if (end.signal === null && end.exitCode === success.exit_code)
    return { status: 'success', class: null, lines: [], why: `exit code ${end.exitCode}` };
  const m = matched();
  const signal = end.signal ?? shellSignal(end.exitCode);
  if (signal) return { status: 'crash', class: m?.class ?? null, lines: m?.lines ?? [], why: `killed by ${signal}` };
  return {
    status: 'failure',
    class: m?.class ?? null,
    lines: m?.lines ?? [],
    why: m
      ? `exit code ${end.exitCode}; log matches ${m.class}`
      : `exit code ${end.exitCode}${SHELL_EXIT[end.exitCode ?? -1] ?? ''}; no failure class matches`,
  };
}

/** What the shell's own exit codes say: the command never ran (a provider not installed, a typo). */
const SHELL_EXIT: Record<number, string> = {
  126: ' (the shell found the command but could not execute it)',
  127: ' (the shell found no such command: is it installed, and on PATH?)',
};

/**
 * The first class with a line matching one of its patterns, and its matching lines (capped). Lines
 * are read as a person saw them: colour codes (FORCE_COLOR in CI) are stripped, or they would break
 * patterns anchored on the text (`^\s*\d+ failed`) and clutter the closeout; and each `\r` of a
 * progress line starts a line of its own, as it overwrote the terminal line.
 */
export function matchClasses(
  log: string,
  classes: readonly FailureClass[],
): { class: string; lines: string[] } | undefined {
  const lines = stripVTControlCharacters(log).split(/\r?\n|\r/);
  for (const failure of classes) {
    const patterns = failure.patterns.map(p => new RegExp(p));
    const hits = lines.filter(line => patterns.some(p => p.test(line)));
    if (hits.length) return { class: failure.name, lines: hits.slice(0, MAX_LINES).map(clip) };
  }
  return undefined;
}

/** A shell reports a child killed by signal n as exit code 128 + n. */
function shellSignal(exitCode: number | null): string | null {
  if (exitCode === null || exitCode <= 128 || exitCode > 128 + 64) return null;
  return `signal ${exitCode - 128} (exit code ${exitCode})`;
}

function clip(line: string): string {
  const trimmed = line.trimEnd();
  return trimmed.length > MAX_LINE_LENGTH ? `${trimmed.slice(0, MAX_LINE_LENGTH)}...` : trimmed;
}
