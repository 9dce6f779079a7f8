/**
 * A run stopped after a checkpoint and resumed from it ends exactly as a run never stopped: the
 * same rows (by an order-independent digest), charges, tallies and figures. The scenario makes
 * ADT bind (quarantined commands held across the checkpoint), and has a weather surge, a DCC
 * outage and a supplier failure that span it.
 */
import { InvalidArgumentError, ServiceRequest } from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runResumedInMemory } from '../src/engine/resume-in-memory.js';
import {
  CHECKPOINT_FORMAT,
  copyCheckpoint,
  decodeCheckpointHead,
  encodeCheckpointHead,
} from '../src/engine/run-checkpoint.js';
import { runScenario } from '../src/engine/run-engine.js';
import type { ScenarioPlugin } from '../src/engine/scenario-plugin.js';
import { PaymentMode } from '../src/fleet/fleet-state.js';
import { MemorySink } from '../src/run/memory-sink.js';
import { testScenario } from './helpers/test-scenario.js';

function checkpointedSpec() {
  const spec = testScenario({ meters: 1800, days: 3 });
  spec.fleet.shardMeters = 500;
  spec.dcc.adt.thresholdPerParty = 60;
  spec.dcc.adt.periodHours = 24;
  spec.dcc.adt.releaseAfterHours = 6;
  spec.events.push({ day: 1, hour: 20, type: 'supplier-fails', params: { supplier: 'Cobalt Supply' } });
  return spec;
}

/** Every 3 hours, critical commands to a seventh of the prepayment meters; it counts what it sent. */
function creditRaiser(): ScenarioPlugin {
  let sent = 0;
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
          argument: 500 + sent++,
        });
      }
      run.count('raises sent', 0);
      run.peak('most raised', sent);
    },
    checkpoint: () => ({ sent }),
    restore(state) {
      sent = (state as { sent: number }).sent;
    },
  };
}

test('a run resumed from a checkpoint at any step ends as the run never stopped', async () => {
  const spec = checkpointedSpec();
  const whole = new MemorySink();
  const summary = await runScenario({ spec, plugins: [creditRaiser()], workers: 1, sink: whole });
  assert.ok((summary.commands.byReason.DCC_QUARANTINED ?? 0) > 0, 'ADT bound in this scenario');
  const steps = summary.stepsPlanned;
  // At the first step, in the surge, while commands are held by the outage (day 2, hour 0..4), at the last but one.
  for (const atStep of [1, 31, 49, steps - 1]) {
    const resumed = await runResumedInMemory(spec, () => [creditRaiser()], atStep, atStep % 2 === 0 ? 2 : 1);
    assert.equal(resumed.checkpoint.step, atStep);
    assert.equal(resumed.sink.digest(), whole.digest(), `resumed at step ${atStep}: rows`);
    assert.equal(resumed.summary.commands, summary.commands, `resumed at step ${atStep}: commands`);
    assert.equal(resumed.summary.figures, summary.figures, `resumed at step ${atStep}: figures`);
    assert.equal(resumed.summary.stepsRun, steps);
    assert.equal(resumed.summary.status, 'completed');
  }
});

test('a segment resumed from its checkpoint ends as the segment never stopped', async () => {
  const spec = checkpointedSpec();
  const segment = { index: 1, count: 3 };
  const whole = new MemorySink();
  await runScenario({ spec, plugins: [creditRaiser()], workers: 1, sink: whole, segment });
  const resumed = await runResumedInMemory(spec, () => [creditRaiser()], 40, 1, segment);
  assert.equal(resumed.sink.digest(), whole.digest());
  assert.equal(resumed.checkpoint.owned, { lo: 500, hi: 1000 });
});

test('a run whose plug-in cannot be checkpointed is refused before it starts', async () => {
  const spec = testScenario({ meters: 200, days: 1 });
  const stateless: ScenarioPlugin = { name: 'no-hooks', beforeStep() {} };
  const options = { spec, plugins: [stateless], workers: 1, sink: new MemorySink() };
  const never = { due: () => false, write: async () => {} };
  await runScenario({ ...options, checkpoint: never }).then(
    () => assert.unreachable('should refuse'),
    (error: Error) => {
      assert.instance(error, InvalidArgumentError);
      assert.match(error.message, /no-hooks has no checkpoint\/restore/);
    },
  );
});

test('a checkpoint of another run, or damaged, is refused with a clear message', async () => {
  const spec = checkpointedSpec();
  const { checkpoint } = await runResumedInMemory(spec, () => [creditRaiser()], 5);
  const head = encodeCheckpointHead(checkpoint);
  const refuse = async (what: string, run: () => unknown, message: RegExp) => {
    try {
      await run();
      assert.unreachable(`${what}: accepted`);
    } catch (error) {
      assert.instance(error, InvalidArgumentError, what);
      assert.match((error as Error).message, message, what);
    }
  };
  await refuse(
    'garbage',
    () => decodeCheckpointHead(Buffer.from('not a checkpoint'), checkpoint.fleet),
    /does not decode|format/,
  );
  await refuse('empty', () => decodeCheckpointHead(new Uint8Array(0), checkpoint.fleet), /does not decode|format/);
  await refuse(
    'truncated',
    () => decodeCheckpointHead(head.subarray(0, head.length >> 1), checkpoint.fleet),
    /does not decode|format/,
  );
  const other = (patch: object) => encodeCheckpointHead({ ...checkpoint, ...patch });
  await refuse(
    'format',
    () => decodeCheckpointHead(other({ format: CHECKPOINT_FORMAT + 1 }), checkpoint.fleet),
    /format/,
  );
  await refuse('step', () => decodeCheckpointHead(other({ step: checkpoint.steps }), checkpoint.fleet), /not a step/);
  const sink = new MemorySink();
  const plugins = [creditRaiser()];
  await refuse(
    'another length',
    () => runScenario({ spec: { ...spec, days: 2 }, plugins, workers: 1, sink, resume: checkpoint }),
    /steps/,
  );
  await refuse(
    'another segment',
    () => runScenario({ spec, plugins, workers: 1, sink, resume: checkpoint, segment: { index: 0, count: 2 } }),
    /meters/,
  );
  const short = copyCheckpoint(checkpoint);
  short.fleet.creditCp = short.fleet.creditCp.subarray(4);
  await refuse(
    'a short column',
    () => runScenario({ spec, plugins, workers: 1, sink, resume: short }),
    /column creditCp/,
  );
  await refuse(
    'other plug-ins',
    () => runScenario({ spec, plugins: [{ ...creditRaiser(), name: 'other' }], workers: 1, sink, resume: checkpoint }),
    /plug-ins/,
  );
});

test.run();
