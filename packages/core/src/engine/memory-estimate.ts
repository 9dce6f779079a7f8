/**
 * How much memory a run will need, from its scenario alone, before anything is built: so that a
 * run too big for the machine is refused with the figures, not killed by the kernel half-way.
 * Each part follows what the run holds (bytes a meter of the meters it simulates, plus fixed
 * costs), counting every fleet column as touched, which a long run may do: so the estimate errs
 * high, most on short runs (docs/scenario-national.md, "Memory").
 */
import { FLEET_BYTES_PER_METER } from '../fleet/fleet-state.js';
import type { ScenarioSpec } from '../scenario/scenario-spec.js';
import { type SegmentSpec, segmentRange } from './segment-range.js';

/** Key material: an index entry for every meter, and a 36-byte slot for each one commanded. */
const KEY_INDEX_BYTES = 4;
const KEY_SLOT_BYTES = 36;
/** Commands reach prepayment meters most; this much of the rest is allowed for too. */
const COMMANDED_BEYOND_PREPAYMENT = 0.05;
/**
 * The as-built `meters` rows, a meter: the workers make them all as they build (28 bytes a row in
 * shared memory), and each part is let go once DuckDB has it, a million rows at a time.
 */
const METERS_INGEST_BYTES = 28;
/** DuckDB's memory_limit while it writes the run database (db.ts), and its own overhead. */
const DATABASE_BYTES = 640 * 2 ** 20;
/** The main process (Node, the engine, the party keys) and each worker thread. */
const PROCESS_BYTES = 200 * 2 ** 20;
const WORKER_BYTES = 80 * 2 ** 20;
/** What the estimate adds for what it does not model (records in flight, the heap's slack). */
const MARGIN = 1.15;

export interface MemoryPart {
  what: string;
  bytes: number;
}

export interface MemoryEstimate {
  /** Peak resident memory expected, bytes (the parts' sum with the margin). */
  bytes: number;
  /** Meters this process simulates (a segment's, or the whole fleet). */
  meters: number;
  parts: MemoryPart[];
}

export function estimateRunMemory(
  spec: ScenarioSpec,
  options: { workers: number; segment?: SegmentSpec | undefined },
): MemoryEstimate {
  const owned = segmentRange(spec.fleet.meters, spec.fleet.shardMeters, options.segment);
  const meters = owned.hi - owned.lo;
  const prepayment = spec.fleet.suppliers.reduce(
    (sum, s) => sum + s.share * (s.prepaymentShare ?? spec.fleet.paymentMode.prepayment),
    0,
  );
  const commanded = Math.min(1, prepayment + COMMANDED_BEYOND_PREPAYMENT);
  const parts: MemoryPart[] = [
    { what: 'fleet state', bytes: meters * FLEET_BYTES_PER_METER },
    { what: 'key material', bytes: meters * (KEY_INDEX_BYTES + commanded * KEY_SLOT_BYTES) },
    { what: 'meters table ingest', bytes: meters * METERS_INGEST_BYTES },
    { what: 'run database', bytes: DATABASE_BYTES },
    {
      what: `the process and ${options.workers} worker${options.workers === 1 ? '' : 's'}`,
      bytes: PROCESS_BYTES + options.workers * WORKER_BYTES,
    },
  ];
  const sum = parts.reduce((a, p) => a + p.bytes, 0);
  return { bytes: Math.ceil(sum * MARGIN), meters, parts };
}
