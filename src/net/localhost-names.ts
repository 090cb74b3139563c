import dns from 'node:dns';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

let installed = false;

/**
 * Makes `*.localhost` names resolve to loopback in this process, as RFC 6761 (6.3) asks of resolvers
 * and as Chromium does by itself. glibc without nss-myhostname (Debian without systemd-resolved)
 * answers them ENOTFOUND, so API clients and websockets would fail where the browser succeeds: a
 * deployment-shaped stack routes by host name (`app.example.localhost`, `api.example.localhost`) on
 * one loopback port. Any other name goes to the system resolver untouched.
 */
export function resolveLocalhostNames(): void {
  if (installed) return;
  installed = true;
  const lookup = dns.lookup;
  const promisesLookup = dns.promises.lookup;
  const loopback = (all: boolean | undefined) =>
    all ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 };

  // Node's net and undici look dns.lookup up on the module at call time; Playwright's request
  // contexts call dns.promises.lookup. Patched at both, for loopback names only.
  dns.lookup = function (hostname: string, options: unknown, callback?: LookupCallback) {
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts = (typeof options === 'object' && options) || {};
    if (!isLocalhostName(hostname))
      return (lookup as (...args: unknown[]) => void).call(dns, systemName(hostname), options, callback);
    const answer = loopback((opts as dns.LookupOptions).all);
    process.nextTick(() => (Array.isArray(answer) ? done(null, answer) : done(null, answer.address, answer.family)));
  } as typeof dns.lookup;
  dns.promises.lookup = function (hostname: string, options?: unknown) {
    if (!isLocalhostName(hostname))
      return (promisesLookup as (...args: unknown[]) => Promise<unknown>)(systemName(hostname), options);
    return Promise.resolve(loopback((options as dns.LookupOptions | undefined)?.all));
  } as typeof dns.promises.lookup;
}

/**
 * `localhost.`, the fully qualified `localhost`, is looked up as `localhost`: glibc answers the
 * name with its trailing dot ENOTFOUND (it is not in /etc/hosts so), where Chromium opens it, so a
 * descriptor's `https://localhost.:8443` failed env check's rows and the API tests as a name that
 * does not resolve while its sign-in passed. The system's answer for `localhost` is kept (::1 or
 * 127.0.0.1, as it says).
 */
function systemName(hostname: string): string {
  return hostname.toLowerCase() === 'localhost.' ? 'localhost' : hostname;
}

/** A name under `localhost.` (RFC 6761 6.3), which resolves to loopback. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name.endsWith('.localhost');
}
