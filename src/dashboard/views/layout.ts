import { packStatusSchema, runVerdictSchema } from '../../schema/verdict.ts';
import type { ChangeStamp } from '../../store/dashboard-reads.ts';
import { verificationStatusSchema } from '../api-schemas.ts';
import { html, type Html, type HtmlValue } from '../html.ts';

export const VIEWS = [
  { path: '/', name: 'Release' },
  { path: '/trends', name: 'Trends' },
  { path: '/runs', name: 'Gate runs' },
  { path: '/queue', name: 'Queue' },
  { path: '/health', name: 'Health' },
] as const;

/**
 * Every page's frame: the views' navigation, the live-update notice, the page's heading. Its script
 * and styles are files of the dashboard (the CSP allows no inline script or style).
 */
export function layout(title: string, active: string | null, body: HtmlValue): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · packgate dashboard</title>
        <link rel="stylesheet" href="/static/dashboard.css" />
        <script src="/static/dashboard.js" defer></script>
      </head>
      <body>
        <header>
          <span class="brand">packgate</span>
          <nav aria-label="Views">
            <ul>
              ${VIEWS.map(
                v =>
                  html`<li>
                    <a href="${v.path}" ${v.path === active ? html` aria-current="page"` : ''}>${v.name}</a>
                  </li>`,
              )}
            </ul>
          </nav>
          <p id="live" role="status" aria-live="polite"></p>
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `;
}

/** Run verdicts, pack statuses and verification statuses: the values a badge has a class for. */
const BADGES: ReadonlySet<string> = new Set([
  ...runVerdictSchema.options,
  ...packStatusSchema.options,
  ...verificationStatusSchema.options,
]);

/** A verdict or status as a labelled badge; its class is picked from a fixed set, never from data. */
export function badge(value: string): Html {
  const cls = BADGES.has(value) ? `b-${value.replace(/_/g, '-').toLowerCase()}` : 'b-other';
  return html`<span class="badge ${cls}">${value}</span>`;
}

export function table(caption: string, head: string[], rows: HtmlValue[][], empty: string): Html {
  if (!rows.length) return html`<p class="empty">${empty}</p>`;
  // A wide table scrolls inside its own box on a narrow screen, not the page; focusable, so a
  // keyboard can scroll it too.
  return html`<div class="scroll" tabindex="0">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${head.map(h => html`<th scope="col">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          r =>
            html`<tr>
              ${r.map(c => html`<td>${c}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/**
 * Something a heartbeat changes (a heartbeat time, a stale flag): a page holding one reloads when a
 * session heartbeats; any other page does not (dashboard.js).
 */
export function heartbeat(value: HtmlValue): Html {
  return html`<span data-heartbeat>${value}</span>`;
}

/**
 * The page with the change stamp it was rendered with, for dashboard.js to compare with the one it
 * asks for every `pollMs`: a write made before its first question still reloads it. Put after `<head>`, which
 * the layout writes once (data is escaped, so no `<head>` of data's comes before it).
 */
export function stampPage(page: Html, stamp: ChangeStamp, pollMs: number): Html {
  const meta = html`<meta name="packgate-stamp" content="${JSON.stringify(stamp)}" data-poll-ms="${pollMs}" />`;
  return { ...page, text: page.text.replace('<head>', `<head>${meta.text}`) };
}

/** A time as its UTC minute, the full stamp kept in a datetime attribute. */
export function when(stamp: string | null | undefined): Html {
  if (!stamp) return html`-`;
  return html`<time datetime="${stamp}">${stamp.replace('T', ' ').slice(0, 16)}Z</time>`;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** JSON of a record's body, shown as text; it scrolls, so a keyboard can focus it. */
export function jsonBlock(value: unknown): Html {
  return html`<pre class="json" tabindex="0">${JSON.stringify(value, null, 2)}</pre>`;
}
