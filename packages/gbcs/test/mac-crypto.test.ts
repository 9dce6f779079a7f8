/**
 * The MAC path's own crypto (SHA-256, AES-128, GHASH/GMAC in JavaScript) against published
 * vectors and against OpenSSL through node:crypto, on random inputs (fast-check, fixed seeds).
 */
import { createCipheriv, hash } from 'node:crypto';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { aesGmac, aesGmacInto } from '../src/crypto/aes-gmac.js';
import { AES128_ROUND_KEY_WORDS, encryptAes128Block, expandAes128Key } from '../src/crypto/aes128.js';
import { gbcsKdf, gbcsMacKey, gbcsOtherInfo } from '../src/crypto/gbcs-kdf.js';
import { sha256 } from '../src/crypto/sha256.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const RUNS = { numRuns: 400, seed: 0x5eed };

function opensslGmac(key: Uint8Array, iv: Uint8Array, parts: Uint8Array[]): Uint8Array {
  const cipher = createCipheriv('aes-128-gcm', key, iv);
  for (const part of parts) cipher.setAAD(part);
  cipher.final();
  return new Uint8Array(cipher.getAuthTag());
}

test('SHA-256: FIPS 180-4 examples', () => {
  assert.is(hex(sha256(new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.is(hex(sha256(Buffer.from('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(
    hex(sha256(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  );
});

test('SHA-256 agrees with OpenSSL for every length across several blocks', () => {
  for (let length = 0; length <= 200; length++) {
    const input = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
    assert.is(hex(sha256(input)), hash('sha256', input), `length ${length}`);
  }
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), (input) => hex(sha256(input)) === hash('sha256', input)),
    RUNS,
  );
});

test('AES-128: the FIPS 197 example, and agreement with OpenSSL', () => {
  const roundKeys = new Int32Array(AES128_ROUND_KEY_WORDS);
  const out = new Int32Array(4);
  expandAes128Key(fromHex('000102030405060708090a0b0c0d0e0f'), roundKeys);
  encryptAes128Block(roundKeys, 0x00112233, 0x44556677, 0x8899aabb, 0xccddeeff, out);
  const bytes = new Uint8Array(16);
  new DataView(bytes.buffer).setInt32(0, out[0] as number);
  new DataView(bytes.buffer).setInt32(4, out[1] as number);
  new DataView(bytes.buffer).setInt32(8, out[2] as number);
  new DataView(bytes.buffer).setInt32(12, out[3] as number);
  assert.is(hex(bytes), '69c4e0d86a7b0430d8cdb78070b4c55a');

  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      (key, block) => {
        expandAes128Key(key, roundKeys);
        const view = new DataView(block.buffer, block.byteOffset);
        encryptAes128Block(roundKeys, view.getInt32(0), view.getInt32(4), view.getInt32(8), view.getInt32(12), out);
        const ecb = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false).update(block);
        const expected = new DataView(ecb.buffer, ecb.byteOffset);
        return [0, 1, 2, 3].every((i) => expected.getInt32(4 * i) === out[i]);
      },
    ),
    RUNS,
  );
});

test('GMAC: the GCM specification test case 1 (zero key and IV, nothing to authenticate)', () => {
  assert.is(
    hex(aesGmac(new Uint8Array(16), new Uint8Array(12), new Uint8Array(0))),
    '58e2fccefa7e3061367f1d57a4e7455a',
  );
});

test('GMAC agrees with OpenSSL for random keys, IVs and AAD in parts, long AAD included', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.uint8Array({ minLength: 12, maxLength: 12 }),
      fc.array(fc.uint8Array({ maxLength: 700 }), { minLength: 1, maxLength: 4 }),
      (key, iv, parts) => {
        const [first, ...more] = parts as [Uint8Array, ...Uint8Array[]];
        return hex(aesGmac(key, iv, first, ...more)) === hex(opensslGmac(key, iv, parts));
      },
    ),
    RUNS,
  );
  // Every AAD length around the block boundaries.
  const key = fromHex('feffe9928665731c6d6a8f9467308308');
  const iv = fromHex('cafebabefacedbaddecaf888');
  for (let length = 0; length <= 70; length++) {
    const aad = new Uint8Array(length).map((_, i) => i ^ 0x5a);
    assert.is(hex(aesGmac(key, iv, aad)), hex(opensslGmac(key, iv, [aad])), `AAD length ${length}`);
  }
});

test('aesGmacInto writes exactly the requested tag bytes at the offset', () => {
  const key = fromHex('000102030405060708090a0b0c0d0e0f');
  const iv = fromHex('101112131415161718191a1b');
  const prefix = Uint8Array.of(0x11, 0, 0, 0, 0, 0);
  const body = new Uint8Array(150).map((_, i) => i);
  const full = opensslGmac(key, iv, [prefix, body]);
  const out = new Uint8Array(20).fill(0xee);
  aesGmacInto(out, 3, 12, key, iv, prefix, body);
  assert.is(hex(out.subarray(3, 15)), hex(full.subarray(0, 12)));
  assert.ok(out.subarray(0, 3).every((b) => b === 0xee) && out.subarray(15).every((b) => b === 0xee));
});

test('GMAC rejects a key or IV of the wrong size with a clear error', () => {
  assert.throws(
    () => aesGmac(new Uint8Array(15), new Uint8Array(12), new Uint8Array(1)),
    /AES-128 key is 16 bytes, got 15/,
  );
  assert.throws(
    () => aesGmac(new Uint8Array(16), new Uint8Array(16), new Uint8Array(1)),
    /IV here is 12 bytes, got 16/,
  );
});

test('the per-frame MAC key equals the KDF over OtherInfo, which equals SHA-256 by OpenSSL', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.constantFrom(1 as const, 2 as const, 3 as const),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      (z, originator, cra, counter, recipient) => {
        const otherInfo = gbcsOtherInfo(originator, cra, counter, recipient);
        const viaOpenssl = hash('sha256', Buffer.concat([Uint8Array.of(0, 0, 0, 1), z, otherInfo]), 'hex').slice(0, 32);
        const key = gbcsMacKey(z, originator, cra, counter, recipient);
        return hex(key) === viaOpenssl && hex(gbcsKdf(z, otherInfo)) === viaOpenssl;
      },
    ),
    RUNS,
  );
});

test.run();
