/**
 * The two crypto kernels give the same answers (docs/native-crypto.md). On DCC's RTDS reference
 * messages: every MAC checks and is rewritten byte for byte, every signature verifies, and a
 * changed bit fails, in both. On random frames: the MACs are byte-identical, and a signature
 * made by either kernel verifies in the other and in node:crypto. The native Z progression gives
 * the bytes of MacSecretDerivation (and of Node's ECDH) across its three levels.
 *
 * The native addon is built by the install, and CI checks that it was: a missing addon fails
 * these tests. GBFLEET_CRYPTO=js skips the native half, and says so.
 */
import { diffieHellman, verify as nodeVerify } from 'node:crypto';
import { loadNativeKernel, type NativeKernelBinding } from '@gbfleet/gbcs-native';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type AffinePoint,
  buildFrame,
  CRYPTO_ENV,
  type Cra,
  type CryptoKernel,
  chooseCryptoKernel,
  computeApduMac,
  decodeFrame,
  deviceKaScalar,
  encodeApdu,
  type FrameFields,
  kaProgression,
  MacSecretDerivation,
  multiplesTable,
  N,
  pointFromSec1,
  privateKeyFromScalar,
  publicKeyFromSec1,
  publicSec1FromScalar,
  scalarFromSeed,
  sec1FromKey,
  writeBig256,
} from '../src/index.ts';
import { ACB_EUI, rtdsKeystore, rtdsMessages } from './helpers/rtds.ts';

const HAN_ONLY = /^NA_PCS/;
const RUNS = { numRuns: 120, seed: 0x6b65726e };
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const SKIP_NATIVE = process.env[CRYPTO_ENV] === 'js';
if (SKIP_NATIVE) {
  console.log(`crypto-kernel.test.ts: ${CRYPTO_ENV}=js, so the native half is skipped: only the JS kernel is checked`);
}

/** The JS kernel, and the native one unless GBFLEET_CRYPTO=js. A missing addon throws, loudly. */
function kernels(): CryptoKernel[] {
  const js = chooseCryptoKernel('js').kernel;
  if (SKIP_NATIVE) return [js];
  return [js, chooseCryptoKernel('native').kernel];
}

function binding(): NativeKernelBinding {
  const load = loadNativeKernel();
  if (!load.ok) throw new Error(`${load.reason}: build it with \`pnpm --filter @gbfleet/gbcs-native build:addon\``);
  return load.binding;
}

/** Where `sub` starts inside `bytes` (decodeFrame's fields are views on its input). */
const offsetIn = (bytes: Uint8Array, sub: Uint8Array) => sub.byteOffset - bytes.byteOffset;

/** Many frames laid out in one buffer, each after a few bytes of padding, as a pool batch is. */
function pack(frames: readonly Uint8Array[]): { data: Uint8Array; at: number[] } {
  const at: number[] = [];
  let size = 0;
  for (const [i, f] of frames.entries()) {
    size += 1 + (i % 5);
    at.push(size);
    size += f.length;
  }
  const data = new Uint8Array(size + 3).fill(0x5a);
  frames.forEach((f, i) => {
    data.set(f, at[i] as number);
  });
  return { data, at };
}

// ---------------------------------------------------------------- RTDS MACs

interface MacFixture {
  name: string;
  cra: Cra;
  bytes: Uint8Array;
  apduStart: number;
  apduEnd: number;
  macAt: number;
  z: Uint8Array;
}

/** Every MAC-wrapped reference message whose Z the keystore knows, found as frames-conformance does. */
function macFixtures(): MacFixture[] {
  const keystore = rtdsKeystore();
  const out: MacFixture[] = [];
  let wrapped = 0;
  for (const m of rtdsMessages()) {
    const r = decodeFrame(m.bytes);
    if (!r.ok || !r.frame.macWrapped || HAN_ONLY.test(m.folder)) continue;
    wrapped++;
    const f = r.frame;
    // Commands: ACB KA ↔ device KA; responses and alerts: device KA ↔ recipient KA.
    const z =
      f.cra === 1
        ? keystore.sharedSecret(ACB_EUI, 'ka', f.recipient, 'ka')
        : keystore.sharedSecret(f.recipient, 'ka', f.originator, 'ka');
    if (!z) continue;
    const apduStart = offsetIn(m.bytes, f.apdu);
    out.push({
      name: `${m.folder}/${m.name}`,
      cra: f.cra,
      bytes: m.bytes,
      apduStart,
      apduEnd: apduStart + f.apdu.length,
      macAt: offsetIn(m.bytes, f.mac as Uint8Array),
      z,
    });
  }
  // 396 here: 246 commands, 144 responses, 6 alerts, every one with its Z.
  assert.ok(out.length >= 390, `only ${out.length} MAC-wrapped reference messages with a known Z`);
  assert.is(out.length, wrapped, 'MAC-wrapped reference messages whose Z the keystore lacks');
  const byCra = [1, 2, 3].map((cra) => out.filter((x) => x.cra === cra).length);
  assert.ok(byCra[0] >= 240 && byCra[1] >= 140 && byCra[2] >= 6, `commands, responses, alerts: ${byCra}`);
  return out;
}

