/**
 * A segment's manifest: the small JSON file that says a segment's Parquet files are complete and
 * what they hold. It is written last and atomically (a temporary file renamed into place), so a
 * segment without a manifest is one that has not finished writing; the merge trusts nothing else.
 *
 *   OUT/manifests/run_id=<id>/segment=<K>.json
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChargeInputs, ScenarioSpec } from '@gbfleet/core';
import { diskProblemOr } from './disk-problem.js';
import { SegmentSetError } from './errors.js';

export const SEGMENT_FORMAT = 'gbfleet-segment/1';

/** The tables a segment writes as Parquet (runs, service_requests and charges are made by the merge). */
export const SEGMENT_TABLES = ['parties', 'meters', 'alerts', 'commands', 'supply_events', 'utrn'] as const;
export type SegmentTable = (typeof SEGMENT_TABLES)[number];

export interface SegmentManifest {
  format: typeof SEGMENT_FORMAT;
  runId: string;
  scenarioName: string;
  /** SHA-256 of the scenario file. */
  scenarioHash: string;
  /** SHA-256 of the scenario as run (overrides applied): segments of one run agree on it. */
  specHash: string;
  seed: string;
  codeVersion: string;
  segment: number;
  segments: number;
  status: 'completed' | 'failed' | 'interrupted';
  error: string | null;
  steps: number;
  stepsRun: number;
  /** The whole fleet's meters, and this segment's: [firstMeter, firstMeter + meters). */
  fleetMeters: number;
  firstMeter: number;
  meters: number;
  workers: number;
  startedAt: string;
  finishedAt: string;
  rows: Record<SegmentTable, number>;
  chargeInputs: ChargeInputs;
  /** The run summary's figures for this segment's meters, and which of them are maxima. */
  figures: Record<string, number>;
  peakFigures: string[];
  /** The scenario as run: the merge computes the charges from it. */
  spec: ScenarioSpec;
}

export function manifestPath(outDir: string, runId: string, segment: number): string {
  return join(outDir, 'manifests', `run_id=${runId}`, `segment=${segment}.json`);
}

/** Writes the manifest atomically: whoever reads the path sees the whole file or none. */
export function writeSegmentManifest(outDir: string, manifest: SegmentManifest): string {
  const path = manifestPath(outDir, manifest.runId, manifest.segment);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    // A write cut short (a full disk) leaves half a temporary file: it goes, the manifest never appears.
    rmSync(temporary, { force: true });
    throw diskProblemOr(error, path);
  }
  return path;
}

const STATUSES = new Set(['completed', 'failed', 'interrupted']);

/** Reads and checks one manifest; anything malformed is a SegmentSetError naming the file and the field. */
export function readSegmentManifest(path: string): SegmentManifest {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SegmentSetError(`${path} is not a readable segment manifest: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const bad = (field: string, expected: string) =>
    new SegmentSetError(`${path} is not a valid segment manifest: ${field} should be ${expected}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('the file', 'a JSON object');
  const m = value as Record<string, unknown>;
  if (m.format !== SEGMENT_FORMAT) throw bad('format', JSON.stringify(SEGMENT_FORMAT));
  for (const field of ['runId', 'scenarioName', 'scenarioHash', 'specHash', 'seed', 'codeVersion', 'startedAt']) {
    if (typeof m[field] !== 'string' || m[field] === '') throw bad(field, 'a non-empty string');
  }
  if (typeof m.finishedAt !== 'string') throw bad('finishedAt', 'a string');
  const count = (field: string, min = 0) => {
    const v = m[field];
    if (!(typeof v === 'number' && Number.isSafeInteger(v) && v >= min)) throw bad(field, `an integer ≥ ${min}`);
    return v;
  };
  const segments = count('segments', 1);
  if (count('segment') >= segments) throw bad('segment', `below segments (${segments})`);
  const fleetMeters = count('fleetMeters', 1);
  if (count('firstMeter') + count('meters') > fleetMeters) throw bad('firstMeter + meters', 'within fleetMeters');
  if (count('stepsRun') > count('steps')) throw bad('stepsRun', 'at most steps');
  count('workers', 1);
  if (typeof m.status !== 'string' || !STATUSES.has(m.status)) throw bad('status', 'completed, failed or interrupted');
  if (m.error !== null && typeof m.error !== 'string') throw bad('error', 'null or a string');
  const rows = m.rows as Record<string, unknown> | null;
  if (rows === null || typeof rows !== 'object') throw bad('rows', 'an object of row counts');
  for (const table of SEGMENT_TABLES) {
    const v = rows[table];
    if (!(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) throw bad(`rows.${table}`, 'an integer ≥ 0');
  }
  const charges = m.chargeInputs as ChargeInputs | null;
  if (
    charges === null ||
    typeof charges !== 'object' ||
    !Number.isSafeInteger(charges.stepsRun) ||
    !Array.isArray(charges.suppliers) ||
    !charges.suppliers.every(
      (s) =>
        s !== null &&
        typeof s === 'object' &&
        Number.isSafeInteger(s.party) &&
        Number.isSafeInteger(s.registeredMeters) &&
        s.registeredMeters >= 0 &&
        (s.failedAtStep === null || Number.isSafeInteger(s.failedAtStep)),
    )
  ) {
    throw bad('chargeInputs', 'the charge inputs (stepsRun, suppliers with party, failedAtStep, registeredMeters)');
  }
  const figures = m.figures as Record<string, unknown> | null;
  if (figures === null || typeof figures !== 'object' || !Object.values(figures).every(Number.isFinite)) {
    throw bad('figures', 'an object of numbers');
  }
  if (!Array.isArray(m.peakFigures) || !m.peakFigures.every((f) => typeof f === 'string')) {
    throw bad('peakFigures', 'a list of figure names');
  }
  if (m.spec === null || typeof m.spec !== 'object' || Array.isArray(m.spec)) throw bad('spec', 'the scenario as run');
  return m as unknown as SegmentManifest;
}
