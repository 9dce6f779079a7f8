/**
 * The soak's verdict: a least-squares line through a memory series sampled once per simulated
 * day, fitted from a given day on (the first week is warm-up: pools, caches and DuckDB's buffers
 * fill). Its slope, bytes per simulated day, is what "memory does not grow" is measured by.
 */

/** One sample at the end of a simulated day (day 1 is the end of the first day). */
export interface DaySample {
  day: number;
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
  /** The worker threads' heaps in use after the engine's daily collection (all workers added up). */
  workerHeapUsedBytes: number;
  /** What DuckDB's buffer manager holds (cached table blocks, bounded by its memory_limit). */
  duckdbBufferBytes: number;
}

/**
 * Slope (units of `value` per day) of the least-squares line through the points with
 * `day >= fromDay`. Needs at least two distinct days there, else a RangeError: a soak too short
 * to have a slope after its warm-up must not pass as flat.
 */
export function slopeFrom<T extends { day: number }>(
  samples: readonly T[],
  fromDay: number,
  value: (s: T) => number,
): number {
  const points = samples.filter((s) => s.day >= fromDay);
  const n = points.length;
  if (n < 2) throw new RangeError(`slope from day ${fromDay}: ${n} sample(s), need at least 2`);
  const meanX = points.reduce((a, s) => a + s.day, 0) / n;
  const meanY = points.reduce((a, s) => a + value(s), 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of points) {
    const dx = s.day - meanX;
    sxy += dx * (value(s) - meanY);
    sxx += dx * dx;
  }
  if (sxx === 0) throw new RangeError(`slope from day ${fromDay}: every sample is on day ${meanX}`);
  return sxy / sxx;
}

/** The sample of `day`, or of the last day before it (a run shorter than `day` gives its last). */
export function sampleOn<T extends { day: number }>(samples: readonly T[], day: number): T | undefined {
  let found: T | undefined;
  for (const s of samples) if (s.day <= day && (!found || s.day > found.day)) found = s;
  return found;
}
