/**
 * After the SoLR takes over, through the real engine: every meter it re-credentialed holds the
 * SoLR's certificate in its supplier cell and is registered to it, and the careful revert puts
 * each meter's calendar back as it was, topping up first where the revert would otherwise cut
 * supply, so no revert disables a meter.
 */
import { MemorySink, parseScenario, type RunContext, runScenario, type ScenarioPlugin } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { solrScenario } from '../src/index.ts';

const FAILED = 'Beacon Power';
const SOLR = 'Last Resort Energy';

function spec(initialCredit: { min: number; max: number }) {
  return parseScenario(
    {
      name: 'solr-recredential',
      seed: 'recredential',
      days: 9,
      fleet: {
        meters: 2000,
        wan: { good: 0.97, intermittent: 0.0, none: 0.03 },
        suppliers: [
          { name: 'Aurora Energy', share: 0.5 },
          { name: FAILED, share: 0.5, srp: true, prepaymentShare: 0.9 },
        ],
        prepayment: { initialCreditPounds: initialCredit, emergencyCreditPounds: 2 },
        topUp: { probabilityPerHour: 0.01 },
      },
      events: [{ day: 1, hour: 0, type: 'supplier-fails', supplier: FAILED }],
      plugins: {
        solr: {
          supplier: FAILED,
          continueVending: false,
          appointAfterDays: 1,
          srp: { strategy: ['calendar'], startDelayHours: 1, commandsPerHour: 1000 },
          solr: { name: SOLR, onboardingDays: 1, cosPerHour: 1000, revertsPerHour: 1000 },
        },
      },
    },
    { pluginSections: ['solr'] },
  );
}

/** Watches the fleet: each failed-supplier meter's calendar before the failure, and cells and calendars at the end. */
function observer() {
  const seen = { before: new Map<number, number>(), credentialed: 0, registered: 0, restored: 0, notRestored: 0 };
  const plugin: ScenarioPlugin = {
    name: 'observer',
    setup(run: RunContext) {
      const failed = run.parties.byName(FAILED).index;
      const c = run.fleet.columns;
      for (let m = 0; m < run.fleet.meters; m++) {
        if (c.registeredSupplier[m] === failed) seen.before.set(m, c.calendar[m] as number);
      }
    },
    afterStep(run: RunContext) {
      if (run.step !== run.steps - 1) return;
      const solr = run.parties.byName(SOLR).index;
      const c = run.fleet.columns;
      for (const [m, calendar] of seen.before) {
        if (c.supplierCell[m] !== solr) continue;
        seen.credentialed++;
        if (c.registeredSupplier[m] === solr) seen.registered++;
        if (c.calendar[m] === calendar) seen.restored++;
        else seen.notRestored++;
      }
    },
  };
  return { seen, plugin };
}

async function run(initialCredit: { min: number; max: number }) {
  const s = spec(initialCredit);
  const watch = observer();
  const summary = await runScenario({
    spec: s,
    workers: 2,
    sink: new MemorySink(),
    plugins: [solrScenario.create(s), watch.plugin],
  });
  return { seen: watch.seen, figure: (name: string) => summary.figures[`solr: ${name}`] ?? 0 };
}

test('re-credentialed meters hold the SoLR in their supplier cell and are registered to it', async () => {
  const { seen, figure } = await run({ min: 5, max: 20 });
  assert.ok(seen.before.size > 800, `the failed supplier had ${seen.before.size} meters`);
  assert.is(seen.credentialed, figure('changes of supplier accepted'), 'one accepted SR 6.23 per meter');
  assert.ok(seen.credentialed > 0.9 * seen.before.size, `${seen.credentialed} of ${seen.before.size} re-credentialed`);
  assert.is(seen.registered, seen.credentialed, 'MP185: registration followed the certificate');
});

test('the careful revert restores each calendar and tops up first where credit is short; no revert disables supply', async () => {
  const { seen, figure } = await run({ min: 0, max: 1 });
  assert.ok(figure('meters made safe') > 500);
  assert.ok(figure('meters reverted') > 500, `reverted ${figure('meters reverted')}`);
  assert.ok(figure('goodwill top-ups before a revert') > 0, 'low credit: the SoLR tops up before reverting');
  assert.is(figure('reverts that disabled supply'), 0);
  assert.ok(seen.restored >= figure('meters reverted'), `${seen.restored} calendars back as they were`);
  // The rest were still on their way at the end (waiting for credit or an outcome), never left always-on by mistake.
  assert.ok(seen.notRestored < 0.1 * seen.credentialed, `${seen.notRestored} not restored`);
});

test('a plug-in made for another scenario stops the run with GBF_SOLR_PLAN, naming the party', async () => {
  const made = spec({ min: 5, max: 20 });
  const other = parseScenario({
    name: 'other',
    seed: 'other',
    days: 2,
    fleet: { meters: 200, suppliers: [{ name: 'Aurora Energy', share: 1 }] },
  });
  const failure = await runScenario({
    spec: other,
    workers: 1,
    sink: new MemorySink(),
    plugins: [solrScenario.create(made)],
  }).catch((error: unknown) => error as { code?: string; message?: string });
  assert.is((failure as { code?: string }).code, 'GBF_SOLR_PLAN');
  assert.match(String((failure as { message?: string }).message), /"Beacon Power", which is not a party of this run/);
});

test.run();
