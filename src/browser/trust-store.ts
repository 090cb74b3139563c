import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type LaunchOptions } from '@playwright/test';
import { PackgateError } from '../diagnostics/errors.ts';
import { displayPath, unreadable } from '../fs/named-file.ts';

/**
 * A home folder whose NSS database trusts `caFile` to issue server certificates: Chromium on Linux
 * reads its trust anchors from `$HOME/.pki/nssdb`, so launching it with this HOME makes it trust the
 * CA while every certificate check stays on (unlike --ignore-certificate-errors, which accepts any
 * certificate). Built under `parent` once per CA content: workers that race build their own and the
 * first rename wins.
 */
export function trustingHome(ca: TrustedCa, parent: string): string {
  const caFile = ca.file;
  const pem = readCaFile(caFile, ca.environment);
  const home = path.join(parent, `ca-${crypto.createHash('sha256').update(pem).digest('hex').slice(0, 16)}`);
  if (fs.existsSync(home)) return home;

  const building = `${home}.${process.pid}.tmp`;
  const db = `sql:${path.join(building, '.pki', 'nssdb')}`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(path.join(building, '.pki', 'nssdb'), { recursive: true });
  certutil(['-N', '-d', db, '--empty-password']);
  // Each certificate of the file on its own: certutil -A takes the first of a bundle alone, so a
  // tls.ca_file of two CAs (the app's and the IdP's, a corporate bundle) was trusted by Node in
  // full and by the browser only in its first, and sign-ins failed ERR_CERT_AUTHORITY_INVALID.
  const certificates = pem.match(PEM_CERTIFICATE) ?? [];
  certificates.forEach((certificate, i) =>
    certutil(['-A', '-d', db, '-t', 'C,,', '-n', `packgate trusted CA ${i + 1}`], `${certificate}\n`),
  );
  try {
    fs.renameSync(building, home);
  } catch {
    // Another worker's rename won: its database trusts the same CA.
    fs.rmSync(building, { recursive: true, force: true });
  }
  return home;
}

/**
 * Chromium outside a gate run (the env check's sign-ins, a manual check's headed browser), trusting
 * the environment's CA (`tls.ca_file`) as the gate's browsers do: with a home of its own whose NSS
 * database trusts it, removed when the browser closes. Launched as given for an environment without one.
 */
