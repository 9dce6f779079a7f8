/**
 * Test helpers: a temporary directory that is always removed, a valid RunMeta, and small batches
 * of every kind built from plain arrays. `withRunDb` abandons the database in `finally`, so no
 * DuckDB handle outlives its test (uvu runs every file in one process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  AlertBatch,
  CommandRecordBatch,
  MeterSnapshot,
  PartyRecord,
  RunMeta,
  SupplyEventBatch,
  UtrnBatch,
} from '@gbfleet/core';
import { RunDatabase } from '../../src/index.ts';

export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-reports-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Creates a run database in a temp dir; abandons it afterwards unless the test finished it. */
export async function withRunDb<T>(work: (db: RunDatabase, path: string) => Promise<T>, meta = sampleMeta()) {
  return withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const db = await RunDatabase.create(path, meta);
    try {
      return await work(db, path);
    } finally {
      await db.abandon();
    }
  });
}

export function sampleMeta(overrides: Partial<RunMeta> = {}): RunMeta {
  return {
    runId: 'run-test-1',
    scenarioName: 'unit',
    scenarioHash: 'ab'.repeat(32),
    seed: 'seed-1',
    codeVersion: '0.1.0-test',
    workers: 1,
    meters: 4,
    start: '2024-01-01T00:00:00Z',
    stepMinutes: 60,
    steps: 48,
    ...overrides,
  };
}

export const PARTIES: PartyRecord[] = [
  { index: 0, eui: 0x90b3d51f30000002n, name: 'DCC', role: 'acb', revokedAtStep: null, failedAtStep: null },
  {
    index: 1,
    eui: 0x90b3d51f30010000n,
    name: "O'Brien Energy, Ltd",
    role: 'supplier',
    revokedAtStep: 30,
    failedAtStep: 24,
  },
  { index: 2, eui: 0x90b3d51f30020000n, name: 'SoLR Power', role: 'supplier', revokedAtStep: null, failedAtStep: null },
];

export function alerts(rows: Array<[number, number, number, number, number, number]>): AlertBatch {
  return {
    length: rows.length,
    step: Uint32Array.from(rows, (r) => r[0]),
    meter: Uint32Array.from(rows, (r) => r[1]),
    code: Uint8Array.from(rows, (r) => r[2]),
    recipient: Uint16Array.from(rows, (r) => r[3]),
    registeredSupplier: Uint16Array.from(rows, (r) => r[4]),
    carriesReads: Uint8Array.from(rows, (r) => r[5]),
    delivered: new Uint8Array(rows.length).fill(1),
  };
}

export function commands(rows: Array<[number, number, number, number, number, number, number]>): CommandRecordBatch {
  return {
    length: rows.length,
    step: Uint32Array.from(rows, (r) => r[0]),
    sender: Uint16Array.from(rows, (r) => r[1]),
    meter: Uint32Array.from(rows, (r) => r[2]),
    serviceRequest: Uint8Array.from(rows, (r) => r[3]),
    messageCode: Uint16Array.from(rows, (r) => r[4]),
    channel: Uint8Array.from(rows, (r) => r[5]),
    reason: Uint8Array.from(rows, (r) => r[6]),
    attack: new Uint8Array(rows.length),
  };
}

/** Rows `[step, meter, event, cause]`; `seq` counts each meter's events within a step, as the engine does. */
export function supplyEvents(rows: Array<[number, number, number, number]>): SupplyEventBatch {
  const seen = new Map<string, number>();
  return {
    length: rows.length,
    step: Uint32Array.from(rows, (r) => r[0]),
    meter: Uint32Array.from(rows, (r) => r[1]),
    seq: Uint16Array.from(rows, (r) => {
      const key = `${r[0]}:${r[1]}`;
      const seq = seen.get(key) ?? 0;
      seen.set(key, seq + 1);
      return seq;
    }),
    event: Uint8Array.from(rows, (r) => r[2]),
    cause: Uint8Array.from(rows, (r) => r[3]),
  };
}

export function utrns(rows: Array<[number, number, number, string, number, number]>): UtrnBatch {
  return {
    length: rows.length,
    step: Uint32Array.from(rows, (r) => r[0]),
    meter: Uint32Array.from(rows, (r) => r[1]),
    supplier: Uint16Array.from(rows, (r) => r[2]),
    utrn: rows.map((r) => r[3]),
    valuePence: Uint32Array.from(rows, (r) => r[4]),
    status: Uint8Array.from(rows, (r) => r[5]),
  };
}

export function meters(n: number): MeterSnapshot {
  return {
    length: n,
    eui: BigUint64Array.from({ length: n }, (_, i) => 0x00db123456789000n + BigInt(i)),
    fuel: Uint8Array.from({ length: n }, (_, i) => i % 2),
    paymentMode: Uint8Array.from({ length: n }, (_, i) => (i + 1) % 2),
    supplier: Uint16Array.from({ length: n }, (_, i) => 1 + (i % 2)),
    networkOperator: Uint16Array.from({ length: n }, () => 0),
    wanClass: Uint8Array.from({ length: n }, (_, i) => i % 3),
    vulnerable: Uint8Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0)),
    creditPence: Int32Array.from({ length: n }, (_, i) => 1000 - i * 700),
    emergencyCreditLimitPence: Int32Array.from({ length: n }, () => 1500),
    meanKwhPerDay: Float32Array.from({ length: n }, (_, i) => 8.1 + i / 10),
  };
}

/** Rows of a batch-free subarray view: the first `k` entries of every column. */
export function sliceBatch<B extends { length: number }>(batch: B, from: number, to: number): B {
  const out: Record<string, unknown> = { length: to - from };
  for (const [key, value] of Object.entries(batch)) {
    if (key === 'length') continue;
    out[key] = Array.isArray(value) ? value.slice(from, to) : (value as unknown as Uint8Array).subarray(from, to);
  }
  return out as B;
}
