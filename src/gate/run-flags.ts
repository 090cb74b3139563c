import path from 'node:path';
import type { FullConfig } from '@playwright/test/reporter';
import { readCommandLine, type CommandLine } from '../run/command-line.ts';
import type { RunFlags, RunProblem } from '../schema/verdict.ts';

/** Reporters that only print: they never copy an attachment, so their place beside the gate does not matter. */
const PRINTING_REPORTERS = new Set(['list', 'line', 'dot', 'github', 'null']);

/** What the gate reporter's file is called, wherever the config points at it. */
export const GATE_REPORTER_NAME = 'gate-reporter';

/**
 * The settings this run actually used, from the resolved config (retries, workers, shard, reporters)
 * and the `playwright test` command line (what only it carries: --grep, file filters, --last-failed).
 */
export function readRunFlags(
  config: FullConfig,
  projects: readonly string[],
  commandLine: CommandLine = readCommandLine(),
): RunFlags {
  const gateProjects = config.projects.filter(p => projects.includes(p.name));
  const test = commandLine.command === 'test';
  return {
    retries: Math.max(0, ...gateProjects.map(p => p.retries)),
    repeatEach: Math.max(1, ...gateProjects.map(p => p.repeatEach)),
    workers: config.workers,
    maxFailures: config.maxFailures,
    shard: config.shard ? `${config.shard.current}/${config.shard.total}` : null,
    reporters: config.reporter.map(([name]) => reporterName(name)),
    filters: test ? filtersOf(commandLine) : [],
    args: test ? commandLine.args : [],
  };
}

/**
 * What a release-stage verdict refuses: settings that let failures through (more retries than the
 * environment allows turn failures into flakes), select part of the run, or let a reporter copy
 * evidence before the gate has redacted it.
 */
export function flagProblems(flags: RunFlags, allowedRetries: number, release: boolean): RunProblem[] {
  if (!release) return [];
  const problems: string[] = [];
  if (flags.retries > allowedRetries)
    problems.push(
      `this run retried failures up to ${flags.retries} times, but the environment allows ${allowedRetries} (gate.retries): ` +
        'extra retries turn failures into flakes; run without --retries',
    );
  if (flags.filters.length)
    problems.push(
      `this run selected part of the tests (${flags.filters.join(' ')}): a release verdict judges whole packs; ` +
        'run without test filters',
    );
  const gate = flags.reporters.indexOf(GATE_REPORTER_NAME);
  const before = flags.reporters.slice(0, Math.max(gate, 0)).filter(r => !PRINTING_REPORTERS.has(r));
  if (before.length)
    problems.push(
      `reporter ${before.join(', ')} runs before the gate reporter and may copy attachments before they are redacted: ` +
        'list it after ./reporters/gate-reporter.ts',
    );
  return problems.map(message => ({ severity: 'error', message }));
}

/** `playwright test` options that select part of the tests, by the names Playwright gives them. */
const FILTER_OPTIONS = new Set(['grep', 'grepInvert', 'lastFailed', 'onlyChanged', 'testList', 'testListInvert']);

/**
 * The arguments that select part of the tests, as written and in order: grep and friends with their
 * values (`-g=sign`), and the file filters Playwright keeps. Projects are not among them: which
 * projects ran is judged per pack, from its tests.
 */
function filtersOf(commandLine: CommandLine): string[] {
  return commandLine.given.flatMap(arg => {
    if ('operand' in arg) return [arg.operand];
    if (!FILTER_OPTIONS.has(arg.option.name)) return [];
    return [arg.value === undefined ? arg.as : `${arg.as}=${arg.value}`];
  });
}

function reporterName(name: string): string {
  // A reporter given by file is named by its file (no machine's path in the verdict); a package by its name.
  const isFile = !name.startsWith('@') && (/[\\/]/.test(name) || /\.[cm]?[jt]s$/.test(name));
  return isFile ? path.basename(name).replace(/\.[cm]?[jt]s$/, '') : name;
}
