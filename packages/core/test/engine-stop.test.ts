/**
 * A run that fails or is stopped keeps what it simulated: the rows of every step done reach the
 * sink (with their charges) before the error propagates or the run returns interrupted, so the
 * records equal those of a run stopped cleanly at the same step.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { runScenario } from '../src/engine/run-engine.js';
import type { ScenarioPlugin } from '../src/engine/scenario-plugin.js';
import { MemorySink } from '../src/run/memory-sink.ts';
import { testScenario } from './helpers/test-scenario.js';

const spec = testScenario({ meters: 1500, days: 2 });
spec.fleet.shardMeters = 500;
const STOP_AT = 30;

/** The reference: a run asked to stop at the end of step STOP_AT − 1. */
async function stoppedCleanly(): Promise<MemorySink> {
  const sink = new MemorySink();
  const abort = new AbortController();
  const summary = await runScenario({
    spec,
    workers: 1,
    sink,
    signal: abort.signal,
    onProgress: (p) => {
      if (p.step === STOP_AT) abort.abort();
    },
  });
  assert.equal(summary.status, 'interrupted');
  assert.equal(summary.stepsRun, STOP_AT);
  assert.ok(sink.count('commands') > 0 && sink.count('alerts') > 0 && sink.count('charges') > 0);
  return sink;
}

test('a run that fails keeps the rows and charges of the steps before the failure', async () => {
  const reference = await stoppedCleanly();
  const sink = new MemorySink();
  const failing: ScenarioPlugin = {
    name: 'fails',
    beforeStep(run) {
      if (run.step === STOP_AT) throw new Error('plug-in broke at step 30');
    },
  };
  await assert.rejects(runScenario({ spec, plugins: [failing], workers: 1, sink }), /plug-in broke at step 30/);
  assert.equal(sink.count('commands'), reference.count('commands'));
  assert.equal(sink.count('alerts'), reference.count('alerts'));
  assert.equal(sink.digest(), reference.digest());
});

test('stopNow drops the step in flight and keeps the steps done, for any worker count', async () => {
  const reference = await stoppedCleanly();
  for (const workers of [1, 2]) {
    const sink = new MemorySink();
    const now = new AbortController();
    // Aborted while step STOP_AT is being prepared: that step's shard tasks are abandoned.
    const stopper: ScenarioPlugin = {
      name: 'stopper',
      beforeStep(run) {
        if (run.step === STOP_AT) now.abort();
      },
    };
    const summary = await runScenario({
      spec,
      plugins: [stopper],
      workers,
      sink,
      stopNow: now.signal,
    });
    assert.equal(summary.status, 'interrupted');
    assert.equal(summary.stepsRun, STOP_AT);
    assert.equal(sink.digest(), reference.digest(), `${workers} workers`);
  }
});

test('a failure with nothing to keep still reports the failure itself', async () => {
  const sink = new MemorySink();
  const failing: ScenarioPlugin = {
    name: 'fails-at-once',
    setup() {
      throw new Error('bad setup');
    },
  };
  await assert.rejects(runScenario({ spec, plugins: [failing], workers: 1, sink }), /^Error: bad setup$/);
  assert.equal(sink.count('commands'), 0);
  assert.equal(sink.count('meters'), 1500);
});

test.run();
