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

test.run();
