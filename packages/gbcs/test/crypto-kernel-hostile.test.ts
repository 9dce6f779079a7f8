/**
 * Bad input to the native binding (gbcs-native), with fast-check: arbitrary lengths, offsets
 * (2^32 − 1, start > end, past the end), short Z, MAC, signature and result buffers, index arrays
 * of mismatched lengths, wrong argument types, key indexes outside the table, tables of the wrong
 * kind, malformed scalars and points, degenerate Z tables. Every call either succeeds, with the
 * answer the JS reference gives, or throws an Error coded GBF_NATIVE_ARGUMENT, _BOUNDS, _KEY or
 * _CRYPTO. Each case is also run through a model of the documented rules, so the code and the
 * entry named are the ones expected, and a failed call has written nothing: its outputs are
 * sentinel-filled views inside larger buffers, checked whole. The kernel must also leave
 * OpenSSL's error queue (shared with Node's crypto) as it found it.
 *
 * A missing addon fails these tests; GBFLEET_CRYPTO=js skips them, and says so.
 */
import { createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { loadNativeKernel, type NativeKernelBinding } from '@gbfleet/gbcs-native';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type AffinePoint,
  addPoints,
  CRYPTO_ENV,
  type CraFlag,
  chooseCryptoKernel,
  G,
  gbcsMacKey,
  isOnCurve,
  MacSecretDerivation,
  N,
  P,
  pointFromSec1,
  privateKeyFromScalar,
  publicKeyFromSec1,
  publicSec1FromScalar,
  readBig256,
  scalarFromSeed,
  scalarMultiply,
  writeBig256,
} from '../src/index.ts';

const SKIP = process.env[CRYPTO_ENV] === 'js';
if (SKIP) console.log(`crypto-kernel-hostile.test.ts: ${CRYPTO_ENV}=js, so the native binding is not tested`);

const ARGUMENT = 'GBF_NATIVE_ARGUMENT';
const BOUNDS = 'GBF_NATIVE_BOUNDS';
const KEY = 'GBF_NATIVE_KEY';
const CRYPTO = 'GBF_NATIVE_CRYPTO';
type Code = typeof ARGUMENT | typeof BOUNDS | typeof KEY | typeof CRYPTO;
const CODES: readonly string[] = [ARGUMENT, BOUNDS, KEY, CRYPTO];

const RUNS = { numRuns: 500, seed: 0x686f7374 };
const SENTINEL = 0xa5;
const MARGIN = 24;
const LEVELS_BYTES = 3 * 1024 * 64;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function binding(): NativeKernelBinding {
  const load = loadNativeKernel();
  if (!load.ok) throw new Error(`${load.reason}: build it with \`pnpm --filter @gbfleet/gbcs-native build:addon\``);
  return load.binding;
}

/** Calls a binding function with arguments of any type. */
function call(name: keyof NativeKernelBinding, args: readonly unknown[]): unknown {
  return (binding()[name] as unknown as (...a: unknown[]) => unknown)(...args);
}

type Outcome = { ok: true; value: unknown } | { ok: false; code: Code; message: string };

/** Runs `f`: it returns, or throws an Error with one of the four codes (anything else fails the test). */
function attempt(f: () => unknown): Outcome {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    assert.instance(error, Error, `a thrown non-Error: ${String(error)}`);
    const code = (error as { code?: unknown }).code;
    assert.ok(typeof code === 'string' && CODES.includes(code), `an error without a native code: ${error}`);
    return { ok: false, code: code as Code, message: (error as Error).message };
  }
}

/** What the model of the documented rules says a call does: succeed, or fail with a code (at an entry). */
type Expected = { ok: true } | { ok: false; code: Code; entry?: string };
const OK: Expected = { ok: true };
const fail = (code: Code, entry?: string): Expected => ({ ok: false, code, entry });

/** The outcome is the one the model expects: the same code, and a message naming the same entry. */
function expectOutcome(outcome: Outcome, expected: Expected, what: string): void {
  if (expected.ok) {
    assert.ok(outcome.ok, `${what}: expected success, got ${outcome.ok ? '' : `${outcome.code}: ${outcome.message}`}`);
    return;
  }
  assert.not.ok(
    outcome.ok,
    `${what}: expected ${expected.code}${expected.entry ? ` at ${expected.entry}` : ''}, got success`,
  );
  if (outcome.ok) return;
  assert.is(outcome.code, expected.code, `${what}: ${outcome.message}`);
  if (expected.entry) assert.ok(outcome.message.startsWith(`${expected.entry}:`), `${what}: ${outcome.message}`);
}

/** An output buffer: a view of `length` bytes inside sentinel margins, so a write outside it shows. */
interface Guarded {
  whole: Uint8Array;
  view: Uint8Array;
}

function guarded(length: number): Guarded {
  const whole = new Uint8Array(length + 2 * MARGIN).fill(SENTINEL);
  return { whole, view: whole.subarray(MARGIN, MARGIN + length) };
}

function copyOf(g: Guarded): Guarded {
  const whole = g.whole.slice();
  return { whole, view: whole.subarray(MARGIN, MARGIN + g.view.length) };
}

const untouched = (g: Guarded) => g.whole.every((b) => b === SENTINEL);

/** Entry i's region [at, at + size) is not overwritten by a later entry's. */
function lastWriter(at: readonly number[], size: number, i: number): boolean {
  const a = at[i] as number;
  for (let j = i + 1; j < at.length; j++) if (Math.abs((at[j] as number) - a) < size) return false;
  return true;
}

/** Bytes of `g` outside every entry's region are still the sentinel. */
function onlyRegionsWritten(g: Guarded, at: readonly number[], size: number): boolean {
  const written = new Uint8Array(g.whole.length);
  for (const a of at) written.fill(1, MARGIN + a, MARGIN + a + size);
  return g.whole.every((b, k) => written[k] === 1 || b === SENTINEL);
}

// ---------------------------------------------------------------- arbitraries

const EXTREMES = [
  2 ** 32 - 1,
  2 ** 32 - 2,
  2 ** 32 - 12,
  2 ** 32 - 16,
  2 ** 32 - 32,
  2 ** 32 - 64,
  2 ** 31,
  2 ** 31 - 1,
];
const uint32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });

/** An offset into a buffer of `size` bytes for `need` bytes: mostly fitting, sometimes just past, sometimes wild. */
function offsetArb(size: number, need: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 16, arbitrary: fc.integer({ min: 0, max: Math.max(0, size - need) }) },
    { weight: 1, arbitrary: fc.integer({ min: Math.max(0, size - need), max: size + 2 }) },
    { weight: 1, arbitrary: fc.constantFrom(...EXTREMES) },
    { weight: 1, arbitrary: uint32 },
  );
}

/** How an index array's length differs from the batch's: mostly not at all. */
const skewArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 1, 2) },
);

/** An end inside the data, `permille` of the way from `from` to its end (or `from` when past it). */
const endWithin = (from: number, size: number, permille: number) =>
  from <= size ? from + Math.floor(((size - from) * permille) / 1000) : from;

