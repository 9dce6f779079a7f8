/**
 * The surge plan: exactly round(noWanShare × messages) messages for the supplier's meters without
 * WAN whatever the random WAN draw gave (the calibration needs an exact count), the rest for its
 * meters with WAN, spread evenly over the surge, in the mix's proportions; the messages to any
 * range of meters (a segment's) are counted without sending them, and add up to the plan; a
 * fleet the surge cannot be planned on is a UtrnPlanError naming the event.
 */
import { buildFleet, PaymentMode, WanClass } from '@gbfleet/core';
import { ServiceRequest } from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUtrnConfig, planSurge, surgeMessageCount } from '../src/index.ts';
import { dueRange, MIX_KINDS, messagesAt, mixKindOf, surgeMessage } from '../src/surge-plan.ts';
import { smallUtrnSpec } from './helpers/utrn-spec.ts';

const SUPPLIERS = [1, 2];
const fleetOf = (spec: ReturnType<typeof smallUtrnSpec>) =>
  buildFleet(spec.fleet, spec.seed, { suppliers: SUPPLIERS, networkOperators: [3, 4], acb: 0 });

function planFor(messages: number, share: number | undefined, meters = 4000) {
  const spec = smallUtrnSpec({
    meters,
    events: [
      {
        day: 1,
        type: 'utrn-surge',
        supplier: 'Aurora Energy',
        messages,
        hours: 48,
        ...(share === undefined ? {} : { noWanShare: share }),
      },
    ],
  });
  const surge = parseUtrnConfig(spec)?.surges[0];
  if (!surge) throw new Error('surge');
  const fleet = fleetOf(spec);
  return {
    fleet,
    plan: planSurge(surge, {
      fleet,
      supplier: 1,
      seed: spec.seed,
      startStep: 24,
      stepHours: 1,
      noWanShare: spec.fleet.wan.none,
    }),
  };
}

test('exactly round(share × messages) go to meters without WAN, every time', () => {
  for (const [messages, share] of [
    [963_118, 0.09],
    [7_705, 0.09],
    [1_001, 0.5],
    [10, 0],
    [3, 1],
  ] as const) {
    const { plan, fleet } = planFor(messages, share);
    assert.is(plan.total, messages);
    assert.is(plan.noWan.messages, Math.round(share * messages), `${messages} × ${share}`);
    assert.is(plan.noWan.messages + plan.wan.messages, messages);
    const c = fleet.columns;
    for (const m of plan.noWan.meters) {
      assert.is(c.wanClass[m], WanClass.None);
      assert.is(c.registeredSupplier[m], 1);
      assert.is(c.paymentMode[m], PaymentMode.Prepayment);
    }
    for (const m of plan.wan.meters) assert.is.not(c.wanClass[m], WanClass.None);
  }
  assert.is(Math.round(0.09 * 963_118), 86_681, "DP094's figure");
  // Without noWanShare, the fleet's own share of meters without WAN.
  assert.is(planFor(1000, undefined).plan.noWan.messages, 90);
});

test('messages are spread evenly over the surge; each meter of a group in turn', () => {
  const { plan } = planFor(10_001, 0.09);
  for (const group of [plan.noWan, plan.wan]) {
    let sent = 0;
    let next = 0;
    for (let step = 0; step < 100; step++) {
      const [lo, hi] = dueRange(plan, group, step);
      if (step < 24 || step >= 72) assert.is(hi - lo, 0, `step ${step}`);
      else {
        assert.is(lo, next, 'ranges follow on from each other');
        assert.ok(hi - lo >= Math.floor(group.messages / 48) && hi - lo <= Math.ceil(group.messages / 48));
        next = hi;
      }
      sent += hi - lo;
    }
    assert.is(sent, group.messages);
    const seen = new Set<number>();
    for (let j = 0; j < group.meters.length && j < group.messages; j++) seen.add(surgeMessage(plan, group, j).meter);
    assert.is(seen.size, Math.min(group.meters.length, group.messages), 'no meter twice before every meter once');
  }
});

