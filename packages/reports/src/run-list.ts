/**
 * The runs in a folder (`gbfleet runs`): every run database (`*.duckdb`, in the folder and one
 * level of sub-folders), each opened READ_ONLY for its `runs` row and a few key outcomes, plus the
 * `.partial` files of runs still being written (`running`, with the writer's PID) or that died
 * (`dead`): DuckDB's lock on the file tells them apart. A file that cannot be read is listed as
 * `unreadable` with the reason, never skipped and never changed.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkpointPathOf, readCheckpointIdentity } from './checkpoint-file.js';
import { describeHolder, probeDatabaseLock } from './database-lock.js';
import { Db, type QueryResult } from './db.js';
import { ReportInputError } from './errors.js';

export interface RunListing {
  file: string;
  /**
   * The run's status; for a `.partial`, `running` (a live process holds it) or `dead` (none does:
   * it was killed or crashed before it finished); `unreadable` for a file that is not a run.
   */
  status: string;
  runId: string | null;
  scenario: string | null;
  seed: string | null;
  start: Date | null;
  days: number | null;
  /** Simulated days whose rows are in the file: `days` for a completed run, fewer when it stopped early. */
  daysRun: number | null;
  meters: number | null;
  workers: number | null;
  finishedAt: Date | null;
  commands: number | null;
  commandsNotAccepted: number | null;
  alerts: number | null;
  alertsToNonRegistered: number | null;
  offSupplyAtEnd: number | null;
  socialisedPence: number | null;
  /** Why a run failed or was interrupted, or why the file is unreadable. */
  error: string | null;
  /**
   * A dead `.partial`: whether `gbfleet run --resume` can go on with it ('yes', or 'no: why');
   * null for anything else. When yes, `daysRun` is how far its checkpoint got.
   */
  resumable: string | null;
}

/** What a listing is checked against: the gbfleet asking (a checkpoint resumes in its own version only). */
export interface ListOptions {
  codeVersion?: string;
}

const OUTCOMES_SQL = `
SELECT r.run_id, r.scenario_name, r.seed, CAST(r.status AS VARCHAR), r.start, r.step_minutes, r.steps,
  r.steps_run, r.meters, r.workers, r.finished_at, r.error,
  (SELECT count(*) FROM commands),
  (SELECT count(*) FROM commands WHERE outcome <> 'accepted'),
  (SELECT count(*) FROM alerts),
  (SELECT count(*) FROM alerts WHERE recipient <> registered_supplier),
  (SELECT count(*) FROM (SELECT meter_id, arg_max(event, (t, seq)) AS last FROM supply_events GROUP BY meter_id)
    WHERE last IN ('disabled', 'armed')),
  (SELECT coalesce(sum(socialised_pence), 0) FROM charges)
FROM runs r`;

const EMPTY: Omit<RunListing, 'file' | 'status'> = {
  runId: null,
  scenario: null,
  seed: null,
  start: null,
  days: null,
  daysRun: null,
  meters: null,
  workers: null,
  finishedAt: null,
  commands: null,
  commandsNotAccepted: null,
  alerts: null,
  alertsToNonRegistered: null,
  offSupplyAtEnd: null,
  socialisedPence: null,
  error: null,
  resumable: null,
};

function runFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < 1 && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
        walk(path, depth + 1);
      } else if (entry.isFile() && /\.duckdb(\.partial)?$/i.test(entry.name)) {
        found.push(path);
      }
    }
  };
  walk(root, 0);
  return found.sort();
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

async function readOne(file: string, shown: string, options: ListOptions): Promise<RunListing> {
  if (file.endsWith('.partial')) return readPartial(file, shown, options);
  return readRun(file, shown);
}

/**
 * A `.partial`: held by a live run (`running`, named by PID; not opened, so the run is not
 * disturbed), or left by one that died (`dead`), with what its file still tells of the run.
 */
async function readPartial(file: string, shown: string, options: ListOptions): Promise<RunListing> {
  const lock = await probeDatabaseLock(file);
  if (lock.state === 'held') {
    return { ...EMPTY, file: shown, status: 'running', error: `being written by ${describeHolder(lock)}` };
  }
  const died = 'no process holds it: the run was killed or crashed before it finished';
  const checkpoint = resumePointOf(file, options);
  const left = lock.state === 'free' ? await readRun(file, shown) : undefined;
  if (left === undefined || left.status === 'unreadable') {
    return { ...EMPTY, file: shown, status: 'dead', error: died, resumable: checkpoint.resumable };
  }
  return {
    ...left,
    status: 'dead',
    finishedAt: null,
    error: died,
    resumable: checkpoint.resumable,
    daysRun: checkpoint.daysRun ?? left.daysRun,
  };
}

