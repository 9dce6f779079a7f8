/**
 * The CoS plan, without threads: who switches, when, and what their gaining supplier does about
 * SR 6.23 — exact apportionment, eligibility, spreading over days, delays in whole steps, and the
 * error when a batch wants more meters than exist.
 */
import assert from 'node:assert/strict';
import { buildFleet, type FleetState, randomStream, type ScenarioSpec } from '@gbfleet/core';
import { test } from 'uvu';
import { parseCosConfig } from '../src/cos-config.ts';
import { drawSteps } from '../src/delay-distribution.ts';
import { StepBuckets } from '../src/step-buckets.ts';
import {
  apportion,
  buildSwitchPlan,
  Fate,
  giveMeterSchedules,
  NOT_PLANNED,
  type SwitchPlan,
} from '../src/switch-plan.ts';
import { marketSpec } from './helpers/cos-spec.ts';

const SUPPLIERS = ['Aurora Energy', 'Beacon Power', 'Cobalt Supply'];

function plan(
  section: unknown,
  options: { seed?: string; stepsPerDay?: number } = {},
): { plan: SwitchPlan; fleet: FleetState; spec: ScenarioSpec } {
  const spec = marketSpec(section, { days: 40, ...(options.seed ? { seed: options.seed } : {}) });
  const fleet = buildFleet(spec.fleet, spec.seed, { suppliers: [1, 2, 3], networkOperators: [4, 5], acb: 0 });
  const config = parseCosConfig(spec);
  assert.ok(config);
  const stepsPerDay = options.stepsPerDay ?? 24;
  return {
    spec,
    fleet,
    plan: buildSwitchPlan(config, {
      fleet,
      supplierIndex: (name) => SUPPLIERS.indexOf(name) + 1,
      random: (stream, entity) => randomStream(spec.seed, stream, entity),
      stepAt: (day, hour) => day * stepsPerDay + Math.floor((hour * stepsPerDay) / 24),
      stepsPerDay,
    }),
  };
}

function switching(p: SwitchPlan): number[] {
  const out: number[] = [];
  p.startStep.forEach((s, m) => {
    if (s !== NOT_PLANNED) out.push(m);
  });
  return out;
}

test('apportion: exact whole counts by largest remainder', () => {
  assert.deepEqual(apportion([0.99, 0.005, 0.005], 1000), [990, 5, 5]);
  assert.deepEqual(apportion([1 / 3, 1 / 3, 1 / 3], 10), [4, 3, 3]);
  assert.deepEqual(apportion([0.6, 0.2, 0.1, 0.1], 7), [4, 1, 1, 1]);
  assert.deepEqual(apportion([1], 1046), [1046]);
  assert.deepEqual(apportion([0.5, 0.5], 0), [0, 0]);
  for (let total = 0; total < 200; total += 7) {
    assert.equal(
      apportion([0.25, 0.7, 0.05], total).reduce((a, b) => a + b, 0),
      total,
    );
  }
});

test('a batch takes its meters from the losing supplier, all registered there, with exact outcome counts', () => {
  const { plan: p, fleet } = plan({
    batches: [{ day: 3, hour: 7, from: 'Cobalt Supply', to: 'Aurora Energy', meters: 400 }],
    sr623: [
      { share: 0.9, send: 'on-time' },
      { share: 0.05, send: 'late', reason: 'immature-process', delayDays: 10 },
      { share: 0.05, send: 'never', reason: 'not-registered' },
    ],
  });
  const meters = switching(p);
  assert.equal(meters.length, 400);
  assert.equal(p.switching, 400);
  for (const m of meters) {
    assert.equal(fleet.columns.registeredSupplier[m], 3, 'registered to Cobalt before the start');
    assert.equal(p.losing[m], 3);
    assert.equal(p.gaining[m], 1);
    assert.equal(p.startStep[m], 3 * 24 + 7);
  }
  const fates = meters.map((m) => p.fate[m]);
  assert.equal(fates.filter((f) => f === Fate.OnTime).length, 360);
  assert.equal(fates.filter((f) => f === Fate.Late).length, 20);
  assert.equal(fates.filter((f) => f === Fate.Never).length, 20);
  for (const m of meters) {
    const f = p.fate[m];
    const expected = f === Fate.OnTime ? 3 * 24 + 7 : f === Fate.Late ? 3 * 24 + 7 + 240 : NOT_PLANNED;
    assert.equal(p.sr623Step[m], expected);
    assert.equal(p.reason[m], f === Fate.OnTime ? 0 : f === Fate.Late ? 2 : 1);
  }
  assert.deepEqual([...p.planned].sort(), [
    ['SR 6.23 late (immature-process)', 20],
    ['SR 6.23 never sent (not-registered)', 20],
    ['SR 6.23 on time', 360],
  ]);
});