/** `values` as a Uint32Array of `values.length + skew` entries (extra ones are 0). */
function skewed(values: readonly number[], skew: number): Uint32Array {
  const out = new Uint32Array(Math.max(0, values.length + skew));
  out.set(values.slice(0, out.length));
  return out;
}

const inside = (at: number, length: number, size: number) => at <= size && length <= size - at;

const shaped = (data: Uint8Array, at: number) =>
  data[at] === 0xdf && data[at + 1] === 0x09 && data[at + 11] === 0x08 && data[at + 20] === 0x08;

function plantHeader(data: Uint8Array, at: number): void {
  if (!inside(at, 29, data.length)) return;
  data[at] = 0xdf;
  data[at + 1] = 0x09;
  data[at + 11] = 0x08;
  data[at + 20] = 0x08;
}

// ---------------------------------------------------------------- keys and tables for the cases

const SCALARS = [scalarFromSeed('hostile', 'signer', 0), scalarFromSeed('hostile', 'signer', 1), 7n];
const SEC1 = SCALARS.map((d) => publicSec1FromScalar(d));
const PRIVATE = SCALARS.map((d) => privateKeyFromScalar(d));
const PUBLIC = SEC1.map((p) => publicKeyFromSec1(p));

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function scalarBytes(d: bigint): Uint8Array {
  const out = new Uint8Array(32);
  writeBig256(out, 0, d);
  return out;
}

function pointBytes(p: AffinePoint, prefix = 4): Uint8Array {
  const out = new Uint8Array(65);
  out[0] = prefix;
  writeBig256(out, 1, p.x);
  writeBig256(out, 33, p.y);
  return out;
}

interface Tables {
  signers: object;
  verifiers: object;
  fixed: object;
  progression: object;
  derivation: MacSecretDerivation;
  base: Uint8Array;
  levels: Uint8Array;
}

let tables: Tables | undefined;
function setup(): Tables {
  if (tables) return tables;
  const b = binding();
  const acb = pointFromSec1(publicSec1FromScalar(scalarFromSeed('hostile', 'acb', 0)));
  const derivation = new MacSecretDerivation('hostile', acb);
  const base = new Uint8Array(64);
  const levels = new Uint8Array(LEVELS_BYTES);
  const held = derivation.tables;
  writeBig256(base, 0, held.base.x);
  writeBig256(base, 32, held.base.y);
  held.levels.forEach((level, n) => {
    level.forEach((p, m) => {
      writeBig256(levels, (n * 1024 + m) * 64, p.x);
      writeBig256(levels, (n * 1024 + m) * 64 + 32, p.y);
    });
  });
  tables = {
    signers: b.createSigners(concat(SCALARS.map(scalarBytes))).table,
    verifiers: b.createVerifiers(concat(SEC1), false).table,
    fixed: b.createVerifiers(concat(SEC1), true).table,
    progression: b.createZProgression(base, levels).table,
    derivation,
    base,
    levels,
  };
  return tables;
}

/** Tallies of the outcomes a property saw, so it cannot pass without reaching both sides. */
function tally(): { see(o: Outcome): void; saw(...what: string[]): void } {
  const seen = new Map<string, number>();
  return {
    see(o) {
      const k = o.ok ? 'ok' : o.code;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    },
    saw(...what) {
      for (const w of what) assert.ok((seen.get(w) ?? 0) > 0, `never saw ${w}: ${JSON.stringify([...seen])}`);
    },
  };
}

// ---------------------------------------------------------------- MACs

const macCaseArb = fc
  .record({
    dataLength: fc.oneof(
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 28 }) },
      { weight: 5, arbitrary: fc.integer({ min: 29, max: 400 }) },
    ),
    zLength: fc.oneof(fc.constantFrom(0, 31, 32, 33, 64), fc.integer({ min: 0, max: 160 })),
    macLength: fc.oneof(fc.constantFrom(0, 11, 12), fc.integer({ min: 0, max: 90 })),
    n: fc.integer({ min: 0, max: 5 }),
    skews: fc.tuple(skewArb, skewArb, skewArb),
    resultsSkew: fc.constantFrom(0, 0, 0, 0, -1, 1, 3),
    check: fc.boolean(),
    fill: fc.uint8Array({ minLength: 560, maxLength: 560 }),
  })
  .chain((s) =>
    fc.record({
      s: fc.constant(s),
      entries: fc.array(
        fc.record({
          start: offsetArb(s.dataLength, 29),
          end: fc.oneof(
            { weight: 10, arbitrary: fc.integer({ min: 0, max: 1000 }).map((permille) => ({ permille })) },
            { weight: 4, arbitrary: fc.integer({ min: 29, max: 220 }).map((l) => ({ length: l })) },
            { weight: 1, arbitrary: fc.integer({ min: 0, max: 28 }).map((l) => ({ length: l })) },
            { weight: 1, arbitrary: fc.constantFrom(65_535, 65_536, 2 ** 32 - 1).map((l) => ({ length: l })) },
            { weight: 1, arbitrary: offsetArb(s.dataLength, 0).map((at) => ({ at })) },
            { weight: 1, arbitrary: fc.constant({ beforeStart: true }) },
          ),
          shaped: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
          zAt: offsetArb(s.zLength, 32),
          macAt: offsetArb(s.macLength, 12),
          plantMac: fc.boolean(),
        }),
        { minLength: s.n, maxLength: s.n },
      ),
    }),
  );

