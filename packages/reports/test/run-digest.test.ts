import { join } from 'node:path';
import type { AlertBatch, ChargeRow } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RunDatabase, runDigest } from '../src/index.ts';
import {
  alerts,
  commands,
  meters,
  PARTIES,
  sampleMeta,
  sliceBatch,
  supplyEvents,
  utrns,
  withTempDir,
} from './helpers/run-db.ts';

const ALERTS = alerts(
  Array.from(
    { length: 3000 },
    (_, i) => [i % 40, (i * 7) % 500, i % 7, 1 + (i % 2), 1, i % 2] as [number, number, number, number, number, number],
  ),
);
const COMMANDS = commands(
  Array.from(
    { length: 700 },
    (_, i) =>
      [i % 40, 1 + (i % 2), i % 500, i % 5, 0x40 + (i % 5), i % 2, i % 15] as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ],
  ),
);
const SUPPLY = supplyEvents(
  Array.from({ length: 90 }, (_, i) => [i % 40, i, i % 3, i % 6] as [number, number, number, number]),
);
const UTRN = utrns(
  Array.from(
    { length: 30 },
    (_, i) =>
      [i, i, 2, String(73943333457189043313n + BigInt(i)), 100 * i, i % 5] as [
        number,
        number,
        number,
        string,
        number,
        number,
      ],
  ),
);
const CHARGES: ChargeRow[] = [1, 2].flatMap((party) =>
  ['2024-01-01', '2024-02-01'].map((month) => ({
    party,
    month,
    chargesPence: 1000 * party,
    paidPence: 500,
    coverLodgedPence: 300,
    coverDrawnPence: 0,
    socialisedPence: 0,
  })),
);
const METERS = meters(500);

/** Writes the same content; `split` cuts every batch into pieces appended in reverse order. */
async function write(path: string, split: boolean, runId: string, alertBatch: AlertBatch = ALERTS): Promise<string> {
  const db = await RunDatabase.create(path, sampleMeta({ runId, workers: split ? 2 : 1 }));
  try {
    const pieces = <B extends { length: number }>(b: B): B[] => {
      if (!split) return [b];
      const cuts = [0, Math.floor(b.length / 3), Math.floor(b.length / 2), b.length];
      return cuts
        .slice(1)
        .map((to, k) => sliceBatch(b, cuts[k] as number, to))
        .reverse();
    };
    await db.appendParties(split ? [...PARTIES].reverse() : PARTIES);
    if (split) {
      await db.appendMeters(sliceBatch(METERS, 250, 500), 250);
      await db.appendMeters(sliceBatch(METERS, 0, 250), 0);
    } else {
      await db.appendMeters(METERS);
    }
    for (const b of pieces(alertBatch)) await db.appendAlerts(b);
    for (const b of pieces(COMMANDS)) await db.appendCommands(b);
    for (const b of pieces(SUPPLY)) await db.appendSupplyEvents(b);
    for (const b of pieces(UTRN)) await db.appendUtrn(b);
    await db.appendCharges(split ? [...CHARGES].reverse() : CHARGES);
    await db.finish('completed');
  } finally {
    await db.abandon();
  }
  return runDigest(path);
}

test('equal for the same content in a different batch split, order, run id and worker count', async () => {
  await withTempDir(async (dir) => {
    const one = await write(join(dir, 'one.duckdb'), false, 'run-a');
    const two = await write(join(dir, 'two.duckdb'), true, 'run-b');
    assert.match(one, /^[0-9a-f]{64}$/);
    assert.is(two, one);
  });
});

test('different when one row differs', async () => {
  await withTempDir(async (dir) => {
    const base = await write(join(dir, 'base.duckdb'), false, 'run-a');
    const changed = sliceBatch(ALERTS, 0, ALERTS.length);
    changed.code = Uint8Array.from(ALERTS.code);
    changed.code[1234] = ((changed.code[1234] as number) + 1) % 7;
    const other = await write(join(dir, 'other.duckdb'), false, 'run-a', changed);
    assert.is.not(other, base);
  });
});

test('a missing file is a clear error', async () => {
  await withTempDir(async (dir) => {
    const error = await runDigest(join(dir, 'none.duckdb')).catch((e) => e);
    assert.is(error.code, 'GBF_RUN_DB_MISSING');
  });
});

test.run();
