/**
 * A columnar batch into DuckDB data chunks: where each column comes from (`ColumnSource`), which
 * DuckDB types each source may fill (checked before anything is written), and one fill loop per
 * source kind, straight from typed arrays, never row by row. Used by db.ts's `appendColumns`.
 */
import {
  DuckDBDateValue,
  type DuckDBEnumType,
  DuckDBTimestampValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBVector,
} from '@duckdb/node-api';
import { RunDatabaseError } from './errors.js';

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

/** Step → TIMESTAMP values made so far, per clock (a run writes the same few steps many times). */
export type StepTimes = WeakMap<StepClock, DuckDBTimestampValue[]>;

// One loop per source kind keeps each `setItem` call site seeing few vector classes (fast).
export function fillColumn(
  vector: DuckDBVector,
  source: ColumnSource,
  offset: number,
  rows: number,
  stepTimes: StepTimes,
): void {
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
      const cache = stepTimesOf(stepTimes, source.clock);
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

function stepTimesOf(stepTimes: StepTimes, clock: StepClock): DuckDBTimestampValue[] {
  let cache = stepTimes.get(clock);
  if (!cache) {
    cache = [];
    stepTimes.set(clock, cache);
  }
  return cache;
}

function fillNumbers(vector: DuckDBVector<number>, data: ArrayLike<number>, offset: number, rows: number): void {
  for (let i = 0; i < rows; i++) vector.setItem(i, data[offset + i] as number);
}

export function checkKinds(table: string, types: readonly DuckDBType[], columns: readonly ColumnSource[]): void {
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
