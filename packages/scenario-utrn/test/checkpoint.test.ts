/**
 * A UTRN run resumed from a checkpoint ends exactly as the run never stopped: the same rows (by
 * digest) and the same figures. The shipped scenario (scenarios/utrn-extreme-weather-2018.yaml)
 * at 3,000 meters, with the two DP092 windows segments.test.ts adds, resumed where its state is
 * busiest: just before the surge begins (WAN restorations scheduled), codes between sittings
 * (their consumers' streams part-drawn) and site visits booked, a low-impact window in force
 * with WAN re-sends pending, a high-impact outage in force, and the last step but one — and once
 * for a segment.
 */
import { MemorySink, runResumedInMemory, runScenario, type ScenarioSpec, type SegmentSpec } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { utrnScenario } from '../src/index.ts';
import type { UtrnRunState } from '../src/utrn-run.ts';
import { shippedUtrnSpec, smallUtrnSpec } from './helpers/utrn-spec.ts';

// Hourly steps: the surge runs over steps 48–95, the low-impact window 70–73, the high-impact 92–95.
const spec = shippedUtrnSpec({
  meters: 3000,
  shardMeters: 512,
  events: [
    { day: 2, hour: 22, type: 'dcc-maintenance', hours: 4, impact: 'low' },
    { day: 3, hour: 20, type: 'dcc-maintenance', hours: 4, impact: 'high' },
  ],
});

/** The whole run, then one resumed at each of `steps`: the same rows and figures. Returns the states resumed from. */
async function resumesExactly(
  s: ScenarioSpec,
  steps: number[],
  segment?: SegmentSpec,
): Promise<Map<number, UtrnRunState>> {
  const plugins = () => [utrnScenario.create(s)];
  const sink = new MemorySink();
  const whole = await runScenario({ spec: s, plugins: plugins(), workers: 1, sink, ...(segment ? { segment } : {}) });
  const states = new Map<number, UtrnRunState>();
  for (const atStep of steps) {
    const resumed = await runResumedInMemory(s, plugins, atStep, 1, segment);
    assert.is(resumed.summary.status, 'completed');
    assert.is(resumed.sink.digest(), sink.digest(), `resumed at step ${atStep}: rows`);
    assert.equal(resumed.summary.figures, whole.figures, `resumed at step ${atStep}: figures`);
    states.set(atStep, resumed.checkpoint.plugins[0]?.state as UtrnRunState);
  }
  return states;
}

const listed = (map: Map<number, unknown[]>) => [...map.values()].reduce((n, list) => n + list.length, 0);

test('the shipped scenario resumes exactly before the surge, between sittings, in both windows and at the end', async () => {
  const states = await resumesExactly(spec, [48, 63, 73, 94, 143]);
  const at = (step: number) => states.get(step) as UtrnRunState;
  assert.ok(listed(at(48).restoration.due) > 0, 'step 48: WAN restorations scheduled');
  assert.is(at(48).tickets.tickets.length, 0, 'step 48: no code issued before the surge');
  assert.ok(listed(at(63).visits.due) > 0, 'step 63: site visits booked');
  assert.ok(
    at(63).tickets.tickets.some((t) => t.draws.length > 2 && t.sittings > 0),
    'step 63: a code between sittings, its stream part-drawn',
  );
  assert.is(at(73).dcc.lowActive, 1, 'step 73: the low-impact window in force');
  assert.ok(listed(at(73).wan.resends) > 0, 'step 73: WAN re-sends pending');
  assert.ok(at(94).tickets.open.length > at(73).tickets.open.length, 'step 94: codes issued while the DCC is down');
});

test('a segment of the shipped scenario resumes exactly, keeping only its own meters', async () => {
  const states = await resumesExactly(spec, [73], { index: 1, count: 3 });
  const state = states.get(73) as UtrnRunState;
  // Segment 1 of 3 over 6 shards of 512: shards 2–3, meters 1024–2047.
  assert.is(state.tally.since.length, 1024);
  assert.ok(state.tickets.tickets.every((t) => t.meter >= 1024 && t.meter < 2048));
});

test('without the section or the events the plug-in keeps nothing, and a run with it resumes', async () => {
  const plain = smallUtrnSpec({ meters: 600, days: 1, events: [] });
  delete plain.plugins.utrn;
  assert.is(utrnScenario.create(plain).checkpoint?.(), undefined);
  await resumesExactly(plain, [12]);
});

test.run();
