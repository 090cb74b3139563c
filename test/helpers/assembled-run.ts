import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { assembleRun } from '../../src/gate/assemble.ts';
import type { VerdictFile } from '../../src/schema/verdict.ts';
import { REPO } from './ports.ts';

let catalogue: ReturnType<typeof loadCatalogueOrThrow> | undefined;

/**
 * The verdict the gate assembles for a local-api run of this repository's catalogue in which no
 * test ran, with what a test changes: for unit tests of judging and printing, no run needed.
 */
export function assembledVerdict(overrides: Partial<Parameters<typeof assembleRun>[0]> = {}): VerdictFile {
  catalogue ??= loadCatalogueOrThrow(REPO);
  return assembleRun({
    catalogue,
    tests: [],
    runErrors: [],
    runStatus: 'passed',
    projects: [{ name: 'local-api', environment: 'local', layer: 'api' }],
    faults: [],
    startedAt: new Date('2026-12-07T12:00:00Z'),
    durationMs: 1,
    processEnv: {},
    ...overrides,
  })!.verdict;
}
