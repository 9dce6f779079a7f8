/**
 * @gbfleet/reports public entry: the run database (write a run, query it, digest it) and the
 * renderers for query results. The only package that imports DuckDB; DuckDB's types stay inside.
 */
export {
  type CheckpointIdentity,
  checkpointPathOf,
  readCheckpointFile,
  readCheckpointIdentity,
  writeCheckpointFile,
} from './checkpoint-file.js';
export { type DatabaseLock, describeHolder, probeDatabaseLock } from './database-lock.js';
export type { QueryResult } from './db.js';
export { diskProblemOr, isDiskFull } from './disk-problem.js';
export {
  CheckpointError,
  DiskFullError,
  QueryError,
  QueryRefusedError,
  ReadOnlyPlaceError,
  ReportDefinitionError,
  ReportInputError,
  RunBatchError,
  RunDatabaseBusyError,
  RunDatabaseClosedError,
  RunDatabaseError,
  RunDatabaseExistsError,
  RunDatabaseMissingError,
  RunDatabasePartialError,
  RunMetaError,
  SegmentSetError,
} from './errors.js';
export {
  type ExportedRun,
  exportRunsToParquet,
  PARQUET_TABLES,
  type ParquetExportOptions,
  type ParquetTable,
} from './parquet-export.js';
export { queryRunDatabase, queryRunDatabaseStatements } from './query-run-database.js';
export { cellText, formatCsv, formatJsonLines, formatTable, jsonValue } from './render/index.js';
export * from './report/index.js';
export { RunDatabase, type RunDatabaseOptions, type RunEnd, type RunEndDetails } from './run-database.js';
export { runDigest } from './run-digest.js';
export { listRuns, type RunListing, runListingResult } from './run-list.js';
export { ENUM_TYPES, OUTCOME_TABLES, RUN_STATUSES } from './schema.js';
export { checkSegmentOut, isSegmentFolder, runIdsIn, writeSegment } from './segment-files.js';
export { lockSegments } from './segment-lock.js';
export {
  readSegmentManifest,
  SEGMENT_FORMAT,
  SEGMENT_TABLES,
  type SegmentManifest,
  type SegmentTable,
  writeSegmentManifest,
} from './segment-manifest.js';
export { type MergedRun, type MergeOptions, mergeSegments, readSegmentSet } from './segment-merge.js';
