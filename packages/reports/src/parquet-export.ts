/**
 * Parquet export of finished run databases ("Parquet export on request", ARCHITECTURE.md): every
 * table of the analyst contract, and the `credit_cover` view, as
 * `DIR/<table>/run_id=<run id>/data.parquet`. The layout is hive-style, so one folder collects any
 * number of runs and DuckDB (or Spark, Polars, pandas) reads them together:
 *
 *   select * from read_parquet('DIR/commands/*\/*.parquet', hive_partitioning = true)
 *
 * Nothing is half-written: every file is made in a hidden staging folder inside DIR and each
 * partition folder is renamed into place only once all of them are written. A partition that is
 * already there is an error (naming it) unless `replace` is set; then it is swapped for the new one.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Db } from './db.js';
import { diskProblemOr } from './disk-problem.js';
import { ReportInputError } from './errors.js';
import { RunSet } from './report/run-set.js';
import { tempViewStatements } from './schema.js';
import { sqlIdent, sqlString } from './sql.js';

/** What is exported per run: the tables of docs/schema.md, then the `credit_cover` view. */
export const PARQUET_TABLES = [
  'runs',
  'parties',
  'service_requests',
  'meters',
  'alerts',
  'commands',
  'supply_events',
  'utrn',
  'charges',
  'credit_cover',
] as const;

export type ParquetTable = (typeof PARQUET_TABLES)[number];

export interface ExportedRun {
  runId: string;
  /** The run database it came from. */
  file: string;
  tables: Array<{ table: ParquetTable; rows: number; path: string }>;
}

export interface ParquetExportOptions {
  /** Swap partitions that are already in DIR for the new ones (default: refuse, naming them). */
  replace?: boolean;
  /** One line per run as it is written. */
  onProgress?: (line: string) => void;
}

/** Run ids become folder names: only characters that are safe in every file system and URL. */
const SAFE_RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Writes each run database in `paths` to `outDir` as Parquet (see above). Every input is checked
 * (it exists, is a run database, holds one run, no run twice) before anything is written.
 */
