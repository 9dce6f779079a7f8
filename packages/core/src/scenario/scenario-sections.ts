/**
 * The sections of a scenario file — fleet (with its suppliers and network operators), DCC and
 * timeline events — as zod schemas with the defaults a minimal file relies on.
 */
import * as z from 'zod';
import { closestName } from './scenario-error.js';
import {
  CORE_EVENT_TYPES,
  flag,
  integerIn,
  isRecord,
  MAX_DAYS,
  MAX_EVENT_HOURS,
  MAX_METERS,
  numberIn,
  partyName,
  rangeOf,
  SHARE_TOLERANCE,
  share,
  shareGroup,
  sumsToOne,
  uniqueNames,
} from './scenario-fields.js';
import type { TimelineEventSpec } from './scenario-spec.js';

// ---------------------------------------------------------------------------------------------
// Sections.

export const DEFAULT_SUPPLIERS = [
  { name: 'Aurora Energy', share: 0.45, srp: false },
  { name: 'Beacon Power', share: 0.35, srp: true },
  { name: 'Cobalt Supply', share: 0.2, srp: true },
];
export const DEFAULT_NETWORK_OPERATORS = [
  { name: 'Northern Networks', share: 0.5 },
  { name: 'Southern Grid', share: 0.5 },
];

export function supplierSchema() {
  return z
    .strictObject({
      name: partyName().describe('Unique name; events refer to the supplier by it.'),
      share: share().describe("Share of meters whose registered supplier this is; all suppliers' shares sum to 1."),
      srp: flag().default(false).describe('Whether a Shared Resource Provider runs its systems and holds its keys.'),
      unitPencePerKwh: numberIn(0, 1000).default(27).describe('Unit price, pence per kWh.'),
      standingChargePencePerDay: numberIn(0, 10_000).default(53).describe('Standing charge, pence per day.'),
      creditCoverPence: integerIn(0, 1_000_000_000_000)
        .default(5_000_000)
        .describe('DCC credit cover the party has lodged, pence.'),
      dccChargePencePerMeterMonth: numberIn(0, 10_000).default(30).describe('DCC charges per meter per month, pence.'),
      // Optional without a default, so a spec without it is unchanged (the engine reads `?? meters`).
      meterPoints: integerIn(0, 100_000_000)
        .nullable()
        .optional()
        .describe(
          'Meter points the DCC charges this party for each month (its national portfolio); left out or null: its meters in the simulated fleet.',
        ),
      prepaymentShare: share()
        .nullable()
        .default(null)
        .describe("Share of this supplier's meters on prepayment; null: fleet.paymentMode.prepayment."),
    })
    .describe('A supplier (SEC party) and its prices.');
}

