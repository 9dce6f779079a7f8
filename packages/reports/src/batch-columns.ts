/**
 * How each record kind becomes table columns: check the batch whole (typed-array types, lengths,
 * code ranges, flags), then name a column source per table column, in table order. Nothing is
 * written here; `RunDatabase` appends what this returns, so a refused batch writes nothing.
 */
import {
  ALERT_CODES,
  type AlertBatch,
  ATTACKS,
  CHANNELS,
  type ChargeRow,
  COMMAND_STATUSES,
  type CommandRecordBatch,
  commandReasonTable,
  FUELS,
  type MeterSnapshot,
  PAYMENT_MODES,
  type PartyRecord,
  SUPPLY_CAUSES,
  SUPPLY_EVENTS,
  type SupplyEventBatch,
  UTRN_STATUSES,
  type UtrnBatch,
  WAN_CLASSES,
} from '@gbfleet/core';
import { COMMAND_OUTCOMES, SERVICE_REQUESTS } from '@gbfleet/gbcs';
import type { ColumnSource, StepClock } from './column-fill.js';
import { RunBatchError } from './errors.js';
import {
  checkCharge,
  checkCodes,
  checkColumn,
  checkFlags,
  checkLength,
  checkParty,
  checkUtrnTexts,
  type TypedArrayConstructor,
} from './record-checks.js';
import { daysOfDate } from './run-clock.js';

/** What every row of a run shares: its run_id and its clock. */
export interface RunContext {
  readonly runId: string;
  readonly clock: StepClock;
}

/** A checked batch, ready to append. */
export interface TableBatch {
  table: string;
  length: number;
  columns: ColumnSource[];
}

/** commands.outcome from commands.reason: index into COMMAND_STATUSES per COMMAND_OUTCOMES code. */
const STATUS_OF_REASON = Uint8Array.from(commandReasonTable(), (r) => COMMAND_STATUSES.indexOf(r.outcome));

function batchLength(table: string, batch: unknown): number {
  if (batch === null || typeof batch !== 'object') throw new RunBatchError(table, 'the batch is not an object');
  return checkLength(table, (batch as { length?: unknown }).length);
}

function runIdColumn(run: RunContext): ColumnSource {
  return { kind: 'constant-text', value: run.runId };
}

function timeColumn(run: RunContext, steps: Uint32Array): ColumnSource {
  return { kind: 'step-time', data: steps, clock: run.clock };
}

/**
 * One column of a record batch: the batch field it comes from, the typed array the contract
 * names, and how it is appended; a `code` column is checked against its code table, a `flag`
 * column for 0/1. Checked in two passes (every column's type and length, then the values), so a
 * batch of the wrong shape is named by its first wrong column.
 */
type FieldSpec<B> =
  | {
      field: keyof B & string;
      array: TypedArrayConstructor;
      kind: 'number' | 'code' | 'flag';
      codes?: { values: readonly string[]; table: string };
    }
  | { field: keyof B & string; kind: 'text'; check: (data: unknown, length: number) => void };

/** A batch of records keyed by step: run_id, t (from `step`), then `fields` in table order. */
function stepBatchColumns<B extends { step: Uint32Array }>(
  table: string,
  run: RunContext,
  batch: B,
  fields: ReadonlyArray<FieldSpec<B>>,
): TableBatch {
  const n = batchLength(table, batch);
  checkColumn(table, 'step', batch.step, Uint32Array, n);
  for (const f of fields) {
    if (f.kind === 'text') f.check(batch[f.field], n);
    else checkColumn(table, f.field, batch[f.field], f.array, n);
  }
  for (const f of fields) {
    if (f.kind === 'text') continue;
    const data = batch[f.field] as unknown as Uint8Array;
    if (f.codes) checkCodes(table, f.field, data, f.codes.values, f.codes.table);
    if (f.kind === 'flag') checkFlags(table, f.field, data);
  }
  return {
    table,
    length: n,
    columns: [
      runIdColumn(run),
      timeColumn(run, batch.step),
      ...fields.map(
        (f): ColumnSource =>
          f.kind === 'text'
            ? { kind: 'text', data: batch[f.field] as unknown as ArrayLike<string> }
            : { kind: f.kind, data: batch[f.field] as unknown as ArrayLike<number> },
      ),
    ],
  };
}