test('writeMacs and checkMacs on hostile batches: the model’s outcome, the JS answer, nothing written on failure', () => {
  if (SKIP) return;
  const native = binding();
  const js = chooseCryptoKernel('js').kernel;
  const seen = tally();
  fc.assert(
    fc.property(macCaseArb, ({ s, entries }) => {
      const data = s.fill.slice(0, s.dataLength);
      for (const e of entries) if (e.shaped) plantHeader(data, e.start);
      const z = s.fill.slice(400, 400 + s.zLength);
      const starts = entries.map((e) => e.start);
      const ends = entries.map((e) => {
        const end = e.end as { permille?: number; length?: number; at?: number; beforeStart?: boolean };
        if (end.permille !== undefined) return endWithin(e.start + 29, s.dataLength, end.permille);
        if (end.length !== undefined) return (e.start + end.length) % 2 ** 32;
        if (end.at !== undefined) return end.at;
        return (e.start + 2 ** 32 - 1) % 2 ** 32;
      });
      const apduStart = Uint32Array.from(starts);
      const apduEnd = skewed(ends, s.skews[0]);
      const zAt = skewed(
        entries.map((e) => e.zAt),
        s.skews[1],
      );
      const macAt = skewed(
        entries.map((e) => e.macAt),
        s.skews[2],
      );
      const mac = guarded(s.macLength);
      const results = guarded(Math.max(0, entries.length + s.resultsSkew));

      // The model: the rules in kernel.h and gbcs-mac-batch.cc, in their order.
      const n = entries.length;
      let expected: Expected = OK;
      if (apduEnd.length !== n || zAt.length !== n || macAt.length !== n) expected = fail(ARGUMENT);
      else if (s.check && results.view.length < n) expected = fail(BOUNDS);
      else {
        for (let i = 0; i < n && expected.ok; i++) {
          const [a, b] = [apduStart[i] as number, apduEnd[i] as number];
          const at = `MAC ${i}`;
          if (a > b || !inside(a, b - a, data.length)) expected = fail(BOUNDS, at);
          else if (b - a < 29 || b - a > 0xffff) expected = fail(ARGUMENT, at);
          else if (!shaped(data, a)) expected = fail(ARGUMENT, at);
          else if (!inside(zAt[i] as number, 32, z.length)) expected = fail(BOUNDS, at);
          else if (!inside(macAt[i] as number, 12, mac.view.length)) expected = fail(BOUNDS, at);
        }
      }
      // To check: some entries carry their right MAC (written by the JS kernel, one at a time).
      if (s.check && expected.ok) {
        entries.forEach((e, i) => {
          if (!e.plantMac) return;
          const one = (a: Uint32Array) => a.subarray(i, i + 1);
          js.writeMacs(data, one(apduStart), one(apduEnd), z, one(zAt), mac.view, one(macAt));
        });
      }
      const before = copyOf(mac);
      const outcome = attempt(() =>
        s.check
          ? native.checkMacs(data, apduStart, apduEnd, z, zAt, mac.view, macAt, results.view)
          : native.writeMacs(data, apduStart, apduEnd, z, zAt, mac.view, macAt),
      );
      seen.see(outcome);
      expectOutcome(outcome, expected, s.check ? 'checkMacs' : 'writeMacs');
      if (!outcome.ok) {
        assert.is(hex(mac.whole), hex(before.whole), 'a failed call wrote MAC bytes');
        assert.ok(untouched(results), 'a failed call wrote results');
        return;
      }
      if (s.check) {
        const reference = guarded(results.view.length);
        js.checkMacs(data, apduStart, apduEnd, z, zAt, before.view, macAt, reference.view);
        assert.is(hex(results.whole), hex(reference.whole), 'checkMacs: results as the JS kernel');
        assert.is(hex(mac.whole), hex(before.whole), 'checkMacs wrote to the MACs');
      } else {
        js.writeMacs(data, apduStart, apduEnd, z, zAt, before.view, macAt);
        assert.is(hex(mac.whole), hex(before.whole), 'writeMacs: bytes as the JS kernel, none outside');
      }
    }),
    RUNS,
  );
  seen.saw('ok', ARGUMENT, BOUNDS);
});

test('macKeys on hostile batches: the model’s outcome, the KDF’s keys, nothing written on failure', () => {
  if (SKIP) return;
  const native = binding();
  const seen = tally();
  const caseArb = fc
    .record({
      dataLength: fc.integer({ min: 0, max: 200 }),
      zLength: fc.integer({ min: 0, max: 100 }),
      outLength: fc.oneof(fc.constantFrom(0, 15, 16, 31, 32, 48, 64), fc.integer({ min: 0, max: 100 })),
      n: fc.integer({ min: 0, max: 4 }),
      skew: skewArb,
      fill: fc.uint8Array({ minLength: 300, maxLength: 300 }),
    })
    .chain((s) =>
      fc.record({
        s: fc.constant(s),
        entries: fc.array(
          fc.record({ start: offsetArb(s.dataLength, 29), zAt: offsetArb(s.zLength, 32), shaped: fc.boolean() }),
          { minLength: s.n, maxLength: s.n },
        ),
      }),
    );
  fc.assert(
    fc.property(caseArb, ({ s, entries }) => {
      const data = s.fill.slice(0, s.dataLength);
      for (const e of entries) if (e.shaped) plantHeader(data, e.start);
      const z = s.fill.slice(200, 200 + s.zLength);
      const apduStart = Uint32Array.from(entries, (e) => e.start);
      const zAt = skewed(
        entries.map((e) => e.zAt),
        s.skew,
      );
      const out = guarded(s.outLength);
      const n = entries.length;
      let expected: Expected = OK;
      if (zAt.length !== n) expected = fail(ARGUMENT);
      else if (Math.floor(out.view.length / 16) < n) expected = fail(BOUNDS);
      else {
        for (let i = 0; i < n && expected.ok; i++) {
          const a = apduStart[i] as number;
          if (!inside(a, 29, data.length)) expected = fail(BOUNDS, `KDF ${i}`);
          else if (!shaped(data, a)) expected = fail(ARGUMENT, `KDF ${i}`);
          else if (!inside(zAt[i] as number, 32, z.length)) expected = fail(BOUNDS, `KDF ${i}`);
        }
      }
      const outcome = attempt(() => native.macKeys(data, apduStart, z, zAt, out.view));
      seen.see(outcome);
      expectOutcome(outcome, expected, 'macKeys');
      if (!outcome.ok) {
        assert.ok(untouched(out), 'a failed call wrote keys');
        return;
      }
      for (let i = 0; i < n; i++) {
        const a = apduStart[i] as number;
        const view = new DataView(data.buffer, data.byteOffset + a, 29);
        const key = gbcsMacKey(
          z.subarray(zAt[i] as number, (zAt[i] as number) + 32),
          view.getBigUint64(12),
          data[a + 2] as CraFlag,
          view.getBigUint64(3),
          view.getBigUint64(21),
        );
        assert.is(hex(out.view.subarray(16 * i, 16 * i + 16)), hex(key), `key ${i}`);
      }
      assert.ok(
        onlyRegionsWritten(
          out,
          entries.map((_, i) => 16 * i),
          16,
        ),
        'macKeys wrote past its keys',
      );
    }),
    RUNS,
  );
  seen.saw('ok', ARGUMENT, BOUNDS);
});

// ---------------------------------------------------------------- sign and verify

const keyIndexArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: SCALARS.length - 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(SCALARS.length, 2 ** 31, 2 ** 32 - 1) },
);

const regionCaseArb = (outSize: number) =>
  fc
    .record({
      dataLength: fc.integer({ min: 0, max: 300 }),
      outLength: fc.oneof(
        fc.constantFrom(0, outSize - 1, outSize, 2 * outSize),
        fc.integer({ min: 0, max: 4 * outSize }),
      ),
      n: fc.integer({ min: 0, max: 4 }),
      skews: fc.tuple(skewArb, skewArb, skewArb),
      fill: fc.uint8Array({ minLength: 300, maxLength: 300 }),
    })
    .chain((s) =>
      fc.record({
        s: fc.constant(s),
        entries: fc.array(
          fc.record({
            key: keyIndexArb,
            start: offsetArb(s.dataLength, 0),
            end: fc.oneof(
              { weight: 8, arbitrary: fc.integer({ min: 0, max: 1000 }).map((permille) => ({ permille })) },
              { weight: 3, arbitrary: fc.integer({ min: 0, max: 120 }).map((l) => ({ length: l })) },
              { weight: 1, arbitrary: offsetArb(s.dataLength, 0).map((at) => ({ at })) },
            ),
            outAt: offsetArb(s.outLength, outSize),
            sigKind: fc.constantFrom('valid', 'valid', 'twin', 'random', 'zero', 'ff', 'r=n', 's=n', 'other key'),
          }),
          { minLength: s.n, maxLength: s.n },
        ),
      }),
    );

