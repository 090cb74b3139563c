import fs from 'node:fs';
import net from 'node:net';

/**
 * Ports nothing listens on right now, for servers or a browser that must be told their port up
 * front; held open together while they are picked, so no two come back the same.
 *
 * Taken below the kernel's ephemeral range: a port the kernel hands out (`listen(0)`) is free only
 * until any outgoing connection on the machine (a browser, a test's fetch) takes it as its source
 * port, and a server started on it a minute later (a regression proof's second stack) finds it in use.
 */
export async function freePorts(count: number): Promise<number[]> {
  const [low, high] = listenRange();
  const held: net.Server[] = [];
  try {
    for (let tries = 0; held.length < count; tries++) {
      if (tries > 200) throw new Error(`no ${count} free ports between ${low} and ${high} after ${tries} tries`);
      const server = await listenOn(low + Math.floor(Math.random() * (high - low)));
      if (server) held.push(server);
    }
    return held.map(s => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(held.map(s => new Promise(resolve => s.close(resolve))));
  }
}

/** The 10,000 ports below the ephemeral range (Linux: 32768-60999 by default; elsewhere that default). */
export function listenRange(): [number, number] {
  let ephemeralStart = NaN;
  try {
    ephemeralStart = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    // Not Linux: the default below.
  }
  const high = Number.isFinite(ephemeralStart) ? Math.max(ephemeralStart, 11_024) : 32_768;
  return [high - 10_000, high];
}

function listenOn(port: number): Promise<net.Server | undefined> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
