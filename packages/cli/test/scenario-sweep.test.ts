/**
 * Sweeps: a scenario's `sweep:` block expands into one validated variant per combination; a bad
 * block names its problems and nothing runs; a small sweep runs end to end into one table.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioIssue } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';
import { expandSweep, MAX_VARIANTS, summaryValue } from '../src/scenario-sweep.ts';

test('a sweep expands to the product of its values, last axis fastest', () => {
  const issues: ScenarioIssue[] = [];
  const sweep = expandSweep(
    {
      name: 'x',
      fleet: { meters: 10 },
      sweep: { vary: { 'fleet.meters': [1, 2, 3], 'dcc.adt.periodHours': [6, 12] } },
    },
    issues,
  );
  assert.equal(issues, []);
  assert.is(sweep.variants.length, 6);
  assert.equal(
    sweep.variants.map((v) => v.assignments.map((a) => a.value)),
    [
      [1, 6],
      [1, 12],
      [2, 6],
      [2, 12],
      [3, 6],
      [3, 12],
    ],
  );
  const last = sweep.variants[5]?.value as { fleet: { meters: number }; dcc: { adt: { periodHours: number } } };
  assert.is(last.fleet.meters, 3);
  assert.is(last.dcc.adt.periodHours, 12, 'missing mappings are created');
  assert.not.ok('sweep' in (last as object));
  assert.is(sweep.variants[0]?.label, 'v01');
});

test('no sweep: one variant, the value itself', () => {
  const value = { name: 'x' };
  const sweep = expandSweep(value, []);
  assert.is(sweep.variants.length, 1);
  assert.is(sweep.variants[0]?.value, value);
});

test('hostile sweep blocks name every problem', () => {
  const cases: Array<[unknown, RegExp]> = [
    [7, /expected a mapping with vary/],
    [{ vary: [] }, /field path → list of values/],
    [{ vary: {} }, /names no field to vary/],
    [{ vary: { 'fleet..meters': [1] } }, /expected a field path/],
    [{ vary: { 'sweep.vary': [1] } }, /expected a field path/],
    [{ vary: { 'fleet.meters': [] } }, /list of 1 to 16 values/],
    [{ vary: { 'fleet.meters': 5 } }, /list of 1 to 16 values/],
    [{ vary: { 'fleet.meters': [1] }, compare: 'x' }, /run-summary paths/],
    [{ vary: { 'fleet.meters': [1] }, colour: 1 }, /unknown field/],
    [
      { vary: { a: [1, 2, 3, 4, 5, 6, 7, 8], b: [1, 2, 3, 4, 5, 6, 7, 8], c: [1, 2] } },
      new RegExp(`at most ${MAX_VARIANTS}`),
    ],
  ];
  for (const [sweep, pattern] of cases) {
    const issues: ScenarioIssue[] = [];
    const out = expandSweep({ name: 'x', sweep }, issues);
    assert.ok(issues.length > 0, JSON.stringify(sweep));
    assert.match(issues.map((i) => `${i.path}: ${i.message}`).join('\n'), pattern);
    assert.is(out.variants.length, 0);
  }
});

test('summary paths reach figures whose names hold spaces, colons and dots', () => {
  const summary = { commands: { byReason: { ACCEPTED: 3 } }, figures: { 'solr: a.b c': 4 } };
  assert.is(summaryValue(summary, 'commands.byReason.ACCEPTED'), 3);
  assert.is(summaryValue(summary, 'figures.solr: a.b c'), 4);
  assert.is(summaryValue(summary, 'commands.nope'), undefined);
});

test('gbfleet run with a sweep: every variant validated first, then run, then compared', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-sweep-'));
  try {
    const file = join(dir, 'sweep.yaml');
    const base = 'name: tiny sweep\ndays: 1\nfleet:\n  meters: 500\n';
    writeFileSync(
      file,
      `${base}sweep:\n  vary:\n    fleet.paymentMode.prepayment: [0.2, 0.6]\n    fleet.paymentMode.credit: [0.8, 0.4]\n`,
    );
    const bad = memoryIo();
    assert.is(await runCli(['run', file, '--out', join(dir, 'out')], bad), 2, 'two variants do not sum to 1');
    assert.match(bad.stderr.join(''), /sweep variant v02/);
    assert.is(readdirSync(dir).includes('out') ? readdirSync(join(dir, 'out')).length : 0, 0, 'nothing ran');

    writeFileSync(
      file,
      `${base}sweep:\n  vary:\n    fleet.topUp.probabilityPerHour: [0.01, 0.3]\n  compare: [commands.total, supply.disabledEvents]\n`,
    );
    const io = memoryIo();
    assert.is(await runCli(['run', file, '--out', join(dir, 'out')], io), 0, io.stderr.join(''));
    const out = io.stdout.join('');
    assert.match(out, /Comparison:/);
    assert.match(out, /\| v01 +\| 0\.01 /);
    assert.match(out, /\| v02 +\| 0\.3 /);
    assert.is(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.duckdb')).length, 2);
    const json = memoryIo();
    assert.is(await runCli(['run', file, '--out', join(dir, 'json'), '--json'], json), 0);
    const doc = JSON.parse(json.stdout.join(''));
    assert.is(doc.variants.length, 2);
    assert.ok(doc.variants[1].summary.commands.total > doc.variants[0].summary.commands.total, 'more top-ups');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