interface MacBatch {
  data: Uint8Array;
  apduStart: Uint32Array;
  apduEnd: Uint32Array;
  z: Uint8Array;
  zAt: Uint32Array;
  macAt: Uint32Array;
}

/** The fixtures as one batch: frames packed in one buffer, Zs in another, in reverse order. */
function macBatch(fixtures: readonly MacFixture[]): MacBatch {
  const { data, at } = pack(fixtures.map((x) => x.bytes));
  const n = fixtures.length;
  const z = new Uint8Array(32 * n + 7);
  const zAt = new Uint32Array(n);
  fixtures.forEach((x, i) => {
    zAt[i] = 7 + 32 * (n - 1 - i);
    z.set(x.z, zAt[i] as number);
  });
  return {
    data,
    apduStart: Uint32Array.from(fixtures, (x, i) => (at[i] as number) + x.apduStart),
    apduEnd: Uint32Array.from(fixtures, (x, i) => (at[i] as number) + x.apduEnd),
    z,
    zAt,
    macAt: Uint32Array.from(fixtures, (x, i) => (at[i] as number) + x.macAt),
  };
}

test('every reference MAC checks in both kernels, and each writes exactly the reference bytes', () => {
  const fixtures = macFixtures();
  const b = macBatch(fixtures);
  for (const kernel of kernels()) {
    const results = new Uint8Array(fixtures.length).fill(7);
    kernel.checkMacs(b.data, b.apduStart, b.apduEnd, b.z, b.zAt, b.data, b.macAt, results);
    fixtures.forEach((x, i) => {
      assert.is(results[i], 1, `${kernel.name}: ${x.name}`);
    });

    // Written into a buffer of their own at spaced offsets: the 12 bytes, and nothing between.
    const out = new Uint8Array(16 * fixtures.length).fill(0xa5);
    const outAt = Uint32Array.from(fixtures, (_, i) => 16 * i + 2);
    kernel.writeMacs(b.data, b.apduStart, b.apduEnd, b.z, b.zAt, out, outAt);
    fixtures.forEach((x, i) => {
      const written = out.subarray(16 * i, 16 * i + 16);
      assert.is(
        hex(written.subarray(2, 14)),
        hex(x.bytes.subarray(x.macAt, x.macAt + 12)),
        `${kernel.name}: ${x.name}`,
      );
      assert.ok(
        [0, 1, 14, 15].every((k) => written[k] === 0xa5),
        `${kernel.name}: ${x.name} wrote outside its MAC`,
      );
    });
  }
});

test('a flipped bit in the APDU, the MAC or Z fails the MAC check in both kernels', () => {
  const fixtures = macFixtures();
  const b = macBatch(fixtures);
  // One bit of each APDU, never in the four bytes that make the header's shape (DF 09 … 08 … 08).
  const shape = new Set([0, 1, 11, 20]);
  const apduFlipped = b.data.slice();
  const macFlipped = b.data.slice();
  const zFlipped = b.z.slice();
  fixtures.forEach((x, i) => {
    const length = x.apduEnd - x.apduStart;
    let k = (i * 7919 + 3) % length;
    while (shape.has(k)) k = (k + 1) % length;
    const at = (b.apduStart[i] as number) + k;
    apduFlipped[at] = (apduFlipped[at] as number) ^ (1 << (i % 8));
    const m = (b.macAt[i] as number) + (i % 12);
    macFlipped[m] = (macFlipped[m] as number) ^ (0x80 >> (i % 8));
    const zz = (b.zAt[i] as number) + (i % 32);
    zFlipped[zz] = (zFlipped[zz] as number) ^ 1;
  });
  for (const kernel of kernels()) {
    for (const [what, data, z] of [
      ['APDU', apduFlipped, b.z],
      ['MAC', macFlipped, b.z],
      ['Z', b.data, zFlipped],
    ] as const) {
      const results = new Uint8Array(fixtures.length).fill(7);
      kernel.checkMacs(data, b.apduStart, b.apduEnd, z, b.zAt, data, b.macAt, results);
      fixtures.forEach((x, i) => {
        assert.is(results[i], 0, `${kernel.name}: ${x.name} with a flipped bit in its ${what}`);
      });
    }
  }
});

