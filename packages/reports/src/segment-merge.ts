/**
 * `gbfleet merge`: a folder of segments becomes one run database, the one a single run would
 * have written. The set is checked first, and nothing is written unless it is complete and
 * consistent: one run, all N segments present once, the same scenario, seed, code version and
 * shard layout, every one completed, their meters covering the fleet end to end, and every
 * Parquet file holding the rows its manifest says. Then every segment's rows go in (the parties
 * once: they are the same in each), and the charges are computed from the segments' charge
 * inputs added up, exactly as the single run computes them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chargeRows, mergeFigures, type ScenarioSpec, stepsPerDayOf, sumChargeInputs } from '@gbfleet/core';
import { Db } from './db.js';
import { SegmentSetError } from './errors.js';
import { RunDatabase } from './run-database.js';
import { segmentFolder } from './segment-files.js';
import { lockSegments } from './segment-lock.js';
import { readSegmentManifest, SEGMENT_TABLES, type SegmentManifest, type SegmentTable } from './segment-manifest.js';
import { sqlString } from './sql.js';

export interface MergeOptions {
  /** Where the run database goes (default: OUT/<run id>.duckdb). */
  into?: string;
  onProgress?: (line: string) => void;
}

export interface MergedRun {
  path: string;
  runId: string;
  segments: number;
  rows: Record<SegmentTable | 'charges', number>;
  /** The segments' summary figures merged (maxima by max, the rest added up). */
  figures: Record<string, number>;
}

/** The checked set of one run's segments in `outDir`, in segment order. */
export async function readSegmentSet(outDir: string): Promise<SegmentManifest[]> {
  const out = resolve(outDir);
  const manifestsDir = join(out, 'manifests');
  if (!existsSync(manifestsDir)) {
    throw new SegmentSetError(`${out} holds no segments: it has no manifests/ folder from "gbfleet run --segment"`);
  }
  const runs = readdirSync(manifestsDir).filter((name) => name.startsWith('run_id='));
  if (runs.length !== 1) {
    throw new SegmentSetError(
      runs.length === 0
        ? `${out} holds no finished segment yet (manifests/ is empty)`
        : `${out} holds segments of ${runs.length} runs (${runs.join(', ')}): merge one run's folder at a time`,
    );
  }
  const runDir = join(manifestsDir, runs[0] as string);
  const runId = (runs[0] as string).slice('run_id='.length);
  const manifests: SegmentManifest[] = [];
  for (const name of readdirSync(runDir).sort()) {
    const match = /^segment=(\d+)\.json$/.exec(name);
    if (!match) continue;
    const manifest = readSegmentManifest(join(runDir, name));
    if (manifest.segment !== Number(match[1]) || manifest.runId !== runId) {
      throw new SegmentSetError(
        `${join(runDir, name)} says it is segment ${manifest.segment} of run ${manifest.runId}: it is in the wrong place`,
      );
    }
    manifests.push(manifest);
  }
  if (manifests.length === 0) throw new SegmentSetError(`${out} holds no finished segment of run ${runId}`);
  manifests.sort((a, b) => a.segment - b.segment);
  checkConsistent(manifests);
  await checkFiles(out, manifests);
  return manifests;
}

/** Fields every segment of one run shares, with the words for a mismatch. */
const SHARED: Array<[keyof SegmentManifest, string]> = [
  ['segments', 'segment count N'],
  ['codeVersion', 'code version'],
  ['scenarioHash', 'scenario file'],
  ['specHash', 'scenario as run (overrides applied)'],
  ['seed', 'seed'],
  ['fleetMeters', 'fleet size'],
  ['steps', 'steps'],
];