export async function launchTrusting(
  options: LaunchOptions,
  environment: CaFileOwner & { tls?: { caFile: string } },
): Promise<Browser> {
  if (!environment.tls) return launch(options);
  const ca = { file: environment.tls.caFile, environment };
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'packgate-trust-'));
  const remove = () => fs.rmSync(parent, { recursive: true, force: true });
  try {
    const home = trustingHome(ca, parent);
    const browser = await launch({ ...options, env: { ...process.env, ...options.env, HOME: home } });
    browser.on('disconnected', remove);
    return browser;
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * Chromium launched; one that does not start (a binary that is no browser, a build missing its
 * shared libraries, a Playwright download cut short) is a BROWSER_NOT_FOUND error (exit 2) naming
 * the executable, how it ended and what it said, not Playwright's page of launch flags.
 */
async function launch(options: LaunchOptions): Promise<Browser> {
  try {
    return await chromium.launch(options);
  } catch (error) {
    throw launchFailure(error, options.executablePath);
  }
}

/** A launch error in a line or two: the browser's own complaint and its exit code, from Playwright's log. */
export function launchFailure(error: unknown, executable: string | undefined): PackgateError {
  // eslint-disable-next-line no-control-regex
  const log = String((error as Error)?.message ?? error).replace(/\u001b\[\d+m/g, '');
  const said = [...new Set([...log.matchAll(/\[pid=\d+\]\[err\] (.*)/g)].map(m => m[1].trim()).filter(Boolean))];
  const telling = said.filter(line => /error|fatal|cannot|failed|denied|not found|no such/i.test(line));
  const complaint = (telling.length ? telling : said.slice(-1)).slice(0, 3);
  const exit = /<process did exit: exitCode=(\d+|null), signal=(\w+)>/.exec(log);
  const ended = exit ? (exit[1] !== 'null' ? `exited with code ${exit[1]}` : `killed by ${exit[2]}`) : undefined;
  const why =
    [ended, ...complaint].filter(Boolean).join(': ') || log.split('\n')[0].replace(/^browserType\.launch: /, '');
  const which = executable ? `Chromium (${executable})` : "Playwright's own Chromium";
  const libraries = complaint.some(line => /shared librar/.test(line));
  return new PackgateError('BROWSER_NOT_FOUND', `${which} did not start: ${why}`, {
    hint: libraries
      ? "it lacks system libraries: `sudo npx playwright install-deps chromium`, or install the distribution's chromium (`sudo apt-get install -y chromium`)"
      : `check that it runs (${executable ?? 'npx playwright install --force chromium'}${executable ? ' --headless --version' : ' reinstalls it'}), ` +
        'or point PACKGATE_CHROMIUM at a Chromium that does; `npx packgate browser ensure` says which browser packgate finds',
    cause: error,
  });
}

/** The environment a CA file is read for: its name, and its stack when packgate starts one (which writes the CA). */
export type CaFileOwner = { name: string; stack?: object };

/** A CA file to trust, with the environment whose tls.ca_file it is: what to do when it is missing depends on it. */
export type TrustedCa = { file: string; environment: CaFileOwner };

/**
 * A CA file's PEM; a PackgateError (exit 2) when it cannot be read or holds no certificate, naming
 * the file (from the shell's folder) and `tls.ca_file`, why in words, and what to do: a missing one
 * is most often a stack in deployment shape not started yet, which writes it when it starts, or for
 * an environment without a stack (a deployment), its CA not fetched yet.
 */
export function readCaFile(file: string, environment: CaFileOwner): string {
  const shown = displayPath(process.cwd(), file);
  const what = `the CA file ${shown} (the environment's tls.ca_file)`;
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    const hint =
      code === 'ENOENT'
        ? missingHint(environment)
        : code === 'EISDIR'
          ? `remove the folder ${shown}, or ${POINT}`
          : POINT;
    throw new PackgateError('TLS_CA_MISSING', `${what}: ${unreadable(error)}`, { hint });
  }
  const pem = content.toString('utf8');
  const problem = notCertificates(pem, content);
  if (problem)
    throw new PackgateError('TLS_CA_INVALID', `${what}: ${problem.why}`, {
      hint: problem.der
        ? `convert it to PEM (openssl x509 -inform der -in ${shown} -out ca.pem) and point the environment's tls.ca_file (or the env var it reads) at that`
        : POINT,
    });
  return pem;
}

const POINT =
  "point the environment's tls.ca_file (or the env var it reads) at the PEM of the CA that issued its certificates";

/** What to do about a CA file that is not there, by what makes it: the environment's stack, or its deployment. */
function missingHint(environment: CaFileOwner): string {
  if (!environment.stack)
    return (
      "get the certificate of the CA that issued the deployment's certificates (PEM) " +
      "and point the environment's tls.ca_file (or the env var it reads) at it"
    );
  const start = `npx packgate stack start --env ${environment.name}`;
  return `a stack in deployment shape writes it when it starts: start its stack first (${start}), or ${POINT}`;
}

/** One certificate of a PEM file. */
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Why a CA file's content is not what browsers (certutil) and Node (NODE_EXTRA_CA_CERTS) take: PEM
 * certificates, each one decoding. `der` when it is one certificate in DER, which converts.
 */
function notCertificates(pem: string, content: Buffer): { why: string; der?: boolean } | undefined {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (!blocks.length) {
    if (!pem.trim()) return { why: 'empty, not a PEM certificate' };
    if (decodeError(content) === undefined) return { why: 'a certificate in DER, not PEM', der: true };
    return { why: 'not a PEM certificate (no -----BEGIN CERTIFICATE----- in it)' };
  }
  const errors = blocks.map(decodeError);
  const bad = errors.findIndex(error => error !== undefined);
  if (bad < 0) return undefined;
  const which =
    blocks.length > 1 ? `certificate ${bad + 1} of ${blocks.length}` : 'its -----BEGIN CERTIFICATE----- block';
  return { why: `${which} does not decode as a certificate (${errors[bad]})` };
}

/** Why a certificate does not decode, in OpenSSL's words without its codes ("bad base64 decode"); undefined when it does. */
function decodeError(certificate: string | Buffer): string | undefined {
  try {
    new crypto.X509Certificate(certificate);
    return undefined;
  } catch (error) {
    return String((error as Error).message).replace(/^error:\w+:[^:]*:[^:]*:/, '');
  }
}

/** certutil with `args`; `input` on its stdin (a certificate to add, where -i names no file). */
function certutil(args: string[], input?: string): void {
  const result = spawnSync('certutil', args, { encoding: 'utf8', input });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new PackgateError(
      'TLS_TRUST_TOOL_MISSING',
      "certutil is not installed: the browser cannot be made to trust the environment's CA",
      {
        hint: 'install NSS tools (`sudo apt-get install -y libnss3-tools` on Debian/Ubuntu); .ci/run installs it',
      },
    );
  if (result.status !== 0)
    throw new PackgateError(
      'TLS_TRUST_FAILED',
      `certutil ${args[0]} failed: ${(result.stderr || result.stdout).trim()}`,
      {
        hint: 'check that the CA file is a PEM certificate',
      },
    );
}