// ---------------------------------------------------------------- RTDS signatures

interface SignedFixture {
  name: string;
  bytes: Uint8Array;
  start: number;
  end: number;
  sigAt: number;
  key: number;
}

/** Every signed reference message with its originator's DS key; `points`: the distinct keys. */
function signedFixtures(): { fixtures: SignedFixture[]; points: Uint8Array[] } {
  const keystore = rtdsKeystore();
  const fixtures: SignedFixture[] = [];
  const points: Uint8Array[] = [];
  const keyIndex = new Map<bigint, number>();
  let signed = 0;
  for (const m of rtdsMessages()) {
    if (HAN_ONLY.test(m.folder)) continue;
    const r = decodeFrame(m.bytes);
    if (!r.ok || !r.frame.signature) continue;
    signed++;
    const f = r.frame;
    const ds = keystore.publicKey(f.originator, 'ds');
    if (!ds) continue;
    let key = keyIndex.get(f.originator);
    if (key === undefined) {
      key = points.length;
      keyIndex.set(f.originator, key);
      points.push(sec1FromKey(ds));
    }
    const start = offsetIn(m.bytes, f.signedRegion);
    fixtures.push({
      name: `${m.folder}/${m.name}`,
      bytes: m.bytes,
      start,
      end: start + f.signedRegion.length,
      sigAt: offsetIn(m.bytes, f.signature as Uint8Array),
      key,
    });
  }
  // 255 here (frame-signature.test.ts), from a handful of originators.
  assert.ok(fixtures.length >= 250, `only ${fixtures.length} signed reference messages with a DS key`);
  assert.is(fixtures.length, signed, 'signed reference messages whose originator has no DS key');
  assert.ok(points.length >= 2, `only ${points.length} originators`);
  return { fixtures, points };
}

function writeScalarAt(out: Uint8Array, at: number, v: bigint): void {
  const bytes = new Uint8Array(32);
  writeBig256(bytes, 0, v);
  out.set(bytes, at);
}

function readScalarAt(bytes: Uint8Array, at: number): bigint {
  return BigInt(`0x${hex(bytes.subarray(at, at + 32))}`);
}

test('every reference signature verifies in both kernels (both native paths), and fails with a changed byte', () => {
  const { fixtures, points } = signedFixtures();
  const { data, at } = pack(fixtures.map((x) => x.bytes));
  const key = Uint32Array.from(fixtures, (x) => x.key);
  const start = Uint32Array.from(fixtures, (x, i) => (at[i] as number) + x.start);
  const end = Uint32Array.from(fixtures, (x, i) => (at[i] as number) + x.end);
  const sigAt = Uint32Array.from(fixtures, (x, i) => (at[i] as number) + x.sigAt);
  // One byte of each signed region changed, somewhere along it.
  const changed = data.slice();
  fixtures.forEach((x, i) => {
    const k = (start[i] as number) + ((i * 131 + 17) % (x.end - x.start));
    changed[k] = (changed[k] as number) ^ (1 + (i % 255));
  });
  // Each signature's twin n − s verifies too (FIPS 186-4); s = n and r = 0 do not.
  const twins = data.slice();
  const sIsN = data.slice();
  const rIsZero = data.slice();
  for (const s of sigAt) {
    writeScalarAt(twins, s + 32, N - readScalarAt(data, s + 32));
    writeScalarAt(sIsN, s + 32, N);
    rIsZero.fill(0, s, s + 32);
  }
  const tables = kernels().flatMap((kernel) =>
    kernel.name === 'native'
      ? [
          { name: 'native, fixed-base tables', kernel, keys: kernel.verifiers(points, { fixedBase: true }) },
          { name: 'native, points only', kernel, keys: kernel.verifiers(points, { fixedBase: false }) },
        ]
      : [{ name: kernel.name, kernel, keys: kernel.verifiers(points) }],
  );
  for (const { name, kernel, keys } of tables) {
    for (const [what, bytes, expected] of [
      ['as signed', data, 1],
      ['a byte of the signed region changed', changed, 0],
      ['s → n − s', twins, 1],
      ['s = n', sIsN, 0],
      ['r = 0', rIsZero, 0],
    ] as const) {
      const results = new Uint8Array(fixtures.length).fill(7);
      kernel.verify(keys, key, bytes, start, end, bytes, sigAt, results);
      fixtures.forEach((x, i) => {
        assert.is(results[i], expected, `${name}: ${x.name}, ${what}`);
      });
    }
  }
});