export async function exportRunsToParquet(
  paths: readonly string[],
  outDir: string,
  options: ParquetExportOptions = {},
): Promise<ExportedRun[]> {
  const out = resolve(outDir);
  checkOutFolder(out);
  const set = await RunSet.open(paths);
  let staging: string | undefined;
  try {
    for (const run of set.runs) {
      if (!SAFE_RUN_ID.test(run.runId)) {
        throw new ReportInputError(run.file, `run id ${JSON.stringify(run.runId)} cannot name a partition folder`);
      }
    }
    const partitions = set.runs.flatMap((run) =>
      PARQUET_TABLES.map((table) => ({ run, table, folder: join(table, `run_id=${run.runId}`) })),
    );
    const taken = partitions.filter((p) => existsSync(join(out, p.folder)));
    if (taken.length > 0 && options.replace !== true) {
      const listed = taken.slice(0, 3).map((p) => p.folder);
      throw new ReportInputError(
        out,
        `already holds ${taken.length} of these partitions (${listed.join(', ')}${taken.length > 3 ? ', …' : ''}): that run was exported before; use --replace to swap them, or another folder`,
      );
    }
    try {
      mkdirSync(out, { recursive: true });
      staging = mkdtempSync(join(out, '.gbfleet-export-'));
    } catch (error) {
      throw new ReportInputError(out, `cannot be written: ${fileFailure(error)}`, { cause: error });
    }
    const exported: ExportedRun[] = [];
    for (const run of set.runs) {
      const tables: ExportedRun['tables'] = [];
      for (const table of PARQUET_TABLES) {
        const folder = join(staging, table, `run_id=${run.runId}`);
        mkdirSync(folder, { recursive: true });
        // run_id lives in the folder name, as hive partitioning expects, not in the file. COPY
        // answers with the rows it wrote.
        const count = await set.query(
          `COPY (SELECT * EXCLUDE (run_id) FROM ${sqlIdent(table)} WHERE run_id = ${sqlString(run.runId)}) TO ${sqlString(join(folder, 'data.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
        );
        tables.push({
          table,
          rows: Number(count.rows[0]?.[0] ?? 0),
          path: join(out, table, `run_id=${run.runId}`, 'data.parquet'),
        });
      }
      exported.push({ runId: run.runId, file: run.file, tables });
      const total = tables.reduce((sum, t) => sum + t.rows, 0);
      options.onProgress?.(`${run.runId}: ${tables.length} tables, ${total.toLocaleString('en-GB')} rows`);
    }
    // Everything is written: now move each partition into place.
    for (const p of partitions) {
      const target = join(out, p.folder);
      mkdirSync(dirname(target), { recursive: true });
      if (existsSync(target)) rmSync(target, { recursive: true, force: true });
      renameSync(join(staging, p.folder), target);
    }
    return exported;
  } catch (error) {
    // The staging folder is removed below: no partition of this export is left, whole or half.
    throw diskProblemOr(error, out);
  } finally {
    set.close();
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * DIR is a folder, or a new folder whose parent is one: a missing parent is more likely a typo
 * than a wish for a new tree, so it is not made. Checked before any input is read.
 */
function checkOutFolder(out: string): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) {
      throw new ReportInputError(out, 'exists and is not a folder: give a folder for the Parquet export');
    }
    writable(out, out);
    return;
  }
  const parent = dirname(out);
  if (!existsSync(parent)) {
    throw new ReportInputError(out, `cannot be made: its parent folder ${parent} does not exist (create it first)`);
  }
  if (!statSync(parent).isDirectory()) {
    throw new ReportInputError(out, `cannot be made: ${parent} is a file, not a folder`);
  }
  writable(parent, out);
}

/** `folder` accepts new entries (a read-only mount or a folder without write permission does not). */
function writable(folder: string, out: string): void {
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new ReportInputError(out, `cannot be written: ${fileFailure(error)} (${folder})`, { cause: error });
  }
}

/** A file-system error in words, for a path the message already names. */
function fileFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: choose a folder you can write to';
    case 'EROFS':
      return 'the file system is read-only: choose a folder on a writable one';
    case 'ENOTDIR':
      return 'part of the path is a file, not a folder';
    case 'ENOENT':
      return 'part of the path does not exist';
    case 'EEXIST':
      return 'something else appeared there meanwhile; try again';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return (error as Error).message ?? String(error);
  }
}

/** True when `dir` looks like a Parquet export: it has the `runs` table's folder. */
export function isParquetExport(dir: string): boolean {
  return existsSync(join(dir, 'runs')) && statSync(join(dir, 'runs')).isDirectory();
}

/**
 * An in-memory DuckDB over a Parquet export: a view per exported table (all runs in the folder,
 * `run_id` back as a column) and the schema's named views over those, so the SQL that works on a
 * run database works here too, across every run exported. `credit_cover` is the schema's view,
 * computed from `charges`, like in a run database. It is locked down for SQL a person types
 * (db.ts `lockdown`): DuckDB may read the export's Parquet files, listed one by one when it is
 * opened, and nothing else.
 */
export async function openParquetExport(dir: string): Promise<Db> {
  const root = resolve(dir);
  if (!isParquetExport(root)) {
    throw new ReportInputError(
      root,
      'is a folder but not a Parquet export (it has no runs/ folder from "gbfleet export")',
    );
  }
  const files = new Map<ParquetTable, string[]>();
  for (const table of PARQUET_TABLES) {
    if (table === 'credit_cover') continue;
    const found = partitionFiles(join(root, table));
    if (found.length > 0) files.set(table, found);
  }
  const db = await Db.open(':memory:', { lockdown: { readable: [...files.values()].flat() } });
  try {
    for (const [table, found] of files) {
      // A list of files, not a glob: the lockdown lets DuckDB open these paths but list no folder.
      await db.run(
        `CREATE TEMP VIEW ${sqlIdent(table)} AS SELECT * FROM read_parquet([${found.map(sqlString).join(', ')}], hive_partitioning = true, hive_types = {'run_id': VARCHAR})`,
      );
    }
    await db.run(tempViewStatements());
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** `<table>/<partition>/*.parquet` under an export, sorted; none when the folder is missing. */
function partitionFiles(tableDir: string): string[] {
  if (!existsSync(tableDir)) return [];
  const found: string[] = [];
  for (const partition of readdirSync(tableDir, { withFileTypes: true })) {
    if (!partition.isDirectory() || partition.name.startsWith('.')) continue;
    const folder = join(tableDir, partition.name);
    for (const name of readdirSync(folder)) if (name.endsWith('.parquet')) found.push(join(folder, name));
  }
  return found.sort();
}