/** Parties; a party index given twice within `rows` is refused (repeats across calls: the caller). */
export function partyColumns(run: RunContext, rows: PartyRecord[]): TableBatch {
  if (!Array.isArray(rows)) throw new RunBatchError('parties', 'the rows are not an array');
  rows.forEach(checkParty);
  const seen = new Set<number>();
  for (const row of rows) {
    if (seen.has(row.index)) throw new RunBatchError('parties', `party ${row.index} is given twice`);
    seen.add(row.index);
  }
  return {
    table: 'parties',
    length: rows.length,
    columns: [
      runIdColumn(run),
      { kind: 'number', data: rows.map((r) => r.index) },
      { kind: 'uint64', data: rows.map((r) => r.eui) },
      { kind: 'text', data: rows.map((r) => r.name) },
      { kind: 'text', data: rows.map((r) => r.role) },
      { kind: 'step-time', data: rows.map((r) => r.revokedAtStep), clock: run.clock },
      { kind: 'step-time', data: rows.map((r) => r.failedAtStep), clock: run.clock },
    ],
  };
}

/** The initial fleet; entry `i` becomes `meter_id = firstMeterId + i`. */
export function meterColumns(run: RunContext, snapshot: MeterSnapshot, firstMeterId: number): TableBatch {
  const table = 'meters';
  const n = batchLength(table, snapshot);
  if (!Number.isSafeInteger(firstMeterId) || firstMeterId < 0 || firstMeterId + n > 0x100000000) {
    throw new RunBatchError(table, `first meter id ${firstMeterId} (+ ${n} meters) does not fit meter_id (UINTEGER)`);
  }
  const s = snapshot;
  checkColumn(table, 'eui', s.eui, BigUint64Array, n);
  checkColumn(table, 'fuel', s.fuel, Uint8Array, n);
  checkColumn(table, 'paymentMode', s.paymentMode, Uint8Array, n);
  checkColumn(table, 'supplier', s.supplier, Uint16Array, n);
  checkColumn(table, 'networkOperator', s.networkOperator, Uint16Array, n);
  checkColumn(table, 'wanClass', s.wanClass, Uint8Array, n);
  checkColumn(table, 'vulnerable', s.vulnerable, Uint8Array, n);
  checkColumn(table, 'creditPence', s.creditPence, Int32Array, n);
  checkColumn(table, 'emergencyCreditLimitPence', s.emergencyCreditLimitPence, Int32Array, n);
  checkColumn(table, 'meanKwhPerDay', s.meanKwhPerDay, Float32Array, n);
  checkCodes(table, 'fuel', s.fuel, FUELS, 'FUELS');
  checkCodes(table, 'paymentMode', s.paymentMode, PAYMENT_MODES, 'PAYMENT_MODES');
  checkCodes(table, 'wanClass', s.wanClass, WAN_CLASSES, 'WAN_CLASSES');
  checkFlags(table, 'vulnerable', s.vulnerable);
  const badRate = s.meanKwhPerDay.findIndex((v) => !Number.isFinite(v));
  if (badRate >= 0) throw new RunBatchError(table, `column meanKwhPerDay, entry ${badRate}: not a finite number`);
  return {
    table,
    length: n,
    columns: [
      runIdColumn(run),
      { kind: 'sequence', start: firstMeterId },
      { kind: 'uint64', data: s.eui },
      { kind: 'code', data: s.fuel },
      { kind: 'code', data: s.paymentMode },
      { kind: 'number', data: s.supplier },
      { kind: 'number', data: s.networkOperator },
      { kind: 'code', data: s.wanClass },
      { kind: 'flag', data: s.vulnerable },
      { kind: 'number', data: s.creditPence },
      { kind: 'number', data: s.emergencyCreditLimitPence },
      { kind: 'number', data: s.meanKwhPerDay },
    ],
  };
}

const ALERT_FIELDS: ReadonlyArray<FieldSpec<AlertBatch>> = [
  { field: 'meter', array: Uint32Array, kind: 'number' },
  { field: 'code', array: Uint8Array, kind: 'code', codes: { values: ALERT_CODES, table: 'ALERT_CODES' } },
  { field: 'recipient', array: Uint16Array, kind: 'number' },
  { field: 'registeredSupplier', array: Uint16Array, kind: 'number' },
  { field: 'carriesReads', array: Uint8Array, kind: 'flag' },
  { field: 'delivered', array: Uint8Array, kind: 'flag' },
];

export function alertColumns(run: RunContext, b: AlertBatch): TableBatch {
  return stepBatchColumns('alerts', run, b, ALERT_FIELDS);
}