test('later batches skip meters already taken; share is of the eligible meters; from defaults to anyone but to', () => {
  const { plan: p, fleet } = plan({
    batches: [
      { day: 0, from: 'Aurora Energy', to: 'Beacon Power', share: 0.5 },
      { day: 1, to: 'Beacon Power', share: 1 },
    ],
  });
  const aurora = [...fleet.columns.registeredSupplier].filter((s) => s === 1).length;
  const others = [...fleet.columns.registeredSupplier].filter((s) => s !== 2).length;
  const first = switching(p).filter((m) => p.startStep[m] === 0);
  const second = switching(p).filter((m) => p.startStep[m] === 24);
  assert.equal(first.length, Math.round(aurora / 2));
  assert.equal(second.length, others - first.length, 'every other non-Beacon meter, once');
  assert.ok(second.every((m) => fleet.columns.registeredSupplier[m] !== 2));
});

test('start dates spread evenly over overDays, at the batch hour', () => {
  const { plan: p } = plan({ batches: [{ day: 2, hour: 6, overDays: 10, to: 'Cobalt Supply', meters: 1000 }] });
  const perDay = new Map<number, number>();
  for (const m of switching(p)) {
    const s = p.startStep[m] as number;
    assert.equal(s % 24, 6);
    perDay.set(Math.floor(s / 24), (perDay.get(Math.floor(s / 24)) ?? 0) + 1);
  }
  assert.deepEqual(
    [...perDay].sort((a, b) => a[0] - b[0]),
    Array.from({ length: 10 }, (_, i) => [2 + i, 100]),
  );
});

test('erroneous transfers get a return step; the losing supplier commands its share; schedules go to owned meters with a WAN', () => {
  const { plan: p, fleet } = plan({
    batches: [{ day: 0, from: 'Aurora Energy', to: 'Beacon Power', meters: 1000 }],
    sr623: [{ share: 1, send: 'never', reason: 'erroneous-transfer', returnDays: { min: 1, max: 3 } }],
    losingSupplier: { commandShare: 0.1, delayDays: 2 },
    meterSchedules: { alertsPerDay: 5, readsPerDay: 2 },
  });
  const meters = switching(p);
  const c = fleet.columns;
  const before = { alerts: [...c.scheduleAlertsPerDay], reads: [...c.scheduleReadsPerDay] };
  // The plan writes nothing to the fleet: schedules go to the run's own meters (here 0..1499) only.
  giveMeterSchedules({ alertsPerDay: 5, readsPerDay: 2 }, p, fleet, { lo: 0, hi: 1500 });
  for (const m of meters) {
    const r = p.returnStep[m] as number;
    assert.ok(r >= 24 && r <= 72, `return step ${r}`);
    assert.equal(p.sr623Step[m], NOT_PLANNED);
    const hasWan = c.wanClass[m] !== 2;
    assert.equal(c.scheduleAlertsPerDay[m], m >= 1500 ? before.alerts[m] : hasWan ? 5 : 0);
    assert.equal(c.scheduleReadsPerDay[m], m >= 1500 ? before.reads[m] : hasWan ? 2 : 0);
  }
  const commanded = meters.filter((m) => p.losingCommandStep[m] !== NOT_PLANNED);
  assert.equal(commanded.length, 100);
  assert.ok(commanded.every((m) => p.losingCommandStep[m] === 48));
  // The sample is spread over the batch, not its first meters in any order.
  assert.ok(commanded[0]! < 500 && commanded[99]! > 2000);
});

