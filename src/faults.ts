import type { Catalogue } from './catalogue/load.ts';
import { PackgateError } from './diagnostics/errors.ts';

/** Comma-separated ids of faults to inject into the embedded stack. */
export const FAULTS_VAR = 'PACKGATE_STACK_FAULTS';

/** The faults a run asks for, checked against the fault catalogue. */
export function requestedFaults(
  catalogue: Catalogue,
  processEnv: Record<string, string | undefined> = process.env,
): string[] {
  const ids = (processEnv[FAULTS_VAR] ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  const unknown = ids.filter(id => !catalogue.faults.has(id));
  if (unknown.length) {
    throw new PackgateError(
      'FAULT_UNKNOWN',
      `${FAULTS_VAR} names unknown fault${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
      `known faults: ${[...catalogue.faults.keys()].join(', ') || '(none)'}; \`npx packgate stack faults\` lists them`,
    );
  }
  return [...new Set(ids)];
}
