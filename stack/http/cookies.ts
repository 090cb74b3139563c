import type { IncomingMessage } from 'node:http';

/** Cookies sent with a request, first value wins (as browsers order the more specific path first). */
export function readCookies(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (cookies.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // A malformed escape is kept as sent; lookups then simply fail to match.
    }
    cookies.set(name, value);
  }
  return cookies;
}

export type CookieOptions = {
  maxAgeS?: number;
  secure: boolean;
  path?: string;
  /** Shared with the parent domain's hosts (a deployment's api and notebooks hosts), when set. */
  domain?: string;
};

/** A Set-Cookie value that scripts cannot read and cross-site subrequests do not send. */
export function serializeCookie(
  name: string,
  value: string,
  { maxAgeS, secure, path = '/', domain }: CookieOptions,
): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${path}`, 'HttpOnly', 'SameSite=Lax'];
  if (domain) parts.push(`Domain=${domain}`);
  if (maxAgeS !== undefined) parts.push(`Max-Age=${maxAgeS}`);
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearCookie(name: string, { secure, domain }: Pick<CookieOptions, 'secure' | 'domain'>): string {
  return serializeCookie(name, '', { maxAgeS: 0, secure, domain });
}
