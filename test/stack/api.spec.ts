import { expect, test, type APIRequestContext } from '@playwright/test';
import { signIn } from './session.ts';
import { startStack, type RunningStack } from './start-stack.ts';

/**
 * The JSON API through the proxy, on both hosts: sessions, membership and ownership rules, the
 * context, and the workload lifecycle.
 */

type Workload = {
  id: string;
  app: string;
  project: string;
  user: string;
  state: string;
  reason: string;
  history: string[];
  createdAt: string;
};

let stack: RunningStack;
let ada: APIRequestContext;
let grace: APIRequestContext;
let stranger: APIRequestContext;

test.beforeAll(async ({ playwright }) => {
  stack = await startStack();
  [ada, grace, stranger] = await Promise.all([1, 2, 3].map(() => playwright.request.newContext()));
  await signIn(ada, stack, 'ada');
  await signIn(grace, stack, 'grace');
});

test.afterAll(async () => {
  await Promise.all([ada, grace, stranger].map(c => c?.dispose()));
  await stack?.stop();
});

/** The API on both hosts: `<app>/api/...` and `<api>/...`. */
const bases = () => [`${stack.appUrl}/api`, stack.apiUrl];

test('without a session every endpoint answers 401 with the error shape', async () => {
  for (const base of bases())
    for (const [method, path] of [
      ['GET', '/v1/me'],
      ['GET', '/v1/tenants'],
      ['GET', '/v1/context'],
      ['PUT', '/v1/context'],
      ['GET', '/v1/apps'],
      ['POST', '/v1/workloads'],
      ['GET', '/v1/workloads'],
      ['GET', '/v1/workloads/wl-anything'],
      ['GET', '/v1/notebooks'],
      ['GET', '/v1/allocations'],
      ['GET', '/v1/nodes'],
      ['GET', '/v1/no-such-endpoint'],
    ]) {
      const response = await stranger.fetch(`${base}${path}`, { method, data: method === 'GET' ? undefined : {} });
      expect(response.status(), `${method} ${base}${path}`).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthenticated', message: expect.any(String) });
    }
});

test('one sign-in is a session on both hosts', async () => {
  for (const base of bases()) {
    const me = await ada.get(`${base}/v1/me`);
    expect(me.status(), base).toBe(200);
    expect(await me.json()).toEqual({
      id: 'ada',
      username: 'ada',
      name: 'Ada Lovelace',
      email: 'ada@example.test',
      roles: ['operator', 'member'],
    });
  }
  expect(await (await grace.get(`${stack.apiUrl}/v1/me`)).json()).toMatchObject({ id: 'grace', roles: ['member'] });
});

test("tenants are the user's own, with their projects; apps are the seeded ones", async () => {
  expect(await (await ada.get(`${stack.apiUrl}/v1/tenants`)).json()).toEqual({
    tenants: [
      {
        id: 'acme',
        name: 'Acme Research',
        projects: [
          { id: 'acme-vision', name: 'Vision Models' },
          { id: 'acme-nlp', name: 'Language Models' },
          { id: 'acme-batch', name: 'Batch Jobs' },
        ],
      },
      { id: 'globex', name: 'Globex Labs', projects: [{ id: 'globex-robotics', name: 'Robotics' }] },
    ],
  });
  const graceTenants = (await (await grace.get(`${stack.apiUrl}/v1/tenants`)).json()).tenants;
  expect(graceTenants.map((t: { id: string }) => t.id)).toEqual(['acme']);
  expect(await (await grace.get(`${stack.apiUrl}/v1/apps`)).json()).toEqual({
    apps: [
      { id: 'jupyterlab', name: 'JupyterLab', gpus: 1 },
      { id: 'pytorch-train', name: 'PyTorch Training', gpus: 2 },
      { id: 'vllm-serve', name: 'vLLM Inference Server', gpus: 8 },
    ],
  });
});

