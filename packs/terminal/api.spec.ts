import { expect, test } from './pack.gen.ts';
import { allocations, ECHO_BOUND_MS, nonce } from './journey.ts';

// The refusals of the upgrade (session, Origin, whose allocation, an active one) are refusals.spec.ts.

test('the terminal upgrades through the proxy (101, valid accept) and echoes a command within the bound', async ({
  sockets,
  pack,
  seed,
}) => {
  const { active } = allocations(seed, pack.identity().id);
  const handshake = await sockets.connect(pack.url('socket', { allocation: active.id }));
  expect(handshake.status, handshake.error ?? JSON.stringify(handshake.headers)).toBe(101);
  expect(handshake.acceptValid, 'Sec-WebSocket-Accept is the RFC 6455 hash of the key sent').toBe(true);
  const socket = handshake.socket!;
  await socket.next(m => (m as { type?: string }).type === 'ready');
  const word = nonce();
  socket.send({ type: 'input', data: `echo ${word}` });
  const output = await socket.next<{ data: string }>(
    m => (m as { type?: string }).type === 'output' && String((m as { data?: string }).data).includes(word),
    ECHO_BOUND_MS,
  );
  expect(output.data.trim()).toBe(word);
});
