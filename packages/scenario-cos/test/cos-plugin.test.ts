/**
 * The CoS plug-in in real engine runs (real frames, real workers, memory sink): DP072's calibration
 * to the alert under each DCC alert policy, the same at daily steps, the behaviours around it on a
 * mixed fleet (late, missing and retried SR 6.23, erroneous transfers, E4 for the losing supplier,
 * top-ups the meter refuses), and determinism across worker counts and shard sizes.
 */
import assert from 'node:assert/strict';
import {
  ALERT_CODES,
  MemorySink,
  type RunSummary,
  runScenario,
  type ScenarioPlugin,
  type ScenarioSpec,
} from '@gbfleet/core';
import { OUTCOME_CODE, COMMAND_OUTCOMES as OUTCOME_NAMES, ServiceRequest } from '@gbfleet/gbcs';
import { test } from 'uvu';
import { cosScenario, FIGURE } from '../src/index.ts';
import { calibrationSpec, marketSpec } from './helpers/cos-spec.ts';

const METER_READING = ALERT_CODES.indexOf('METER_READING');

/** Watches what the DCC delivered, independently of the plug-in's own figures. */
function probe() {
  const seen = {
    leakedByMeter: new Map<number, { alerts: number; readings: number }>(),
    firstLeakStep: Number.POSITIVE_INFINITY,
    lastLeakStep: -1,
    readingsToRegistered: 0,
    commands: [] as Array<{ step: number; sender: number; meter: number; kind: number; reason: number }>,
  };
  const plugin: ScenarioPlugin = {
    name: 'probe',
    afterStep(run, records) {
      const a = records.alerts;
      for (let i = 0; i < a.length; i++) {
        if (a.recipient[i] === a.registeredSupplier[i]) {
          if (a.code[i] === METER_READING) seen.readingsToRegistered++;
          continue;
        }
        const m = a.meter[i] as number;
        const entry = seen.leakedByMeter.get(m) ?? { alerts: 0, readings: 0 };
        entry.alerts++;
        entry.readings += a.carriesReads[i] as number;
        seen.leakedByMeter.set(m, entry);
        seen.firstLeakStep = Math.min(seen.firstLeakStep, run.step);
        seen.lastLeakStep = Math.max(seen.lastLeakStep, run.step);
      }
      const c = records.commands;
      for (let i = 0; i < c.length; i++) {
        seen.commands.push({
          step: run.step,
          sender: c.sender[i] as number,
          meter: c.meter[i] as number,
          kind: c.serviceRequest[i] as number,
          reason: c.reason[i] as number,
        });
      }
    },
  };
  return { seen, plugin };
}

async function run(spec: ScenarioSpec, options: { workers?: number } = {}) {
  const sink = new MemorySink();
  const watch = probe();
  const summary = await runScenario({
    spec,
    plugins: [cosScenario.create(spec), watch.plugin],
    workers: options.workers ?? 1,
    sink,
  });
  return { summary, sink, seen: watch.seen };
}

const figure = (s: RunSummary, name: string) => s.figures[name];

test('DP072 calibration, policy none: exactly 244,764 alerts and 81,588 readings reach the losing supplier', async () => {
  const { summary, seen } = await run(calibrationSpec());
  assert.equal(summary.status, 'completed');
  assert.equal(summary.alerts.toNonRegistered, 244_764);
  assert.equal(summary.alerts.readingsToNonRegistered, 81_588);
  assert.equal(figure(summary, FIGURE.alerts), 244_764);
  assert.equal(figure(summary, FIGURE.readings), 81_588);
  assert.equal(figure(summary, `${FIGURE.alerts}, Losing Energy`), 244_764);
  assert.equal(figure(summary, `${FIGURE.readings}, Losing Energy`), 81_588);
  assert.equal(figure(summary, FIGURE.withoutWan), 0);
  assert.equal(figure(summary, `${FIGURE.alerts}, SR 6.23 late (immature-process)`), 244_764);
  // Every meter leaked for 78 days: 234 alerts, 78 of them with a reading (DP072's one meter).
  assert.equal(seen.leakedByMeter.size, 1046);
  for (const [meter, leaked] of seen.leakedByMeter) {
    assert.deepEqual(leaked, { alerts: 234, readings: 78 }, `meter ${meter}`);
  }
  // From the supply start (day 0, 00:00) to the last schedule before SR 6.23 (day 77, 16:00).
  assert.equal(seen.firstLeakStep, 0);
  assert.equal(seen.lastLeakStep, 77 * 24 + 16);
  // Per day: 78 dates of 3,138 alerts and 1,046 readings, then none.
  const days = Object.keys(summary.figures).filter((k) => /^cos: \d{4}-\d\d-\d\d alerts/.test(k));
  assert.equal(days.length, 78);
  assert.equal(days[0], 'cos: 2018-12-03 alerts to the losing supplier');
  assert.equal(days[77], 'cos: 2019-02-18 alerts to the losing supplier');
  for (const day of days) assert.equal(summary.figures[day], 3138, day);
  assert.equal(figure(summary, 'cos: 2019-02-18 readings to the losing supplier'), 1046);
  // The leak ends with SR 6.23; the losing supplier's stray commands get E4.
  assert.equal(figure(summary, FIGURE.sr623Accepted), 1046);
  assert.equal(figure(summary, FIGURE.leaksEndedBySr623), 1046);
  assert.equal(figure(summary, FIGURE.leaking), 0);
  assert.equal(figure(summary, FIGURE.losingSent), 10);
  assert.equal(figure(summary, FIGURE.losingBlocked), 10);
  assert.equal(summary.commands.byReason.DCC_E4_NOT_ELIGIBLE, 10);
  // The DCC's alert load per day, every alert of the fleet: 3,138 on each of the 84 days, so 3,138 on the busiest.
  const load = Object.entries(summary.figures).filter(([k]) => /^cos: \d{4}-\d\d-\d\d DCC alert load /.test(k));
  assert.equal(load.length, 84);
  assert.equal(load[0]?.[0], 'cos: 2018-12-03 DCC alert load (all alerts delivered)');
  assert.equal(Math.max(...load.map(([, n]) => n)), 3138);
  for (const [day, n] of load) assert.equal(n, 3138, day);
  assert.equal(summary.alerts.total, 84 * 3 * 1046, 'nothing but the schedules raises alerts');
});

