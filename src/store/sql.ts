/** What the queue store needs of a SQL database; the SQLite and PostgreSQL adapters implement it. */
export type SqlValue = string | number | null | Buffer;
export type SqlRow = Record<string, unknown>;

export type Dialect = 'sqlite' | 'postgres';

export interface SqlExecutor {
  /** Statements use `?` placeholders; the PostgreSQL adapter numbers them. */
  all<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface SqlTransaction extends SqlExecutor {
  /**
   * Serializes this transaction with every other that takes the same named lock, until it ends.
   * SQLite's writers already take the whole database (BEGIN IMMEDIATE), so there it costs nothing.
   */
  lock(name: string): Promise<void>;
  /** `FOR UPDATE` where the dialect has it: a read that locks the rows it returns. */
  readonly forUpdate: string;
}

export interface SqlDatabase extends SqlExecutor {
  readonly dialect: Dialect;
  /**
   * Runs `fn` in one transaction: all of it is written, or (on a throw, or a kill -9 mid-way)
   * none of it. Retries nothing: a conflict surfaces as the error the caller maps.
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  isUniqueViolation(error: unknown): boolean;
  close(): Promise<void>;
}

/**
 * A lone UTF-16 surrogate, which has no UTF-8: PostgreSQL reads back one U+FFFD for it, SQLite three.
 * (NUL, the other text neither keeps as given, PostgreSQL refuses in text: "invalid byte sequence for
 * encoding UTF8: 0x00".)
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Statement parameters as both adapters bind them: what text cannot be kept as given (NUL, a lone
 * surrogate) as U+FFFD, so a failing test's message with a NUL in it is recorded, and read back the
 * same, from either database, where PostgreSQL refused the whole gate run.
 */
export function storableParams(params: readonly SqlValue[]): SqlValue[] {
  return params.map(value =>
    typeof value === 'string' ? value.replaceAll('\0', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD') : value,
  );
}

/**
 * A value as the JSON text a column keeps, its strings' lone surrogates as U+FFFD, as storableParams
 * binds text: JSON writes half a pair as the escape `\ud83d`, which PostgreSQL's jsonb refuses
 * ("Unicode low surrogate must follow a high surrogate"), failing every read of the column as JSON.
 */
export function storableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(LONE_SURROGATE, '\uFFFD') : v));
}

/** `?` placeholders as PostgreSQL's `$1, $2, ...`. The store's SQL never has a literal `?`. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * `expression` as ORDER BY should compare text: byte by byte, SQLite's way (its BINARY collation).
 * PostgreSQL compares by the database's collation, set when its server or database was created; a
 * locale's (en_US, ICU's root) puts case and punctuation second, ICU's root sorting `a_b, a-b, aB, Z`
 * where bytes give `Z, a-b, aB, a_b`: a list would change order with the server it is read from.
 * PostgreSQL's "C" collation compares bytes.
 */
export function byteOrder(dialect: Dialect, expression: string): string {
  return dialect === 'postgres' ? `${expression} COLLATE "C"` : expression;
}

/** ` LIMIT n` when a limit was given, else nothing. */
export function limit(count: number | undefined): string {
  return count ? ` LIMIT ${Math.floor(count)}` : '';
}

/** A WHERE clause built from optional filters, with its parameters in order. */
export class Where {
  private readonly clauses: string[] = [];
  readonly params: SqlValue[] = [];

  constructor(...always: string[]) {
    this.clauses.push(...always);
  }

  /** Adds `clause` (with its `?` parameters) when `condition` holds: a filter that was given. */
  when(condition: unknown, clause: string, ...params: SqlValue[]): this {
    if (!condition) return this;
    this.clauses.push(clause);
    this.params.push(...params);
    return this;
  }

  toString(): string {
    return this.clauses.length ? ` WHERE ${this.clauses.join(' AND ')}` : '';
  }
}
