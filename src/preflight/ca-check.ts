import path from 'node:path';
import { readCaFile, type CaFileOwner } from '../browser/trust-store.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import type { PreflightCheck } from './env-check.ts';

/**
 * The environment's CA (`tls.ca_file`), read as the gate reads it before it trusts it. One that
 * cannot be read, or holds no PEM certificate, is this environment not ready (most often its stack in
 * deployment shape not started yet, which writes it, or a deployment's CA not fetched yet), not a bad
 * catalogue: a failing row saying which file, why and what to do by the environment (with a stack or
 * without), from the same words as the gate's refusal, and the checks that need it not run (see
 * `needsCa`).
 */
export function caCheck(caFile: string, environment: CaFileOwner, root: string): PreflightCheck {
  const check = 'tls.ca_file';
  try {
    readCaFile(caFile, environment);
  } catch (error) {
    if (!(error instanceof PackgateError)) throw error;
    return { check, ok: false, detail: error.message.replace('\n  hint:', ';') };
  }
  const shown = path.relative(root, caFile).startsWith('..') ? caFile : path.relative(root, caFile);
  return { check, ok: true, detail: `${shown.split(path.sep).join('/')}: trusted by the checks below` };
}

/**
 * A tls.ca_file read from an env var that is not set and has no default: a row of its own (the
 * descriptor does not resolve without it), naming the variable and where the descriptor reads it
 * (`at`: file:line), and what to set it to: where the environment's stack writes its CA, or for a
 * deployment without one, its CA's certificate.
 */
export function caFileUnsetCheck(variable: string, at: string, environment: { stack?: object }): PreflightCheck {
  const to = environment.stack
    ? 'where its stack is to write the CA it generates (it writes it there when it starts)'
    : "the path of the PEM of the CA that issued the deployment's certificates";
  return {
    check: 'tls.ca_file',
    ok: false,
    detail: `${variable} is not set and there is no default (tls.ca_file in ${at}): set it to ${to}`,
  };
}

/**
 * A check that reaches `url` needs the CA when the URL is https (its certificate is the CA's to
 * verify), and a sign-in always (its browser is launched trusting it); with an unreadable CA they
 * are not checked, rather than failing again for the same cause.
 */
export function needsCa(url: string): boolean {
  return url.startsWith('https:');
}

export function notCheckedWithoutCa(check: string): PreflightCheck {
  return { check, ok: null, detail: 'not checked: it needs the CA, which cannot be read (tls.ca_file, above)' };
}
