/**
 * Segments add up to the whole run: for the shipped scenarios (DP072's calibration, the at-scale
 * file at a test size) N = 2, 3 and 4 segments of small shards give the whole run's rows, row for
 * row, and its figures once merged; so do 3 segments of a mixed market whose second batch takes
 * "anyone but `to`" (retries, returns, E4, refused top-ups, meters off supply). The plan is fleet-wide (exact counts and shares), so each segment plans from
 * the whole fleet as built; everything else acts on and counts the segment's own meters.
 */
import assert from 'node:assert/strict';
import {
  MemorySink,
  type RunSummary,
  runScenario,
  runSegmentsInMemory,
  type ScenarioPlugin,
  type ScenarioSpec,
} from '@gbfleet/core';
import { test } from 'uvu';
import { cosScenario, FIGURE } from '../src/index.ts';
import { atScaleSpec, calibrationSpec, marketSpec } from './helpers/cos-spec.ts';

/** The whole run, then each count of segments of it: the same rows and the same figures. */
async function wholeAndSegments(
  spec: ScenarioSpec,
  counts: number[],
): Promise<{ whole: RunSummary; parts: RunSummary[][] }> {
  const sink = new MemorySink();
  const whole = await runScenario({ spec, plugins: [cosScenario.create(spec)], workers: 1, sink });
  const parts: RunSummary[][] = [];
  for (const count of counts) {
    const split = await runSegmentsInMemory(spec, () => [cosScenario.create(spec)], count, 1);
    assert.equal(split.sink.count('meters'), spec.fleet.meters, `${count} segments: every meter once`);
    assert.equal(split.sink.digest(), sink.digest(), `${count} segments: the same rows`);
    assert.deepEqual(split.figures, whole.figures, `${count} segments: the same figures`);
    parts.push(split.summaries);
  }
  return { whole, parts };
}

const sum = (parts: RunSummary[], figure: string) => parts.reduce((n, s) => n + (s.figures[figure] ?? 0), 0);

test('DP072 calibration in 5 shards: the segments add up to exactly 244,764 alerts and 81,588 readings', async () => {
  // Daily steps, for time: the calibration's figures are the same (cos-plugin.test.ts).
  const spec = calibrationSpec({ stepMinutes: 1440 });
  spec.fleet.shardMeters = 256;
  const { whole, parts } = await wholeAndSegments(spec, [2, 3, 4]);
  assert.equal(whole.alerts.toNonRegistered, 244_764);
  assert.equal(whole.alerts.readingsToNonRegistered, 81_588);
  assert.equal(whole.figures[FIGURE.alerts], 244_764);
  assert.equal(whole.figures[FIGURE.readings], 81_588);
  assert.equal(whole.figures[FIGURE.losingBlocked], 10);
  for (const summaries of parts) {
    // Each segment counts its own meters only.
    assert.equal(sum(summaries, FIGURE.metersInBatches), 1046);
    assert.ok(summaries.every((s) => (s.figures[FIGURE.metersInBatches] ?? 0) < 1046));
    assert.equal(sum(summaries, FIGURE.losingSent), 10);
  }
});

test('the at-scale file at 1,500 meters in 12 shards: three chained batches, late SR 6.23, retries and E4 split exactly', async () => {
  const spec = atScaleSpec({ meters: 1500, days: 6 });
  spec.fleet.shardMeters = 128;
  const { whole } = await wholeAndSegments(spec, [2, 3, 4]);
  const f = (name: string) => whole.figures[name] ?? 0;
  assert.equal(f(FIGURE.metersInBatches), 1500);
  assert.ok(f(`${FIGURE.alerts}, SR 6.23 late (immature-process)`) > 0);
  assert.ok(f(FIGURE.sr623Retries) > 0);
  assert.ok(f(FIGURE.losingBlocked) > 0);
});

test('a mixed market whose second batch takes "anyone but to": another segment\'s meters are never eligible', async () => {
  const spec = marketSpec(
    {
      batches: [
        { day: 0, hour: 0, overDays: 2, from: 'Aurora Energy', to: 'Beacon Power', share: 0.5 },
        { day: 1, hour: 6, to: 'Cobalt Supply', meters: 480 },
      ],
      sr623: [
        { share: 0.6, send: 'on-time' },
        { share: 0.2, send: 'late', reason: 'immature-process', delayDays: { min: 0.5, max: 2 } },
        { share: 0.1, send: 'never', reason: 'not-registered' },
        { share: 0.1, send: 'never', reason: 'erroneous-transfer', returnDays: 1 },
      ],
      sr623Retry: { afterHours: 6, max: 2 },
      meterSchedules: { alertsPerDay: 4, readsPerDay: 1 },
      losingSupplier: { commandShare: 0.05, delayDays: { mean: 1 } },
    },
    { meters: 1600, days: 3 },
  );
  spec.fleet.shardMeters = 200;
  spec.dcc.wan.intermittentLossShare = 0.4; // so that SR 6.23 is retried, and given up on
  const { whole } = await wholeAndSegments(spec, [3]);
  const f = (name: string) => whole.figures[name] ?? 0;
  for (const figure of [
    FIGURE.sr623Retries,
    FIGURE.sr623GaveUp,
    FIGURE.returned,
    FIGURE.losingBlocked,
    FIGURE.gainingRefused,
    FIGURE.offSupplyAtEnd,
  ]) {
    assert.ok(f(figure) > 0, figure);
  }
});

test('a segment refuses to plan when a plug-in set up before it changed registrations', async () => {
  const spec = marketSpec({ batches: [{ day: 0, to: 'Cobalt Supply', meters: 100 }] }, { meters: 1200, days: 1 });
  spec.fleet.shardMeters = 400;
  // Moves every meter to the first supplier at setup: a segment cannot know the others' moves.
  const mover: ScenarioPlugin = {
    name: 'mover',
    setup(run) {
      for (let m = run.owned.lo; m < run.owned.hi; m++) run.fleet.columns.registeredSupplier[m] = 1;
    },
  };
  await assert.rejects(
    runSegmentsInMemory(spec, () => [mover, cosScenario.create(spec)], 2, 1),
    (error: Error & { code?: string }) =>
      error.code === 'GBF_COS_PLAN' && /a segmented run knows only for a fleet as built/.test(error.message),
  );
});

test.run();
