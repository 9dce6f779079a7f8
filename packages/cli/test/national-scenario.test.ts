/**
 * The shipped national scenario (scenarios/gb-national.yaml, docs/scenario-national.md): it parses
 * and validates with the plug-ins' sections; every group of shares sums to 1, and the DNO and gas
 * network blocks to their fuel's share; it is national (30,000,000 meters or more, 30 days); the
 * SoLR event, worked out from the spec at full size, fits inside the 30 days and under the ADT
 * threshold; and it runs to completion scaled down, as shipped and with its national thresholds and
 * rates scaled with the fleet.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioSpec } from '@gbfleet/core';
import { parseSolrConfig } from '@gbfleet/scenario-solr';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';
import { pluginEventTypes, pluginSections } from '../src/plugins.ts';
import { loadScenarioFile } from '../src/scenario-file.ts';

const NATIONAL = fileURLToPath(new URL('../../../scenarios/gb-national.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gbfleet-national-'));
const GAS_NETWORKS = ['Cadent', 'SGN', 'Northern Gas Networks', 'Wales & West Utilities'];

async function run(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

async function load(): Promise<ScenarioSpec> {
  const options = { pluginEventTypes: pluginEventTypes(), pluginSections: pluginSections() };
  return (await loadScenarioFile(NATIONAL, options)).spec;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual}, expected ${expected}`);

interface Summary {
  status: string;
  stepsRun: number;
  commands: { byReason: Record<string, number> };
  figures: Record<string, number>;
}

async function runScaled(file: string, name: string, flags: string[]): Promise<Summary> {
  const r = await run(['run', file, '--workers', '1', '--out', join(dir, name), '--json', ...flags]);
  assert.is(r.code, 0, r.err);
  return JSON.parse(r.out) as Summary;
}

test('the shipped file parses and validates, with the SoLR section', async () => {
  const spec = await load();
  assert.is(spec.name, 'gb-national');
  assert.is(spec.stepMinutes, 60);
  assert.ok(parseSolrConfig(spec), 'plugins.solr is a valid SoLR section');
});

test('it is national: 30,000,000 meters or more, for 30 days', async () => {
  const spec = await load();
  assert.ok(spec.fleet.meters >= 30_000_000, `meters: ${spec.fleet.meters}`);
  assert.is(spec.days, 30);
});

test('every group of shares sums to 1; the DNOs share electricity, the gas networks gas', async () => {
  const { fleet } = await load();
  close(fleet.fuel.electricity + fleet.fuel.gas, 1, 'fuel');
  close(fleet.paymentMode.prepayment + fleet.paymentMode.credit, 1, 'paymentMode');
  close(fleet.wan.good + fleet.wan.intermittent + fleet.wan.none, 1, 'wan');
  close(sum(fleet.suppliers.map((s) => s.share)), 1, 'suppliers');
  close(sum(fleet.networkOperators.map((n) => n.share)), 1, 'networkOperators');
  const gas = fleet.networkOperators.filter((n) => GAS_NETWORKS.includes(n.name));
  const electricity = fleet.networkOperators.filter((n) => !GAS_NETWORKS.includes(n.name));
  assert.is(gas.length, 4, 'the four gas distribution network groups');
  assert.is(electricity.length, 14, 'the fourteen DNO licence areas');
  close(sum(electricity.map((n) => n.share)), fleet.fuel.electricity, 'DNO shares');
  close(sum(gas.map((n) => n.share)), fleet.fuel.gas, 'gas network shares');
  for (const s of fleet.suppliers) {
    // Charges stay national at any --meters: each party's portfolio is its share of the fleet.
    assert.is(s.meterPoints, Math.round(s.share * fleet.meters), `${s.name}: meterPoints`);
  }
});

test('at full size the SoLR event fits inside the run and under the ADT threshold', async () => {
  const spec = await load();
  const solr = parseSolrConfig(spec);
  assert.ok(solr);
  const failure = spec.events.filter((e) => e.type === 'supplier-fails');
  assert.is(failure.length, 1);
  const fail = failure[0]!;
  assert.is(fail.params.supplier, solr.supplier);
  const failed = spec.fleet.suppliers.find((s) => s.name === solr.supplier)!;
  assert.ok(failed.srp, 'the failing supplier has an SRP, so make-safe is possible');
  const customers = failed.share * spec.fleet.meters;
  const prepayment = customers * (failed.prepaymentShare ?? spec.fleet.paymentMode.prepayment);
  const makeSafe = prepayment * solr.srp.strategy.length;
  // Hours from the start of the run.
  const failAt = fail.day * 24 + fail.hour;
  const safeBy = failAt + solr.srp.startDelayHours + makeSafe / solr.srp.commandsPerHour;
  const cosStart = failAt + (solr.appointAfterDays + solr.solr.onboardingDays) * 24;
  // Each shard gets its share of the rate (floored), so allow a shard a few percent more customers.
  const cosEnd = cosStart + (1.05 * customers) / solr.solr.cosPerHour;
  const revertsEnd = cosEnd + (1.05 * makeSafe) / solr.solr.revertsPerHour;
  const end = spec.days * 24;
  assert.ok(failAt >= 0 && safeBy < cosStart, `made safe by hour ${safeBy}, before the SoLR starts (${cosStart})`);
  assert.ok(revertsEnd < end - 24, `SR 6.23 done by hour ${cosEnd}, reverts by ${revertsEnd}: a day before ${end}`);
  // Every event is inside the run.
  for (const e of spec.events) assert.ok(e.day < spec.days, `${e.type} on day ${e.day}`);
  // ADT: no sender's critical commands in a day reach the threshold (no fast-track needed).
  const threshold = spec.dcc.adt.thresholdPerParty;
  assert.is(spec.dcc.adt.periodHours, 24);
  assert.not.ok(solr.adtFastTrack);
  for (const [who, perDay] of [
    ['SRP make-safe', Math.min(makeSafe, 24 * solr.srp.commandsPerHour)],
    ['ACB SR 6.23', 24 * solr.solr.cosPerHour],
    ['SoLR reverts', 24 * solr.solr.revertsPerHour],
  ] as const) {
    assert.ok(perDay < threshold / 2, `${who}: ${perDay} a day against ${threshold}`);
  }
});

test('it runs scaled down to completion: the supplier fails and its meters are made safe', async () => {
  const s = await runScaled(NATIONAL, 'shipped', ['--meters', '20000', '--days', '2']);
  assert.is(s.status, 'completed');
  assert.is(s.stepsRun, 48);
  assert.ok(s.figures['solr: customers of the failed supplier']! > 300, 'about 2.5 % of 20,000');
  assert.ok(s.figures['solr: meters made safe']! > 0);
  assert.is(s.commands.byReason.DCC_QUARANTINED ?? 0, 0);
});

test('with thresholds and rates scaled to the fleet, the SoLR programme ends inside the run, unquarantined', async () => {
  // --meters scales the fleet only; scale the national DCC threshold and SoLR rates with it, so
  // that each shard sees what a shard of the national run sees.
  const meters = 20_000;
  const spec = await load();
  const k = meters / spec.fleet.meters;
  const scaled = (line: RegExp, field: string, value: number) => (text: string) => {
    const next = text.replace(line, `$1${field}: ${Math.max(1, Math.round(value * k))}`);
    assert.ok(next !== text, `${field} is in the file`);
    return next;
  };
  const solr = parseSolrConfig(spec)!;
  const edits = [
    scaled(/^( {4})thresholdPerParty: \d+/m, 'thresholdPerParty', spec.dcc.adt.thresholdPerParty),
    scaled(/^( {6})commandsPerHour: \d+/m, 'commandsPerHour', solr.srp.commandsPerHour),
    scaled(/^( {6})cosPerHour: \d+/m, 'cosPerHour', solr.solr.cosPerHour),
    scaled(/^( {6})revertsPerHour: \d+/m, 'revertsPerHour', solr.solr.revertsPerHour),
  ];
  const file = join(dir, 'national-scaled.yaml');
  writeFileSync(
    file,
    edits.reduce((text, edit) => edit(text), readFileSync(NATIONAL, 'utf8')),
  );
  // Day 21 is the first day after the SR 6.23 programme and revocation (docs/scenario-national.md).
  const s = await runScaled(file, 'scaled', ['--meters', String(meters), '--days', '21']);
  assert.is(s.status, 'completed');
  assert.is(s.commands.byReason.DCC_QUARANTINED ?? 0, 0);
  assert.ok(s.figures['solr: changes of supplier accepted']! > 0);
  const revocation = s.figures['solr: hours from failure until revocation']!;
  // Appointment after 3 days, onboarding 14, then about 40 hours of SR 6.23 at the national pace.
  assert.ok(revocation > 17 * 24 + 24 && revocation < 17 * 24 + 72, `revocation ${revocation} h after the failure`);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
