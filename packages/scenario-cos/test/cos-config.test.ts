/**
 * The `plugins.cos` section: defaults, and hostile input — every problem reported at once, each
 * naming the field, the value found and what is allowed, before anything runs.
 */
import assert from 'node:assert/strict';
import { ScenarioError, type ScenarioIssue } from '@gbfleet/core';
import { test } from 'uvu';
import { cosScenario, parseCosConfig } from '../src/index.ts';
import { calibrationSpec, marketSpec } from './helpers/cos-spec.ts';

const BATCH = { day: 0, from: 'Aurora Energy', to: 'Beacon Power', meters: 100 };

function issuesOf(section: unknown): ScenarioIssue[] {
  try {
    cosScenario.create(marketSpec(section));
  } catch (error) {
    assert.ok(error instanceof ScenarioError, String(error));
    assert.equal(error.code, 'GBF_SCENARIO');
    return error.issues;
  }
  assert.fail('the section was accepted');
}

/** The one line for `path` (`path: message`), so tests read like the user's screen. */
function lineFor(issues: ScenarioIssue[], path: string): string {
  const issue = issues.find((i) => i.path === path);
  assert.ok(issue, `no issue at ${path}; issues: ${issues.map((i) => `${i.path}: ${i.message}`).join(' | ')}`);
  return `${issue.path}: ${issue.message}`;
}

test('the calibration section is read in full; defaults fill the rest', () => {
  const config = parseCosConfig(calibrationSpec());
  assert.ok(config);
  assert.deepEqual(config.batches, [
    {
      day: 0,
      hour: 0,
      overDays: 1,
      from: 'Losing Energy',
      to: 'Gaining Energy',
      meters: 1046,
      share: null,
      sr623: [
        {
          share: 1,
          send: 'late',
          reason: 'immature-process',
          delayDays: { kind: 'fixed', days: 78 },
          returnDays: null,
        },
      ],
    },
  ]);
  assert.deepEqual(config.meterSchedules, { alertsPerDay: 3, readsPerDay: 1 });
  assert.deepEqual(config.losingSupplier, { commandShare: 0.01, delayDays: { kind: 'uniform', min: 0, max: 14 } });
  const minimal = parseCosConfig(marketSpec({ batches: [{ day: 2, to: 'Cobalt Supply', share: 0.5 }] }));
  assert.deepEqual(minimal, {
    batches: [
      {
        day: 2,
        hour: 0,
        overDays: 1,
        from: null,
        to: 'Cobalt Supply',
        meters: null,
        share: 0.5,
        sr623: [{ share: 1, send: 'on-time', reason: null, delayDays: null, returnDays: null }],
      },
    ],
    sr623Retry: { afterHours: 24, max: 3 },
    meterSchedules: null,
    losingSupplier: { commandShare: 0, delayDays: { kind: 'uniform', min: 0, max: 14 } },
    perDayFigures: true,
  });
});

test('delays: fixed, uniform and exponential; a batch may override the default sr623', () => {
  const config = parseCosConfig(
    marketSpec({
      batches: [
        BATCH,
        {
          ...BATCH,
          from: 'Cobalt Supply',
          sr623: [
            { share: 0.5, send: 'late', reason: 'not-registered', delayDays: { mean: 7 } },
            { share: 0.5, send: 'never', reason: 'erroneous-transfer', returnDays: { min: 10, max: 20 } },
          ],
        },
      ],
      sr623: [{ share: 1, send: 'late', reason: 'immature-process', delayDays: 2.5 }],
    }),
  );
  assert.ok(config);
  assert.deepEqual(config.batches[0]?.sr623[0]?.delayDays, { kind: 'fixed', days: 2.5 });
  assert.deepEqual(config.batches[1]?.sr623[0]?.delayDays, { kind: 'exponential', mean: 7 });
  assert.deepEqual(config.batches[1]?.sr623[1]?.returnDays, { kind: 'uniform', min: 10, max: 20 });
});

test('no section: null config and a plug-in that does nothing', () => {
  const spec = marketSpec(undefined);
  delete spec.plugins.cos;
  assert.equal(parseCosConfig(spec), null);
  // Only the checkpoint hooks, which keep nothing.
  assert.deepEqual(Object.keys(cosScenario.create(spec)), ['name', 'checkpoint', 'restore']);
  assert.equal(cosScenario.hasSection, true);
});