export function fleetSchema() {
  const suppliers = z
    .array(supplierSchema(), { error: 'expected a list of 1 to 200 suppliers' })
    .min(1)
    .max(200)
    .superRefine((list, ctx) => {
      uniqueNames(list, 'fleet.suppliers', ctx);
      sumsToOne(
        list.map((s) => [JSON.stringify(s.name), s.share]),
        ctx,
      );
    })
    .prefault(DEFAULT_SUPPLIERS)
    .describe('Suppliers and their shares of the fleet.');
  const networkOperators = z
    .array(
      z.strictObject({
        name: partyName().describe('Unique name.'),
        share: share().describe("Share of meters on this operator's network; all shares sum to 1."),
      }),
      { error: 'expected a list of 1 to 40 network operators' },
    )
    .min(1)
    .max(40)
    .superRefine((list, ctx) => {
      uniqueNames(list, 'fleet.networkOperators', ctx);
      sumsToOne(
        list.map((o) => [JSON.stringify(o.name), o.share]),
        ctx,
      );
    })
    .prefault(DEFAULT_NETWORK_OPERATORS)
    .describe('Electricity and gas network operators and their shares of the fleet.');

  return z
    .strictObject({
      meters: integerIn(1, MAX_METERS).describe('Number of meters in the fleet.'),
      shardMeters: integerIn(1, MAX_METERS)
        .default(131_072)
        .describe(
          "Meters per shard: contiguous meters stepped by one pool task, and the unit of what couples meters (originator-counter order, ADT thresholds, plug-ins' capacities) so that a run can be split into segments of whole shards (docs/engine.md).",
        ),
      fuel: shareGroup({
        electricity: [0.55, 'Share of electricity meters.'],
        gas: [0.45, 'Share of gas meters.'],
      }).describe('Shares by fuel; they sum to 1.'),
      paymentMode: shareGroup({
        prepayment: [0.15, 'Share of prepayment meters.'],
        credit: [0.85, 'Share of credit meters.'],
      }).describe('Shares by payment mode; they sum to 1.'),
      wan: shareGroup({
        good: [0.88, 'Share of meters with good WAN.'],
        intermittent: [0.03, 'Share of meters with intermittent WAN.'],
        none: [0.09, 'Share of meters with no WAN (DP094: about 9 %).'],
      }).describe('Shares by WAN class; they sum to 1.'),
      vulnerableShare: share().default(0.12).describe('Share of consumers on the priority services register.'),
      meterSchedules: z
        .strictObject({
          share: share().default(0).describe('Share of meters whose own (meter-held) schedules send alerts.'),
          alertsPerDay: integerIn(0, 24).default(3).describe('Scheduled alerts such a meter sends a day.'),
          readsPerDay: integerIn(0, 24).default(1).describe('How many of them carry consumption readings.'),
        })
        .superRefine((m, ctx) => {
          if (m.readsPerDay > m.alertsPerDay)
            ctx.addIssue({
              code: 'custom',
              path: ['readsPerDay'],
              message: `got ${m.readsPerDay}, expected at most alertsPerDay (${m.alertsPerDay})`,
            });
        })
        .prefault({})
        .describe('Meter-held schedules: alerts sent to whoever holds the supplier cell.'),
      suppliers,
      networkOperators,
      consumption: z
        .strictObject({
          meanKwhPerDay: numberIn(0, 1000).default(8).describe('Mean daily consumption across the fleet, kWh.'),
          spread: numberIn(0, 1)
            .default(0.5)
            .describe('Spread of per-meter means around it: 0 = all equal, 0.5 = ±50 % uniform.'),
        })
        .prefault({})
        .describe('Consumption.'),
      prepayment: z
        .strictObject({
          initialCreditPounds: rangeOf(() => numberIn(0, 10_000), 2, 30).describe(
            'Credit each prepayment meter starts with, pounds: uniform between min and max.',
          ),
          emergencyCreditPounds: numberIn(0, 1000).default(10).describe('Emergency-credit limit, pounds.'),
          lowCreditPounds: numberIn(0, 1000).default(5).describe('Low-credit alert threshold, pounds.'),
          friendlyHours: z
            .strictObject({
              from: integerIn(0, 23).default(16).describe('First friendly hour of the day (local).'),
              to: integerIn(0, 23).default(8).describe('Hour the friendly period ends (exclusive).'),
            })
            .superRefine((h, ctx) => {
              if (h.from === h.to)
                ctx.addIssue({
                  code: 'custom',
                  message: `got from ${h.from} and to ${h.to}, expected different hours (for no friendly hours set friendlyHoursShare: 0)`,
                });
            })
            .prefault({})
            .describe('Friendly (non-disablement) hours, local hour of day: [from, to), may wrap past midnight.'),
          friendlyHoursShare: share()
            .default(1)
            .describe('Share of prepayment meters whose calendar holds friendly hours.'),
        })
        .prefault({})
        .describe('Prepayment meters.'),
      topUp: z
        .strictObject({
          thresholdPounds: numberIn(0, 1000)
            .default(5)
            .describe('Consumers think about topping up when credit falls below this, pounds.'),
          probabilityPerHour: share()
            .default(0.08)
            .describe('Chance per hour that a consumer below the threshold (or off supply) tops up.'),
          amountPounds: rangeOf(() => integerIn(1, 1000), 10, 30).describe(
            'How much, whole pounds: uniform between min and max.',
          ),
        })
        .prefault({})
        .describe('How prepayment consumers top up.'),
    })
    .describe('The meters: how many, and how they split by fuel, payment, WAN, supplier and network.');
}

export function dccSchema() {
  return z
    .strictObject({
      adt: z
        .strictObject({
          periodHours: integerIn(1, 8760).default(24).describe('Length of an ADT counting period, hours.'),
          thresholdPerParty: integerIn(1, 1_000_000_000)
            .default(100_000)
            .describe('Critical commands a party may send per period before the DCC quarantines the rest.'),
          releaseAfterHours: z
            .number({ error: 'expected an integer from 0 to 8760, or null (quarantined commands are deleted)' })
            .int()
            .min(0)
            .max(8760)
            .nullable()
            .default(24)
            .describe('Hours a quarantined command waits before release; null: deleted, never released.'),
        })
        .prefault({})
        .describe('Anomaly Detection Thresholds.'),
      wan: z
        .strictObject({
          intermittentDelayShare: share()
            .default(0.3)
            .describe('Chance that a command to an intermittent-WAN meter is delayed.'),
          intermittentDelayHours: integerIn(1, 720).default(6).describe('How long such a delay lasts, hours.'),
          intermittentLossShare: share()
            .default(0.05)
            .describe('Chance that a command to an intermittent-WAN meter is lost.'),
        })
        .superRefine((w, ctx) => {
          const sum = w.intermittentDelayShare + w.intermittentLossShare;
          if (sum > 1 + SHARE_TOLERANCE)
            ctx.addIssue({
              code: 'custom',
              message: `delay and loss are exclusive outcomes, so their shares must sum to at most 1, got ${Number(sum.toPrecision(12))} (intermittentDelayShare ${w.intermittentDelayShare} + intermittentLossShare ${w.intermittentLossShare})`,
            });
        })
        .prefault({})
        .describe('WAN delivery to intermittent-WAN meters (no-WAN meters never receive).'),
      alertPolicy: z
        .enum(['none', 'dcc-schedules', 'filter-non-critical'])
        .default('none')
        .describe(
          'What the DCC does about alerts to a party that is not the registered supplier: none; dcc-schedules (readings come from DCC-held schedules, validated against registration); filter-non-critical (drops non-critical alerts to such a party).',
        ),
    })
    .prefault({})
    .describe('DCC rules.');
}