function regionEnds(
  entries: readonly { start: number; end: { permille?: number; length?: number; at?: number } }[],
  dataLength: number,
): number[] {
  return entries.map((e) => {
    if (e.end.permille !== undefined) return endWithin(e.start, dataLength, e.end.permille);
    return e.end.length !== undefined ? (e.start + e.end.length) % 2 ** 32 : (e.end.at as number);
  });
}

test('sign on hostile batches: the model’s outcome, signatures node:crypto verifies, nothing written on failure', () => {
  if (SKIP) return;
  const native = binding();
  const t = setup();
  const seen = tally();
  fc.assert(
    fc.property(
      regionCaseArb(64),
      fc.constantFrom('signers', 'signers', 'signers', 'verifiers', 'progression'),
      (c, which) => {
        const { s, entries } = c;
        const data = s.fill.slice(0, s.dataLength);
        const n = entries.length;
        const key = Uint32Array.from(entries, (e) => e.key);
        const start = skewed(
          entries.map((e) => e.start),
          s.skews[0],
        );
        const end = skewed(regionEnds(entries, s.dataLength), s.skews[1]);
        const outAtList = entries.map((e) => e.outAt);
        const outAt = skewed(outAtList, s.skews[2]);
        const out = guarded(s.outLength);
        const table = which === 'signers' ? t.signers : which === 'verifiers' ? t.verifiers : t.progression;
        let expected: Expected = OK;
        if (which !== 'signers') expected = fail(ARGUMENT);
        else if (start.length !== n || end.length !== n || outAt.length !== n) expected = fail(ARGUMENT);
        else {
          for (let i = 0; i < n && expected.ok; i++) {
            const [a, b] = [start[i] as number, end[i] as number];
            if ((key[i] as number) >= SCALARS.length) expected = fail(KEY, `sign ${i}`);
            else if (a > b || !inside(a, b - a, data.length)) expected = fail(BOUNDS, `sign ${i}`);
            else if (!inside(outAt[i] as number, 64, out.view.length)) expected = fail(BOUNDS, `sign ${i}`);
          }
        }
        const outcome = attempt(() => native.sign(table, key, data, start, end, out.view, outAt));
        seen.see(outcome);
        expectOutcome(outcome, expected, `sign with a ${which} table`);
        if (!outcome.ok) {
          assert.ok(untouched(out), 'a failed sign wrote signature bytes');
          return;
        }
        for (let i = 0; i < n; i++) {
          if (!lastWriter(outAtList, 64, i)) continue;
          const at = outAt[i] as number;
          const region = data.subarray(start[i] as number, end[i] as number);
          const by = { key: PUBLIC[key[i] as number] as (typeof PUBLIC)[number], dsaEncoding: 'ieee-p1363' as const };
          assert.ok(nodeVerify('sha256', region, by, out.view.subarray(at, at + 64)), `signature ${i} in node:crypto`);
        }
        assert.ok(onlyRegionsWritten(out, outAtList, 64), 'sign wrote outside its signatures');
      },
    ),
    RUNS,
  );
  seen.saw('ok', ARGUMENT, BOUNDS, KEY);
});

function plantSignature(sig: Uint8Array, at: number, kind: string, key: number, region: Uint8Array | null): void {
  if (!inside(at, 64, sig.length)) return;
  const d = SCALARS[key];
  const signed = (k: number) =>
    nodeSign('sha256', region ?? new Uint8Array(0), {
      key: PRIVATE[k] as (typeof PRIVATE)[number],
      dsaEncoding: 'ieee-p1363',
    });
  if (kind === 'zero') sig.fill(0, at, at + 64);
  else if (kind === 'ff') sig.fill(0xff, at, at + 64);
  else if (kind === 'r=n') sig.set(scalarBytes(N), at);
  else if (kind === 's=n') sig.set(scalarBytes(N), at + 32);
  else if (kind === 'random' || d === undefined || !region) return;
  else if (kind === 'valid') sig.set(signed(key), at);
  else if (kind === 'other key') sig.set(signed((key + 1) % SCALARS.length), at);
  else if (kind === 'twin') {
    const good = signed(key);
    sig.set(good, at);
    sig.set(scalarBytes(N - readBig256(good, 32)), at + 32);
  }
}

test('verify on hostile batches: the model’s outcome, the JS kernel’s results, nothing written on failure', () => {
  if (SKIP) return;
  const native = binding();
  const js = chooseCryptoKernel('js').kernel;
  const jsKeys = js.verifiers(SEC1);
  const t = setup();
  const seen = tally();
  const caseArb = fc.tuple(
    regionCaseArb(64),
    fc.constantFrom('fixed', 'points', 'points', 'fixed', 'signers'),
    fc.constantFrom(0, 0, 0, 0, -1, 1, 4),
  );
  fc.assert(
    fc.property(caseArb, ([c, which, resultsSkew]) => {
      const { s, entries } = c;
      const data = s.fill.slice(0, s.dataLength);
      const n = entries.length;
      const key = Uint32Array.from(entries, (e) => e.key);
      const start = skewed(
        entries.map((e) => e.start),
        s.skews[0],
      );
      const end = skewed(regionEnds(entries, s.dataLength), s.skews[1]);
      const sigAt = skewed(
        entries.map((e) => e.outAt),
        s.skews[2],
      );
      // The signatures: random bytes, with valid ones, twins and out-of-range ones planted.
      const sig = s.fill.slice(0, s.outLength);
      entries.forEach((e, i) => {
        const [a, b] = [start[i] ?? 0, end[i] ?? 0];
        const region = a <= b && inside(a, b - a, data.length) ? data.subarray(a, b) : null;
        plantSignature(sig, e.outAt, e.sigKind, e.key, region);
      });
      const results = guarded(Math.max(0, n + resultsSkew));
      const table = which === 'fixed' ? t.fixed : which === 'points' ? t.verifiers : t.signers;
      let expected: Expected = OK;
      if (which === 'signers') expected = fail(ARGUMENT);
      else if (start.length !== n || end.length !== n || sigAt.length !== n) expected = fail(ARGUMENT);
      else if (results.view.length < n) expected = fail(BOUNDS);
      else {
        for (let i = 0; i < n && expected.ok; i++) {
          const [a, b] = [start[i] as number, end[i] as number];
          if ((key[i] as number) >= SCALARS.length) expected = fail(KEY, `verify ${i}`);
          else if (a > b || !inside(a, b - a, data.length)) expected = fail(BOUNDS, `verify ${i}`);
          else if (!inside(sigAt[i] as number, 64, sig.length)) expected = fail(BOUNDS, `verify ${i}`);
        }
      }
      const outcome = attempt(() => native.verify(table, key, data, start, end, sig, sigAt, results.view));
      seen.see(outcome);
      expectOutcome(outcome, expected, `verify with a ${which} table`);
      if (!outcome.ok) {
        assert.ok(untouched(results), 'a failed verify wrote results');
        return;
      }
      const reference = guarded(results.view.length);
      js.verify(jsKeys, key, data, start, end, sig, sigAt, reference.view);
      assert.is(hex(results.whole), hex(reference.whole), `verify (${which}): results as the JS kernel`);
    }),
    RUNS,
  );
  seen.saw('ok', ARGUMENT, BOUNDS, KEY);
});

