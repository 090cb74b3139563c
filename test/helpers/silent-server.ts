import net from 'node:net';

/**
 * A host that takes connections and never answers (a firewall that drops, a VPN not up), on loopback:
 * its `url`, and `close` to let go of what it holds.
 */
export async function silentServer(): Promise<{ url: string; close: () => void }> {
  const held: net.Socket[] = [];
  const server = net.createServer(socket => held.push(socket));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => {
      for (const socket of held) socket.destroy();
      server.close();
    },
  };
}
