/**
 * The `plugins.utrn` section and the plug-in's events: defaults, and hostile input — every
 * problem named by its path, the value found and what is allowed, all at once.
 */
import type { ScenarioError, ScenarioSpec } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUtrnConfig, utrnScenario } from '../src/index.ts';
import { smallUtrnSpec } from './helpers/utrn-spec.ts';

function issuesOf(spec: ScenarioSpec): Array<{ path: string; message: string }> {
  try {
    parseUtrnConfig(spec);
  } catch (error) {
    assert.is((error as ScenarioError).code, 'GBF_SCENARIO');
    return (error as ScenarioError).issues.map((i) => ({ path: i.path, message: i.message }));
  }
  assert.unreachable('expected a ScenarioError');
  return [];
}

const withEvents = (events: Array<Record<string, unknown>>, utrn?: Record<string, unknown>): ScenarioSpec => {
  const spec = smallUtrnSpec(utrn ? { utrn } : {});
  spec.events = events.map(({ day, hour, type, ...params }) => ({
    day: (day as number) ?? 0,
    hour: (hour as number) ?? 0,
    type: type as string,
    params,
  }));
  return spec;
};

test('a scenario without the section or the events gets a plug-in that does nothing', () => {
  const spec = smallUtrnSpec({ events: [] });
  delete spec.plugins.utrn;
  assert.is(parseUtrnConfig(spec), null);
  const plugin = utrnScenario.create(spec);
  // Only the checkpoint hooks, which keep nothing.
  assert.equal(Object.keys(plugin), ['name', 'checkpoint', 'restore']);
  assert.is(plugin.checkpoint?.(), undefined);
});

test('defaults: compare both command sets, the consumer model, fall-backs on, no generated maintenance', () => {
  const config = parseUtrnConfig(smallUtrnSpec());
  if (!config) throw new Error('config');
  assert.is(config.commandSet, 'compare');
  assert.equal(config.consumer.entryDelayHours, { mean: 6, max: 72 });
  assert.is(config.consumer.attemptsPerSitting, 3);
  assert.equal(config.fallback, { wanLost: true, wanDown: true });
  assert.is(config.maintenance, null);
  assert.is(config.surges.length, 1);
  const surge = config.surges[0];
  assert.equal(surge?.mix, { credit: 0.4, emergencyCredit: 0.3, nonDisconnect: 0.2, friendlyCredit: 0.1 });
  assert.is(surge?.hours, 24);
  assert.is(surge?.noWanShare, null);
});

test('hostile section: every field named with its value and what is allowed', () => {
  const issues = issuesOf(
    smallUtrnSpec({
      utrn: {
        commandSet: 'extendid',
        consumer: {
          entryDelayHours: { mean: 10, max: 2 },
          awakeHours: { from: 25, to: 'late' },
          digitErrorRate: -0.1,
          secondSlipShare: 2,
          attemptsPerSitting: 0,
          sittings: 1.5,
          retryAfterHours: '6',
          neverEnterShare: null,
          typoRate: 0.1,
        },
        siteVisitHours: { min: 48, max: 24 },
        fallback: { wanLost: 'yes' },
        maintenance: { highImpactPerMonth: 2, lowImpactPerMonth: 4, hours: 7 },
        extra: 1,
      },
    }),
  );
  const byPath = new Map(issues.map((i) => [i.path, i.message]));
  const expect: Array<[string, RegExp]> = [
    [
      'plugins.utrn.commandSet',
      /got "extendid", expected one of "top-up-only", "extended", "compare" \(did you mean "extended"\?\)/,
    ],
    ['plugins.utrn.consumer.entryDelayHours.max', /got 2, expected at least entryDelayHours.mean/],
    ['plugins.utrn.consumer.awakeHours.from', /got 25, expected an integer from 0 to 23/],
    ['plugins.utrn.consumer.awakeHours.to', /got "late", expected an integer from 0 to 23/],
    ['plugins.utrn.consumer.digitErrorRate', /got -0.1, expected a chance from 0 to 0.5/],
    ['plugins.utrn.consumer.secondSlipShare', /got 2, expected a share/],
    ['plugins.utrn.consumer.attemptsPerSitting', /got 0, expected an integer from 1 to 16/],
    ['plugins.utrn.consumer.sittings', /got 1.5, expected an integer from 1 to 20/],
    ['plugins.utrn.consumer.retryAfterHours', /got "6", expected a number of hours from 0 to 720/],
    ['plugins.utrn.consumer.neverEnterShare', /got null, expected a share/],
    ['plugins.utrn.consumer.typoRate', /unknown field, expected one of .*"digitErrorRate"/],
    ['plugins.utrn.siteVisitHours.max', /got 24, expected at least siteVisitHours.min \(48\)/],
    ['plugins.utrn.fallback.wanLost', /got "yes", expected true or false/],
    ['plugins.utrn.maintenance.highImpactPerMonth', /got 2, expected an integer from 0 to 1/],
    ['plugins.utrn.maintenance.lowImpactPerMonth', /got 4, expected an integer from 0 to 3/],
    ['plugins.utrn.maintenance.hours', /got 7, expected an integer from 1 to 6/],
    ['plugins.utrn.extra', /unknown field/],
  ];
  for (const [path, pattern] of expect) {
    assert.ok(byPath.has(path), `no issue at ${path}; issues: ${JSON.stringify(issues)}`);
    assert.match(byPath.get(path) as string, pattern);
  }
  assert.is(issues.length, expect.length);
  for (const bad of ['nonsense', 7, [], null]) {
    const spec = smallUtrnSpec();
    spec.plugins.utrn = bad;
    const [first] = issuesOf(spec);
    assert.is(first?.path, 'plugins.utrn');
    assert.match(first?.message ?? '', /expected a mapping with fields "commandSet"/);
  }
});