test("each meter's messages, counted by its place in the cycle, add up to the plan over any split", () => {
  const { plan } = planFor(963_118, 0.09);
  for (const group of [plan.noWan, plan.wan]) {
    const cycled = new Map<number, number>();
    for (let j = 0; j < group.messages; j++) {
      const meter = surgeMessage(plan, group, j).meter;
      cycled.set(meter, (cycled.get(meter) ?? 0) + 1);
    }
    for (let p = 0; p < group.meters.length; p++) {
      assert.is(messagesAt(group, p), cycled.get(group.meters[p] as number) ?? 0, `position ${p}`);
    }
    // Four segments of 1,000 meters: their own meters' messages add up to the group's, exactly.
    let total = 0;
    for (let lo = 0; lo < 4000; lo += 1000) {
      for (let p = 0; p < group.meters.length; p++) {
        const m = group.meters[p] as number;
        if (m >= lo && m < lo + 1000) total += messagesAt(group, p);
      }
    }
    assert.is(total, group.messages);
  }
  assert.is(plan.noWan.messages, 86_681, "DP094's figure");
});

test('kinds follow the mix', () => {
  const mix = { credit: 0.4, emergencyCredit: 0.3, nonDisconnect: 0.2, friendlyCredit: 0.1 };
  const counts = Object.fromEntries(MIX_KINDS.map((k) => [k, 0])) as Record<string, number>;
  for (let j = 0; j < 10_000; j++) counts[mixKindOf(mix, j)] = (counts[mixKindOf(mix, j)] as number) + 1;
  for (const k of MIX_KINDS) assert.ok(Math.abs((counts[k] as number) / 10_000 - mix[k]) < 0.002, `${k}: ${counts[k]}`);
  assert.is(mixKindOf({ credit: 0, emergencyCredit: 0, nonDisconnect: 0, friendlyCredit: 1 }, 5), 'friendlyCredit');
  const { plan } = planFor(100, 0.5);
  const kinds = new Set(Array.from({ length: 40 }, (_, j) => surgeMessage(plan, plan.wan, j).kind));
  assert.equal(
    [...kinds].sort(),
    [ServiceRequest.TopUp, ServiceRequest.SetEmergencyCreditLimit, ServiceRequest.SetNonDisablementCalendar].sort(),
  );
});

test('scaled to the fleet with forMeters; unplannable surges are refused with the event named', () => {
  const spec = smallUtrnSpec();
  const surge = {
    ...(parseUtrnConfig(spec)?.surges[0] as NonNullable<ReturnType<typeof parseUtrnConfig>>['surges'][number]),
  };
  assert.is(surgeMessageCount({ ...surge, messages: 963_118, forMeters: 500_000 }, 500_000), 963_118);
  assert.is(surgeMessageCount({ ...surge, messages: 963_118, forMeters: 500_000 }, 5_000), 9_631);
  const tiny = smallUtrnSpec({ meters: 5 });
  const fleet = fleetOf(tiny);
  for (let m = 0; m < 5; m++) fleet.columns.wanClass[m] = WanClass.Good;
  assert.throws(
    () =>
      planSurge(
        { ...surge, noWanShare: 0.5 },
        { fleet, supplier: 1, seed: '1', startStep: 0, stepHours: 1, noWanShare: 0.09 },
      ),
    (e: Error & { code?: string }) =>
      e.code === 'GBF_UTRN_PLAN' &&
      /events\[1\] \(utrn-surge of Aurora Energy\): 3000 messages must go to the supplier's prepayment meters without WAN, but it has none/.test(
        e.message,
      ),
  );
  for (let m = 0; m < 5; m++) fleet.columns.wanClass[m] = WanClass.None;
  assert.throws(
    () =>
      planSurge(
        { ...surge, noWanShare: 0.5 },
        { fleet, supplier: 1, seed: '1', startStep: 0, stepHours: 1, noWanShare: 0.09 },
      ),
    /with a WAN, but it has none/,
  );
});

test.run();
