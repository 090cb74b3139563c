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
): { problem: string; fix?: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { problem: 'is not a URL' };
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return undefined;
  return {
    problem: 'is not an http(s) URL',
    fix: /^[\w.-]+(:\d+)?(\/.*)?$/.test(raw)
      ? `write it with its scheme: ${scheme}://${raw}`
      : 'write it with https:// (or http://)',
  };
}
