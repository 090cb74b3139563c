import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL server for tests and benchmarks: initdb into a temp folder, started with
 * pg_ctl on a unix socket in that folder (no TCP port to collide on), trust auth, stopped and
 * deleted by `stop()`. PostgreSQL refuses to run as root, so as root it runs as the `postgres`
 * user (or `nobody`), which owns the folder.
 */
export type PostgresCluster = {
  dir: string;
  /**
   * A fresh, empty database; returns its connection URL. Its collation is the cluster's, C (byte
   * order, as SQLite compares), unless `icuLocale` names an ICU locale: 'und', ICU's root order, sorts
   * as a server set up with en_US would (a_b, a-b, aB, Z where bytes give Z, a-b, aB, a_b).
   */
  createDatabase(name?: string, options?: { icuLocale?: string }): Promise<string>;
  stop(): Promise<void>;
};

export type Availability = { ok: true; bin: string; runAs?: string } | { ok: false; reason: string };

/** Set by .ci/run: a missing server fails the PostgreSQL tests instead of skipping them. */
export const REQUIRE_POSTGRES_VAR = 'PACKGATE_REQUIRE_POSTGRES';

export function postgresAvailability(): Availability {
  const bin = findServerBin();
  if (!bin)
    return {
      ok: false,
      reason:
        'no PostgreSQL server binaries (initdb, pg_ctl) found: install them with `apt-get install -y postgresql` ' +
        '(.ci/run does) or point PACKGATE_PG_BIN at their folder',
    };
  if (process.getuid?.() !== 0) return { ok: true, bin };
  const runAs = ['postgres', 'nobody'].find(user => uidOf(user) !== undefined);
  if (!runAs)
    return { ok: false, reason: 'running as root and there is no postgres or nobody user to run PostgreSQL as' };
  return { ok: true, bin, runAs };
}

export async function startPostgres(options: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const availability = postgresAvailability();
  if (!availability.ok) throw new Error(availability.reason);
  const { bin, runAs } = availability;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packgate-pg-'));
  if (runAs) fs.chownSync(dir, uidOf(runAs)!, gidOf(runAs)!);
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const run = (command: string, args: string[]) => {
    const [file, argv] = runAs
      ? ['runuser', ['-u', runAs, '--', path.join(bin, command), ...args]]
      : [path.join(bin, command), args];
    return execFileSync(file, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  };
  try {
    run('initdb', ['-D', data, '-U', 'packgate', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    // Tests need no crash safety from the server itself (a killed client is what they test);
    // benchmarks ask for a durable one so their figures mean something.
    const durability = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
    run('pg_ctl', [
      '-D',
      data,
      '-o',
      `-p 5432 -k ${dir} -c listen_addresses=''${durability}`,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL: ${(error as { stderr?: string }).stderr || (error as Error).message}`);
  }
  const url = (database: string) => `postgresql://packgate@/${database}?host=${encodeURIComponent(dir)}&port=5432`;
  let counter = 0;
  return {
    dir,
    async createDatabase(name = `t_${process.pid}_${++counter}`, { icuLocale }: { icuLocale?: string } = {}) {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      // template1 holds the cluster's C collation; a database of another provider is made from template0.
      const collation = icuLocale ? ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${icuLocale}'` : '';
      try {
        await client.query(`CREATE DATABASE "${name}"${collation}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The folder of PostgreSQL's server binaries (initdb, pg_ctl): PACKGATE_PG_BIN, pg_config's, or Debian's newest. */
export function findServerBin(): string | undefined {
  const candidates = [process.env.PACKGATE_PG_BIN];
  try {
    candidates.push(
      execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
  } catch {
    // No pg_config: look where Debian puts each version.
  }
  const versions = fs.existsSync('/usr/lib/postgresql')
    ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
    : [];
  candidates.push(...versions.map(v => `/usr/lib/postgresql/${v}/bin`));
  return candidates.find(
    dir => dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')),
  );
}

function uidOf(user: string): number | undefined {
  try {
    return Number(execFileSync('id', ['-u', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return undefined;
  }
}

function gidOf(user: string): number | undefined {
  try {
    return Number(execFileSync('id', ['-g', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return undefined;
  }
}
