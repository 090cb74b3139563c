import { findRoot, loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { preflight, type PreflightResult } from '../../src/preflight/env-check.ts';
import { printJson, table } from './kit.ts';

/**
 * `packgate env check <name>`: the preflight a team runs while writing a descriptor. Exit 0 when
 * the environment is ready, 1 when a check fails, 2 for a bad catalogue or an unknown environment.
 */
export async function envCheck(name: string, options: { json?: boolean; signIn?: boolean }): Promise<void> {
  const catalogue = loadCatalogueOrThrow(findRoot(process.cwd()));
  const result = await preflight(catalogue, name, { signIn: options.signIn });
  if (options.json) printJson({ ok: true, ...result });
  else process.stdout.write(render(result).join('\n') + '\n');
  if (!result.ready) process.exitCode = 1;
}

const MARK = { true: 'ok', false: 'FAIL', null: '-' } as const;

function render(result: PreflightResult): string[] {
  const failed = result.checks.filter(c => c.ok === false).length;
  return [
    result.ready
      ? `environment "${result.environment}" (${result.file}) is READY`
      : `environment "${result.environment}" (${result.file}) is NOT READY: ${failed} of ${result.checks.length} checks fail`,
    ...table(
      ['CHECK', 'RESULT', 'DETAIL'],
      result.checks.map(c => [c.check, MARK[String(c.ok) as keyof typeof MARK], c.detail]),
    ).map(line => `  ${line}`),
    '',
    `packs it runs (${result.packs.length}):`,
    ...table(
      ['PACK', 'LAYERS', 'POLICY'],
      result.packs.map(p => [p.id, p.layers.join(', ') || '(none of its layers)', p.policy]),
    ).map(line => `  ${line}`),
  ];
}
