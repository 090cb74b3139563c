import { expect, test } from './pack.gen.ts';
import { allocations, ECHO_BOUND_MS, foreignOrigin, nonce } from './journey.ts';

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

test('without a session the upgrade is refused, never 101', async ({ sockets, pack, seed }) => {
  const { active } = allocations(seed, pack.identity().id);
  const handshake = await sockets.connect(pack.url('socket', { allocation: active.id }), { signedIn: false });
  expect([401, 403], `HTTP ${handshake.status}`).toContain(handshake.status);
});

test('an upgrade from a foreign Origin is refused, never 101', async ({ sockets, pack, seed, env }) => {
  const { active } = allocations(seed, pack.identity().id);
  const handshake = await sockets.connect(pack.url('socket', { allocation: active.id }), {
    origin: foreignOrigin(env.urls.app),
  });
  expect(handshake.status).toBe(403);
});

test("another user's or an ended allocation's terminal is refused", async ({ sockets, pack, seed }) => {
  const { ended, foreign } = allocations(seed, pack.identity().id);
  expect((await sockets.connect(pack.url('socket', { allocation: foreign.id }))).status, "another user's").toBe(403);
  expect((await sockets.connect(pack.url('socket', { allocation: ended.id }))).status, 'an ended one').toBe(409);
});
