/**
 * Counter-based randomness for hot loops: a draw is a pure hash of (seed key, stream, meter,
 * step), so a meter's draws never depend on which shard or worker handles it, or on the order
 * meters are visited — and no per-meter generator state has to be stored.
 */
import { deriveBytes } from '@gbfleet/gbcs';

/** A 32-bit key for `meterRandom`, from the run's seed. */
export function seedKey(seed: string): number {
  const bytes = deriveBytes(seed, 'meter-random', 0);
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
}

/** Streams of per-meter draws; append, never renumber (outcomes depend on them). */
export const MeterStream = {
  FleetBuild: 1,
  TopUpDecision: 2,
  TopUpAmount: 3,
  WanDelay: 4,
  WanLoss: 5,
  Consumption: 6,
} as const;

/** lowbias32 (Chris Wellons): a well-mixed 32-bit permutation. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Uniform integer in [0, 2^32) for (key, stream, meter, step). */
export function meterRandomU32(key: number, stream: number, meter: number, step: number): number {
  let h = mix32(key ^ Math.imul(stream, 0x9e3779b1));
  h = mix32(h ^ meter);
  return mix32(h ^ Math.imul(step, 0x85ebca6b));
}

/** Uniform float in [0, 1) for (key, stream, meter, step). */
export function meterRandom(key: number, stream: number, meter: number, step: number): number {
  return meterRandomU32(key, stream, meter, step) / 4294967296;
}
