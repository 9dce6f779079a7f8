/**
 * The fleet built by the pool's workers, range by range into the shared buffers, is byte for byte
 * the one-thread `buildFleet`, and its as-built meters rows are `snapshotOf`'s: for 1 and 2
 * workers, for ranges that do not divide the fleet, and for a segment's meters only.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { demoPoolOptions } from '../src/demo/signing-demo.js';
import { buildFleetInPool } from '../src/engine/pool-fleet-build.js';
import { segmentRange } from '../src/engine/segment-range.js';
import { buildFleet, type FleetParties } from '../src/fleet/build-fleet.js';
import { snapshotOf } from '../src/fleet/fleet-snapshot.js';
import { allocateFleet, FLEET_COLUMNS, type FleetColumnName, type FleetState } from '../src/fleet/fleet-state.js';
import { withCryptoPool } from '../src/pool/crypto-pool.js';
import { seedKey } from '../src/random/meter-random.js';
import type { MeterSnapshot } from '../src/run/run-records.js';
import { testScenario } from './helpers/test-scenario.js';

const METERS = 2_600;
/** 2,600 = 3 × 700 + 500: the last range is short; so is the last part of the rows (2 ranges a part). */
const RANGE_METERS = 700;
const RANGES_PER_PART = 2;
const PART_METERS = RANGE_METERS * RANGES_PER_PART;
const PARTIES: FleetParties = { suppliers: [1, 2, 3], networkOperators: [4, 5], acb: 0 };

function spec() {
  const s = testScenario({ meters: METERS, seed: 'fleet-build' });
  s.fleet.shardMeters = 500;
  return s;
}

/** The fleet and its meters rows, built for `range` by `workers` workers. */
async function builtInPool(workers: number, range: { lo: number; hi: number }) {
  const s = spec();
  const fleet = allocateFleet(METERS);
  const parts = await withCryptoPool({ ...demoPoolOptions(s.seed, METERS, workers), fleet }, (pool) =>
    buildFleetInPool(pool, s.fleet, s.seed, PARTIES, range, RANGE_METERS, RANGES_PER_PART),
  );
  return { fleet, parts };
}

function assertSameColumns(actual: FleetState, expected: FleetState, label: string): void {
  for (const name of Object.keys(FLEET_COLUMNS) as FleetColumnName[]) {
    const a = Buffer.from(actual.buffers[name]);
    const e = Buffer.from(expected.buffers[name]);
    assert.ok(a.equals(e), `${label}: column ${name} differs`);
  }
}

/** The parts, of PART_METERS each in meter order, hold the rows of `expected`, byte for byte. */
function assertSameRows(parts: MeterSnapshot[], expected: MeterSnapshot, label: string): void {
  const first = expected.firstMeterId ?? 0;
  assert.equal(
    parts.map((p) => [p.firstMeterId, p.length]),
    parts.map((_, i) => [first + i * PART_METERS, Math.min(PART_METERS, expected.length - i * PART_METERS)]),
    `${label}: parts of ${PART_METERS} rows`,
  );
  assert.is(
    parts.reduce((n, p) => n + p.length, 0),
    expected.length,
    `${label}: rows`,
  );
  const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  for (const [field, column] of Object.entries(expected)) {
    if (!ArrayBuffer.isView(column)) continue;
    const joined = Buffer.concat(
      parts.map((p) => bytes((p as unknown as Record<string, ArrayBufferView>)[field] as ArrayBufferView)),
    );
    assert.ok(joined.equals(bytes(column)), `${label}: meters rows' ${field} differ`);
  }
}

/** How the snapshot computes each meter's mean consumption for the scenario `s`. */
const consumptionOf = (s: ReturnType<typeof spec>) => ({ key: seedKey(s.seed), spec: s.fleet.consumption });

for (const workers of [1, 2]) {
  test(`${workers} worker(s): the whole fleet, in ranges that do not divide it, is the one-thread build`, async () => {
    const s = spec();
    const expected = buildFleet(s.fleet, s.seed, PARTIES);
    const { fleet, parts } = await builtInPool(workers, { lo: 0, hi: METERS });
    assertSameColumns(fleet, expected, `${workers} worker(s)`);
    assertSameRows(parts, snapshotOf(expected, consumptionOf(s)), `${workers} worker(s)`);
    assert.ok(
      fleet.columns.registeredSupplier.every((p) => p >= 1 && p <= 3),
      'every meter was built (none left at zero)',
    );
  });
}

test("a segment's meters only, by 2 workers: the one-thread build of that range, the rest left zero", async () => {
  const s = spec();
  const owned = segmentRange(METERS, s.fleet.shardMeters, { index: 1, count: 3 });
  assert.ok(owned.lo > 0 && owned.hi < METERS && (owned.hi - owned.lo) % RANGE_METERS !== 0, 'a middle segment');
  const expected = buildFleet(s.fleet, s.seed, PARTIES, owned);
  const { fleet, parts } = await builtInPool(2, owned);
  assertSameColumns(fleet, expected, 'segment');
  assertSameRows(parts, snapshotOf(expected, consumptionOf(s), owned), 'segment');
  assert.is(fleet.columns.registeredSupplier[owned.lo - 1], 0, 'the meter before the segment is not built');
  assert.is(fleet.columns.registeredSupplier[owned.hi], 0, 'nor the one after it');
});

test('a build task in a pool opened without the fleet fails, naming the task', async () => {
  const s = spec();
  await withCryptoPool(demoPoolOptions(s.seed, METERS, 1), async (pool) => {
    const error = await buildFleetInPool(pool, s.fleet, s.seed, PARTIES, { lo: 0, hi: METERS }).catch((e) => e);
    assert.is(error.code, 'GBF_WORKER_TASK');
    assert.match(error.message, /build-fleet failed in shard 0 at step 0: \[GBF_WORKER_SETUP\] .*fleet/);
  });
});

test.run();
