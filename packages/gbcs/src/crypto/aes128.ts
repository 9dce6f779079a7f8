/**
 * The AES-128 forward cipher (FIPS 197) on 32-bit big-endian words, table-driven, allocating
 * nothing per call. GMAC needs only encryption, two blocks per message under a key that is new
 * for every message (the GBCS KDF derives one per frame), so the key schedule runs every time.
 *
 * The S-box is computed, not typed in: from the multiplicative inverse in GF(2^8) and the affine
 * map, as FIPS 197 §5.1.1 defines it. Tests check the FIPS 197 example vector and agreement with
 * OpenSSL. Table lookups are not constant-time: fine for a simulator's keys, not for real ones.
 */

const SBOX = new Uint8Array(256);
{
  // p walks GF(2^8)* by multiplying by 3; q walks it by dividing by 3, so q = p^-1 at each step.
  let p = 1;
  let q = 1;
  do {
    p = p ^ ((p << 1) & 0xff) ^ (p & 0x80 ? 0x1b : 0);
    q ^= q << 1;
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    const affine = q ^ ((q << 1) | (q >> 7)) ^ ((q << 2) | (q >> 6)) ^ ((q << 3) | (q >> 5)) ^ ((q << 4) | (q >> 4));
    SBOX[p] = (affine ^ 0x63) & 0xff;
  } while (p !== 1);
  SBOX[0] = 0x63;
}

/** T0[x] = MixColumns applied to the column (S[x], 0, 0, 0); T1..T3 are its byte rotations. */
const T0 = new Int32Array(256);
const T1 = new Int32Array(256);
const T2 = new Int32Array(256);
const T3 = new Int32Array(256);
for (let x = 0; x < 256; x++) {
  const s = SBOX[x] as number;
  const s2 = ((s << 1) ^ (s & 0x80 ? 0x1b : 0)) & 0xff;
  const word = (s2 << 24) | (s << 16) | (s << 8) | (s2 ^ s);
  T0[x] = word;
  T1[x] = (word >>> 8) | (word << 24);
  T2[x] = (word >>> 16) | (word << 16);
  T3[x] = (word >>> 24) | (word << 8);
}

/** 44 round-key words for AES-128. */
export const AES128_ROUND_KEY_WORDS = 44;

/** Expands a 16-byte key into `roundKeys` (44 words). */
export function expandAes128Key(key: Uint8Array, roundKeys: Int32Array): void {
  for (let i = 0; i < 4; i++) {
    roundKeys[i] =
      ((key[4 * i] as number) << 24) |
      ((key[4 * i + 1] as number) << 16) |
      ((key[4 * i + 2] as number) << 8) |
      (key[4 * i + 3] as number);
  }
  let rcon = 1;
  for (let i = 4; i < AES128_ROUND_KEY_WORDS; i += 4) {
    const t = roundKeys[i - 1] as number;
    const subRot =
      ((SBOX[(t >>> 16) & 0xff] as number) << 24) |
      ((SBOX[(t >>> 8) & 0xff] as number) << 16) |
      ((SBOX[t & 0xff] as number) << 8) |
      (SBOX[t >>> 24] as number);
    roundKeys[i] = (roundKeys[i - 4] as number) ^ subRot ^ (rcon << 24);
    roundKeys[i + 1] = (roundKeys[i - 3] as number) ^ (roundKeys[i] as number);
    roundKeys[i + 2] = (roundKeys[i - 2] as number) ^ (roundKeys[i + 1] as number);
    roundKeys[i + 3] = (roundKeys[i - 1] as number) ^ (roundKeys[i + 2] as number);
    rcon = (rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0);
  }
}

function lastRoundWord(a: number, b: number, c: number, d: number, roundKey: number): number {
  return (
    (((SBOX[a >>> 24] as number) << 24) |
      ((SBOX[(b >>> 16) & 0xff] as number) << 16) |
      ((SBOX[(c >>> 8) & 0xff] as number) << 8) |
      (SBOX[d & 0xff] as number)) ^
    roundKey
  );
}

/** Encrypts the block (w0, w1, w2, w3) with expanded `roundKeys`; writes 4 words to `out`. */
export function encryptAes128Block(
  roundKeys: Int32Array,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  out: Int32Array,
): void {
  let s0 = w0 ^ (roundKeys[0] as number);
  let s1 = w1 ^ (roundKeys[1] as number);
  let s2 = w2 ^ (roundKeys[2] as number);
  let s3 = w3 ^ (roundKeys[3] as number);
  for (let k = 4; k < 40; k += 4) {
    const t0 =
      (T0[s0 >>> 24] as number) ^
      (T1[(s1 >>> 16) & 0xff] as number) ^
      (T2[(s2 >>> 8) & 0xff] as number) ^
      (T3[s3 & 0xff] as number) ^
      (roundKeys[k] as number);
    const t1 =
      (T0[s1 >>> 24] as number) ^
      (T1[(s2 >>> 16) & 0xff] as number) ^
      (T2[(s3 >>> 8) & 0xff] as number) ^
      (T3[s0 & 0xff] as number) ^
      (roundKeys[k + 1] as number);
    const t2 =
      (T0[s2 >>> 24] as number) ^
      (T1[(s3 >>> 16) & 0xff] as number) ^
      (T2[(s0 >>> 8) & 0xff] as number) ^
      (T3[s1 & 0xff] as number) ^
      (roundKeys[k + 2] as number);
    const t3 =
      (T0[s3 >>> 24] as number) ^
      (T1[(s0 >>> 16) & 0xff] as number) ^
      (T2[(s1 >>> 8) & 0xff] as number) ^
      (T3[s2 & 0xff] as number) ^
      (roundKeys[k + 3] as number);
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
  }
  out[0] = lastRoundWord(s0, s1, s2, s3, roundKeys[40] as number);
  out[1] = lastRoundWord(s1, s2, s3, s0, roundKeys[41] as number);
  out[2] = lastRoundWord(s2, s3, s0, s1, roundKeys[42] as number);
  out[3] = lastRoundWord(s3, s0, s1, s2, roundKeys[43] as number);
}
