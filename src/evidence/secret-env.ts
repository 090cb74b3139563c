/**
 * The values of environment variables whose names say they hold a secret (`DB_PASSWORD`,
 * `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `PACKGATE_ATTEST_KEY`): what a command run with that
 * environment may print, for the redaction of its log. Values shorter than six characters are left
 * to the patterns: as known values they would take ordinary words with them.
 */
export function secretEnvValues(env: Record<string, string | undefined>): string[] {
  return Object.entries(env).flatMap(([name, value]) =>
    value && value.length >= MIN_LENGTH && isSecretName(name) ? [value] : [],
  );
}

const MIN_LENGTH = 6;

/** Words of a name, split at `_` and `-`, that make it a secret's name wherever they stand. */
const SECRET_WORDS = new Set([
  'PASSWORD',
  'PASSWD',
  'PASS',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'APIKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'AUTH',
  'COOKIE',
]);

function isSecretName(name: string): boolean {
  const words = name.toUpperCase().split(/[^A-Z0-9]+/);
  // A name ending in KEY is a key (`..._ACCESS_KEY`, `..._ATTEST_KEY`); `KEY_ID`, `KEYRING` are not.
  return words.some(word => SECRET_WORDS.has(word)) || words.at(-1) === 'KEY';
}
