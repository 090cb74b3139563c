import path from 'node:path';
import type { FullConfig } from '@playwright/test/reporter';
import type { RunFlags, RunProblem } from '../schema/verdict.ts';

/** Reporters that only print: they never copy an attachment, so their place beside the gate does not matter. */
const PRINTING_REPORTERS = new Set(['list', 'line', 'dot', 'github', 'null']);

/** What the gate reporter's file is called, wherever the config points at it. */
export const GATE_REPORTER_NAME = 'gate-reporter';

/**
 * The settings this run actually used, from the resolved config (retries, workers, shard, reporters)
 * and the `playwright test` command line (what only it carries: --grep, file filters, --last-failed).
 */
export function readRunFlags(config: FullConfig, projects: readonly string[], argv = process.argv): RunFlags {
  const gateProjects = config.projects.filter(p => projects.includes(p.name));
  const args = testArgs(argv);
  return {
    retries: Math.max(0, ...gateProjects.map(p => p.retries)),
    repeatEach: Math.max(1, ...gateProjects.map(p => p.repeatEach)),
    workers: config.workers,
    maxFailures: config.maxFailures,
    shard: config.shard ? `${config.shard.current}/${config.shard.total}` : null,
    reporters: config.reporter.map(([name]) => reporterName(name)),
    filters: filtersOf(args),
    args,
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

/** The arguments of the `test` command, after it. */
function testArgs(argv: readonly string[]): string[] {
  const command = argv.indexOf('test');
  return command < 0 ? [] : argv.slice(command + 1);
}

/** `playwright test` options whose value may follow as the next argument. */
const VALUE_OPTIONS = new Set([
  ...['-c', '--config', '-g', '--grep', '--grep-invert', '-j', '--workers', '--max-failures', '--output'],
  ...['--project', '--repeat-each', '--reporter', '--retries', '--shard', '--timeout', '--global-timeout'],
  ...['--trace', '--tsconfig', '--test-list', '--test-list-invert', '--browser', '--update-source-method'],
  ...['--ui-host', '--ui-port'],
]);
const FILTER_OPTIONS = new Set([
  '-g',
  '--grep',
  '--grep-invert',
  '--last-failed',
  '--only-changed',
  '--test-list',
  '--test-list-invert',
]);

/**
 * The `test` command's arguments as options with their values, and positional file filters, as
 * Playwright reads them: `--opt=value` or `--opt value`, and `--project` takes every value up to
 * the next option.
 */
function parseTestArgs(args: readonly string[]): Array<{ option: string; value?: string } | { file: string }> {
  const parsed: Array<{ option: string; value?: string } | { file: string }> = [];
  for (let i = 0; i < args.length; i++) {
    const [option, inline] = args[i].split(/=(.*)/s);
    if (!option.startsWith('-')) {
      parsed.push({ file: option });
      continue;
    }
    const takesNext = inline === undefined && VALUE_OPTIONS.has(option) && i + 1 < args.length;
    parsed.push({ option, value: takesNext ? args[++i] : inline });
    if (option === '--project' && takesNext)
      while (i + 1 < args.length && !args[i + 1].startsWith('-')) parsed.push({ option, value: args[++i] });
  }
  return parsed;
}

/**
 * The arguments that select part of the tests: grep and friends, and positional file filters.
 * Projects are not among them: which projects ran is judged per pack, from its tests.
 */
function filtersOf(args: readonly string[]): string[] {
  return parseTestArgs(args).flatMap(arg => {
    if ('file' in arg) return [arg.file];
    if (!FILTER_OPTIONS.has(arg.option)) return [];
    return [arg.value === undefined ? arg.option : `${arg.option}=${arg.value}`];
  });
}

/** The positional file filters of a `playwright test` command line, as written. */
export function fileFilterArgs(argv: readonly string[]): string[] {
  return parseTestArgs(testArgs(argv)).flatMap(arg => ('file' in arg ? [arg.file] : []));
}

function reporterName(name: string): string {
  // A reporter given by file is named by its file (no machine's path in the verdict); a package by its name.
  const isFile = !name.startsWith('@') && (/[\\/]/.test(name) || /\.[cm]?[jt]s$/.test(name));
  return isFile ? path.basename(name).replace(/\.[cm]?[jt]s$/, '') : name;
}
