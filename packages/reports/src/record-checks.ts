/**
 * Checks on everything handed to the run database, done before a single row is written: a batch
 * whose columns disagree with its `length`, a code outside its table or a flag that is not 0/1 is
 * refused whole, with a message naming the column and the first bad entry. One pass per column,
 * cheap next to the append itself.
 */
import type { ChargeRow, PartyRecord, RunMeta } from '@gbfleet/core';
import { RunBatchError, RunMetaError } from './errors.js';
import { daysOfDate, parseUtc } from './run-clock.js';

export type TypedArrayConstructor =
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | Int32ArrayConstructor
  | Float32ArrayConstructor
  | BigUint64ArrayConstructor;

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return value.constructor?.name ?? 'object';
}

/** A batch's row count: a non-negative safe integer. */
export function checkLength(table: string, length: unknown): number {
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw new RunBatchError(table, `length ${String(length)} is not a non-negative integer`);
  }
  return length;
}

/** A column is the typed array the contract names, with exactly `length` entries. */
export function checkColumn(table: string, name: string, data: unknown, type: TypedArrayConstructor, length: number) {
  if (!(data instanceof type)) {
    throw new RunBatchError(table, `column ${name} must be a ${type.name}, not ${describe(data)}`);
  }
  if (data.length !== length) {
    throw new RunBatchError(table, `column ${name} has ${data.length} entries but the batch length is ${length}`);
  }
}

/** Every entry of a code column indexes `codes` (core's table, e.g. ALERT_CODES). */
export function checkCodes(table: string, name: string, data: Uint8Array, codes: readonly string[], codeTable: string) {
  const limit = codes.length;
  for (let i = 0; i < data.length; i++) {
    if ((data[i] as number) >= limit) {
      throw new RunBatchError(
        table,
        `column ${name}, entry ${i}: code ${data[i]} is not in ${codeTable} (valid codes are 0..${limit - 1})`,
      );
    }
  }
}

/** Every entry of a flag column is 0 or 1. */
export function checkFlags(table: string, name: string, data: Uint8Array) {
  for (let i = 0; i < data.length; i++) {
    if ((data[i] as number) > 1)
      throw new RunBatchError(table, `column ${name}, entry ${i}: flag ${data[i]} is not 0 or 1`);
  }
}

/** UTRNs are decimal text: 20 digits, or 40 or 60 for gbfleet's extended command codes. */
export function checkUtrnTexts(data: unknown, length: number) {
  if (!Array.isArray(data))
    throw new RunBatchError('utrn', `column utrn must be an array of strings, not ${describe(data)}`);
  if (data.length !== length) {
    throw new RunBatchError('utrn', `column utrn has ${data.length} entries but the batch length is ${length}`);
  }
  for (let i = 0; i < length; i++) {
    const text = data[i];
    if (typeof text !== 'string' || !/^[0-9]{20,60}$/.test(text)) {
      throw new RunBatchError(
        'utrn',
        `column utrn, entry ${i}: ${JSON.stringify(text)} is not 20 to 60 decimal digits`,
      );
    }
  }
}

function isStep(value: unknown): boolean {
  return value === null || (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff);
}

function isPartyIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff;
}

export function checkParty(row: PartyRecord, position: number) {
  const where = `party record ${position}`;
  if (row === null || typeof row !== 'object') throw new RunBatchError('parties', `${where} is not an object`);
  if (!isPartyIndex(row.index)) throw new RunBatchError('parties', `${where}: index ${row.index} is not in 0..65535`);
  if (typeof row.eui !== 'bigint' || row.eui < 0n || row.eui > 0xffffffffffffffffn) {
    throw new RunBatchError('parties', `${where}: eui ${String(row.eui)} is not a 64-bit unsigned bigint`);
  }
  for (const key of ['name', 'role'] as const) {
    if (typeof row[key] !== 'string' || row[key] === '') {
      throw new RunBatchError('parties', `${where}: ${key} must be a non-empty string`);
    }
  }
  for (const key of ['revokedAtStep', 'failedAtStep'] as const) {
    if (!isStep(row[key]))
      throw new RunBatchError('parties', `${where}: ${key} ${row[key]} is not null or a step index`);
  }
}

export function checkCharge(row: ChargeRow, position: number) {
  const where = `charge row ${position}`;
  if (row === null || typeof row !== 'object') throw new RunBatchError('charges', `${where} is not an object`);
  if (!isPartyIndex(row.party)) throw new RunBatchError('charges', `${where}: party ${row.party} is not in 0..65535`);
  if (typeof row.month !== 'string' || !row.month.endsWith('-01') || daysOfDate(row.month) === null) {
    throw new RunBatchError(
      'charges',
      `${where}: month ${JSON.stringify(row.month)} is not a first-of-month YYYY-MM-01`,
    );
  }
  for (const key of ['chargesPence', 'paidPence', 'coverLodgedPence', 'coverDrawnPence', 'socialisedPence'] as const) {
    if (!Number.isSafeInteger(row[key]))
      throw new RunBatchError('charges', `${where}: ${key} ${row[key]} is not whole pence`);
  }
}

export function checkRunMeta(meta: RunMeta) {
  if (meta === null || typeof meta !== 'object') throw new RunMetaError('meta is not an object');
  for (const key of ['runId', 'scenarioName', 'seed', 'codeVersion'] as const) {
    if (typeof meta[key] !== 'string' || meta[key] === '') throw new RunMetaError(`${key} must be a non-empty string`);
  }
  if (typeof meta.scenarioHash !== 'string' || !/^[0-9a-f]{64}$/i.test(meta.scenarioHash)) {
    throw new RunMetaError(`scenarioHash ${JSON.stringify(meta.scenarioHash)} is not a SHA-256 hex digest`);
  }
  // Limits are those of the columns that hold them (INTEGER, and meter ids as UINTEGER).
  const counts: Array<[string, unknown, number, number]> = [
    ['workers', meta.workers, 1, 0x7fffffff],
    ['meters', meta.meters, 0, 0x100000000],
    ['stepMinutes', meta.stepMinutes, 1, 0x7fffffff],
    ['steps', meta.steps, 0, 0x7fffffff],
  ];
  for (const [key, value, min, max] of counts) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new RunMetaError(`${key} ${String(value)} is not an integer in ${min}..${max}`);
    }
  }
  if (typeof meta.start !== 'string' || parseUtc(meta.start) === null) {
    throw new RunMetaError(`start ${JSON.stringify(meta.start)} is not an ISO 8601 timestamp (UTC)`);
  }
}