// ---------------------------------------------------------------- key tables

/** A table's `bytes` is a measured heap growth: a count, never a negative one wrapped to 2^64. */
function assertSaneBytes(made: unknown): void {
  const { bytes } = made as { bytes: number };
  assert.ok(Number.isSafeInteger(bytes) && bytes >= 0 && bytes < 2 ** 32, `a table of ${bytes} bytes`);
}

test('createSigners: exactly the tables of 32-byte scalars in [1, n − 1] are made; others are GBF_NATIVE_KEY', () => {
  if (SKIP) return;
  const native = binding();
  const seen = tally();
  const scalarArb = fc.oneof(
    { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: N - 1n }) },
    { weight: 1, arbitrary: fc.constantFrom(0n, 1n, N - 1n, N, N + 1n, 2n ** 256n - 1n) },
  );
  fc.assert(
    fc.property(fc.array(scalarArb, { maxLength: 4 }), fc.constantFrom(0, 0, 0, 0, 1, 31, 33), (scalars, extra) => {
      const bytes = concat([...scalars.map(scalarBytes), new Uint8Array(extra).fill(1)]);
      let expected: Expected = OK;
      if (bytes.length % 32 !== 0) expected = fail(KEY);
      else {
        const bad = scalars.findIndex((d) => d === 0n || d >= N);
        if (bad >= 0) expected = fail(KEY, `signer ${bad}`);
      }
      const outcome = attempt(() => native.createSigners(bytes));
      seen.see(outcome);
      expectOutcome(outcome, expected, 'createSigners');
      if (!outcome.ok) return;
      assertSaneBytes(outcome.value);
      if (scalars.length === 0) return;
      // Each key of the table signs as its scalar.
      const { table } = outcome.value as { table: object };
      const message = Uint8Array.of(1, 2, 3);
      const out = new Uint8Array(64 * scalars.length);
      native.sign(
        table,
        Uint32Array.from(scalars, (_, i) => i),
        message,
        new Uint32Array(scalars.length),
        new Uint32Array(scalars.length).fill(3),
        out,
        Uint32Array.from(scalars, (_, i) => 64 * i),
      );
      scalars.forEach((d, i) => {
        const by = { key: publicKeyFromSec1(publicSec1FromScalar(d)), dsaEncoding: 'ieee-p1363' as const };
        assert.ok(nodeVerify('sha256', message, by, out.subarray(64 * i, 64 * i + 64)), `signer ${i}`);
      });
    }),
    { ...RUNS, numRuns: 300 },
  );
  seen.saw('ok', KEY);
});

