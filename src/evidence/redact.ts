/**
 * Removes secrets from text before it is written anywhere: the values of every secret the
 * environment resolves, plus what looks like a credential whatever its value (OAuth codes, states
 * and tokens in URLs and forms, bearer tokens, cookies, JWTs, passwords in JSON).
 */
export type Redactor = (text: string) => string;

export const REDACTED = '[REDACTED]';

/** Query or form parameters whose value is a credential or lets one be obtained. */
const SECRET_PARAMS = [
  'code',
  'state',
  'nonce',
  'code_verifier',
  'access_token',
  'id_token',
  'refresh_token',
  'client_secret',
  'password',
  'session_state',
  'id_token_hint',
];

const PATTERNS: Array<[RegExp, string]> = [
  // ?code=...&state=... in URLs and form bodies
  [new RegExp(`([?&#](?:${SECRET_PARAMS.join('|')})=)[^&#\\s"'<>]+`, 'gi'), `$1${REDACTED}`],
  // Authorization: Bearer xyz / Basic xyz
  [/\b(authorization["']?\s*[:=]\s*["']?(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
  // Cookie and Set-Cookie header values
  [/\b((?:set-)?cookie["']?\s*[:=]\s*["']?)[^"'\r\n]+/gi, `$1${REDACTED}`],
  // JSON or YAML fields named like credentials
  [
    /(["']?(?:password|passwd|secret|client_secret|token|access_token|refresh_token|id_token)["']?\s*[:=]\s*["'])[^"']+/gi,
    `$1${REDACTED}`,
  ],
  // HAR-shaped headers (traces, HAR files): {"name":"Cookie","value":"..."}
  [
    /("name"\s*:\s*"(?:cookie|set-cookie|authorization|proxy-authorization)"\s*,\s*"value"\s*:\s*")(?:[^"\\]|\\.)*/gi,
    `$1${REDACTED}`,
  ],
  // HAR-shaped cookie lists: every value in "cookies":[{"name":..,"value":..}]
  [/"cookies"\s*:\s*\[[^\]]*\]/g, '<cookies>'],
  // JWTs (three base64url parts, the first a JSON header)
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, REDACTED],
];

export function createRedactor(secretValues: readonly string[]): Redactor {
  // Longest first, so a secret that contains another is replaced whole. Very short values would
  // erase ordinary words, so they are left to the patterns.
  const values = [...new Set(secretValues)].filter(v => v.length >= 6).sort((a, b) => b.length - a.length);
  return text => {
    let out = text;
    for (const value of values) out = out.split(value).join(REDACTED);
    for (const [pattern, replacement] of PATTERNS)
      out =
        replacement === '<cookies>'
          ? out.replace(pattern, list => list.replace(/("value"\s*:\s*")(?:[^"\\]|\\.)*/g, `$1${REDACTED}`))
          : out.replace(pattern, replacement);
    return out;
  };
}

/** Redacts every string inside a JSON-able value. */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(v => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  return value;
}
