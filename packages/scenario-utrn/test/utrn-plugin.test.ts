/**
 * The UTRN plug-in through the engine, on small fleets: the two command sets side by side, the
 * calibration allocation, codes typed and judged for real (utrn rows, alerts), WAN restoration,
 * DP092 maintenance (high impact holds the WAN, low impact loses intermittent meters), a DCC
 * outage, and determinism: for each seed of a fixed list, 1 and 2 workers give the same records.
 */
import {
  MemorySink,
  type RunSummary,
  runScenario,
  type ScenarioPlugin,
  type ScenarioSpec,
  UTRN_STATUSES,
  UtrnFlag,
  WanClass,
} from '@gbfleet/core';
import { COMMAND_OUTCOMES } from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { armFigure, FIGURE, utrnScenario } from '../src/index.ts';
import { smallUtrnSpec } from './helpers/utrn-spec.ts';

async function run(spec: ScenarioSpec, workers = 1, probe?: ScenarioPlugin) {
  const sink = new MemorySink();
  const plugins = [utrnScenario.create(spec), ...(probe ? [probe] : [])];
  const summary = await runScenario({
    spec: { ...spec, fleet: { ...spec.fleet, shardMeters: 1024 } },
    plugins,
    workers,
    sink,
  });
  return { summary, sink };
}

const fig = (s: RunSummary, name: string) => s.figures[name] ?? 0;
const armFig = (s: RunSummary, arm: 'top-up-only' | 'extended', what: string) => fig(s, armFigure(arm, what));

test('compare: both command sets side by side; only the extended set reaches no-WAN meters with every message', async () => {
  const { summary, sink } = await run(smallUtrnSpec());
  assert.is(summary.status, 'completed');
  assert.is(fig(summary, FIGURE.surgeMessages), 6000);
  assert.is(fig(summary, FIGURE.mustGoByUtrn), 540, 'round(0.09 × 6,000)');
  const must = (arm: 'top-up-only' | 'extended') => armFig(summary, arm, 'surge messages that must go by UTRN');
  assert.is(must('top-up-only') + must('extended'), 540);
  for (const arm of ['top-up-only', 'extended'] as const) {
    assert.ok(armFig(summary, arm, 'prepayment meters without WAN') > 50, arm);
    assert.ok(armFig(summary, arm, 'UTRNs issued') > 0, arm);
    assert.ok(armFig(summary, arm, 'UTRNs accepted') > 0, arm);
    for (const what of [
      'consumers off supply',
      'consumer-hours off supply',
      'hours to resolve (sum over messages resolved)',
      'max hours to resolve',
      'messages unresolved at the end',
    ]) {
      assert.ok(armFigure(arm, what) in summary.figures, `${arm}: ${what}`);
    }
  }
  // Top-up-only: 20-digit codes only, and the other messages need a visit. Extended: none do.
  assert.ok(armFig(summary, 'top-up-only', 'messages neither WAN nor UTRN can carry (site visits needed)') > 0);
  assert.is(armFig(summary, 'extended', 'messages neither WAN nor UTRN can carry (site visits needed)'), 0);
  assert.is(armFig(summary, 'top-up-only', 'UTRNs issued (40 digits)'), 0);
  assert.ok(armFig(summary, 'extended', 'UTRNs issued (40 digits)') > 0);
  assert.ok(armFig(summary, 'extended', 'UTRNs issued (60 digits)') > 0);
  // The run database's utrn rows agree with the figures.
  const rows = sink.tables.utrn ?? [];
  const statusAt = 5; // step,meter,supplier,utrn,valuePence,status
  const statuses = rows.map((r) => UTRN_STATUSES[Number(r.split(',')[statusAt])]);
  assert.is(rows.length, fig(summary, FIGURE.keypadEntries) + fig(summary, 'utrn: keypad entries not-entered'));
  assert.is(statuses.filter((s) => s === 'accepted').length, fig(summary, 'utrn: keypad entries accepted'));
  assert.ok(statuses.includes('rejected-typo'), 'some slips');
  const lengths = new Set(rows.map((r) => (r.split(',')[3] as string).length));
  assert.equal([...lengths].sort(), [20, 40, 60]);
  assert.ok((summary.commands.byReason.GBCS_MALFORMED ?? 0) + (summary.commands.byReason.ACCEPTED ?? 0) > 0);
});

for (const seed of ['94', '2018']) {
  test(`seed ${seed}: 1 and 2 workers give the same records and figures`, async () => {
    const spec = smallUtrnSpec({
      seed,
      meters: 2500,
      events: [
        { day: 0, hour: 0, type: 'weather-surge', multiplier: 1.5, hours: 72 },
        { day: 0, hour: 0, type: 'no-wan-resolution', maxDays: 2 },
        { day: 1, hour: 0, type: 'utrn-surge', supplier: 'Aurora Energy', messages: 5000, hours: 24 },
        { day: 1, hour: 21, type: 'dcc-maintenance', hours: 4, impact: 'low' },
      ],
    });
    const a = await run(spec, 1);
    const b = await run(spec, 2);
    assert.ok(a.sink.count('utrn') > 0);
    assert.is(a.sink.digest(), b.sink.digest());
    assert.equal(a.summary.figures, b.summary.figures);
  });
}

