import { escapeHtml, htmlDocument } from '../http/html.ts';
import type { ContextRecord } from '../config.ts';
import type { SignedInUser } from './oidc-client.ts';

/**
 * The app's pages. The data-testid and id values are the contract the packs select on; changing
 * one is a breaking change for every pack that uses it.
 */

export function shellPage(user: SignedInUser, context: { tenant?: ContextRecord; project?: ContextRecord }): string {
  const tenant = context.tenant
    ? `<span data-testid="tenant-context" data-tenant-id="${escapeHtml(context.tenant.id)}">${escapeHtml(context.tenant.name)}</span>`
    : '<span data-testid="tenant-context">no tenant</span>';
  const project = context.project
    ? `<span data-testid="project-context" data-project-id="${escapeHtml(context.project.id)}">${escapeHtml(context.project.name)}</span>`
    : '<span data-testid="project-context">no project</span>';
  return htmlDocument(
    'GPUaaS',
    `<header data-testid="app-header">
  <strong>GPUaaS</strong>
  <span data-testid="user-identity">${escapeHtml(user.name)} (${escapeHtml(user.username)})</span>
  <a href="/logout" data-testid="sign-out">Sign out</a>
</header>
<p data-testid="context-line">Tenant: ${tenant} · Project: ${project}</p>
<main data-testid="shell">
  <h1>Workspace</h1>
</main>`,
  );
}

export function loginErrorPage(reason: string, loginPath: string): string {
  return htmlDocument(
    'Sign-in failed · GPUaaS',
    `<main>
  <h1>Sign-in failed</h1>
  <p id="login-error" data-testid="login-error">Sign-in failed: ${escapeHtml(reason)}</p>
  <p><a href="${escapeHtml(loginPath)}" data-testid="retry-login">Try again</a></p>
</main>`,
  );
}

export function signedOutPage(loginPath: string): string {
  return htmlDocument(
    'Signed out · GPUaaS',
    `<main>
  <h1 data-testid="signed-out">You are signed out of GPUaaS</h1>
  <p><a href="${escapeHtml(loginPath)}" data-testid="sign-in">Sign in</a></p>
</main>`,
  );
}

export function notFoundPage(): string {
  return htmlDocument('Not found · GPUaaS', '<main><h1 data-testid="not-found">Page not found</h1></main>');
}
