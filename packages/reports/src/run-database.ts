/**
 * One run's DuckDB file, written while the run goes and published when it ends.
 *
 *   create()  → `<final>.partial` (runs.status = 'running')
 *   append*() → checked, then appended columnar, one transaction per call, one call at a time
 *   finish()  → status + finished_at, CHECKPOINT, close, then `<final>.partial` → `<final>`
 *   abandon() → close and delete `<final>.partial`
 *
 * Invariant: a file under the final name is complete and closed, whatever its status says; a
 * crash leaves only the `.partial`. A batch must not change until its append promise settles.
 */
import { existsSync } from 'node:fs';
import { link, mkdir, rename, rm, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type {
  AlertBatch,
  ChargeRow,
  CommandRecordBatch,
  MeterSnapshot,
  PartyRecord,
  RunMeta,
  RunRecordSink,
  RunStatus,
  SupplyEventBatch,
  UtrnBatch,
} from '@gbfleet/core';
import {
  alertColumns,
  chargeColumns,
  commandColumns,
  meterColumns,
  partyColumns,
  type RunContext,
  serviceRequestColumns,
  supplyEventColumns,
  type TableBatch,
  utrnColumns,
} from './batch-columns.js';
import { describeHolder, lockHolderOf, probeDatabaseLock } from './database-lock.js';
import { Db } from './db.js';
import { diskProblemOr } from './disk-problem.js';
import {
  RunBatchError,
  RunDatabaseBusyError,
  RunDatabaseClosedError,
  RunDatabaseError,
  RunDatabaseExistsError,
} from './errors.js';
import { checkRunMeta } from './record-checks.js';
import { parseUtc, stepClockOf, timestampText } from './run-clock.js';
import { schemaStatements } from './schema.js';
import type { SegmentTable } from './segment-manifest.js';
import { sqlIdent, sqlString } from './sql.js';

export interface RunDatabaseOptions {
  /** DuckDB `memory_limit` while writing (default '512MB'). */
  memoryLimit?: string;
  /** DuckDB threads (default 2). */
  threads?: number;
}

/** What `finish` records beside the status. */
export interface RunEndDetails {
  /** Why a failed or interrupted run stopped. */
  error?: string;
  /** Steps whose rows are in the file (default: all of them for a completed run, else unknown). */
  stepsRun?: number;
}

/** How a run ended. */
export type RunEnd = Exclude<RunStatus, 'running'>;
const RUN_ENDS: readonly RunEnd[] = ['completed', 'failed', 'interrupted'];

export class RunDatabase {
  /** Where the finished file will be. */
  readonly path: string;
  /** Where it is written meanwhile. */
  readonly partialPath: string;
  private db: Db | null;
  private state: 'open' | 'closing' | 'closed' = 'open';
  /** Appends run one at a time on the single connection: each is a transaction of its own. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly parties = new Set<number>();
  private finishing: Promise<void> = Promise.resolve();

  private constructor(
    path: string,
    db: Db,
    private readonly run: RunContext,
    /** Steps the run was asked to simulate. */
    private readonly steps: number,
  ) {
    this.path = path;
    this.partialPath = `${path}.partial`;
    this.db = db;
  }

  /** Creates `<finalPath>.partial` with every table and the `runs` row; refuses an existing `finalPath`. */
  static async create(finalPath: string, meta: RunMeta, options: RunDatabaseOptions = {}): Promise<RunDatabase> {
    checkRunMeta(meta);
    const path = resolve(finalPath);
    if (existsSync(path)) throw new RunDatabaseExistsError(path);
    const partial = `${path}.partial`;
    // Claimed before the first await, so two creates in this process cannot both pass the checks.
    if (openPartials.has(partial)) throw new RunDatabaseBusyError(partial, 'this process');
    openPartials.add(partial);
    let db: Db;
    try {
      await prepareFiles(path, partial);
      db = await openPartial(partial, options);
    } catch (error) {
      openPartials.delete(partial);
      throw diskProblemOr(error, partial);
    }
    const run = new RunDatabase(path, db, { runId: meta.runId, clock: stepClockOf(meta) }, meta.steps);
    try {
      for (const sql of schemaStatements()) await db.run(sql);
      await db.run(
        `INSERT INTO runs VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS TIMESTAMP), $9, $10, NULL,
           'running', CAST($11 AS TIMESTAMP), NULL, NULL)`,
        [
          meta.runId,
          meta.scenarioName,
          meta.scenarioHash.toLowerCase(),
          meta.seed,
          meta.codeVersion,
          meta.workers,
          meta.meters,
          timestampText(parseUtc(meta.start) as number),
          meta.stepMinutes,
          meta.steps,
          timestampText(Date.now()),
        ],
      );
      await run.append(serviceRequestColumns(run.run));
    } catch (error) {
      await run.abandon();
      throw diskProblemOr(error, partial);
    }
    return run;
  }

  async appendParties(rows: PartyRecord[]): Promise<void> {
    const batch = partyColumns(this.run, rows);
    const indexes = rows.map((r) => r.index);
    return this.enqueue('append parties', async (db) => {
      // Checked in the queue, against parties already written, so a repeat is caught even when
      // two calls are in flight.
      const repeat = indexes.find((index) => this.parties.has(index));
      if (repeat !== undefined) throw new RunBatchError('parties', `party ${repeat} is given twice`);
      await db.appendColumns(batch.table, batch.columns, batch.length);
      for (const index of indexes) this.parties.add(index);
    });
  }

  /** The initial fleet; entry `i` becomes `meter_id = firstMeterId + i` (shards pass their first id). */
  async appendMeters(snapshot: MeterSnapshot, firstMeterId = 0): Promise<void> {
    return this.append(meterColumns(this.run, snapshot, firstMeterId));
  }

  async appendAlerts(b: AlertBatch): Promise<void> {
    return this.append(alertColumns(this.run, b));
  }

  async appendCommands(b: CommandRecordBatch): Promise<void> {
    return this.append(commandColumns(this.run, b));
  }

  async appendSupplyEvents(b: SupplyEventBatch): Promise<void> {
    return this.append(supplyEventColumns(this.run, b));
  }

  async appendUtrn(b: UtrnBatch): Promise<void> {
    return this.append(utrnColumns(this.run, b));
  }

  async appendCharges(rows: ChargeRow[]): Promise<void> {
    return this.append(chargeColumns(this.run, rows));
  }

  /**
   * Rows of `table` from Parquet files written by `writeSegment` (the same columns, without
   * run_id): the merge of segments. They were checked when they were first written; only the run
   * id is this database's. Returns the rows added.
   */
  async appendParquet(table: SegmentTable, files: readonly string[]): Promise<number> {
    if (files.length === 0) return 0;
    let added = 0;
    await this.enqueue(`append ${table} from Parquet`, async (db) => {
      const source = `read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = false)`;
      const before = await db.query(`SELECT count(*) FROM ${sqlIdent(table)}`);
      await db.run(
        `INSERT INTO ${sqlIdent(table)} BY NAME SELECT *, ${sqlString(this.run.runId)} AS run_id FROM ${source}`,
      );
      const after = await db.query(`SELECT count(*) FROM ${sqlIdent(table)}`);
      added = Number(after.rows[0]?.[0]) - Number(before.rows[0]?.[0]);
      if (table === 'parties') {
        const parties = await db.query('SELECT party FROM parties');
        for (const row of parties.rows) this.parties.add(Number(row[0]));
      }
    });
    return added;
  }

  /**
   * Bytes DuckDB's buffer manager holds for this database now (`duckdb_memory()`): mostly table
   * blocks it keeps cached after writing them, bounded by `memory_limit` (512 MB by default here).
   * Asked in the append queue, so it sees the file as the appends before it left it.
   */
  async bufferedBytes(): Promise<number> {
    let bytes = 0;
    await this.enqueue('read memory use', async (db) => {
      const result = await db.query('SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()');
      bytes = Number(result.rows[0]?.[0] ?? 0);
    });
    return bytes;
  }

  /** This database as the engine's record sink (what `runScenario` writes to). */
  recordSink(): RunRecordSink {
    return {
      parties: (rows) => this.appendParties(rows),
      meters: (snapshot) => this.appendMeters(snapshot, snapshot.firstMeterId ?? 0),
      alerts: (batch) => this.appendAlerts(batch),
      commands: (batch) => this.appendCommands(batch),
      supplyEvents: (batch) => this.appendSupplyEvents(batch),
      utrn: (batch) => this.appendUtrn(batch),
      charges: (rows) => this.appendCharges(rows),
    };
  }

  /**
   * Records how the run ended, checkpoints, closes and publishes the file under its final name.
   * Failed and interrupted runs are published too, so analysts can see what happened; only
   * `status` tells them apart. Returns the final path.
   */
  async finish(status: RunEnd, end: RunEndDetails = {}): Promise<string> {
    if (!RUN_ENDS.includes(status)) {
      throw new RunDatabaseError(`finish status ${JSON.stringify(status)} is not one of ${RUN_ENDS.join(', ')}`);
    }
    const stepsRun = end.stepsRun ?? (status === 'completed' ? this.steps : null);
    if (stepsRun !== null && !(Number.isInteger(stepsRun) && stepsRun >= 0 && stepsRun <= this.steps)) {
      throw new RunDatabaseError(`steps run must be an integer from 0 to ${this.steps}, got ${stepsRun}`);
    }
    const db = this.beginClosing('finish');
    const finishing = this.finishWith(db, status, end.error ?? null, stepsRun);
    this.finishing = finishing.then(
      () => undefined,
      () => undefined,
    );
    return finishing;
  }

  private async finishWith(db: Db, status: RunEnd, error: string | null, stepsRun: number | null): Promise<string> {
    await this.queue;
    try {
      await db.run(`UPDATE runs SET status = $1, finished_at = CAST($2 AS TIMESTAMP), error = $3, steps_run = $4`, [
        status,
        timestampText(Date.now()),
        error,
        stepsRun,
      ]);
      // Fold the WAL into the file, so the published file is one self-contained database.
      await db.run('CHECKPOINT');
    } catch (cause) {
      throw diskProblemOr(
        new RunDatabaseError(`could not finish the run database; what was written is kept in ${this.partialPath}`, {
          cause,
        }),
        this.partialPath,
        this.partialPath,
      );
    } finally {
      this.close();
    }
    await publish(this.partialPath, this.path);
    openPartials.delete(this.partialPath);
    return this.path;
  }

  /** Closes and deletes the partial file, for a run that failed before anything worth keeping. */
  async abandon(): Promise<void> {
    if (this.state === 'open') {
      this.state = 'closing';
      await this.queue;
    }
    // A finish in flight owns the connection until it is done; then there is nothing left to close.
    await this.finishing;
    this.close();
    await removePartial(this.partialPath);
    openPartials.delete(this.partialPath);
  }

  /**
   * Opens a dead run's `<final>.partial` to go on from a checkpoint after `fromStep` steps: the rows
   * of that step and later (written after the checkpoint, before the run died) and the charges are
   * deleted, in one transaction, so the resumed run writes them once. The file must be this run's,
   * never published (whatever its status says), and held by no live process.
   */
  static async resume(
    finalPath: string,
    expect: { runId: string; steps: number },
    fromStep: number,
    options: RunDatabaseOptions = {},
  ): Promise<RunDatabase> {
    const path = resolve(finalPath);
    const partial = `${path}.partial`;
    if (existsSync(path)) throw new RunDatabaseExistsError(path);
    if (!existsSync(partial)) throw new RunDatabaseError(`${partial} is not there: nothing to resume`);
    if (openPartials.has(partial)) throw new RunDatabaseBusyError(partial, 'this process');
    openPartials.add(partial);
    let db: Db;
    try {
      db = await openPartial(partial, options);
    } catch (error) {
      openPartials.delete(partial);
      throw diskProblemOr(error, partial);
    }
    try {
      const row = (await db.query('SELECT run_id, CAST(start AS VARCHAR), step_minutes, steps FROM runs')).rows;
      const [runId, start, stepMinutes, steps] = (row[0] ?? []) as [string, string, number, number];
      if (row.length !== 1 || runId !== expect.runId || Number(steps) !== expect.steps) {
        throw new RunDatabaseError(
          `${partial} is ${row.length === 1 ? `run ${runId} of ${steps} steps` : 'not one run'}, not the checkpoint's run ${expect.runId} of ${expect.steps} steps`,
        );
      }
      // Any status in a file never published means its finish was cut short (a full disk let the
      // status through but not the rest): the run is as resumable as one killed while 'running'.
      const clock = stepClockOf({
        start: `${String(start).replace(' ', 'T')}Z`,
        stepMinutes: Number(stepMinutes),
      } as RunMeta);
      const cut = clock.startMicros + BigInt(fromStep) * clock.stepMicros;
      const run = new RunDatabase(path, db, { runId, clock }, Number(steps));
      await db.run('BEGIN TRANSACTION');
      for (const table of ['alerts', 'commands', 'supply_events', 'utrn']) {
        await db.run(`DELETE FROM ${sqlIdent(table)} WHERE t >= make_timestamp(${cut}::BIGINT)`);
      }
      await db.run('DELETE FROM charges');
      await db.run(`UPDATE runs SET status = 'running', finished_at = NULL, error = NULL, steps_run = NULL`);
      await db.run('COMMIT');
      for (const r of (await db.query('SELECT party FROM parties')).rows) run.parties.add(Number(r[0]));
      return run;
    } catch (error) {
      db.close();
      openPartials.delete(partial);
      throw diskProblemOr(error, partial);
    }
  }

  private beginClosing(operation: string): Db {
    if (this.state !== 'open' || !this.db) throw new RunDatabaseClosedError(operation);
    this.state = 'closing';
    return this.db;
  }

  private close(): void {
    const db = this.db;
    this.db = null;
    this.state = 'closed';
    db?.close();
  }

  private enqueue(operation: string, work: (db: Db) => Promise<void>): Promise<void> {
    const db = this.db;
    if (this.state !== 'open' || !db) return Promise.reject(new RunDatabaseClosedError(operation));
    const next = this.queue.then(() =>
      work(db).catch((error: unknown) => {
        throw diskProblemOr(error, this.partialPath, this.partialPath);
      }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  private append(batch: TableBatch): Promise<void> {
    return this.enqueue(`append ${batch.table}`, (db) => db.appendColumns(batch.table, batch.columns, batch.length));
  }
}

/** The `.partial` files this process has open (DuckDB's lock does not conflict within a process). */
const openPartials = new Set<string>();

async function removePartial(partial: string): Promise<void> {
  await rm(partial, { force: true });
  await rm(`${partial}.wal`, { force: true });
}

/** Moves the partial file to its final name without ever replacing a file already there. */
async function publish(partial: string, path: string): Promise<void> {
  const taken = () => new RunDatabaseExistsError(path, `the finished run is kept in ${partial}`);
  let linked = false;
  try {
    // link() fails if `path` exists, atomically: a rename would silently overwrite it.
    await link(partial, path);
    linked = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' || existsSync(path)) throw taken();
    // A filesystem without hard links: rename, having just checked (a small race, never a silent clobber here).
    try {
      await rename(partial, path);
    } catch (cause) {
      throw new RunDatabaseError(`could not move ${partial} to ${path}: ${(cause as Error).message}`, { cause });
    }
  }
  if (linked) await unlink(partial);
  await rm(`${partial}.wal`, { force: true });
}

/**
 * File-system steps of `create`, with their failures as run-database errors rather than bare
 * errno errors. A `.partial` left by a dead run (never published) is replaced; one that a live
 * run holds, in another process (DuckDB's lock) or in this one, is refused untouched.
 */
async function prepareFiles(path: string, partial: string): Promise<void> {
  const leftover = existsSync(partial);
  if (leftover) {
    const lock = await probeDatabaseLock(partial);
    if (lock.state === 'held') throw new RunDatabaseBusyError(partial, describeHolder(lock));
  }
  try {
    await mkdir(dirname(path), { recursive: true });
    // Only a dead run's file is removed: with none there, a writer that starts at the same moment
    // keeps its file, and this open meets its DuckDB lock (openPartial) rather than unlinking it.
    if (leftover) await removePartial(partial);
    else await rm(`${partial}.wal`, { force: true });
  } catch (cause) {
    throw new RunDatabaseError(`cannot prepare ${partial}: ${(cause as Error).message}`, { cause });
  }
}

/** Opens the `.partial`; another process's DuckDB lock on it is RunDatabaseBusyError, naming it. */
async function openPartial(partial: string, options: RunDatabaseOptions): Promise<Db> {
  try {
    return await Db.open(partial, options);
  } catch (error) {
    const holder = lockHolderOf(error);
    if (holder) throw new RunDatabaseBusyError(partial, describeHolder(holder));
    throw error;
  }
}
