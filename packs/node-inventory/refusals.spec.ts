import { expect, refuses, test } from './pack.gen.ts';
import { nonOperator, seededNodes } from './journey.ts';
import { notApplicableHere, personaUnavailable } from '../../fixtures/persona.ts';

// The inventory is the operators': refused to a member on the API and on the page, and a visitor is
// sent to sign in. Besides the status, no node (its id, a blocker, a task's evidence) is in the answer.

test(
  'a user who is not an operator cannot read the inventory from the API',
  refuses('member-reads-nodes'),
  async ({ apiAs, pack, seed, env }) => {
    const persona = nonOperator(seed);
    const unavailable = personaUnavailable(env, persona);
    if (unavailable) return notApplicableHere(unavailable);
    const member = await apiAs(persona);
    const refused = await member.get(pack.url('nodes-api'));
    expect(refused.status()).toBe(403);
    const body = await refused.text();
    for (const node of seededNodes(seed)) expect(body, `${node.id} is not in the answer`).not.toContain(node.id);
  },
);

test(
  'a user who is not an operator cannot open the nodes page',
  refuses('member-opens-nodes-page'),
  async ({ apiAs, pack, seed, env }) => {
    const persona = nonOperator(seed);
    const unavailable = personaUnavailable(env, persona);
    if (unavailable) return notApplicableHere(unavailable);
    const member = await apiAs(persona);
    const refused = await member.get(pack.url('nodes'));
    expect(refused.status()).toBe(403);
    const page = await refused.text();
    for (const node of seededNodes(seed)) {
      expect(page, `${node.id} is not on the page`).not.toContain(node.id);
      for (const task of node.tasks) expect(page, `nor ${task.id}'s evidence`).not.toContain(task.evidence);
    }
  },
);

test(
  'a visitor opening the nodes page is sent to sign in',
  refuses('visitor-opens-nodes-page'),
  async ({ api, pack, seed }) => {
    const refused = await api.get(pack.url('nodes'));
    expect([302, 303], `HTTP ${refused.status()}`).toContain(refused.status());
    expect(
      new URL(refused.headers()['location'] ?? '', pack.url('nodes')).pathname,
      'not to another shell page',
    ).not.toMatch(/^\/shell/);
    const body = await refused.text();
    for (const node of seededNodes(seed)) expect(body, `${node.id} is not in the answer`).not.toContain(node.id);
  },
);