function checkConsistent(manifests: readonly SegmentManifest[]): void {
  const first = manifests[0] as SegmentManifest;
  for (const [field, words] of SHARED) {
    const odd = manifests.filter((m) => m[field] !== first[field]);
    if (odd.length > 0) {
      const values = manifests.map((m) => `segment ${m.segment}: ${JSON.stringify(m[field])}`).join(', ');
      throw new SegmentSetError(`the segments do not agree on the ${words} (${values}); nothing was merged`);
    }
  }
  const n = first.segments;
  const present = new Set(manifests.map((m) => m.segment));
  const missing = Array.from({ length: n }, (_, k) => k).filter((k) => !present.has(k));
  if (missing.length > 0) {
    throw new SegmentSetError(
      `run ${first.runId} is missing segment${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${n} (no manifest: not run, still running, or died); run ${missing.length === 1 ? 'it' : 'them'}, then merge again`,
    );
  }
  const unfinished = manifests.filter((m) => m.status !== 'completed');
  if (unfinished.length > 0) {
    const listed = unfinished.map((m) => `segment ${m.segment} ${m.status}${m.error ? ` (${m.error})` : ''}`);
    throw new SegmentSetError(
      `run ${first.runId} has segments that did not complete: ${listed.join('; ')}; run them again`,
    );
  }
  let next = 0;
  for (const m of manifests) {
    if (m.firstMeter !== next) {
      throw new SegmentSetError(
        `segment ${m.segment} starts at meter ${m.firstMeter}, expected ${next}: the segments do not tile the fleet`,
      );
    }
    next = m.firstMeter + m.meters;
  }
  if (next !== first.fleetMeters) {
    throw new SegmentSetError(`the segments cover meters 0..${next - 1} of a fleet of ${first.fleetMeters}`);
  }
}

/** Every table's file of every segment is there and holds the rows its manifest counted. */
async function checkFiles(out: string, manifests: readonly SegmentManifest[]): Promise<void> {
  const db = await Db.open(':memory:');
  try {
    for (const m of manifests) {
      for (const table of SEGMENT_TABLES) {
        const file = join(segmentFolder(out, table, m.runId, m.segment), 'data.parquet');
        if (!existsSync(file)) throw new SegmentSetError(`segment ${m.segment} has no ${table} file (${file})`);
        let rows: number;
        try {
          const result = await db.query(`SELECT count(*) FROM read_parquet(${sqlString(file)})`);
          rows = Number(result.rows[0]?.[0]);
        } catch (error) {
          throw new SegmentSetError(`segment ${m.segment}: ${file} is not a readable Parquet file`, { cause: error });
        }
        if (rows !== m.rows[table]) {
          throw new SegmentSetError(
            `segment ${m.segment}: ${file} holds ${rows} rows, its manifest says ${m.rows[table]}: run the segment again`,
          );
        }
      }
    }
  } finally {
    db.close();
  }
}

export async function mergeSegments(outDir: string, options: MergeOptions = {}): Promise<MergedRun> {
  const out = resolve(outDir);
  const seen = (await readSegmentSet(out))[0] as SegmentManifest;
  // No segment of the run may be rewritten while it is merged (segment-lock.ts); the set is read
  // again under the locks, so what is merged is what was checked.
  const segments = Array.from({ length: seen.segments }, (_, k) => k);
  const release = await lockSegments(out, seen.runId, segments, { reading: true });
  try {
    return await mergeLocked(out, await readSegmentSet(out), options);
  } finally {
    release();
  }
}

async function mergeLocked(out: string, manifests: SegmentManifest[], options: MergeOptions): Promise<MergedRun> {
  const first = manifests[0] as SegmentManifest;
  const spec = first.spec as ScenarioSpec;
  const into = resolve(options.into ?? join(out, `${first.runId}.duckdb`));
  const db = await RunDatabase.create(into, {
    runId: first.runId,
    scenarioName: first.scenarioName,
    scenarioHash: first.scenarioHash,
    seed: first.seed,
    codeVersion: first.codeVersion,
    workers: first.workers,
    meters: first.fleetMeters,
    start: spec.start,
    stepMinutes: spec.stepMinutes,
    steps: first.steps,
  });
  const rows = {} as MergedRun['rows'];
  try {
    for (const table of SEGMENT_TABLES) {
      // Every segment writes the same parties; the first one's are the run's.
      const from = table === 'parties' ? [first] : manifests;
      const files = from.map((m) => join(segmentFolder(out, table, m.runId, m.segment), 'data.parquet'));
      rows[table] = await db.appendParquet(table, files);
      options.onProgress?.(`merge: ${table}: ${rows[table].toLocaleString('en-GB')} rows`);
    }
    const inputs = sumChargeInputs(manifests.map((m) => m.chargeInputs));
    const charges = chargeRows(spec, inputs, Date.parse(spec.start), stepsPerDayOf(spec));
    await db.appendCharges(charges);
    rows.charges = charges.length;
  } catch (error) {
    await db.abandon();
    throw error;
  }
  const path = await db.finish('completed', { stepsRun: first.stepsRun });
  return { path, runId: first.runId, segments: manifests.length, rows, figures: mergeFigures(manifests) };
}
