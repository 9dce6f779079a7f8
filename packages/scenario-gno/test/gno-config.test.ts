/**
 * Hostile `plugins.gno` sections and `gno-*` event parameters: every problem is reported at once,
 * each naming the field, the value found and what is allowed, before anything runs.
 */
import assert from 'node:assert/strict';
import { parseScenario, ScenarioError, type ScenarioIssue } from '@gbfleet/core';
import { test } from 'uvu';
import { DEFAULT_EXIT_AFTER_HOURS, DEFAULT_SECTION, gnoScenario, parseGnoConfig } from '../src/index.ts';
import { DEPARTING, gnoScenarioValue, gnoSpec, INCOMING, PARSE_OPTIONS } from './helpers/gno-spec.ts';

function issuesOf(spec: ReturnType<typeof gnoSpec>): ScenarioIssue[] {
  try {
    gnoScenario.create(spec);
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `expected a ScenarioError, got ${error}`);
    assert.equal(error.code, 'GBF_SCENARIO');
    return error.issues;
  }
  assert.fail('expected the section to be refused');
}

function expectIssue(spec: ReturnType<typeof gnoSpec>, path: string, message: RegExp): void {
  const issues = issuesOf(spec);
  const found = issues.find((i) => i.path === path);
  assert.ok(found, `no issue at ${path}; got ${JSON.stringify(issues)}`);
  assert.match(found.message, message, `${path}: ${found.message}`);
}

test('a scenario without the section or gno events gets a plug-in that does nothing', () => {
  const spec = gnoSpec({ events: [] });
  assert.equal(parseGnoConfig(spec), null);
  const plugin = gnoScenario.create(spec);
  assert.equal(plugin.name, 'gno');
  assert.equal(plugin.beforeStep, undefined);
  assert.equal(plugin.onEvent, undefined);
});

test('defaults fill a section that is left out; event fields are read', () => {
  const config = parseGnoConfig(gnoSpec());
  assert.ok(config);
  assert.deepEqual(config.departingGno, DEFAULT_SECTION.departingGno);
  assert.deepEqual(config.dsp, DEFAULT_SECTION.dsp);
  assert.deepEqual(config.leave, {
    event: 0,
    step: 1,
    operator: DEPARTING,
    counterLeadHours: 4,
    exitAfterHours: DEFAULT_EXIT_AFTER_HOURS,
    missedShare: 0,
  });
  assert.deepEqual(config.handover, { event: 1, step: 3, to: INCOMING });
});

