/**
 * Targeted: how fast a run's event batches land in the run database file. Rows are split across
 * the three hot tables (alerts, commands, supply_events) in 65,536-row batches, as a step's
 * batches arrive from the workers; the clock runs from the first append to `finish()` returning
 * (CHECKPOINT, close, rename), so the figure is rows durably in the file. Target: ≥ 1,000,000 rows/s.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertBatch, CommandRecordBatch, SupplyEventBatch } from '@gbfleet/core';
import { RunDatabase } from '@gbfleet/reports';
import type { BenchSizes } from '../configurations.js';
import { type BenchResult, fromSamples, withLimit } from '../result.js';

export const INGEST = 'ingest/duckdb-append-and-finish';
/** Issue 3's target, rows/s. */
export const INGEST_TARGET = 1_000_000;

const BATCH_ROWS = 65_536;

/** Deterministic synthetic batches (no PRNG needed: a multiplicative hash spreads the values). */
function mix(i: number, salt: number): number {
  return Math.imul(i + salt, 0x9e3779b1) >>> 0;
}

function alertBatch(from: number, n: number): AlertBatch {
  const b: AlertBatch = {
    length: n,
    step: new Uint32Array(n),
    meter: new Uint32Array(n),
    code: new Uint8Array(n),
    recipient: new Uint16Array(n),
    registeredSupplier: new Uint16Array(n),
    carriesReads: new Uint8Array(n),
    delivered: new Uint8Array(n).fill(1),
  };
  for (let i = 0; i < n; i++) {
    const h = mix(from + i, 1);
    b.step[i] = (from + i) >>> 16;
    b.meter[i] = h % 5_000_000;
    b.code[i] = h % 7;
    b.recipient[i] = 1 + (h % 40);
    b.registeredSupplier[i] = 1 + ((h >>> 8) % 40);
    b.carriesReads[i] = (h >>> 4) & 1;
  }
  return b;
}

function commandBatch(from: number, n: number): CommandRecordBatch {
  const b: CommandRecordBatch = {
    length: n,
    step: new Uint32Array(n),
    sender: new Uint16Array(n),
    meter: new Uint32Array(n),
    serviceRequest: new Uint8Array(n),
    messageCode: new Uint16Array(n),
    channel: new Uint8Array(n),
    reason: new Uint8Array(n),
    attack: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const h = mix(from + i, 2);
    b.step[i] = (from + i) >>> 16;
    b.sender[i] = 1 + (h % 40);
    b.meter[i] = h % 5_000_000;
    b.serviceRequest[i] = h % 5;
    b.messageCode[i] = 0x0040 + (h % 5);
    b.channel[i] = (h >>> 3) & 1;
    b.reason[i] = h % 15;
  }
  return b;
}

function supplyBatch(from: number, n: number): SupplyEventBatch {
  const b: SupplyEventBatch = {
    length: n,
    step: new Uint32Array(n),
    meter: new Uint32Array(n),
    seq: new Uint16Array(n),
    event: new Uint8Array(n),
    cause: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const h = mix(from + i, 3);
    b.step[i] = (from + i) >>> 16;
    b.meter[i] = h % 5_000_000;
    b.event[i] = h % 3;
    b.cause[i] = (h >>> 5) % 6;
  }
  return b;
}

export async function measureIngest(rows: number): Promise<{ rowsPerSecond: number; rows: number; seconds: number }> {
  if (!Number.isSafeInteger(rows) || rows < 3) throw new RangeError(`rows ${rows} must be an integer ≥ 3`);
  const perTable = Math.floor(rows / 3);
  const appends: Array<(db: RunDatabase) => Promise<void>> = [];
  for (let from = 0; from < perTable; from += BATCH_ROWS) {
    const n = Math.min(BATCH_ROWS, perTable - from);
    const a = alertBatch(from, n);
    const c = commandBatch(from, n);
    const s = supplyBatch(from, n);
    appends.push(
      (db) => db.appendAlerts(a),
      (db) => db.appendCommands(c),
      (db) => db.appendSupplyEvents(s),
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'gbfleet-ingest-'));
  const meta = {
    runId: 'bench-ingest',
    scenarioName: 'bench',
    scenarioHash: '0'.repeat(64),
    seed: 'bench',
    codeVersion: 'bench',
    workers: 1,
    meters: 5_000_000,
    start: '2024-01-01T00:00:00Z',
    stepMinutes: 60,
    steps: Math.ceil(perTable / BATCH_ROWS),
  };
  try {
    // Warm the JIT and DuckDB's file handling outside the timing, on a throwaway database.
    const warm = await RunDatabase.create(join(dir, 'warm.duckdb'), meta);
    try {
      for (let k = 0; k < 4; k++) {
        await warm.appendAlerts(alertBatch(k * 8192, 8192));
        await warm.appendCommands(commandBatch(k * 8192, 8192));
        await warm.appendSupplyEvents(supplyBatch(k * 8192, 8192));
      }
    } finally {
      await warm.abandon();
    }
    const db = await RunDatabase.create(join(dir, 'ingest.duckdb'), meta);
    try {
      const started = process.hrtime.bigint();
      for (const append of appends) await append(db);
      await db.finish('completed');
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const written = perTable * 3;
      return { rowsPerSecond: written / seconds, rows: written, seconds };
    } finally {
      await db.abandon();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `ingestRepeats` separate measurements of `ingestRows` rows each (one fresh database per
 * measurement): the median and the slower-side percentiles of rows/s.
 */
export async function runIngestBench(sizes: BenchSizes, log: (line: string) => void): Promise<BenchResult[]> {
  log(
    `ingest: ${sizes.ingestRows.toLocaleString('en-GB')} rows into a DuckDB run database, ${sizes.ingestRepeats} times`,
  );
  const runs: Array<{ rowsPerSecond: number; seconds: number }> = [];
  for (let i = 0; i < sizes.ingestRepeats; i++) runs.push(await measureIngest(sizes.ingestRows));
  const result = fromSamples(
    INGEST,
    'targeted',
    'rows/s',
    runs.map((r) => r.rowsPerSecond),
    {
      note: `${sizes.ingestRows} rows per measurement, in ${runs.map((r) => r.seconds.toFixed(2)).join(', ')} s; target ≥ 1,000,000 rows/s`,
    },
  );
  return [withLimit(result, INGEST_TARGET, 'target')];
}
