import { escapeHtml, htmlDocument } from '../http/html.ts';
import type { Notebook } from '../model/records.ts';

/** The notebook service's pages, a JupyterLab stand-in: enough for a journey to see it opened the right notebook. */

export function labPage(notebook: Notebook, ownerUsername: string): string {
  return htmlDocument(
    `${notebook.name} · JupyterLab`,
    `<main data-testid="notebook-lab" data-notebook-id="${escapeHtml(notebook.id)}">
<h1 data-testid="notebook-title">${escapeHtml(notebook.name)}</h1>
<dl>
  <dt>Kernel</dt><dd data-testid="kernel-status">idle</dd>
  <dt>Owner</dt><dd data-testid="notebook-owner">${escapeHtml(ownerUsername)}</dd>
  <dt>Project</dt><dd data-testid="notebook-project">${escapeHtml(notebook.project)}</dd>
</dl>
</main>`,
  );
}

export function notebookErrorPage(status: 401 | 403 | 404, message: string): string {
  const titles = { 401: 'Sign in required', 403: 'Forbidden', 404: 'Not found' } as const;
  const signIn = status === 401 ? '\n<p><a href="/login" data-testid="sign-in">Sign in</a></p>' : '';
  return htmlDocument(
    `${titles[status]} · JupyterLab`,
    `<main>
<h1>${titles[status]}</h1>
<p role="alert" data-testid="notebook-error">${escapeHtml(message)}</p>${signIn}
</main>`,
  );
}