test('DP072 calibration, policy dcc-schedules: 0 readings leak (163,176 reading-free alerts still do)', async () => {
  const { summary, seen } = await run(calibrationSpec({ alertPolicy: 'dcc-schedules' }));
  assert.equal(summary.alerts.readingsToNonRegistered, 0);
  assert.equal(figure(summary, FIGURE.readings), 0);
  assert.equal(summary.alerts.toNonRegistered, 244_764 - 81_588);
  assert.equal(figure(summary, FIGURE.alerts), 163_176);
  // The readings went to the registered (gaining) supplier instead, from day 0.
  assert.equal(seen.readingsToRegistered, 84 * 1046);
});

test('DP072 calibration, policy filter-non-critical: only critical alerts could leak, and there are none', async () => {
  const { summary, seen } = await run(calibrationSpec({ alertPolicy: 'filter-non-critical' }));
  assert.equal(summary.alerts.toNonRegistered, 0);
  assert.equal(summary.alerts.readingsToNonRegistered, 0);
  assert.equal(summary.alerts.droppedByDcc, 244_764);
  assert.equal(figure(summary, FIGURE.alerts), 0);
  assert.equal(seen.leakedByMeter.size, 0);
});

test('DP072 calibration at daily steps: the same figures (schedules and SR 6.23 keep their timing)', async () => {
  const { summary } = await run(calibrationSpec({ stepMinutes: 1440 }));
  assert.equal(summary.stepsRun, 84);
  assert.equal(summary.alerts.toNonRegistered, 244_764);
  assert.equal(summary.alerts.readingsToNonRegistered, 81_588);
});

test('meter-held schedules send 3 alerts a day (1 with a reading) at every step length', async () => {
  for (const stepMinutes of [15, 30, 60, 120, 360, 1440]) {
    const spec = calibrationSpec({ stepMinutes });
    spec.days = 3;
    const { summary } = await run(spec);
    assert.equal(summary.alerts.toNonRegistered, 3 * 3 * 1046, `${stepMinutes}-minute steps`);
    assert.equal(summary.alerts.readingsToNonRegistered, 3 * 1046, `${stepMinutes}-minute steps`);
  }
});

