/**
 * What is wrong with a descriptor's value as the URL of a page or an API, if anything: one rule for
 * lint (a literal or a default) and the run (the value it looked up), so a default lint passes is one
 * the run takes. `localhost:4410` and `acme.example.com:443` parse as URLs of schemes "localhost:"
 * and "acme.example.com:", which a browser cannot reach: refused, with the scheme to write (`scheme`,
 * https but for a probe on loopback).
 */
export function httpUrlProblem(
  raw: string,
  scheme: 'https' | 'http' = 'https',
  role: 'base' | 'redirect' = 'base',
): { problem: string; fix?: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { problem: 'is not a URL' };
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return tailProblem(raw, role);
  return {
    problem: 'is not an http(s) URL',
    fix: /^[\w.-]+(:\d+)?(\/.*)?$/.test(raw)
      ? `write it with its scheme: ${scheme}://${raw}`
      : 'write it with https:// (or http://)',
  };
}

/**
 * A query or fragment on a URL packgate puts paths on (`https://app.acme.example/#/`, copied from the
 * address bar of an app routing by hash) came before every path: the sign-in started at
 * `/#/login`, a route of the page, and the IdP was asked for the callback `/#/auth/callback`. A
 * redirect URI may carry a query, never a fragment (RFC 6749, 3.1.2).
 */
function tailProblem(raw: string, role: 'base' | 'redirect'): { problem: string; fix: string } | undefined {
  const at = role === 'redirect' ? raw.indexOf('#') : raw.search(/[?#]/);
  if (at < 0) return undefined;
  const tail = raw.slice(at);
  const what = tail.startsWith('#') ? 'a fragment' : 'a query';
  return {
    problem:
      role === 'redirect'
        ? `has a fragment ("${tail}"), which a redirect URI may not have`
        : `has ${what} ("${tail}"), which would come before every path put on it`,
    fix: `write it without: ${raw.slice(0, at)}`,
  };
}
