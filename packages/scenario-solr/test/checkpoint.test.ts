/**
 * A SoLR run resumed from a checkpoint ends exactly as the run never stopped: the same rows (by
 * digest), commands and figures. The shipped scenarios at test size (read as segments.test.ts
 * reads them, 1,000 meters in shards of 256), resumed with fresh plug-ins at steps that cut
 * through the package's moments: before the failure fires, with make-safe commands held by ADT,
 * with reverts under way as the planned revocation takes effect, with a revert in flight, with
 * lost SR 6.23s waiting to be sent again, with calendar-only revert plans made (they start from
 * the limit in force at the change of supplier), and at the last step but one; and one segment.
 */
import { MemorySink, runResumedInMemory, runScenario, type ScenarioSpec, type SegmentSpec } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { solrScenario } from '../src/index.ts';
import type { SolrCheckpoint } from '../src/solr-checkpoint.ts';
import { Phase } from '../src/solr-state.ts';
import { disorderlyExitSpec, policyComparisonSpec } from './helpers/solr-spec.ts';

const FLEET = { meters: 1000, shardMeters: 256 };

interface Cut {
  atStep: number;
  /** What the checkpoint must hold for this step to test what it says it tests. */
  holds?: (state: SolrCheckpoint) => boolean;
  why: string;
}

const count = (values: ArrayLike<number>, pick: (v: number, i: number) => boolean) =>
  Array.from(values).filter(pick).length;

/** Resumes `spec` at each cut (or its segment), and compares with one uninterrupted run. */
async function assertResumesExactly(spec: ScenarioSpec, cuts: readonly Cut[], segment?: SegmentSpec) {
  const whole = new MemorySink();
  const options = { spec, workers: 1, sink: whole, ...(segment ? { segment } : {}) };
  const summary = await runScenario({ ...options, plugins: [solrScenario.create(spec)] });
  for (const { atStep, holds, why } of cuts) {
    const at = `resumed at step ${atStep} (${why})`;
    const resumed = await runResumedInMemory(spec, () => [solrScenario.create(spec)], atStep, 1, segment);
    const state = resumed.checkpoint.plugins[0]?.state as SolrCheckpoint;
    if (holds) assert.ok(holds(state), `${at}: the checkpoint holds what the cut is for`);
    assert.is(resumed.sink.digest(), whole.digest(), `${at}: rows`);
    assert.equal(resumed.summary.commands, summary.commands, `${at}: commands`);
    assert.equal(resumed.summary.figures, summary.figures, `${at}: figures`);
    assert.is(resumed.summary.status, 'completed');
  }
}

test('solr-disorderly-exit resumed at any of its moments ends as the run never stopped', async () => {
  const spec = disorderlyExitSpec(FLEET);
  // Failure at step 33, SRP from 45, SoLR's SR 6.23 from 441, revocation planned for 452; 576 steps.
  await assertResumesExactly(spec, [
    { atStep: 33, why: 'the failure fires in the first resumed step', holds: (s) => s.safeAt === null },
    {
      atStep: 53,
      why: 'make-safe commands held by ADT',
      holds: (s) => count(s.customers.waiting, (w, i) => w === 1 && s.customers.phase[i] === Phase.MakingSafe) > 0,
    },
    {
      atStep: 452,
      why: 'reverts under way; revocation takes effect in the first resumed step',
      holds: (s) => count(s.customers.phase, (p) => p === Phase.Reverting) > 0 && s.revocationStep === 452,
    },
    {
      atStep: 473,
      why: 'a revert or goodwill top-up awaiting its outcome',
      holds: (s) => count(s.customers.waiting, (w, i) => w === 1 && s.customers.phase[i] === Phase.Reverting) > 0,
    },
    { atStep: 575, why: 'the last step but one' },
  ]);
});

/** The variant segments.test.ts checks for retries: lossy intermittent WAN, so SR 6.23s are lost and sent again. */
function lossyPolicySpec(): ScenarioSpec {
  const spec = policyComparisonSpec(FLEET, {
    strategy: ['calendar', 'emergency-credit'],
    delayedRevocation: true,
    adtFastTrack: true,
  });
  spec.fleet.wan = { good: 0.6, intermittent: 0.31, none: 0.09 };
  spec.dcc.wan.intermittentLossShare = 0.4;
  spec.dcc.wan.intermittentDelayShare = 0;
  return spec;
}

const retriesWaiting = (s: SolrCheckpoint) => s.queues.some((q) => q.cosRetry.length > 0);

test('solr-policy-comparison resumed with lost SR 6.23s waiting, and with calendar reverts planned', async () => {
  // SR 6.23 from 273, revocation planned for 279; 384 steps.
  await assertResumesExactly(lossyPolicySpec(), [
    { atStep: 276, why: 'SR 6.23 programme part-served, lost ones waiting', holds: retriesWaiting },
  ]);
  // A calendar-only variant: its revert plans start from the limit in force at the change of supplier.
  const calendar = policyComparisonSpec(FLEET, {
    strategy: ['calendar'],
    delayedRevocation: false,
    adtFastTrack: false,
  });
  await assertResumesExactly(calendar, [
    {
      atStep: 299,
      why: 'calendar reverts planned, not yet sent',
      holds: (s) =>
        count(s.customers.revertFromLimitCp, (l, i) => l > 0 && s.customers.phase[i] === Phase.Reverting) > 0,
    },
  ]);
});

test('a segment of solr-policy-comparison resumed with retries waiting ends as the segment never stopped', async () => {
  await assertResumesExactly(
    lossyPolicySpec(),
    [{ atStep: 276, why: 'segment 1 of 3, lost SR 6.23s waiting', holds: retriesWaiting }],
    { index: 1, count: 3 },
  );
});

test('a scenario without a SoLR checkpoints nothing and resumes', async () => {
  const spec = disorderlyExitSpec(FLEET);
  const { solr: _solr, ...others } = spec.plugins;
  const plain: ScenarioSpec = { ...spec, days: 1, plugins: others };
  const plugin = solrScenario.create(plain);
  assert.is(plugin.checkpoint?.(), undefined);
  const whole = new MemorySink();
  await runScenario({ spec: plain, workers: 1, sink: whole, plugins: [solrScenario.create(plain)] });
  const resumed = await runResumedInMemory(plain, () => [solrScenario.create(plain)], 12);
  assert.is(resumed.sink.digest(), whole.digest());
});

test.run();
