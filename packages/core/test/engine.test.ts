import assert from 'node:assert/strict';
import { ServiceRequest } from '@gbfleet/gbcs';
import { test } from 'uvu';
import { runScenario } from '../src/engine/run-engine.js';
import type { ScenarioPlugin } from '../src/engine/scenario-plugin.js';
import { PaymentMode, WanClass } from '../src/fleet/fleet-state.js';
import { MemorySink } from '../src/run/memory-sink.ts';
import { testScenario } from './helpers/test-scenario.js';

test('a small run produces commands, alerts and supply events, and the summary matches the records', async () => {
  const sink = new MemorySink();
  const summary = await runScenario({
    spec: { ...testScenario(), fleet: { ...testScenario().fleet, shardMeters: 1000 } },
    workers: 1,
    sink,
  });
  assert.equal(summary.status, 'completed');
  assert.equal(summary.stepsRun, 72);
  assert.equal(summary.shards, 3);
  assert.ok((summary.commands.byReason.ACCEPTED ?? 0) > 100, 'top-ups are accepted by meters');
  assert.ok((summary.alerts.byCode.LOW_CREDIT ?? 0) > 0);
  assert.ok(summary.supply.disabledEvents > 0, 'some consumers run out of credit');
  assert.equal(sink.count('commands'), summary.commands.total);
  assert.equal(sink.count('alerts'), summary.alerts.total);
  assert.equal(
    sink.count('supply'),
    summary.supply.disabledEvents + summary.supply.enabledEvents + (summary.alerts.byCode.SUPPLY_ARMED ?? 0),
  );
  assert.equal(sink.count('meters'), 3000);
});

test('same scenario and seed: identical records for 1 and 2 workers', async () => {
  const spec = testScenario({ meters: 2500, days: 2 });
  spec.fleet.shardMeters = 300;
  const a = new MemorySink();
  const b = new MemorySink();
  await runScenario({ spec, workers: 1, sink: a });
  await runScenario({ spec, workers: 2, sink: b });
  assert.ok(a.count('commands') > 0 && a.count('alerts') > 0);
  assert.equal(a.digest(), b.digest());
  const c = new MemorySink();
  await runScenario({ spec: testScenario({ meters: 2500, days: 2, seed: '8' }), workers: 2, sink: c });
  assert.notEqual(a.digest(), c.digest(), 'another seed gives another run');
});

test('critical commands: E4 for a non-registered sender, replaced credentials, revoked certificates', async () => {
  const spec = testScenario({ meters: 400, days: 1 });
  const seen: Record<string, number[]> = {};
  let good: number[] = [];
  const plugin: ScenarioPlugin = {
    name: 'probe',
    setup(run) {
      // Meters on a good WAN: no delay or loss to blur what the DCC and the meter decide.
      const c = run.fleet.columns;
      for (let m = 0; good.length < 20; m++) if (c.wanClass[m] === WanClass.Good) good.push(m);
      good = good.slice(0, 20);
    },
    beforeStep(run) {
      const c = run.fleet.columns;
      const target = good[0] as number;
      if (run.step === 1) {
        for (const m of good) {
          const registered = c.registeredSupplier[m] as number;
          const other = registered === 1 ? 2 : 1;
          run.send({ sender: registered, meter: m, kind: ServiceRequest.SetPaymentMode, argument: PaymentMode.Credit });
          run.send({ sender: other, meter: m, kind: ServiceRequest.SetPaymentMode, argument: PaymentMode.Credit });
        }
      }
      if (run.step === 2) {
        // The ACB places supplier 3 in meter 0's supplier cell (SR 6.23), registration follows.
        run.send({ sender: 0, meter: target, kind: ServiceRequest.UpdateSecurityCredentials, argument: 3 });
      }
      if (run.step === 3) {
        c.registeredSupplier[target] = 3;
        run.send({ sender: 3, meter: target, kind: ServiceRequest.SetEmergencyCreditLimit, argument: 5000 });
        run.parties.at(3).revokedAtStep = 4;
      }
      if (run.step === 4)
        run.send({ sender: 3, meter: target, kind: ServiceRequest.SetEmergencyCreditLimit, argument: 6000 });
    },
    afterStep(run, records) {
      for (let i = 0; i < records.commands.length; i++) {
        const key = `${run.step}:${records.commands.reason[i]}`;
        seen[key] = [...(seen[key] ?? []), records.commands.meter[i] as number];
      }
    },
  };
  const sink = new MemorySink();
  const summary = await runScenario({ spec: { ...spec, events: [] }, workers: 1, sink, plugins: [plugin] });
  const target = good[0] as number;
  assert.equal(summary.commands.byReason.DCC_E4_NOT_ELIGIBLE, 20);
  assert.deepEqual(seen['1:8'], good, 'E4 for every command from the supplier that is not registered');
  for (const m of good) assert.ok(seen['1:0']?.includes(m), `meter ${m} accepts its registered supplier's command`);
  assert.ok(seen['2:0']?.includes(target), 'SR 6.23 from the ACB is accepted');
  assert.ok(seen['3:0']?.includes(target), 'the new supplier is trusted after SR 6.23');
  assert.ok(seen['4:9']?.includes(target), 'a revoked certificate is refused by the DCC (its top-ups too)');
});

test('a shard task that fails says which shard and step (GBF_WORKER_TASK)', async () => {
  const { allocateFleet } = await import('../src/fleet/fleet-state.js');
  const { CryptoPool } = await import('../src/pool/crypto-pool.js');
  const { demoPoolOptions } = await import('../src/demo/signing-demo.js');
  const fleet = allocateFleet(100);
  const pool = CryptoPool.open({ ...demoPoolOptions('fail', 100, 1), fleet, physics: undefined });
  try {
    const empty = {
      device: new Uint32Array(0),
      sender: new Uint16Array(0),
      counter: new BigUint64Array(0),
      messageCode: new Uint16Array(0),
      critical: new Uint8Array(0),
      payload: { bytes: new Uint8Array(0), offsets: new Uint32Array(1) },
    };
    const task = {
      lo: 0,
      hi: 100,
      hourOfDay: 0,
      hours: 1,
      consumptionMultiplier: 1,
      commands: empty,
      channel: new Uint8Array(0),
    };
    await assert.rejects(pool.stepShard(task, { shard: 3, step: 17 }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'GBF_WORKER_TASK');
      assert.match(error.message, /shard 3 at step 17/);
      assert.match(error.message, /physics/);
      return true;
    });
  } finally {
    await pool.close();
  }
});
test.run();
