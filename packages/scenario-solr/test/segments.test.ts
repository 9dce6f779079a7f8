/**
 * The SoLR scenarios split exactly into segments: the shipped files at test size, in shards of 256
 * meters, give the whole run's rows and (merged) figures for N = 2, 3, 4 segments. The SRP's, the
 * SoLR's and the revert queues are per shard and bind (each takes many steps), ADT quarantines
 * part of the burst, and delayed revocation ends at the same planned step in every segment: the
 * step after the last shard's last first SR 6.23.
 */
import {
  MemorySink,
  type RunContext,
  type RunSummary,
  runScenario,
  runSegmentsInMemory,
  type ScenarioPlugin,
  type ScenarioSpec,
  type StepRecords,
} from '@gbfleet/core';
import { ServiceRequest } from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { solrScenario } from '../src/index.ts';
import { disorderlyExitSpec, policyComparisonSpec } from './helpers/solr-spec.ts';

/** 8 shards of 256 meters (the last of 208): 245 customers of the failed supplier, about 30 a shard. */
const FLEET = { meters: 2000, shardMeters: 256 };
const ACB = 0;

/** The one figure that cannot merge: a segment knows the peak of its own customers only. */
const SEGMENT_PEAK = 'solr: peak customers off supply';

/** Watches the whole run: the step of each meter's first SR 6.23, and the last such step. */
function firstSr623Watch() {
  const seen = { firstAt: new Map<number, number>(), failStep: -1 };
  const plugin: ScenarioPlugin = {
    name: 'sr623-watch',
    setup(run: RunContext) {
      seen.failStep = run.stepAt(1, 9);
    },
    afterStep(run: RunContext, records: StepRecords) {
      const c = records.commands;
      for (let i = 0; i < c.length; i++) {
        if (c.sender[i] !== ACB || c.serviceRequest[i] !== ServiceRequest.UpdateSecurityCredentials) continue;
        const meter = c.meter[i] as number;
        if (!seen.firstAt.has(meter)) seen.firstAt.set(meter, run.step);
      }
    },
  };
  return { seen, plugin };
}

async function wholeRun(spec: ScenarioSpec) {
  const sink = new MemorySink();
  const watch = firstSr623Watch();
  const summary = await runScenario({ spec, workers: 1, sink, plugins: [solrScenario.create(spec), watch.plugin] });
  return { sink, summary, seen: watch.seen };
}

/** Segments' rows are the whole run's; every figure merges to the whole run's but the segment peak, which is at most it. */
async function assertSplitsExactly(
  spec: ScenarioSpec,
  whole: { sink: MemorySink; summary: RunSummary },
  counts: number[],
) {
  const { [SEGMENT_PEAK]: peak, ...figures } = whole.summary.figures;
  for (const count of counts) {
    const split = await runSegmentsInMemory(spec, () => [solrScenario.create(spec)], count, 1);
    assert.is(split.sink.count('meters'), spec.fleet.meters, `${count} segments: every meter once`);
    assert.is(split.sink.digest(), whole.sink.digest(), `${count} segments: the whole run's rows`);
    const { [SEGMENT_PEAK]: segmentPeak, ...merged } = split.figures;
    assert.equal(merged, figures, `${count} segments: the whole run's figures`);
    assert.ok(
      segmentPeak !== undefined && peak !== undefined && segmentPeak <= peak,
      `${count}: ${segmentPeak} ≤ ${peak}`,
    );
  }
}

test('solr-disorderly-exit: whole run = 2, 3, 4 segments, with per-shard queues that bind', async () => {
  const spec = disorderlyExitSpec(FLEET);
  const whole = await wholeRun(spec);
  const f = whole.summary.figures;
  const figure = (name: string) => f[`solr: ${name}`] ?? 0;
  // The couplings are exercised: make-safe takes hours, part of it is quarantined, the SR 6.23
  // programme spans several steps in every shard, and reverts were sent.
  assert.ok((whole.summary.commands.byReason.DCC_QUARANTINED ?? 0) > 0, 'ADT held part of the burst');
  assert.ok(figure('hours from failure until every reachable meter is safe') > 24);
  assert.ok(figure('meters made safe') > 60 && figure('meters reverted') > 60);
  const cosStart = whole.seen.failStep + (3 + 14) * 24;
  const last = Math.max(...whole.seen.firstAt.values());
  assert.ok(last - cosStart >= 5, `the SR 6.23 programme took ${last - cosStart + 1} steps`);
  assert.is(whole.seen.firstAt.size, figure('customers of the failed supplier'), 'each customer had its SR 6.23');
  // Delayed revocation ends the step after the last first SR 6.23 (whose record may come later, from a WAN delay).
  const revocation = whole.seen.failStep + figure('hours from failure until revocation');
  assert.ok(
    revocation > cosStart + 5 && revocation <= last + 1,
    `revoked at ${revocation}, last first SR 6.23 seen at ${last}`,
  );
  await assertSplitsExactly(spec, whole, [2, 3, 4]);
});

test('solr-policy-comparison (delayed revocation, fast-track), lost SR 6.23s retried: whole run = 3 segments', async () => {
  const spec = policyComparisonSpec(FLEET, {
    strategy: ['calendar', 'emergency-credit'],
    delayedRevocation: true,
    adtFastTrack: true,
  });
  // More intermittent WAN than the file's 3 %, lossy and never delayed: SR 6.23s are lost and
  // each shard retries them, and each command's record comes in the step it was sent (the
  // fast-track keeps them out of quarantine, whence a command is not lost either).
  spec.fleet.wan = { good: 0.6, intermittent: 0.31, none: 0.09 };
  spec.dcc.wan.intermittentLossShare = 0.4;
  spec.dcc.wan.intermittentDelayShare = 0;
  const whole = await wholeRun(spec);
  const lost = whole.summary.figures['solr: changes of supplier refused (WAN_LOST)'] ?? 0;
  assert.ok(lost > 3, `${lost} SR 6.23s lost and sent again`);
  // Delayed revocation ends exactly the step after the last first SR 6.23, as planned from the shards' counts.
  const last = Math.max(...whole.seen.firstAt.values());
  assert.is(whole.summary.figures['solr: hours from failure until revocation'], last + 1 - whole.seen.failStep);
  await assertSplitsExactly(spec, whole, [3]);
});

test.run();
