/**
 * The SoLR scenario on small fleets, through the real engine (workers, signed frames, DCC model):
 * the semantics MP134A cares about, pinned one by one.
 */
import { MemorySink, parseScenario, type RunSummary, runScenario, ScenarioError } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { solrScenario } from '../src/index.ts';

type Solr = Record<string, unknown>;

function scenario(solr: Solr, overrides: Record<string, unknown> = {}) {
  return parseScenario(
    {
      name: 'solr-test',
      seed: 'solr',
      days: 12,
      fleet: {
        meters: 3000,
        wan: { good: 0.95, intermittent: 0.0, none: 0.05 },
        suppliers: [
          { name: 'Aurora Energy', share: 0.5 },
          { name: 'Beacon Power', share: 0.5, srp: true, prepaymentShare: 0.8 },
        ],
        prepayment: { initialCreditPounds: { min: 0, max: 4 }, emergencyCreditPounds: 2 },
        topUp: { probabilityPerHour: 0.02 },
      },
      events: [{ day: 1, hour: 0, type: 'supplier-fails', supplier: 'Beacon Power' }],
      plugins: {
        solr: {
          supplier: 'Beacon Power',
          continueVending: false,
          appointAfterDays: 2,
          srp: { startDelayHours: 2, commandsPerHour: 400 },
          solr: { onboardingDays: 3, cosPerHour: 400, revertsPerHour: 400 },
          ...solr,
        },
      },
      ...overrides,
    },
    { pluginSections: ['solr'] },
  );
}

async function run(solr: Solr, overrides: Record<string, unknown> = {}, workers = 2) {
  const spec = scenario(solr, overrides);
  const sink = new MemorySink();
  const summary = await runScenario({ spec, workers, sink, plugins: [solrScenario.create(spec)] });
  return { summary, sink, figure: (name: string) => summary.figures[`solr: ${name}`] ?? 0 };
}

const reason = (s: RunSummary, name: string) => s.commands.byReason[name] ?? 0;

test('calendar and credit-mode meters, once safe, never go off supply for lack of credit', async () => {
  for (const strategy of [['calendar'], ['credit-mode']]) {
    const { summary, figure } = await run({ srp: { strategy, startDelayHours: 2, commandsPerHour: 400 } });
    assert.ok(figure('meters made safe') > 500, `${strategy}: meters were made safe`);
    assert.is(figure('safe meters disabled'), 0, `${strategy}: no safe meter was disabled`);
    assert.ok(figure('changes of supplier accepted') > 1000, 'the SoLR re-credentialed the meters');
    assert.ok(figure('meters reverted') > 500, 'and reverted the make-safe actions');
    assert.is(figure('reverts that disabled supply'), 0, `${strategy}: no revert disabled supply`);
    assert.is(reason(summary, 'DCC_E4_NOT_ELIGIBLE'), 0, 'MP185: no E4 for the SRP');
    assert.ok(figure('meters the SoLR cannot re-credential remotely (site visit)') > 0, 'no-WAN meters need a visit');
  }
});

test('emergency credit only delays disablement', async () => {
  const ec = await run({ srp: { strategy: ['emergency-credit'], emergencyCreditPounds: 3, commandsPerHour: 400 } });
  assert.ok(ec.figure('meters made safe') > 500);
  assert.ok(ec.figure('safe meters disabled') > 0, 'some meters with a larger emergency credit still run out');
  const calendar = await run({ srp: { strategy: ['calendar'], commandsPerHour: 400 } });
  assert.ok(ec.figure('consumer-hours off supply') > calendar.figure('consumer-hours off supply'));
});

test('without delayed revocation the SRP is refused once revocation takes effect', async () => {
  const slow = { strategy: ['calendar'], commandsPerHour: 20 };
  const delayed = await run({ srp: slow, pma: { delayedRevocation: true } });
  const prompt = await run({ srp: slow, pma: { delayedRevocation: false, revokeAfterAppointmentHours: 0 } });
  assert.is(reason(delayed.summary, 'DCC_CERTIFICATE_REVOKED'), 0);
  assert.ok(reason(prompt.summary, 'DCC_CERTIFICATE_REVOKED') > 0);
  assert.ok(prompt.figure('make-safe refused (DCC_CERTIFICATE_REVOKED)') > 0);
  assert.ok(prompt.figure('meters made safe') < delayed.figure('meters made safe'));
});

