/**
 * Fuzz harness: a seeded PRNG per input, byte and text mutators, and the loop that feeds a target
 * and checks the invariants every decoder owes hostile input (issue 18): only coded gbfleet errors
 * (or typed rejection values) come out, never a TypeError or RangeError; no input takes over
 * 100 ms; a target's own checks (no forged signature or MAC, round-trips) hold.
 * Input i of a target is a pure function of (seed, target name, i), so seed + index reproduce it.
 */
import { gbfleetCodeOf } from '@gbfleet/gbcs';

/** One input's random stream: mulberry32 over a 32-bit state. */
export class Rng {
  #s: number;
  constructor(state: number) {
    this.#s = state >>> 0;
  }
  u32(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : this.u32() % n;
  }
  chance(p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}

/** FNV-1a of a string, then mixed with the seed and index: the state of input `index`. */
export function inputRng(seed: number, target: string, index: number): Rng {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < target.length; i++) h = Math.imul(h ^ target.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ index, 0x9e3779b1) ^ Math.imul(index >>> 16, 0x85ebca6b);
  return new Rng(h >>> 0);
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xdd, 0xdf, 0xfe, 0xff];

/** BER spellings that are zero, huge, indefinite or non-minimal. */
const HOSTILE_LENGTHS: readonly number[][] = [
  [0x00],
  [0x80],
  [0x81, 0x00],
  [0x81, 0xff],
  [0x82, 0xff, 0xff],
  [0x82, 0x00, 0x00],
  [0x83, 0xff, 0xff, 0xff],
  [0x84, 0xff, 0xff, 0xff, 0xff],
  [0x89, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
];

function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * One to four stacked mutations of `base`: bit flips, interesting bytes, truncation, random
 * tails, slice deletion and duplication, and, at `lengthAt` offsets (where the base holds a BER
 * length), a length made zero, huge, off by a few (so nested lengths disagree) or re-spelt.
 */
export function mutateBytes(rng: Rng, base: Uint8Array, lengthAt: readonly number[] = []): Uint8Array {
  let b: Uint8Array = base.slice();
  const rounds = 1 + rng.below(4);
  for (let r = 0; r < rounds; r++) {
    const at = rng.below(Math.max(1, b.length));
    switch (rng.below(lengthAt.length > 0 ? 9 : 7)) {
      case 0:
        if (b.length > 0) b[at] = (b[at] as number) ^ (1 << rng.below(8));
        break;
      case 1:
        if (b.length > 0) b[at] = rng.pick(INTERESTING);
        break;
      case 2:
        b = b.slice(0, rng.below(b.length + 1));
        break;
      case 3:
        b = concat(b, rng.bytes(1 + rng.below(64)));
        break;
      case 4: {
        const n = 1 + rng.below(Math.min(32, Math.max(1, b.length - at)));
        b = concat(b.subarray(0, at), b.subarray(at + n));
        break;
      }
      case 5: {
        const n = 1 + rng.below(32);
        b = concat(b.subarray(0, at), b.subarray(at, at + n), b.subarray(at));
        break;
      }
      case 6:
        if (b.length > 0) b[at] = rng.u32() & 0xff;
        break;
      case 7: {
        // A length field made zero, huge or non-minimal: the field's first byte is replaced.
        const p = rng.pick(lengthAt);
        if (p < b.length) b = concat(b.subarray(0, p), rng.pick(HOSTILE_LENGTHS), b.subarray(p + 1));
        break;
      }
      default: {
        // A length off by a little, so it disagrees with the lengths nested inside it.
        const p = rng.pick(lengthAt);
        if (p < b.length) {
          const last = (b[p] as number) & 0x80 ? p + ((b[p] as number) & 0x7f) : p;
          if (last < b.length) b[last] = ((b[last] as number) + rng.pick([-3, -2, -1, 1, 2, 3, 64, 128])) & 0xff;
        }
      }
    }
  }
  return b;
}

/** Text mutations: a token from `dictionary` spliced in, lines deleted/duplicated, or byte mutations. */
export function mutateText(rng: Rng, base: string, dictionary: readonly string[]): string {
  let t = base;
  const rounds = 1 + rng.below(3);
  for (let r = 0; r < rounds; r++) {
    const at = rng.below(t.length + 1);
    switch (rng.below(5)) {
      case 0:
        t = t.slice(0, at) + rng.pick(dictionary) + t.slice(at);
        break;
      case 1: {
        const lines = t.split('\n');
        lines.splice(rng.below(lines.length), 1);
        t = lines.join('\n');
        break;
      }
      case 2: {
        const lines = t.split('\n');
        const i = rng.below(lines.length);
        lines.splice(rng.below(lines.length + 1), 0, lines[i] as string);
        t = lines.join('\n');
        break;
      }
      case 3:
        t = t.slice(0, at) + t.slice(at + 1 + rng.below(20));
        break;
      default:
        t = Buffer.from(mutateBytes(rng, Buffer.from(t, 'utf8'))).toString('latin1');
    }
  }
  return t;
}

/** A target's own invariant failed (forged signature, round-trip mismatch): always a break. */
export class InvariantBreak extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantBreak';
  }
}

