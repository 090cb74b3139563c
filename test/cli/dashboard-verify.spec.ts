import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Verification } from '../../src/dashboard/api-schemas.ts';
import { escapeText } from '../../src/dashboard/html.ts';
import { startDashboard, type RunningDashboard } from '../../src/dashboard/server.ts';
import { keyId } from '../../src/evidence/keys.ts';
import { openStore } from '../../src/store/open.ts';
import { openStoreReadOnly } from '../../src/store/open-read-only.ts';
import type { QueueStore } from '../../src/store/queue-store.ts';
import { dayStart, recordRun, type RunSpec } from '../helpers/dashboard-seed.ts';
import { REPO } from '../helpers/ports.ts';

/**
 * A run's attestation checked by a dashboard whose key (PACKGATE_ATTEST_PUBLIC_KEY) is not the
 * signer's: nothing changed, so it is "signed by another key", naming both keyids, as `evidence
 * verify` says it, where it was a bad signature; a signature by the dashboard's key that no longer
 * verifies stays a bad one, said to have changed after signing. An unsigned one is no change either:
 * with the dashboard's key, its origin is not verified, as `evidence verify --key` says NOT VERIFIED.
 * Both word one decision (src/evidence/verify.ts `outcomeOf`): the last test holds them to it.
 */
const signer = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const SIGNER = keyId(signer.publicKey);
const OTHER = keyId(other.publicKey);

let reader: QueueStore;
type Name = 'signed' | 'signedAndChanged' | 'signatureChanged' | 'unnamedKey' | 'unsigned' | 'unsignedAndChanged';
const runs: Record<Name, number> = {
  signed: 0,
  signedAndChanged: 0,
  signatureChanged: 0,
  unnamedKey: 0,
  unsigned: 0,
  unsignedAndChanged: 0,
};
/** Each run's gate output folder, as it was recorded: what `evidence verify` checks. */
const dirs = {} as Record<Name, string>;

test.beforeAll(async ({}, testInfo) => {
  const location = { kind: 'sqlite' as const, path: testInfo.outputPath('store/queue.db') };
  const writer = await openStore(location);
  const record = (name: Name, day: number, spec: Partial<RunSpec>) =>
    recordRun(writer, (dirs[name] = testInfo.outputPath(name)), {
      taskId: null,
      environment: 'local',
      stage: 'dev',
      startedAt: dayStart(day, 'local'),
      durationMs: 1_000,
      packs: [{ pack: 'auth-session', status: 'PASS' }],
      key: signer.privateKey,
      ...spec,
    }).then(id => (runs[name] = id));
  await record('signed', 0, {});
  await record('signedAndChanged', 1, { changeAfterAttesting: true });
  await record('signatureChanged', 2, { changeSignature: true });
  await record('unsigned', 3, { key: undefined });
  await record('unsignedAndChanged', 4, { key: undefined, changeAfterAttesting: true });
  await record('unnamedKey', 5, { unnameKey: true });
  await writer.close();
  reader = await openStoreReadOnly(location);
});

test.afterAll(async () => {
  await reader?.close();
});

/** Each run's verification and its page's Attestation section, as text, on a dashboard checking with `key`. */
async function verified(
  key: typeof signer.publicKey | undefined,
): Promise<Record<Name, Verification & { page: string }>> {
  const dashboard: RunningDashboard = await startDashboard(reader, { host: '127.0.0.1', port: 0, publicKey: key });
  try {
    const result = {} as Record<Name, Verification & { page: string }>;
    for (const [name, id] of Object.entries(runs) as Array<[Name, number]>) {
      const api = (await (await fetch(new URL(`/api/runs/${id}`, dashboard.url))).json()) as {
        verification: Verification;
      };
      const html = await (await fetch(new URL(`/runs/${id}`, dashboard.url))).text();
      const section = /<section aria-labelledby="verification">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
      result[name] = {
        ...api.verification,
        page: section
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      };
    }
    return result;
  } finally {
    await dashboard.close();
  }
}

test("a run signed by another key than the dashboard's is said to be, naming both keyids: not a bad signature, not a change", async () => {
  const { signed, signedAndChanged } = await verified(other.publicKey);
  // Before: status bad-signature, "N files match the attestation, but no signature on it verifies with key <other>".
  const summary =
    `signed by another key (keyid ${SIGNER}) than the dashboard's (PACKGATE_ATTEST_PUBLIC_KEY, keyid ${OTHER}): ` +
    "its origin is not verified; verify with the signer's public key";
  expect(signed).toMatchObject({ status: 'other-key', signature: 'invalid', keyid: OTHER, signedBy: [SIGNER] });
  expect(signed.summary).toMatch(/^\d+ files match the attestation, /);
  expect(signed.summary).toContain(summary);
  expect(signed.page).toBe(`Attestation other-key ${escapeText(signed.summary)}`);
  // A file changed too: that is the change; the other key is said beside it.
  expect(signedAndChanged).toMatchObject({ status: 'changed', signedBy: [SIGNER] });
  expect(signedAndChanged.summary).toBe(
    `1 file differs from the attestation: summary.md (changed); ${summary.replace(/; verify with.*/, '')}`,
  );
});

