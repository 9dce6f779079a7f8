/**
 * The shipped SoLR scenarios as the validator turns them into specs, on a test-sized fleet:
 * scenarios/solr-disorderly-exit.yaml and one variant of scenarios/solr-policy-comparison.yaml
 * (its sweep fields given), with every rate and the ADT threshold scaled by the fleet's size so
 * that queues, quotas and quarantine bind as they do at full size. Keep them in step with the files.
 */
import { parseScenario, type ScenarioSpec } from '@gbfleet/core';

/** A test fleet: `meters` in shards of `shardMeters`. */
export interface TestFleet {
  meters: number;
  shardMeters: number;
}

/** solr-disorderly-exit.yaml (2,000,000 meters, 24 days) at `fleet.meters`. */
export function disorderlyExitSpec(fleet: TestFleet): ScenarioSpec {
  const scale = fleet.meters / 2_000_000;
  const rate = (perHour: number) => Math.max(1, Math.round(perHour * scale));
  return parseScenario(
    {
      name: 'solr-disorderly-exit',
      seed: '2021',
      start: '2026-01-05T00:00:00Z',
      days: 24,
      stepMinutes: 60,
      fleet: {
        meters: fleet.meters,
        shardMeters: fleet.shardMeters,
        paymentMode: { prepayment: 0.15, credit: 0.85 },
        wan: { good: 0.88, intermittent: 0.03, none: 0.09 },
        vulnerableShare: 0.12,
        suppliers: [
          { name: 'Aurora Energy', share: 0.4, srp: false },
          { name: 'Beacon Power', share: 0.3, srp: true },
          { name: 'Cobalt Supply', share: 0.175, srp: true },
          { name: 'Failing Energy', share: 0.125, srp: true, prepaymentShare: 0.4 },
        ],
        prepayment: {
          initialCreditPounds: { min: 0, max: 25 },
          emergencyCreditPounds: 10,
          lowCreditPounds: 5,
          friendlyHours: { from: 16, to: 8 },
          friendlyHoursShare: 1,
        },
        topUp: { thresholdPounds: 5, probabilityPerHour: 0.08, amountPounds: { min: 10, max: 30 } },
      },
      dcc: { adt: { periodHours: 24, thresholdPerParty: rate(120_000), releaseAfterHours: 24 } },
      events: [
        { day: 1, hour: 9, type: 'supplier-fails', supplier: 'Failing Energy' },
        { day: 8, hour: 6, type: 'weather-surge', multiplier: 1.5, hours: 72 },
      ],
      plugins: {
        solr: {
          supplier: 'Failing Energy',
          srp: {
            strategy: ['calendar', 'emergency-credit'],
            startDelayHours: 12,
            commandsPerHour: rate(25_000),
            emergencyCreditPounds: 150,
          },
          continueVending: true,
          appointAfterDays: 3,
          pma: { delayedRevocation: true, delayedRegistrationTransfer: true },
          adtFastTrack: false,
          solr: {
            name: 'Last Resort Energy',
            onboardingDays: 14,
            cosPerHour: rate(25_000),
            revertsPerHour: rate(25_000),
            revertCreditPounds: 15,
          },
        },
      },
    },
    { pluginSections: ['solr'] },
  );
}

/** One variant of solr-policy-comparison.yaml (200,000 meters, 16 days) at `fleet.meters`. */
export function policyComparisonSpec(
  fleet: TestFleet,
  variant: { strategy: string[]; delayedRevocation: boolean; adtFastTrack: boolean },
): ScenarioSpec {
  const scale = fleet.meters / 200_000;
  const rate = (perHour: number) => Math.max(1, Math.round(perHour * scale));
  return parseScenario(
    {
      name: 'solr-policy-comparison',
      seed: '134',
      start: '2026-01-05T00:00:00Z',
      days: 16,
      stepMinutes: 60,
      fleet: {
        meters: fleet.meters,
        shardMeters: fleet.shardMeters,
        wan: { good: 0.88, intermittent: 0.03, none: 0.09 },
        suppliers: [
          { name: 'Aurora Energy', share: 0.5, srp: false },
          { name: 'Beacon Power', share: 0.375, srp: true },
          { name: 'Failing Energy', share: 0.125, srp: true, prepaymentShare: 0.4 },
        ],
        prepayment: { initialCreditPounds: { min: 0, max: 20 }, emergencyCreditPounds: 5 },
        topUp: { thresholdPounds: 5, probabilityPerHour: 0.05, amountPounds: { min: 10, max: 25 } },
      },
      dcc: { adt: { periodHours: 24, thresholdPerParty: rate(3000), releaseAfterHours: 24 } },
      events: [{ day: 1, hour: 9, type: 'supplier-fails', supplier: 'Failing Energy' }],
      plugins: {
        solr: {
          supplier: 'Failing Energy',
          continueVending: false,
          appointAfterDays: 3,
          srp: {
            strategy: variant.strategy,
            startDelayHours: 6,
            commandsPerHour: rate(2000),
            emergencyCreditPounds: 20,
          },
          pma: {
            delayedRevocation: variant.delayedRevocation,
            revokeAfterAppointmentHours: 0,
            delayedRegistrationTransfer: true,
          },
          adtFastTrack: variant.adtFastTrack,
          solr: {
            name: 'Last Resort Energy',
            onboardingDays: 7,
            cosPerHour: rate(5000),
            revertsPerHour: rate(5000),
          },
        },
      },
    },
    { pluginSections: ['solr'] },
  );
}
