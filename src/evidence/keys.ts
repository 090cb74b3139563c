import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { PackgateError } from '../diagnostics/errors.ts';

/** The signing key: PEM text of an ed25519 PKCS#8 private key, or the path of a file holding it. */
export const ATTEST_KEY_VAR = 'PACKGATE_ATTEST_KEY';
/** The key `evidence verify` checks signatures with: PEM text of an ed25519 public key (SPKI), or its path. */
export const ATTEST_PUBLIC_KEY_VAR = 'PACKGATE_ATTEST_PUBLIC_KEY';

const MAKE_KEYS =
  'make a pair with `openssl genpkey -algorithm ed25519 -out attest.key && openssl pkey -in attest.key -pubout -out attest.pub`';

/**
 * The private key a signature is made with. `source` names where it came from, for messages;
 * the value itself is never printed, since a garbled key is still a secret.
 */
export function loadSigningKey(value: string | KeyObject, source: string): KeyObject {
  let key: KeyObject;
  if (typeof value === 'string') {
    const pem = pemOf(value, source, 'private');
    // The pair's other half, the usual mix-up: said as such, where the decoder said only 'unsupported'.
    if (pem.includes('-----BEGIN PUBLIC KEY-----'))
      throw new PackgateError(
        'INPUT_INVALID',
        `${source} holds a public key (-----BEGIN PUBLIC KEY-----); the gate signs with the private one`,
        {
          hint:
            `set ${source} to the private key of the pair (attest.key, -----BEGIN PRIVATE KEY-----); the public ` +
            'key (attest.pub) is for checking: `packgate evidence verify <dir> --key attest.pub`',
        },
      );
    key = parse(() => createPrivateKey(pem), source, 'an ed25519 private key (PKCS#8 PEM)');
  } else key = value;
  if (key.type !== 'private')
    throw new PackgateError('INPUT_INVALID', `${source} is not a private key`, { hint: MAKE_KEYS });
  return ed25519Only(key, source);
}

/**
 * The public key signatures are checked with. A private key given as text or file is refused, though
 * its public half could be derived: the signing secret does not belong where a verifier runs (CI logs,
 * a dashboard's environment), so the user is told to pass the public key. A KeyObject (the code's own
 * callers) may still be either half.
 */
export function loadPublicKey(value: string | KeyObject, source: string): KeyObject {
  let key: KeyObject;
  if (typeof value === 'string') {
    const pem = pemOf(value, source, 'public');
    const armour = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----/.exec(pem)?.[1];
    if (armour) throw privateKeyGiven(value, source, armour);
    key = parse(() => createPublicKey(pem), source, 'an ed25519 public key (SPKI PEM)');
  } else key = value.type === 'private' ? createPublicKey(value) : value;
  return ed25519Only(key, source);
}

/** The pair's secret half given to a verifier: said as such, with how to make the public half. */
function privateKeyGiven(value: string, source: string, armour: string): PackgateError {
  // The path is printed (source names it); PEM text given in a variable never is.
  const file = value.trimStart().startsWith('-----BEGIN') ? 'attest.key' : value.trim();
  return new PackgateError(
    'INPUT_INVALID',
    `${source} holds a private key (-----BEGIN ${armour}-----); checking a signature takes the public key, ` +
      'and the private one is a secret that does not belong where evidence is verified',
    {
      hint:
        `pass the public key of the pair: make it with \`openssl pkey -in ${file} -pubout -out attest.pub\` and give ` +
        `${source.startsWith('--key') ? '--key attest.pub' : `${source}=attest.pub`}; keep the private key only where the gate signs (${ATTEST_KEY_VAR})`,
    },
  );
}

/** The DSSE keyid packgate writes: SHA-256 of the public key's SPKI DER, hex. */
export function keyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** PEM text as given, or the content of the file the value names. */
function pemOf(value: string, source: string, kind: 'private' | 'public'): string {
  if (value.trimStart().startsWith('-----BEGIN')) return value;
  // A private key's value is never echoed, not even as a path: it may be a key without its armour.
  const printable = kind === 'public';
  try {
    return fs.readFileSync(value.trim(), 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new PackgateError(
      'INPUT_INVALID',
      printable
        ? `${source} names no readable key file: ${value.trim()} (${why})`
        : `${source} is neither PEM text (-----BEGIN ...) nor the path of a readable file`,
      { hint: `give the PEM text or the path of a PEM file; ${MAKE_KEYS}` },
    );
  }
}

function parse(make: () => KeyObject, source: string, expected: string): KeyObject {
  try {
    return make();
  } catch (error) {
    throw new PackgateError('INPUT_INVALID', `${source} is not ${expected}: ${(error as Error).message}`, {
      hint: MAKE_KEYS,
    });
  }
}

function ed25519Only(key: KeyObject, source: string): KeyObject {
  if (key.asymmetricKeyType === 'ed25519') return key;
  throw new PackgateError(
    'INPUT_INVALID',
    `${source} is a${key.asymmetricKeyType ? `n ${key.asymmetricKeyType}` : ' symmetric'} key; attestations are signed with ed25519 only`,
    { hint: MAKE_KEYS },
  );
}
