/**
 * The fleet's layout holds to its budget (≤ 64 bytes a meter), party indexes fit its one-byte
 * cells (a run refuses a 256th party), and the mean consumption that is no longer stored is
 * what the build drew: the same draw, rounded to float32 as the column was.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  FLEET_BYTES_PER_METER,
  FLEET_COLUMNS,
  GAS_CONSUMPTION_FACTOR,
  MAX_PARTIES,
  meterMeanKwhPerDay,
  PartyTable,
  seedKey,
} from '../src/index.ts';
import { MeterStream, meterRandom } from '../src/random/meter-random.ts';

test('fleet state is at most 64 bytes a meter, and every column is counted', () => {
  assert.ok(FLEET_BYTES_PER_METER <= 64, `${FLEET_BYTES_PER_METER} B`);
  assert.is(FLEET_BYTES_PER_METER, 63);
  assert.not.ok('meanKwhPerDay' in FLEET_COLUMNS, 'computed, not stored');
});

test('party indexes fit a byte: the 256th party is refused with a clear message', () => {
  const parties = new PartyTable('layout');
  for (let i = parties.size; i < MAX_PARTIES; i++) parties.add({ name: `Supplier ${i}`, role: 'supplier' });
  assert.is(parties.size, 255);
  assert.throws(() => parties.add({ name: 'One Too Many', role: 'supplier' }), /at most 255 parties; One Too Many/);
});

test("a meter's mean consumption is the build's draw, rounded to float32", () => {
  const key = seedKey('layout');
  const consumption = { meanKwhPerDay: 8, spread: 0.5 };
  for (const meter of [0, 1, 999_999, 31_999_999]) {
    const u = meterRandom(key, MeterStream.FleetBuild, meter, 6);
    const electricity = Math.fround(8 * (1 + 0.5 * (2 * u - 1)));
    assert.is(meterMeanKwhPerDay(key, consumption, 0, meter), electricity);
    assert.is(
      meterMeanKwhPerDay(key, consumption, 1, meter),
      Math.fround(8 * (1 + 0.5 * (2 * u - 1)) * GAS_CONSUMPTION_FACTOR),
    );
    assert.ok(electricity >= 4 && electricity < 12);
  }
});

test.run();
