/**
 * One or several run databases read together, for a report or a comparison: an in-memory DuckDB
 * attaches each file READ_ONLY, a temporary view per table (`alerts`, `charges`, …) unions them
 * by column name, and the schema's views (`alerts_named`, `credit_cover`, …) are made over those. Report SQL therefore reads the same whether it is given one run
 * or five; it tells runs apart by `run_id`, and `report_runs` gives each run a short label.
 * Invariant: nothing here can write to a run file (attached read-only, never detached dirty).
 */
import { basename } from 'node:path';
import { Db, type QueryResult } from '../db.js';
import { ReportInputError } from '../errors.js';
import { existingRunDatabaseFile } from '../run-database-file.js';
import { tempViewStatements } from '../schema.js';
import { sqlIdent, sqlString } from '../sql.js';

export interface RunInfo {
  runId: string;
  /** Short name for tables and charts: the file name without `.duckdb` (made unique). */
  label: string;
  file: string;
  scenarioName: string;
  seed: string;
  status: string;
  start: Date;
  stepMinutes: number;
  steps: number;
  meters: number;
}

export class RunSet {
  private constructor(
    private readonly db: Db,
    readonly runs: readonly RunInfo[],
  ) {}

  /** Attaches every file (read-only) and builds the union views. Throws before touching anything. */
  static async open(paths: readonly string[]): Promise<RunSet> {
    if (paths.length === 0) throw new ReportInputError('(no file)', 'expected at least one run database');
    const files: string[] = [];
    for (const path of paths) files.push(await existingRunDatabaseFile(path));
    const db = await Db.open(':memory:');
    try {
      const runs: RunInfo[] = [];
      const labels = new Set<string>();
      const objects = new Map<string, string[]>(); // table or view → the aliases that have it
      for (const [i, file] of files.entries()) {
        const alias = `r${i}`;
        try {
          await db.run(`ATTACH ${sqlString(file)} AS ${alias} (READ_ONLY)`);
        } catch (error) {
          throw new ReportInputError(file, `cannot be opened as a DuckDB database: ${(error as Error).message}`, {
            cause: error,
          });
        }
        const info = await readRunRow(db, alias, file);
        const twin = runs.find((r) => r.runId === info.runId);
        if (twin)
          throw new ReportInputError(file, `holds run ${info.runId}, which ${twin.file} holds too: give each run once`);
        let label = basename(file).replace(/\.duckdb$/i, '');
        for (let n = 2; labels.has(label); n++) label = `${basename(file).replace(/\.duckdb$/i, '')} (${n})`;
        labels.add(label);
        runs.push({ ...info, label });
        // Tables only: a view stored in an attached file would bind its table names to these
        // temporary unions (every run's rows), so the views are made afresh over the unions.
        const names = await db.query(
          `SELECT table_name AS name FROM duckdb_tables() WHERE database_name = ${sqlString(alias)} AND schema_name = 'main'`,
        );
        for (const [name] of names.rows) objects.set(String(name), [...(objects.get(String(name)) ?? []), alias]);
      }
      for (const [name, aliases] of objects) {
        const union = aliases.map((a) => `SELECT * FROM ${a}.${sqlIdent(name)}`).join(' UNION ALL BY NAME ');
        await db.run(`CREATE TEMP VIEW ${sqlIdent(name)} AS ${union}`);
      }
      await db.run(tempViewStatements());
      const values = runs
        .map(
          (r) =>
            `(${sqlString(r.runId)}, ${sqlString(r.label)}, ${sqlString(r.file)}, ${sqlString(r.scenarioName)}, ${sqlString(r.seed)}, ${sqlString(r.status)}, ${r.stepMinutes}, ${r.steps}, ${r.meters})`,
        )
        .join(', ');
      await db.run(
        `CREATE TEMP TABLE report_runs AS
         SELECT v.*, r.start FROM (VALUES ${values}) v(run_id, run_label, file, scenario_name, seed, status, step_minutes, steps, meters)
         JOIN runs r USING (run_id)`,
      );
      return new RunSet(db, runs);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Runs statements for their effect (a report's setup: temporary tables and views). */
  async exec(sql: string): Promise<void> {
    await this.db.run(sql);
  }

  async query(sql: string): Promise<QueryResult> {
    return this.db.query(sql);
  }

  close(): void {
    this.db.close();
  }
}

async function readRunRow(db: Db, alias: string, file: string): Promise<Omit<RunInfo, 'label'>> {
  let result: QueryResult;
  try {
    result = await db.query(
      `SELECT run_id, scenario_name, seed, CAST(status AS VARCHAR), start, step_minutes, steps, meters FROM ${alias}.runs`,
    );
  } catch (error) {
    throw new ReportInputError(file, 'is a DuckDB file but not a gbfleet run database (it has no usable runs table)', {
      cause: error,
    });
  }
  if (result.rows.length !== 1) {
    throw new ReportInputError(file, `has ${result.rows.length} rows in runs, expected exactly one run per file`);
  }
  const [runId, scenarioName, seed, status, start, stepMinutes, steps, meters] = result.rows[0] as unknown[];
  return {
    runId: String(runId),
    file,
    scenarioName: String(scenarioName),
    seed: String(seed),
    status: String(status),
    start: start as Date,
    stepMinutes: Number(stepMinutes),
    steps: Number(steps),
    meters: Number(meters),
  };
}
