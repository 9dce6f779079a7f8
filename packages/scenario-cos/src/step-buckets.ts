/**
 * Meters grouped by the step at which something happens to them (a supply start, an SR 6.23, a
 * stray command), held as one compressed list (offsets per step + meters) so a million planned
 * events cost a few megabytes and a step finds its meters without a scan. Within a step, meters
 * are in ascending order: the order commands are sent in never depends on how the plan was built.
 * Only a run's own meters are bucketed: a segment never acts on another segment's meters.
 */
export class StepBuckets {
  readonly #offsets: Uint32Array;
  readonly #meters: Uint32Array;

  private constructor(offsets: Uint32Array, meters: Uint32Array) {
    this.#offsets = offsets;
    this.#meters = meters;
  }

  /** Buckets every meter m of `owned` with 0 ≤ stepOf[m] < steps; other values (−1: never) are left out. */
  static fromSteps(
    stepOf: Int32Array,
    steps: number,
    owned: { lo: number; hi: number } = { lo: 0, hi: stepOf.length },
  ): StepBuckets {
    const offsets = new Uint32Array(steps + 1);
    for (let m = owned.lo; m < owned.hi; m++) {
      const s = stepOf[m] as number;
      if (s >= 0 && s < steps) offsets[s + 1] = (offsets[s + 1] as number) + 1;
    }
    for (let s = 0; s < steps; s++) offsets[s + 1] = (offsets[s + 1] as number) + (offsets[s] as number);
    const meters = new Uint32Array(offsets[steps] as number);
    const fill = offsets.slice(0, steps);
    for (let m = owned.lo; m < owned.hi; m++) {
      const s = stepOf[m] as number;
      if (s >= 0 && s < steps) {
        meters[fill[s] as number] = m;
        fill[s] = (fill[s] as number) + 1;
      }
    }
    return new StepBuckets(offsets, meters);
  }

  /** The meters of `step` (a view; empty outside the run). */
  at(step: number): Uint32Array {
    if (!(step >= 0 && step + 1 < this.#offsets.length)) return this.#meters.subarray(0, 0);
    return this.#meters.subarray(this.#offsets[step] as number, this.#offsets[step + 1] as number);
  }

  /** How many meters are bucketed in all. */
  get size(): number {
    return this.#meters.length;
  }
}
