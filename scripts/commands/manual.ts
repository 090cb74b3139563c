import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline/promises';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { cleanupOnInterrupt } from '../../src/process/interrupt.ts';
import { didYouMean } from '../../src/diagnostics/nearest.ts';
import { environmentSecrets, resolveEnvironment } from '../../src/environment/resolve.ts';
import { createRedactor, type Redactor } from '../../src/evidence/redact.ts';
import { checkDisplay, runHeadedCheck } from '../../src/manual-browser/headed-check.ts';
import { manualTarget, recordingLane, type ManualTarget } from '../../src/manual/manual-target.ts';
import { recordManual } from '../../src/manual/record-manual.ts';
import type { ManualVerdict } from '../../src/store/manual-verdict-schema.ts';
import { actorOf, emit, project, withStore, type CommonOptions, type Project } from './kit.ts';

type TargetOptions = CommonOptions & { pack: string; env: string; check: string; lane?: string; note?: string };
type Result = 'pass' | 'fail';

/** `manual record`: a verdict of a check done elsewhere, with its evidence files. */
export async function manualRecord(options: TargetOptions & { result: string; evidence?: string[] }): Promise<void> {
  const result = resultOf(options.result);
  const p = project();
  const { target, lane } = checkedTarget(p, options);
  const files = evidenceNames(options.evidence ?? []);
  for (const { file } of files) {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile())
      throw new PackgateError(
        'INPUT_INVALID',
        `evidence ${file}: ${stat ? 'a folder, not a file' : 'no such file'}; nothing recorded`,
        { hint: stat ? 'name the files in it, one --evidence each' : 'name files that exist (paths from this folder)' },
      );
  }
  const verdict = await withStore(p, store =>
    recordManual(
      store,
      target,
      { result, note: options.note ?? null, lane, source: 'record', files, actor: actorOf(options) },
      redactorOf(p, target.environment),
    ),
  );
  report(options, verdict);
}

/** `manual run`: the check in a headed browser, then its verdict with the session's trace and videos. */
export async function manualRun(
  options: TargetOptions & { result?: string; remoteDebuggingPort?: string },
): Promise<void> {
  const p = project();
  const { target, lane } = checkedTarget(p, options);
  const given = options.result === undefined ? undefined : resultOf(options.result);
  const debugPort = portOf(options.remoteDebuggingPort);
  p.storeLocation(); // a store that cannot be found is said before the person does the check, not after
  checkDisplay();
  const env = resolveEnvironment(p.catalogue(), target.environment);
  const identity = identityOf(p, target);
  const say = (line: string) => process.stderr.write(`packgate: ${line}\n`);
  // The conversation goes to stderr: stdout carries only the result (JSON with --json).
  process.stderr.write(instructions(target));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packgate-manual-'));
  // The session's trace and videos are not redacted until recorded: Ctrl-C must not leave them.
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const stopListening = cleanupOnInterrupt(remove);
  try {
    const session = await runHeadedCheck({
      env,
      pack: target.pack,
      check: target.check,
      identity,
      dir,
      debugPort,
      say,
    });
    const answer = given ? { result: given, note: options.note ?? null } : await ask(options.note);
    const files = [
      { name: 'trace.zip', file: session.trace },
      ...session.videos.map((file, i) => ({ name: `video${i ? `-${i + 1}` : ''}.mjpeg`, file })),
    ];
    const verdict = await withStore(p, store =>
      recordManual(
        store,
        target,
        { ...answer, lane, source: 'run', files, actor: actorOf(options) },
        redactorOf(p, target.environment),
      ),
    );
    report(options, verdict);
  } finally {
    stopListening();
    remove();
  }
}

/**
 * Each evidence file under its own name (stored with its digest, shown in the verdict): its base
 * name, or the path as given where two share one (a/notes.txt and b/notes.txt), so they stay apart.
 * A file given twice (notes.txt, ./notes.txt) is one piece of evidence, kept once under one name.
 */