const MARKET = {
  batches: [
    { day: 0, hour: 0, overDays: 2, from: 'Aurora Energy', to: 'Beacon Power', share: 1 },
    { day: 1, hour: 6, to: 'Cobalt Supply', meters: 300 },
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
};

test('a mixed market: late, missing and retried SR 6.23, returns, E4 and refused top-ups', async () => {
  const spec = marketSpec(MARKET);
  spec.dcc.wan.intermittentLossShare = 0.4; // so that some SR 6.23 are lost, retried, and some given up on
  const { summary, seen } = await run(spec);
  const f = (name: string) => figure(summary, name) ?? Number.NaN;
  const switching = f(FIGURE.metersInBatches);
  assert.ok(switching > 1500 + 300 - 200, `about half the fleet is Aurora's, plus 300: ${switching}`);
  // Exact apportionment per batch.
  const planned = (label: string) => f(`cos: planned SR 6.23 ${label}`);
  assert.equal(
    planned('on time') +
      planned('late (immature-process)') +
      planned('never sent (not-registered)') +
      planned('never sent (erroneous-transfer)'),
    switching,
  );
  assert.equal(f(FIGURE.supplyStarts), switching, 'every start date falls inside the run');
  // Sent = first sends of on-time and late meters + retries; some fail for want of a WAN.
  assert.equal(f(FIGURE.sr623Sent), planned('on time') + planned('late (immature-process)') + f(FIGURE.sr623Retries));
  assert.ok(f(FIGURE.sr623NoWan) > 0, 'no-WAN meters never receive SR 6.23');
  assert.ok(f(FIGURE.sr623Retries) > 0, 'SR 6.23 lost on an intermittent WAN is sent again');
  assert.ok(f(FIGURE.sr623GaveUp) > 0, 'and given up after sr623Retry.max retries');
  const lost = seen.commands.filter(
    (c) => c.kind === ServiceRequest.UpdateSecurityCredentials && c.reason === OUTCOME_CODE.WAN_LOST,
  );
  assert.equal(lost.length, f(FIGURE.sr623Retries) + f(FIGURE.sr623GaveUp));
  assert.ok(f(FIGURE.sr623Accepted) > 0.7 * (planned('on time') + planned('late (immature-process)')));
  // Erroneous transfers return to the losing supplier a day after the start: their leak ends then.
  assert.equal(f(FIGURE.returned), planned('never sent (erroneous-transfer)'));
  // Who still leaks at the end: not-registered meters, and those SR 6.23 could not reach.
  assert.ok(f(FIGURE.leaking) >= planned('never sent (not-registered)'));
  assert.ok(f(FIGURE.leaking) <= planned('never sent (not-registered)') + f(FIGURE.sr623NoWan) + f(FIGURE.sr623GaveUp));
  assert.ok(f(FIGURE.alerts) > 0 && f(FIGURE.readings) > 0);
  assert.ok(f(FIGURE.alerts) <= summary.alerts.toNonRegistered);
  // Per root cause: the outcomes' shares of the leak add up to it.
  const byOutcome = Object.entries(summary.figures).filter(([k]) => k.startsWith(`${FIGURE.alerts}, SR 6.23 `));
  assert.ok(byOutcome.some(([k]) => k.endsWith('never sent (not-registered)')));
  assert.equal(
    byOutcome.reduce((a, [, n]) => a + n, 0),
    f(FIGURE.alerts),
  );
  assert.ok(
    f(FIGURE.withoutWan) > 0,
    'no-WAN prepayment meters still raise alerts, which never reach the losing supplier',
  );
  // The losing supplier's commands after the start date meet E4 (unless the transfer was undone).
  assert.ok(f(FIGURE.losingSent) > 0);
  assert.equal(f(FIGURE.losingSent), f(FIGURE.losingBlocked) + f(FIGURE.losingAccepted) + f(FIGURE.losingOther));
  assert.ok(f(FIGURE.losingBlocked) > 0);
  const e4 = seen.commands.filter(
    (c) => c.kind === ServiceRequest.SetPaymentMode && c.reason === OUTCOME_CODE.DCC_E4_NOT_ELIGIBLE,
  );
  assert.equal(e4.length, f(FIGURE.losingBlocked));
  // Prepayment meters whose cell was not updated refuse the gaining supplier's top-ups.
  assert.ok(f(FIGURE.gainingRefused) > 0, 'a gaining supplier cannot top up a meter that does not trust it');
  const unknownParty = seen.commands.filter((c) => c.reason === OUTCOME_CODE.GBCS_UNKNOWN_PARTY);
  assert.ok(unknownParty.some((c) => c.kind === ServiceRequest.TopUp));
  const refusedByMeters = seen.commands.filter(
    (c) => OUTCOME_NAMES[c.reason]?.startsWith('GBCS_') || c.reason === OUTCOME_CODE.DEVICE_REFUSED,
  );
  assert.ok(f(FIGURE.gainingRefused) <= refusedByMeters.length);
});

test('SR 6.23 on time over a good WAN: nothing leaks, whatever the step length', async () => {
  for (const stepMinutes of [60, 15, 1440]) {
    const spec = marketSpec(
      {
        batches: [{ day: 1, hour: 9, from: 'Aurora Energy', to: 'Beacon Power', share: 1 }],
        meterSchedules: { alertsPerDay: 24, readsPerDay: 24 },
      },
      { days: 3 },
    );
    spec.stepMinutes = stepMinutes;
    spec.fleet.wan = { good: 1, intermittent: 0, none: 0 };
    spec.fleet.paymentMode = { prepayment: 0, credit: 1 };
    const { summary } = await run(spec, { workers: 2 });
    assert.ok(summary.figures[FIGURE.sr623Accepted]! > 1000, `${stepMinutes}: SR 6.23 accepted`);
    assert.equal(summary.figures[FIGURE.sr623Accepted], summary.figures[FIGURE.metersInBatches]);
    assert.equal(summary.alerts.toNonRegistered, 0, `${stepMinutes}-minute steps`);
    assert.equal(summary.figures[FIGURE.leaking], 0);
  }
});

test('a never-sent SR 6.23 leaks until the end of the run; no-WAN meters get no schedule', async () => {
  const spec = marketSpec(
    {
      batches: [{ day: 0, from: 'Aurora Energy', to: 'Cobalt Supply', meters: 200 }],
      sr623: [{ share: 1, send: 'never', reason: 'not-registered' }],
      meterSchedules: { alertsPerDay: 2, readsPerDay: 1 },
    },
    { days: 3 },
  );
  spec.fleet.paymentMode = { prepayment: 0, credit: 1 };
  const { summary, seen } = await run(spec);
  assert.equal(summary.figures[FIGURE.sr623Sent], 0);
  assert.equal(summary.figures[FIGURE.leaking], 200);
  const withWan = seen.leakedByMeter.size;
  assert.ok(withWan > 150 && withWan < 200, `no-WAN meters send nothing: ${withWan} of 200 leak`);
  for (const leaked of seen.leakedByMeter.values()) assert.deepEqual(leaked, { alerts: 6, readings: 3 });
  assert.equal(summary.alerts.toNonRegistered, withWan * 6);
});

for (const seed of ['5', 'cos-17', '90210']) {
  test(`seed ${seed}: 1 worker and 2 workers give identical records and figures`, async () => {
    const spec = marketSpec(MARKET, { meters: 2000, days: 3, seed });
    spec.fleet.shardMeters = 300;
    const a = await run(spec, { workers: 1 });
    const b = await run(spec, { workers: 2 });
    assert.ok(a.summary.figures[FIGURE.alerts]! > 0);
    assert.equal(a.sink.digest(), b.sink.digest());
    assert.deepEqual(a.summary.figures, b.summary.figures);
    assert.deepEqual(a.summary.alerts, b.summary.alerts);
    assert.deepEqual(a.summary.commands, b.summary.commands);
  });
}

test('another seed picks other meters and other delays', async () => {
  const a = await run(marketSpec(MARKET, { meters: 2000, days: 3, seed: '5' }));
  const b = await run(marketSpec(MARKET, { meters: 2000, days: 3, seed: '6' }));
  assert.notEqual(a.sink.digest(), b.sink.digest());
});

test('without a plugins.cos section the package does nothing', async () => {
  const spec = marketSpec(undefined, { meters: 1500, days: 2 });
  delete spec.plugins.cos;
  const plugin = cosScenario.create(spec);
  assert.deepEqual(Object.keys(plugin), ['name', 'checkpoint', 'restore']);
  const withIt = new MemorySink();
  const without = new MemorySink();
  const s1 = await runScenario({ spec, plugins: [plugin], workers: 1, sink: withIt });
  await runScenario({ spec, plugins: [], workers: 1, sink: without });
  assert.equal(withIt.digest(), without.digest());
  assert.deepEqual(s1.figures, {});
});

test('a batch that wants more meters than the losing supplier has stops the run with GBF_COS_PLAN', async () => {
  const spec = marketSpec({ batches: [{ day: 0, from: 'Cobalt Supply', to: 'Aurora Energy', meters: 2900 }] });
  await assert.rejects(
    runScenario({ spec, plugins: [cosScenario.create(spec)], workers: 1, sink: new MemorySink() }),
    (error: Error & { code?: string }) =>
      error.code === 'GBF_COS_PLAN' &&
      /plugins\.cos\.batches\[0\]\.meters: 2900 meters should switch, but the fleet of 3000 has only \d+ meters registered to "Cobalt Supply"/.test(
        error.message,
      ),
  );
});

test('no-WAN switching meters: SR 6.23 is undeliverable and is not retried', async () => {
  const spec = marketSpec({ batches: [{ day: 0, from: 'Aurora Energy', to: 'Beacon Power', share: 1 }] }, { days: 3 });
  spec.fleet.wan = { good: 0, intermittent: 0, none: 1 };
  const { summary, seen } = await run(spec);
  const switching = summary.figures[FIGURE.metersInBatches]!;
  assert.equal(summary.figures[FIGURE.sr623NoWan], switching);
  assert.equal(summary.figures[FIGURE.sr623Sent], switching);
  assert.equal(summary.figures[FIGURE.sr623Retries], 0);
  const sr623 = seen.commands.filter((c) => c.kind === ServiceRequest.UpdateSecurityCredentials);
  assert.ok(sr623.every((c) => c.reason === OUTCOME_CODE.WAN_NOT_DELIVERED && c.sender === 0));
});

test.run();