const SECTION_CASES: Array<[string, unknown, string, RegExp]> = [
  ['a number', 5, 'plugins.gno', /got 5, expected a mapping with fields "departingGno", "dsp"/],
  ['a list', ['dsp'], 'plugins.gno', /got a list of 1, expected a mapping/],
  ['null', null, 'plugins.gno', /got null, expected a mapping/],
  [
    'a misspelt key',
    { dps: {} },
    'plugins.gno.dps',
    /unknown field, expected one of "departingGno", "dsp" \(did you mean "dsp"\?\)/,
  ],
  ['a __proto__ key', JSON.parse('{"__proto__": {"x": 1}}'), 'plugins.gno.__proto__', /unknown field/],
  [
    'tracking as text',
    { dsp: { counterTracking: 'yes' } },
    'plugins.gno.dsp.counterTracking',
    /got "yes", expected one of "compare", "on", "off"/,
  ],
  [
    'tracking as a boolean',
    { dsp: { counterTracking: true } },
    'plugins.gno.dsp.counterTracking',
    /got true, expected one of/,
  ],
  [
    'a share above 1',
    { dsp: { trackingShare: 1.5 } },
    'plugins.gno.dsp.trackingShare',
    /got 1.5, expected a share \(a decimal\) from 0 to 1/,
  ],
  ['a negative share', { dsp: { trackingShare: -0.1 } }, 'plugins.gno.dsp.trackingShare', /got -0.1, expected a share/],
  ['a NaN share', { dsp: { trackingShare: Number.NaN } }, 'plugins.gno.dsp.trackingShare', /got NaN, expected a share/],
  [
    'a share as text',
    { dsp: { trackingShare: '0.5' } },
    'plugins.gno.dsp.trackingShare',
    /got "0.5", expected a share/,
  ],
  [
    'a share without compare',
    { dsp: { counterTracking: 'on', trackingShare: 0.5 } },
    'plugins.gno.dsp.trackingShare',
    /only with counterTracking: compare/,
  ],
  [
    'a zero rate',
    { dsp: { commandsPerHour: 0 } },
    'plugins.gno.dsp.commandsPerHour',
    /got 0, expected an integer from 1 to 500000/,
  ],
  [
    'a fractional rate',
    { departingGno: { commandsPerHour: 2.5 } },
    'plugins.gno.departingGno.commandsPerHour',
    /got 2.5, expected an integer/,
  ],
  [
    'an infinite rate',
    { departingGno: { commandsPerHour: Number.POSITIVE_INFINITY } },
    'plugins.gno.departingGno.commandsPerHour',
    /got Infinity, expected an integer/,
  ],
  [
    'a huge rate',
    { dsp: { commandsPerHour: 1e9 } },
    'plugins.gno.dsp.commandsPerHour',
    /got 1000000000, expected an integer from 1 to 500000/,
  ],
  [
    'no attempts',
    { departingGno: { attempts: 0 } },
    'plugins.gno.departingGno.attempts',
    /got 0, expected an integer from 1 to 100/,
  ],
  [
    'a negative retry',
    { dsp: { retryAfterHours: -1 } },
    'plugins.gno.dsp.retryAfterHours',
    /got -1, expected an integer from 1 to 87600/,
  ],
  [
    'a sender that is not a mapping',
    { departingGno: 'fast' },
    'plugins.gno.departingGno',
    /got "fast", expected a mapping with fields "commandsPerHour", "attempts", "retryAfterHours"/,
  ],
  [
    'an unknown sender field',
    { dsp: { counterTraking: 'on' } },
    'plugins.gno.dsp.counterTraking',
    /did you mean "counterTracking"/,
  ],
];

for (const [what, section, path, message] of SECTION_CASES) {
  test(`plugins.gno: ${what} is refused at ${path}`, () => expectIssue(gnoSpec({ section }), path, message));
}

const EVENT_CASES: Array<[string, Record<string, unknown>, string, RegExp]> = [
  [
    'no operator',
    { operator: undefined },
    'events[0].operator',
    /missing, expected a network operator: one of "National Gas Networks", "Cadent Gas"/,
  ],
  [
    'a misspelt operator',
    { operator: 'National Gas Network' },
    'events[0].operator',
    /got "National Gas Network", expected one of .*did you mean "National Gas Networks"/,
  ],
  [
    'a supplier as operator',
    { operator: 'Aurora Energy' },
    'events[0].operator',
    /got "Aurora Energy", expected one of "National Gas Networks", "Cadent Gas"/,
  ],
  ['an operator as a number', { operator: 7 }, 'events[0].operator', /got 7, expected one of/],
  [
    'no counter lead',
    { counterLeadHours: undefined },
    'events[0].counterLeadHours',
    /missing, expected an integer from 0 to 87600/,
  ],
  [
    'a negative counter lead',
    { counterLeadHours: -4 },
    'events[0].counterLeadHours',
    /got -4, expected an integer from 0 to 87600/,
  ],
  ['a counter lead as text', { counterLeadHours: '4' }, 'events[0].counterLeadHours', /got "4", expected an integer/],
  ['an exit at once', { exitAfterHours: 0 }, 'events[0].exitAfterHours', /got 0, expected an integer from 1 to 87600/],
  [
    'a missed share of 2',
    { missedShare: 2 },
    'events[0].missedShare',
    /got 2, expected a share \(a decimal\) from 0 to 1/,
  ],
  [
    'an unknown parameter',
    { counterLead: 4 },
    'events[0].counterLead',
    /unknown field, expected one of "operator", "counterLeadHours", "exitAfterHours", "missedShare" \(did you mean "counterLeadHours"\?\)/,
  ],
];