function evidenceNames(all: readonly string[]): Array<{ name: string; file: string }> {
  const given = all.filter((file, i) => all.findIndex(other => path.resolve(other) === path.resolve(file)) === i);
  const base = (file: string) => path.basename(file);
  const shared = (file: string) => given.filter(other => base(other) === base(file)).length > 1;
  return given.map(file => ({
    name: shared(file) ? path.normalize(file).split(path.sep).join('/') : base(file),
    file,
  }));
}

function checkedTarget(p: Project, options: TargetOptions): { target: ManualTarget; lane: string } {
  const target = manualTarget(p.catalogue(), options);
  return { target, lane: recordingLane(target, options.lane, p.governance()?.value) };
}

function resultOf(value: string): Result {
  const answer = value.trim().toLowerCase();
  if (answer === 'pass' || answer === 'fail') return answer;
  throw new PackgateError('INPUT_INVALID', `the result must be pass or fail, not "${value}"`, {
    hint: `${didYouMean(answer, ['pass', 'fail']) ?? ''} say pass when you saw what the check expects, fail otherwise`.trim(),
  });
}

function portOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new PackgateError('INPUT_INVALID', `--remote-debugging-port ${value} is not a port`, {
      hint: 'give 0 (any free port) or a port number',
    });
  return port;
}

/** The seed user the pack signs in as, from the environment's seed sets; none when it signs in as nobody. */
function identityOf(p: Project, target: ManualTarget) {
  const id = target.pack.identity;
  if (!id) return undefined;
  const catalogue = p.catalogue();
  const seeds = [...new Set([...target.env.seeds, ...target.pack.seeds])];
  const user = seeds.flatMap(seed => catalogue.seeds.get(seed)?.value.users ?? []).find(u => u.id === id);
  if (!user)
    throw new PackgateError(
      'SEED_UNKNOWN',
      `no seed set of ${target.environment} or ${target.pack.id} has user "${id}"`,
      {
        hint: `add ${id} to a seed set the environment loads`,
      },
    );
  return user;
}

/** The steps and expected result, shown before the browser opens. */
function instructions({ pack, check }: ManualTarget): string {
  return [
    `manual check ${pack.id}/${check.id}: ${check.title}`,
    ...check.steps.map((step, i) => `  ${i + 1}. ${step}`),
    `  expected: ${check.expected}`,
    '',
  ].join('\n');
}

/** Asked on the terminal once the page is closed: pass or fail, and a note. */
async function ask(note: string | undefined): Promise<{ result: Result; note: string | null }> {
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  // The iterator buffers lines that arrive together (answers piped in at once), where 'line' events would drop them.
  const lines = rl[Symbol.asyncIterator]();
  const question = async (prompt: string): Promise<string> => {
    process.stderr.write(prompt);
    const next = await lines.next();
    if (next.done)
      throw new PackgateError('INPUT_INVALID', 'no answer: the input ended before pass or fail was given', {
        hint: 'answer on the terminal, or pass --result pass|fail and --note',
      });
    return String(next.value).trim();
  };
  try {
    let result: Result | undefined;
    while (!result) {
      const line = (await question('pass or fail? ')).toLowerCase();
      if (line === 'pass' || line === 'fail') result = line;
      else process.stderr.write('answer pass or fail\n');
    }
    const written = note ?? (await question('note: '));
    return { result, note: written || null };
  } finally {
    rl.close();
  }
}

/** The environment's secret values and the credential patterns: what gate evidence is redacted with. */
function redactorOf(p: Project, environment: string): Redactor {
  return createRedactor(environmentSecrets(p.catalogue(), environment)?.knownValues() ?? []);
}

function report(options: CommonOptions, verdict: ManualVerdict): void {
  emit(options, { verdict }, [
    `recorded ${verdict.result} of manual check ${verdict.pack}/${verdict.check} in ${verdict.environment} ` +
      `by ${verdict.recordedBy} (lane ${verdict.lane}) at ${verdict.recordedAt}`,
    `  valid until ${verdict.expiresAt}${verdict.note ? `; note: ${verdict.note}` : ''}`,
    ...verdict.evidence.map(e => `  evidence ${e.name}: sha256:${e.digest} (${e.size} bytes)`),
  ]);
}
