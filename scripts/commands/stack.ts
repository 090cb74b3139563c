import { spawn } from 'node:child_process';
import { findRoot, loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { FAULTS_VAR, requestedFaults } from '../../src/faults.ts';

export function stackFaults(options: { json?: boolean }): void {
  const catalogue = loadCatalogueOrThrow(findRoot(process.cwd()));
  const faults = [...catalogue.faults.values()].map(f => f.value);
  if (options.json) {
    process.stdout.write(JSON.stringify({ schemaVersion: 1, faults }, null, 2) + '\n');
    return;
  }
  if (!faults.length) {
    process.stdout.write('the stack declares no faults (packgate.yaml: faults)\n');
    return;
  }
  const width = Math.max(...faults.map(f => f.id.length), 'FAULT'.length);
  const packWidth = Math.max(...faults.map(f => f.pack.length), 'CAUGHT BY'.length);
  const lines = [`${'FAULT'.padEnd(width)}  ${'CAUGHT BY'.padEnd(packWidth)}  WHAT IT BREAKS`];
  for (const f of faults) lines.push(`${f.id.padEnd(width)}  ${f.pack.padEnd(packWidth)}  ${f.description}`);
  lines.push('', `inject with ${FAULTS_VAR}=<id>[,<id>] npx playwright test`);
  process.stdout.write(lines.join('\n') + '\n');
}

/** Runs the environment's stack command in the foreground, as a run's webServer would. */
export async function stackStart(options: { env: string; faults?: string }): Promise<void> {
  const root = findRoot(process.cwd());
  const catalogue = loadCatalogueOrThrow(root);
  const env = catalogue.environments.get(options.env)?.value;
  if (!env)
    throw new PackgateError(
      'ENV_UNKNOWN',
      `unknown environment "${options.env}"`,
      `known: ${[...catalogue.environments.keys()].join(', ')}`,
    );
  if (!env.stack)
    throw new PackgateError(
      'ENV_UNKNOWN',
      `environment "${options.env}" is ${env.kind}: it has no stack to start`,
      'pick an embedded or parity environment, e.g. --env local',
    );
  const processEnv = { ...process.env, ...(options.faults !== undefined ? { [FAULTS_VAR]: options.faults } : {}) };
  requestedFaults(catalogue, processEnv);
  // A process group of its own, signalled as a whole (as Playwright's webServer does): the command
  // runs through a shell, and a signal to the shell alone would leave the stack running.
  const child = spawn(env.stack.command, { cwd: root, env: processEnv, stdio: 'inherit', shell: true, detached: true });
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
