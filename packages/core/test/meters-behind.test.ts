/**
 * The rows written behind the steps (BufferedRecordSink.startMeters, startParties): the meters in
 * parts, in meter order, then the parties, while the steps' writes go on; flush waits for them
 * all; one that fails fails the writes after it and the flush.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { snapshotOf } from '../src/fleet/fleet-snapshot.js';
import { allocateFleet } from '../src/fleet/fleet-state.js';
import { BufferedRecordSink, type RunRecordSink } from '../src/run/record-sink.js';
import type { MeterSnapshot } from '../src/run/run-records.js';

/** A target that takes a turn of the event loop per write, as a database does, and logs each. */
function loggingTarget(failAtMeter?: number) {
  const log: string[] = [];
  const parts: MeterSnapshot[] = [];
  const write = (entry: string) => async () => {
    await nextTurn();
    log.push(entry);
  };
  const target: RunRecordSink = {
    parties: write('parties'),
    meters: async (snapshot) => {
      await nextTurn();
      const first = snapshot.firstMeterId ?? 0;
      if (failAtMeter !== undefined && failAtMeter >= first && failAtMeter < first + snapshot.length) {
        throw new Error(`disk full at meter ${failAtMeter}`);
      }
      parts.push(snapshot);
      log.push(`meters ${first}+${snapshot.length}`);
    },
    alerts: write('alerts'),
    commands: write('commands'),
    supplyEvents: write('supply'),
    utrn: write('utrn'),
    charges: write('charges'),
  };
  return { target, log, parts };
}

/** The meters rows of a fleet of 1,000 in parts of 300 (the last short), as the workers make them. */
function meterParts(): MeterSnapshot[] {
  const fleet = allocateFleet(1000);
  for (let m = 0; m < fleet.meters; m++) fleet.columns.creditCp[m] = m * 100;
  const consumption = { key: 1, spec: { meanKwhPerDay: 8, spread: 0.5 } };
  return [0, 300, 600, 900].map((lo) => snapshotOf(fleet, consumption, { lo, hi: Math.min(fleet.meters, lo + 300) }));
}

test('the parts go in meter order, then the parties, none awaited by the caller, and flush waits for all', async () => {
  const { target, log, parts } = loggingTarget();
  const sink = new BufferedRecordSink(target);
  let written = 0;
  sink.startMeters(meterParts(), () => written++);
  sink.startParties([]);
  await sink.commands({ length: 0 } as Parameters<RunRecordSink['commands']>[0]);
  assert.equal(log, [], 'a step write does not wait for the rows started behind');
  await sink.flush();
  assert.is(written, 1);
  assert.equal(log, ['meters 0+300', 'meters 300+300', 'meters 600+300', 'meters 900+100', 'parties']);
  assert.equal(
    parts.flatMap((p) => [...p.creditPence]),
    Array.from({ length: 1000 }, (_, m) => m),
    'every row once, in order',
  );
});

test('a part that fails fails the next write and the flush, and nothing after it is written', async () => {
  const { target, log } = loggingTarget(450);
  const sink = new BufferedRecordSink(target);
  let written = 0;
  sink.startMeters(meterParts(), () => written++);
  sink.startParties([]);
  const flushed = await sink.flush().catch((e: Error) => e);
  assert.instance(flushed, Error);
  assert.match((flushed as Error).message, /disk full at meter 450/);
  const next = await sink.commands({ length: 0 } as Parameters<RunRecordSink['commands']>[0]).catch((e: Error) => e);
  assert.match((next as Error).message, /disk full at meter 450/);
  assert.equal(log, ['meters 0+300'], 'neither the parts after it nor the parties');
  assert.is(written, 0);
});

test.run();
