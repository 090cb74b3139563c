import { expect, refuses, test } from './pack.gen.ts';
import { foreignOrigin, otherContext, restoreContext, type Context, type Tenant } from './journey.ts';
import { notApplicableHere, personaUnavailable } from '../../fixtures/persona.ts';

// Context switches the shell must refuse. Besides the status, the proof is that the context read
// afterwards is the old one; a switch that got through anyway is undone, for the tests after this.

test(
  'a tenant the user is not a member of is refused and her context stays',
  refuses('foreign-tenant'),
  async ({ apiAs, userApi, pack, env }) => {
    // The pack's identity belongs to every tenant; the persona belongs to fewer.
    const persona = pack.definition.personas[0];
    const unavailable = personaUnavailable(env, persona);
    if (unavailable) return notApplicableHere(unavailable);
    const member = await apiAs(persona);
    const own = await member.json<{ tenants: Tenant[] }>(pack.url('tenants'));
    const { tenants } = await userApi.json<{ tenants: Tenant[] }>(pack.url('tenants'));
    const foreign = tenants.find(t => !own.tenants.some(o => o.id === t.id));
    expect(foreign, `a tenant ${persona} does not belong to`).toBeTruthy();
    const before = await member.json<Context>(pack.url('context'));
    const refused = await member.put(pack.url('context'), {
      data: { tenant: foreign!.id, project: foreign!.projects[0].id },
    });
    expect(refused.status()).toBe(403);
    expect(await member.json(pack.url('context')), 'her context did not change').toEqual(before);
  },
);

test(
  'a project outside the chosen tenant is refused and the context stays',
  refuses('project-outside-tenant'),
  async ({ userApi, pack }) => {
    const { current, target } = await otherContext(userApi, pack);
    try {
      const refused = await userApi.put(pack.url('context'), {
        data: { tenant: target.tenant.id, project: current.project.id },
      });
      expect(refused.status()).toBe(400);
      expect(await userApi.json(pack.url('context')), 'the context did not change').toEqual(current);
    } finally {
      await restoreContext(userApi, pack, current);
    }
  },
);

test(
  "a context switch posted from another site's form is refused and the context stays",
  refuses('forged-context-switch'),
  async ({ userApi, pack, env }) => {
    const { current, target } = await otherContext(userApi, pack);
    try {
      // The signed-in browser submits a hostile page's form: its cookies go along, its Origin is the other site's.
      const forged = await userApi.post(pack.url('context-form'), {
        form: { tenant: target.tenant.id, project: target.project.id },
        headers: { origin: foreignOrigin(env.urls.app) },
      });
      expect(forged.status()).toBe(403);
      expect(await userApi.json(pack.url('context')), 'the context did not change').toEqual(current);
    } finally {
      await restoreContext(userApi, pack, current);
    }
  },
);
