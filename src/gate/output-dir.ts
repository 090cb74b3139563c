import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import { ATTESTATION_FILE, OUTPUT_DIR_VAR, REPORT_FILES } from '../schema/constants.ts';

/** The file that says packgate made a folder, and so may replace it whole. */
const OWNER_MARK = '.packgate-output';

/** What the gate and the reports it feeds put in its folder. */
const GATE_FILES = new Set([
  'verdict.json',
  'summary.md',
  'evidence',
  ATTESTATION_FILE,
  ...Object.values(REPORT_FILES),
]);

/**
 * What the reports after the gate wrote into its folder while the run went on: the folder was
 * emptied when the run started, so whatever is there is this run's, and the gate's swap keeps it.
 */
export const REPORTS_OF_THIS_RUN: readonly string[] = Object.values(REPORT_FILES);

/** The gate output folder: PACKGATE_OUTPUT_DIR, else packgate.yaml's `output_dir`, under the root. */
export function gateOutputDir(root: string, outputDir: string, env: Record<string, string | undefined> = process.env) {
  const fromEnv = env[OUTPUT_DIR_VAR];
  return fromEnv ? path.resolve(fromEnv) : path.resolve(root, outputDir);
}

/**
 * Throws unless packgate may replace `dir` whole: it does not exist, or holds packgate's mark
 * (packgate made it) or nothing but what the gate writes. Never the project itself, a folder above it, or one holding a packgate
 * project: `output_dir: .` would otherwise delete the project with the first run.
 */
export function assertOwnedOutputDir(dir: string, root: string): void {
  const where = `the gate output folder ${dir} (output_dir in packgate.yaml, or ${OUTPUT_DIR_VAR})`;
  const relative = path.relative(dir, root);
  if (!relative.startsWith('..') && !path.isAbsolute(relative))
    throw new PackgateError(
      'INPUT_INVALID',
      `${where} is the project or a folder above it; packgate replaces its output folder on every run`,
      { hint: 'point it at a folder of its own, e.g. output_dir: gate-results' },
    );
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  // Folders written before the mark existed hold only what the gate writes.
  if (entries.includes(OWNER_MARK) || entries.every(e => GATE_FILES.has(e))) return;
  throw new PackgateError(
    'INPUT_INVALID',
    `${where} holds files packgate did not write (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}); ` +
      'packgate replaces its output folder on every run, so it refuses one it does not own',
    { hint: 'point it at a new or empty folder, or move those files away' },
  );
}

/**
 * Replaces the output folder with the files of `write(staging)` at once: a reader sees the previous
 * complete output or the new one, never a mix. Entries named in `keep` (what reporters wrote during
 * this run, e.g. allure-results) move over unchanged. Refuses a folder packgate does not own.
 */
export function replaceOutputDir(
  dir: string,
  root: string,
  write: (staging: string) => void,
  keep: readonly string[] = [],
): void {
  assertOwnedOutputDir(dir, root);
  const staging = `${dir}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(path.join(staging, OWNER_MARK), 'Written by packgate, which replaces this folder on every run.\n');
  write(staging);
  for (const name of keep)
    if (fs.existsSync(path.join(dir, name))) fs.renameSync(path.join(dir, name), path.join(staging, name));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.renameSync(staging, dir);
}
