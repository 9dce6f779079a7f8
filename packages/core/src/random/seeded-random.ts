/**
 * The one source of randomness: streams keyed by (seed, stream name, entity), so every actor,
 * meter or party draws from its own sequence and results do not depend on evaluation order or
 * worker count. SHA-256 seeds an sfc32 generator (fast, 128-bit state). No Math.random, no clock.
 */
import { deriveBytes } from '@gbfleet/gbcs';

export interface RandomStream {
  /** Uniform integer in [0, 2^32). */
  nextU32(): number;
  /** Uniform float in [0, 1). */
  nextFloat(): number;
  /** Uniform integer in [0, maxExclusive), maxExclusive ≤ 2^32. */
  nextInt(maxExclusive: number): number;
}

export function randomStream(seed: string, stream: string, entity: number | bigint): RandomStream {
  const key = deriveBytes(seed, `stream:${stream}`, entity);
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  let a = view.getUint32(0);
  let b = view.getUint32(4);
  let c = view.getUint32(8);
  let d = view.getUint32(12) | 1;
  const nextU32 = (): number => {
    // sfc32 (Chris Doty-Humphrey's Small Fast Counting generator).
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Mix the initial state before use.
  for (let i = 0; i < 12; i++) nextU32();
  return {
    nextU32,
    nextFloat: () => nextU32() / 4294967296,
    nextInt(maxExclusive: number): number {
      if (!(Number.isInteger(maxExclusive) && maxExclusive > 0 && maxExclusive <= 4294967296)) {
        throw new RangeError(`nextInt needs an integer bound in [1, 2^32], got ${maxExclusive}`);
      }
      // Rejection sampling keeps it unbiased.
      const limit = 4294967296 - (4294967296 % maxExclusive);
      let x = nextU32();
      while (x >= limit) x = nextU32();
      return x % maxExclusive;
    },
  };
}
