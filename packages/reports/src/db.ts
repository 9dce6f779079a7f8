/**
 * The module that touches @duckdb/node-api (with column-fill.ts for appends): open a database
 * file, run SQL, append a columnar batch, stream a result, close. DuckDB's types stop here; callers see plain JS values.
 *
 * Appends go through DuckDB data chunks of at most 2,048 rows (DuckDB's vector size) filled column
 * by column straight from typed arrays, never row by row: that is what keeps ingest above a
 * million rows a second. Each append is one transaction, so a batch is either all in or not at all.
 *
 * An instance opened with `lockdown` is for SQL a person typed (`gbfleet query`): see OpenOptions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import {
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBExtractedStatements,
  DuckDBInstance,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
  type DuckDBType,
  type DuckDBValueConverter,
  type JS,
  JSDuckDBValueConverter,
  StatementType,
} from '@duckdb/node-api';
import { gbfleetCodeOf } from '@gbfleet/gbcs';
import { CHUNK_ROWS, type ColumnSource, checkKinds, fillColumn, type StepTimes } from './column-fill.js';
import { QueryError, RunDatabaseError } from './errors.js';
import { sqlIdent, sqlString } from './sql.js';

/** The temporary table a staged append goes through (appendColumns). */
const STAGING_TABLE = 'gbfleet_append_staging';
/** Rows staged at a time: bounds the staging table's memory. */
export const STAGING_ROWS = 1 << 20;
/** Rows appended between two turns of the event loop (about 50 ms of filling). */
const YIELD_ROWS = 64 * CHUNK_ROWS;

/** What a query returns: names, DuckDB type names and rows of plain JS values. */
export interface QueryResult {
  columns: string[];
  types: string[];
  rows: unknown[][];
}

export interface OpenOptions {
  readOnly?: boolean;
  /** DuckDB `memory_limit`, e.g. '512MB'. */
  memoryLimit?: string;
  threads?: number;
  /**
   * Lock the instance down for SQL a person typed: DuckDB reads no file but the database itself
   * and the `readable` files (exact paths), touches no network, loads or installs no extension,
   * and no setting can be changed afterwards (`lock_configuration`), so a query cannot `SET`
   * its way out. Spill files go to a private folder that `close()` removes. All of it is in
   * force before `open` returns, before any caller SQL runs.
   */
  lockdown?: { readable?: readonly string[] };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Plain JS for a query cell; values JS cannot hold (an infinite timestamp) fall back to DuckDB's text. */
const plainConverter: DuckDBValueConverter<JS> = (value, type, converter) => {
  try {
    return JSDuckDBValueConverter(value, type, converter);
  } catch {
    return value === null ? null : String(value);
  }
};

/** How DuckDB's client prefixes a parse error when splitting SQL into statements. */
const EXTRACT_FAILED = 'Failed to extract statements: ';

function resultOf(reader: DuckDBResultReader): QueryResult {
  return {
    columns: reader.columnNames(),
    types: reader.columnTypes().map((t) => t.toString()),
    rows: reader.convertRows(plainConverter),
  };
}

export class Db {
  private closed = false;
  /** TIMESTAMP values per clock and step: a run has few distinct steps, so each is built once. */
  private readonly stepTimes: StepTimes = new WeakMap();
  /** Column names by table, for staged appends (a run database's schema never changes). */
  private readonly tableColumns = new Map<string, string[]>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** A locked-down instance's spill folder, removed on close. */
    private readonly scratch: string | undefined,
  ) {}

  /** Opens (creating unless read-only) a database file. Extensions are never installed or loaded. */
  static async open(path: string, options: OpenOptions = {}): Promise<Db> {
    const lockdown = options.lockdown;
    const scratch = lockdown ? mkdtempSync(join(tmpdir(), 'gbfleet-query-')) : undefined;
    // DuckDB applies the options in this order, and will not move temp_directory once external
    // access is off: the spill folder comes first.
    const config: Record<string, string> = scratch ? { temp_directory: scratch } : {};
    // Nothing can be downloaded here, and a run must not depend on the network.
    config.autoinstall_known_extensions = 'false';
    config.autoload_known_extensions = 'false';
    config.memory_limit = options.memoryLimit ?? '512MB';
    config.threads = String(options.threads ?? 2);
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    const readable = lockdown?.readable ?? [];
    if (lockdown) {
      config.allow_community_extensions = 'false';
      // With readable files, external access can only be shut after allowed_paths is set (below).
      if (readable.length === 0) {
        config.enable_external_access = 'false';
        config.lock_configuration = 'true';
      }
    }
    let instance: DuckDBInstance | undefined;
    let connection: DuckDBConnection | undefined;
    try {
      instance = await DuckDBInstance.create(path, config);
      connection = await instance.connect();
      if (readable.length > 0) {
        // allowed_paths is a list, which DuckDB's config object does not take: it is set here,
        // then external access is shut and the configuration locked, before anyone else's SQL.
        await connection.run(
          `SET allowed_paths = [${readable.map(sqlString).join(', ')}]; SET enable_external_access = false; SET lock_configuration = true`,
        );
      }
      return new Db(instance, connection, scratch);
    } catch (error) {
      connection?.closeSync();
      instance?.closeSync();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      throw new RunDatabaseError(`cannot open ${path}: ${messageOf(error)}`, { cause: error });
    }
  }

