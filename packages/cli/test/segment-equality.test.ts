/**
 * Every shipped scenario splits exactly: at a test size, the merge of N = 2, 3 and 4 segments,
 * each run as `gbfleet run --segment K/N` into one folder and merged by `gbfleet merge`, equals
 * the single run table by table (runDigest: an order-independent hash in DuckDB of every outcome
 * table, without run ids or wall-clock columns), the `runs` row agrees but for its run id,
 * workers and wall-clock times, and the merged summary figures are the single run's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryRunDatabase, runDigest } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const scenarios = new URL('../../../scenarios/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gbfleet-equality-'));

interface Case {
  file: string;
  /** Flags that make it a test size; --shard-meters gives at least 4 shards. */
  flags: string[];
  variant?: string;
  /** Figures that are a fleet-wide maximum, which a merge cannot recompute from segments. */
  unmergeable?: string[];
}

/** The largest number of customers off supply at once over the whole fleet: a segment knows only its own (docs/scenario-solr.md). */
const SOLR_PEAK = ['solr: peak customers off supply'];
const SOLR_SIZE = ['--meters', '2048', '--days', '20', '--shard-meters', '512'];
const SWEEP_SIZE = ['--meters', '2048', '--days', '13', '--shard-meters', '512'];

const CASES: Case[] = [
  { file: 'default.yaml', flags: ['--meters', '2048', '--days', '21', '--shard-meters', '512'] },
  { file: 'cos-at-scale.yaml', flags: ['--meters', '2048', '--days', '6', '--shard-meters', '512'] },
  { file: 'cos-dp072-calibration.yaml', flags: ['--shard-meters', '256'] },
  { file: 'credit-cover-dp095.yaml', flags: ['--shard-meters', '10'] },
  { file: 'gno-acb-handover.yaml', flags: ['--meters', '2048', '--days', '17', '--shard-meters', '512'] },
  // Every attack of the matrix falls in its 6 days: none is cut off.
  { file: 'hostile-party.yaml', flags: ['--meters', '2048', '--shard-meters', '512'] },
  { file: 'solr-disorderly-exit.yaml', flags: SOLR_SIZE, unmergeable: SOLR_PEAK },
  // The sweep, split by variant as well: delayed revocation with the ADT fast track, and neither.
  { file: 'solr-policy-comparison.yaml', variant: 'v01', flags: SWEEP_SIZE, unmergeable: SOLR_PEAK },
  { file: 'solr-policy-comparison.yaml', variant: 'v16', flags: SWEEP_SIZE, unmergeable: SOLR_PEAK },
  { file: 'utrn-extreme-weather-2018.yaml', flags: ['--meters', '2048', '--days', '4', '--shard-meters', '512'] },
];

async function gbfleet(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  const out = io.stdout.join('');
  if (code !== 0) throw new Error(`gbfleet ${args.join(' ')} exited ${code}: ${io.stderr.join('')}`);
  return out;
}

const RUN_ROW = `SELECT scenario_name, scenario_hash, seed, code_version, meters, start, step_minutes, steps,
  steps_run, status, error FROM runs`;

async function runRow(path: string) {
  return (await queryRunDatabase(path, RUN_ROW)).rows;
}

for (const c of CASES) {
  const name = `${c.file}${c.variant ? ` ${c.variant}` : ''}`;
  test(`${name}: N = 2, 3 and 4 segments merge into the single run`, async () => {
    const base = [
      join(scenarios, c.file),
      '--workers',
      '1',
      ...c.flags,
      ...(c.variant ? ['--variant', c.variant] : []),
    ];
    const key = name.replace(/\W+/g, '-');
    const single = JSON.parse(await gbfleet(['run', ...base, '--out', join(dir, key, 'single'), '--json']));
    const summary = c.variant ? single.variants[0].summary : single;
    const database = c.variant ? single.variants[0].database : single.database;
    const digest = await runDigest(database);
    for (const n of [2, 3, 4]) {
      const out = join(dir, key, `n${n}`);
      for (let k = 0; k < n; k++) await gbfleet(['run', ...base, '--segment', `${k}/${n}`, '--out', out]);
      const merged = JSON.parse(await gbfleet(['merge', c.variant ? join(out, c.variant) : out, '--json']));
      assert.equal(merged.segments, n);
      assert.equal(await runDigest(merged.path), digest, `${name}, ${n} segments: outcome tables`);
      assert.equal(await runRow(merged.path), await runRow(database), `${name}, ${n} segments: runs row`);
      const skip = new Set(c.unmergeable ?? []);
      const figures = (f: Record<string, number>) => Object.entries(f).filter(([k]) => !skip.has(k));
      assert.equal(figures(merged.figures).sort(), figures(summary.figures).sort(), `${name}, ${n} segments: figures`);
    }
    rmSync(join(dir, key), { recursive: true, force: true });
  });
}

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