function powMod(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = base % m;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

/** The point of P-256 with the smallest x: x + p still fits 256 bits. */
const SMALL_X: AffinePoint = (() => {
  const b = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
  for (let x = 0n; ; x++) {
    const rhs = (((x * x * x - 3n * x + b) % P) + P) % P;
    const y = powMod(rhs, (P + 1n) / 4n, P);
    if ((y * y) % P === rhs) return { x, y };
  }
})();

/** One 65-byte entry for createVerifiers, and the scalar behind it when it is a valid point. */
const pointEntryArb = fc
  .tuple(
    fc.bigInt({ min: 1n, max: N - 1n }),
    fc.constantFrom('valid', 'valid', 'negated', 'off curve', 'compressed', 'hybrid', 'x = p', 'zero', 'ff', 'x + p'),
  )
  .map(([d, kind]) => {
    const p = scalarMultiply(d, G) as AffinePoint;
    switch (kind) {
      case 'valid':
        return { bytes: pointBytes(p), d };
      case 'negated':
        return { bytes: pointBytes({ x: p.x, y: P - p.y }), d: N - d };
      case 'off curve':
        return { bytes: pointBytes({ x: p.x, y: (p.y + 1n) % P }) };
      case 'compressed': {
        const bytes = new Uint8Array(65);
        bytes[0] = 2 + Number(p.y & 1n);
        writeBig256(bytes, 1, p.x);
        return { bytes };
      }
      case 'hybrid':
        return { bytes: pointBytes(p, 6 + Number(p.y & 1n)) };
      case 'x = p':
        return { bytes: pointBytes({ x: P, y: p.y }) };
      case 'zero':
        return { bytes: new Uint8Array(65) };
      case 'ff':
        return { bytes: new Uint8Array(65).fill(0xff) };
      default:
        // x + p: the same point mod p, but not a canonical encoding (it needs a point with a small x).
        return { bytes: pointBytes({ x: SMALL_X.x + P, y: SMALL_X.y }) };
    }
  });

/** What a verifier entry must be: 04 ‖ x ‖ y with x, y below p, on the curve. */
const validSec1 = (b: Uint8Array) =>
  b.length === 65 && b[0] === 4 && isOnCurve({ x: readBig256(b, 1), y: readBig256(b, 33) });

test('createVerifiers: exactly the tables of valid uncompressed points are made; others are GBF_NATIVE_KEY', () => {
  if (SKIP) return;
  const native = binding();
  const seen = tally();
  assert.ok(isOnCurve(SMALL_X) && SMALL_X.x + P < 2n ** 256n, 'a point whose x + p fits 256 bits');
  fc.assert(
    fc.property(
      fc.array(pointEntryArb, { maxLength: 3 }),
      fc.constantFrom(0, 0, 0, 0, 1, 33, 64),
      fc.oneof(fc.boolean(), fc.constantFrom<unknown>(undefined, 1, 'yes', null)),
      (entries, extra, fixedBase) => {
        const bytes = concat([...entries.map((e) => e.bytes), new Uint8Array(extra).fill(4)]);
        let expected: Expected = OK;
        if (bytes.length % 65 !== 0) expected = fail(KEY);
        else {
          const bad = entries.findIndex((e) => !validSec1(e.bytes));
          if (bad >= 0) expected = fail(KEY, `verifier ${bad}`);
        }
        const outcome = attempt(() => call('createVerifiers', [bytes, fixedBase]));
        seen.see(outcome);
        expectOutcome(outcome, expected, 'createVerifiers');
        if (!outcome.ok) return;
        assertSaneBytes(outcome.value);
        if (entries.length === 0) return;
        // Each point verifies the signatures of its scalar, and not another's.
        const { table } = outcome.value as { table: object };
        const message = Uint8Array.of(9, 8, 7);
        const sig = concat(
          entries.map((e) =>
            nodeSign('sha256', message, { key: privateKeyFromScalar(e.d as bigint), dsaEncoding: 'ieee-p1363' }),
          ),
        );
        const n = entries.length;
        const results = new Uint8Array(n);
        const run = (keys: Uint32Array) =>
          native.verify(
            table,
            keys,
            message,
            new Uint32Array(n),
            new Uint32Array(n).fill(3),
            sig,
            Uint32Array.from(entries, (_, i) => 64 * i),
            results,
          );
        run(Uint32Array.from(entries, (_, i) => i));
        assert.equal([...results], new Array(n).fill(1), 'each point verifies its own signature');
        if (n > 1) {
          run(Uint32Array.from(entries, (_, i) => (i + 1) % n));
          entries.forEach((e, i) => {
            const other = entries[(i + 1) % n];
            if (other && hex(other.bytes) !== hex(e.bytes)) assert.is(results[i], 0, `point ${i} with another's key`);
          });
        }
      },
    ),
    { ...RUNS, numRuns: 300 },
  );
  seen.saw('ok', KEY);
});

// ---------------------------------------------------------------- the Z progression

test('createZProgression: wrong lengths, points off the curve or not below p are GBF_NATIVE_KEY', () => {
  if (SKIP) return;
  const native = binding();
  const t = setup();
  const seen = tally();
  const corruption = fc.record({
    at: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 3071 }), fc.constantFrom(0, 1023, 1024, 2047, 3071)),
    kind: fc.constantFrom('y + 1', 'x = p', 'y = p', 'zero', 'ff', 'negated', 'swap'),
  });
  fc.assert(
    fc.property(
      fc.constantFrom(64, 64, 64, 64, 0, 63, 65, 128),
      fc.constantFrom(LEVELS_BYTES, LEVELS_BYTES, LEVELS_BYTES, LEVELS_BYTES, 0, LEVELS_BYTES - 1, LEVELS_BYTES + 64),
      fc.array(corruption, { maxLength: 2 }),
      (baseLength, levelsLength, corruptions) => {
        const base = new Uint8Array(baseLength);
        base.set(t.base.subarray(0, Math.min(64, baseLength)));
        const levels = new Uint8Array(levelsLength);
        levels.set(t.levels.subarray(0, Math.min(LEVELS_BYTES, levelsLength)));
        const points = new Map<number, Uint8Array>();
        for (const { at, kind } of corruptions) {
          const [buffer, offset] = at < 0 ? [base, 0] : [levels, 64 * at];
          if (!inside(offset, 64, buffer.length)) continue;
          const x = readBig256(buffer, offset);
          const y = readBig256(buffer, offset + 32);
          const set = (nx: bigint, ny: bigint) => {
            writeBig256(buffer, offset, nx);
            writeBig256(buffer, offset + 32, ny);
          };
          if (kind === 'y + 1') set(x, (y + 1n) % P);
          else if (kind === 'x = p') set(P, y);
          else if (kind === 'y = p') set(x, P);
          else if (kind === 'zero') set(0n, 0n);
          else if (kind === 'ff') set(2n ** 256n - 1n, 2n ** 256n - 1n);
          else if (kind === 'negated') set(x, P - y);
          else set(y, x);
          points.set(at, buffer.subarray(offset, offset + 64));
        }
        let expected: Expected = OK;
        const onCurve = (b: Uint8Array) => isOnCurve({ x: readBig256(b, 0), y: readBig256(b, 32) });
        if (baseLength !== 64 || levelsLength !== LEVELS_BYTES) expected = fail(KEY);
        else if (points.has(-1) && !onCurve(points.get(-1) as Uint8Array)) expected = fail(KEY);
        else {
          const bad = [...points].filter(([at, b]) => at >= 0 && !onCurve(b)).map(([at]) => at);
          if (bad.length > 0) {
            const first = Math.min(...bad);
            expected = fail(KEY, `table ${Math.floor(first / 1024)} entry ${first % 1024} is not a point on P-256`);
          }
        }
        const outcome = attempt(() => native.createZProgression(base, levels));
        seen.see(outcome);
        if (!expected.ok && expected.entry) {
          // The message is the whole sentence here: check it exactly.
          assert.not.ok(outcome.ok, `expected ${expected.entry}`);
          if (!outcome.ok) assert.is(outcome.message, expected.entry);
        } else expectOutcome(outcome, expected, 'createZProgression');
        if (!outcome.ok) return;
        // Device 0 is x(base).
        const out = new Uint8Array(32);
        native.deriveZ((outcome.value as { table: object }).table, Uint32Array.of(0), out, Uint32Array.of(0));
        assert.is(hex(out), hex(base.subarray(0, 32)), 'device 0 is x(base)');
      },
    ),
    { ...RUNS, numRuns: 300 },
  );
  seen.saw('ok', KEY);
});

const deviceArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 2 ** 30 - 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 5000 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 ** 20 - 1 }).map((block) => block * 1024) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 30, 2 ** 30 + 1, 2 ** 31, 2 ** 32 - 1) },
);

test('deriveZ on hostile batches: the model’s outcome, MacSecretDerivation’s bytes, nothing written on failure', () => {
  if (SKIP) return;
  const native = binding();
  const t = setup();
  const seen = tally();
  const caseArb = fc
    .record({
      outLength: fc.oneof(fc.constantFrom(0, 31, 32, 64), fc.integer({ min: 0, max: 200 })),
      n: fc.integer({ min: 0, max: 6 }),
      skew: skewArb,
      which: fc.constantFrom('progression', 'progression', 'progression', 'progression', 'signers', 'fixed'),
    })
    .chain((s) =>
      fc.record({
        s: fc.constant(s),
        devices: fc.array(deviceArb, { minLength: s.n, maxLength: s.n }),
        outAt: fc.array(offsetArb(s.outLength, 32), { minLength: s.n, maxLength: s.n }),
      }),
    );
  fc.assert(
    fc.property(caseArb, ({ s, devices, outAt: outAtList }) => {
      const table = s.which === 'progression' ? t.progression : s.which === 'signers' ? t.signers : t.fixed;
      const out = guarded(s.outLength);
      const outAt = skewed(outAtList, s.skew);
      const n = devices.length;
      let expected: Expected = OK;
      if (s.which !== 'progression') expected = fail(ARGUMENT);
      else if (outAt.length !== n) expected = fail(ARGUMENT);
      else {
        for (let i = 0; i < n && expected.ok; i++) {
          if ((devices[i] as number) >= 2 ** 30) expected = fail(ARGUMENT, `device ${i}`);
          else if (!inside(outAt[i] as number, 32, out.view.length)) expected = fail(BOUNDS, `device ${i}`);
        }
      }
      const outcome = attempt(() => native.deriveZ(table, Uint32Array.from(devices), out.view, outAt));
      seen.see(outcome);
      expectOutcome(outcome, expected, `deriveZ with a ${s.which} table`);
      if (!outcome.ok) {
        assert.ok(untouched(out), 'a failed deriveZ wrote bytes');
        return;
      }
      const xs = t.derivation.derive(devices);
      devices.forEach((device, i) => {
        if (!lastWriter(outAtList, 32, i)) return;
        const at = outAt[i] as number;
        assert.is(hex(out.view.subarray(at, at + 32)), xs[i]?.toString(16).padStart(64, '0'), `device ${device}`);
      });
      assert.ok(onlyRegionsWritten(out, outAtList, 32), 'deriveZ wrote outside its Zs');
    }),
    RUNS,
  );
  seen.saw('ok', ARGUMENT, BOUNDS);
});

