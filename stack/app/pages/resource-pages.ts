import { escapeHtml } from '../../http/html.ts';
import type { NodeReport } from '../../model/node-report.ts';
import type { Allocation, Notebook } from '../../model/records.ts';
import { dataTable, type PageContent } from './layout.ts';
import { TERMINAL_SCRIPT } from './scripts.ts';

/** The notebooks, allocations, terminal and nodes pages. */

/** `base`: where the notebook routes are, the app's `/notebooks` or a notebooks host's URL. */
export function notebooksContent(notebooks: readonly Notebook[], base: string): PageContent {
  const rows = notebooks
    .map(
      nb => `  <li data-testid="notebook-row" data-notebook-id="${escapeHtml(nb.id)}">
    ${escapeHtml(nb.name)} <a href="${escapeHtml(base)}/${encodeURIComponent(nb.id)}/lab" data-testid="notebook-open">Open ${escapeHtml(nb.name)}</a>
  </li>`,
    )
    .join('\n');
  return {
    mode: 'notebooks',
    body: notebooks.length
      ? `<ul>\n${rows}\n</ul>`
      : '<p data-testid="notebooks-empty">You have no notebooks in this project.</p>',
  };
}

export function allocationsContent(allocations: readonly Allocation[]): PageContent {
  const rows = allocations.map(a => {
    const terminal = `/shell/allocations/${encodeURIComponent(a.id)}/terminal`;
    const open =
      a.state === 'active'
        ? `<a href="${terminal}" data-testid="terminal-open">Open terminal on ${escapeHtml(a.id)}</a>`
        : '';
    const cells = [escapeHtml(a.project), escapeHtml(a.node), String(a.gpus), escapeHtml(a.state), open];
    return `  <tr data-testid="allocation-row" data-allocation-id="${escapeHtml(a.id)}" data-state="${escapeHtml(a.state)}">
    <th scope="row">${escapeHtml(a.id)}</th>${cells.map(c => `<td>${c}</td>`).join('')}
  </tr>`;
  });
  return {
    mode: 'allocations',
    body: dataTable(['Allocation', 'Project', 'Node', 'GPUs', 'State', 'Terminal'], rows),
  };
}

export function terminalContent(allocation: Allocation): PageContent {
  return {
    mode: 'allocations',
    title: `Terminal ${allocation.id}`,
    mainAttributes: ` data-allocation-id="${escapeHtml(allocation.id)}"`,
    body: `<h2>Terminal on <code>${escapeHtml(allocation.id)}</code> (${escapeHtml(allocation.node)})</h2>
<p>Status: <span data-testid="terminal-status" role="status">connecting</span></p>
<pre data-testid="terminal-output" aria-live="polite"></pre>
<label for="terminal-input">Command</label>
<input id="terminal-input" data-testid="terminal-input" autocomplete="off" spellcheck="false" disabled>`,
    script: TERMINAL_SCRIPT,
  };
}

/** Readiness as the page shows it: Unknown when the report has none (node-readiness-missing). */
export function readinessText(ready: boolean | undefined): 'Ready' | 'NotReady' | 'Unknown' {
  return ready === undefined ? 'Unknown' : ready ? 'Ready' : 'NotReady';
}

export function nodesContent(nodes: readonly NodeReport[]): PageContent {
  const rows = nodes.map(node => {
    const blockers = node.blockers.length
      ? `<ul data-testid="node-blockers">${node.blockers.map(b => `<li>${escapeHtml(b)}</li>`).join('')}</ul>`
      : '<span data-testid="node-blockers">none</span>';
    const tasks = node.tasks
      .map(
        t =>
          `<li data-task-id="${escapeHtml(t.id)}"><code>${escapeHtml(t.id)}</code> ${escapeHtml(t.kind)}: ` +
          `<span data-testid="task-status">${escapeHtml(t.status)}</span> ` +
          `(<span data-testid="task-evidence">${escapeHtml(t.evidence)}</span>)</li>`,
      )
      .join('');
    return `  <tr data-testid="node-row" data-node-id="${escapeHtml(node.id)}">
    <th scope="row">${escapeHtml(node.id)}</th>
    <td data-testid="node-readiness">${readinessText(node.ready)}</td>
    <td>${node.gpus}</td>
    <td>${blockers}</td>
    <td><ul data-testid="node-tasks">${tasks}</ul></td>
  </tr>`;
  });
  return { mode: 'nodes', body: dataTable(['Node', 'Readiness', 'GPUs', 'Blockers', 'Tasks'], rows) };
}