  /** Runs statements for their effect; `params` bind `$1`, `$2`, … */
  async run(sql: string, params?: Array<string | number | bigint | boolean | null>): Promise<void> {
    this.assertOpen();
    try {
      await this.connection.run(sql, params);
    } catch (error) {
      throw new RunDatabaseError(`DuckDB refused a statement: ${messageOf(error)}`, { cause: error });
    }
  }

  /** Runs SQL and returns every row as plain JS values. */
  async query(sql: string): Promise<QueryResult> {
    this.assertOpen();
    try {
      return resultOf(await this.connection.runAndReadAll(sql));
    } catch (error) {
      throw new QueryError(sql, messageOf(error), { cause: error });
    }
  }

  /**
   * Runs each statement of `sql` in turn and returns every result, in order. `vet` sees each
   * statement's kind (DuckDB's statement type: 'SELECT', 'COPY', 'EXPLAIN', …) before it runs,
   * and may throw to stop it. Each statement is prepared only once the one before it has run,
   * since it may use a view that one made. More than `most` statements: refused before any runs.
   */
  async queryEach(sql: string, options: { vet?: (kind: string) => void; most?: number } = {}): Promise<QueryResult[]> {
    this.assertOpen();
    let statements: DuckDBExtractedStatements;
    try {
      statements = await this.connection.extractStatements(sql);
    } catch (error) {
      const message = messageOf(error);
      // No statement at all (blanks, comments, semicolons) comes back without DuckDB's prefix.
      if (!message.startsWith(EXTRACT_FAILED)) {
        throw new QueryError(sql, 'there is no SQL statement in it (only blanks, comments or semicolons)');
      }
      throw new QueryError(sql, message.slice(EXTRACT_FAILED.length), { cause: error });
    }
    const { vet, most } = options;
    if (most !== undefined && statements.count > most) {
      throw new QueryError(
        sql,
        `the SQL holds ${statements.count} statements, expected ${most === 1 ? 'one' : `at most ${most}`}`,
      );
    }
    const results: QueryResult[] = [];
    for (let i = 0; i < statements.count; i++) {
      let prepared: DuckDBPreparedStatement;
      try {
        prepared = await statements.prepare(i);
      } catch (error) {
        throw new QueryError(sql, messageOf(error), { cause: error });
      }
      try {
        vet?.(StatementType[prepared.statementType] ?? `statement type ${prepared.statementType}`);
        let reader: DuckDBResultReader;
        try {
          reader = await prepared.runAndReadAll();
        } catch (error) {
          throw new QueryError(sql, messageOf(error), { cause: error });
        }
        results.push(resultOf(reader));
      } finally {
        prepared.destroySync();
      }
    }
    return results;
  }

  /** Streams the first column of a result as text, chunk by chunk, without holding it all. */
  async *streamText(sql: string): AsyncGenerator<string | null> {
    this.assertOpen();
    let result: Awaited<ReturnType<DuckDBConnection['stream']>>;
    try {
      result = await this.connection.stream(sql);
    } catch (error) {
      throw new QueryError(sql, messageOf(error), { cause: error });
    }
    for await (const chunk of result) {
      const vector = chunk.getColumnVector(0);
      for (let i = 0; i < chunk.rowCount; i++) {
        const v = vector.getItem(i);
        yield v === null ? null : String(v);
      }
    }
  }