test('the context starts at the first tenant and project, switches, and refuses bad switches', async ({
  playwright,
}) => {
  // A session of its own, so switching does not move the shared ones.
  const session = await playwright.request.newContext();
  try {
    await signIn(session, stack, 'ada');
    const url = `${stack.apiUrl}/v1/context`;
    expect(await (await session.get(url)).json()).toEqual({
      tenant: { id: 'acme', name: 'Acme Research' },
      project: { id: 'acme-vision', name: 'Vision Models' },
    });

    const switched = await session.put(url, { data: { tenant: 'globex', project: 'globex-robotics' } });
    expect(switched.status()).toBe(200);
    const globex = {
      tenant: { id: 'globex', name: 'Globex Labs' },
      project: { id: 'globex-robotics', name: 'Robotics' },
    };
    expect(await switched.json()).toEqual(globex);
    expect(await (await session.get(url)).json()).toEqual(globex);
    expect(await (await session.get(`${stack.appUrl}/api/v1/context`)).json(), 'and again: it is stored').toEqual(
      globex,
    );

    const wrongProject = await session.put(url, { data: { tenant: 'acme', project: 'globex-robotics' } });
    expect(wrongProject.status()).toBe(400);
    expect((await wrongProject.json()).error).toBe('project_not_in_tenant');
    const missing = await session.put(url, { data: { tenant: 'acme' } });
    expect(missing.status()).toBe(400);
    const notJson = await session.put(url, { data: 'tenant=acme', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status()).toBe(400);
    expect(await (await session.get(url)).json(), 'refused switches change nothing').toEqual(globex);

    const notMember = await grace.put(url, { data: { tenant: 'globex', project: 'globex-robotics' } });
    expect(notMember.status()).toBe(403);
    expect(await notMember.json()).toEqual({ error: 'forbidden', message: expect.stringContaining('globex') });
  } finally {
    await session.dispose();
  }
});

test('a launched workload goes pending, starting, running', async () => {
  const created = await ada.post(`${stack.apiUrl}/v1/workloads`, { data: { app: 'jupyterlab' } });
  expect(created.status()).toBe(201);
  const workload = (await created.json()) as Workload;
  expect(workload).toMatchObject({
    app: 'jupyterlab',
    project: 'acme-vision',
    user: 'ada',
    state: 'pending',
    reason: '',
    history: ['pending'],
  });
  expect(workload.id).toMatch(/^wl-[0-9a-f]+$/);
  expect(new Date(workload.createdAt).toISOString()).toBe(workload.createdAt);

  const url = `${stack.appUrl}/api/v1/workloads/${workload.id}`;
  await expect
    .poll(async () => ((await (await ada.get(url)).json()) as Workload).state, { timeout: 10_000 })
    .toBe('running');
  const running = (await (await ada.get(url)).json()) as Workload;
  expect(running.history).toEqual(['pending', 'starting', 'running']);
  expect(running.reason).toBe('');

  const listed = (await (await ada.get(`${stack.apiUrl}/v1/workloads`)).json()).workloads as Workload[];
  expect(listed.map(w => w.id)).toContain(workload.id);
  expect(
    listed.every(w => w.project === 'acme-vision'),
    'only the active project',
  ).toBe(true);
});

test('an app needing more GPUs than the project has fails with the reason', async () => {
  const created = await ada.post(`${stack.apiUrl}/v1/workloads`, { data: { app: 'vllm-serve', project: 'acme-nlp' } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as Workload;
  const url = `${stack.apiUrl}/v1/workloads/${id}`;
  await expect
    .poll(async () => ((await (await ada.get(url)).json()) as Workload).state, { timeout: 10_000 })
    .toBe('failed');
  expect(await (await ada.get(url)).json()).toMatchObject({
    project: 'acme-nlp',
    reason: 'insufficient GPUs: requested 8, 4 free in project acme-nlp',
    history: ['pending', 'failed'],
  });
});

test('launch refusals: unknown app 404, a project not the user’s 403, no app 400', async () => {
  const unknownApp = await ada.post(`${stack.apiUrl}/v1/workloads`, { data: { app: 'no-such-app' } });
  expect(unknownApp.status()).toBe(404);
  expect((await unknownApp.json()).error).toBe('not_found');
  const foreign = await grace.post(`${stack.apiUrl}/v1/workloads`, {
    data: { app: 'jupyterlab', project: 'globex-robotics' },
  });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error).toBe('forbidden');
  expect((await ada.post(`${stack.apiUrl}/v1/workloads`, { data: {} })).status()).toBe(400);
});

test('a project whose allocations hold its whole quota takes no launch: 409 on the API and the form, nothing created', async () => {
  const listed = async () =>
    (await (await ada.get(`${stack.apiUrl}/v1/workloads?project=acme-batch`)).json()) as { workloads: Workload[] };
  const refused = await ada.post(`${stack.apiUrl}/v1/workloads`, {
    data: { app: 'jupyterlab', project: 'acme-batch' },
  });
  expect(refused.status()).toBe(409);
  expect(await refused.json()).toEqual({
    error: 'quota_exhausted',
    message: 'project "acme-batch" uses all 2 of its GPUs',
  });
  const form = await ada.post(`${stack.appUrl}/shell/apps/jupyterlab/launch`, {
    form: { project: 'acme-batch' },
    maxRedirects: 0,
  });
  expect(form.status()).toBe(409);
  expect(await form.text()).toContain('data-testid="form-error"');
  expect(await listed(), 'nothing was created in acme-batch').toEqual({ workloads: [] });
});

test("?project= lists a project's workloads for its members only", async () => {
  const created = (await (
    await ada.post(`${stack.apiUrl}/v1/workloads`, { data: { app: 'jupyterlab', project: 'globex-robotics' } })
  ).json()) as Workload;
  const listed = (await (await ada.get(`${stack.apiUrl}/v1/workloads?project=globex-robotics`)).json()) as {
    workloads: Workload[];
  };
  expect(listed.workloads.map(w => w.id)).toContain(created.id);
  expect(listed.workloads.every(w => w.project === 'globex-robotics')).toBe(true);
  const foreign = await grace.get(`${stack.apiUrl}/v1/workloads?project=globex-robotics`);
  expect(foreign.status()).toBe(403);
  expect(await foreign.text(), 'nothing of the project in the refusal').not.toContain(created.id);
});

test("the shell's forms refuse another site's Origin and change nothing; the app's own Origin and none are accepted", async () => {
  const context = async () =>
    (await (await ada.get(`${stack.apiUrl}/v1/context`)).json()) as { tenant: { id: string }; project: { id: string } };
  const before = await context();
  const forged = await ada.post(`${stack.appUrl}/shell/context`, {
    form: { tenant: 'globex', project: 'globex-robotics' },
    headers: { origin: 'http://evil.example' },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain('data-testid="forbidden"');
  expect(await context(), 'the context did not change').toEqual(before);
  const launch = await ada.post(`${stack.appUrl}/shell/apps/jupyterlab/launch`, {
    form: { project: 'acme-vision' },
    headers: { origin: 'http://evil.example' },
    maxRedirects: 0,
  });
  expect(launch.status(), 'a forged launch').toBe(403);
  const own = await ada.post(`${stack.appUrl}/shell/context`, {
    form: { tenant: before.tenant.id, project: before.project.id },
    headers: { origin: new URL(stack.appUrl).origin },
    maxRedirects: 0,
  });
  expect(own.status(), "the app's own Origin").toBe(303);
});

test('workloads are readable by members of their tenant only; unknown ids are 404', async () => {
  const created = await ada.post(`${stack.apiUrl}/v1/workloads`, {
    data: { app: 'pytorch-train', project: 'globex-robotics' },
  });
  const { id } = (await created.json()) as Workload;
  expect((await ada.get(`${stack.apiUrl}/v1/workloads/${id}`)).status()).toBe(200);
  const foreign = await grace.get(`${stack.apiUrl}/v1/workloads/${id}`);
  expect(foreign.status(), 'grace is not in globex').toBe(403);
  const unknown = await ada.get(`${stack.apiUrl}/v1/workloads/wl-0000000000`);
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toEqual({ error: 'not_found', message: expect.any(String) });
});

test("notebooks are the user's in the active project; allocations are all the user's", async () => {
  expect(await (await ada.get(`${stack.apiUrl}/v1/notebooks`)).json()).toEqual({
    notebooks: [
      {
        id: 'nb-ada-vision',
        name: 'Vision experiments',
        project: 'acme-vision',
        allocation: 'alloc-ada-1',
        url: '/notebooks/nb-ada-vision/lab',
      },
    ],
  });
  expect(
    await (await grace.get(`${stack.apiUrl}/v1/notebooks`)).json(),
    "grace's notebook is in acme-nlp, not her default project",
  ).toEqual({ notebooks: [] });
  expect(await (await ada.get(`${stack.apiUrl}/v1/allocations`)).json()).toEqual({
    allocations: [
      { id: 'alloc-ada-1', project: 'acme-vision', node: 'gpu-node-01', state: 'active', gpus: 1 },
      { id: 'alloc-ada-2', project: 'acme-vision', node: 'gpu-node-01', state: 'ended', gpus: 1 },
    ],
  });
  const graceAllocations = (await (await grace.get(`${stack.apiUrl}/v1/allocations`)).json()).allocations;
  expect(graceAllocations.map((a: { id: string }) => a.id)).toEqual(['alloc-grace-1', 'alloc-grace-2']);
});

test('nodes are for operators: readiness, blockers and task evidence', async () => {
  const response = await ada.get(`${stack.apiUrl}/v1/nodes`);
  expect(response.status()).toBe(200);
  const { nodes } = await response.json();
  expect(nodes.map((n: { id: string }) => n.id)).toEqual(['gpu-node-01', 'gpu-node-02', 'gpu-node-03']);
  expect(nodes[0]).toMatchObject({ ready: true, gpus: 8, blockers: [] });
  expect(nodes[0].tasks).toEqual([
    {
      id: 'task-health-0101',
      kind: 'health-check',
      status: 'passed',
      evidence: expect.stringContaining('healthy'),
    },
  ]);
  expect(nodes[1]).toMatchObject({
    ready: false,
    blockers: ["NVIDIA driver 550 does not match the fleet's 560"],
    tasks: [expect.objectContaining({ kind: 'driver-upgrade', status: 'failed', evidence: expect.any(String) })],
  });
  expect(nodes[2]).toMatchObject({
    ready: true,
    blockers: ['cordoned: maintenance window'],
    tasks: [expect.objectContaining({ kind: 'drain', status: 'running' })],
  });

  const member = await grace.get(`${stack.appUrl}/api/v1/nodes`);
  expect(member.status()).toBe(403);
  expect((await member.json()).error).toBe('forbidden');
});

test('an unknown endpoint with a session is 404', async () => {
  const response = await ada.get(`${stack.apiUrl}/v2/everything`);
  expect(response.status()).toBe(404);
  expect((await response.json()).error).toBe('not_found');
  expect((await ada.delete(`${stack.apiUrl}/v1/me`)).status()).toBe(404);
});