/** Whether a dead `.partial` has a checkpoint this gbfleet can resume, and how far it got. */
function resumePointOf(file: string, options: ListOptions): { resumable: string; daysRun: number | null } {
  const identity = readCheckpointIdentity(checkpointPathOf(file));
  if (!identity) return { resumable: 'no: no checkpoint', daysRun: null };
  const daysRun = (identity.step * identity.spec.stepMinutes) / 1440;
  if (options.codeVersion !== undefined && identity.codeVersion !== options.codeVersion) {
    return { resumable: `no: its checkpoint is from gbfleet ${identity.codeVersion}`, daysRun };
  }
  return { resumable: `yes, from step ${identity.step} of ${identity.steps}`, daysRun };
}

function unreadable(shown: string, why: string): RunListing {
  return { ...EMPTY, file: shown, status: 'unreadable', error: `not a readable gbfleet run database: ${why}` };
}

async function readRun(file: string, shown: string): Promise<RunListing> {
  let db: Db | undefined;
  try {
    db = await Db.open(file, { readOnly: true, threads: 1, memoryLimit: '256MB' });
    const result: QueryResult = await db.query(OUTCOMES_SQL);
    if (result.rows.length !== 1) return unreadable(shown, `runs has ${result.rows.length} rows, expected one`);
    const [
      runId,
      scenario,
      seed,
      status,
      start,
      stepMinutes,
      steps,
      stepsRun,
      meters,
      workers,
      finishedAt,
      error,
      ...rest
    ] = result.rows[0] as unknown[];
    const [commands, notAccepted, alerts, toNonRegistered, offSupply, socialised] = rest.map(num);
    return {
      file: shown,
      status: String(status),
      runId: String(runId),
      scenario: String(scenario),
      seed: String(seed),
      start: start as Date,
      days: (Number(stepMinutes) * Number(steps)) / 1440,
      daysRun: stepsRun === null ? null : (Number(stepMinutes) * Number(stepsRun)) / 1440,
      meters: num(meters),
      workers: num(workers),
      finishedAt: (finishedAt as Date | null) ?? null,
      commands: commands ?? null,
      commandsNotAccepted: notAccepted ?? null,
      alerts: alerts ?? null,
      alertsToNonRegistered: toNonRegistered ?? null,
      offSupplyAtEnd: offSupply ?? null,
      socialisedPence: socialised ?? null,
      error: error === null ? null : String(error),
      resumable: null,
    };
  } catch (error) {
    return unreadable(shown, (error as Error).message.split('\n')[0] ?? String(error));
  } finally {
    db?.close();
  }
}

/** Lists the runs under `dir` (read-only), sorted by file path; paths are shown relative to `dir`. */
export async function listRuns(dir: string, options: ListOptions = {}): Promise<RunListing[]> {
  const root = resolve(dir);
  if (!existsSync(root))
    throw new ReportInputError(root, 'no such folder: expected a folder of run databases (default runs/)');
  if (!statSync(root).isDirectory()) {
    throw new ReportInputError(
      root,
      'is a file, expected a folder of run databases (gbfleet report reads one run file)',
    );
  }
  const listings: RunListing[] = [];
  for (const file of runFiles(root)) listings.push(await readOne(file, relative(root, file), options));
  return listings;
}

/** The listing as a query result, so the table, CSV and JSON Lines renderers print it. */
export function runListingResult(listings: readonly RunListing[]): QueryResult {
  const columns = [
    'file',
    'status',
    'scenario',
    'seed',
    'start',
    'days',
    'days_run',
    'meters',
    'commands',
    'not_accepted',
    'alerts',
    'alerts_to_non_registered',
    'off_supply_at_end',
    'socialised_gbp',
    'error',
    'resumable',
  ];
  const types = [
    'VARCHAR',
    'VARCHAR',
    'VARCHAR',
    'VARCHAR',
    'TIMESTAMP',
    'DOUBLE',
    'DOUBLE',
    'BIGINT',
    'BIGINT',
    'BIGINT',
    'BIGINT',
    'BIGINT',
    'BIGINT',
    'DOUBLE',
    'VARCHAR',
    'VARCHAR',
  ];
  const rows = listings.map((l) => [
    l.file,
    l.status,
    l.scenario,
    l.seed,
    l.start,
    l.days,
    l.daysRun,
    l.meters,
    l.commands,
    l.commandsNotAccepted,
    l.alerts,
    l.alertsToNonRegistered,
    l.offSupplyAtEnd,
    l.socialisedPence === null ? null : l.socialisedPence / 100,
    l.error,
    l.resumable,
  ]);
  return { columns, types, rows };
}
