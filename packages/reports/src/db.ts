/**
 * The one module that touches @duckdb/node-api: open a database file, run SQL, append a columnar
 * batch, stream a result, close. DuckDB's types stop here; callers see plain JS values.
 *
 * Appends go through DuckDB data chunks of at most 2,048 rows (DuckDB's vector size) filled column
 * by column straight from typed arrays, never row by row: that is what keeps ingest above a
 * million rows a second. Each append is one transaction, so a batch is either all in or not at all.
 */
import {
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBDateValue,
  type DuckDBEnumType,
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValueConverter,
  type DuckDBVector,
  type JS,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import { QueryError, RunDatabaseError } from './errors.js';

/** What a query returns: names, DuckDB type names and rows of plain JS values. */
export interface QueryResult {
  columns: string[];
  types: string[];
  rows: unknown[][];
}

/** Maps a step index to a TIMESTAMP: `startMicros + step × stepMicros` (UTC, microseconds). */
export interface StepClock {
  readonly startMicros: bigint;
  readonly stepMicros: bigint;
}

/** Where one column of an appended batch comes from. Row `i` of the batch is element `i`. */
export type ColumnSource =
  | { kind: 'constant-text'; value: string }
  /** `start + i`, for an integer column (meter ids). */
  | { kind: 'sequence'; start: number }
  /** Any integer or float column narrower than 64 bits. */
  | { kind: 'number'; data: ArrayLike<number> }
  /** BIGINT from safe integers. */
  | { kind: 'int64'; data: ArrayLike<number> }
  /** UBIGINT. */
  | { kind: 'uint64'; data: ArrayLike<bigint> }
  /** BOOLEAN from 0/1. */
  | { kind: 'flag'; data: ArrayLike<number> }
  /** ENUM member by index. */
  | { kind: 'code'; data: ArrayLike<number> }
  | { kind: 'text'; data: ArrayLike<string> }
  /** TIMESTAMP from a step index (null → NULL). */
  | { kind: 'step-time'; data: ArrayLike<number | null>; clock: StepClock }
  /** DATE from days since 1970-01-01. */
  | { kind: 'date'; data: ArrayLike<number> };

export interface OpenOptions {
  readOnly?: boolean;
  /** DuckDB `memory_limit`, e.g. '512MB'. */
  memoryLimit?: string;
  threads?: number;
}

/** DuckDB's vector size: the most rows one data chunk holds. */
export const CHUNK_ROWS = 2048;

/** Which DuckDB column types each source kind may fill: a mismatch is a bug, caught before writing. */
const KIND_TYPES: Record<ColumnSource['kind'], readonly DuckDBTypeId[]> = {
  'constant-text': [DuckDBTypeId.VARCHAR],
  sequence: [DuckDBTypeId.UINTEGER, DuckDBTypeId.INTEGER],
  number: [
    DuckDBTypeId.UTINYINT,
    DuckDBTypeId.USMALLINT,
    DuckDBTypeId.UINTEGER,
    DuckDBTypeId.SMALLINT,
    DuckDBTypeId.INTEGER,
    DuckDBTypeId.FLOAT,
    DuckDBTypeId.DOUBLE,
  ],
  int64: [DuckDBTypeId.BIGINT],
  uint64: [DuckDBTypeId.UBIGINT],
  flag: [DuckDBTypeId.BOOLEAN],
  code: [DuckDBTypeId.ENUM],
  text: [DuckDBTypeId.VARCHAR],
  'step-time': [DuckDBTypeId.TIMESTAMP],
  date: [DuckDBTypeId.DATE],
};

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

export class Db {
  private closed = false;
  /** TIMESTAMP values per clock and step: a run has few distinct steps, so each is built once. */
  private readonly stepTimes = new WeakMap<StepClock, DuckDBTimestampValue[]>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens (creating unless read-only) a database file. Extensions are never installed or loaded. */
  static async open(path: string, options: OpenOptions = {}): Promise<Db> {
    const config: Record<string, string> = {
      // Nothing can be downloaded here, and a run must not depend on the network.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      memory_limit: options.memoryLimit ?? '512MB',
      threads: String(options.threads ?? 2),
    };
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    let instance: DuckDBInstance | undefined;
    try {
      instance = await DuckDBInstance.create(path, config);
      return new Db(instance, await instance.connect());
    } catch (error) {
      instance?.closeSync();
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
      const reader = await this.connection.runAndReadAll(sql);
      return {
        columns: reader.columnNames(),
        types: reader.columnTypes().map((t) => t.toString()),
        rows: reader.convertRows(plainConverter),
      };
    } catch (error) {
      throw new QueryError(sql, messageOf(error), { cause: error });
    }
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

  /** Appends `length` rows to `table` in one transaction; `columns` lists every column in order. */
  async appendColumns(table: string, columns: readonly ColumnSource[], length: number): Promise<void> {
    this.assertOpen();
    if (length === 0) return;
    await this.run('BEGIN TRANSACTION');
    try {
      const appender = await this.connection.createAppender(table);
      try {
        const types: DuckDBType[] = [];
        for (let c = 0; c < appender.columnCount; c++) types.push(appender.columnType(c));
        checkKinds(table, types, columns);
        for (let offset = 0; offset < length; offset += CHUNK_ROWS) {
          const rows = Math.min(CHUNK_ROWS, length - offset);
          const chunk = DuckDBDataChunk.create(types, rows);
          for (let c = 0; c < columns.length; c++) {
            const vector = chunk.getColumnVector(c);
            this.fill(vector, columns[c] as ColumnSource, offset, rows);
            vector.flush();
          }
          appender.appendDataChunk(chunk);
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      await this.run('COMMIT');
    } catch (error) {
      // Roll back whatever this batch added; a failed rollback must not hide the first error.
      await this.connection.run('ROLLBACK').catch(() => undefined);
      if (error instanceof RunDatabaseError) throw error;
      throw new RunDatabaseError(`cannot append to ${table}: ${messageOf(error)}`, { cause: error });
    }
  }

  /** Closes the connection and the instance; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.connection.closeSync();
    } finally {
      this.instance.closeSync();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new RunDatabaseError('the database connection is closed');
  }

  // One loop per source kind keeps each `setItem` call site seeing few vector classes (fast).
  private fill(vector: DuckDBVector, source: ColumnSource, offset: number, rows: number): void {
    switch (source.kind) {
      case 'constant-text':
        for (let i = 0; i < rows; i++) vector.setItem(i, source.value);
        return;
      case 'sequence':
        for (let i = 0; i < rows; i++) vector.setItem(i, source.start + offset + i);
        return;
      case 'number':
        fillNumbers(vector as DuckDBVector<number>, source.data, offset, rows);
        return;
      case 'int64':
        for (let i = 0; i < rows; i++) vector.setItem(i, BigInt(source.data[offset + i] as number));
        return;
      case 'uint64':
        for (let i = 0; i < rows; i++) vector.setItem(i, source.data[offset + i] as bigint);
        return;
      case 'flag':
        for (let i = 0; i < rows; i++) vector.setItem(i, source.data[offset + i] !== 0);
        return;
      case 'code': {
        const members = (vector.type as DuckDBEnumType).values;
        for (let i = 0; i < rows; i++) {
          const member = members[source.data[offset + i] as number];
          if (member === undefined) throw new RunDatabaseError(`code ${source.data[offset + i]} is not in the ENUM`);
          vector.setItem(i, member);
        }
        return;
      }
      case 'text':
        for (let i = 0; i < rows; i++) vector.setItem(i, source.data[offset + i] as string);
        return;
      case 'step-time': {
        const cache = this.stepTimesOf(source.clock);
        const { startMicros, stepMicros } = source.clock;
        for (let i = 0; i < rows; i++) {
          const step = source.data[offset + i];
          if (step === null || step === undefined) {
            vector.setItem(i, null);
            continue;
          }
          let value = cache[step];
          if (value === undefined) {
            value = new DuckDBTimestampValue(startMicros + BigInt(step) * stepMicros);
            cache[step] = value;
          }
          vector.setItem(i, value);
        }
        return;
      }
      case 'date':
        for (let i = 0; i < rows; i++) vector.setItem(i, new DuckDBDateValue(source.data[offset + i] as number));
        return;
    }
  }

  private stepTimesOf(clock: StepClock): DuckDBTimestampValue[] {
    let cache = this.stepTimes.get(clock);
    if (!cache) {
      cache = [];
      this.stepTimes.set(clock, cache);
    }
    return cache;
  }
}

function fillNumbers(vector: DuckDBVector<number>, data: ArrayLike<number>, offset: number, rows: number): void {
  for (let i = 0; i < rows; i++) vector.setItem(i, data[offset + i] as number);
}

function checkKinds(table: string, types: readonly DuckDBType[], columns: readonly ColumnSource[]): void {
  if (types.length !== columns.length) {
    throw new RunDatabaseError(`${table} has ${types.length} columns but the batch gives ${columns.length}`);
  }
  for (let c = 0; c < columns.length; c++) {
    const kind = (columns[c] as ColumnSource).kind;
    const type = types[c] as DuckDBType;
    if (!KIND_TYPES[kind].includes(type.typeId)) {
      throw new RunDatabaseError(
        `${table} column ${c + 1} is ${type.toString()}, which a '${kind}' source cannot fill`,
      );
    }
  }
}