test("a signature by the dashboard's key that no longer verifies is a bad signature, changed after it was signed", async () => {
  const { signed, signatureChanged } = await verified(signer.publicKey);
  expect(signed).toMatchObject({ status: 'intact', signature: 'valid', signedBy: [] });
  expect(signatureChanged).toMatchObject({ status: 'bad-signature', signedBy: [SIGNER] });
  expect(signatureChanged.summary).toMatch(
    new RegExp(
      `^\\d+ files match the attestation, but its signature by key ${SIGNER} does not verify: the attestation changed after it was signed$`,
    ),
  );
});

test("an unsigned run checked with the dashboard's key: no change, its origin not verified, as evidence verify says it", async () => {
  const { unsigned, unsignedAndChanged } = await verified(other.publicKey);
  // Before: "N files match the attestation, which is not signed", saying nothing of the key it was not verified with.
  const unverified =
    `the attestation is not signed, so its origin is not verified with the dashboard's key ` +
    `(PACKGATE_ATTEST_PUBLIC_KEY, keyid ${OTHER})`;
  expect(unsigned).toMatchObject({ status: 'unsigned', signature: 'unsigned', keyid: OTHER, signedBy: [] });
  expect(unsigned.summary).toMatch(/^\d+ files match the attestation; /);
  expect(unsigned.summary).toContain(`; ${unverified}; the gate signs it when PACKGATE_ATTEST_KEY is set`);
  expect(unsigned.page).toBe(`Attestation unsigned ${escapeText(unsigned.summary)}`);
  // A file changed too: that is the change; the missing signature is said beside it.
  expect(unsignedAndChanged).toMatchObject({ status: 'changed', signature: 'unsigned' });
  expect(unsignedAndChanged.summary).toBe(`1 file differs from the attestation: summary.md (changed); ${unverified}`);

  // Without a key the dashboard checks the files only, as evidence verify without --key: intact, saying
  // who attested is not known. Before: status unsigned, where evidence verify says intact and exits 0.
  const { unsigned: withoutKey } = await verified(undefined);
  expect(withoutKey).toMatchObject({ status: 'intact', signature: 'not-checked', keyid: null });
  expect(withoutKey.summary).toMatch(
    /^\d+ files match the attestation; the attestation is not signed, so it shows changes but not who attested$/,
  );
});

test("a signature that names no key and does not verify with the dashboard's: not verified, not a change", async () => {
  const { unnamedKey } = await verified(other.publicKey);
  // Before: status bad-signature, as for a signature by the dashboard's key that changed, where
  // evidence verify says NOT VERIFIED: which key made it, and so whether anything changed, is not known.
  expect(unnamedKey).toMatchObject({ status: 'unknown-key', signature: 'invalid', keyid: OTHER, signedBy: [] });
  expect(unnamedKey.summary).toMatch(
    new RegExp(
      "^\\d+ files match the attestation, but no signature on it verifies with the dashboard's key " +
        `\\(PACKGATE_ATTEST_PUBLIC_KEY, keyid ${OTHER}\\), and not every one names its key: its origin is not verified$`,
    ),
  );
  expect(unnamedKey.page).toBe(`Attestation unknown-key ${escapeText(unnamedKey.summary)}`);
  // The signer's key still verifies it: the keyid is only a hint.
  expect((await verified(signer.publicKey)).unnamedKey).toMatchObject({ status: 'intact', signature: 'valid' });
});

/** What `packgate evidence verify` says of a folder the dashboard gives each status: its head line's first words. */
const SAID_BY_CLI: Partial<Record<Verification['status'], string>> = {
  intact: 'evidence intact',
  changed: 'evidence TAMPERED',
  'bad-signature': 'evidence TAMPERED',
  unsigned: 'evidence NOT VERIFIED',
  'other-key': 'evidence NOT VERIFIED',
  'unknown-key': 'evidence NOT VERIFIED',
};

test('evidence verify and the dashboard say the same of every run, with the same key or none', async ({}, testInfo) => {
  const keys = { signer: signer.publicKey, other: other.publicKey, none: undefined };
  for (const [name, key] of Object.entries(keys)) {
    if (key) fs.writeFileSync(testInfo.outputPath(`${name}.pub`), key.export({ type: 'spki', format: 'pem' }));
    const dashboard = await verified(key);
    const said = await Promise.all(
      Object.values(dirs).map(dir => evidenceVerify(dir, key ? ['--key', testInfo.outputPath(`${name}.pub`)] : [])),
    );
    expect(
      Object.fromEntries(Object.keys(dirs).map((run, i) => [run, said[i]])),
      `checked with ${name === 'none' ? 'no key' : `the ${name} key`}`,
    ).toEqual(
      Object.fromEntries(
        Object.keys(dirs).map(run => {
          const { status } = dashboard[run as Name];
          return [run, { head: SAID_BY_CLI[status], exitCode: status === 'intact' ? 0 : 1 }];
        }),
      ),
    );
  }
});

/** The real CLI's `evidence verify` on a folder: its head line's first words and its exit code. */
function evidenceVerify(dir: string, args: string[]): Promise<{ head: string; exitCode: number }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PACKGATE_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin/packgate.js'), 'evidence', 'verify', dir, ...args], {
      env: { ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    child.on('error', reject);
    child.on('close', code =>
      resolve({
        head: /^evidence (intact|TAMPERED|NOT VERIFIED)/.exec(output)?.[0] ?? output,
        exitCode: code ?? 1,
      }),
    );
  });
}
