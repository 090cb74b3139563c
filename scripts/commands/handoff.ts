import { PackgateError } from '../../src/diagnostics/errors.ts';
import { LOOKS_LIKE_CREDENTIAL, looksLikeCredential } from '../../src/evidence/secret-fields.ts';
import { evidenceFrom, refuseUnlessInProgress, runHandoff } from '../../src/loop/run-handoff.ts';
import { openTask } from '../../src/loop/open-task.ts';
import type { Handoff } from '../../src/loop/handoff-schema.ts';
import { notCommitted } from './drift.ts';
import { actorOf, emit, packetContext, project, table, withStore, type CommonOptions } from './kit.ts';

export type HandoffOptions = CommonOptions & {
  task: string;
  base?: string;
  dir?: string;
  risk: string[];
  dryRun?: boolean;
};

/**
 * The loop's output for a task. Complete: recorded, and the task moves to in_review (exit 0).
 * Incomplete: refused with what is missing, nothing written (exit 1).
 */
export async function handoff(options: HandoffOptions): Promise<void> {
  // The handoff is stored by digest as written and shown to reviewers: a credential in it is no risk to list.
  const secret = options.risk.findIndex(looksLikeCredential);
  if (secret >= 0)
    throw new PackgateError(
      'INPUT_INVALID',
      `--risk ${options.risk.length > 1 ? `(the ${ordinal(secret + 1)}) ` : ''}${LOOKS_LIKE_CREDENTIAL}`,
      { hint: 'name the env var or the file that holds it instead; the handoff is stored and shown to reviewers' },
    );
  const p = project();
  const {
    handoff: doc,
    digest,
    here,
  } = await withStore(p, async store => {
    await refuseUnlessInProgress(store, options.task);
    const made = await runHandoff(
      store,
      await openTask(store, options, { root: p.root, packetContext: packetContext(p) }),
      { risks: options.risk, actor: actorOf(options), dryRun: !!options.dryRun },
    );
    return { ...made, here: evidenceFrom(process.cwd(), store, made.handoff) };
  });
  const complete = doc.missing.length === 0;
  emit(
    options,
    { complete, recorded: digest ?? null, handoff: doc },
    render(doc, digest, !!options.dryRun, here),
    complete ? 0 : 1,
  );
}

/** The handoff as lines; `here`: each evidence file's location from the folder the command ran in. */
function render(doc: Handoff, digest: string | undefined, dryRun: boolean, here: readonly string[]): string[] {
  const lines = [
    `handoff of ${doc.task.id}: ${doc.task.goal}`,
    `files changed since ${doc.base.slice(0, 12)}:`,
    ...(doc.filesChanged.length
      ? doc.filesChanged.map(
          f =>
            `  ${f.status.padEnd(9)} ${f.path}${f.uncommitted ? '  (changes not committed)' : ''}` +
            (f.rule === 1 ? '' : `  (drift rule ${f.rule})`),
        )
      : ['  none']),
    ...notCommitted(doc.filesChanged).map(l => `  ${l}`),
    'commands run:',
    ...table(
      ['RESULT', 'COMMAND', 'DETAIL'],
      doc.commands.map(c => [c.result, c.command, c.detail]),
    ).map(l => `  ${l}`),
    'acceptance:',
    ...doc.acceptance.map(a => `  ${a.item}. ${a.text}: ${a.proof ?? 'NO PROOF'}`),
    'residual risks:',
    ...doc.residualRisks.map(r => `  - ${r}`),
    'evidence:',
    ...(doc.evidence.length
      ? doc.evidence.map(
          (e, i) => `  ${e.status.padEnd(8)} ${e.run ? `#${e.run} ` : ''}${e.path}  sha256:${e.digest}  ${here[i]}`,
        )
      : ['  none']),
  ];
  if (doc.missing.length)
    return [...lines, '', `handoff refused: ${doc.missing.length} missing`, ...doc.missing.map(m => `  - ${m}`)];
  return [
    ...lines,
    '',
    dryRun
      ? 'handoff complete (dry run: nothing recorded)'
      : `handoff recorded (sha256 ${digest}); task ${doc.task.id} is in_review`,
  ];
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
