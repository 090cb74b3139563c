import { releaseStages } from '../schema/constants.ts';
import type { PackVerdict, QueueRead, VerdictFile } from '../schema/verdict.ts';
import { manualLines } from './manual-lines.ts';
import { refusalsCell } from './refusal-outcomes.ts';
import { plural } from '../text/plural.ts';

const STATUS_MARK: Record<PackVerdict['status'], string> = {
  PASS: 'ok',
  FAIL: 'x',
  FLAKY: '~',
  NOT_RUN: '!',
  SKIPPED: '-',
  BLOCKED_BY_UPSTREAM: '^',
  NOT_SELECTED: '.',
};

/** Passed of all the pack's tests, those this run left out included. */
function testsCell(p: PackVerdict): string {
  const all = p.tests.total + p.missingTests.length;
  return all ? `${p.tests.passed}/${all}` : '-';
}

/** The verdict table printed at the end of a run. */
export function renderTable(verdict: VerdictFile, outputDir: string, width = 160): string {
  const rows = verdict.packs.map(p => [
    p.id,
    p.policy,
    `${STATUS_MARK[p.status]} ${p.status}`,
    testsCell(p),
    refusalsCell(p.refusals),
    p.reason,
  ]);
  const header = ['PACK', 'POLICY', 'STATUS', 'TESTS', 'REFUSALS', 'REASON'];
  const fixedColumns = header.length - 1;
  const widths = header.slice(0, fixedColumns).map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (cells: string[]) => {
    const fixed = cells
      .slice(0, fixedColumns)
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ');
    const room = Math.max(20, width - fixed.length - 4);
    const last = cells[fixedColumns];
    const reason = last.length > room ? `${last.slice(0, room - 3)}...` : last;
    return `  ${fixed}  ${reason}`;
  };
  const out = ['', `packgate ${verdict.headline}`, line(header), ...rows.map(line)];
  for (const { pack, reason } of verdict.excluded)
    out.push(`  excluded by ${verdict.environment}: ${pack} (${reason})`);
  for (const line of unprovenRefusals(verdict)) out.push(`  ${line}`);
  for (const line of manualLines(verdict)) out.push(`  ${line}`);
  for (const problem of verdict.problems) out.push(`  ${problem.severity}: ${problem.message}`);
  if (verdict.faults.length) out.push(`  injected faults: ${verdict.faults.join(', ')}`);
  // A queue not read is said by its problem above; one read says which store, when, and what it held.
  if (verdict.queue && 'holds' in verdict.queue) out.push(`  ${queueLine(verdict.queue)}`);
  out.push(
    `  verdict: ${outputDir}/verdict.json  summary: ${outputDir}/summary.md  evidence: ${outputDir}/evidence/`,
    '',
  );
  return out.join('\n');
}

/** verdict.json and summary.md of a verdict, by name. */
export function verdictTexts(verdict: VerdictFile): Array<[string, string]> {
  return [
    ['verdict.json', JSON.stringify(verdict, null, 2) + '\n'],
    ['summary.md', renderSummary(verdict)],
  ];
}

/** summary.md: the same verdict as a Markdown table, for a CI job summary or a pull request. */
export function renderSummary(verdict: VerdictFile): string {
  const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out = [
    `## packgate: ${verdict.verdict}`,
    '',
    `Environment **${verdict.environment}** (stage ${verdict.stage}, ${verdict.kind}); ` +
      `projects ${verdict.projects.join(', ') || '(none)'}${verdict.complete ? '' : '; **partial run**'}.`,
    '',
    '| Pack | Owner | Policy | Status | Tests | Refusals proven | Reason |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...verdict.packs.map(
      p =>
        `| ${p.id} | ${escape(p.owner)} | ${p.policy} | ${p.status}${p.blocks ? ' (blocks)' : ''} | ${testsCell(p)} | ` +
        `${refusalsCell(p.refusals)} | ${escape(p.reason)} |`,
    ),
  ];
  const unproven = unprovenRefusals(verdict);
  if (unproven.length) out.push('', ...unproven.map(line => `- ${escape(line)}`));
  const manual = manualLines(verdict);
  if (manual.length) out.push('', ...manual.map(line => `- ${escape(line)}`));
  if (verdict.excluded.length)
    out.push(
      '',
      ...verdict.excluded.map(e => `- excluded by ${verdict.environment}: **${e.pack}** (${escape(e.reason)})`),
    );
  if (verdict.problems.length) out.push('', ...verdict.problems.map(p => `- **${p.severity}**: ${escape(p.message)}`));
  if (verdict.faults.length) out.push('', `Injected faults: ${verdict.faults.join(', ')}`);
  if (verdict.queue) out.push('', ...queueSection(verdict.queue, releaseStages.has(verdict.stage)));
  const evidence = verdict.packs.filter(p => p.evidence.files.length);
  if (evidence.length)
    out.push('', 'Evidence:', ...evidence.map(p => `- ${p.id}: ${p.evidence.files.map(f => `\`${f}\``).join(', ')}`));
  return out.join('\n') + '\n';
}

/**
 * Refusals a run did not prove, each with why: a pass never hides one. A pack the run did not
 * select says so in its row; its refusals are not listed one by one. Refusals left unproven for
 * one reason (a failed sign-in leaves every pack's) share a line: the reason is said once.
 */
function unprovenRefusals(verdict: VerdictFile): string[] {
  const byReason = new Map<string, string[]>();
  for (const p of verdict.packs) {
    if (p.status === 'NOT_SELECTED') continue;
    for (const r of p.refusals.filter(r => r.status !== 'proven')) {
      const reason = `${r.status}${r.why ? `: ${r.why}` : ''}`;
      byReason.set(reason, [...(byReason.get(reason) ?? []), `${p.id}/${r.id}`]);
    }
  }
  return [...byReason].map(([reason, ids]) =>
    ids.length === 1 ? `refusal ${ids[0]} ${reason}` : `refusals ${ids.join(', ')} ${reason}`,
  );
}

/** Which store the run read for release holds, when, and how many it found. */
function queueLine(queue: Extract<QueueRead, { holds: unknown }>): string {
  const found = queue.holds.length ? plural(queue.holds.length, 'release hold') : 'no release hold';
  return `release holds: ${found} in ${queue.store} (read ${queue.readAt})${queue.note ? `; ${queue.note}` : ''}`;
}

/** summary.md's release holds: a row per hold, after the line saying which store was read and when. */
function queueSection(queue: QueueRead, release: boolean): string[] {
  const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  if ('reason' in queue) return [`Release holds: **not read** (${escape(queue.reason)}).`];
  const read = `read from \`${escape(queue.store)}\` at ${queue.readAt}${queue.note ? ` (${escape(queue.note)})` : ''}`;
  if (!queue.holds.length) return [`Release holds: none, ${read}.`];
  return [
    `Release holds ${release ? '(each blocks this release)' : '(warnings here: they block the release stages)'}, ${read}:`,
    '',
    '| Task | Title | Pack | Why | Since | Owner lane |',
    '| --- | --- | --- | --- | --- | --- |',
    ...queue.holds.map(
      h =>
        `| ${h.taskId} | ${escape(h.title)} | ${h.pack} | ${escape(h.why)} | ${h.since} | ${escape(h.ownerLane ?? '-')} |`,
    ),
  ];
}
