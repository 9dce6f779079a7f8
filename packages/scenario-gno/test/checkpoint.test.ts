/**
 * A GNO departure resumed from a checkpoint ends exactly as the run never stopped: the same rows
 * (by digest), commands, figures and ledger (counters included). The shipped file at test size
 * (read as segments.test.ts reads it, 1,250 GPFs in five shards) is resumed with fresh plug-ins
 * before `gno-leaves` fires, with a 6.15.1 in flight and retries due, just before the exit and
 * the handover (both at step 360), with a 6.21 in flight and the DSP's retries due, and at the
 * last step but one. Its ten-times-the-rates variant is resumed with both senders' commands held
 * by ADT, once whole and once as a segment.
 */
import assert from 'node:assert/strict';
import { MemorySink, runResumedInMemory, runScenario, type ScenarioSpec, type SegmentSpec } from '@gbfleet/core';
import { test } from 'uvu';
import type { GnoRunState } from '../src/gno-run.ts';
import { createGnoPlugin, type GnoPlugin, gnoScenario, parseGnoConfig } from '../src/index.ts';
import { gnoSpec, shippedSpec } from './helpers/gno-spec.ts';
import { ledgerRows } from './helpers/ledger-rows.ts';

/** GnoRun's per-GPF flags (gno-run.ts). */
const GNO_PENDING = 1;
const DSP_PENDING = 2;

interface Cut {
  atStep: number;
  /** What the checkpoint must hold for this step to test what it says it tests. */
  holds?: (state: GnoRunState | null) => boolean;
  why: string;
}

function gnoPlugin(spec: ScenarioSpec): GnoPlugin {
  const config = parseGnoConfig(spec);
  assert.ok(config);
  return createGnoPlugin(spec, config);
}

const inFlight = (flag: number) => (s: GnoRunState | null) => s?.flags.some((f) => (f & flag) !== 0) ?? false;
const retriesDue = (line: 'gnoQueue' | 'dspQueue') => (s: GnoRunState | null) =>
  [...(s?.[line]?.queues.values() ?? [])].some((q) => q.due.size > 0);
const both =
  (...checks: Array<(s: GnoRunState | null) => boolean>) =>
  (s: GnoRunState | null) =>
    checks.every((check) => check(s));

/** Resumes `spec` at each cut (or its segment), and compares with one uninterrupted run. */
async function assertResumesExactly(spec: ScenarioSpec, cuts: readonly Cut[], segment?: SegmentSpec) {
  const whole = new MemorySink();
  const gno = gnoPlugin(spec);
  const options = { spec, workers: 1, sink: whole, ...(segment ? { segment } : {}) };
  const summary = await runScenario({ ...options, plugins: [gno] });
  const wholeLedger = gno.ledger();
  assert.ok(wholeLedger);
  for (const { atStep, holds, why } of cuts) {
    const at = `resumed at step ${atStep} (${why})`;
    let last: GnoPlugin | undefined;
    const fresh = () => {
      last = gnoPlugin(spec);
      return [last];
    };
    const resumed = await runResumedInMemory(spec, fresh, atStep, 1, segment);
    if (holds) {
      const state = resumed.checkpoint.plugins[0]?.state as GnoRunState | null;
      assert.ok(holds(state), `${at}: the checkpoint holds what the cut is for`);
    }
    assert.equal(resumed.sink.digest(), whole.digest(), `${at}: rows`);
    assert.deepEqual(resumed.summary.commands, summary.commands, `${at}: commands`);
    assert.deepEqual(resumed.summary.figures, summary.figures, `${at}: figures`);
    const ledger = last?.ledger();
    assert.ok(ledger, `${at}: a ledger`);
    assert.deepEqual(ledgerRows([ledger]), ledgerRows([wholeLedger]), `${at}: ledger`);
  }
}

test('the shipped file resumed at any of its moments ends as the run never stopped', async () => {
  // gno-leaves at step 24; exit and handover both at step 360; 912 steps.
  await assertResumesExactly(shippedSpec(), [
    { atStep: 24, why: 'gno-leaves fires in the first resumed step', holds: (s) => s === null },
    {
      atStep: 122,
      why: "a 6.15.1 in flight (WAN delay), the GNO's retries due",
      holds: both(inFlight(GNO_PENDING), retriesDue('gnoQueue')),
    },
    {
      atStep: 360,
      why: 'exit and handover in the first resumed step',
      holds: (s) => s !== null && s.dspQueue === null,
    },
    {
      atStep: 433,
      why: "a 6.21 in flight, the DSP's retries due",
      holds: both(inFlight(DSP_PENDING), retriesDue('dspQueue')),
    },
    { atStep: 911, why: 'the last step but one' },
  ]);
});

test('ten times the rates: resumed with both senders held by ADT, whole and as a segment', async () => {
  const spec = shippedSpec({ speedUp: 10, days: 19 });
  await assertResumesExactly(spec, [
    { atStep: 40, why: "6.15.1s held by ADT, the GNO's line part-served", holds: inFlight(GNO_PENDING) },
  ]);
  await assertResumesExactly(
    spec,
    [
      {
        atStep: 380,
        why: "segment 2 of 3: 6.21s held by ADT, the DSP's retries due",
        holds: both(inFlight(DSP_PENDING), retriesDue('dspQueue')),
      },
    ],
    { index: 1, count: 3 },
  );
});

test('a scenario without a departing GNO checkpoints nothing and resumes', async () => {
  const spec = gnoSpec({ events: [], days: 1 });
  assert.equal(gnoScenario.create(spec).checkpoint?.(), undefined);
  const whole = new MemorySink();
  await runScenario({ spec, workers: 1, sink: whole, plugins: [gnoScenario.create(spec)] });
  const resumed = await runResumedInMemory(spec, () => [gnoScenario.create(spec)], 12);
  assert.equal(resumed.sink.digest(), whole.digest());
});

test.run();
