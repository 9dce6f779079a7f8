/**
 * The scenario's outcomes through the real engine: with DSP counter tracking no GPF is stranded;
 * without it, the stranded GPFs are exactly those whose ACB replacement (SRV 6.15.1) carried a
 * counter at or above the DSP's last SRV 6.21. Every counter the ledger reports is checked
 * against the device's own cell, and the DSP's own counters against its clock. A network sale
 * leaves the GPFs the departing GNO never reached unreachable. 1 and 2 workers agree.
 */
import assert from 'node:assert/strict';
import {
  ACB_PARTY,
  MemorySink,
  type RunSummary,
  runScenario,
  type ScenarioPlugin,
  type ScenarioSpec,
  WanClass,
} from '@gbfleet/core';
import { OUTCOME_CODE, outcomeName, ServiceRequest } from '@gbfleet/gbcs';
import { test } from 'uvu';
import { Cohort, createGnoPlugin, Figure, type GnoLedger, GpfState, parseGnoConfig } from '../src/index.ts';
import { DEPARTING, gnoSpec, INCOMING } from './helpers/gno-spec.ts';

interface Observed {
  summary: RunSummary;
  ledger: GnoLedger;
  sink: MemorySink;
  departing: number;
  incoming: number;
  /** Device cell and counter of every GPF when the handover starts (before any 6.21 is delivered). */
  atHandover: Map<number, { cell: number; counter: bigint }>;
  /** Every 6.21 answer per GPF: [step, outcome]. */
  handovers: Map<number, Array<[number, string]>>;
  end: { cell: Uint8Array; counter: BigUint64Array; wan: Uint8Array };
  revokedAtStep: number | null;
}

async function observe(spec: ScenarioSpec, workers = 1): Promise<Observed> {
  const config = parseGnoConfig(spec);
  assert.ok(config?.handover);
  const gno = createGnoPlugin(spec, config);
  const atHandover = new Map<number, { cell: number; counter: bigint }>();
  const handovers = new Map<number, Array<[number, string]>>();
  let end: Observed['end'] | undefined;
  let departing = -1;
  let incoming = -1;
  let revokedAtStep: number | null = null;
  // Runs after the gno plug-in in every hook: sees what it sent, and the devices before delivery.
  const probe: ScenarioPlugin = {
    name: 'probe',
    setup(run) {
      departing = run.parties.byName(DEPARTING).index;
      incoming = run.parties.byName(INCOMING).index;
    },
    beforeStep(run) {
      if (run.step !== config.handover?.step) return;
      const c = run.fleet.columns;
      for (const m of gno.ledger()?.gpfs ?? []) {
        atHandover.set(m, {
          cell: c.networkOperatorCell[m] as number,
          counter: c.networkOperatorCellCounter[m] as bigint,
        });
      }
    },
    afterStep(run, records) {
      const r = records.commands;
      for (let i = 0; i < r.length; i++) {
        if (r.serviceRequest[i] !== ServiceRequest.NetworkOperatorHandover) continue;
        assert.equal(r.sender[i], ACB_PARTY, 'the ACB, occupant of the cell, signs the handover');
        const m = r.meter[i] as number;
        handovers.set(m, [...(handovers.get(m) ?? []), [run.step, outcomeName(r.reason[i] as number)]]);
      }
      revokedAtStep = run.parties.at(departing).revokedAtStep;
      if (run.step === run.steps - 1) {
        const c = run.fleet.columns;
        end = {
          cell: c.networkOperatorCell.slice(),
          counter: c.networkOperatorCellCounter.slice(),
          wan: c.wanClass.slice(),
        };
      }
    },
  };
  const sink = new MemorySink();
  const summary = await runScenario({ spec, plugins: [gno, probe], workers, sink });
  const ledger = gno.ledger();
  assert.ok(ledger && end);
  return { summary, ledger, sink, departing, incoming, atHandover, handovers, end, revokedAtStep };
}

const figure = (o: Observed, name: string) => o.summary.figures[name];

