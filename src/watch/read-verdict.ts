import fs from 'node:fs';
import path from 'node:path';
import { verdictFileSchema } from '../schema/verdict.ts';
import type { VerdictOutcome } from './classify.ts';

export type FoundVerdict = VerdictOutcome & { file: string; content: Buffer };

/**
 * The verdict.json a watched run wrote into the gate output folder, if it wrote one. Only a verdict
 * naming the watched run (`watchRun`, which a gate records from the WATCH_RUN the watcher sets) is
 * the run's: a gate run going on beside it in the same checkout writes the same file, and its
 * verdict must not decide how a deploy that exited 0 closes out. A file that is not a verdict is no
 * verdict. The blocking packs are those whose status blocks the release, as the gate judged them.
 */
export function readRunVerdict(outputDir: string, run: string): FoundVerdict | undefined {
  const file = path.join(outputDir, 'verdict.json');
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  let parsed;
  try {
    parsed = verdictFileSchema.safeParse(JSON.parse(content.toString('utf8')));
  } catch {
    return undefined;
  }
  if (!parsed.success || parsed.data.watchRun !== run) return undefined;
  const blockingPacks = parsed.data.packs
    .filter(p => p.blocks)
    .map(p => ({ pack: p.id, status: p.status, reason: p.reason }));
  return { verdict: parsed.data.verdict, blockingPacks, file, content };
}