// ---------------------------------------------------------------- random frames

const eui = fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn });
const fieldsArb: fc.Arbitrary<FrameFields> = fc.record({
  cra: fc.constantFrom<Cra>(1, 2, 3),
  originatorCounter: eui,
  originator: eui,
  recipient: eui,
  dateTime: fc.option(fc.uint8Array({ minLength: 12, maxLength: 12 }), { nil: null }),
  messageCode: fc.integer({ min: 0, max: 0xffff }),
  supplementaryRemoteParty: fc.option(fc.record({ eui, counter: eui }), { nil: null }),
  extraOtherInformation: fc.uint8Array({ maxLength: 40 }),
  payload: fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 200, maxLength: 3000 })),
});
const zArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const signatureSlot = fc.oneof(
  fc.constant<'empty'>('empty'),
  fc.constant<'absent'>('absent'),
  fc.uint8Array({ minLength: 64, maxLength: 64 }),
);

test('random APDUs: the MACs of both kernels are byte-identical, and equal to the frame code', () => {
  const all = kernels();
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fieldsArb, signatureSlot, zArb), { minLength: 1, maxLength: 8 }),
      fc.nat(9),
      (entries, gap) => {
        const apdus = entries.map(([fields, slot]) => encodeApdu(fields, slot));
        const { data, at } = pack(apdus.map((a) => Uint8Array.from([...new Uint8Array(gap), ...a])));
        const n = entries.length;
        const apduStart = Uint32Array.from(at, (a) => a + gap);
        const apduEnd = Uint32Array.from(apdus, (a, i) => (apduStart[i] as number) + a.length);
        const z = new Uint8Array(32 * n);
        entries.forEach(([, , zi], i) => {
          z.set(zi, 32 * (n - 1 - i));
        });
        const zAt = Uint32Array.from(entries, (_, i) => 32 * (n - 1 - i));
        const macAt = Uint32Array.from(entries, (_, i) => 13 * i + (gap % 2));
        const expected = entries.map(([fields, , zi], i) => hex(computeApduMac(apdus[i] as Uint8Array, zi, fields)));
        for (const kernel of all) {
          const mac = new Uint8Array(13 * n + 1).fill(0xa5);
          kernel.writeMacs(data, apduStart, apduEnd, z, zAt, mac, macAt);
          entries.forEach((_, i) => {
            const m = macAt[i] as number;
            assert.is(hex(mac.subarray(m, m + 12)), expected[i], `${kernel.name}: MAC ${i}`);
          });
          const results = new Uint8Array(n).fill(7);
          kernel.checkMacs(data, apduStart, apduEnd, z, zAt, mac, macAt, results);
          assert.ok(
            results.every((r) => r === 1),
            `${kernel.name}: its own MACs check`,
          );
        }
      },
    ),
    RUNS,
  );
});

test('random frames from buildFrame: both kernels check the MAC buildFrame wrote', () => {
  const all = kernels();
  fc.assert(
    fc.property(fieldsArb, zArb, (fields, z) => {
      const frame = buildFrame(fields, { macSecret: z });
      const r = decodeFrame(frame);
      assert.ok(r.ok, 'buildFrame decodes');
      if (!r.ok) return;
      const apduStart = offsetIn(frame, r.frame.apdu);
      const macAt = offsetIn(frame, r.frame.mac as Uint8Array);
      const one = (v: number) => Uint32Array.of(v);
      for (const kernel of all) {
        const results = Uint8Array.of(7);
        kernel.checkMacs(
          frame,
          one(apduStart),
          one(apduStart + r.frame.apdu.length),
          z,
          one(0),
          frame,
          one(macAt),
          results,
        );
        assert.is(results[0], 1, `${kernel.name}: checks buildFrame's MAC`);
        const out = new Uint8Array(12);
        kernel.writeMacs(frame, one(apduStart), one(apduStart + r.frame.apdu.length), z, one(0), out, one(0));
        assert.is(hex(out), hex(frame.subarray(macAt, macAt + 12)), `${kernel.name}: writes buildFrame's MAC`);
      }
    }),
    RUNS,
  );
});

