import net from 'node:net';

/**
 * Whether a host name or address is this machine's loopback: `localhost` (in any case), 127.0.0.0/8,
 * ::1, with or without brackets. Names are compared without case, as DNS compares them.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (net.isIPv4(name)) return name.startsWith('127.');
  return net.isIPv6(name) && (name === '::1' || /^::ffff:127\./.test(name));
}

/** The host name of a Host header (`name:port`, `[v6]:port`), lower-cased. */
export function hostHeaderName(header: string): string {
  return header.toLowerCase().replace(/:\d+$/, '');
}
