import Database from 'better-sqlite3';
import pg from 'pg';
import type { StoreLocation } from '../src/store/open.ts';
import type { SqlValue } from '../src/store/sql.ts';

/** A table's rows by column name: what a bench writes is readable beside the schema it fills. */
export type Rows = Array<Record<string, SqlValue>>;

/**
 * Bulk SQL inserts into a migrated store, one transaction per table: how the benches fill a store
 * with what the views and reports read, quickly, without going through the store's own writes.
 */
export type BulkInsert = {
  insert(table: string, rows: Rows): Promise<void>;
  analyze(): Promise<void>;
  close(): Promise<void>;
};

const BATCH = 500;

export async function bulkInsert(location: StoreLocation): Promise<BulkInsert> {
  return location.kind === 'sqlite' ? sqliteBulk(location.path) : await postgresBulk(location.url);
}

/** The columns of `rows` (the first row's) and their values in that order. */
function columnsOf(rows: Rows): { columns: string[]; values: SqlValue[][] } {
  const columns = Object.keys(rows[0] ?? {});
  return { columns, values: rows.map(row => columns.map(c => row[c])) };
}

function sqliteBulk(file: string): BulkInsert {
  const db = new Database(file);
  return {
    async insert(table, rows) {
      if (!rows.length) return;
      const { columns, values } = columnsOf(rows);
      const statement = (n: number) =>
        db.prepare(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(n)
            .fill(`(${columns.map(() => '?').join(', ')})`)
            .join(', ')}`,
        );
      const full = statement(BATCH);
      db.transaction(() => {
        for (let i = 0; i < values.length; i += BATCH) {
          const batch = values.slice(i, i + BATCH);
          (batch.length === BATCH ? full : statement(batch.length)).run(...batch.flat());
        }
      })();
    },
    async analyze() {
      db.exec('ANALYZE');
    },
    async close() {
      db.close();
    },
  };
}

async function postgresBulk(url: string): Promise<BulkInsert> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async insert(table, rows) {
      if (!rows.length) return;
      const { columns, values } = columnsOf(rows);
      await client.query('BEGIN');
      for (let i = 0; i < values.length; i += BATCH) {
        const batch = values.slice(i, i + BATCH);
        let n = 0;
        const placeholders = batch.map(() => `(${columns.map(() => `$${++n}`).join(', ')})`).join(', ');
        await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders}`, batch.flat());
      }
      await client.query('COMMIT');
    },
    async analyze() {
      await client.query('ANALYZE');
    },
    async close() {
      await client.end();
    },
  };
}