const scalarArb = fc.oneof(fc.bigInt({ min: 1n, max: N - 1n }), fc.constantFrom(1n, 2n, N - 1n, N - 2n, (N - 1n) / 2n));

test('random signatures: the native kernel’s verify in JS and node:crypto, the JS kernel’s verify natively', () => {
  const all = kernels();
  const native = all.find((k) => k.name === 'native');
  const js = all[0] as CryptoKernel;
  fc.assert(
    fc.property(
      fc.uniqueArray(scalarArb, { minLength: 1, maxLength: 4 }),
      fc.array(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 300 })), { minLength: 1, maxLength: 6 }),
      (scalars, messages) => {
        const points = scalars.map((d) => publicSec1FromScalar(d));
        const nodeKeys = points.map((p) => publicKeyFromSec1(p));
        const { data, at } = pack(messages.map(([, m]) => m));
        const n = messages.length;
        const key = Uint32Array.from(messages, ([k]) => k % scalars.length);
        const start = Uint32Array.from(at);
        const end = Uint32Array.from(messages, ([, m], i) => (at[i] as number) + m.length);
        const sigAt = Uint32Array.from(messages, (_, i) => 3 + 70 * i);
        const verifierSets = all.flatMap((kernel) =>
          kernel.name === 'native'
            ? [kernel.verifiers(points, { fixedBase: true }), kernel.verifiers(points, { fixedBase: false })].map(
                (keys) => ({ kernel, keys }),
              )
            : [{ kernel, keys: kernel.verifiers(points) }],
        );
        for (const signer of [js, native]) {
          if (!signer) continue;
          const sig = new Uint8Array(70 * n + 3).fill(0xa5);
          signer.sign(signer.signers(scalars), key, data, start, end, sig, sigAt);
          for (let i = 0; i < n; i++) {
            const s = sig.subarray(sigAt[i] as number, (sigAt[i] as number) + 64);
            const r = readScalarAt(s, 0);
            const sv = readScalarAt(s, 32);
            assert.ok(r > 0n && r < N && sv > 0n && sv < N, `${signer.name}: r and s in [1, n − 1]`);
            const region = data.subarray(start[i] as number, end[i] as number);
            const by = {
              key: nodeKeys[key[i] as number] as ReturnType<typeof publicKeyFromSec1>,
              dsaEncoding: 'ieee-p1363' as const,
            };
            assert.ok(nodeVerify('sha256', region, by, s), `${signer.name}'s signature ${i} in node:crypto`);
          }
          assert.ok(
            sig.subarray(0, 3).every((b) => b === 0xa5),
            `${signer.name} wrote before the first signature`,
          );
          for (const { kernel, keys } of verifierSets) {
            const results = new Uint8Array(n).fill(7);
            kernel.verify(keys, key, data, start, end, sig, sigAt, results);
            assert.ok(
              results.every((r) => r === 1),
              `${signer.name}'s signatures in ${kernel.name}: ${results}`,
            );
            // With another key they fail (when there is another key).
            if (scalars.length > 1) {
              const other = Uint32Array.from(key, (k) => (k + 1) % scalars.length);
              kernel.verify(keys, other, data, start, end, sig, sigAt, results);
              assert.ok(
                results.every((r) => r === 0),
                `${signer.name}'s signatures with the wrong key in ${kernel.name}`,
              );
            }
          }
        }
      },
    ),
    { ...RUNS, numRuns: 60 },
  );
});

// ---------------------------------------------------------------- the native Z progression

const SEED = 'crypto-kernel-test';
const LEVEL = 1024;

function writePoint(out: Uint8Array, at: number, p: AffinePoint): void {
  writeBig256(out, at, p.x);
  writeBig256(out, at + 32, p.y);
}

/** The base and the three tables, as MacSecretDerivation's constructor makes them, as bytes. */
function progressionBytes(acb: AffinePoint): { base: Uint8Array; levels: Uint8Array } {
  const progression = kaProgression(SEED, acb);
  const first = progression.table;
  const second = multiplesTable(first[LEVEL - 1] as AffinePoint, LEVEL);
  const third = multiplesTable(second[LEVEL - 1] as AffinePoint, LEVEL);
  const base = new Uint8Array(64);
  writePoint(base, 0, progression.base);
  const levels = new Uint8Array(3 * LEVEL * 64);
  [first, second, third].forEach((level, n) => {
    level.forEach((p, m) => {
      writePoint(levels, (n * LEVEL + m) * 64, p);
    });
  });
  return { base, levels };
}

