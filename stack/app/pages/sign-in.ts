import { escapeHtml, htmlDocument } from '../../http/html.ts';

/** The pages around signing in and out, outside the shell. */

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
