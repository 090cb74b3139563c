import type { ReleaseView } from '../../store/dashboard-schema.ts';
import { html, href, type Html } from '../html.ts';
import { domId } from './dom-id.ts';
import { badge, layout, table, when } from './layout.ts';

/**
 * Can it ship? Per environment: the verdict, what blocks it and why, what warns, every pack's latest
 * result and the run it is from.
 */
export function releaseView(view: ReleaseView): Html {
  const body = view.environments.length
    ? view.environments.map(
        env =>
          html`<section class="environment" aria-labelledby="${domId('env', env.environment)}">
            <h2 id="${domId('env', env.environment)}">
              ${env.environment} <span class="stage">${env.stage}</span> ${badge(env.verdict)}
            </h2>
            <p>
              Latest release-gate run: <a href="${href(`/runs/${env.latestRun.id}`)}">#${env.latestRun.id}</a>, started
              ${when(env.latestRun.startedAt)}, verdict ${badge(env.latestRun.verdict)}.
            </p>
            ${
              env.blockers.length
                ? html`<h3>What blocks the release</h3>
                    <ul class="blockers">
                      ${env.blockers.map(b => html`<li>${b}</li>`)}
                    </ul>`
                : html`<p class="ok">Nothing blocks the release.</p>`
            }
            ${
              env.warnings.length
                ? html`<h3>Warnings</h3>
                    <ul class="warnings">
                      ${env.warnings.map(w => html`<li>${w}</li>`)}
                    </ul>`
                : ''
            }
            ${table(
              `Packs in ${env.environment}`,
              ['Pack', 'Status', 'Run', 'Owner lane', 'Policy', 'Blocks', 'Since', 'Reason'],
              env.packs.map(p => [
                html`<a href="${href('/trends', { environment: env.environment, pack: p.pack })}">${p.pack}</a>`,
                badge(p.status),
                // A pack's latest result may be from an earlier run than the latest: one that selected it.
                html`<a href="${href(`/runs/${p.runId}`)}">#${p.runId}</a>`,
                p.owner ?? '-',
                p.policy,
                p.blocks ? 'yes' : 'no',
                p.sinceAtLeast ? html`at least since ${when(p.since)}` : when(p.since),
                p.reason,
              ]),
              'The run recorded no packs.',
            )}
            ${
              env.holds.length
                ? table(
                    `Release holds on ${env.environment}`,
                    ['Task', 'Kind', 'Owner lane', 'Pack', 'Since', 'Reason'],
                    env.holds.map(h => [
                      html`<a href="${href(`/tasks/${encodeURIComponent(h.taskId)}`)}">${h.taskId}</a>`,
                      h.task.kind,
                      h.task.ownerLane ?? '-',
                      h.pack,
                      when(h.since),
                      h.reason,
                    ]),
                    '',
                  )
                : ''
            }
          </section>`,
      )
    : html`<p class="empty">
        No release-gate runs are recorded yet. A gate run on no task (no <code>TASK_ID</code>, outside a task's
        worktree) that ran the whole environment shows here once it is recorded: by the gate when
        <code>packgate.yaml</code> has <code>store:</code>, or with <code>npx packgate gate record</code>. Runs narrowed
        by a filter or a shard (<code>--grep</code>, a file filter, part of the projects, <code>--shard</code>), drills
        with faults injected and runs with plain HTTP allowed do not count; the <a href="/runs">gate runs</a> list shows
        them.
      </p>`;
  return layout('Release', '/', body);
}
