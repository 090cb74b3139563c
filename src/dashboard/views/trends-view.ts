import type { TrendSeries, Trends } from '../../store/dashboard-schema.ts';
import { unknownFilterNotes, type UnknownFilters } from '../filter-hints.ts';
import { html, href, type Html } from '../html.ts';
import { duration, layout } from './layout.ts';
import { domId } from './dom-id.ts';
import { plural } from '../../text/plural.ts';

/**
 * The trend chart is SVG drawn on the server: one circle per run, each a link to the run, at the
 * height of its outcome (pass, warn, block), the run's duration as a bar beneath (the store keeps
 * no time per pack). A run that did not select the pack is no point.
 *
 * Chosen over a chart library (uPlot, Chart.js): both draw on a canvas from data handed to a script,
 * so a point is not a link, not reachable by keyboard, invisible to a screen reader and to axe, and
 * the data would travel as a JSON blob the page must parse. A few SVG elements per run are links by
 * construction, escaped like every other value, work with scripts off, and ship nothing to install.
 */
const STEP = 28;
const ROWS = { pass: 20, warn: 50, block: 80 } as const;

export function trendsView(
  trends: Trends,
  query: { environment?: string; pack?: string; runs: number },
  unknown?: UnknownFilters,
): Html {
  const body = html`<form method="get" action="/trends" class="filters">
      <label>Environment <input name="environment" value="${query.environment ?? ''}" /></label>
      <label>Pack <input name="pack" value="${query.pack ?? ''}" /></label>
      <label>Runs <input name="runs" type="number" min="1" max="500" value="${query.runs}" /></label>
      <button type="submit">Show</button>
    </form>
    ${unknownFilterNotes(unknown)}
    ${
      trends.series.length
        ? html`<p class="note">
              Each point is a run that ran the pack; the bar beneath it is the whole run's duration (the store keeps no
              time per pack).
            </p>
            ${trends.series.map(series)}`
        : html`<p class="empty">No release-gate runs of a pack match.</p>`
    }`;
  return layout('Trends', '/trends', body);
}

function series(s: TrendSeries): Html {
  const id = domId('trend', s.environment, s.pack);
  const width = 60 + s.points.length * STEP;
  const longest = Math.max(1, ...s.points.map(p => p.durationMs));
  return html`<section class="trend" aria-labelledby="${id}">
    <h2 id="${id}">${s.pack} in ${s.environment}</h2>
    <p class="counts">
      ${s.counts.pass} passed, ${s.counts.warn} warned, ${s.counts.block} blocked, ${s.counts.flaky} flaky, over
      ${plural(s.points.length, 'run')} that ran it.
    </p>
    <div class="scroll" tabindex="0">
      <svg
        class="chart"
        role="group"
        aria-label="${s.pack} in ${s.environment}: one point per run, top pass, middle warn, bottom block"
        width="${width}"
        height="140"
        viewBox="0 0 ${width} 140"
        data-pack="${s.pack}"
        data-environment="${s.environment}"
      >
        <text x="4" y="${ROWS.pass + 4}">pass</text>
        <text x="4" y="${ROWS.warn + 4}">warn</text>
        <text x="4" y="${ROWS.block + 4}">block</text>
        ${s.points.map((p, i) => {
          const x = 60 + i * STEP;
          const bar = Math.max(1, Math.round((p.durationMs / longest) * 36));
          return html`<a
            href="/runs/${p.runId}"
            aria-label="run ${p.runId}: ${p.status} at ${p.startedAt}, the run took ${duration(p.durationMs)}"
          >
            <rect class="duration" x="${x - 5}" y="${138 - bar}" width="10" height="${bar}"></rect>
            <circle
              class="point o-${p.outcome}"
              cx="${x}"
              cy="${ROWS[p.outcome]}"
              r="8"
              data-run="${p.runId}"
              data-status="${p.status}"
              data-outcome="${p.outcome}"
              ><title>
                run ${p.runId}: ${p.status}, ${p.startedAt}, the run took ${duration(p.durationMs)}
              </title></circle
            >
          </a>`;
        })}
      </svg>
    </div>
  </section>`;
}

export { href };