test('the native Z progression gives the bytes of MacSecretDerivation and of Node ECDH, across the three levels', () => {
  if (SKIP_NATIVE) return;
  const native = binding();
  const acbScalar = scalarFromSeed('t', 'acb', 0);
  const acbSec1 = publicSec1FromScalar(acbScalar);
  const acb = pointFromSec1(acbSec1);
  const { base, levels } = progressionBytes(acb);
  const derivation = new MacSecretDerivation(SEED, acb);
  // The tables built here are the ones MacSecretDerivation holds.
  const held = derivation.tables;
  assert.is(held.base.x, pointFromSec1(Uint8Array.from([4, ...base])).x);
  assert.is(held.levels[2][LEVEL - 1]?.y, pointFromSec1(Uint8Array.from([4, ...levels.subarray(-64)])).y);

  const progression = native.createZProgression(base, levels).table;
  const devices = [
    0,
    1,
    1023,
    1024,
    1025,
    2 ** 20 - 1,
    2 ** 20,
    2 ** 20 + 3,
    5 * 2 ** 20 + 7 * 2 ** 10 + 9,
    2 ** 30 - 1,
    2 ** 30 - 1024,
    3 * 2 ** 20,
    7,
    7,
    0,
  ];
  const expected = derivation.derive(devices).map((x) => x.toString(16).padStart(64, '0'));
  // In one call, written to scattered offsets in reverse order.
  const out = new Uint8Array(40 * devices.length).fill(0xa5);
  const outAt = Uint32Array.from(devices, (_, i) => 40 * (devices.length - 1 - i) + 4);
  native.deriveZ(progression, Uint32Array.from(devices), out, outAt);
  devices.forEach((device, i) => {
    const at = outAt[i] as number;
    assert.is(hex(out.subarray(at, at + 32)), expected[i], `device ${device}`);
    assert.ok(
      [...out.subarray(at - 4, at), ...out.subarray(at + 32, at + 36)].every((b) => b === 0xa5),
      `device ${device}: written outside its 32 bytes`,
    );
  });
  // One device a call, on a fresh progression (nothing cached), in another order.
  const fresh = native.createZProgression(base, levels).table;
  for (const [i, device] of [...devices.entries()].reverse()) {
    const one = new Uint8Array(32);
    native.deriveZ(fresh, Uint32Array.of(device), one, Uint32Array.of(0));
    assert.is(hex(one), expected[i], `device ${device}, alone`);
  }
  // And Node's ECDH agrees, for a few of them: Z = x(d_ka(i)·Q_acb).
  for (const device of [0, 1025, 2 ** 20 + 3, 2 ** 30 - 1]) {
    const z = diffieHellman({
      privateKey: privateKeyFromScalar(deviceKaScalar(SEED, device)),
      publicKey: publicKeyFromSec1(acbSec1),
    });
    assert.is(hex(z), expected[devices.indexOf(device)], `device ${device}: Node ECDH`);
  }
});

test('the native Z progression agrees with MacSecretDerivation on random batches, cache and all', () => {
  if (SKIP_NATIVE) return;
  const native = binding();
  const acb = pointFromSec1(publicSec1FromScalar(scalarFromSeed('t', 'acb', 1)));
  const { base, levels } = progressionBytes(acb);
  const derivation = new MacSecretDerivation(SEED, acb);
  const progression = native.createZProgression(base, levels).table;
  const device = fc.oneof(
    fc.integer({ min: 0, max: 2 ** 30 - 1 }),
    fc.integer({ min: 0, max: 3 * 2 ** 20 }),
    fc.integer({ min: 0, max: 4096 }),
  );
  fc.assert(
    fc.property(fc.array(device, { minLength: 1, maxLength: 40 }), (devices) => {
      const expected = derivation.derive(devices).map((x) => x.toString(16).padStart(64, '0'));
      const out = new Uint8Array(32 * devices.length);
      native.deriveZ(
        progression,
        Uint32Array.from(devices),
        out,
        Uint32Array.from(devices, (_, i) => 32 * i),
      );
      devices.forEach((d, i) => {
        assert.is(hex(out.subarray(32 * i, 32 * i + 32)), expected[i], `device ${d}`);
      });
    }),
    { ...RUNS, numRuns: 40 },
  );
});

test.run();
