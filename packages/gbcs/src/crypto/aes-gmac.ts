/**
 * AES-128-GMAC: AES-GCM over an empty plaintext, so the tag authenticates only the AAD.
 * GBCS uses it for command/response MACs (first 12 tag bytes) and UTRN MACs (last 4).
 *
 * Computed here in JavaScript (aes128.ts, ghash.ts) rather than with `createCipheriv`: every
 * GBCS frame has its own key, and for a ~150-byte AAD Node's cipher object, its OpenSSL context
 * and the Buffers it returns cost ~4 µs, three times the arithmetic. The pool MACs every command
 * twice, so this is a tenth of a complete command. Tests check it against OpenSSL.
 */
import { AES128_ROUND_KEY_WORDS, encryptAes128Block, expandAes128Key } from './aes128.js';
import { ghashAad } from './ghash.js';

const roundKeys = new Int32Array(AES128_ROUND_KEY_WORDS);
const words = new Int32Array(4);
/** The AAD parts back to back, zero-padded to whole blocks; grows when an AAD is longer. */
let staged = new Uint8Array(1024);
let stagedView = new DataView(staged.buffer);

function stage(length: number): void {
  const padded = (length + 15) & ~15;
  if (staged.length < padded) {
    staged = new Uint8Array(padded * 2);
    stagedView = new DataView(staged.buffer);
  }
  staged.fill(0, length, padded);
}

function ivWord(iv: Uint8Array, at: number): number {
  return (
    ((iv[at] as number) << 24) | ((iv[at + 1] as number) << 16) | ((iv[at + 2] as number) << 8) | (iv[at + 3] as number)
  );
}

/** The tag of the staged AAD (first `length` bytes of `staged`), as 4 words in `words`. */
function tagWords(key: Uint8Array, iv: Uint8Array, length: number): void {
  if (key.length !== 16) throw new RangeError(`an AES-128 key is 16 bytes, got ${key.length}`);
  if (iv.length !== 12) throw new RangeError(`a GCM IV here is 12 bytes, got ${iv.length}`);
  expandAes128Key(key, roundKeys);
  encryptAes128Block(roundKeys, 0, 0, 0, 0, words); // H = E_K(0^128)
  ghashAad(words[0] as number, words[1] as number, words[2] as number, words[3] as number, stagedView, length, words);
  const s0 = words[0] as number;
  const s1 = words[1] as number;
  const s2 = words[2] as number;
  const s3 = words[3] as number;
  // Tag = E_K(J0) xor S, with J0 = IV ‖ 00000001 for a 96-bit IV.
  encryptAes128Block(roundKeys, ivWord(iv, 0), ivWord(iv, 4), ivWord(iv, 8), 1, words);
  words[0] = (words[0] as number) ^ s0;
  words[1] = (words[1] as number) ^ s1;
  words[2] = (words[2] as number) ^ s2;
  words[3] = (words[3] as number) ^ s3;
}

/**
 * Writes the first `tagLength` bytes (1..16) of the GMAC tag of `aad ‖ moreAad` to `out[at..)`.
 * Two AAD parts spare the hot path a copy of its own (the GBCS AAD is a prefix and an APDU).
 */
export function aesGmacInto(
  out: Uint8Array,
  at: number,
  tagLength: number,
  key: Uint8Array,
  iv: Uint8Array,
  aad: Uint8Array,
  moreAad?: Uint8Array,
): void {
  const length = aad.length + (moreAad ? moreAad.length : 0);
  stage(length);
  staged.set(aad, 0);
  if (moreAad) staged.set(moreAad, aad.length);
  tagWords(key, iv, length);
  for (let i = 0; i < tagLength; i++) out[at + i] = (words[i >>> 2] as number) >>> (24 - 8 * (i & 3));
}

/**
 * Returns the full 16-byte GCM tag for (key, 12-byte IV, AAD) with empty plaintext. The AAD may
 * come in any number of parts (GCM authenticates their concatenation).
 */
export function aesGmac(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, ...moreAad: Uint8Array[]): Uint8Array {
  const tag = new Uint8Array(16);
  if (moreAad.length <= 1) {
    aesGmacInto(tag, 0, 16, key, iv, aad, moreAad[0]);
    return tag;
  }
  // Three parts or more: rare (not on any hot path), so join them first.
  let length = aad.length;
  for (const part of moreAad) length += part.length;
  const joined = new Uint8Array(length);
  joined.set(aad, 0);
  let offset = aad.length;
  for (const part of moreAad) {
    joined.set(part, offset);
    offset += part.length;
  }
  aesGmacInto(tag, 0, 16, key, iv, joined);
  return tag;
}

/** IV = originator EUI (8 bytes) ‖ 00 00 00 00. */
export function gbcsIv(originator: bigint): Uint8Array {
  const iv = new Uint8Array(12);
  new DataView(iv.buffer).setBigUint64(0, originator);
  return iv;
}

/** Constant-time comparison of two MACs of equal length. */
export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
