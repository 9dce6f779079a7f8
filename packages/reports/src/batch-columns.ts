/**
 * How each record kind becomes table columns: check the batch whole (typed-array types, lengths,
 * code ranges, flags), then name a column source per table column, in table order. Nothing is
 * written here; `RunDatabase` appends what this returns, so a refused batch writes nothing.
 */
import {
  ALERT_CODES,
  type AlertBatch,
  CHANNELS,
  type ChargeRow,
  COMMAND_OUTCOMES,
  COMMAND_STATUSES,
  type CommandRecordBatch,
  commandReasonTable,
  FUELS,
  type MeterSnapshot,
  PAYMENT_MODES,
  type PartyRecord,
  SERVICE_REQUESTS,
  SUPPLY_CAUSES,
  SUPPLY_EVENTS,
  type SupplyEventBatch,
  UTRN_STATUSES,
  type UtrnBatch,
  WAN_CLASSES,
} from '@gbfleet/core';
import type { ColumnSource, StepClock } from './db.js';
import { RunBatchError } from './errors.js';
import {
  checkCharge,
  checkCodes,
  checkColumn,
  checkFlags,
  checkLength,
  checkParty,
  checkUtrnTexts,
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

export function alertColumns(run: RunContext, b: AlertBatch): TableBatch {
  const table = 'alerts';
  const n = batchLength(table, b);
  checkColumn(table, 'step', b.step, Uint32Array, n);
  checkColumn(table, 'meter', b.meter, Uint32Array, n);
  checkColumn(table, 'code', b.code, Uint8Array, n);
  checkColumn(table, 'recipient', b.recipient, Uint16Array, n);
  checkColumn(table, 'registeredSupplier', b.registeredSupplier, Uint16Array, n);
  checkColumn(table, 'carriesReads', b.carriesReads, Uint8Array, n);
  checkCodes(table, 'code', b.code, ALERT_CODES, 'ALERT_CODES');
  checkFlags(table, 'carriesReads', b.carriesReads);
  checkColumn(table, 'delivered', b.delivered, Uint8Array, n);
  checkFlags(table, 'delivered', b.delivered);
  return {
    table,
    length: n,
    columns: [
      runIdColumn(run),
      timeColumn(run, b.step),
      { kind: 'number', data: b.meter },
      { kind: 'code', data: b.code },
      { kind: 'number', data: b.recipient },
      { kind: 'number', data: b.registeredSupplier },
      { kind: 'flag', data: b.carriesReads },
      { kind: 'flag', data: b.delivered },
    ],
  };
}

export function commandColumns(run: RunContext, b: CommandRecordBatch): TableBatch {
  const table = 'commands';
  const n = batchLength(table, b);
  checkColumn(table, 'step', b.step, Uint32Array, n);
  checkColumn(table, 'sender', b.sender, Uint16Array, n);
  checkColumn(table, 'meter', b.meter, Uint32Array, n);
  checkColumn(table, 'serviceRequest', b.serviceRequest, Uint8Array, n);
  checkColumn(table, 'messageCode', b.messageCode, Uint16Array, n);
  checkColumn(table, 'channel', b.channel, Uint8Array, n);
  checkColumn(table, 'reason', b.reason, Uint8Array, n);
  checkCodes(
    table,
    'serviceRequest',
    b.serviceRequest,
    SERVICE_REQUESTS.map((r) => r.sr),
    'SERVICE_REQUESTS',
  );
  checkCodes(table, 'channel', b.channel, CHANNELS, 'CHANNELS');
  checkCodes(table, 'reason', b.reason, COMMAND_OUTCOMES, 'COMMAND_OUTCOMES');
  const outcome = new Uint8Array(n);
  for (let i = 0; i < n; i++) outcome[i] = STATUS_OF_REASON[b.reason[i] as number] as number;
  return {
    table,
    length: n,
    columns: [
      runIdColumn(run),
      timeColumn(run, b.step),
      { kind: 'number', data: b.sender },
      { kind: 'number', data: b.meter },
      { kind: 'number', data: b.serviceRequest },
      { kind: 'number', data: b.messageCode },
      { kind: 'code', data: b.channel },
      { kind: 'code', data: outcome },
      { kind: 'code', data: b.reason },
    ],
  };
}

export function supplyEventColumns(run: RunContext, b: SupplyEventBatch): TableBatch {
  const table = 'supply_events';
  const n = batchLength(table, b);
  checkColumn(table, 'step', b.step, Uint32Array, n);
  checkColumn(table, 'meter', b.meter, Uint32Array, n);
  checkColumn(table, 'event', b.event, Uint8Array, n);
  checkColumn(table, 'cause', b.cause, Uint8Array, n);
  checkCodes(table, 'event', b.event, SUPPLY_EVENTS, 'SUPPLY_EVENTS');
  checkCodes(table, 'cause', b.cause, SUPPLY_CAUSES, 'SUPPLY_CAUSES');
  return {
    table,
    length: n,
    columns: [
      runIdColumn(run),
      timeColumn(run, b.step),
      { kind: 'number', data: b.meter },
      { kind: 'code', data: b.event },
      { kind: 'code', data: b.cause },
    ],
  };
}

export function utrnColumns(run: RunContext, b: UtrnBatch): TableBatch {
  const table = 'utrn';
  const n = batchLength(table, b);
  checkColumn(table, 'step', b.step, Uint32Array, n);
  checkColumn(table, 'meter', b.meter, Uint32Array, n);
  checkColumn(table, 'supplier', b.supplier, Uint16Array, n);
  checkColumn(table, 'valuePence', b.valuePence, Uint32Array, n);
  checkColumn(table, 'status', b.status, Uint8Array, n);
  checkUtrnTexts(b.utrn, n);
  checkCodes(table, 'status', b.status, UTRN_STATUSES, 'UTRN_STATUSES');
  return {
    table,
    length: n,
    columns: [
      runIdColumn(run),
      timeColumn(run, b.step),
      { kind: 'number', data: b.meter },
      { kind: 'number', data: b.supplier },
      { kind: 'text', data: b.utrn },
      { kind: 'number', data: b.valuePence },
      { kind: 'code', data: b.status },
    ],
  };
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
