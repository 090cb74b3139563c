import type { StackUser } from '../../config.ts';
import { escapeHtml, htmlDocument } from '../../http/html.ts';
import type { Context } from '../../model/platform.ts';
import type { Project, Tenant } from '../../model/records.ts';
import { CONTEXT_SWITCHER_SCRIPT } from './scripts.ts';
import { sessionStorageShell, type SessionStorageCheck } from './session-storage.ts';

/**
 * The shell every signed-in page shares: who is signed in, the tenant and project context with
 * its switcher, and the mode navigation. The data-testid values are the contract the packs select
 * on (docs/reference-stack.md, "App pages"); changing one breaks every pack that uses it.
 */

export const MODES = [
  { mode: 'overview', title: 'Overview', path: '/shell' },
  { mode: 'apps', title: 'Apps', path: '/shell/apps' },
  { mode: 'workloads', title: 'Workloads', path: '/shell/workloads' },
  { mode: 'notebooks', title: 'Notebooks', path: '/shell/notebooks' },
  { mode: 'allocations', title: 'Allocations', path: '/shell/allocations' },
  { mode: 'nodes', title: 'Nodes', path: '/shell/nodes' },
] as const;

export type Mode = (typeof MODES)[number]['mode'];

/** Where the mode-nav-broken fault points the Workloads link: a path nothing serves. */
export const BROKEN_WORKLOADS_PATH = '/shell/workload';

export type ShellView = {
  user: StackUser;
  context: Context | undefined;
  /** The user's tenants, and every project of them, for the switcher. */
  tenants: Tenant[];
  projects: Project[];
  /** Operators see the Nodes mode. */
  showNodes: boolean;
  /** The mode-nav-broken fault. */
  navBroken: boolean;
  /** Whether the header says who is signed in (a stack shaped like an app that does not). */
  showIdentity: boolean;
  /** The session-storage shape: the page shows only in a tab holding the session's token. */
  sessionStorageCheck?: SessionStorageCheck;
};

export type PageContent = {
  mode: Mode;
  /** The document title's first part; the mode's title when absent. */
  title?: string;
  /** Escaped markup inside `<main>`, after the mode's `<h1>`. */
  body: string;
  /** Extra attributes on `<main>`, already escaped, e.g. ` data-workload-id="wl-1"`. */
  mainAttributes?: string;
  /** A script for this page (a trusted constant, never built from input). */
  script?: string;
};

export function shellPage(view: ShellView, content: PageContent): string {
  const mode = MODES.find(m => m.mode === content.mode)!;
  const scripts = [CONTEXT_SWITCHER_SCRIPT, content.script].filter(Boolean).join('\n');
  const shell = `${header(view)}
${navigation(view, content.mode)}
<main data-testid="mode-${mode.mode}"${content.mainAttributes ?? ''}>
<h1 data-testid="mode-title">${escapeHtml(mode.title)}</h1>
${content.body}
</main>`;
  const title = `${content.title ?? mode.title} · GPUaaS`;
  if (view.sessionStorageCheck)
    return htmlDocument(title, sessionStorageShell(shell, scripts, view.sessionStorageCheck));
  return htmlDocument(
    title,
    `${shell}
<script>
${scripts}
</script>`,
  );
}

function header({ user, context, tenants, projects, showIdentity }: ShellView): string {
  const tenant = context
    ? `<span data-testid="tenant-context" data-tenant-id="${escapeHtml(context.tenant.id)}">${escapeHtml(context.tenant.name)}</span>`
    : '<span data-testid="tenant-context">no tenant</span>';
  const project = context
    ? `<span data-testid="project-context" data-project-id="${escapeHtml(context.project.id)}">${escapeHtml(context.project.name)}</span>`
    : '<span data-testid="project-context">no project</span>';
  const tenantOptions = tenants.map(t => option(t.id, t.name, t.id === context?.tenant.id, '')).join('');
  const projectOptions = projects
    .map(p => option(p.id, p.name, p.id === context?.project.id, ` data-tenant-id="${escapeHtml(p.tenant)}"`))
    .join('');
  return `<header data-testid="app-header">
  <strong>GPUaaS</strong>
  ${showIdentity ? `<span data-testid="user-identity">${escapeHtml(user.name)} (${escapeHtml(user.username)})</span>` : ''}
  <a href="/logout" data-testid="sign-out">Sign out</a>
  <p data-testid="context-line">Tenant: ${tenant} · Project: ${project}</p>
  <form data-testid="context-switcher" method="post" action="/shell/context">
    <label for="tenant-switcher">Tenant</label>
    <select id="tenant-switcher" name="tenant" data-testid="tenant-switcher">${tenantOptions}</select>
    <label for="project-switcher">Project</label>
    <select id="project-switcher" name="project" data-testid="project-switcher">${projectOptions}</select>
    <button type="submit" data-testid="context-apply">Switch</button>
  </form>
</header>`;
}

function option(value: string, label: string, selected: boolean, attributes: string): string {
  return `<option value="${escapeHtml(value)}"${attributes}${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
}

function navigation({ showNodes, navBroken }: ShellView, active: Mode): string {
  const links = MODES.filter(m => m.mode !== 'nodes' || showNodes).map(m => {
    const href = m.mode === 'workloads' && navBroken ? BROKEN_WORKLOADS_PATH : m.path;
    const current = m.mode === active ? ' aria-current="page"' : '';
    return `    <li><a href="${href}" data-testid="nav-${m.mode}"${current}>${escapeHtml(m.title)}</a></li>`;
  });
  return `<nav aria-label="Modes">
  <ul>
${links.join('\n')}
  </ul>
</nav>`;
}

/** A table with column headings; `rows` is markup of `<tr>` elements, already escaped. */
export function dataTable(columns: readonly string[], rows: readonly string[]): string {
  const head = columns.map(c => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  return `<table>
  <thead><tr>${head}</tr></thead>
  <tbody>
${rows.join('\n')}
  </tbody>
</table>`;
}

/** A message in the shell instead of the mode's content: a refused form, a forbidden page. */
export function shellMessage(testId: 'form-error' | 'forbidden', message: string): string {
  return `<p role="alert" data-testid="${testId}">${escapeHtml(message)}</p>`;
}

/** A page outside the shell for a request the shell cannot render (no context to show). */
export function plainMessagePage(title: string, testId: string, message: string): string {
  return htmlDocument(
    `${title} · GPUaaS`,
    `<main><h1>${escapeHtml(title)}</h1><p role="alert" data-testid="${escapeHtml(testId)}">${escapeHtml(message)}</p></main>`,
  );
}
