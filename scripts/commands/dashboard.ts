import path from 'node:path';
import { healthSettings } from '../../src/coordinator/queue-health-run.ts';
import { isLoopbackHost } from '../../src/net/loopback.ts';
import { startDashboard } from '../../src/dashboard/server.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { ATTEST_PUBLIC_KEY_VAR, loadPublicKey } from '../../src/evidence/keys.ts';
import { postgresUrl, storeOptionsOf, type StoreLocation } from '../../src/store/open.ts';
import { openStoreReadOnly } from '../../src/store/open-read-only.ts';
import { emit, project, type CommonOptions } from './kit.ts';

export type DashboardCommandOptions = CommonOptions & { port?: string; host?: string; store?: string };

const DEFAULT_PORT = 4780;
const DEFAULT_HOST = '127.0.0.1';

/**
 * `packgate dashboard`: the read-only dashboard and JSON API over the project's store (or --store),
 * on 127.0.0.1 unless --host says otherwise. Runs until Ctrl-C or SIGTERM, then closes the server
 * and the store and exits 0.
 */
export async function dashboard(options: DashboardCommandOptions): Promise<void> {
  const port = parsePort(options.port);
  const host = parseHost(options.host);
  const p = project();
  const location = options.store ? storeFromFlag(options.store) : p.storeLocation();
  const fromEnv = process.env[ATTEST_PUBLIC_KEY_VAR] || undefined;
  const publicKey = fromEnv ? loadPublicKey(fromEnv, ATTEST_PUBLIC_KEY_VAR) : undefined;
  const store = await openStoreReadOnly(location, {
    ...(options.store ? { givenAs: '--store' } : {}),
    staleAfterMs: storeOptionsOf(p.manifest).staleAfterMs,
  });
  let running;
  try {
    const settings = healthSettings(p.governance()?.value);
    running = await startDashboard(store, { host, port, publicKey, healthSettings: settings });
  } catch (error) {
    await store.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new PackgateError('INPUT_INVALID', `cannot listen on ${host}:${port}: ${code}`, {
        hint:
          code === 'EADDRINUSE' ? 'another process uses the port; pick another with --port' : 'check --host and --port',
      });
    throw error;
  }
  if (!isLoopbackHost(host))
    process.stderr.write(
      `packgate: warning: the dashboard listens on ${host}, not only this machine: anyone who reaches it reads the queue store and its evidence\n`,
    );
  emit(options, { url: running.url, store: store.location, storeKind: store.kind, readOnly: true }, [
    `packgate dashboard: ${running.url}`,
    `  store ${store.location} (${store.kind}, read-only); Ctrl-C stops it`,
  ]);
  await new Promise<void>(resolve => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  await store.close();
  if (!options.json) process.stdout.write('packgate dashboard: stopped\n');
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new PackgateError('INPUT_INVALID', `--port ${value} is not a port number`, {
      hint: 'give a number from 1 to 65535 (0: any free port)',
    });
  return port;
}

/**
 * --host: loopback when not given. Given empty (`--host "$HOST"` with HOST unset), Node would listen
 * on every interface, so an empty host is refused, never taken as "anywhere".
 */
function parseHost(value: string | undefined): string {
  if (value === undefined) return DEFAULT_HOST;
  if (!value.trim())
    throw new PackgateError('INPUT_INVALID', '--host is empty: it would listen on every network interface', {
      hint: `leave --host out for ${DEFAULT_HOST} (this machine only), or give the address to listen on (0.0.0.0 for other machines too)`,
    });
  return value;
}

/** --store: a PostgreSQL URL, or the path of a SQLite store file; another scheme's URL is no path. */
function storeFromFlag(value: string): StoreLocation {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { ...postgresUrl(value, '--store'), urlEnv: '--store' };
  return { kind: 'sqlite', path: path.resolve(value) };
}