test('hostile events: surge, maintenance and resolution parameters', () => {
  const issues = issuesOf(
    withEvents([
      {
        type: 'utrn-surge',
        supplier: 'Aurora Enrgy',
        messages: 0,
        hours: 0,
        noWanShare: 1.2,
        mix: { credit: 0.5, gas: 1 },
        creditPounds: 9000,
      },
      { type: 'utrn-surge' },
      { day: 1, hour: 21, type: 'dcc-maintenance', hours: 9, impact: 'medium' },
      { day: 1, hour: 21, type: 'dcc-maintenance' },
      { type: 'no-wan-resolution', share: -1, maxDays: 100, lateMaxDays: 10, to: 'none', when: 1 },
    ]),
  );
  const find = (path: string) =>
    issues.find((i) => i.path === path)?.message ?? `(none at ${path}: ${JSON.stringify(issues)})`;
  assert.match(find('events[0].supplier'), /got "Aurora Enrgy", expected one of "Aurora Energy", "Beacon Power"/);
  assert.match(find('events[0].messages'), /got 0, expected an integer from 1 to 100000000/);
  assert.match(find('events[0].hours'), /got 0, expected an integer from 1 to 8760/);
  assert.match(find('events[0].noWanShare'), /got 1.2, expected a share/);
  assert.match(find('events[0].mix.gas'), /unknown field/);
  assert.match(find('events[0].mix'), /shares that sum to 1/);
  assert.match(find('events[0].creditPounds'), /got 9000, expected an integer from 1 to 8191/);
  assert.match(find('events[1].supplier'), /missing, expected one of/);
  assert.match(find('events[1].messages'), /missing, expected an integer/);
  assert.match(find('events[2].hours'), /got 9, expected an integer from 1 to 6/);
  assert.match(find('events[2].impact'), /got "medium", expected one of "high", "low"/);
  assert.match(find('events[3].hours'), /missing, expected an integer from 1 to 6 \(DP092/);
  assert.match(find('events[3].impact'), /missing/);
  assert.match(find('events[4].share'), /got -1, expected a share/);
  assert.match(find('events[4].lateMaxDays'), /got 10, expected at least maxDays \(100\)/);
  assert.match(find('events[4].to'), /got "none", expected one of "good", "intermittent"/);
  assert.match(find('events[4].when'), /unknown field/);
});

test('DP092 breaches in dcc-maintenance events are refused when the plug-in is created', () => {
  const create = (events: Array<Record<string, unknown>>) => () => utrnScenario.create(withEvents(events));
  // 10:00 is daytime; 04:00 + 6 h ends at 10:00; 23:00 + 6 h is fine (ends 05:00).
  assert.throws(
    create([{ day: 0, hour: 10, type: 'dcc-maintenance', hours: 2, impact: 'low' }]),
    /events\[0\]: .*2-hour window from 10:00 UTC does not lie within 20:00–08:00/,
  );
  assert.throws(create([{ day: 0, hour: 4, type: 'dcc-maintenance', hours: 6, impact: 'low' }]), /from 04:00 UTC/);
  utrnScenario.create(withEvents([{ day: 0, hour: 23, type: 'dcc-maintenance', hours: 6, impact: 'high' }]));
  assert.throws(
    create([
      { day: 0, hour: 22, type: 'dcc-maintenance', hours: 6, impact: 'high' },
      { day: 1, hour: 22, type: 'dcc-maintenance', hours: 6, impact: 'high' },
    ]),
    /events\[1\]: 2018-03 already has 1 high-impact window: DP092 allows no more in a month/,
  );
  assert.throws(
    create([0, 1, 2, 3].map((day) => ({ day, hour: 21, type: 'dcc-maintenance', hours: 3, impact: 'low' }))),
    /events\[3\]: 2018-03 already has 3 low-impact windows/,
  );
});

test.run();