/** The checks both outcome tests share; returns the stranded GPFs of the no-tracking cohort. */
function checkCounterOutcomes(o: Observed, attempts: number): { stranded: number[]; untracked: number[] } {
  const { ledger: l, end } = o;
  assert.ok(l.gpfs.length > 100, `${l.gpfs.length} GPFs`);
  const stranded: number[] = [];
  const untracked: number[] = [];
  for (const m of l.gpfs) {
    // The ledger's 6.15.1 counter is the one the device accepted and kept in its cell.
    assert.deepEqual(o.atHandover.get(m), { cell: ACB_PARTY, counter: l.gnoCounter[m] }, `GPF ${m} at handover`);
    const answers = o.handovers.get(m) ?? [];
    assert.equal(answers.length, l.dspAttempts[m], `GPF ${m}: one record per attempt`);
    if (l.cohort[m] === Cohort.Tracking) {
      assert.equal(l.recordedCounter[m], l.gnoCounter[m], 'the DSP recorded the 6.15.1 counter');
      assert.equal(end.cell[m], o.incoming, `tracked GPF ${m} is handed over`);
      assert.equal(end.counter[m], (l.gnoCounter[m] as bigint) + 1n, 'first attempt, recorded + 1');
      assert.deepEqual(
        answers.map(([, outcome]) => outcome),
        ['ACCEPTED'],
      );
      continue;
    }
    assert.equal(l.cohort[m], Cohort.NoTracking);
    untracked.push(m);
    assert.equal(l.recordedCounter[m], 0n, 'nothing recorded without tracking');
    // The DSP's own counter comes from its clock at the step it sent the last attempt.
    const [lastStep] = answers.at(-1) as [number, string];
    const counter = l.dspCounter[m] as bigint;
    assert.ok(counter >= BigInt(lastStep + 1) << 24n && counter < BigInt(lastStep + 2) << 24n, `GPF ${m} clock`);
    const above = (l.gnoCounter[m] as bigint) >= counter;
    if (end.cell[m] === ACB_PARTY) {
      stranded.push(m);
      assert.ok(above, `stranded GPF ${m}: its 6.15.1 counter is not below the DSP's`);
      assert.deepEqual(
        answers.map(([, outcome]) => outcome),
        Array(attempts).fill('GBCS_REPLAY'),
        `stranded GPF ${m}: every attempt a replay`,
      );
      assert.equal(l.state[m], GpfState.Stranded);
    } else {
      assert.ok(!above, `handed-over GPF ${m}: the DSP's counter was above the GNO's`);
      assert.equal(end.cell[m], o.incoming);
      assert.equal(end.counter[m], counter);
      assert.equal(answers.at(-1)?.[1], 'ACCEPTED');
    }
  }
  const replays = [...o.handovers.values()].flat().filter(([, outcome]) => outcome === 'GBCS_REPLAY').length;
  assert.equal(figure(o, Figure.state(Cohort.Tracking, GpfState.Stranded)), 0);
  assert.equal(figure(o, Figure.state(Cohort.NoTracking, GpfState.Stranded)), stranded.length);
  assert.equal(figure(o, Figure.state(Cohort.Tracking, GpfState.HandedOver)), l.gpfs.length - untracked.length);
  assert.equal(figure(o, Figure.state(Cohort.NoTracking, GpfState.HandedOver)), untracked.length - stranded.length);
  assert.equal(figure(o, Figure.handover(Cohort.NoTracking, OUTCOME_CODE.GBCS_REPLAY)), replays || undefined);
  assert.equal(figure(o, Figure.cohort(Cohort.NoTracking)), untracked.length);
  return { stranded, untracked };
}

test("a GNO clock 4 hours ahead, one attempt: without tracking exactly the GPFs whose 6.15.1 counter was not below the DSP's are stranded", async () => {
  const spec = gnoSpec({
    leave: { counterLeadHours: 4 },
    section: { departingGno: { commandsPerHour: 1000 }, dsp: { commandsPerHour: 50, attempts: 1 } },
  });
  const o = await observe(spec);
  const { stranded, untracked } = checkCounterOutcomes(o, 1);
  // A mix: GPFs reached before the DSP's clock passed the GNO's are stranded, later ones not.
  assert.ok(stranded.length > 0 && stranded.length < untracked.length, `${stranded.length} of ${untracked.length}`);
  assert.ok(untracked.length > 0.35 * o.ledger.gpfs.length && untracked.length < 0.65 * o.ledger.gpfs.length);
});

test('a GNO clock a year ahead, three attempts: every GPF without tracking is stranded, none with it', async () => {
  const spec = gnoSpec({
    seed: '9',
    leave: { counterLeadHours: 8760 },
    section: {
      departingGno: { commandsPerHour: 1000 },
      dsp: { commandsPerHour: 100, attempts: 3, retryAfterHours: 2 },
    },
  });
  const o = await observe(spec);
  const { stranded, untracked } = checkCounterOutcomes(o, 3);
  assert.deepEqual(stranded, untracked, 'every untracked GPF is stranded');
});