export interface FuzzTarget {
  readonly name: string;
  /** Builds input `index` from its PRNG. */
  input(rng: Rng, index: number): Uint8Array;
  /** Feeds the decoder; returns `ok` or the rejection code it gave as a value. */
  run(input: Uint8Array): string | Promise<string>;
  /** Releases temporary files. */
  close?(): void;
}

export interface FuzzFailure {
  target: string;
  seed: number;
  index: number;
  kind: 'crash' | 'invariant' | 'slow';
  message: string;
  hex: string;
}

export interface FuzzStats {
  target: string;
  inputs: number;
  accepted: number;
  /** Rejections returned as values and coded errors thrown, by code. */
  codes: Record<string, number>;
  crashes: number;
  invariantBreaks: number;
  /** Inputs over the time limit once that ran under it when run again (up to twice). */
  retimed: number;
  slowest: { ms: number; index: number };
  elapsedMs: number;
  failures: FuzzFailure[];
}

export const SLOW_MS = 100;
const KEPT_FAILURES = 5;

/** Runs inputs [from, from + count) of `target`; never throws, records every break. */
export async function runTarget(
  target: FuzzTarget,
  seed: number,
  count: number,
  options: { from?: number; checkTime?: boolean } = {},
): Promise<FuzzStats> {
  const from = options.from ?? 0;
  const checkTime = options.checkTime ?? true;
  const stats: FuzzStats = {
    target: target.name,
    inputs: 0,
    accepted: 0,
    codes: {},
    crashes: 0,
    invariantBreaks: 0,
    retimed: 0,
    slowest: { ms: 0, index: -1 },
    elapsedMs: 0,
    failures: [],
  };
  const fail = (index: number, input: Uint8Array, kind: FuzzFailure['kind'], message: string) => {
    if (stats.failures.length < KEPT_FAILURES) {
      stats.failures.push({ target: target.name, seed, index, kind, message, hex: Buffer.from(input).toString('hex') });
    }
  };
  const started = performance.now();
  for (let index = from; index < from + count; index++) {
    const input = target.input(inputRng(seed, target.name, index), index);
    const t0 = performance.now();
    let outcome: string | undefined;
    try {
      const r = target.run(input);
      outcome = typeof r === 'string' ? r : await r;
    } catch (error) {
      const code = gbfleetCodeOf(error);
      if (error instanceof InvariantBreak) {
        stats.invariantBreaks++;
        fail(index, input, 'invariant', error.message);
      } else if (code !== undefined) {
        outcome = code;
      } else {
        stats.crashes++;
        const e = error as Error;
        fail(index, input, 'crash', `${e?.name}: ${e?.message}\n${e?.stack?.split('\n').slice(1, 4).join('\n')}`);
      }
    }
    const ms = performance.now() - t0;
    stats.inputs++;
    if (outcome === 'ok') stats.accepted++;
    else if (outcome !== undefined) stats.codes[outcome] = (stats.codes[outcome] ?? 0) + 1;
    if (ms > stats.slowest.ms) stats.slowest = { ms, index };
    if (checkTime && ms > SLOW_MS) {
      // A pause on a shared machine (GC, JIT, a neighbour's burst) is not the input's fault: the
      // input's cost is the fastest of three runs, and only that over the limit is a break.
      const runs = [ms];
      for (let k = 0; k < 2 && Math.min(...runs) > SLOW_MS; k++) {
        const t1 = performance.now();
        try {
          await target.run(input);
        } catch {}
        runs.push(performance.now() - t1);
      }
      if (Math.min(...runs) > SLOW_MS) {
        stats.invariantBreaks++;
        fail(index, input, 'slow', `took ${runs.map((r) => r.toFixed(1)).join(', ')} ms (limit ${SLOW_MS} ms)`);
      } else {
        stats.retimed++;
      }
    }
  }
  stats.elapsedMs = performance.now() - started;
  return stats;
}
