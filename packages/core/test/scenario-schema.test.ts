import { readFileSync } from 'node:fs';
import { GbfleetError } from '@gbfleet/gbcs';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closestName, editDistance, formatPath } from '../src/scenario/scenario-error.ts';
import {
  type ParseScenarioOptions,
  parseScenario,
  ScenarioError,
  type ScenarioIssue,
  scenarioJsonSchema,
} from '../src/scenario/scenario-schema.ts';

const MINIMAL = { name: 'minimal', fleet: { meters: 1000 } };

/** Parses and expects failure; returns the issues (and checks the error's shape on the way). */
function issuesOf(value: unknown, options?: ParseScenarioOptions): ScenarioIssue[] {
  try {
    parseScenario(value, options);
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `expected ScenarioError, got ${String(error)}`);
    assert.ok(error instanceof GbfleetError);
    assert.is(error.code, 'GBF_SCENARIO');
    assert.ok(error.issues.length > 0);
    return error.issues;
  }
  assert.unreachable(`expected ${JSON.stringify(value)} to be rejected`);
  return [];
}

/** The one line `path: message` for `path`; fails if that path has no issue. */
function lineFor(issues: ScenarioIssue[], path: string): string {
  const issue = issues.find((i) => i.path === path);
  assert.ok(issue, `no issue at ${path}; got:\n${issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
  return `${issue.path}: ${issue.message}`;
}

/** MINIMAL with `patch` merged one level into fleet / top level. */
function withFleet(fleet: Record<string, unknown>, top: Record<string, unknown> = {}) {
  return { ...MINIMAL, ...top, fleet: { ...MINIMAL.fleet, ...fleet } };
}

test('a minimal file gets every default', () => {
  const spec = parseScenario(MINIMAL);
  assert.equal(spec, {
    name: 'minimal',
    description: '',
    seed: '1',
    start: '2026-01-05T00:00:00Z',
    days: 30,
    stepMinutes: 60,
    fleet: {
      meters: 1000,
      shardMeters: 131_072,
      fuel: { electricity: 0.55, gas: 0.45 },
      paymentMode: { prepayment: 0.15, credit: 0.85 },
      wan: { good: 0.88, intermittent: 0.03, none: 0.09 },
      vulnerableShare: 0.12,
      meterSchedules: { share: 0, alertsPerDay: 3, readsPerDay: 1 },
      suppliers: [
        {
          name: 'Aurora Energy',
          share: 0.45,
          srp: false,
          unitPencePerKwh: 27,
          standingChargePencePerDay: 53,
          creditCoverPence: 5_000_000,
          dccChargePencePerMeterMonth: 30,
          prepaymentShare: null,
        },
        {
          name: 'Beacon Power',
          share: 0.35,
          srp: true,
          unitPencePerKwh: 27,
          standingChargePencePerDay: 53,
          creditCoverPence: 5_000_000,
          dccChargePencePerMeterMonth: 30,
          prepaymentShare: null,
        },
        {
          name: 'Cobalt Supply',
          share: 0.2,
          srp: true,
          unitPencePerKwh: 27,
          standingChargePencePerDay: 53,
          creditCoverPence: 5_000_000,
          dccChargePencePerMeterMonth: 30,
          prepaymentShare: null,
        },
      ],
      networkOperators: [
        { name: 'Northern Networks', share: 0.5 },
        { name: 'Southern Grid', share: 0.5 },
      ],
      consumption: { meanKwhPerDay: 8, spread: 0.5 },
      prepayment: {
        initialCreditPounds: { min: 2, max: 30 },
        emergencyCreditPounds: 10,
        lowCreditPounds: 5,
        friendlyHours: { from: 16, to: 8 },
        friendlyHoursShare: 1,
      },
      topUp: { thresholdPounds: 5, probabilityPerHour: 0.08, amountPounds: { min: 10, max: 30 } },
    },
    dcc: {
      adt: { periodHours: 24, thresholdPerParty: 100_000, releaseAfterHours: 24 },
      wan: { intermittentDelayShare: 0.3, intermittentDelayHours: 6, intermittentLossShare: 0.05 },
      alertPolicy: 'none',
    },
    events: [],
    plugins: {},
  });
});

test('defaults are fresh objects: changing one spec does not change the next', () => {
  const a = parseScenario(MINIMAL);
  a.fleet.suppliers[0]!.name = 'Mutated';
  a.fleet.wan.good = 0;
  a.events.push({ day: 0, hour: 0, type: 'dcc-outage', params: {} });
  const b = parseScenario(MINIMAL);
  assert.is(b.fleet.suppliers[0]!.name, 'Aurora Energy');
  assert.is(b.fleet.wan.good, 0.88);
  assert.equal(b.events, []);
});

test('the input value is not modified', () => {
  const input = structuredClone(
    withFleet({ wan: { none: 0.09 } }, { events: [{ day: 1, type: 'dcc-outage', hours: 2 }] }),
  );
  const before = structuredClone(input);
  parseScenario(input);
  assert.equal(input, before);
});

test('given values win over defaults; members of a group default one by one', () => {
  const spec = parseScenario(
    withFleet(
      { wan: { good: 0.8, none: 0.17 }, prepayment: { initialCreditPounds: { max: 50 } } },
      { seed: 42, days: 7, stepMinutes: 15, start: '2026-03-01', description: 'x' },
    ),
  );
  assert.equal(spec.fleet.wan, { good: 0.8, intermittent: 0.03, none: 0.17 });
  assert.equal(spec.fleet.prepayment.initialCreditPounds, { min: 2, max: 50 });
  assert.is(spec.seed, '42');
  assert.is(spec.start, '2026-03-01T00:00:00Z');
  assert.is(parseScenario({ ...MINIMAL, start: '2026-03-01T06:30Z' }).start, '2026-03-01T06:30:00Z');
  assert.is(spec.days, 7);
  assert.is(spec.stepMinutes, 15);
  assert.is(parseScenario({ ...MINIMAL, dcc: { adt: { releaseAfterHours: null } } }).dcc.adt.releaseAfterHours, null);
});

test('shares outside [0, 1] and groups that do not sum to 1', () => {
  assert.is(
    lineFor(issuesOf(withFleet({ wan: { none: 0.06 } })), 'fleet.wan'),
    'fleet.wan: shares must sum to 1, got 0.97 (good 0.88 + intermittent 0.03 + none 0.06)',
  );
  assert.is(
    lineFor(issuesOf(withFleet({ fuel: { electricity: 0.5 } })), 'fleet.fuel'),
    'fleet.fuel: shares must sum to 1, got 0.95 (electricity 0.5 + gas 0.45)',
  );
  assert.match(
    lineFor(issuesOf(withFleet({ paymentMode: { prepayment: 0.2 } })), 'fleet.paymentMode'),
    'shares must sum to 1, got 1.05',
  );
  assert.is(
    lineFor(issuesOf(withFleet({ vulnerableShare: 1.5 })), 'fleet.vulnerableShare'),
    'fleet.vulnerableShare: got 1.5, expected a share from 0 to 1',
  );
  assert.is(
    lineFor(issuesOf(withFleet({ wan: { good: -0.1 } })), 'fleet.wan.good'),
    'fleet.wan.good: got -0.1, expected a share from 0 to 1',
  );
  // Decimal sums that are 1 only up to rounding are fine.
  parseScenario(withFleet({ wan: { good: 0.7, intermittent: 0.1, none: 0.2 } }));
  const suppliers = [
    { name: 'A', share: 0.5 },
    { name: 'B', share: 0.4 },
  ];
  assert.is(
    lineFor(issuesOf(withFleet({ suppliers })), 'fleet.suppliers'),
    'fleet.suppliers: shares must sum to 1, got 0.9 ("A" 0.5 + "B" 0.4)',
  );
  assert.match(
    lineFor(issuesOf(withFleet({ networkOperators: [{ name: 'N', share: 0.3 }] })), 'fleet.networkOperators'),
    'shares must sum to 1, got 0.3 ("N" 0.3)',
  );
  const wan = lineFor(issuesOf({ ...MINIMAL, dcc: { wan: { intermittentDelayShare: 0.99 } } }), 'dcc.wan');
  assert.match(wan, 'at most 1, got 1.04 (intermittentDelayShare 0.99 + intermittentLossShare 0.05)');
});

test('supplier and network-operator names are non-empty and unique', () => {
  const issues = issuesOf(
    withFleet({
      suppliers: [
        { name: 'Aurora', share: 0.5 },
        { name: 'aurora', share: 0.25 },
        { name: '   ', share: 0.25 },
      ],
      networkOperators: [
        { name: 'N', share: 0.5 },
        { name: 'N', share: 0.5 },
      ],
    }),
  );
  assert.is(
    lineFor(issues, 'fleet.suppliers[2].name'),
    'fleet.suppliers[2].name: got "   ", expected a non-empty name of at most 100 characters',
  );
  const duplicateSupplier = issuesOf(
    withFleet({
      suppliers: [
        { name: 'Aurora', share: 0.5 },
        { name: 'aurora', share: 0.5 },
      ],
    }),
  );
  assert.is(
    lineFor(duplicateSupplier, 'fleet.suppliers[1].name'),
    'fleet.suppliers[1].name: got "aurora", expected a name not used before (fleet.suppliers[0] has it)',
  );
  assert.match(lineFor(issues, 'fleet.networkOperators[1].name'), 'got "N", expected a name not used before');
  assert.match(
    lineFor(issuesOf(withFleet({ suppliers: [] })), 'fleet.suppliers'),
    'got an empty list, expected a list',
  );
});

test('counts and ranges name the field, the value and the range', () => {
  assert.is(
    lineFor(issuesOf(withFleet({ meters: -5 })), 'fleet.meters'),
    'fleet.meters: got -5, expected an integer from 1 to 50000000',
  );
  for (const meters of [0, 1.5, 50_000_001, Number.MAX_SAFE_INTEGER + 2]) {
    assert.match(lineFor(issuesOf(withFleet({ meters })), 'fleet.meters'), 'expected an integer from 1 to 50000000');
  }
  parseScenario(withFleet({ meters: 50_000_000 }));
  for (const days of [0, 3651, 2.5]) {
    assert.is(lineFor(issuesOf({ ...MINIMAL, days }), 'days'), `days: got ${days}, expected an integer from 1 to 3650`);
  }
  assert.is(
    lineFor(issuesOf({ ...MINIMAL, stepMinutes: 45 }), 'stepMinutes'),
    'stepMinutes: got 45, expected one of 15, 30, 60, 120, 180, 240, 360, 720, 1440 (minutes that divide a day)',
  );
  assert.is(
    lineFor(
      issuesOf(withFleet({ prepayment: { friendlyHours: { from: 24 } } })),
      'fleet.prepayment.friendlyHours.from',
    ),
    'fleet.prepayment.friendlyHours.from: got 24, expected an integer from 0 to 23',
  );
  assert.match(
    lineFor(
      issuesOf(withFleet({ prepayment: { friendlyHours: { from: 3, to: 3 } } })),
      'fleet.prepayment.friendlyHours',
    ),
    'got from 3 and to 3, expected different hours',
  );
  assert.is(
    lineFor(issuesOf({ ...MINIMAL, dcc: { adt: { releaseAfterHours: 'never' } } }), 'dcc.adt.releaseAfterHours'),
    'dcc.adt.releaseAfterHours: got "never", expected an integer from 0 to 8760, or null (quarantined commands are deleted)',
  );
});

test('min ≤ max pairs', () => {
  assert.is(
    lineFor(
      issuesOf(withFleet({ prepayment: { initialCreditPounds: { min: 40 } } })),
      'fleet.prepayment.initialCreditPounds',
    ),
    'fleet.prepayment.initialCreditPounds: got min 40 and max 30, expected min ≤ max',
  );
  assert.is(
    lineFor(issuesOf(withFleet({ topUp: { amountPounds: { min: 20, max: 10 } } })), 'fleet.topUp.amountPounds'),
    'fleet.topUp.amountPounds: got min 20 and max 10, expected min ≤ max',
  );
  assert.match(
    lineFor(issuesOf(withFleet({ topUp: { amountPounds: { min: 7.5 } } })), 'fleet.topUp.amountPounds.min'),
    'got 7.5, expected an integer from 1 to 1000',
  );
});

test('start, seed and name', () => {
  for (const start of ['2026-02-30', '2026-01-05 00:00', '2026-01-05T25:00:00Z', '2026-01-05T00:00:00+01:00', 'soon']) {
    assert.is(
      lineFor(issuesOf({ ...MINIMAL, start }), 'start'),
      `start: got ${JSON.stringify(start)}, expected a UTC date-time like 2026-01-05T00:00:00Z (or a date like 2026-01-05)`,
    );
  }
  assert.match(lineFor(issuesOf({ ...MINIMAL, seed: '' }), 'seed'), 'got "", expected a non-empty string');
  assert.match(lineFor(issuesOf({ ...MINIMAL, seed: -1 }), 'seed'), 'got -1, expected');
  assert.is(
    lineFor(issuesOf({ fleet: { meters: 1 } }), 'name'),
    'name: missing, expected a non-empty name of at most 200 characters',
  );
});

test('unknown keys are errors, with a suggestion when a known key is close', () => {
  const issues = issuesOf({ name: 'x', fleet: { metres: 1000 } });
  assert.is(lineFor(issues, 'fleet.metres'), 'fleet.metres: unknown field (did you mean "meters"?)');
  assert.is(lineFor(issues, 'fleet.meters'), 'fleet.meters: missing, expected an integer from 1 to 50000000');
  assert.is(lineFor(issuesOf({ ...MINIMAL, dayz: 3 }), 'dayz'), 'dayz: unknown field (did you mean "days"?)');
  assert.is(
    lineFor(issuesOf(withFleet({ wan: { intermitent: 0.03 } })), 'fleet.wan.intermitent'),
    'fleet.wan.intermitent: unknown field (did you mean "intermittent"?)',
  );
  assert.is(
    lineFor(issuesOf(withFleet({ suppliers: [{ name: 'A', share: 1, SRP: true }] })), 'fleet.suppliers[0].SRP'),
    'fleet.suppliers[0].SRP: unknown field (did you mean "srp"?)',
  );
  assert.match(
    lineFor(issuesOf({ ...MINIMAL, colour: 'blue' }), 'colour'),
    'colour: unknown field, expected one of name, description, seed, start, days, stepMinutes, fleet, dcc, events, plugins',
  );
  // Keys that are not identifiers are quoted in the path; __proto__ is just another unknown key.
  const odd = issuesOf(JSON.parse('{"name":"x","fleet":{"meters":1},"__proto__":{"polluted":1},"a b":1}'));
  assert.ok(odd.some((i) => i.path === '__proto__' && i.message.startsWith('unknown field')));
  assert.ok(odd.some((i) => i.path === '["a b"]'));
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test('wrong types: strings for numbers, lists for mappings, null', () => {
  assert.is(
    lineFor(issuesOf(withFleet({ meters: '1000' })), 'fleet.meters'),
    'fleet.meters: got "1000", expected an integer from 1 to 50000000 (write the number without quotes or digit separators)',
  );
  assert.match(
    lineFor(issuesOf(withFleet({ meters: '5_000_000' })), 'fleet.meters'),
    'without quotes or digit separators',
  );
  assert.match(
    lineFor(issuesOf(withFleet({ suppliers: [{ name: 'A', share: 1, srp: 'yes' }] })), 'fleet.suppliers[0].srp'),
    'got "yes", expected true or false (YAML 1.2 reads yes/no/on/off as text)',
  );
  assert.match(
    lineFor(issuesOf({ name: 'x', fleet: [] }), 'fleet'),
    /^fleet: got an empty list, expected a mapping with fields meters, shardMeters, fuel/,
  );
  assert.match(lineFor(issuesOf({ name: 'x', fleet: null }), 'fleet'), 'fleet: got null, expected a mapping');
  assert.match(
    lineFor(issuesOf({ name: null, fleet: { meters: 1 } }), 'name'),
    'name: got null, expected a non-empty name',
  );
  assert.match(
    lineFor(issuesOf(withFleet({ wan: [0.88, 0.03, 0.09] })), 'fleet.wan'),
    'got a list of 3, expected a mapping with fields good, intermittent, none',
  );
  assert.match(lineFor(issuesOf({ ...MINIMAL, events: { day: 1 } }), 'events'), 'got a mapping, expected a list');
  assert.match(
    lineFor(issuesOf({ ...MINIMAL, plugins: [] }), 'plugins'),
    'expected a mapping of plug-in name to its section',
  );
  for (const top of [null, undefined, [], 'hello', 42, true]) {
    const [issue] = issuesOf(top);
    assert.is(issue!.path, '');
    assert.match(issue!.message, 'expected a mapping with fields name,');
  }
  assert.match(issuesOf(null)[0]!.message, /^got null,/);
  assert.match(issuesOf(undefined)[0]!.message, /^missing,/);
  assert.match(lineFor(issuesOf(withFleet({ meters: Number.NaN })), 'fleet.meters'), 'got NaN, expected an integer');
  assert.match(lineFor(issuesOf(withFleet({ meters: Number.POSITIVE_INFINITY })), 'fleet.meters'), 'got Infinity');
});

test('core timeline events: params, defaults and checks', () => {
  const spec = parseScenario({
    ...MINIMAL,
    events: [
      { day: 10, type: 'weather-surge', multiplier: 1.6, hours: 72 },
      { day: 20, hour: 9, type: 'dcc-outage', hours: 6 },
      { day: 3, type: 'supplier-fails', supplier: 'Beacon Power' },
    ],
  });
  assert.equal(spec.events, [
    { day: 10, hour: 0, type: 'weather-surge', params: { multiplier: 1.6, hours: 72 } },
    { day: 20, hour: 9, type: 'dcc-outage', params: { hours: 6 } },
    { day: 3, hour: 0, type: 'supplier-fails', params: { supplier: 'Beacon Power' } },
  ]);

  const issues = issuesOf({
    ...MINIMAL,
    events: [
      { day: 30, type: 'dcc-outage', hours: 1 },
      { day: 1, hour: 24, type: 'weather-surge', multiplier: 0, hours: 1.5 },
      { day: 2, type: 'supplier-fails', supplier: 'Zeta' },
      { day: 2, type: 'supplier-fails', supplier: 'Beacon Powr' },
      { day: 2, type: 'weather-surge', multipler: 2, hours: 3 },
      { day: 2, type: 'dcc-outage', hours: 0 },
      { day: 2, type: 'weather-surge', multiplier: 11, hours: 1 },
      { day: -1, type: 'dcc-outage', hours: 1 },
    ],
  });
  assert.is(
    lineFor(issues, 'events[0].day'),
    'events[0].day: got 30, expected a day from 0 to 29 (days is 30; days count from 0)',
  );
  assert.is(lineFor(issues, 'events[1].hour'), 'events[1].hour: got 24, expected an integer from 0 to 23');
  assert.is(
    lineFor(issues, 'events[1].multiplier'),
    'events[1].multiplier: got 0, expected a number greater than 0 and at most 10',
  );
  assert.is(lineFor(issues, 'events[1].hours'), 'events[1].hours: got 1.5, expected an integer from 1 to 87600');
  assert.is(
    lineFor(issues, 'events[2].supplier'),
    'events[2].supplier: got "Zeta", expected one of "Aurora Energy", "Beacon Power", "Cobalt Supply"',
  );
  assert.match(lineFor(issues, 'events[3].supplier'), '(did you mean "Beacon Power"?)');
  assert.is(lineFor(issues, 'events[4].multipler'), 'events[4].multipler: unknown field (did you mean "multiplier"?)');
  assert.is(
    lineFor(issues, 'events[4].multiplier'),
    'events[4].multiplier: missing, expected a number greater than 0 and at most 10',
  );
  assert.match(lineFor(issues, 'events[5].hours'), 'got 0, expected an integer from 1 to');
  assert.match(lineFor(issues, 'events[6].multiplier'), 'got 11, expected a number greater than 0 and at most 10');
  assert.match(lineFor(issues, 'events[7].day'), 'got -1, expected an integer from 0 to 3649');
  // One problem, one issue: an out-of-range day is not also reported by the cross check.
  assert.is(issues.filter((i) => i.path === 'events[7].day').length, 1);

  // A day inside a shorter run is checked against that run.
  assert.match(
    lineFor(issuesOf({ ...MINIMAL, days: 5, events: [{ day: 5, type: 'dcc-outage', hours: 1 }] }), 'events[0].day'),
    'expected a day from 0 to 4 (days is 5',
  );
  // The supplier must be one of the file's own suppliers, not the defaults.
  assert.match(
    lineFor(
      issuesOf(
        withFleet(
          { suppliers: [{ name: 'Solo', share: 1 }] },
          { events: [{ day: 1, type: 'supplier-fails', supplier: 'Aurora Energy' }] },
        ),
      ),
      'events[0].supplier',
    ),
    'got "Aurora Energy", expected one of "Solo"',
  );
});

test('event types: unknown ones are errors unless a plug-in registered them', () => {
  const typo = issuesOf({ ...MINIMAL, events: [{ day: 1, type: 'weather-surg', multiplier: 2, hours: 1 }] });
  assert.is(
    lineFor(typo, 'events[0].type'),
    'events[0].type: got "weather-surg", expected one of "weather-surge", "dcc-outage", "supplier-fails" (did you mean "weather-surge"?)',
  );
  const missing = issuesOf({ ...MINIMAL, events: [{ day: 1 }] });
  assert.match(lineFor(missing, 'events[0].type'), 'events[0].type: missing, expected one of "weather-surge"');
  assert.match(lineFor(issuesOf({ ...MINIMAL, events: ['storm'] }), 'events[0]'), 'got "storm", expected a mapping');

  const file = { ...MINIMAL, events: [{ day: 4, type: 'solr-appointed', solr: 'Aurora Energy', delayDays: 3 }] };
  assert.match(lineFor(issuesOf(file), 'events[0].type'), 'got "solr-appointed", expected one of');
  const options = { pluginEventTypes: { 'solr-appointed': 'solr', 'utrn-campaign': 'utrn' } };
  const spec = parseScenario(file, options);
  assert.equal(spec.events, [
    { day: 4, hour: 0, type: 'solr-appointed', params: { solr: 'Aurora Energy', delayDays: 3 } },
  ]);
  const near = issuesOf({ ...MINIMAL, events: [{ day: 1, type: 'solr-apointed' }] }, options);
  assert.is(
    lineFor(near, 'events[0].type'),
    'events[0].type: got "solr-apointed", expected one of "weather-surge", "dcc-outage", "supplier-fails", "solr-appointed" (plug-in solr), "utrn-campaign" (plug-in utrn) (did you mean "solr-appointed"?)',
  );
  // day and hour are still checked for plug-in events.
  assert.match(
    lineFor(
      issuesOf({ ...MINIMAL, events: [{ day: 99, hour: -1, type: 'solr-appointed' }] }, options),
      'events[0].day',
    ),
    'got 99, expected a day from 0 to 29',
  );
});

test('plug-in sections are accepted only for loaded plug-ins', () => {
  const file = { ...MINIMAL, plugins: { solr: { strategy: 'make-safe' } } };
  assert.equal(parseScenario(file, { pluginSections: ['solr', 'utrn'] }).plugins, { solr: { strategy: 'make-safe' } });
  assert.is(
    lineFor(issuesOf(file), 'plugins.solr'),
    'plugins.solr: unknown plug-in section: no loaded plug-in reads one',
  );
  assert.is(
    lineFor(issuesOf({ ...MINIMAL, plugins: { solar: {} } }, { pluginSections: ['solr', 'utrn'] }), 'plugins.solar'),
    'plugins.solar: unknown plug-in section, expected one of "solr", "utrn" (did you mean "solr"?)',
  );
});

test('malformed options are a programming error, not a scenario error', () => {
  assert.throws(
    () => parseScenario(MINIMAL, { pluginEventTypes: { 'dcc-outage': 'mine' } }),
    (e: Error & { code?: string }) => e.code === 'GBF_INVALID_ARGUMENT' && e.message.includes('dcc-outage'),
  );
  assert.throws(
    () => parseScenario(MINIMAL, { pluginSections: [''] }),
    (e: Error & { code?: string }) => e.code === 'GBF_INVALID_ARGUMENT',
  );
});

test('every problem is reported at once, one paragraph each', () => {
  const value = {
    name: '',
    days: 0,
    stepMinutes: 7,
    fleet: {
      metres: 1000,
      wan: { none: 0.06 },
      suppliers: [{ name: 'A', share: '1' }],
      prepayment: { initialCreditPounds: { min: 50, max: 1 } },
    },
    dcc: { adt: { periodHours: 0 } },
    events: [{ day: 1, type: 'supplier-fails', supplier: 'Zeta' }],
  };
  let error: ScenarioError | undefined;
  try {
    parseScenario(value);
  } catch (e) {
    error = e as ScenarioError;
  }
  assert.ok(error instanceof ScenarioError);
  const paths = error.issues.map((i) => i.path).sort();
  assert.equal(paths, [
    'days',
    'dcc.adt.periodHours',
    'fleet.meters',
    'fleet.metres',
    'fleet.prepayment.initialCreditPounds',
    'fleet.suppliers[0].share',
    'fleet.wan',
    'name',
    'stepMinutes',
  ]);
  const lines = error.message.split('\n');
  assert.is(lines.length, error.issues.length);
  for (const issue of error.issues) assert.ok(lines.includes(`${issue.path}: ${issue.message}`));
  assert.equal(
    error.issues.find((i) => i.path === 'fleet.suppliers[0].share')?.value,
    '1',
    'the issue carries the value found',
  );
  // The supplier check waits for a valid supplier list; with one, it runs whatever else failed,
  // even a non-integer (which makes zod skip its own refinements).
  const fixed = { ...value, fleet: { ...value.fleet, meters: 1.5, suppliers: [{ name: 'A', share: 1 }] } };
  assert.match(lineFor(issuesOf(fixed), 'events[0].supplier'), 'got "Zeta", expected one of "A"');
});

test('a hostile input with thousands of problems keeps every issue but a bounded message', () => {
  const events = Array.from({ length: 5000 }, () => ({ day: -1, type: 'nope' }));
  let error: ScenarioError | undefined;
  try {
    parseScenario({ ...MINIMAL, events });
  } catch (e) {
    error = e as ScenarioError;
  }
  assert.ok(error instanceof ScenarioError);
  assert.ok(error.issues.length >= 5000);
  assert.ok(error.message.split('\n').length <= 101);
  assert.match(error.message, /… and \d+ more problems$/);
  assert.match(
    lineFor(issuesOf({ ...MINIMAL, events: Array(10_001).fill({ day: 1, type: 'dcc-outage', hours: 1 }) }), 'events'),
    'expected a list of at most 10000 events',
  );
});

test('property: any JSON value is either a spec or a ScenarioError', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      try {
        parseScenario(value);
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        for (const issue of error.issues) {
          if (typeof issue.path !== 'string' || issue.message === '') throw new Error('malformed issue');
        }
      }
    }),
    { numRuns: 1000 },
  );
});

test('property: a valid file with one field replaced by any JSON value never throws anything else', () => {
  const base = {
    name: 'base',
    days: 10,
    fleet: { meters: 10, wan: { none: 0.09 }, suppliers: [{ name: 'A', share: 1 }] },
    dcc: { adt: { periodHours: 24 } },
    events: [{ day: 1, type: 'supplier-fails', supplier: 'A' }],
  };
  const paths = [
    ['name'],
    ['days'],
    ['start'],
    ['fleet'],
    ['fleet', 'meters'],
    ['fleet', 'wan'],
    ['fleet', 'wan', 'none'],
    ['fleet', 'suppliers'],
    ['fleet', 'suppliers', 0],
    ['fleet', 'suppliers', 0, 'name'],
    ['dcc', 'adt'],
    ['events'],
    ['events', 0],
    ['events', 0, 'day'],
    ['events', 0, 'type'],
    ['events', 0, 'supplier'],
    ['plugins'],
  ] as const;
  fc.assert(
    fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, replacement) => {
      const value = structuredClone(base) as Record<string | number, unknown>;
      let node = value;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      node[path[path.length - 1]!] = replacement;
      try {
        const spec = parseScenario(value);
        const sum = spec.fleet.suppliers.reduce((s, x) => s + x.share, 0);
        if (Math.abs(sum - 1) > 1e-9) throw new Error('accepted shares that do not sum to 1');
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
      }
    }),
    { numRuns: 1000 },
  );
});

test('paths, distances and suggestions', () => {
  assert.is(formatPath(['fleet', 'suppliers', 1, 'share']), 'fleet.suppliers[1].share');
  assert.is(formatPath([0, 'a']), '[0].a');
  assert.is(formatPath(['plugins', 'a b', 'x']), 'plugins["a b"].x');
  assert.is(editDistance('metres', 'meters'), 1);
  assert.is(editDistance('', 'abc'), 3);
  assert.is(closestName('metres', ['meters', 'fuel']), 'meters');
  assert.is(closestName('zzzzzz', ['meters', 'fuel']), undefined);
  assert.is(closestName('x', ['a', 'b']), undefined);
});

test('JSON Schema for editors: draft 2020-12, with $id, title and defaults', () => {
  const schema = scenarioJsonSchema() as {
    $schema: string;
    $id: string;
    title: string;
    description: string;
    required: string[];
    additionalProperties: boolean;
    properties: Record<string, { default?: unknown }>;
  };
  assert.is(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.type(schema.$id, 'string');
  assert.ok(schema.title.length > 0 && schema.description.length > 0);
  assert.equal(schema.required, ['name', 'fleet']);
  assert.is(schema.additionalProperties, false);
  assert.equal(Object.keys(schema.properties), [
    'name',
    'description',
    'seed',
    'start',
    'days',
    'stepMinutes',
    'fleet',
    'dcc',
    'events',
    'plugins',
  ]);
  assert.is(schema.properties.days!.default, 30);
  assert.is(schema.properties.start!.default, '2026-01-05T00:00:00Z');
  assert.equal(scenarioJsonSchema(), scenarioJsonSchema(), 'deterministic');
});

test('the committed scenarios/scenario.schema.json is what scenarioJsonSchema() produces', () => {
  const committed = JSON.parse(
    readFileSync(new URL('../../../scenarios/scenario.schema.json', import.meta.url), 'utf8'),
  );
  assert.equal(
    committed,
    scenarioJsonSchema(),
    'stale: run node --conditions=source --import tsx scripts/export-scenario-schema.mjs',
  );
});

test.run();
