import { spawn } from 'node:child_process';
import { findRoot, loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { expectedVerdicts, FAULTS_VAR, OWNER_PID_VAR, requestedFaults } from '../../src/faults/faults.ts';
import { unknownEnvironment } from '../../src/environment/resolve.ts';
import { printJson } from './kit.ts';

/**
 * The fault catalogue as a table: each fault, the pack meant to catch it, the verdict each
 * environment's gate should give (`-` where the pack does not run; `*` where the environment's own
 * stack can inject the fault), and what it breaks.
 */
export function stackFaults(options: { json?: boolean; markdown?: boolean }): void {
  const catalogue = loadCatalogueOrThrow(findRoot(process.cwd()));
  const faults = [...catalogue.faults.values()].map(f => ({
    ...f.value,
    expected: expectedVerdicts(catalogue, f.value),
  }));
  if (options.json) {
    printJson({ ok: true, faults });
    return;
  }
  if (!faults.length) {
    process.stdout.write('the stack declares no faults (packgate.yaml: faults)\n');
    return;
  }
  if (options.markdown) {
    process.stdout.write(faultsMarkdown(faults));
    return;
  }
  const environments = faults[0].expected.map(e => `${e.environment}${e.injectable ? '*' : ''}`);
  const rows = [
    ['FAULT', 'CAUGHT BY', ...environments.map(e => e.toUpperCase()), 'WHAT IT BREAKS'],
    ...faults.map(f => [f.id, f.pack, ...f.expected.map(e => e.verdict ?? '-'), f.description]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
  const lines = rows.map(r => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
  // A fault only some kinds of stack have is injected on their environments' projects alone (the
  // local stack refuses to start with it).
  const only = [
    ...new Set(faults.filter(f => f.kinds).flatMap(f => f.expected.filter(e => e.injectable).map(e => e.environment))),
  ];
  lines.push(
    '',
    "* the environment's own stack can inject the fault; elsewhere it is the verdict owed if the regression ships",
    `inject with ${FAULTS_VAR}=<id>[,<id>] npx playwright test` +
      (only.length ? `; a fault only ${only.join(' or ')} can have, with --project='${only[0]}-*'` : ''),
  );
  process.stdout.write(lines.join('\n') + '\n');
}

/** The fault table as Markdown, for a README or a pull request. */
function faultsMarkdown(
  faults: Array<{ id: string; pack: string; expected: ReturnType<typeof expectedVerdicts> }>,
): string {
  const environments = faults[0].expected.map(e => e.environment);
  const lines = [
    `| fault | caught by | ${environments.join(' | ')} |`,
    `| --- | --- | ${environments.map(() => '---').join(' | ')} |`,
    ...faults.map(f => `| \`${f.id}\` | ${f.pack} | ${f.expected.map(e => e.verdict ?? '-').join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}

/** Runs the environment's stack command in the foreground, as a run's webServer would. */
export async function stackStart(options: { env: string; faults?: string }): Promise<void> {
  const root = findRoot(process.cwd());
  const catalogue = loadCatalogueOrThrow(root);
  const env = catalogue.environments.get(options.env)?.value;
  if (!env) throw unknownEnvironment(catalogue, options.env);
  if (!env.stack)
    throw new PackgateError('ENV_UNKNOWN', `environment "${options.env}" is ${env.kind}: it has no stack to start`, {
      hint: 'pick an embedded or parity environment, e.g. --env local',
    });
  const processEnv = { ...process.env, ...(options.faults !== undefined ? { [FAULTS_VAR]: options.faults } : {}) };
  requestedFaults(catalogue, processEnv, options.faults !== undefined ? '--faults' : undefined);
  // A process group of its own, signalled as a whole (as Playwright's webServer does): the command
  // runs through a shell, and a signal to the shell alone would leave the stack running. Should this
  // process end without passing a signal on, the stack notices (OWNER_PID_VAR).
  const child = spawn(env.stack.command, {
    cwd: root,
    env: { ...processEnv, [OWNER_PID_VAR]: String(process.pid) },
    stdio: 'inherit',
    shell: true,
    detached: true,
  });
  const forward = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>(resolve => child.on('exit', (c, signal) => resolve(c ?? (signal ? 0 : 1))));
  process.exitCode = code;
}
