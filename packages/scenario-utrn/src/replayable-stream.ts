/**
 * A random stream whose position a checkpoint can keep. The core's streams hide their state (in
 * a closure), and a code's consumer draws from one stream over sittings that lie steps apart; so
 * this one logs each call (−1 nextU32, 0 nextFloat, n nextInt(n)), and a fresh stream of the same
 * key replayed through the log stands where the logged one stood: the same calls, the same draws.
 * A code's log is a few dozen numbers at most (a handful of draws per sitting).
 */
import type { RandomStream } from '@gbfleet/core';

const U32 = -1;
const FLOAT = 0;

export class ReplayableStream implements RandomStream {
  readonly #inner: RandomStream;
  readonly #log: number[] = [];

  /** `inner` is fresh; `log`, the calls to replay first (a checkpoint's). */
  constructor(inner: RandomStream, log: readonly number[] = []) {
    this.#inner = inner;
    for (const call of log) {
      if (call === U32) this.nextU32();
      else if (call === FLOAT) this.nextFloat();
      else this.nextInt(call);
    }
  }

  nextU32(): number {
    this.#log.push(U32);
    return this.#inner.nextU32();
  }

  nextFloat(): number {
    this.#log.push(FLOAT);
    return this.#inner.nextFloat();
  }

  nextInt(maxExclusive: number): number {
    const x = this.#inner.nextInt(maxExclusive); // throws for a bound < 1, so n > 0 in the log
    this.#log.push(maxExclusive);
    return x;
  }

  /** The calls so far (a copy), for a checkpoint. */
  get log(): number[] {
    return [...this.#log];
  }
}
