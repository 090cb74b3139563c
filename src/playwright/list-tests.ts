import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';

/** One test as `playwright test --list` sees it. */
export type ListedTest = {
  project: string;
  /** Absolute path of its spec file. */
  file: string;
  /** Its describe titles and its own title, joined by ` › ` (as the gate names tests). */
  title: string;
};

/** The parts of Playwright's JSON report a listing fills. */
type JsonSuite = {
  title: string;
  specs?: Array<{ title: string; file: string; tests: Array<{ projectName: string }> }>;
  suites?: JsonSuite[];
};
type JsonReport = { config: { rootDir: string }; suites: JsonSuite[]; errors: Array<{ message?: string }> };

/**
 * Every test of every project (`--project=*`, deployed environments included), as Playwright itself
 * lists them with the project's own config: nothing runs, no web server starts.
 */
export function listAllTests(root: string): ListedTest[] {
  const cli = createRequire(path.join(root, 'package.json')).resolve('@playwright/test/cli');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packgate-list-'));
  const output = path.join(dir, 'list.json');
  try {
    const result = spawnSync(process.execPath, [cli, 'test', '--list', '--reporter=json', '--project=*'], {
      cwd: root,
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_FILE: output, FORCE_COLOR: '0' },
      encoding: 'utf8',
    });
    const report = fs.existsSync(output) ? (JSON.parse(fs.readFileSync(output, 'utf8')) as JsonReport) : undefined;
    const errors = report?.errors.map(e => e.message ?? '').filter(Boolean) ?? [];
    if (result.status !== 0 || !report || errors.length)
      throw new PackgateError(
        'INPUT_INVALID',
        `playwright could not list the tests (exit ${result.status}):\n${(errors.length ? [...new Set(errors)] : [result.stderr.trim()]).join('\n')}`,
        { hint: 'fix what it names (`npx playwright test --list` shows the same), then run this again' },
      );
    return report.suites.flatMap(file => walk(file, report.config.rootDir, []));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A file's suite holds its specs and its describes; the file's own title is not part of a test's name. */
function walk(suite: JsonSuite, rootDir: string, describes: string[]): ListedTest[] {
  const own = (suite.specs ?? []).flatMap(spec =>
    spec.tests.map(t => ({
      project: t.projectName,
      file: path.resolve(rootDir, spec.file),
      title: [...describes, spec.title].join(' › '),
    })),
  );
  const nested = (suite.suites ?? []).flatMap(child => walk(child, rootDir, [...describes, child.title]));
  return [...own, ...nested];
}
