/**
 * Segments add up to the run: for N = 2, 3 and 4 the segments' rows, with the charges computed
 * from their inputs, are the whole run's, row for row. The scenario has ADT thresholds that bind
 * and an outage, so quarantine, release and holds all cross shard boundaries if they can.
 */
import { ServiceRequest } from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../src/engine/run-engine.js';
import type { ScenarioPlugin } from '../src/engine/scenario-plugin.js';
import { segmentRange } from '../src/engine/segment-range.js';
import { runSegmentsInMemory } from '../src/engine/segments-in-memory.js';
import { ShardQuota, shardsOf } from '../src/engine/shard-quota.js';
import { PaymentMode } from '../src/fleet/fleet-state.js';
import { MemorySink } from '../src/run/memory-sink.js';
import { testScenario } from './helpers/test-scenario.js';

function segmentedSpec() {
  const spec = testScenario({ meters: 2600, days: 3 });
  spec.fleet.shardMeters = 500;
  spec.dcc.adt.thresholdPerParty = 60;
  spec.dcc.adt.periodHours = 24;
  spec.dcc.adt.releaseAfterHours = 6;
  return spec;
}

/** Every 3 hours, a supplier raises the emergency-credit limit of a seventh of its prepayment meters: critical commands, counted by ADT. */
function creditRaiser(): ScenarioPlugin {
  return {
    name: 'credit-raiser',
    beforeStep(run) {
      if (run.step % 3 !== 0) return;
      const c = run.fleet.columns;
      for (let m = run.owned.lo; m < run.owned.hi; m++) {
        if (c.paymentMode[m] !== PaymentMode.Prepayment || (m + run.step) % 7 !== 0) continue;
        run.send({
          sender: c.registeredSupplier[m] as number,
          meter: m,
          kind: ServiceRequest.SetEmergencyCreditLimit,
          argument: 500 + run.step,
        });
      }
    },
  };
}

test('the whole run and N = 2, 3, 4 segments give the same rows, charges included', async () => {
  const spec = segmentedSpec();
  const whole = new MemorySink();
  const summary = await runScenario({ spec, plugins: [creditRaiser()], workers: 1, sink: whole });
  assert.ok((summary.commands.byReason.DCC_QUARANTINED ?? 0) > 0, 'ADT bound in this scenario');
  assert.ok(whole.count('charges') > 0);
  for (const count of [2, 3, 4]) {
    const split = await runSegmentsInMemory(spec, () => [creditRaiser()], count, count % 2 === 0 ? 2 : 1);
    assert.equal(split.sink.count('meters'), spec.fleet.meters, `${count} segments: every meter once`);
    assert.equal(split.sink.digest(), whole.digest(), `${count} segments`);
    const commands = split.summaries.reduce((n, s) => n + s.commands.total, 0);
    assert.equal(commands, summary.commands.total, `${count} segments: commands`);
  }
});

test('segments are whole shards, as even as they go, covering every meter once', () => {
  assert.equal(segmentRange(2600, 500), { lo: 0, hi: 2600, firstShard: 0, shards: 6 });
  const parts = [0, 1, 2, 3].map((index) => segmentRange(2600, 500, { index, count: 4 }));
  assert.equal(
    parts.map((p) => [p.lo, p.hi]),
    [
      [0, 500],
      [500, 1500],
      [1500, 2000],
      [2000, 2600],
    ],
  );
});

test('a shared rate gives each shard its share of the fleet, adding up to the whole rate', () => {
  // 2,600 meters in shards of 500: five of 500 and one of 100; 7.5 commands a step.
  const quota = new ShardQuota(7.5, 2600, 500);
  const steps = 40;
  let total = 0;
  for (let shard = 0; shard < 6; shard++) {
    let own = 0;
    for (let k = 0; k < steps; k++) own += quota.at(shard, k);
    assert.equal(own, Math.floor((7.5 * steps * (shard < 5 ? 500 : 100)) / 2600), `shard ${shard}`);
    total += own;
  }
  assert.ok(total <= 7.5 * steps && total >= 7.5 * steps - 6, `${total} of ${7.5 * steps}`);
  assert.equal(shardsOf({ lo: 500, hi: 1500 }, 500), [1, 2]);
  assert.equal(shardsOf({ lo: 2000, hi: 2600 }, 500), [4, 5]);
  assert.throws(() => new ShardQuota(-1, 10, 5), /≥ 0/);
});

test('a bad segment is refused, naming what is wrong', () => {
  assert.throws(() => segmentRange(2600, 500, { index: 4, count: 4 }), /0 ≤ K < N/);
  assert.throws(() => segmentRange(2600, 500, { index: -1, count: 4 }), /0 ≤ K < N/);
  assert.throws(() => segmentRange(2600, 500, { index: 0, count: 0 }), /0 ≤ K < N/);
  assert.throws(() => segmentRange(2600, 500, { index: 0.5, count: 2 }), /0 ≤ K < N/);
  assert.throws(
    () => segmentRange(2600, 500, { index: 0, count: 7 }),
    /cannot split 2,600 meters into 7 segments: they make 6 shards of 500 meters/,
  );
});

test.run();
