import { escapeHtml } from '../../http/html.ts';
import type { Context } from '../../model/platform.ts';
import type { App } from '../../model/records.ts';
import type { Workload } from '../../model/workloads.ts';
import { dataTable, type PageContent } from './layout.ts';
import { WORKLOAD_POLLING_SCRIPT } from './scripts.ts';

/** The overview, apps, launch and workload pages: the app-launch journey. */

export function overviewContent(counts: {
  apps: number;
  workloads: number;
  notebooks: number;
  allocations: number;
}): PageContent {
  const items = Object.entries(counts)
    .map(([what, n]) => `  <li data-testid="overview-${what}">${n} ${escapeHtml(what)}</li>`)
    .join('\n');
  return { mode: 'overview', body: `<ul>\n${items}\n</ul>` };
}

export function appsContent(apps: readonly App[]): PageContent {
  const cards = apps
    .map(
      app => `  <li data-testid="app-card" data-app-id="${escapeHtml(app.id)}">
    <h2>${escapeHtml(app.name)}</h2>
    <p><span data-testid="app-gpus">${app.gpus}</span> GPU${app.gpus === 1 ? '' : 's'}</p>
    <a href="/shell/apps/${encodeURIComponent(app.id)}/launch" data-testid="app-launch">Launch ${escapeHtml(app.name)}</a>
  </li>`,
    )
    .join('\n');
  return { mode: 'apps', body: `<ul>\n${cards}\n</ul>` };
}

export function launchContent(app: App, context: Context | undefined, error?: string): PageContent {
  const alert = error ? `<p role="alert" data-testid="form-error">${escapeHtml(error)}</p>\n` : '';
  const project = context
    ? `<p>Project: <span data-testid="launch-project" data-project-id="${escapeHtml(context.project.id)}">${escapeHtml(context.project.name)}</span></p>
  <input type="hidden" name="project" value="${escapeHtml(context.project.id)}">`
    : '<p data-testid="launch-project">no project: switch to a project first</p>';
  return {
    mode: 'apps',
    title: `Launch ${app.name}`,
    body: `<h2>Launch ${escapeHtml(app.name)}</h2>
${alert}<form data-testid="launch-form" method="post" action="/shell/apps/${encodeURIComponent(app.id)}/launch">
  <p>${escapeHtml(app.name)} needs ${app.gpus} GPU${app.gpus === 1 ? '' : 's'}.</p>
  ${project}
  <button type="submit" data-testid="launch-submit"${context ? '' : ' disabled'}>Launch</button>
</form>`,
  };
}

export function workloadsContent(workloads: readonly Workload[], apps: ReadonlyMap<string, App>): PageContent {
  if (!workloads.length)
    return { mode: 'workloads', body: '<p data-testid="workloads-empty">No workloads in this project yet.</p>' };
  const rows = workloads.map(
    w => `  <tr data-testid="workload-row" data-workload-id="${escapeHtml(w.id)}">
    <th scope="row"><a href="/shell/workloads/${encodeURIComponent(w.id)}">${escapeHtml(w.id)}</a></th>
    <td>${escapeHtml(apps.get(w.app)?.name ?? w.app)}</td>
    <td data-testid="workload-row-state">${escapeHtml(w.state)}</td>
  </tr>`,
  );
  return { mode: 'workloads', body: dataTable(['Workload', 'App', 'State'], rows) };
}

export function workloadContent(workload: Workload, app: App | undefined): PageContent {
  const history = workload.history.map(state => `<li>${escapeHtml(state)}</li>`).join('');
  return {
    mode: 'workloads',
    title: `Workload ${workload.id}`,
    mainAttributes: ` data-workload-id="${escapeHtml(workload.id)}"`,
    body: `<h2>${escapeHtml(app?.name ?? workload.app)} <code>${escapeHtml(workload.id)}</code></h2>
<dl>
  <dt>State</dt><dd data-testid="workload-state" aria-live="polite">${escapeHtml(workload.state)}</dd>
  <dt>Reason</dt><dd data-testid="workload-reason">${escapeHtml(workload.reason)}</dd>
  <dt>History</dt><dd><ol data-testid="workload-history">${history}</ol></dd>
</dl>`,
    script: WORKLOAD_POLLING_SCRIPT,
  };
}
