/** Small, complete scenarios for the UTRN plug-in's tests (through the core's own validation). */
import { parseScenario, type ScenarioSpec } from '@gbfleet/core';
import { UTRN_EVENT_TYPES } from '../../src/index.ts';

export const PARSE_OPTIONS = {
  pluginEventTypes: Object.fromEntries(UTRN_EVENT_TYPES.map((t) => [t, 'utrn'])),
  pluginSections: ['utrn'],
};

export interface SmallUtrnOptions {
  meters?: number;
  days?: number;
  seed?: string;
  events?: unknown[];
  utrn?: Record<string, unknown>;
}

/** A prepayment fleet for 1–4 March 2018 with a surge on day 1; override what a test is about. */
export function smallUtrnSpec(options: SmallUtrnOptions = {}): ScenarioSpec {
  return parseScenario(
    {
      name: 'utrn-test',
      seed: options.seed ?? '94',
      start: '2018-03-01T00:00:00Z',
      days: options.days ?? 3,
      fleet: {
        meters: options.meters ?? 3000,
        paymentMode: { prepayment: 1, credit: 0 },
        wan: { good: 0.86, intermittent: 0.05, none: 0.09 },
        suppliers: [
          { name: 'Aurora Energy', share: 0.8 },
          { name: 'Beacon Power', share: 0.2 },
        ],
        prepayment: { initialCreditPounds: { min: 0, max: 8 }, emergencyCreditPounds: 5 },
      },
      dcc: { adt: { thresholdPerParty: 1_000_000 } },
      events: options.events ?? [
        { day: 0, hour: 0, type: 'weather-surge', multiplier: 1.5, hours: 72 },
        { day: 1, hour: 0, type: 'utrn-surge', supplier: 'Aurora Energy', messages: 6000, hours: 24 },
      ],
      plugins: { utrn: options.utrn ?? {} },
    },
    PARSE_OPTIONS,
  );
}

export interface ShippedUtrnOptions {
  meters: number;
  shardMeters: number;
  days?: number;
  /** Extra events after the shipped ones. */
  events?: unknown[];
}

/**
 * scenarios/utrn-extreme-weather-2018.yaml as an object (this package cannot read YAML; keep the
 * two in step), at a test size: `meters` scales the surge as `--meters` does (forMeters).
 */
export function shippedUtrnSpec(options: ShippedUtrnOptions): ScenarioSpec {
  const supplier = (name: string) => ({
    name,
    share: name === 'Aurora Energy' ? 0.8 : 0.2,
    srp: false,
    unitPencePerKwh: 15,
    standingChargePencePerDay: 25,
    creditCoverPence: 5_000_000,
    dccChargePencePerMeterMonth: 30,
  });
  return parseScenario(
    {
      name: 'utrn-extreme-weather-2018',
      seed: '2018',
      start: '2018-03-01T00:00:00Z',
      days: options.days ?? 6,
      stepMinutes: 60,
      fleet: {
        meters: options.meters,
        shardMeters: options.shardMeters,
        fuel: { electricity: 0.55, gas: 0.45 },
        paymentMode: { prepayment: 1, credit: 0 },
        wan: { good: 0.86, intermittent: 0.05, none: 0.09 },
        vulnerableShare: 0.12,
        meterSchedules: { share: 0, alertsPerDay: 3, readsPerDay: 1 },
        suppliers: [supplier('Aurora Energy'), supplier('Beacon Power')],
        networkOperators: [
          { name: 'Northern Networks', share: 0.5 },
          { name: 'Southern Grid', share: 0.5 },
        ],
        consumption: { meanKwhPerDay: 9, spread: 0.5 },
        prepayment: {
          initialCreditPounds: { min: 0, max: 15 },
          emergencyCreditPounds: 5,
          lowCreditPounds: 3,
          friendlyHours: { from: 16, to: 8 },
          friendlyHoursShare: 0.5,
        },
        topUp: { thresholdPounds: 3, probabilityPerHour: 0.08, amountPounds: { min: 10, max: 30 } },
      },
      dcc: {
        alertPolicy: 'none',
        adt: { periodHours: 24, thresholdPerParty: 2_000_000, releaseAfterHours: 24 },
        wan: { intermittentDelayShare: 0.3, intermittentDelayHours: 6, intermittentLossShare: 0.05 },
      },
      events: [
        { day: 0, hour: 0, type: 'weather-surge', multiplier: 1.5, hours: 120 },
        {
          day: 0,
          hour: 0,
          type: 'no-wan-resolution',
          share: 1,
          maxDays: 90,
          withinShare: 0.99,
          lateMaxDays: 180,
        },
        {
          day: 2,
          hour: 0,
          type: 'utrn-surge',
          supplier: 'Aurora Energy',
          messages: 963_118,
          forMeters: 500_000,
          hours: 48,
          noWanShare: 0.09,
          mix: { credit: 0.4, emergencyCredit: 0.3, nonDisconnect: 0.2, friendlyCredit: 0.1 },
          creditPounds: 10,
          emergencyCreditPounds: 30,
        },
        ...(options.events ?? []),
      ],
      plugins: {
        utrn: {
          commandSet: 'compare',
          consumer: {
            entryDelayHours: { mean: 6, max: 72 },
            awakeHours: { from: 7, to: 23 },
            digitErrorRate: 0.004,
            secondSlipShare: 0.25,
            attemptsPerSitting: 3,
            sittings: 2,
            retryAfterHours: 6,
            neverEnterShare: 0.02,
          },
          siteVisitHours: { min: 24, max: 120 },
          fallback: { wanLost: true, wanDown: true },
          maintenance: { highImpactPerMonth: 1, lowImpactPerMonth: 3, hours: 6 },
        },
      },
    },
    PARSE_OPTIONS,
  );
}
