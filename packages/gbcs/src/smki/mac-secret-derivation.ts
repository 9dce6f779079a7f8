/**
 * Z for just the devices that need one. Z(i) = x(A + i·T) is the KA progression of
 * device-key-material.ts, with the same bytes, but it is not derived block by block over the
 * whole fleet. Device i = l·2^20 + k·2^10 + j is reached from three tables of 1,024 multiples of T
 * (j·T, k·2^10·T, l·2^20·T):
 *
 *   start(l)    = A + l·2^20·T            cached: a handful per fleet
 *   start(l, k) = start(l) + k·2^10·T     cached: one per 1,024 devices touched
 *   Z(i)        = x(start(l, k) + j·T)    one affine addition per device
 *
 * Each level is one batch of additions that shares a single inversion. So a device costs about
 * what it costs inside a full block, and a device never asked for costs nothing. Commands reach
 * a few per cent of a national fleet on a day. Not constant-time: simulation only
 * (docs/key-derivation.md).
 */

import { kaProgression } from './device-key-material.js';
import { type AffinePoint, addPairs, multiplesTable } from './p256-curve.js';

const LEVEL_BITS = 10;
const LEVEL = 1 << LEVEL_BITS;
const MASK = LEVEL - 1;
/** Three levels of 10 bits: device indexes below 2^30. */
export const MAX_MAC_SECRET_DEVICES = 2 ** (3 * LEVEL_BITS);
/** Block starts kept per worker before the cache starts again: about 6 MB. */
const MAX_CACHED_STARTS = 65_536;

export class MacSecretDerivation {
  readonly #base: AffinePoint;
  /** levels[n][m − 1] = m·2^(10n)·T, for m in 1..1,024. */
  readonly #levels: readonly [AffinePoint[], AffinePoint[], AffinePoint[]];
  readonly #levelStarts = new Map<number, AffinePoint>();
  readonly #blockStarts = new Map<number, AffinePoint>();

  /** `partyKaPublic`: the other end of Z, the ACB's KA key (or a supplier's prepayment key). */
  constructor(seed: string, partyKaPublic: AffinePoint) {
    const progression = kaProgression(seed, partyKaPublic);
    const first = progression.table;
    const second = multiplesTable(first[LEVEL - 1] as AffinePoint, LEVEL);
    const third = multiplesTable(second[LEVEL - 1] as AffinePoint, LEVEL);
    this.#base = progression.base;
    this.#levels = [first, second, third];
  }

  /** A = start(0), and the three tables: what a native derivation is built from. */
  get tables(): { base: AffinePoint; levels: readonly [AffinePoint[], AffinePoint[], AffinePoint[]] } {
    return { base: this.#base, levels: this.#levels };
  }

  /** Z (32 bytes, big-endian) of devices[n] written to out[outAt[n]..+32). */
  deriveInto(devices: Uint32Array, out: Uint8Array, outAt: Uint32Array): void {
    const xs = this.derive(devices);
    const buffer = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    for (let n = 0; n < xs.length; n++) {
      buffer.write((xs[n] as bigint).toString(16).padStart(64, '0'), outAt[n] as number, 32, 'hex');
    }
  }

  /** The x-coordinate of Z for each device, in the order given (repeats allowed). */
  derive(devices: ArrayLike<number>): bigint[] {
    for (let n = 0; n < devices.length; n++) {
      const device = devices[n] as number;
      if (!(Number.isInteger(device) && device >= 0 && device < MAX_MAC_SECRET_DEVICES)) {
        throw new RangeError(`device ${device} is outside [0, ${MAX_MAC_SECRET_DEVICES})`);
      }
    }
    this.#ensureBlockStarts(devices);
    const ps: AffinePoint[] = [];
    const qs: AffinePoint[] = [];
    const at: number[] = [];
    const out = new Array<bigint>(devices.length);
    for (let n = 0; n < devices.length; n++) {
      const device = devices[n] as number;
      const start = this.#blockStarts.get(device >>> LEVEL_BITS) as AffinePoint;
      const j = device & MASK;
      if (j === 0) out[n] = start.x;
      else {
        ps.push(start);
        qs.push(this.#levels[0][j - 1] as AffinePoint);
        at.push(n);
      }
    }
    const sums = addPairs(ps, qs);
    for (let m = 0; m < at.length; m++) out[at[m] as number] = (sums[m] as AffinePoint).x;
    return out;
  }

  /** start(l, k) for every block of `devices` not cached yet, in two batches (one per level). */
  #ensureBlockStarts(devices: ArrayLike<number>): void {
    if (this.#blockStarts.size > MAX_CACHED_STARTS) this.#blockStarts.clear();
    const blocks = new Set<number>();
    for (let n = 0; n < devices.length; n++) {
      const block = (devices[n] as number) >>> LEVEL_BITS;
      if (!this.#blockStarts.has(block)) blocks.add(block);
    }
    if (blocks.size === 0) return;
    const tops = [...new Set([...blocks].map((b) => b >>> LEVEL_BITS))].filter((l) => !this.#levelStarts.has(l));
    const tails = tops.filter((l) => l > 0);
    const third = this.#levels[2];
    const topSums = addPairs(
      tails.map(() => this.#base),
      tails.map((l) => third[l - 1] as AffinePoint),
    );
    if (tops.includes(0)) this.#levelStarts.set(0, this.#base);
    tails.forEach((l, m) => {
      this.#levelStarts.set(l, topSums[m] as AffinePoint);
    });
    const needed = [...blocks];
    const withK = needed.filter((b) => (b & MASK) !== 0);
    const second = this.#levels[1];
    const sums = addPairs(
      withK.map((b) => this.#levelStarts.get(b >>> LEVEL_BITS) as AffinePoint),
      withK.map((b) => second[(b & MASK) - 1] as AffinePoint),
    );
    for (const b of needed)
      if ((b & MASK) === 0) this.#blockStarts.set(b, this.#levelStarts.get(b >>> LEVEL_BITS) as AffinePoint);
    withK.forEach((b, m) => {
      this.#blockStarts.set(b, sums[m] as AffinePoint);
    });
  }
}