test('a network sale: GPFs never sent 6.15.1, and those without WAN, stay with the departed GNO, unreachable', async () => {
  const spec = gnoSpec({
    seed: '21',
    wan: { good: 0.9, intermittent: 0, none: 0.1 },
    leave: { counterLeadHours: 8760, missedShare: 0.25, exitAfterHours: 2 },
    section: {
      departingGno: { commandsPerHour: 1000 },
      dsp: { counterTracking: 'on', commandsPerHour: 400, retryAfterHours: 2 },
    },
  });
  const o = await observe(spec);
  const { ledger: l, end } = o;
  const left = [...l.gpfs].filter((m) => l.missed[m] === 1 || end.wan[m] === WanClass.None);
  assert.ok(left.some((m) => l.missed[m] === 1) && left.some((m) => end.wan[m] === WanClass.None));
  assert.equal(o.revokedAtStep, 3, "the departing GNO's certificate is revoked at its exit");
  assert.equal(figure(o, Figure.missed), [...l.gpfs].filter((m) => l.missed[m] === 1).length);
  assert.equal(figure(o, Figure.atExit), left.length);
  for (const m of l.gpfs) {
    const answers = (o.handovers.get(m) ?? []).map(([, outcome]) => outcome);
    if (left.includes(m)) {
      assert.equal(end.cell[m], o.departing, `GPF ${m} still holds the departed GNO's certificate`);
      assert.equal(l.state[m], GpfState.Unreachable);
      const expected = end.wan[m] === WanClass.None ? ['WAN_NOT_DELIVERED'] : Array(3).fill('GBCS_UNKNOWN_PARTY');
      assert.deepEqual(answers, expected, `GPF ${m}`);
    } else {
      assert.equal(end.cell[m], o.incoming);
      assert.deepEqual(answers, ['ACCEPTED']);
    }
  }
  assert.equal(figure(o, Figure.state(Cohort.Tracking, GpfState.Unreachable)), left.length);
  assert.equal(figure(o, Figure.state(Cohort.Tracking, GpfState.Stranded)), 0);
  assert.equal(figure(o, Figure.state(Cohort.Tracking, GpfState.HandedOver)), l.gpfs.length - left.length);
  assert.equal(figure(o, Figure.cohort(Cohort.NoTracking)), undefined, 'one policy, one cohort');
});

for (const seed of ['3', '11']) {
  test(`seed ${seed}: 1 and 2 workers give the same records, figures and ledger`, async () => {
    const spec = gnoSpec({
      seed,
      meters: 900,
      days: 3,
      wan: { good: 0.75, intermittent: 0.2, none: 0.05 },
      dcc: { adt: { periodHours: 24, thresholdPerParty: 250, releaseAfterHours: 12 } },
      leave: { counterLeadHours: 30, missedShare: 0.05, exitAfterHours: 40 },
      section: {
        departingGno: { commandsPerHour: 60, retryAfterHours: 3 },
        dsp: { commandsPerHour: 40, retryAfterHours: 6 },
      },
    });
    spec.fleet.shardMeters = 128;
    const a = await observe(spec, 1);
    const b = await observe(spec, 2);
    assert.equal(a.sink.digest(), b.sink.digest());
    assert.deepEqual(a.summary.figures, b.summary.figures);
    assert.deepEqual(a.summary.commands, b.summary.commands);
    for (const key of ['gpfs', 'cohort', 'gnoCounter', 'dspCounter', 'state'] as const) {
      assert.deepEqual(a.ledger[key], b.ledger[key], key);
    }
    // The run exercised what makes ordering hard: quarantine, WAN delay and loss, every end state.
    assert.ok((a.summary.commands.byReason.DCC_QUARANTINED ?? 0) > 0, 'ADT quarantined some commands');
    assert.ok((a.summary.commands.byReason.WAN_LOST ?? 0) > 0, 'the WAN lost some');
    const states = new Set([...a.ledger.gpfs].map((m) => a.ledger.state[m]));
    for (const state of [GpfState.HandedOver, GpfState.Stranded, GpfState.Unreachable]) assert.ok(states.has(state));
  });
}

test('a hand-made config naming a GNO that is no party of the run fails with GBF_GNO_PLAN', async () => {
  const spec = gnoSpec();
  const config = parseGnoConfig(spec);
  assert.ok(config);
  const gno = createGnoPlugin(spec, { ...config, leave: { ...config.leave, operator: 'Southern Gas' } });
  await assert.rejects(
    runScenario({ spec, plugins: [gno], sink: new MemorySink() }),
    (e: Error & { code?: string }) => {
      assert.equal(e.code, 'GBF_GNO_PLAN');
      assert.match(e.message, /departing GNO \(events\[0\]\.operator\) "Southern Gas" is not a party/);
      return true;
    },
  );
});

test.run();
