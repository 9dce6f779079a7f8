/**
 * Hostile input for the frame decoder (fast-check, fixed seeds): random bytes, every truncation,
 * random mutations and block-transfer prefixes never throw and give a known rejection; a mutated
 * frame that still decodes fails its signature or MAC check; encode → decode round-trips.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type Cra,
  decodeFrame,
  encodeApdu,
  encodeMacWrapped,
  readBerLength,
  verifyFrameMac,
  verifyFrameSignature,
} from '../src/index.ts';
import { ACB_EUI, rtdsKeystore, rtdsMessages } from './helpers/rtds.ts';

const CODES = new Set(['GBCS_MALFORMED', 'GBCS_UNSUPPORTED_BLOCK_TRANSFER']);

function decodesSafely(bytes: Uint8Array): ReturnType<typeof decodeFrame> {
  const result = decodeFrame(bytes);
  if (!result.ok) {
    assert.ok(CODES.has(result.code), result.code);
    assert.ok(result.message.length > 0);
    assert.ok(result.offset >= 0 && result.offset <= bytes.length);
  }
  return result;
}

test('random bytes and DD/DF-prefixed noise never throw', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 400 }),
      fc.constantFrom([], [0xdd], [0xdf], [0xdd, 0x00], [0xdd, 0x05]),
      (bytes, prefix) => {
        decodesSafely(Uint8Array.from([...prefix, ...bytes]));
      },
    ),
    { seed: 424242, numRuns: 3000 },
  );
  const gbt = decodeFrame(Uint8Array.of(0xdd, 0x01, 0x02));
  assert.is(gbt.ok ? '' : gbt.code, 'GBCS_UNSUPPORTED_BLOCK_TRANSFER');
});

test('every truncation of every fixture is rejected, never thrown', () => {
  let checked = 0;
  for (const m of rtdsMessages().filter((_, i) => i % 7 === 0)) {
    for (let n = 0; n < m.bytes.length; n++) {
      const result = decodesSafely(m.bytes.subarray(0, n));
      // A bare APDU cut right after its payload is a valid signature-less pre-command shape;
      // anything else must be rejected.
      if (result.ok) assert.ok(m.bytes[0] === 0xdf && result.frame.signatureLengthAbsent, `${m.name} cut at ${n}`);
      checked++;
    }
  }
  assert.ok(checked > 10_000);
});

test('mutated fixtures that still decode fail their signature or MAC', () => {
  const keystore = rtdsKeystore();
  const signedOrMaced = rtdsMessages().filter(
    (m) => !m.folder.startsWith('NA_PCS') && (m.kind === 'COMMAND' || m.kind === 'RESPONSE'),
  );
  fc.assert(
    fc.property(
      fc.nat(signedOrMaced.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
      (pick, flips) => {
        const m = signedOrMaced[pick] as (typeof signedOrMaced)[number];
        const bytes = m.bytes.slice();
        for (const [at, xor] of flips) bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ xor;
        const result = decodesSafely(bytes);
        if (!result.ok) return;
        const f = result.frame;
        const key = keystore.publicKey(f.originator, 'ds');
        const z =
          f.cra === 1
            ? keystore.sharedSecret(ACB_EUI, 'ka', f.recipient, 'ka')
            : keystore.sharedSecret(f.recipient, 'ka', f.originator, 'ka');
        const sigOk = f.signature !== null && key !== undefined && verifyFrameSignature(f, key);
        const macOk = f.mac !== null && z !== undefined && verifyFrameMac(f, z);
        // The only bytes neither covers: the DF tag of an unwrapped frame (a mutated DF no longer decodes).
        assert.not.ok(
          (f.mac ? macOk : true) && (f.signature ? sigOk : true) && (f.mac || f.signature),
          `${m.name} ${JSON.stringify(flips)}`,
        );
      },
    ),
    { seed: 1717, numRuns: 400 },
  );
});

test('encode → decode round-trips random fields', () => {
  const eui = fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn });
  fc.assert(
    fc.property(
      fc.record({
        cra: fc.constantFrom<Cra>(1, 2, 3),
        originatorCounter: eui,
        originator: eui,
        recipient: eui,
        dateTime: fc.option(fc.uint8Array({ minLength: 12, maxLength: 12 }), { nil: null }),
        messageCode: fc.integer({ min: 0, max: 0xffff }),
        supplementaryRemoteParty: fc.option(fc.record({ eui, counter: eui }), { nil: null }),
        extraOtherInformation: fc.uint8Array({ maxLength: 20 }),
        payload: fc.uint8Array({ maxLength: 700 }),
      }),
      fc.option(fc.uint8Array({ minLength: 64, maxLength: 64 }), { nil: null }),
      fc.option(fc.uint8Array({ minLength: 12, maxLength: 12 }), { nil: null }),
      (fields, signature, mac) => {
        // Extra other-information only round-trips unambiguously after a supplementary party.
        const f = fields.supplementaryRemoteParty ? fields : { ...fields, extraOtherInformation: new Uint8Array(0) };
        const apdu = encodeApdu(f, signature ?? 'empty');
        const bytes = mac ? encodeMacWrapped(apdu, mac) : apdu;
        const result = decodeFrame(bytes);
        if (!result.ok) throw new Error(result.message);
        const d = result.frame;
        assert.equal(
          [d.cra, d.originatorCounter, d.originator, d.recipient, d.messageCode, d.macWrapped],
          [f.cra, f.originatorCounter, f.originator, f.recipient, f.messageCode, mac !== null],
        );
        assert.equal(d.dateTime ? [...d.dateTime] : null, f.dateTime ? [...f.dateTime] : null);
        assert.equal([...d.payload], [...f.payload]);
        const party = (p: { eui: bigint; counter: bigint } | null) => (p ? [p.eui, p.counter] : null);
        assert.equal(party(d.supplementaryRemoteParty), party(f.supplementaryRemoteParty));
        assert.equal(d.signature ? [...d.signature] : null, signature ? [...signature] : null);
      },
    ),
    { seed: 99, numRuns: 500 },
  );
});

// Non-minimal BER lengths (see docs/frame-format.md, "BER lengths: shortest form only"). The
// General Ciphering length sits outside the MAC, so a longer spelling of it would give a
// second, different byte string that still MACs: the decoder must refuse it.

test('BER lengths: every shortest form reads, every longer spelling is refused', () => {
  const read = (...b: number[]) => readBerLength(Uint8Array.from(b), 0);
  assert.equal(read(0x7f), { ok: true, length: 0x7f, next: 1 });
  assert.equal(read(0x81, 0x80), { ok: true, length: 0x80, next: 2 });
  assert.equal(read(0x81, 0xff), { ok: true, length: 0xff, next: 2 });
  assert.equal(read(0x82, 0x01, 0x00), { ok: true, length: 0x100, next: 3 });
  assert.equal(read(0x82, 0xff, 0xff), { ok: true, length: 0xffff, next: 3 });
  for (const bytes of [
    [0x81, 0x00],
    [0x81, 0x7f],
    [0x82, 0x00, 0x48],
    [0x82, 0x00, 0x7f],
    [0x82, 0x00, 0x80],
    [0x82, 0x00, 0xff],
  ]) {
    assert.equal(read(...bytes), { ok: false, detail: 'non-minimal-length', offset: 0 }, bytesHex(bytes));
  }
  // Indefinite (80) and 3+ byte forms stay plain bad lengths.
  assert.equal(read(0x80), { ok: false, detail: 'bad-length', offset: 0 });
  assert.equal(read(0x83, 0x00, 0x00, 0x48), { ok: false, detail: 'bad-length', offset: 0 });
});

test('a fixture whose General Ciphering length is re-spelt longer is refused, though its MAC still verifies', () => {
  const keystore = rtdsKeystore();
  let twins = 0;
  for (const m of rtdsMessages()) {
    if (m.bytes[0] !== 0xdd || m.folder.startsWith('NA_PCS')) continue;
    const original = decodeFrame(m.bytes);
    if (!original.ok) throw new Error(`${m.name}: ${original.message}`);
    const len = readBerLength(m.bytes, 7);
    if (!len.ok) throw new Error(`${m.name}: outer length`);
    const longer =
      len.length < 0x80
        ? [
            [0x81, len.length],
            [0x82, 0x00, len.length],
          ]
        : len.length <= 0xff
          ? [[0x82, 0x00, len.length]]
          : [];
    for (const spelling of longer) {
      const twin = Uint8Array.from([...m.bytes.subarray(0, 7), ...spelling, ...m.bytes.subarray(len.next)]);
      const result = decodeFrame(twin);
      assert.is(
        result.ok ? 'decoded' : `${result.code} ${result.detail} @${result.offset}`,
        'GBCS_MALFORMED non-minimal-length @7',
        `${m.name} ${bytesHex(spelling)}`,
      );
      twins++;
    }
    // Why it matters: the twin's MAC (over the same APDU) would have verified.
    const f = original.frame;
    const z =
      f.cra === 1
        ? keystore.sharedSecret(ACB_EUI, 'ka', f.recipient, 'ka')
        : keystore.sharedSecret(f.recipient, 'ka', f.originator, 'ka');
    if (z) assert.ok(verifyFrameMac(f, z), m.name);
  }
  assert.ok(twins > 300, `only ${twins} twins`);
});

test('inner lengths (other-information, payload) in a longer spelling are refused too', () => {
  const f = {
    cra: 1 as const,
    originatorCounter: 0x100000001n,
    originator: 0x90b3d51f30010000n,
    recipient: 0x00db1234567890a0n,
    dateTime: null,
    messageCode: 0x0050,
    supplementaryRemoteParty: null,
    extraOtherInformation: new Uint8Array(0),
    payload: Uint8Array.of(1, 2, 3),
  };
  const apdu = encodeApdu(f, 'empty');
  // DF, 09 CRA counter(8), 08 originator(8), 08 recipient(8), 00 date-time: other-info length at 30.
  const at = 1 + 10 + 9 + 9 + 1;
  assert.equal([...apdu.subarray(at, at + 4)], [0x02, 0x00, 0x50, 0x03]);
  const otherTwin = Uint8Array.from([...apdu.subarray(0, at), 0x81, 0x02, ...apdu.subarray(at + 1)]);
  const payloadTwin = Uint8Array.from([...apdu.subarray(0, at + 3), 0x82, 0x00, 0x03, ...apdu.subarray(at + 4)]);
  for (const [twin, offset] of [
    [otherTwin, at],
    [payloadTwin, at + 3],
  ] as const) {
    const r = decodeFrame(twin);
    assert.is(r.ok ? 'decoded' : `${r.detail} @${r.offset}`, `non-minimal-length @${offset}`);
    const wrapped = decodeFrame(encodeMacWrapped(twin, new Uint8Array(12)));
    assert.is(wrapped.ok ? 'decoded' : wrapped.detail, 'non-minimal-length');
  }
});

function bytesHex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

test.run();