test('deriveZ with degenerate tables (doublings, sums at infinity): the bigint model’s answer, or KEY and nothing written', () => {
  if (SKIP) return;
  const native = binding();
  const t = setup();
  const seen = tally();
  const q = pointFromSec1(SEC1[0] as Uint8Array);
  const pool: AffinePoint[] = [
    G,
    { x: G.x, y: P - G.y },
    scalarMultiply(2n, G) as AffinePoint,
    q,
    { x: q.x, y: P - q.y },
  ];
  const pick = fc.integer({ min: 0, max: pool.length - 1 });
  // Devices l·2^20 + k·2^10 + j with j, k, l in {0, 1, 2, other}: each reaches an overridden entry.
  const digit = fc.oneof(fc.constantFrom(0, 1, 2), fc.integer({ min: 3, max: 1023 }));
  const device = fc.tuple(digit, digit, digit).map(([l, k, j]) => l * 2 ** 20 + k * 2 ** 10 + j);
  fc.assert(
    fc.property(
      pick,
      fc.array(fc.option(pick, { nil: undefined }), { minLength: 6, maxLength: 6 }),
      fc.array(device, { minLength: 1, maxLength: 6 }),
      (baseAt, overrides, devices) => {
        const levels = t.levels.slice();
        const tableOf = (n: number, m: number): AffinePoint => ({
          x: readBig256(levels, (n * 1024 + m) * 64),
          y: readBig256(levels, (n * 1024 + m) * 64 + 32),
        });
        overrides.forEach((o, k) => {
          if (o === undefined) return;
          const p = pool[o] as AffinePoint;
          const at = (Math.floor(k / 2) * 1024 + (k % 2)) * 64; // entries 0 and 1 of each level
          writeBig256(levels, at, p.x);
          writeBig256(levels, at + 32, p.y);
        });
        const base = pool[baseAt] as AffinePoint;
        const baseBytes = new Uint8Array(64);
        writeBig256(baseBytes, 0, base.x);
        writeBig256(baseBytes, 32, base.y);
        const progression = native.createZProgression(baseBytes, levels).table;
        // The model: start(l) = A + L2[l − 1], start(l, k) = start(l) + L1[k − 1], Z = x(start(l, k) + L0[j − 1]).
        const zOf = (d: number): bigint | null => {
          const [l, k, j] = [d >>> 20, (d >>> 10) & 1023, d & 1023];
          let p: AffinePoint | null = base;
          if (l > 0) p = addPoints(p, tableOf(2, l - 1));
          if (p && k > 0) p = addPoints(p, tableOf(1, k - 1));
          if (p && j > 0) p = addPoints(p, tableOf(0, j - 1));
          return p ? p.x : null;
        };
        const xs = devices.map(zOf);
        const out = guarded(32 * devices.length);
        const outAt = Uint32Array.from(devices, (_, i) => 32 * i);
        const outcome = attempt(() => native.deriveZ(progression, Uint32Array.from(devices), out.view, outAt));
        seen.see(outcome);
        if (xs.some((x) => x === null)) {
          expectOutcome(outcome, fail(KEY), `deriveZ of ${devices} reaching infinity`);
          assert.ok(untouched(out), `a failed deriveZ of ${devices} wrote bytes`);
          return;
        }
        expectOutcome(outcome, OK, `deriveZ of ${devices}`);
        xs.forEach((x, i) => {
          assert.is(
            hex(out.view.subarray(32 * i, 32 * i + 32)),
            (x as bigint).toString(16).padStart(64, '0'),
            `device ${devices[i]}`,
          );
        });
      },
    ),
    { ...RUNS, numRuns: 400 },
  );
  seen.saw('ok', KEY);
  // The plainest case: device 0 is x(A), device 1 is A + (−A). The call fails, and device 0's Z,
  // which needs no addition, is not written either.
  const levels = t.levels.slice();
  writeBig256(levels, 0, G.x);
  writeBig256(levels, 32, P - G.y);
  const base = new Uint8Array(64);
  writeBig256(base, 0, G.x);
  writeBig256(base, 32, G.y);
  const progression = native.createZProgression(base, levels).table;
  const out = guarded(64);
  const outcome = attempt(() => native.deriveZ(progression, Uint32Array.of(0, 1), out.view, Uint32Array.of(0, 32)));
  expectOutcome(outcome, fail(KEY), 'deriveZ of A and A + (−A)');
  assert.ok(untouched(out), 'a failed deriveZ wrote the Z of device 0');
});

// ---------------------------------------------------------------- argument types