for (const [what, leave, path, message] of EVENT_CASES) {
  test(`gno-leaves: ${what} is refused at ${path}`, () => expectIssue(gnoSpec({ leave }), path, message));
}

test('gno-handover: missing or wrong "to", the departing GNO itself, or too early', () => {
  expectIssue(gnoSpec({ handover: { to: undefined } }), 'events[1].to', /missing, expected a network operator/);
  expectIssue(gnoSpec({ handover: { to: 'Cadent' } }), 'events[1].to', /got "Cadent", expected one of/);
  expectIssue(gnoSpec({ handover: { to: DEPARTING } }), 'events[1].to', /is the departing GNO itself/);
  expectIssue(gnoSpec({ handover: { hour: 1 } }), 'events[1].day', /must come after the "gno-leaves" event/);
  expectIssue(gnoSpec({ handover: { hour: 0 } }), 'events[1].day', /must come after/);
  expectIssue(gnoSpec({ handover: { from: DEPARTING } }), 'events[1].from', /unknown field, expected one of "to"$/);
});

test('event counts: one gno-leaves, at most one gno-handover, a handover needs a leave', () => {
  const leave = { day: 0, hour: 1, type: 'gno-leaves', operator: DEPARTING, counterLeadHours: 0 };
  const handover = { day: 0, hour: 5, type: 'gno-handover', to: INCOMING };
  expectIssue(
    gnoSpec({ events: [leave, { ...leave, hour: 2 }] }),
    'events[1].type',
    /one "gno-leaves" event per scenario/,
  );
  expectIssue(gnoSpec({ events: [leave, handover, { ...handover, hour: 6 }] }), 'events[2].type', /one "gno-handover"/);
  expectIssue(gnoSpec({ events: [handover] }), 'events[0].type', /needs a "gno-leaves" event/);
  expectIssue(gnoSpec({ events: [], section: {} }), 'plugins.gno', /needs a "gno-leaves" event/);
});

test('every problem is reported at once, and the message names each field and value', () => {
  const spec = gnoSpec({
    section: { dsp: { counterTracking: 'maybe', attempts: 1000 }, departingGno: { commandsPerHour: -5 }, extra: 1 },
    leave: { operator: 'Nobody', missedShare: 'all' },
  });
  const issues = issuesOf(spec);
  const paths = issues.map((i) => i.path).sort();
  assert.deepEqual(paths, [
    'events[0].missedShare',
    'events[0].operator',
    'plugins.gno.departingGno.commandsPerHour',
    'plugins.gno.dsp.attempts',
    'plugins.gno.dsp.counterTracking',
    'plugins.gno.extra',
  ]);
  try {
    gnoScenario.create(spec);
  } catch (error) {
    const message = (error as Error).message;
    assert.match(message, /plugins\.gno\.dsp\.counterTracking: got "maybe"/);
    assert.match(message, /events\[0\]\.operator: got "Nobody"/);
  }
});

test('a very long value is cut in the message', () => {
  const issues = issuesOf(gnoSpec({ leave: { operator: 'x'.repeat(10_000) } }));
  const message = issues.find((i) => i.path === 'events[0].operator')?.message ?? '';
  assert.ok(message.length < 400, `message of ${message.length} characters`);
});

test('the core refuses gno events unless the package is loaded', () => {
  assert.throws(() => parseScenario(gnoScenarioValue(), {}), /gno-leaves/);
  assert.ok(parseScenario(gnoScenarioValue(), PARSE_OPTIONS));
});

test.run();