  /**
   * Appends `length` rows to `table` in one transaction; `columns` lists every column in order.
   * Constant columns (the run_id every row repeats) are never filled value by value from JS: the
   * other columns go through a temporary staging table, at most STAGING_ROWS rows at a time, and
   * DuckDB adds the constants as it copies them into `table`. That copy runs off the JS thread,
   * and a VARCHAR set row by row was most of the cost of a run's largest append (its meters).
   */
  async appendColumns(table: string, columns: readonly ColumnSource[], length: number): Promise<void> {
    this.assertOpen();
    if (length === 0) return;
    await this.run('BEGIN TRANSACTION');
    try {
      const types = await this.columnTypes(table);
      checkKinds(table, types, columns);
      if (columns.some((c) => c.kind === 'constant-text')) await this.appendStaged(table, types, columns, length);
      else await this.appendChunks(table, types, columns, 0, length);
      await this.run('COMMIT');
    } catch (error) {
      // Roll back whatever this batch added; a failed rollback must not hide the first error.
      await this.connection.run('ROLLBACK').catch(() => undefined);
      if (gbfleetCodeOf(error) !== undefined) throw error;
      throw new RunDatabaseError(`cannot append to ${table}: ${messageOf(error)}`, { cause: error });
    }
  }

  /** The column types of `table`, in order, as its appender sees them. */
  private async columnTypes(table: string): Promise<DuckDBType[]> {
    const appender = await this.connection.createAppender(table);
    try {
      const types: DuckDBType[] = [];
      for (let c = 0; c < appender.columnCount; c++) types.push(appender.columnType(c));
      return types;
    } finally {
      appender.closeSync();
    }
  }

  /** Rows [offset, offset + rows) of `columns` into `table` through its appender, chunk by chunk. */
  private async appendChunks(
    table: string,
    types: readonly DuckDBType[],
    columns: readonly ColumnSource[],
    offset: number,
    rows: number,
  ): Promise<void> {
    const appender = await this.connection.createAppender(table);
    try {
      for (let at = offset; at < offset + rows; at += CHUNK_ROWS) {
        // A long append leaves the event loop a turn now and then: the run's steps go on meanwhile.
        if (at > offset && (at - offset) % YIELD_ROWS === 0) await setImmediate();
        const chunkRows = Math.min(CHUNK_ROWS, offset + rows - at);
        const chunk = DuckDBDataChunk.create(types, chunkRows);
        for (let c = 0; c < columns.length; c++) {
          const vector = chunk.getColumnVector(c);
          fillColumn(vector, columns[c] as ColumnSource, at, chunkRows, this.stepTimes);
          vector.flush();
        }
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** The columns but the constants into a staging table, then into `table` with the constants, slice by slice. */
  private async appendStaged(
    table: string,
    types: readonly DuckDBType[],
    columns: readonly ColumnSource[],
    length: number,
  ): Promise<void> {
    const names = await this.columnNames(table);
    const staged = columns.flatMap((c, i) => (c.kind === 'constant-text' ? [] : [i]));
    const stagedNames = staged.map((i) => sqlIdent(names[i] as string)).join(', ');
    const select = columns
      .map((c, i) => (c.kind === 'constant-text' ? sqlString(c.value) : sqlIdent(names[i] as string)))
      .join(', ');
    // Made in this transaction, so a rollback takes it away too.
    await this.run(
      `CREATE OR REPLACE TEMP TABLE ${STAGING_TABLE} AS SELECT ${stagedNames} FROM ${sqlIdent(table)} LIMIT 0`,
    );
    const stagedTypes = staged.map((i) => types[i] as DuckDBType);
    const stagedColumns = staged.map((i) => columns[i] as ColumnSource);
    for (let offset = 0; offset < length; offset += STAGING_ROWS) {
      await this.appendChunks(
        STAGING_TABLE,
        stagedTypes,
        stagedColumns,
        offset,
        Math.min(STAGING_ROWS, length - offset),
      );
      await this.run(`INSERT INTO ${sqlIdent(table)} SELECT ${select} FROM ${STAGING_TABLE}`);
      await this.run(`DELETE FROM ${STAGING_TABLE}`);
    }
    await this.run(`DROP TABLE ${STAGING_TABLE}`);
  }

  /** The column names of `table`, in order (asked once per table). */
  private async columnNames(table: string): Promise<string[]> {
    let names = this.tableColumns.get(table);
    if (!names) {
      const result = await this.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ${sqlString(table)} ORDER BY ordinal_position`,
      );
      names = result.rows.map((r) => String(r[0]));
      this.tableColumns.set(table, names);
    }
    return names;
  }

  /** Closes the connection and the instance; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.connection.closeSync();
    } finally {
      this.instance.closeSync();
      if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new RunDatabaseError('the database connection is closed');
  }
}