test('registration moved at appointment (no MP185): the SRP gets E4', async () => {
  const { summary, figure } = await run({
    srp: { strategy: ['calendar'], commandsPerHour: 20 },
    pma: { delayedRegistrationTransfer: false },
  });
  assert.ok(reason(summary, 'DCC_E4_NOT_ELIGIBLE') > 0);
  assert.ok(figure('make-safe refused (DCC_E4_NOT_ELIGIBLE)') > 0);
});

test('an ADT threshold below the burst quarantines it; fast-track does not', async () => {
  const adt = { dcc: { adt: { thresholdPerParty: 300, releaseAfterHours: 24 } } };
  const held = await run({ srp: { strategy: ['calendar'], commandsPerHour: 2000 } }, adt);
  const fast = await run({ srp: { strategy: ['calendar'], commandsPerHour: 2000 }, adtFastTrack: true }, adt);
  assert.ok(reason(held.summary, 'DCC_QUARANTINED') > 0, 'the burst waits in quarantine');
  assert.is(reason(fast.summary, 'DCC_QUARANTINED'), 0);
  assert.ok(
    held.figure('hours from failure until every reachable meter is safe') >
      fast.figure('hours from failure until every reachable meter is safe'),
  );
});

test('a supplier without an SRP cannot be made safe', async () => {
  const spec = {
    fleet: {
      meters: 2000,
      suppliers: [
        { name: 'Aurora Energy', share: 0.5 },
        { name: 'Beacon Power', share: 0.5, srp: false },
      ],
    },
  };
  const { summary, figure } = await run({}, spec);
  assert.is(figure('meters made safe'), 0);
  assert.ok(figure('make-safe not possible (no SRP or no strategy)') > 0);
  assert.is(reason(summary, 'DCC_QUARANTINED'), 0);
});

test('same seed: identical records for 1 and 2 workers', async () => {
  const a = await run({}, {}, 1);
  const b = await run({}, {}, 2);
  assert.ok(a.sink.count('commands') + a.sink.count('alerts') > 1000);
  assert.is(a.sink.digest(), b.sink.digest());
  assert.equal(a.summary.figures, b.summary.figures);
});

test('a bad plugins.solr section names every problem and nothing runs', () => {
  const bad = {
    supplier: 'Zeta',
    srp: { strategy: ['calendar', 'unplug'], commandsPerHour: 0 },
    appointAfterDays: 'soon',
    colour: 'red',
  };
  try {
    solrScenario.create(scenario(bad));
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ScenarioError);
    const message = (error as Error).message;
    assert.match(message, 'plugins.solr.supplier');
    assert.match(message, '"Zeta"');
    assert.match(message, 'plugins.solr.srp.strategy[1]');
    assert.match(message, 'plugins.solr.srp.commandsPerHour');
    assert.match(message, 'plugins.solr.appointAfterDays');
    assert.match(message, 'plugins.solr.colour');
  }
  const messageOf = (section: Record<string, unknown>) => {
    try {
      solrScenario.create(scenario(section));
    } catch (error) {
      return (error as Error).message;
    }
    return '';
  };
  assert.match(
    messageOf({ srp: { strategy: ['calendar', 'calendar'] } }),
    /plugins\.solr\.srp\.strategy\[1\]: got "calendar", expected each action once/,
  );
  assert.match(
    messageOf({ srp: { strategy: { calendar: true } } }),
    /plugins\.solr\.srp\.strategy: got a mapping, expected a list of actions from "calendar", "credit-mode", "emergency-credit"/,
  );
  assert.match(messageOf({ srp: { strategy: 'calender' } }), /\(did you mean "calendar"\?\)/);
  assert.match(
    messageOf({ solr: { name: '' } }),
    /plugins\.solr\.solr\.name: got "", expected a name of 1 to 80 characters/,
  );
  assert.match(
    messageOf({ srp: { startDelay: 3 } }),
    /plugins\.solr\.srp\.startDelay: unknown field, .*did you mean "startDelayHours"/,
  );
  for (const value of [null, 7, 'x', []]) {
    assert.throws(() => solrScenario.create(scenario({}, { plugins: { solr: value } })), /plugins\.solr/);
  }
  assert.throws(
    () => solrScenario.create(scenario({}, { events: [] })),
    /exactly one "supplier-fails" event/,
    'the failing supplier needs its failure on the timeline',
  );
});

test.run();
