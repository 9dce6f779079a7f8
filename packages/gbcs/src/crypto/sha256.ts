/**
 * SHA-256 (FIPS 180-4) in plain 32-bit JavaScript, allocating nothing per call.
 *
 * Why not `node:crypto`: the GBCS KDF hashes 69 bytes per frame on each side, and for an input
 * that short Node's one-shot `hash()` spends most of its ~1.3 µs crossing into C++ and fetching
 * the digest from the OpenSSL provider, and it returns a fresh Buffer each time. The two
 * compressions themselves take ~0.6 µs here. Tests check this against `node:crypto` on random
 * inputs of every length up to several blocks. Not constant-time: fine for a simulator.
 */

const K = Int32Array.of(
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
);
const INITIAL = Int32Array.of(
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
);

const state = new Int32Array(8);
const schedule = new Int32Array(64);
/** The last one or two blocks: the input's tail, the 0x80 marker, zeros and the bit length. */
const tail = new Uint8Array(128);
const tailView = new DataView(tail.buffer);

function compress(block: Uint8Array, at: number): void {
  const w = schedule;
  for (let i = 0; i < 16; i++) {
    const j = at + 4 * i;
    w[i] =
      ((block[j] as number) << 24) |
      ((block[j + 1] as number) << 16) |
      ((block[j + 2] as number) << 8) |
      (block[j + 3] as number);
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15] as number;
    const b = w[i - 2] as number;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + (K[i] as number) + (w[i] as number)) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
  state[5] = ((state[5] as number) + f) | 0;
  state[6] = ((state[6] as number) + g) | 0;
  state[7] = ((state[7] as number) + h) | 0;
}

/** Writes SHA-256(input) into `out[at..at+32)`. */
export function sha256Into(input: Uint8Array, out: Uint8Array, at = 0): void {
  state.set(INITIAL);
  const length = input.length;
  const whole = length - (length % 64);
  for (let i = 0; i < whole; i += 64) compress(input, i);
  const rest = length - whole;
  const tailLength = rest < 56 ? 64 : 128;
  tail.fill(0);
  tail.set(input.subarray(whole), 0);
  tail[rest] = 0x80;
  // Bit length as a 64-bit big-endian integer (inputs here are far below 2^53 bits).
  const bits = length * 8;
  tailView.setUint32(tailLength - 8, Math.floor(bits / 0x1_0000_0000));
  tailView.setUint32(tailLength - 4, bits >>> 0);
  compress(tail, 0);
  if (tailLength === 128) compress(tail, 64);
  for (let i = 0; i < 8; i++) {
    const word = state[i] as number;
    const j = at + 4 * i;
    out[j] = word >>> 24;
    out[j + 1] = word >>> 16;
    out[j + 2] = word >>> 8;
    out[j + 3] = word;
  }
}

/** SHA-256(input) in a new 32-byte array. */
export function sha256(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  sha256Into(input, out);
  return out;
}
