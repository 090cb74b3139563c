import { REDACTED } from './redacted.ts';

/**
 * What looks like a credential whatever its value: the second line of defence behind the known
 * values, for tokens and codes nobody told the redactor about.
 */

/** Query, fragment or form parameters whose value is a credential or lets one be obtained. */
const SECRET_PARAMS = [
  'code',
  'state',
  'nonce',
  'session_state',
  'id_token_hint',
  'logout_token',
  'device_code',
  'user_code',
  'token',
].join('|');

/** Parameters named so plainly a credential that `name=value` is one wherever it is written. */
const CREDENTIAL_PARAMS = [
  'password',
  'passwd',
  'pwd',
  'client_secret',
  'client_assertion',
  'code_verifier',
  'access_token',
  'id_token',
  'refresh_token',
  'api_key',
  'apikey',
].join('|');

const ALL_PARAMS = `${SECRET_PARAMS}|${CREDENTIAL_PARAMS}`;

/** Words that make a header (or HAR name/value pair) a credential: `x-api-key`, `x-auth-token`, `cookie`. */
const CREDENTIAL_NAME =
  '[^"\\\\]{0,100}?(?:key|token|secret|auth|cookie|session|passw|pwd|credential|signature)[^"\\\\]{0,100}?';

/** A word that, as one segment of a header name, makes it a credential header. */
const HEADER_WORD =
  '(?:key|token|secret|auth|authorization|cookie|session|sessionid|password|passwd|pwd|apikey|credentials?)';

/** JSON or YAML keys whose value is a credential; keys like `token_endpoint` are left alone. */
const CREDENTIAL_KEY =
  '[\\w.-]{0,60}?(?:password|passwd|pwd|secret|token|api[_-]?key|cookie|authorization|session(?:[_-]?id)?|code_verifier|credentials?|private[_-]?key)';

/** The last word of a name (`DB_PASSWORD`, `_authToken`) that makes what is assigned to it a credential. */
const ASSIGNED_CREDENTIAL =
  'password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key';

/** A JSON string's content, at one level of escaping (`"..."`), up to its closing quote. */
const JSON_STRING_BODY = '(?:[^"\\\\\\n]|\\\\.)*';

export type Pattern = {
  name: string;
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
};

