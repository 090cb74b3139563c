/**
 * `npx playwright test --list` over the catalogue against bare Playwright's `--list` of the same
 * spec files (part of `npm run bench`): what packgate's config (catalogue, schemas, run plan,
 * projects) adds to listing, the first thing an editor or CI does. Alternating which goes first,
 * BENCH_ROUNDS (default 9) rounds; prints the medians and their ratio (goal <= 1.5).
 */
import { loadCatalogueOrThrow } from '../src/catalogue/load.ts';
import { planProjects } from '../src/catalogue/project-plan.ts';
import { exec, log, machine, median, recordResults, root } from './lib.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const record = process.argv.includes('--record');
const cli = 'node_modules/@playwright/test/cli.js';

/**
 * The spec files of each project `--list` lists by default, by project name, as packgate plans them:
 * the bare config lists exactly these (decided here, outside the timed runs).
 */
function defaultProjectFiles(): Record<string, string[]> {
  const files: Record<string, string[]> = {};
  for (const project of planProjects(loadCatalogueOrThrow(root)))
    if (project.isDefault) files[project.name] = [...new Set([...(files[project.name] ?? []), ...project.specs])];
  return files;
}

async function main(): Promise<void> {
  const projects = JSON.stringify(defaultProjectFiles());
  const gate: number[] = [];
  const bare: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 ? ['gate', 'bare'] : ['bare', 'gate'];
    for (const which of order) {
      const args =
        which === 'gate' ? [cli, 'test', '--list'] : [cli, 'test', '--list', '-c', 'bench/bare/list.config.ts'];
      const { code, ms } = await exec(root, args, which === 'bare' ? { BENCH_LIST_PROJECTS: projects } : {});
      if (code !== 0) throw new Error(`--list failed (exit ${code}): node ${args.join(' ')}`);
      (which === 'gate' ? gate : bare).push(ms);
    }
    log(`round ${round}/${rounds}: packgate --list ${gate.at(-1)} ms, bare --list ${bare.at(-1)} ms`);
  }
  const report = [
    `### ${new Date().toISOString().slice(0, 10)}: --list, ${rounds} rounds`,
    '',
    '| figure | value | goal |',
    '| --- | --- | --- |',
    `| \`npx playwright test --list\` over the catalogue, median wall | ${median(gate)} ms | |`,
    `| bare Playwright \`--list\` of the same spec files, median wall | ${median(bare)} ms | |`,
    `| ratio packgate / bare | ${(median(gate) / median(bare)).toFixed(3)} | <= 1.5 |`,
    '',
    machine(),
    `Raw (ms): packgate ${gate.join(', ')}; bare ${bare.join(', ')}.`,
    '',
  ].join('\n');
  process.stdout.write(`\n${report}`);
  if (record) recordResults(report);
}

await main();
