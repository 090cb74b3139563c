import fs from 'node:fs';
import path from 'node:path';
import { readCaFile, type TrustedCa } from '../browser/trust-store.ts';
import { isFile } from '../fs/is-file.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';
import { currentRunPlan } from '../run/run-plan.ts';

/** The CA files the run's workers trust, with their environments (TrustedCa[], JSON), set by the runner for this setup. */
export const TRUSTED_CAS_VAR = 'PACKGATE_TRUSTED_CAS';

/** Node's one extra CA file, read by each process when it starts. */
const EXTRA_CA_VAR = 'NODE_EXTRA_CA_CERTS';

/**
 * Playwright's global setup for a run with environments that have their own CA (`tls.ca_file`). It
 * runs after the web servers are up and before any worker starts, which is what it needs: a stack in
 * deployment shape writes its CA when it starts, and Node reads NODE_EXTRA_CA_CERTS once, when a
 * process starts. It writes one bundle (the extra CAs already set for this process, then the
 * environments') and points the workers at it; certificate checks stay on.
 */
export default function trustEnvironmentCas(): void {
  const cas = JSON.parse(process.env[TRUSTED_CAS_VAR] ?? '[]') as TrustedCa[];
  const plan = currentRunPlan();
  if (!cas.length || !plan) return;
  const bundle = path.join(plan.runDir, 'trust', 'node-extra-ca.pem');
  writeCaBundle(bundle, cas);
  process.env[EXTRA_CA_VAR] = bundle;
}

/**
 * Writes one PEM bundle for NODE_EXTRA_CA_CERTS: the extra CAs this process was given, then `cas`.
 * For a process started after it with NODE_EXTRA_CA_CERTS pointing at `bundle`.
 */
export function writeCaBundle(bundle: string, cas: readonly TrustedCa[]): void {
  const preset = process.env[EXTRA_CA_VAR];
  // A preset that is not a readable file is skipped, as Node itself skips it (with a warning).
  const pems = [
    ...(preset && isFile(preset) ? [fs.readFileSync(preset, 'utf8')] : []),
    ...cas.map(ca => readCaFile(ca.file, ca.environment)),
  ].map(pem => pem.trim());
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  writeFileAtomic(bundle, `${pems.join('\n')}\n`);
}