test('the section itself: not a mapping, unknown fields with suggestions, batches missing', () => {
  for (const value of [null, 5, 'cos', [], [BATCH], new Date(0)]) {
    assert.match(
      lineFor(issuesOf(value), 'plugins.cos'),
      /^plugins\.cos: got .+, expected a mapping with fields "batches"/,
    );
  }
  const issues = issuesOf({ batchs: [BATCH], sr632: [] });
  assert.equal(
    lineFor(issues, 'plugins.cos.batchs'),
    'plugins.cos.batchs: unknown field, expected one of "batches", "sr623", "sr623Retry", "meterSchedules", "losingSupplier", "perDayFigures" (did you mean "batches"?)',
  );
  assert.match(lineFor(issues, 'plugins.cos.sr632'), /\(did you mean "sr623"\?\)$/);
  assert.equal(
    lineFor(issues, 'plugins.cos.batches'),
    'plugins.cos.batches: missing, expected a list of 1 to 1000 entries',
  );
  assert.equal(
    lineFor(issuesOf({ batches: [] }), 'plugins.cos.batches'),
    'plugins.cos.batches: got an empty list, expected a list of 1 to 1000 entries',
  );
  assert.match(
    lineFor(issuesOf({ batches: Array.from({ length: 1001 }, () => BATCH) }), 'plugins.cos.batches'),
    /got a list of 1001, expected a list of 1 to 1000/,
  );
});

test('batches: days, hours, suppliers, meters and shares out of range, all reported at once', () => {
  const issues = issuesOf({
    batches: [
      { day: 6, hour: 24, overDays: 0, from: 'Aurora energy', to: 'Zeta Power', meters: 3001 },
      { day: -1, to: 'Beacon Power', from: 'Beacon Power', share: 1.5 },
      { day: 1.5, to: 'Beacon Power', meters: 10, share: 0.5 },
      { day: '1', to: 7 },
      { day: 0, to: 'Beacon Power', meters: '100' },
      { day: 0, to: 'Beacon Power', meters: 0, colour: 'red' },
    ],
  });
  const b = 'plugins.cos.batches';
  assert.equal(
    lineFor(issues, `${b}[0].day`),
    `${b}[0].day: got 6, expected an integer from 0 to 5 (days count from 0; the run has 6)`,
  );
  assert.equal(lineFor(issues, `${b}[0].hour`), `${b}[0].hour: got 24, expected an integer from 0 to 23`);
  assert.equal(lineFor(issues, `${b}[0].overDays`), `${b}[0].overDays: got 0, expected an integer from 1 to 3650`);
  assert.equal(
    lineFor(issues, `${b}[0].from`),
    `${b}[0].from: got "Aurora energy", expected the name of a supplier in fleet.suppliers: "Aurora Energy", "Beacon Power", "Cobalt Supply" (did you mean "Aurora Energy"?)`,
  );
  assert.match(
    lineFor(issues, `${b}[0].to`),
    /^plugins\.cos\.batches\[0\]\.to: got "Zeta Power", expected the name of a supplier/,
  );
  assert.equal(
    lineFor(issues, `${b}[0].meters`),
    `${b}[0].meters: got 3001, expected an integer from 1 to 3000 (the fleet has 3000 meters)`,
  );
  assert.match(lineFor(issues, `${b}[1].day`), /got -1, expected an integer from 0 to 5/);
  assert.equal(
    lineFor(issues, `${b}[1].from`),
    `${b}[1].from: got "Beacon Power", expected a supplier other than the gaining supplier (to: "Beacon Power")`,
  );
  assert.equal(lineFor(issues, `${b}[1].share`), `${b}[1].share: got 1.5, expected a share (a decimal) from 0 to 1`);
  assert.match(lineFor(issues, `${b}[2].day`), /got 1\.5, expected an integer/);
  assert.match(lineFor(issues, `${b}[2]`), /expected exactly one of "meters" \(how many switch\) and "share"/);
  assert.match(lineFor(issues, `${b}[3].day`), /got "1", expected an integer/);
  assert.match(lineFor(issues, `${b}[3].to`), /got 7, expected the name of a supplier/);
  assert.match(lineFor(issues, `${b}[3]`), /missing, expected exactly one of "meters"/);
  assert.match(lineFor(issues, `${b}[4].meters`), /got "100", expected an integer from 1 to 3000/);
  assert.match(lineFor(issues, `${b}[5].meters`), /got 0, expected an integer from 1 to 3000/);
  assert.match(
    lineFor(issues, `${b}[5].colour`),
    /unknown field, expected one of "day", "hour", "overDays", "from", "to"/,
  );
});