export const CREDENTIAL_PATTERNS: Pattern[] = [
  {
    // ?code=...&state=... in URLs, and form bodies whose first field is a credential (no ? or & before
    // it): at the start of a line (a trace's .dat body) or of a quoted string (a HAR's postData text).
    name: 'url-or-form-param',
    pattern: new RegExp(`((?:[?&#;]|^|(?<=["'>]))(?:${ALL_PARAMS})=)[^&#\\s"'<>\\\\]+`, 'gim'),
    replace: `$1${REDACTED}`,
  },
  {
    // password=..., client_secret=...: a credential whatever precedes it.
    name: 'credential-param',
    pattern: new RegExp(`((?<![\\w.-])(?:${CREDENTIAL_PARAMS})=)[^&#\\s"'<>\\\\]+`, 'gi'),
    replace: `$1${REDACTED}`,
  },
  {
    // The same parameters percent-encoded inside another URL's parameter: return_to=...%3Fcode%3Dxyz%26...
    name: 'encoded-url-param',
    pattern: new RegExp(
      `((?:%3F|%26|%23|^|[?&#=])(?:${ALL_PARAMS})%3D)(?:[^%&#\\s"'<>\\\\]|%(?!26|23)[0-9A-F]{2})+`,
      'gi',
    ),
    replace: `$1${REDACTED}`,
  },
  {
    // Authorization: Bearer xyz / Basic xyz / any scheme, in headers printed as text.
    name: 'authorization-header',
    pattern: /\b((?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?(?:[A-Za-z-]+\s+)?)[A-Za-z0-9._~+/=-]+/gi,
    replace: `$1${REDACTED}`,
  },
  {
    // A bearer token wherever it is written, header or not.
    name: 'bearer',
    pattern: /\b(bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi,
    replace: `$1${REDACTED}`,
  },
  {
    // Cookie and Set-Cookie header values printed as text.
    name: 'cookie-header',
    pattern: /\b((?:set-)?cookie\\?["']?\s*[:=]\s*\\?["']?)[^"'\\\r\n]+/gi,
    replace: `$1${REDACTED}`,
  },
  {
    // Headers printed one per line whose name says they carry a credential: `X-Api-Key: ...`,
    // `x-session-id: ...`, `Authorization: ...`. A bare `Key:` or `Session:` line in a document is not
    // one, nor a name that ends in a number: a task id (`C-AUTH-GATE-001: ready`), not a header.
    name: 'credential-header-line',
    pattern: new RegExp(
      `^(\\s*(?=[a-z0-9_-]{1,100}\\s*:)(?![a-z0-9_-]*[-_]\\d+\\s*:)(?:(?:[a-z0-9]+[-_])+${HEADER_WORD}(?:[-_][a-z0-9]+)*|${HEADER_WORD}[-_][a-z0-9_-]+|` +
        `authorization|cookie|password|passwd|secret|token|apikey)\\s*:[ \\t]*)(?!(?:\\w+\\s+)?\\[REDACTED\\])\\S.*$`,
      'gim',
    ),
    replace: `$1${REDACTED}`,
  },
  {
    // HAR-shaped name/value pairs (headers, query strings, form params, cookies) with a credential name.
    name: 'har-name-value',
    pattern: new RegExp(`("name"\\s*:\\s*"${CREDENTIAL_NAME}"\\s*,\\s*"value"\\s*:\\s*")${JSON_STRING_BODY}`, 'gi'),
    replace: `$1${REDACTED}`,
  },
  {
    name: 'har-value-name',
    pattern: new RegExp(`("value"\\s*:\\s*")${JSON_STRING_BODY}("\\s*,\\s*"name"\\s*:\\s*"${CREDENTIAL_NAME}")`, 'gi'),
    replace: `$1${REDACTED}$2`,
  },
  {
    // HAR-shaped form params named like the parameters above (`{"name":"code","value":...}`).
    name: 'har-param',
    pattern: new RegExp(`("name"\\s*:\\s*"(?:${ALL_PARAMS})"\\s*,\\s*"value"\\s*:\\s*")${JSON_STRING_BODY}`, 'gi'),
    replace: `$1${REDACTED}`,
  },
  {
    // Cookie lists (HAR, storage state): every value, whatever the cookie's name.
    name: 'cookie-list',
    pattern: /"cookies"\s*:\s*\[[^\]]*\]/g,
    replace: list => list.replace(new RegExp(`("value"\\s*:\\s*")${JSON_STRING_BODY}`, 'g'), `$1${REDACTED}`),
  },
  {
    // JSON or YAML fields named like credentials, at any level of JSON escaping:
    // {"password":"x"}, and {\"password\":\"x\"} inside a trace's JSON string.
    name: 'credential-field',
    pattern: new RegExp(
      `((\\\\*)["']?(?<![\\w.-])${CREDENTIAL_KEY}\\2["']?\\s*[:=]\\s*\\2["'])([^\\n]*?)(?=(?<!\\\\)\\2["'])`,
      'gi',
    ),
    replace: (_match, head: string) => `${head}${REDACTED}`,
  },
  {
    // Names that end in a credential word, as environment and config files assign them:
    // DB_PASSWORD=..., GITHUB_TOKEN=..., AWS_SECRET_ACCESS_KEY=..., //registry/:_authToken=...
    // (a name only containing the word, `token_endpoint=`, is not one).
    name: 'credential-assignment',
    pattern: new RegExp(
      `((?<![\\w.-])[\\w.-]*?(?:${ASSIGNED_CREDENTIAL})\\s*=\\s*)(?!\\[REDACTED\\])[^\\s"'&<>\\\\]+`,
      'gi',
    ),
    replace: `$1${REDACTED}`,
  },
  {
    // A password in a URL's user info: postgres://deploy:pw@db, https://user:pw@host.
    name: 'url-user-info',
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>\\]+:)[^\s/@"'<>\\]+(?=@)/gi,
    replace: `$1${REDACTED}`,
  },
  {
    // Command-line credentials: curl -u user:pw, --password=pw, --token pw.
    name: 'credential-flag',
    pattern:
      /((?:^|\s)(?:-u|--user)\s+["']?[^\s:"']+:|(?:^|\s)--(?:password|passwd|token|secret|api-key)(?:=|\s+)["']?)[^\s"']+/gim,
    replace: `$1${REDACTED}`,
  },
  {
    // A private key's body, PEM-armoured (its newlines real or JSON-escaped).
    name: 'private-key',
    pattern: /(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----)/g,
    replace: `$1${REDACTED}$2`,
  },
  {
    // Tokens whose prefix says what they are: GitHub, GitLab, Slack, npm, OpenAI-style, AWS access key ids.
    name: 'prefixed-token',
    pattern:
      /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|npm_[A-Za-z0-9]{36}|sk-(?:proj-|live-|test-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16})\b/g,
    replace: REDACTED,
  },
  {
    // JWTs (three base64url parts, the first a JSON header).
    name: 'jwt',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
    replace: REDACTED,
  },
];
