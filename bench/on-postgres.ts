import type { StoreLocation } from '../src/store/open.ts';
import { postgresAvailability, startPostgres } from '../test/helpers/postgres.ts';
import { log } from './lib.ts';

type PostgresLocation = Extract<StoreLocation, { kind: 'postgres' }>;

/**
 * Runs a store bench on PostgreSQL, in a database of a cluster started for it and stopped after,
 * when `adapters` asks for it and the machine has PostgreSQL; otherwise says why not and gives nothing.
 */
export async function onPostgres<T>(
  adapters: string[],
  bench: (location: PostgresLocation) => Promise<T>,
): Promise<T | undefined> {
  const availability = postgresAvailability();
  if (!adapters.includes('postgres')) return void log('PostgreSQL not asked for');
  if (!availability.ok) return void log(`PostgreSQL skipped: ${availability.reason}`);
  const cluster = await startPostgres({ durable: true });
  try {
    const url = await cluster.createDatabase('bench');
    return await bench({ kind: 'postgres', url, display: url, urlEnv: 'PACKGATE_STORE_URL' });
  } finally {
    await cluster.stop();
  }
}
