/**
 * The shipped hostile scenario resumed from a checkpoint ends as the run never stopped: the
 * checkpoints cut before the attacks, between the WAN attacks and the UTRN ones (receipts kept
 * for the replay), and in the middle of the brute force.
 */
import { MemorySink, runResumedInMemory, runScenario } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SENT_FIGURE } from '../src/hostile-plugin.ts';
import { hostileScenario } from '../src/index.ts';
import { hostileSpec } from './helpers/hostile-spec.ts';

test('resumed at any of its moments, the hostile run ends as one never stopped', async () => {
  const spec = hostileSpec({ meters: 3000, shardMeters: 1000 });
  const plugins = () => [hostileScenario.create(spec)];
  const whole = new MemorySink();
  const summary = await runScenario({ spec, plugins: plugins(), workers: 1, sink: whole });
  assert.ok((summary.figures[SENT_FIGURE] ?? 0) > 100, 'the attacks are sent at this size');
  // Before any attack (day 1), after the WAN attacks (day 3, 12:00), between the UTRN replay
  // and the brute force (day 4, 19:30 → step 115), and the last but one.
  for (const atStep of [20, 84, 115, summary.stepsPlanned - 1]) {
    const resumed = await runResumedInMemory(spec, plugins, atStep);
    assert.equal(resumed.sink.digest(), whole.digest(), `resumed at step ${atStep}`);
    assert.equal(resumed.summary.figures, summary.figures, `resumed at step ${atStep}: figures`);
  }
  const segment = { index: 1, count: 3 };
  const part = new MemorySink();
  await runScenario({ spec, plugins: plugins(), workers: 1, sink: part, segment });
  const resumed = await runResumedInMemory(spec, plugins, 110, 1, segment);
  assert.equal(resumed.sink.digest(), part.digest(), 'a segment resumed');
});

test.run();
