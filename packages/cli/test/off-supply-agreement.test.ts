/**
 * The off-supply count at the end of a run is the same whether it comes from the engine's summary
 * or from the run database's SQL (`gbfleet runs`), for every shipped scenario. The SQL takes each
 * meter's last supply event; a meter armed and enabled in the same step must count as on supply,
 * which needs the event order within a step (`supply_events.seq`), not the step time alone.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const scenarios = join(import.meta.dirname, '../../../scenarios');
const out = mkdtempSync(join(tmpdir(), 'gbfleet-off-supply-'));
// Small enough for a 2-core machine (all scenarios in about half a minute), large enough that
// every scenario arms and restores meters within one step.
const METERS = '4000';

async function cli(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

interface Outcome {
  scenario: string;
  database: string;
  offSupplyAtEnd: number;
}

function outcomes(scenario: string, json: string): Outcome[] {
  const result = JSON.parse(json);
  const runs: { summary: { supply: { offSupplyAtEnd: number } }; database: string }[] = result.variants ?? [
    { summary: result, database: result.database },
  ];
  return runs.map((r) => ({ scenario, database: r.database, offSupplyAtEnd: r.summary.supply.offSupplyAtEnd }));
}

test('the summary and `gbfleet runs` agree on the off-supply count for every shipped scenario', async () => {
  const files = readdirSync(scenarios).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 8, `expected the shipped scenarios in ${scenarios}`);
  const expected: Outcome[] = [];
  for (const file of files) {
    const run = await cli(['run', join(scenarios, file), '--meters', METERS, '--out', out, '--json']);
    assert.is(run.code, 0, `${file}: ${run.err}`);
    expected.push(...outcomes(file, run.out));
  }
  const listed = await cli(['runs', out, '--json']);
  assert.is(listed.code, 0, listed.err);
  const byFile = new Map<string, { off_supply_at_end: number }>(
    listed.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .map((row) => [basename(row.file), row]),
  );
  for (const e of expected) {
    const row = byFile.get(basename(e.database));
    assert.ok(row, `${e.scenario}: ${e.database} not listed`);
    assert.is(row.off_supply_at_end, e.offSupplyAtEnd, `${e.scenario} (${basename(e.database)})`);
  }
  // The fleet must actually go off supply somewhere, or the agreement proves nothing.
  assert.ok(
    expected.some((e) => e.offSupplyAtEnd > 0),
    'no scenario ends with meters off supply',
  );
});

test.after(() => rmSync(out, { recursive: true, force: true }));

test.run();
