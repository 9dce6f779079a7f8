/**
 * A CoS run resumed from a checkpoint ends exactly as the run never stopped: the same rows (by
 * digest) and the same figures, for both shipped scenarios read as segments.test.ts reads them
 * (DP072's calibration at daily steps, the at-scale file at 1,500 meters), resumed at steps that
 * cut through SR 6.23 in flight and retries pending, stray commands from the losing supplier,
 * the late SR 6.23 of the calibration and the last step but one — and once for a segment.
 */
import assert from 'node:assert/strict';
import { MemorySink, runResumedInMemory, runScenario, type ScenarioSpec, type SegmentSpec } from '@gbfleet/core';
import { test } from 'uvu';
import type { CosRunState } from '../src/cos-run.ts';
import { cosScenario } from '../src/index.ts';
import { atScaleSpec, calibrationSpec } from './helpers/cos-spec.ts';

/** The plug-in state each resumed run went on from, by step, for checks that a step is the moment it is meant to be. */
type Resumed = Map<number, CosRunState>;

/** The whole run, then one resumed at each of `steps`: the same rows and the same figures. */
async function resumesExactly(spec: ScenarioSpec, steps: number[], segment?: SegmentSpec): Promise<Resumed> {
  const plugins = () => [cosScenario.create(spec)];
  const sink = new MemorySink();
  const whole = await runScenario({ spec, plugins: plugins(), workers: 1, sink, ...(segment ? { segment } : {}) });
  const states: Resumed = new Map();
  for (const atStep of steps) {
    const resumed = await runResumedInMemory(spec, plugins, atStep, 1, segment);
    assert.equal(resumed.summary.status, 'completed');
    assert.equal(resumed.sink.digest(), sink.digest(), `resumed at step ${atStep}: rows`);
    assert.deepEqual(resumed.summary.figures, whole.figures, `resumed at step ${atStep}: figures`);
    states.set(atStep, resumed.checkpoint.plugins[0]?.state as CosRunState);
  }
  return states;
}

const count = (a: Uint8Array, value: number) => a.reduce((n, x) => n + (x === value ? 1 : 0), 0);

test("DP072 calibration: resumed before, during and after the losing supplier's commands, at the late SR 6.23 and at the end", async () => {
  // Daily steps: supply starts at step 0, stray commands over steps 0–14, SR 6.23 at step 78.
  const spec = calibrationSpec({ stepMinutes: 1440 });
  spec.fleet.shardMeters = 256;
  const states = await resumesExactly(spec, [1, 7, 78, 79, 83]);
  const before = states.get(78) as CosRunState;
  assert.equal(count(before.leaking, 1), 1046, 'every meter still leaks before the late SR 6.23');
  assert.equal(count(before.sr623.state, 0), 1046, 'no SR 6.23 sent before step 78');
  const after = states.get(79) as CosRunState;
  assert.ok(count(after.leaking, 1) < 1046, 'SR 6.23 has ended leaks');
});

/** Hourly steps; each day's supply starts at hour 0, so SR 6.23 is in flight (delayed by the WAN) or retried from then. */
function atScale(): ScenarioSpec {
  const spec = atScaleSpec({ meters: 1500, days: 4 });
  spec.fleet.shardMeters = 128;
  return spec;
}

test('the at-scale file at 1,500 meters: resumed with SR 6.23 in flight, a retry pending and just before it falls due', async () => {
  const states = await resumesExactly(atScale(), [1, 26, 60, 72, 95]);
  const inFlight = (step: number) => count((states.get(step) as CosRunState).sr623.state, 1);
  assert.ok(inFlight(26) > 0, 'step 26: SR 6.23 in flight');
  assert.ok(inFlight(60) > 0, 'step 60: SR 6.23 in flight');
  assert.deepEqual([...(states.get(60) as CosRunState).sr623.retries.keys()], [72], 'step 60: a retry due at step 72');
});

test('a segment of the at-scale file resumes exactly, keeping only its own meters', async () => {
  const states = await resumesExactly(atScale(), [60], { index: 1, count: 3 });
  const state = states.get(60) as CosRunState;
  // Segment 1 of 3 over 12 shards of 128: shards 4–7, meters 512–1023.
  assert.equal(state.leaking.length, 512);
  assert.equal(state.plan.perMeter.startStep.length, 512);
});

test('without a plugins.cos section the plug-in has nothing to keep, and a run with it resumes', async () => {
  const spec = calibrationSpec({ stepMinutes: 1440 });
  spec.plugins = {};
  spec.days = 3;
  const plugin = cosScenario.create(spec);
  assert.equal(plugin.checkpoint?.(), undefined);
  const sink = new MemorySink();
  await runScenario({ spec, plugins: [plugin], workers: 1, sink });
  const resumed = await runResumedInMemory(spec, () => [cosScenario.create(spec)], 1);
  assert.equal(resumed.sink.digest(), sink.digest());
});

test.run();
