import { expect, test, type APIRequestContext } from '@playwright/test';
import { hop, locationOf } from './oidc-flow.ts';
import { signIn } from './session.ts';
import { startStack, type RunningStack } from './start-stack.ts';

/**
 * The app's pages through the proxy, as HTML over HTTP: the shell's header, context switcher and
 * mode navigation, and each mode's content with the data-testids the packs select on. The pages'
 * scripts are exercised in a browser by browser.spec.ts.
 */

let stack: RunningStack;
let ada: APIRequestContext;
let grace: APIRequestContext;

test.beforeAll(async ({ playwright }) => {
  stack = await startStack();
  [ada, grace] = await Promise.all([1, 2].map(() => playwright.request.newContext()));
  await signIn(ada, stack, 'ada');
  await signIn(grace, stack, 'grace');
});

test.afterAll(async () => {
  await Promise.all([ada, grace].map(c => c?.dispose()));
  await stack?.stop();
});

async function html(request: APIRequestContext, path: string, status = 200): Promise<string> {
  const response = await request.get(`${stack.appUrl}${path}`, { maxRedirects: 0 });
  expect(response.status(), `GET ${path}`).toBe(status);
  expect(response.headers()['content-type']).toContain('text/html');
  return response.text();
}

/** The opening tags carrying a data-testid, e.g. all `<a ... data-testid="nav-...">`. */
function tagsWith(page: string, testId: string | RegExp): string[] {
  const id = typeof testId === 'string' ? testId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : testId.source;
  return [...page.matchAll(new RegExp(`<[a-z]+[^>]*data-testid="${id}"[^>]*>`, 'g'))].map(m => m[0]);
}

test('every shell page without a session redirects to sign in', async ({ request }) => {
  for (const path of ['/shell', '/shell/apps', '/shell/workloads', '/shell/nodes', '/shell/allocations/x/terminal']) {
    const response = await hop(request, `${stack.appUrl}${path}`);
    expect(response.status(), path).toBe(302);
    expect(locationOf(response, stack.appUrl).pathname).toBe('/login');
  }
  const post = await request.post(`${stack.appUrl}/shell/context`, { form: { tenant: 'acme' }, maxRedirects: 0 });
  expect(post.status()).toBe(303);
});

test('the shell header: identity, context, switcher with every option, and the mode navigation', async () => {
  const page = await html(ada, '/shell');
  expect(page).toContain('<span data-testid="user-identity">Ada Lovelace (ada)</span>');
  expect(page).toContain('<span data-testid="tenant-context" data-tenant-id="acme">Acme Research</span>');
  expect(page).toContain('<span data-testid="project-context" data-project-id="acme-vision">Vision Models</span>');
  expect(tagsWith(page, 'context-switcher')).toEqual([
    '<form data-testid="context-switcher" method="post" action="/shell/context">',
  ]);
  expect(page).toMatch(/<select id="tenant-switcher" name="tenant" data-testid="tenant-switcher">/);
  expect(page).toMatch(/<select id="project-switcher" name="project" data-testid="project-switcher">/);
  expect(page).toContain('<option value="acme" selected>Acme Research</option>');
  expect(page).toContain('<option value="globex">Globex Labs</option>');
  expect(page).toContain('<option value="acme-vision" data-tenant-id="acme" selected>Vision Models</option>');
  expect(page).toContain('<option value="acme-nlp" data-tenant-id="acme">Language Models</option>');
  expect(page).toContain('<option value="globex-robotics" data-tenant-id="globex">Robotics</option>');
  expect(tagsWith(page, 'context-apply')).toHaveLength(1);

  expect(tagsWith(page, /nav-[a-z]+/)).toEqual([
    '<a href="/shell" data-testid="nav-overview" aria-current="page">',
    '<a href="/shell/apps" data-testid="nav-apps">',
    '<a href="/shell/workloads" data-testid="nav-workloads">',
    '<a href="/shell/notebooks" data-testid="nav-notebooks">',
    '<a href="/shell/allocations" data-testid="nav-allocations">',
    '<a href="/shell/nodes" data-testid="nav-nodes">',
  ]);
  expect(page).toContain('<main data-testid="mode-overview">');
  expect(page).toContain('<h1 data-testid="mode-title">Overview</h1>');

  const member = await html(grace, '/shell');
  expect(tagsWith(member, 'nav-nodes'), 'only operators see the Nodes mode').toEqual([]);
  expect(member).not.toContain('value="globex"');
});