test('sr623 outcomes: shares must sum to 1, send and reason from their lists, delays only where they mean something', () => {
  const issues = issuesOf({
    batches: [
      {
        ...BATCH,
        sr623: [
          { share: 0.5, send: 'on-time' },
          { share: 0.4, send: 'never', reason: 'not-registered' },
        ],
      },
      {
        ...BATCH,
        sr623: [
          { share: 0.2, send: 'soon' },
          { share: 0.2, send: 'late', reason: 'lazy', delayDays: 3 },
          { share: 0.2, send: 'on-time', reason: 'not-registered', delayDays: 1 },
          { share: 0.2, send: 'never', reason: 'immature-process', delayDays: 4, returnDays: 2 },
          { share: 0.2, send: 'late', reason: 'immature-process' },
        ],
      },
      { ...BATCH, sr623: { share: 1, send: 'on-time' } },
      { ...BATCH, sr623: [] },
    ],
  });
  const b = 'plugins.cos.batches';
  assert.equal(
    lineFor(issues, `${b}[0].sr623`),
    `${b}[0].sr623: shares must sum to 1, got 0.9 (on-time 0.5 + never 0.4)`,
  );
  assert.equal(
    lineFor(issues, `${b}[1].sr623[0].send`),
    `${b}[1].sr623[0].send: got "soon", expected one of "on-time", "late", "never"`,
  );
  assert.equal(
    lineFor(issues, `${b}[1].sr623[1].reason`),
    `${b}[1].sr623[1].reason: got "lazy", expected one of "not-registered", "immature-process", "erroneous-transfer"`,
  );
  assert.match(
    lineFor(issues, `${b}[1].sr623[2].reason`),
    /expected nothing: SR 6\.23 sent on time has no reason or delay/,
  );
  assert.match(lineFor(issues, `${b}[1].sr623[2].delayDays`), /got 1, expected nothing/);
  assert.match(
    lineFor(issues, `${b}[1].sr623[3].delayDays`),
    /got 4, expected nothing: SR 6\.23 that is never sent has no delay/,
  );
  assert.match(
    lineFor(issues, `${b}[1].sr623[3].returnDays`),
    /got 2, expected nothing: only an erroneous transfer that never gets SR 6\.23 \(send: never, reason: erroneous-transfer\)/,
  );
  assert.match(
    lineFor(issues, `${b}[1].sr623[4].delayDays`),
    /^plugins\.cos\.batches\[1\]\.sr623\[4\]\.delayDays: missing, expected a number of days from 0 to 3650, \{ min, max \} \(uniform\) or \{ mean \} \(exponential\)$/,
  );
  assert.match(lineFor(issues, `${b}[2].sr623`), /got a mapping, expected a list of 1 to 20 entries/);
  assert.match(lineFor(issues, `${b}[3].sr623`), /got an empty list, expected a list of 1 to 20 entries/);
});

test('delay distributions: negative, reversed, infinite, not a number, unknown fields', () => {
  const late = (delayDays: unknown) => ({ share: 1, send: 'late', reason: 'immature-process', delayDays });
  const issues = issuesOf({
    batches: [BATCH],
    sr623: [late(-1)],
    losingSupplier: { commandShare: 0.1, delayDays: { min: 5, max: 2 } },
  });
  assert.equal(
    lineFor(issues, 'plugins.cos.sr623[0].delayDays'),
    'plugins.cos.sr623[0].delayDays: got -1, expected a number of days from 0 to 3650',
  );
  assert.equal(
    lineFor(issues, 'plugins.cos.losingSupplier.delayDays.max'),
    'plugins.cos.losingSupplier.delayDays.max: got 2, expected at least min (5)',
  );
  const cases: Array<[unknown, string, RegExp]> = [
    [Number.POSITIVE_INFINITY, '', /got Infinity, expected a number of days from 0 to 3650/],
    [Number.NaN, '', /got NaN, expected a number of days/],
    [1e9, '', /got 1000000000, expected a number of days from 0 to 3650/],
    ['7', '', /got "7", expected a number of days from 0 to 3650, \{ min, max \}/],
    [[1, 2], '', /got a list of 2, expected a number of days/],
    [{ mean: 0 }, '.mean', /got 0, expected a mean greater than 0 \(write 0 for no delay\)/],
    [{ mean: -3 }, '.mean', /got -3, expected a mean in days from 0 to 3650/],
    [{ mean: 5, max: 9 }, '.max', /unknown field, expected one of "mean"/],
    [{ min: 1 }, '.max', /missing, expected a number of days from 0 to 3650/],
    [{ min: 1, max: 2, median: 1 }, '.median', /unknown field, expected one of "min", "max"/],
  ];
  for (const [value, suffix, pattern] of cases) {
    const found = issuesOf({ batches: [BATCH], sr623: [late(value)] });
    assert.match(lineFor(found, `plugins.cos.sr623[0].delayDays${suffix}`), pattern, String(value));
  }
});