test('wrong argument types, missing arguments and foreign tables are GBF_NATIVE_ARGUMENT, and write nothing', () => {
  if (SKIP) return;
  const t = setup();
  type Slot = 'bytes' | 'indexes' | 'table';
  interface Shape {
    name: keyof NativeKernelBinding;
    slots: Slot[];
    args: () => unknown[];
    outputs: (args: unknown[]) => Uint8Array[];
  }
  const apdu = new Uint8Array(40);
  plantHeader(apdu, 0);
  const one = () => Uint32Array.of(0);
  const shapes: Shape[] = [
    { name: 'createSigners', slots: ['bytes'], args: () => [scalarBytes(5n)], outputs: () => [] },
    { name: 'createVerifiers', slots: ['bytes'], args: () => [SEC1[0], false], outputs: () => [] },
    {
      name: 'sign',
      slots: ['table', 'indexes', 'bytes', 'indexes', 'indexes', 'bytes', 'indexes'],
      args: () => [
        t.signers,
        one(),
        new Uint8Array(4),
        one(),
        Uint32Array.of(4),
        new Uint8Array(64).fill(SENTINEL),
        one(),
      ],
      outputs: (a) => [a[5] as Uint8Array],
    },
    {
      name: 'verify',
      slots: ['table', 'indexes', 'bytes', 'indexes', 'indexes', 'bytes', 'indexes', 'bytes'],
      args: () => [
        t.fixed,
        one(),
        new Uint8Array(4),
        one(),
        Uint32Array.of(4),
        new Uint8Array(64),
        one(),
        Uint8Array.of(SENTINEL),
      ],
      outputs: (a) => [a[7] as Uint8Array],
    },
    {
      name: 'writeMacs',
      slots: ['bytes', 'indexes', 'indexes', 'bytes', 'indexes', 'bytes', 'indexes'],
      args: () => [
        apdu,
        one(),
        Uint32Array.of(40),
        new Uint8Array(32),
        one(),
        new Uint8Array(12).fill(SENTINEL),
        one(),
      ],
      outputs: (a) => [a[5] as Uint8Array],
    },
    {
      name: 'checkMacs',
      slots: ['bytes', 'indexes', 'indexes', 'bytes', 'indexes', 'bytes', 'indexes', 'bytes'],
      args: () => [
        apdu,
        one(),
        Uint32Array.of(40),
        new Uint8Array(32),
        one(),
        new Uint8Array(12),
        one(),
        Uint8Array.of(SENTINEL),
      ],
      outputs: (a) => [a[7] as Uint8Array],
    },
    {
      name: 'macKeys',
      slots: ['bytes', 'indexes', 'bytes', 'indexes', 'bytes'],
      args: () => [apdu, one(), new Uint8Array(32), one(), new Uint8Array(16).fill(SENTINEL)],
      outputs: (a) => [a[4] as Uint8Array],
    },
    { name: 'createZProgression', slots: ['bytes', 'bytes'], args: () => [t.base, t.levels], outputs: () => [] },
    {
      name: 'deriveZ',
      slots: ['table', 'indexes', 'bytes', 'indexes'],
      args: () => [t.progression, one(), new Uint8Array(32).fill(SENTINEL), one()],
      outputs: (a) => [a[2] as Uint8Array],
    },
  ];
  /** A Uint8Array whose buffer was transferred away: it reads as empty. */
  const detached = () => {
    const view = new Uint8Array(40);
    structuredClone(view.buffer, { transfer: [view.buffer] });
    return view;
  };
  const wrong: Record<Slot, unknown[]> = {
    bytes: [
      new Uint16Array(4),
      new Int8Array(4),
      new Uint8ClampedArray(4),
      new Uint32Array(4),
      new Float64Array(1),
      new DataView(new ArrayBuffer(8)),
      new ArrayBuffer(8),
      [0, 1, 2],
      4,
      null,
      undefined,
      'abc',
      {},
      1n,
    ],
    indexes: [
      new Uint16Array(1),
      new Int32Array(1),
      new Uint8Array(4),
      new Float32Array(1),
      new BigUint64Array(1),
      [0],
      0,
      null,
      undefined,
      '0',
      { length: 1, 0: 0 },
    ],
    table: [null, undefined, {}, 0, 'table', [], new Uint8Array(8), () => 0],
  };
  // Tables of another kind, and the { table, bytes } wrapper instead of its table.
  const foreign: Record<string, unknown[]> = {
    sign: [t.verifiers, t.fixed, t.progression, { table: t.signers, bytes: 0 }],
    verify: [t.signers, t.progression, { table: t.fixed, bytes: 0 }],
    deriveZ: [t.signers, t.verifiers, { table: t.progression, bytes: 0 }],
  };
  // Each shape's own arguments succeed: what follows changes one thing at a time.
  for (const shape of shapes) {
    const outcome = attempt(() => call(shape.name, shape.args()));
    assert.ok(outcome.ok, `${shape.name} with good arguments: ${outcome.ok ? '' : outcome.message}`);
  }
  let cases = 0;
  const expectArgument = (shape: Shape, args: unknown[], what: string) => {
    const outputs = shape.outputs(args).filter((o) => o instanceof Uint8Array);
    const before = outputs.map((o) => hex(o));
    const outcome = attempt(() => call(shape.name, args));
    expectOutcome(outcome, fail(ARGUMENT), `${shape.name}: ${what}`);
    outputs.forEach((o, k) => {
      assert.is(hex(o), before[k], `${shape.name}: ${what} wrote output ${k}`);
    });
    cases++;
  };
  for (const shape of shapes) {
    shape.slots.forEach((slot, position) => {
      for (const value of [...wrong[slot], ...(slot === 'table' ? (foreign[shape.name] ?? []) : [])]) {
        const args = shape.args();
        args[position] = value;
        expectArgument(shape, args, `argument ${position} = ${Object.prototype.toString.call(value)}`);
      }
    });
    for (let length = 0; length < shape.slots.length; length++) {
      expectArgument(shape, shape.args().slice(0, length), `only ${length} arguments`);
    }
  }
  assert.ok(cases > 300, `only ${cases} cases`);
  // A detached buffer is an empty Uint8Array: a batch of one does not fit it.
  const bounds = attempt(() =>
    call('writeMacs', [detached(), one(), Uint32Array.of(40), new Uint8Array(32), one(), new Uint8Array(12), one()]),
  );
  expectOutcome(bounds, fail(BOUNDS, 'MAC 0'), 'writeMacs on a detached buffer');
  const empty = attempt(() => call('deriveZ', [t.progression, new Uint32Array(0), detached(), new Uint32Array(0)]));
  expectOutcome(empty, OK, 'an empty batch into a detached buffer');
});

// ---------------------------------------------------------------- OpenSSL's error queue

/** Messages of Node crypto errors that take their text from OpenSSL's error queue. */
function nodeCryptoErrors(): string[] {
  const messages: string[] = [];
  const tries = [
    () => createPublicKey({ key: Buffer.from('30030201', 'hex'), format: 'der', type: 'spki' }),
    () => createPublicKey({ key: Buffer.from('3003020100', 'hex'), format: 'der', type: 'spki' }),
  ];
  for (const f of tries) {
    try {
      f();
      messages.push('no error');
    } catch (error) {
      messages.push((error as Error).message);
    }
  }
  return messages;
}

test("the kernel leaves OpenSSL's error queue as it found it: Node's own crypto errors are unchanged", () => {
  if (SKIP) return;
  const native = binding();
  const t = setup();
  const expected = nodeCryptoErrors();
  // Calls in which OpenSSL itself refuses something: out-of-range signatures on the generic path
  // (ECDSA_do_verify), and points OpenSSL cannot parse.
  const sig = new Uint8Array(64).fill(0xff);
  for (const table of [t.verifiers, t.fixed]) {
    native.verify(
      table,
      Uint32Array.of(0),
      new Uint8Array(1),
      Uint32Array.of(0),
      Uint32Array.of(1),
      sig,
      Uint32Array.of(0),
      new Uint8Array(1),
    );
  }
  const offCurve = (SEC1[0] as Uint8Array).slice();
  offCurve[64] = (offCurve[64] as number) ^ 1;
  assert.not.ok(attempt(() => native.createVerifiers(offCurve, false)).ok);
  const xIsP = pointBytes({ x: P, y: 1n });
  assert.not.ok(attempt(() => native.createVerifiers(xIsP, true)).ok);
  assert.equal(nodeCryptoErrors(), expected, 'a Node crypto error carries a message the native kernel left behind');
});

test.run();
