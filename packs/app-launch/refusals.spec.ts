import { expect, refuses, test } from './pack.gen.ts';
import { foreignOrigin, refusalApp, refusalProjects, workloadsIn, type Workload } from './journey.ts';
import { notApplicableHere, personaUnavailable } from '../../fixtures/persona.ts';

// Launches the product must refuse, and the proof that nothing happened: the target project's
// workload list (read by a member of it) has no workload the refused request could have created.
// The app tried is one no launch journey starts, so its workloads can only come from these tests.

test(
  'a launch into a project of another tenant is refused and creates nothing there',
  refuses('foreign-project'),
  async ({ apiAs, userApi, pack, seed, env }) => {
    const persona = pack.definition.personas[0];
    const unavailable = personaUnavailable(env, persona);
    if (unavailable) return notApplicableHere(unavailable);
    const { foreign } = refusalProjects(seed, pack.identity().id, persona);
    const member = await apiAs(persona);
    const refused = await member.post(pack.url('workloads-api'), {
      data: { app: refusalApp(seed).id, project: foreign.id },
    });
    expect(refused.status(), await refused.text()).toBe(403);
    const after = await workloadsIn(userApi, pack, foreign.id);
    expect(
      after.filter(w => w.user === seed.user(persona).id),
      `no workload of ${persona} in ${foreign.id}`,
    ).toEqual([]);
  },
);

test(
  "another tenant's workload is refused by id, with nothing of it in the answer",
  refuses('foreign-workload'),
  async ({ apiAs, userApi, pack, seed, env }) => {
    const persona = pack.definition.personas[0];
    const unavailable = personaUnavailable(env, persona);
    if (unavailable) return notApplicableHere(unavailable);
    const { foreign } = refusalProjects(seed, pack.identity().id, persona);
    const created = await userApi.post(pack.url('workloads-api'), {
      data: { app: refusalApp(seed).id, project: foreign.id },
    });
    expect(created.status(), await created.text()).toBe(201);
    const workload = (await created.json()) as Workload;
    const member = await apiAs(persona);
    const refused = await member.get(pack.url('workload-api', { id: workload.id }));
    expect(refused.status()).toBe(403);
    const body = await refused.text();
    expect(body, 'not its project').not.toContain(foreign.id);
    expect(body, 'not its app').not.toContain(workload.app);
    expect(body, 'not its owner').not.toContain(`"${pack.identity().username}"`);
  },
);

test(
  'a launch into a project whose GPU quota is used up is refused and creates nothing',
  refuses('over-quota'),
  async ({ userApi, pack, seed }) => {
    const { full } = refusalProjects(seed, pack.identity().id, pack.definition.personas[0]);
    const before = await workloadsIn(userApi, pack, full.id);
    const refused = await userApi.post(pack.url('workloads-api'), {
      data: { app: refusalApp(seed).id, project: full.id },
    });
    expect(refused.status(), await refused.text()).toBe(409);
    expect(
      (await workloadsIn(userApi, pack, full.id)).map(w => w.id),
      `${full.id}'s workload list is unchanged`,
    ).toEqual(before.map(w => w.id));
  },
);

test(
  "a launch posted from another site's form is refused and creates nothing",
  refuses('forged-launch'),
  async ({ userApi, pack, seed, env }) => {
    const app = refusalApp(seed);
    const { project } = await userApi.json<{ project: { id: string } }>(pack.url('context'));
    const ofApp = async () =>
      (await workloadsIn(userApi, pack, project.id)).filter(w => w.app === app.id).map(w => w.id);
    const before = await ofApp();
    // The signed-in browser submits a hostile page's form: its cookies go along, its Origin is the other site's.
    const forged = await userApi.post(pack.url('launch-form', { app: app.id }), {
      form: { project: project.id },
      headers: { origin: foreignOrigin(env.urls.app) },
    });
    expect(forged.status()).toBe(403);
    expect(await ofApp(), `no ${app.id} workload was created in ${project.id}`).toEqual(before);
  },
);