test('retry, schedules, losing supplier and per-day flag are checked too', () => {
  const issues = issuesOf({
    batches: [BATCH],
    sr623Retry: { afterHours: 0, max: 101, every: 3 },
    meterSchedules: { alertsPerDay: 2, readsPerDay: 3 },
    losingSupplier: { commandShare: -0.1, dleayDays: 3 },
    perDayFigures: 'yes',
  });
  const p = 'plugins.cos';
  assert.equal(
    lineFor(issues, `${p}.sr623Retry.afterHours`),
    `${p}.sr623Retry.afterHours: got 0, expected an integer from 1 to 8760`,
  );
  assert.equal(
    lineFor(issues, `${p}.sr623Retry.max`),
    `${p}.sr623Retry.max: got 101, expected an integer from 0 to 100`,
  );
  assert.match(lineFor(issues, `${p}.sr623Retry.every`), /unknown field, expected one of "afterHours", "max"/);
  assert.equal(
    lineFor(issues, `${p}.meterSchedules.readsPerDay`),
    `${p}.meterSchedules.readsPerDay: got 3, expected at most alertsPerDay (2)`,
  );
  assert.match(
    lineFor(issues, `${p}.losingSupplier.commandShare`),
    /got -0\.1, expected a share \(a decimal\) from 0 to 1/,
  );
  assert.match(
    lineFor(issues, `${p}.losingSupplier.dleayDays`),
    /unknown field, expected one of "commandShare", "delayDays" \(did you mean "delayDays"\?\)/,
  );
  assert.equal(lineFor(issues, `${p}.perDayFigures`), `${p}.perDayFigures: got "yes", expected true or false`);
  assert.match(
    lineFor(issuesOf({ batches: [BATCH], meterSchedules: { alertsPerDay: 25 } }), `${p}.meterSchedules.alertsPerDay`),
    /got 25, expected an integer from 0 to 24/,
  );
  assert.match(
    lineFor(issuesOf({ batches: [BATCH], meterSchedules: { alertsPerDay: 3 } }), `${p}.meterSchedules.readsPerDay`),
    /missing, expected an integer from 0 to 24/,
  );
});

test('hostile values: prototype keys, huge strings, deep nesting and floods are refused with bounded messages', () => {
  const proto = JSON.parse(
    '{"batches": [{"day": 0, "to": "Beacon Power", "meters": 5, "__proto__": {"polluted": true}}]}',
  );
  assert.match(lineFor(issuesOf(proto), 'plugins.cos.batches[0].__proto__'), /unknown field/);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const long = 'x'.repeat(100_000);
  const issue = lineFor(issuesOf({ batches: [{ ...BATCH, to: long }] }), 'plugins.cos.batches[0].to');
  assert.ok(issue.length < 400, 'a long value is cut in the message');
  const flood = issuesOf({
    batches: Array.from({ length: 1000 }, () => ({ day: -1, hour: -1, to: 'nobody', meters: -1 })),
  });
  assert.equal(flood.length, 200, 'at most 200 problems are kept');
  const error = (() => {
    try {
      cosScenario.create(marketSpec({ batches: Array.from({ length: 1000 }, () => ({ day: -1 })) }));
    } catch (e) {
      return e as Error;
    }
    return undefined;
  })();
  assert.ok(error && error.message.length < 40_000 && /more problems/.test(error.message));
  let deep: unknown = BATCH;
  for (let i = 0; i < 10_000; i++) deep = { sr623: [deep] };
  assert.ok(issuesOf({ batches: [deep] }).length > 0);
});

test.run();
