import fs from 'node:fs';
import path from 'node:path';
import { isPlaywrightAsset } from './playwright-assets.ts';
import { redactFileInPlace, type Quarantined } from './redact-files.ts';
import type { Redactor } from './redact.ts';

export type SweepResult = {
  /** Files rewritten, relative to the root the sweeper was given. */
  changed: string[];
  /** What was removed because it could not be read, paths relative to the root. */
  quarantined: Quarantined[];
  /** Folders not swept, each with why (a folder holding the project itself). */
  refused: string[];
};

/**
 * Redacts every artifact a run publishes besides the gate's own output, after the run: Playwright's
 * output folders (test-results), the HTML report, blob, JUnit or JSON reports. Each file is redacted
 * by content (redactFileInPlace); files identical to what Playwright ships (the report app, the trace
 * viewer) are left as they are. Remembers what it swept, so a second sweep (after reporters that
 * write last) reads only files that are new or changed since.
 */
export class ArtifactSweeper {
  private readonly swept = new Map<string, string>();

  constructor(
    private readonly redact: Redactor,
    /** The project root: paths are reported relative to it, and no folder holding it is swept. */
    private readonly root: string,
  ) {}

  sweep(targets: readonly string[]): SweepResult {
    const result: SweepResult = { changed: [], quarantined: [], refused: [] };
    for (const target of [...new Set(targets.map(t => path.resolve(t)))]) {
      const rel = path.relative(target, this.root);
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
        result.refused.push(
          `${target}: holds the project itself, so it is not an output folder; point the reporter or project output elsewhere`,
        );
        continue;
      }
      this.visit(target, result);
    }
    return result;
  }

  private visit(file: string, result: SweepResult): void {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(file);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(file).sort()) this.visit(path.join(file, name), result);
      return;
    }
    const rel = path.relative(this.root, file);
    if (!stat.isFile()) {
      // A link publishes whatever it points at, which nothing here has read.
      fs.rmSync(file, { force: true });
      result.quarantined.push({
        path: rel,
        reason: `not a regular file (${stat.isSymbolicLink() ? 'a symbolic link' : 'special'})`,
      });
      return;
    }
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    if (this.swept.get(file) === stamp) return;
    const { changed, quarantined } = redactFileInPlace(file, undefined, this.redact, { keepText: isPlaywrightAsset });
    if (changed && fs.existsSync(file)) result.changed.push(rel);
    // `<file>!<entry>...`: only the file part is a path on disk.
    result.quarantined.push(...quarantined.map(q => ({ ...q, path: rel + q.path.slice(file.length) })));
    try {
      const after = fs.statSync(file);
      this.swept.set(file, `${after.size}:${after.mtimeMs}`);
    } catch {
      this.swept.delete(file);
    }
  }
}

/** One line per quarantined item, for a verdict problem or a log. */
export function describeQuarantine(item: Quarantined): string {
  return `${item.path}: removed from the published artifacts, it could not be redacted (${item.reason})`;
}