test('the same seed gives the same plan; another seed another', () => {
  const section = {
    batches: [{ day: 0, overDays: 5, from: 'Beacon Power', to: 'Aurora Energy', share: 0.8 }],
    sr623: [
      { share: 0.7, send: 'on-time' },
      { share: 0.3, send: 'late', reason: 'immature-process', delayDays: { mean: 4 } },
    ],
  };
  const a = plan(section).plan;
  const b = plan(section).plan;
  const c = plan(section, { seed: 'other' }).plan;
  assert.deepEqual(a.startStep, b.startStep);
  assert.deepEqual(a.sr623Step, b.sr623Step);
  assert.notDeepEqual(a.sr623Step, c.sr623Step);
});

test('too many meters for the losing supplier: GBF_COS_PLAN naming the batch and the counts', () => {
  assert.throws(
    () => plan({ batches: [{ day: 0, from: 'Aurora Energy', to: 'Beacon Power', meters: 2999 }] }),
    (error: Error & { code?: string }) =>
      error.code === 'GBF_COS_PLAN' &&
      /^plugins\.cos\.batches\[0\]\.meters: 2999 meters should switch, but the fleet of 3000 has only \d+ meters registered to "Aurora Energy" that are in no earlier batch/.test(
        error.message,
      ),
  );
});

test('delays become whole steps: fixed exactly, uniform within bounds, exponential with its mean', () => {
  const random = randomStream('d', 'delays', 0);
  assert.equal(drawSteps({ kind: 'fixed', days: 78 }, random, 24), 1872);
  assert.equal(drawSteps({ kind: 'fixed', days: 78 }, random, 1), 78);
  assert.equal(drawSteps({ kind: 'fixed', days: 0.5 }, random, 96), 48);
  let sum = 0;
  for (let i = 0; i < 20_000; i++) {
    const u = drawSteps({ kind: 'uniform', min: 1, max: 3 }, random, 24);
    assert.ok(u >= 24 && u <= 72);
    sum += drawSteps({ kind: 'exponential', mean: 10 }, random, 1);
  }
  assert.ok(Math.abs(sum / 20_000 - 10) < 0.5, `mean ${sum / 20_000}`);
});

test('step buckets hold only the meters the run owns', () => {
  const steps = Int32Array.from([3, -1, 0, 3, 7, 2, 0, 99]);
  const buckets = StepBuckets.fromSteps(steps, 8, { lo: 2, hi: 5 });
  assert.deepEqual([...buckets.at(0)], [2]);
  assert.deepEqual([...buckets.at(3)], [3]);
  assert.deepEqual([...buckets.at(7)], [4]);
  assert.equal(buckets.size, 3);
});

test('step buckets: meters by step, ascending, out-of-run steps left out', () => {
  const steps = Int32Array.from([3, -1, 0, 3, 7, 2, 0, 99]);
  const buckets = StepBuckets.fromSteps(steps, 8);
  assert.deepEqual([...buckets.at(0)], [2, 6]);
  assert.deepEqual([...buckets.at(3)], [0, 3]);
  assert.deepEqual([...buckets.at(7)], [4]);
  assert.deepEqual([...buckets.at(1)], []);
  assert.deepEqual([...buckets.at(8)], []);
  assert.deepEqual([...buckets.at(-1)], []);
  assert.equal(buckets.size, 6);
});

test.run();
