import fs from 'node:fs';
import path from 'node:path';
import { verdictFileSchema } from '../schema/verdict.ts';
import type { VerdictOutcome } from './classify.ts';

export type FoundVerdict = VerdictOutcome & { file: string; content: Buffer };

/**
 * The verdict.json a watched run wrote into the gate output folder, if it wrote one: a file older
 * than the run's start is another run's, and a file that is not a verdict is no verdict. The
 * blocking packs are those whose status blocks the release, as the gate judged them.
 */
export function readRunVerdict(outputDir: string, startedAt: Date): FoundVerdict | undefined {
  const file = path.join(outputDir, 'verdict.json');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (stat.mtimeMs < startedAt.getTime()) return undefined;
  const content = fs.readFileSync(file);
  let parsed;
  try {
    parsed = verdictFileSchema.safeParse(JSON.parse(content.toString('utf8')));
  } catch {
    return undefined;
  }
  if (!parsed.success) return undefined;
  const blockingPacks = parsed.data.packs
    .filter(p => p.blocks)
    .map(p => ({ pack: p.id, status: p.status, reason: p.reason }));
  return { verdict: parsed.data.verdict, blockingPacks, file, content };
}
