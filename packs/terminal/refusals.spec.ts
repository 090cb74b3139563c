import { expect, refuses, test } from './pack.gen.ts';
import { allocations, foreignOrigin } from './journey.ts';
import type { Handshake } from '../../fixtures/index.ts';

// What the terminal's upgrade must refuse, one check each. A refused upgrade is never 101: the
// absence of the effect is that no socket opened, asserted beside the status.

function expectNoTerminal(handshake: Handshake): void {
  expect(handshake.status, 'never upgraded').not.toBe(101);
  expect(handshake.socket, 'no terminal socket opened').toBeFalsy();
}

test(
  'without a session the upgrade is refused, never 101',
  refuses('visitor-terminal'),
  async ({ sockets, pack, seed }) => {
    const { active } = allocations(seed, pack.identity().id);
    const handshake = await sockets.connect(pack.url('socket', { allocation: active.id }), { signedIn: false });
    expect([401, 403], `HTTP ${handshake.status}`).toContain(handshake.status);
    expectNoTerminal(handshake);
  },
);

test(
  'an upgrade from a foreign Origin is refused, never 101',
  refuses('foreign-origin-terminal'),
  async ({ sockets, pack, seed, env }) => {
    const { active } = allocations(seed, pack.identity().id);
    const handshake = await sockets.connect(pack.url('socket', { allocation: active.id }), {
      origin: foreignOrigin(env.urls.app),
    });
    expect(handshake.status).toBe(403);
    expectNoTerminal(handshake);
  },
);

test(
  "another user's allocation's terminal is refused",
  refuses('foreign-allocation'),
  async ({ sockets, pack, seed }) => {
    const { foreign } = allocations(seed, pack.identity().id);
    const handshake = await sockets.connect(pack.url('socket', { allocation: foreign.id }));
    expect(handshake.status, "another user's").toBe(403);
    expectNoTerminal(handshake);
  },
);

test("an ended allocation's terminal is refused", refuses('ended-allocation'), async ({ sockets, pack, seed }) => {
  const { ended } = allocations(seed, pack.identity().id);
  const handshake = await sockets.connect(pack.url('socket', { allocation: ended.id }));
  expect(handshake.status, 'an ended one').toBe(409);
  expectNoTerminal(handshake);
});
