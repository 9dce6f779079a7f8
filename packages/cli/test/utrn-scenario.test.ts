/**
 * The shipped UTRN scenario end to end. At its full size (500,000 meters) the surge's plan gives
 * exactly DP094's 86,681 messages that must go by UTRN (9 % of 963,118) — checked on the real
 * fleet, with the run stopped after its first step; scaled down with --meters it runs through
 * the CLI into a run database whose utrn table and summary compare the two command sets, with
 * the same outcome tables for 1 and 2 workers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from '@gbfleet/core';
import { queryRunDatabase, runDigest } from '@gbfleet/reports';
import { armFigure, FIGURE } from '@gbfleet/scenario-utrn';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';
import { createPlugins, pluginEventTypes, pluginSections } from '../src/plugins.ts';
import { loadScenarioFile } from '../src/scenario-file.ts';

const SCENARIO = fileURLToPath(new URL('../../../scenarios/utrn-extreme-weather-2018.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gbfleet-utrn-'));

async function cli(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

test('calibration: at 500,000 meters, exactly 86,681 of the 963,118 messages must go by UTRN', async () => {
  const { spec } = await loadScenarioFile(SCENARIO, {
    pluginEventTypes: pluginEventTypes(),
    pluginSections: pluginSections(),
  });
  assert.is(spec.fleet.meters, 500_000);
  const stop = new AbortController();
  stop.abort(); // the plan is made before step 0: one step is enough
  const summary = await runScenario({
    spec,
    plugins: createPlugins(spec),
    workers: 1,
    signal: stop.signal,
    sink: {
      parties: async () => {},
      meters: async () => {},
      alerts: async () => {},
      commands: async () => {},
      supplyEvents: async () => {},
      utrn: async () => {},
      charges: async () => {},
    },
  });
  assert.is(summary.stepsRun, 1);
  assert.is(summary.figures[FIGURE.surgeMessages], 963_118);
  assert.is(summary.figures[FIGURE.mustGoByUtrn], 86_681);
  const byArm = ['top-up-only', 'extended'].map(
    (arm) => summary.figures[armFigure(arm as 'extended', 'surge messages that must go by UTRN')] as number,
  );
  assert.is((byArm[0] as number) + (byArm[1] as number), 86_681);
  assert.ok(Math.abs((byArm[0] as number) - (byArm[1] as number)) < 2_000, `a fair split: ${byArm}`);
});

test('scaled down through the CLI: both command sets in the summary, the utrn table filled, 1 = 2 workers', async () => {
  const runs = [];
  for (const workers of ['1', '2']) {
    const r = await cli([
      'run',
      SCENARIO,
      '--meters',
      '4000',
      '--days',
      '4',
      '--workers',
      workers,
      '--out',
      join(dir, `w${workers}`),
      '--json',
    ]);
    assert.is(r.code, 0, r.err);
    runs.push(JSON.parse(r.out));
  }
  const [one, two] = runs;
  assert.is(one.status, 'completed');
  assert.is(one.figures[FIGURE.surgeMessages], 7_705, 'round(963,118 × 4,000 / 500,000)');
  assert.is(one.figures[FIGURE.mustGoByUtrn], 693, 'round(0.09 × 7,705)');
  for (const arm of ['top-up-only', 'extended'] as const) {
    for (const what of [
      'UTRNs issued',
      'UTRNs accepted',
      'consumers off supply',
      'site visits needed',
      'hours to resolve (sum over messages resolved)',
    ]) {
      assert.ok(armFigure(arm, what) in one.figures, `${arm}: ${what}`);
    }
  }
  assert.ok(
    one.figures[armFigure('top-up-only', 'site visits needed')] >
      one.figures[armFigure('extended', 'site visits needed')],
  );
  assert.equal(one.figures, two.figures);
  assert.is(await runDigest(one.database), await runDigest(two.database));

  const statuses = await queryRunDatabase(
    one.database,
    'SELECT status, count(*) AS n FROM utrn GROUP BY status ORDER BY status',
  );
  const byStatus = Object.fromEntries(statuses.rows.map((r) => [r[0], Number(r[1])]));
  assert.ok((byStatus.accepted ?? 0) > 0 && (byStatus['rejected-typo'] ?? 0) > 0, JSON.stringify(byStatus));
  const entries = Object.entries(byStatus)
    .filter(([s]) => s !== 'not-entered')
    .reduce((a, [, n]) => a + Number(n), 0);
  assert.is(entries, one.figures[FIGURE.keypadEntries]);
  const lengths = await queryRunDatabase(
    one.database,
    'SELECT DISTINCT length(utrn) AS digits FROM utrn ORDER BY digits',
  );
  assert.equal(
    lengths.rows.map((r) => Number(r[0])),
    [20, 40, 60],
  );
  const reasons = await queryRunDatabase(
    one.database,
    "SELECT count(*) FROM commands WHERE channel = 'utrn' AND reason = 'ACCEPTED'",
  );
  assert.is(Number(reasons.rows[0]?.[0]), byStatus.accepted);
});

test('a bad plugins.utrn section or event stops the run before it starts, naming the field', async () => {
  const { writeFileSync } = await import('node:fs');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    `name: bad utrn
fleet: { meters: 100 }
events:
  - { day: 0, type: utrn-surge, supplier: Nobody, messages: 10 }
plugins:
  utrn: { commandSet: everything }
`,
  );
  const r = await cli(['run', bad, '--out', join(dir, 'bad')]);
  assert.is(r.code, 2);
  assert.match(
    r.err,
    /plugins\.utrn\.commandSet: got "everything", expected one of "top-up-only", "extended", "compare"/,
  );
  assert.match(r.err, /events\[0\]\.supplier: got "Nobody"/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