test('each mode has its title, its main and the current link', async () => {
  for (const [mode, path, title] of [
    ['apps', '/shell/apps', 'Apps'],
    ['workloads', '/shell/workloads', 'Workloads'],
    ['notebooks', '/shell/notebooks', 'Notebooks'],
    ['allocations', '/shell/allocations', 'Allocations'],
    ['nodes', '/shell/nodes', 'Nodes'],
  ]) {
    const page = await html(ada, path);
    expect(page, path).toContain(`<main data-testid="mode-${mode}">`);
    expect(page).toContain(`<h1 data-testid="mode-title">${title}</h1>`);
    expect(tagsWith(page, `nav-${mode}`)[0]).toContain('aria-current="page"');
    expect(page.match(/aria-current="page"/g), 'one current link').toHaveLength(1);
  }
});

test('the context switch is stored in the session and goes back to the page it came from', async ({ playwright }) => {
  const session = await playwright.request.newContext();
  try {
    await signIn(session, stack, 'ada');
    const switched = await session.post(`${stack.appUrl}/shell/context`, {
      form: { tenant: 'globex', project: 'globex-robotics' },
      headers: { referer: `${stack.appUrl}/shell/apps` },
      maxRedirects: 0,
    });
    expect(switched.status()).toBe(303);
    expect(switched.headers()['location']).toBe('/shell/apps');
    for (let reload = 0; reload < 2; reload++) {
      const page = await html(session, '/shell/apps');
      expect(page).toContain('<span data-testid="tenant-context" data-tenant-id="globex">Globex Labs</span>');
      expect(page).toContain('data-project-id="globex-robotics">Robotics</span>');
    }
    const api = await session.get(`${stack.appUrl}/api/v1/context`);
    expect((await api.json()).project.id, 'the API sees the same session context').toBe('globex-robotics');

    const foreignReferer = await session.post(`${stack.appUrl}/shell/context`, {
      form: { tenant: 'acme', project: 'acme-nlp' },
      headers: { referer: 'http://elsewhere.example/shell/apps' },
      maxRedirects: 0,
    });
    expect(foreignReferer.headers()['location'], 'only a Referer on the app host is followed').toBe('/shell');

    const mismatch = await session.post(`${stack.appUrl}/shell/context`, {
      form: { tenant: 'globex', project: 'acme-nlp' },
      maxRedirects: 0,
    });
    expect(mismatch.status()).toBe(400);
    expect(tagsWith(await mismatch.text(), 'form-error')).toHaveLength(1);
    expect(await html(session, '/shell'), 'a refused switch changes nothing').toContain(
      'data-project-id="acme-nlp">Language Models</span>',
    );
  } finally {
    await session.dispose();
  }
  const notMember = await grace.post(`${stack.appUrl}/shell/context`, {
    form: { tenant: 'globex', project: 'globex-robotics' },
    maxRedirects: 0,
  });
  expect(notMember.status()).toBe(403);
  expect(tagsWith(await notMember.text(), 'forbidden')).toHaveLength(1);
});

test('apps: a card per app with its launch link; the launch form creates a workload', async () => {
  const page = await html(ada, '/shell/apps');
  expect(tagsWith(page, 'app-card')).toEqual([
    '<li data-testid="app-card" data-app-id="jupyterlab">',
    '<li data-testid="app-card" data-app-id="pytorch-train">',
    '<li data-testid="app-card" data-app-id="vllm-serve">',
  ]);
  expect(tagsWith(page, 'app-launch')[0]).toContain('href="/shell/apps/jupyterlab/launch"');

  const launch = await html(ada, '/shell/apps/jupyterlab/launch');
  expect(tagsWith(launch, 'launch-form')).toEqual([
    '<form data-testid="launch-form" method="post" action="/shell/apps/jupyterlab/launch">',
  ]);
  expect(launch).toContain('data-project-id="acme-vision">Vision Models</span>');
  expect(tagsWith(launch, 'launch-submit')).toHaveLength(1);
  await html(ada, '/shell/apps/no-such-app/launch', 404);

  const submitted = await ada.post(`${stack.appUrl}/shell/apps/jupyterlab/launch`, {
    form: { project: 'acme-vision' },
    maxRedirects: 0,
  });
  expect(submitted.status()).toBe(303);
  const location = submitted.headers()['location'];
  expect(location).toMatch(/^\/shell\/workloads\/wl-[0-9a-f]+$/);
  const id = location.split('/').pop()!;

  const workload = await html(ada, location);
  expect(workload).toContain(`<main data-testid="mode-workloads" data-workload-id="${id}">`);
  expect(workload).toMatch(/data-testid="workload-state"[^>]*>(pending|starting|running)</);
  expect(workload).toContain('<dd data-testid="workload-reason"></dd>');
  expect(workload).toMatch(/<ol data-testid="workload-history"><li>pending<\/li>/);
  expect(workload, 'the page polls the API').toContain("'/api/v1/workloads/'");

  const list = await html(ada, '/shell/workloads');
  expect(tagsWith(list, 'workload-row')).toContain(`<tr data-testid="workload-row" data-workload-id="${id}">`);

  const foreign = await grace.post(`${stack.appUrl}/shell/apps/jupyterlab/launch`, {
    form: { project: 'globex-robotics' },
    maxRedirects: 0,
  });
  expect(foreign.status(), "a project that is not the user's").toBe(403);
  expect(tagsWith(await foreign.text(), 'form-error')).toHaveLength(1);
  await html(grace, location, 200);
});

