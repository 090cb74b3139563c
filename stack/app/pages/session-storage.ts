import { escapeHtml, htmlDocument } from '../../http/html.ts';
import { SESSION_STORAGE_KEY } from '../session-storage-token.ts';

/**
 * The pages of the session-storage shape (PACKGATE_STACK_SESSION_STORAGE), an app that keeps its
 * session token in the tab's sessionStorage as some SPAs do: the callback's hand-off page, which
 * stores the token, and the shell as a template that shows only in a tab holding that token.
 */

export type SessionStorageCheck = {
  /** SHA-256 (hex) of the token the tab must hold: the page never carries the token itself. */
  digest: string;
  /** Where "Sign in again" goes. */
  loginPath: string;
};

const KEY = JSON.stringify(SESSION_STORAGE_KEY);

/**
 * Stores the token, then goes on where the sign-in was started for (the shell, or the protected page
 * a sign-in in front of the app came from), the callback replaced in history as a redirect would.
 */
const HANDOFF_SCRIPT = `(() => {
  const main = document.querySelector('[data-session-token]');
  sessionStorage.setItem(${KEY}, main.dataset.sessionToken);
  main.removeAttribute('data-session-token');
  location.replace(main.dataset.returnTo);
})();`;

/**
 * Puts the shell in the page and runs the page's scripts (`start`) only when the tab's token hashes
 * to the page's digest; otherwise shows the session-lost state, saying why in data-reason: `missing`
 * (this tab holds no token), `mismatch` (another session's, or a made-up one), `no-web-crypto` (an
 * origin that is not a secure context cannot hash; loopback and https are).
 */
const GUARD_SCRIPT = `start => {
  const shell = document.querySelector('template[data-session-digest]');
  const lost = document.querySelector('template[data-session-lost]');
  const fail = reason => {
    const state = lost.content.cloneNode(true);
    state.firstElementChild.dataset.reason = reason;
    shell.remove();
    lost.replaceWith(state);
  };
  const token = sessionStorage.getItem(${KEY});
  if (!token) return fail('missing');
  if (!window.crypto || !crypto.subtle) return fail('no-web-crypto');
  crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)).then(digest => {
    const hex = Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0')).join('');
    if (hex !== shell.dataset.sessionDigest) return fail('mismatch');
    lost.remove();
    shell.replaceWith(shell.content);
    start();
  }, () => fail('no-web-crypto'));
}`;

/** What the callback answers instead of its redirect: the token, stored by the page's script. */
export function sessionHandoffPage(token: string, returnTo: string): string {
  return htmlDocument(
    'Signing in · GPUaaS',
    `<main data-testid="signing-in" data-session-token="${escapeHtml(token)}" data-return-to="${escapeHtml(returnTo)}">
  <h1>Signing in</h1>
</main>
<script>
${HANDOFF_SCRIPT}
</script>`,
  );
}

/**
 * The shell's markup (header, navigation, main) as an inert template, and the page's scripts held
 * back, until the guard has checked the tab's token: without it the user sees no identity, no
 * context and no mode, only "Session lost" and a way to sign in again.
 */
export function sessionStorageShell(shell: string, scripts: string, check: SessionStorageCheck): string {
  return `<template data-session-digest="${escapeHtml(check.digest)}">
${shell}
</template>
<template data-session-lost>
<main data-testid="session-lost">
  <h1>Session lost</h1>
  <p role="alert" data-testid="session-lost-message">This tab no longer holds your session. Sign in again.</p>
  <p><a href="${escapeHtml(check.loginPath)}" data-testid="sign-in-again">Sign in again</a></p>
</main>
</template>
<script>
(${GUARD_SCRIPT})(() => {
${scripts}
});
</script>`;
}
