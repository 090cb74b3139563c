import fs from 'node:fs';
import { test as base } from '@playwright/test';
import { openStore, type StoreLocation } from '../../src/store/open.ts';
import type { QueueStore, StoreOptions } from '../../src/store/queue-store.ts';
import type { Migration } from '../../src/store/migrations.ts';
import {
  postgresAvailability,
  REQUIRE_POSTGRES_VAR,
  startPostgres,
  type PostgresCluster,
} from '../helpers/postgres.ts';

export const ADAPTERS = ['sqlite', 'postgres'] as const;
export type Adapter = (typeof ADAPTERS)[number];

type OpenOptions = StoreOptions & { migrations?: readonly Migration[] };

type StoreFixtures = {
  adapter: Adapter;
  /**
   * PostgreSQL only: the ICU locale of the test's database's collation (see createDatabase). Default:
   * none, the cluster's C collation.
   */
  icuLocale: string | undefined;
  /** A fresh store location for this test: a SQLite file in its output folder, or a new PostgreSQL database. */
  storeLocation: StoreLocation;
  /** Opens the test's store (again, for a second session); every store opened is closed after the test. */
  openTestStore: (options?: OpenOptions) => Promise<QueueStore>;
};

type WorkerFixtures = {
  /** Started on first use by a PostgreSQL test, once per worker; stopped and deleted with the worker. */
  postgres: { get(): Promise<PostgresCluster> };
};

export const test = base.extend<StoreFixtures, WorkerFixtures>({
  adapter: ['sqlite', { option: true }],
  icuLocale: [undefined, { option: true }],
  postgres: [
    async ({}, use) => {
      let cluster: Promise<PostgresCluster> | undefined;
      await use({ get: () => (cluster ??= startPostgres()) });
      if (cluster) await (await cluster).stop();
    },
    { scope: 'worker' },
  ],
  storeLocation: async ({ adapter, icuLocale, postgres }, use, testInfo) => {
    if (adapter === 'sqlite') {
      const dir = testInfo.outputPath('store');
      fs.mkdirSync(dir, { recursive: true });
      await use({ kind: 'sqlite', path: `${dir}/queue.db` });
      return;
    }
    const availability = postgresAvailability();
    if (!availability.ok && !process.env[REQUIRE_POSTGRES_VAR]) test.skip(true, availability.reason);
    const url = await (await postgres.get()).createDatabase(undefined, { icuLocale });
    await use({ kind: 'postgres', url, display: url, urlEnv: 'PACKGATE_STORE_URL' });
  },
  openTestStore: async ({ storeLocation }, use) => {
    const opened: QueueStore[] = [];
    await use(async options => {
      const store = await openStore(storeLocation, options);
      opened.push(store);
      return store;
    });
    for (const store of opened) await store.close().catch(() => {});
  },
});

export { expect } from '@playwright/test';

/** Declares the same tests once per adapter: the contract both must keep. */
export function forEachAdapter(declare: (adapter: Adapter) => void): void {
  for (const adapter of ADAPTERS)
    test.describe(adapter, () => {
      test.use({ adapter });
      declare(adapter);
    });
}
