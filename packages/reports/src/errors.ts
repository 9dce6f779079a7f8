/**
 * Errors thrown by @gbfleet/reports, each with a stable `code` (listed in the package README).
 * They extend core's `GbfleetError`, so callers match on `code` the same way everywhere.
 * DuckDB's own message is kept in the text (and as `cause`): it is usually the useful part.
 */
import { GbfleetError } from '@gbfleet/gbcs';

/** The run database could not be created, written, finished or read (a DuckDB or file failure). */
export class RunDatabaseError extends GbfleetError {
  constructor(message: string, options?: { cause?: unknown }, code = 'GBF_RUN_DB') {
    super(code, message, options);
    this.name = 'RunDatabaseError';
  }
}

/** The final path of a new run database is already taken: runs never overwrite each other. */
export class RunDatabaseExistsError extends RunDatabaseError {
  readonly path: string;
  constructor(path: string, detail?: string) {
    super(
      `run database ${path} already exists: choose another output path or move the old run away${detail ? `; ${detail}` : ''}`,
      undefined,
      'GBF_RUN_DB_EXISTS',
    );
    this.name = 'RunDatabaseExistsError';
    this.path = path;
  }
}

/** Another live process is writing the `.partial` a new run would use: it is left alone. */
export class RunDatabaseBusyError extends RunDatabaseError {
  readonly path: string;
  constructor(path: string, holder: string) {
    super(
      `${path} is being written by ${holder}: a run never removes another live run's file; wait for it, or choose another output path`,
      undefined,
      'GBF_RUN_DB_BUSY',
    );
    this.name = 'RunDatabaseBusyError';
    this.path = path;
  }
}

/** The run database was used after `finish()` or `abandon()`. */
export class RunDatabaseClosedError extends RunDatabaseError {
  constructor(operation: string) {
    super(`cannot ${operation}: the run database is already finished or abandoned`, undefined, 'GBF_RUN_DB_CLOSED');
    this.name = 'RunDatabaseClosedError';
  }
}

/** A batch or record handed to the run database is malformed; nothing of it was written. */
export class RunBatchError extends RunDatabaseError {
  readonly table: string;
  constructor(table: string, message: string) {
    super(`bad ${table} batch, nothing of it was written: ${message}`, undefined, 'GBF_RUN_BATCH');
    this.name = 'RunBatchError';
    this.table = table;
  }
}

/** The `RunMeta` given to `RunDatabase.create` is malformed; no file was created. */
export class RunMetaError extends RunDatabaseError {
  constructor(message: string) {
    super(`bad run metadata, no database was created: ${message}`, undefined, 'GBF_RUN_META');
    this.name = 'RunMetaError';
  }
}

/** There is no run database at the path given to a query. */
export class RunDatabaseMissingError extends RunDatabaseError {
  readonly path: string;
  constructor(path: string, hint = '') {
    super(`no run database at ${path}${hint}`, undefined, 'GBF_RUN_DB_MISSING');
    this.name = 'RunDatabaseMissingError';
    this.path = path;
  }
}

/**
 * There is no run database at a path, only its `.partial`: the run is still writing it (`pid` of
 * the process that holds it, when DuckDB named it), or it died before it finished (`pid` null,
 * `live` false). Told apart by DuckDB's lock on the file (database-lock.ts).
 */
export class RunDatabasePartialError extends RunDatabaseError {
  readonly path: string;
  readonly live: boolean;
  readonly pid: number | null;
  constructor(path: string, message: string, holder: { live: boolean; pid: number | null }) {
    super(message, undefined, 'GBF_RUN_DB_PARTIAL');
    this.name = 'RunDatabasePartialError';
    this.path = path;
    this.live = holder.live;
    this.pid = holder.pid;
  }
}

/** SQL run against a run database failed; the message carries DuckDB's. */
export class QueryError extends RunDatabaseError {
  readonly sql: string;
  constructor(sql: string, duckdbMessage: string, options?: { cause?: unknown }, code = 'GBF_QUERY', verb = 'failed') {
    super(`query ${verb}: ${duckdbMessage}`, options, code);
    this.name = 'QueryError';
    this.sql = sql;
  }
}

/**
 * SQL given to `queryRunDatabase` tried to reach past the run: write a file, read one that is not
 * the run's, install or load an extension, attach a database or change a setting. Nothing ran
 * that could have done it.
 */
export class QueryRefusedError extends QueryError {
  constructor(sql: string, reason: string, options?: { cause?: unknown }) {
    super(sql, reason, options, 'GBF_QUERY_REFUSED', 'refused');
    this.name = 'QueryRefusedError';
  }
}

/**
 * A report definition (a SQL file under the report folder) is malformed, or its SQL failed against
 * the runs: the message names the file (and line) and says what is allowed. Nothing was written.
 */
export class ReportDefinitionError extends GbfleetError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('GBF_REPORT_DEFINITION', `${file}: ${message}`, options);
    this.name = 'ReportDefinitionError';
    this.file = file;
  }
}

/**
 * A report's chart cannot be drawn (not a Vega-Lite mark, or Vega-Lite cannot compile it). The
 * report builder names the SQL file it came from (GBF_REPORT_DEFINITION, this as the cause).
 */
export class ChartError extends GbfleetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GBF_REPORT_CHART', message, options);
    this.name = 'ChartError';
  }
}

/** A file given to a report or to the run list is not a readable gbfleet run database. */
export class ReportInputError extends GbfleetError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('GBF_REPORT_INPUT', `${path}: ${message}`, options);
    this.name = 'ReportInputError';
    this.path = path;
  }
}

/**
 * A set of segments cannot be written or merged: missing, duplicate, mismatched, failed or
 * unreadable segments, or an output folder that holds another run's. Nothing was merged.
 */
export class SegmentSetError extends GbfleetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GBF_SEGMENTS', message, options);
    this.name = 'SegmentSetError';
  }
}

/**
 * The disk (or quota) under an output path filled while it was written. Nothing under a final
 * name was left half-written; `kept` says what partial file, if any, is left to look at or delete.
 */
export class DiskFullError extends GbfleetError {
  readonly path: string;
  constructor(path: string, kept?: string, options?: { cause?: unknown }) {
    super(
      'GBF_DISK_FULL',
      `the disk is full: ${path}; nothing was published under a final name${kept ? ` (what was written is kept in ${kept}: delete it to free the space)` : ''}; free some space or choose another output path, then run again`,
      options,
    );
    this.name = 'DiskFullError';
    this.path = path;
  }
}

/** An output path is on a read-only file system: nothing was written there. */
export class ReadOnlyPlaceError extends GbfleetError {
  readonly path: string;
  constructor(path: string, options?: { cause?: unknown }) {
    super(
      'GBF_READ_ONLY',
      `${path} is on a read-only file system: nothing was written; choose a writable output path`,
      options,
    );
    this.name = 'ReadOnlyPlaceError';
    this.path = path;
  }
}

/**
 * A checkpoint file that cannot be used to resume a run: missing, damaged, of another run or of
 * another gbfleet version. Nothing was changed.
 */
export class CheckpointError extends GbfleetError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('GBF_CHECKPOINT', `${path}: ${message}`, options);
    this.name = 'CheckpointError';
    this.path = path;
  }
}
