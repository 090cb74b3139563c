import dns from 'node:dns';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

let installed = false;

/**
 * Makes `localhost` and `*.localhost` names resolve to loopback in this process, as RFC 6761 (6.3)
 * asks of resolvers and as Chromium does by itself. glibc without nss-myhostname (Debian without systemd-resolved)
 * answers them ENOTFOUND, so API clients and websockets would fail where the browser succeeds: a
 * deployment-shaped stack routes by host name (`app.example.localhost`, `api.example.localhost`) on
 * one loopback port. Any other name goes to the system resolver untouched.
 */
export function resolveLocalhostNames(): void {
  if (installed) return;
  installed = true;
  const lookup = dns.lookup;
  const promisesLookup = dns.promises.lookup;
  const loopback = (options: dns.LookupOptions | undefined) => {
    const addresses = loopbackAddresses(options?.family);
    return options?.all ? addresses : addresses[0]!;
  };

  // Node's net and undici look dns.lookup up on the module at call time; Playwright's request
  // contexts call dns.promises.lookup. Patched at both, for loopback names only.
  dns.lookup = function (hostname: string, options: unknown, callback?: LookupCallback) {
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts = typeof options === 'number' ? { family: options } : (typeof options === 'object' && options) || {};
    if (!isLoopbackName(hostname))
      return (lookup as (...args: unknown[]) => void).call(dns, hostname, options, callback);
    const answer = loopback(opts as dns.LookupOptions);
    process.nextTick(() => (Array.isArray(answer) ? done(null, answer) : done(null, answer.address, answer.family)));
  } as typeof dns.lookup;
  dns.promises.lookup = function (hostname: string, options?: unknown) {
    if (!isLoopbackName(hostname))
      return (promisesLookup as (...args: unknown[]) => Promise<unknown>)(hostname, options);
    const opts = typeof options === 'number' ? { family: options } : (options as dns.LookupOptions | undefined);
    return Promise.resolve(loopback(opts));
  } as typeof dns.promises.lookup;
}

/**
 * Both loopback addresses, 127.0.0.1 first, as Chromium answers these names: a server listening on
 * ::1 only (a dev server bound to `localhost` where the system says ::1) is reached by the browser,
 * and was refused to env check and the API clients, which were given 127.0.0.1 alone. A caller
 * asking for one family gets its address; one asking for a single address gets 127.0.0.1, while
 * Node's and Playwright's connections ask for all and try each in turn.
 */
function loopbackAddresses(family: number | string | undefined): dns.LookupAddress[] {
  const v4 = { address: '127.0.0.1', family: 4 };
  const v6 = { address: '::1', family: 6 };
  if (family === 4 || family === 'IPv4') return [v4];
  if (family === 6 || family === 'IPv6') return [v6];
  return [v4, v6];
}

/**
 * `localhost` and the names under it (`localhost.`, `app.example.localhost`): loopback by RFC 6761
 * (6.3), whatever /etc/hosts says. glibc answers `localhost.` ENOTFOUND, and `localhost` with
 * 127.0.0.1 alone where /etc/hosts has no ::1 line, where Chromium opens both.
 */
function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || isLocalhostName(hostname);
}

/** A name under `localhost.` (RFC 6761 6.3), which resolves to loopback. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name.endsWith('.localhost');
}