// ---------------------------------------------------------------------------------------------
// Events: `{ day, hour, type, ...params }` in the file, `{ day, hour, type, params }` in the spec.

export function eventSchema(pluginEventTypes: ReadonlyMap<string, string>, forEditors: boolean) {
  const base = {
    day: integerIn(0, MAX_DAYS - 1).describe('Day of the run, counted from 0; less than `days`.'),
    hour: integerIn(0, 23)
      .default(0)
      .describe(
        'Hour of that run day, 0 to 23, counted from the time of day of `start`; the event fires in the step holding it.',
      ),
  };
  const hours = () => integerIn(1, MAX_EVENT_HOURS);
  const core = [
    z
      .strictObject({
        ...base,
        type: z.literal('weather-surge'),
        multiplier: z
          .number({ error: 'expected a number greater than 0 and at most 10' })
          .gt(0)
          .max(10)
          .describe('Consumption multiplier while the surge lasts (1.6 = +60 %).'),
        hours: hours().describe('How long the surge lasts, hours.'),
      })
      .describe('Extreme weather: consumption multiplied for a while.'),
    z
      .strictObject({ ...base, type: z.literal('dcc-outage'), hours: hours().describe('How long, hours.') })
      .describe('The DCC carries no commands for a while.'),
    z
      .strictObject({
        ...base,
        type: z.literal('supplier-fails'),
        supplier: z
          .string({ error: 'expected the name of a supplier in fleet.suppliers' })
          .trim()
          .min(1)
          .describe('Name of a supplier in fleet.suppliers.'),
        unpaidMonths: integerIn(1, 120)
          .optional()
          .describe(
            'Months of DCC charges the failed party leaves unpaid, counting its failure month, before the DCC stops charging it; left out: to the end of the run.',
          ),
      })
      .describe('A supplier ceases trading (a plug-in such as SoLR decides what follows).'),
  ] as const;
  const toSpec = ({ day, hour, type, ...params }: { day: number; hour: number; type: string }): TimelineEventSpec => ({
    day,
    hour,
    type,
    params,
  });

  if (forEditors) {
    // An editor cannot know which plug-ins a run loads: accept any other kebab-case type loosely.
    const notCore = new RegExp(`^(?!(?:${CORE_EVENT_TYPES.join('|')})$)[a-z0-9][a-z0-9-]*$`);
    const other = z
      .looseObject({ ...base, type: z.string().regex(notCore).describe('An event type a plug-in registered.') })
      .describe("An event a plug-in handles; its other fields are the plug-in's parameters.");
    return z.union([...core, other]).transform(toSpec);
  }

  const allowed = [
    ...CORE_EVENT_TYPES.map((t) => JSON.stringify(t)),
    ...[...pluginEventTypes].map(([t, plugin]) => `${JSON.stringify(t)} (plug-in ${plugin})`),
  ];
  const plugin = [...pluginEventTypes.keys()].map((t) => z.looseObject({ ...base, type: z.literal(t) }));
  return z
    .discriminatedUnion('type', [...core, ...plugin], {
      error: (iss) => {
        // Typed as union issues only, but a non-mapping event raises invalid_type here too.
        if ((iss as { code: string }).code === 'invalid_type')
          return 'expected a mapping with day:, type: and the event parameters';
        if (iss.code !== 'invalid_union') return undefined;
        const given = isRecord(iss.input) ? iss.input.type : undefined;
        const near =
          typeof given === 'string' ? closestName(given, [...CORE_EVENT_TYPES, ...pluginEventTypes.keys()]) : undefined;
        return `expected one of ${allowed.join(', ')}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`;
      },
    })
    .transform(toSpec);
}
