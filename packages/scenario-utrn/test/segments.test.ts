/**
 * The shipped scenario (scenarios/utrn-extreme-weather-2018.yaml) splits exactly: at 3,000 meters
 * in shards of 512 (six shards), the whole run and N = 2, 3, 4 segments give the same rows and,
 * merged, the same figures. The surge plan is the whole fleet's, so each segment must send and
 * count only its own meters' messages; consumers' and engineers' draws must be the meter's own;
 * with a DP092 window of each impact added (the seed's generated windows miss 1–6 March), the
 * maintenance figures, the same in every segment, must be counted once; resolution and restoration
 * times must merge (sums and peaks).
 */
import { MemorySink, runScenario, runSegmentsInMemory } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ARM_FIGURE, armFigure, FIGURE, utrnScenario } from '../src/index.ts';
import { shippedUtrnSpec } from './helpers/utrn-spec.ts';

const spec = shippedUtrnSpec({
  meters: 3000,
  shardMeters: 512,
  events: [
    { day: 2, hour: 22, type: 'dcc-maintenance', hours: 4, impact: 'low' },
    { day: 3, hour: 20, type: 'dcc-maintenance', hours: 4, impact: 'high' },
  ],
});

test('the shipped scenario: the whole run and N = 2, 3, 4 segments give the same rows and figures', async () => {
  const whole = new MemorySink();
  const summary = await runScenario({ spec, plugins: [utrnScenario.create(spec)], workers: 1, sink: whole });
  const f = summary.figures;
  // What couples meters is exercised: a surge over meters in every shard, codes typed, visits
  // booked and made, WAN restored, both maintenance windows in the run.
  assert.is(f[FIGURE.mustGoByUtrn], Math.round(0.09 * (f[FIGURE.surgeMessages] as number)));
  assert.is(f[FIGURE.maintenanceHigh], 1);
  assert.is(f[FIGURE.maintenanceLow], 1);
  assert.ok((f[FIGURE.issuedWhileDown] ?? 0) > 0, 'codes while the DCC was down');
  assert.ok((f[armFigure('top-up-only', ARM_FIGURE.visitsMade)] ?? 0) > 0, 'site visits made');
  assert.ok((f[armFigure('extended', ARM_FIGURE.entryStatus('rejected-typo'))] ?? 0) > 0, 'slips');
  assert.ok((f[FIGURE.incidentsResolved] ?? 0) > 0, 'WAN restored');
  for (const count of [2, 3, 4]) {
    const split = await runSegmentsInMemory(spec, () => [utrnScenario.create(spec)], count);
    assert.is(split.sink.count('meters'), spec.fleet.meters, `${count} segments: every meter once`);
    assert.is(split.sink.digest(), whole.digest(), `${count} segments: rows`);
    assert.equal(split.figures, f, `${count} segments: figures`);
  }
});

test.run();
