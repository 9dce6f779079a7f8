/**
 * An extreme-weather surge, planned once when the run starts: exactly `messages` extra messages
 * from one supplier to its prepayment meters, spread evenly over the surge, of which exactly
 * round(noWanShare × messages) go to its meters without WAN — the ones that must go by UTRN.
 * The fleet builder draws WAN classes at random, so the split is by allocation, not by luck:
 * the no-WAN messages cycle over the supplier's no-WAN meters (in a seeded shuffle), the others
 * over its meters with WAN. A message's kind follows the mix through a low-discrepancy sequence.
 * The plan is of the whole fleet as built (fleet-as-built.ts), the same in every segment; a
 * segment sends, and counts, only the messages to its own meters.
 */
import { type FleetState, PaymentMode, randomStream, WanClass } from '@gbfleet/core';
import { Calendar, ServiceRequest, type ServiceRequestKind } from '@gbfleet/gbcs';
import { UtrnPlanError } from './errors.js';
import type { SurgeMix, SurgeSpec } from './utrn-config.js';

export const MIX_KINDS = ['credit', 'emergencyCredit', 'nonDisconnect', 'friendlyCredit'] as const;
export type MixKind = (typeof MIX_KINDS)[number];

export interface SurgeGroup {
  /** The meters, in the order messages cycle over them. */
  meters: Uint32Array;
  /** Messages for this group, exactly. */
  messages: number;
}

export interface SurgePlan {
  surge: SurgeSpec;
  supplier: number;
  startStep: number;
  steps: number;
  /** Messages in all (after scaling to the fleet). */
  total: number;
  /** To the supplier's prepayment meters without WAN: these must go by UTRN. */
  noWan: SurgeGroup;
  /** To its prepayment meters with a WAN (good or intermittent). */
  wan: SurgeGroup;
}

export interface SurgeMessage {
  /** Index within its group. */
  index: number;
  meter: number;
  mix: MixKind;
  kind: ServiceRequestKind;
  argument: number;
}

/** Messages a surge sends on this fleet: `messages`, scaled when `forMeters` names another fleet size. */
export function surgeMessageCount(surge: SurgeSpec, meters: number): number {
  return surge.forMeters === null ? surge.messages : Math.round((surge.messages * meters) / surge.forMeters);
}

export function planSurge(
  surge: SurgeSpec,
  context: {
    fleet: FleetState;
    supplier: number;
    seed: string;
    startStep: number;
    stepHours: number;
    noWanShare: number;
  },
): SurgePlan {
  const { fleet, supplier } = context;
  const c = fleet.columns;
  const noWan: number[] = [];
  const wan: number[] = [];
  for (let m = 0; m < fleet.meters; m++) {
    if (c.registeredSupplier[m] !== supplier || c.paymentMode[m] !== PaymentMode.Prepayment) continue;
    (c.wanClass[m] === WanClass.None ? noWan : wan).push(m);
  }
  const total = surgeMessageCount(surge, fleet.meters);
  const toNoWan = Math.round((surge.noWanShare ?? context.noWanShare) * total);
  const where = `events[${surge.event}] (utrn-surge of ${surge.supplier})`;
  if (toNoWan > 0 && noWan.length === 0) {
    throw new UtrnPlanError(
      `${where}: ${toNoWan} messages must go to the supplier's prepayment meters without WAN, but it has none on this fleet; raise fleet.wan.none or the fleet size, or set noWanShare: 0`,
    );
  }
  if (total - toNoWan > 0 && wan.length === 0) {
    throw new UtrnPlanError(
      `${where}: ${total - toNoWan} messages must go to the supplier's prepayment meters with a WAN, but it has none on this fleet`,
    );
  }
  const order = randomStream(context.seed, 'utrn-surge-order', surge.event);
  return {
    surge,
    supplier,
    startStep: context.startStep,
    steps: Math.max(1, Math.ceil(surge.hours / context.stepHours)),
    total,
    noWan: { meters: shuffled(noWan, order), messages: toNoWan },
    wan: { meters: shuffled(wan, order), messages: total - toNoWan },
  };
}

function shuffled(list: number[], random: ReturnType<typeof randomStream>): Uint32Array {
  const out = Uint32Array.from(list);
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}

/** The half-open range of a group's message indexes due at `step` (even spread over the surge). */
export function dueRange(plan: SurgePlan, group: SurgeGroup, step: number): [number, number] {
  const k = step - plan.startStep;
  if (k < 0 || k >= plan.steps || group.messages === 0) return [0, 0];
  const lo = Math.ceil((k * group.messages) / plan.steps);
  const hi = Math.ceil(((k + 1) * group.messages) / plan.steps);
  return [lo, hi];
}

const GOLDEN = 0.6180339887498949;

/** Which part of the mix message `index` is: cumulative shares against a golden-ratio sequence. */
export function mixKindOf(mix: SurgeMix, index: number): MixKind {
  const u = ((index + 1) * GOLDEN) % 1;
  let cumulative = 0;
  for (const kind of MIX_KINDS) {
    cumulative += mix[kind];
    if (u < cumulative) return kind;
  }
  // Rounding of shares that sum to 1: the last kind with a share.
  return [...MIX_KINDS].reverse().find((k) => mix[k] > 0) ?? 'credit';
}

/** Messages for the meter at `position` of a group's cycle: one each in turn, so the first (messages mod n) get one more. */
export function messagesAt(group: SurgeGroup, position: number): number {
  const n = group.meters.length;
  return Math.floor(group.messages / n) + (position < group.messages % n ? 1 : 0);
}

export function surgeMessage(plan: SurgePlan, group: SurgeGroup, index: number): SurgeMessage {
  const meter = group.meters[index % group.meters.length] as number;
  const mix = mixKindOf(plan.surge.mix, index);
  switch (mix) {
    case 'credit':
      return { index, meter, mix, kind: ServiceRequest.TopUp, argument: plan.surge.creditPounds * 100 };
    case 'emergencyCredit':
      return {
        index,
        meter,
        mix,
        kind: ServiceRequest.SetEmergencyCreditLimit,
        argument: plan.surge.emergencyCreditPounds * 100,
      };
    case 'nonDisconnect':
      return { index, meter, mix, kind: ServiceRequest.SetNonDisablementCalendar, argument: Calendar.Always };
    case 'friendlyCredit':
      return { index, meter, mix, kind: ServiceRequest.SetNonDisablementCalendar, argument: Calendar.FriendlyHours };
  }
}