test("notebooks and allocations list the user's own, with open and terminal links", async () => {
  const notebooks = await html(ada, '/shell/notebooks');
  expect(tagsWith(notebooks, 'notebook-row')).toEqual([
    '<li data-testid="notebook-row" data-notebook-id="nb-ada-vision">',
  ]);
  expect(tagsWith(notebooks, 'notebook-open')).toEqual([
    '<a href="/notebooks/nb-ada-vision/lab" data-testid="notebook-open">',
  ]);
  expect(tagsWith(await html(grace, '/shell/notebooks'), 'notebook-row'), 'none in her default project').toEqual([]);

  const allocations = await html(ada, '/shell/allocations');
  expect(tagsWith(allocations, 'allocation-row')).toEqual([
    '<tr data-testid="allocation-row" data-allocation-id="alloc-ada-1" data-state="active">',
    '<tr data-testid="allocation-row" data-allocation-id="alloc-ada-2" data-state="ended">',
  ]);
  expect(tagsWith(allocations, 'terminal-open'), 'only the active allocation has a terminal').toEqual([
    '<a href="/shell/allocations/alloc-ada-1/terminal" data-testid="terminal-open">',
  ]);

  const terminal = await html(ada, '/shell/allocations/alloc-ada-1/terminal');
  expect(terminal).toContain('data-allocation-id="alloc-ada-1"');
  expect(terminal).toMatch(/data-testid="terminal-status"[^>]*>connecting</);
  expect(tagsWith(terminal, 'terminal-output')[0]).toMatch(/^<pre /);
  expect(tagsWith(terminal, 'terminal-input')[0]).toMatch(/^<input /);
  expect(terminal, 'the page opens the terminal websocket').toContain("'/terminals/'");
  await html(grace, '/shell/allocations/alloc-ada-1/terminal', 403);
  await html(ada, '/shell/allocations/no-such-allocation/terminal', 404);
});

test('nodes: readiness, blockers and tasks for operators, 403 for members', async () => {
  const page = await html(ada, '/shell/nodes');
  const rows = page.split('data-testid="node-row"').slice(1);
  expect(rows).toHaveLength(3);
  expect(rows[0]).toContain('data-node-id="gpu-node-01"');
  expect(rows[0]).toContain('<td data-testid="node-readiness">Ready</td>');
  expect(rows[0]).toContain('<span data-testid="node-blockers">none</span>');
  expect(rows[0]).toMatch(/<ul data-testid="node-tasks"><li data-task-id="task-health-0101">[^]*passed/);
  expect(rows[1]).toContain('<td data-testid="node-readiness">NotReady</td>');
  expect(rows[1]).toContain(
    '<ul data-testid="node-blockers"><li>NVIDIA driver 550 does not match the fleet&#39;s 560</li></ul>',
  );
  expect(rows[1]).toMatch(/driver-upgrade: <span data-testid="task-status">failed<\/span>/);
  expect(rows[2]).toContain('<td data-testid="node-readiness">Ready</td>');
  expect(rows[2]).toContain('<li>cordoned: maintenance window</li>');

  const member = await html(grace, '/shell/nodes', 403);
  expect(tagsWith(member, 'forbidden')).toHaveLength(1);
  expect(member).not.toContain('data-testid="node-row"');
});

test('/ goes to the shell, unknown pages are 404, logout ends the session everywhere', async ({ playwright }) => {
  expect(locationOf(await hop(ada, `${stack.appUrl}/`), stack.appUrl).pathname).toBe('/shell');
  await html(ada, '/shell/no-such-mode', 404);
  await html(ada, '/no-such-page', 404);

  const session = await playwright.request.newContext();
  try {
    await signIn(session, stack, 'grace');
    expect((await session.get(`${stack.apiUrl}/v1/me`)).status()).toBe(200);
    expect((await session.get(`${stack.appUrl}/logout`)).status()).toBe(200);
    expect((await session.get(`${stack.apiUrl}/v1/me`)).status()).toBe(401);
    expect((await hop(session, `${stack.appUrl}/shell`)).status()).toBe(302);
  } finally {
    await session.dispose();
  }
});