const COMMAND_FIELDS: ReadonlyArray<FieldSpec<CommandRecordBatch>> = [
  { field: 'sender', array: Uint16Array, kind: 'number' },
  { field: 'meter', array: Uint32Array, kind: 'number' },
  {
    field: 'serviceRequest',
    array: Uint8Array,
    kind: 'number',
    codes: { values: SERVICE_REQUESTS.map((r) => r.sr), table: 'SERVICE_REQUESTS' },
  },
  { field: 'messageCode', array: Uint16Array, kind: 'number' },
  { field: 'channel', array: Uint8Array, kind: 'code', codes: { values: CHANNELS, table: 'CHANNELS' } },
  { field: 'reason', array: Uint8Array, kind: 'code', codes: { values: COMMAND_OUTCOMES, table: 'COMMAND_OUTCOMES' } },
  { field: 'attack', array: Uint8Array, kind: 'code', codes: { values: ATTACKS, table: 'ATTACKS' } },
];

export function commandColumns(run: RunContext, b: CommandRecordBatch): TableBatch {
  const batch = stepBatchColumns('commands', run, b, COMMAND_FIELDS);
  // commands.outcome is derived from the reason and stands just before it in the table.
  const outcome = new Uint8Array(batch.length);
  for (let i = 0; i < batch.length; i++) outcome[i] = STATUS_OF_REASON[b.reason[i] as number] as number;
  batch.columns.splice(batch.columns.length - 2, 0, { kind: 'code', data: outcome });
  return batch;
}

const SUPPLY_EVENT_FIELDS: ReadonlyArray<FieldSpec<SupplyEventBatch>> = [
  { field: 'meter', array: Uint32Array, kind: 'number' },
  { field: 'seq', array: Uint16Array, kind: 'number' },
  { field: 'event', array: Uint8Array, kind: 'code', codes: { values: SUPPLY_EVENTS, table: 'SUPPLY_EVENTS' } },
  { field: 'cause', array: Uint8Array, kind: 'code', codes: { values: SUPPLY_CAUSES, table: 'SUPPLY_CAUSES' } },
];

export function supplyEventColumns(run: RunContext, b: SupplyEventBatch): TableBatch {
  return stepBatchColumns('supply_events', run, b, SUPPLY_EVENT_FIELDS);
}

const UTRN_FIELDS: ReadonlyArray<FieldSpec<UtrnBatch>> = [
  { field: 'meter', array: Uint32Array, kind: 'number' },
  { field: 'supplier', array: Uint16Array, kind: 'number' },
  { field: 'utrn', kind: 'text', check: checkUtrnTexts },
  { field: 'valuePence', array: Uint32Array, kind: 'number' },
  { field: 'status', array: Uint8Array, kind: 'code', codes: { values: UTRN_STATUSES, table: 'UTRN_STATUSES' } },
];

export function utrnColumns(run: RunContext, b: UtrnBatch): TableBatch {
  return stepBatchColumns('utrn', run, b, UTRN_FIELDS);
}

export function chargeColumns(run: RunContext, rows: ChargeRow[]): TableBatch {
  if (!Array.isArray(rows)) throw new RunBatchError('charges', 'the rows are not an array');
  rows.forEach(checkCharge);
  return {
    table: 'charges',
    length: rows.length,
    columns: [
      runIdColumn(run),
      { kind: 'number', data: rows.map((r) => r.party) },
      { kind: 'date', data: rows.map((r) => daysOfDate(r.month) as number) },
      { kind: 'int64', data: rows.map((r) => r.chargesPence) },
      { kind: 'int64', data: rows.map((r) => r.paidPence) },
      { kind: 'int64', data: rows.map((r) => r.coverLodgedPence) },
      { kind: 'int64', data: rows.map((r) => r.coverDrawnPence) },
      { kind: 'int64', data: rows.map((r) => r.socialisedPence) },
    ],
  };
}

/** The service_requests lookup table: core's SERVICE_REQUESTS in index order. */
export function serviceRequestColumns(run: RunContext): TableBatch {
  const rows = SERVICE_REQUESTS;
  return {
    table: 'service_requests',
    length: rows.length,
    columns: [
      runIdColumn(run),
      { kind: 'number', data: rows.map((_, i) => i) },
      { kind: 'text', data: rows.map((r) => r.sr) },
      { kind: 'text', data: rows.map((r) => r.name) },
      { kind: 'number', data: rows.map((r) => r.messageCode) },
      { kind: 'flag', data: rows.map((r) => (r.critical ? 1 : 0)) },
      { kind: 'text', data: rows.map((r) => r.argument) },
    ],
  };
}
