/**
 * The shipped scenario splits exactly: the whole run and N = 2, 3, 4 segments give the same rows,
 * the same merged figures and the same ledger (counters included) for every GPF. The file is
 * scaled to 1,250 GPFs in five shards (four of 256, one of 226), its rates and ADT threshold
 * scaled with it exactly as the file is sized, so both senders' per-shard lines wait for days at
 * fractional shard rates (about 1/h each) and retries rejoin them. A variant at ten times the
 * rates, trimmed to day 19 (after the handover's first retries), makes ADT quarantine bite. Most
 * of the cost is each run's start (about 0.4 s of CPU), so the variant splits once, in 3.
 */
import assert from 'node:assert/strict';
import { MemorySink, type RunSummary, runScenario, runSegmentsInMemory, type ScenarioSpec } from '@gbfleet/core';
import { test } from 'uvu';
import { createGnoPlugin, type GnoLedger, type GnoPlugin, parseGnoConfig } from '../src/index.ts';
import { SHIPPED_METERS, shippedSpec } from './helpers/gno-spec.ts';
import { ledgerRows } from './helpers/ledger-rows.ts';

const METERS = SHIPPED_METERS;

function gnoPlugin(spec: ScenarioSpec): GnoPlugin {
  const config = parseGnoConfig(spec);
  assert.ok(config);
  return createGnoPlugin(spec, config);
}

/** Runs `spec` whole (checked by `expect`) and in `counts` segments; all must agree. */
async function checkSplits(
  spec: ScenarioSpec,
  counts: readonly number[],
  expect: (summary: RunSummary, ledger: GnoLedger) => void,
) {
  const whole = new MemorySink();
  const gno = gnoPlugin(spec);
  const summary = await runScenario({ spec, plugins: [gno], workers: 1, sink: whole });
  const wholeLedger = gno.ledger();
  assert.ok(wholeLedger);
  expect(summary, wholeLedger);
  for (const count of counts) {
    const made: GnoPlugin[] = [];
    const split = await runSegmentsInMemory(
      spec,
      () => {
        made.push(gnoPlugin(spec));
        return made.slice(-1);
      },
      count,
      1,
    );
    assert.equal(split.sink.digest(), whole.digest(), `${count} segments: rows`);
    assert.deepEqual(split.figures, summary.figures, `${count} segments: figures`);
    const ledgers = made.map((p) => p.ledger()).filter((l) => l !== null);
    assert.deepEqual(ledgerRows(ledgers), ledgerRows([wholeLedger]), `${count} segments: ledger`);
  }
}

/** How many steps the departing GNO sent in: its counters carry the step (core's clockCounter). */
function replacementSteps(l: GnoLedger): number {
  return new Set([...l.gpfs].filter((m) => l.gnoCounter[m] !== 0n).map((m) => (l.gnoCounter[m] as bigint) >> 24n)).size;
}

test('the shipped file, scaled: whole run and 2, 3, 4 segments agree, with no quarantine and the outcomes the file states', async () => {
  await checkSplits(shippedSpec(), [2, 3, 4], (summary, l) => {
    const f = summary.figures;
    assert.equal(f['gno: GPFs of the departing GNO'], METERS);
    assert.equal(summary.commands.byReason.DCC_QUARANTINED, undefined, 'each shard stays under its ADT threshold');
    assert.ok(replacementSteps(l) > 200, `the lines lasted ${replacementSteps(l)} steps`);
    assert.ok(
      [...l.gpfs].some((m) => (l.dspAttempts[m] as number) === 3),
      'SRV 6.21 retries rejoined the lines',
    );
    assert.ok((f["gno: GPFs holding the departing GNO's certificate at its exit"] ?? 0) > 0);
    assert.equal(f['gno [tracking]: stranded (ACB in the cell, every 6.21 rejected)'], 0);
    assert.equal(f['gno [no tracking]: handed over'], 0);
    assert.ok((f['gno [no tracking]: stranded (ACB in the cell, every 6.21 rejected)'] ?? 0) > 500);
  });
});

test('at ten times the rates ADT quarantines both senders, and 3 segments still agree', async () => {
  await checkSplits(shippedSpec({ speedUp: 10, days: 19 }), [3], (summary, l) => {
    const f = summary.figures;
    assert.ok((f['gno SRV 6.15.1: held DCC_QUARANTINED'] ?? 0) > 0, 'ADT held SRV 6.15.1');
    assert.ok((f['gno SRV 6.21 [tracking]: held DCC_QUARANTINED'] ?? 0) > 0, 'ADT held SRV 6.21');
    assert.ok(
      [...l.gpfs].some((m) => (l.dspAttempts[m] as number) >= 2),
      'SRV 6.21 retried',
    );
  });
});

test.run();