test('no-WAN incident resolution writes wanClass; restored meters get their messages over the WAN', async () => {
  const spec = smallUtrnSpec({
    events: [
      { day: 0, hour: 0, type: 'no-wan-resolution', share: 1, maxDays: 1, withinShare: 1 },
      { day: 1, hour: 6, type: 'utrn-surge', supplier: 'Aurora Energy', messages: 3000, hours: 12 },
    ],
  });
  let noWanAtStart = 0;
  let noWanAtEnd = -1;
  const probe: ScenarioPlugin = {
    name: 'probe',
    setup(r) {
      noWanAtStart = r.fleet.columns.wanClass.filter((w) => w === WanClass.None).length;
    },
    afterStep(r) {
      if (r.step === r.steps - 1) noWanAtEnd = r.fleet.columns.wanClass.filter((w) => w === WanClass.None).length;
    },
  };
  const { summary } = await run(spec, 1, probe);
  assert.ok(noWanAtStart > 200);
  assert.is(fig(summary, FIGURE.incidentsRaised), noWanAtStart);
  assert.is(fig(summary, FIGURE.incidentsResolved), noWanAtStart, 'all within a day');
  assert.is(noWanAtEnd, 0);
  assert.ok(fig(summary, FIGURE.maxDaysToRestore) <= 1);
  // Planned when the run began (meters without WAN then), sent when due (WAN back by then).
  assert.is(fig(summary, FIGURE.mustGoByUtrn), 270);
  assert.is(
    armFig(summary, 'top-up-only', 'UTRNs issued') + armFig(summary, 'extended', 'UTRNs issued'),
    fig(summary, FIGURE.reissuedAfterLoss),
  );
});

test('DP092 maintenance: high impact holds the WAN (codes instead), low impact loses intermittent meters', async () => {
  const spec = smallUtrnSpec({
    events: [
      { day: 1, hour: 0, type: 'utrn-surge', supplier: 'Aurora Energy', messages: 6000, hours: 24 },
      { day: 0, hour: 21, type: 'dcc-maintenance', hours: 6, impact: 'low' },
      { day: 1, hour: 20, type: 'dcc-maintenance', hours: 4, impact: 'high' },
    ],
  });
  // No delayed commands from before the window to land in it: only what is sent in it.
  spec.dcc.wan.intermittentDelayShare = 0;
  const wanAccepted = new Map<number, number>();
  const intermittent = { lost: 0, other: 0 };
  let lossAfter = -1;
  const probe: ScenarioPlugin = {
    name: 'probe',
    afterStep(r, records) {
      const c = records.commands;
      for (let i = 0; i < c.length; i++) {
        if (c.channel[i] !== 0) continue;
        const reason = COMMAND_OUTCOMES[c.reason[i] as number];
        if (reason === 'ACCEPTED') wanAccepted.set(r.step, (wanAccepted.get(r.step) ?? 0) + 1);
        if (r.step >= 21 && r.step < 27 && r.fleet.columns.wanClass[c.meter[i] as number] === WanClass.Intermittent) {
          if (reason === 'WAN_LOST') intermittent.lost++;
          else intermittent.other++;
        }
      }
      if (r.step === 30) lossAfter = r.dcc.wan.intermittentLossShare;
    },
  };
  const { summary } = await run(spec, 1, probe);
  assert.is(fig(summary, FIGURE.maintenanceHigh), 1);
  assert.is(fig(summary, FIGURE.maintenanceLow), 1);
  for (let step = 44; step < 48; step++)
    assert.is(wanAccepted.get(step) ?? 0, 0, `nothing over the WAN at step ${step}`);
  assert.ok((wanAccepted.get(48) ?? 0) > 0, 'held commands land when the window ends');
  assert.ok(fig(summary, FIGURE.issuedWhileDown) > 0, 'surge messages went as codes while the DCC was down');
  assert.ok(intermittent.lost > 0);
  assert.is(intermittent.other, 0, 'every command to an intermittent meter is lost in a low-impact window');
  assert.is(lossAfter, 0.05, 'restored afterwards');
});

test('a core DCC outage during the surge sends codes instead, where the set can carry them', async () => {
  const spec = smallUtrnSpec({
    events: [
      { day: 1, hour: 0, type: 'utrn-surge', supplier: 'Aurora Energy', messages: 6000, hours: 24 },
      { day: 1, hour: 2, type: 'dcc-outage', hours: 6 },
    ],
    utrn: { fallback: { wanDown: true } },
  });
  const { summary } = await run(spec);
  assert.ok(fig(summary, FIGURE.issuedWhileDown) > 100);
  const off = smallUtrnSpec({
    events: spec.events.map((e) => ({ day: e.day, hour: e.hour, type: e.type, ...e.params })),
    utrn: { fallback: { wanDown: false } },
  });
  assert.is(fig((await run(off)).summary, FIGURE.issuedWhileDown), 0);
});

test('a single command set: every meter has that firmware', async () => {
  for (const commandSet of ['top-up-only', 'extended'] as const) {
    let flagged = -1;
    const probe: ScenarioPlugin = {
      name: 'probe',
      setup(r) {
        flagged = r.fleet.columns.utrnFlags.filter((f) => (f & UtrnFlag.ExtendedCommands) !== 0).length;
      },
    };
    const spec = smallUtrnSpec({ meters: 1500, days: 2, utrn: { commandSet } });
    const { summary } = await run(spec, 1, probe);
    assert.is(flagged, commandSet === 'extended' ? 1500 : 0);
    const other = commandSet === 'extended' ? 'top-up-only' : 'extended';
    assert.not.ok(
      Object.keys(summary.figures).some((f) => f.startsWith(`utrn: ${other}:`)),
      `no ${other} figures`,
    );
  }
});

test.run();
