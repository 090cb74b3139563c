import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRoot, loadCatalogueOrThrow, type Catalogue } from '../../src/catalogue/load.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import type { TrustedCa } from '../../src/browser/trust-store.ts';
import { resolveEnvironment } from '../../src/environment/resolve.ts';
import { writeCaBundle } from '../../src/playwright/trust-setup.ts';
import { preflight, type PreflightResult } from '../../src/preflight/env-check.ts';
import { printJson, table } from './kit.ts';

/**
 * `packgate env check <name>`: the preflight a team runs while writing a descriptor. Exit 0 when
 * the environment is ready, 1 when a check fails, 2 for a bad catalogue or an unknown environment.
 */
export async function envCheck(name: string, options: { json?: boolean; signIn?: boolean }): Promise<void> {
  const catalogue = loadCatalogueOrThrow(findRoot(process.cwd()));
  const ca = caOf(catalogue, name);
  if (ca && process.env[TRUSTED_VAR] !== ca.file && checkTrusting(ca)) return;
  const result = await preflight(catalogue, name, { signIn: options.signIn });
  // ok as everywhere: true exactly when the command exits 0.
  if (options.json) printJson({ ok: result.ready, ...result });
  else process.stdout.write(render(result).join('\n') + '\n');
  if (!result.ready) process.exitCode = 1;
}

/** Set in the process env check runs itself again in, once it trusts the environment's CA. */
const TRUSTED_VAR = 'PACKGATE_ENV_CHECK_TRUSTS';

/** The environment's tls.ca_file, when it has one and it resolves (else the checks say why). */
function caOf(catalogue: Catalogue, name: string): TrustedCa | undefined {
  try {
    const environment = resolveEnvironment(catalogue, name);
    return environment.tls && { file: environment.tls.caFile, environment };
  } catch {
    return undefined;
  }
}

/**
 * The check again, in a process whose API clients trust the environment's CA: Node reads
 * NODE_EXTRA_CA_CERTS only when a process starts, as a gate's workers get it (trust-setup.ts).
 * False, having run nothing, when the CA file cannot be read or is no certificate: the check runs
 * here then, where its tls.ca_file row says why (one missing, a folder, not a certificate), not this
 * command's exit 2. The bundle is that one read of the file.
 */
function checkTrusting(ca: TrustedCa): boolean {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packgate-env-check-'));
  try {
    const bundle = path.join(dir, 'extra-ca.pem');
    try {
      writeCaBundle(bundle, [ca]);
    } catch (error) {
      if (error instanceof PackgateError && error.code.startsWith('TLS_CA_')) return false;
      throw error;
    }
    const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, [TRUSTED_VAR]: ca.file },
    });
    process.exitCode = child.status ?? 1;
    return true;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const MARK = { true: 'ok', false: 'FAIL', null: '-' } as const;

function render(result: PreflightResult): string[] {
  const failed = result.checks.filter(c => c.ok === false).length;
  return [
    result.ready
      ? `environment "${result.environment}" (${result.file}) is READY`
      : `environment "${result.environment}" (${result.file}) is NOT READY: ${failed} of ${result.checks.length} checks fail`,
    ...table(
      ['CHECK', 'RESULT', 'DETAIL'],
      // A detail of several lines (a descriptor that does not resolve, one line per problem) goes on
      // under DETAIL, where at the table's left its lines read as rows of other checks.
      result.checks.flatMap(c =>
        c.detail
          .split('\n')
          .map((line, i) => (i ? ['', '', line] : [c.check, MARK[String(c.ok) as keyof typeof MARK], line])),
      ),
    ).map(line => `  ${line}`),
    '',
    `packs it runs (${result.packs.length}):`,
    ...table(
      ['PACK', 'LAYERS', 'POLICY'],
      result.packs.map(p => [p.id, p.layers.join(', ') || '(none of its layers)', p.policy]),
    ).map(line => `  ${line}`),
    ...(result.hint ? ['', `hint: ${result.hint}`] : []),
  ];
}
