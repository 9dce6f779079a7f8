/**
 * GHASH (NIST SP 800-38D §6.4) over AAD alone, for a hash key H that changes with every message.
 *
 * Blocks are 4 big-endian 32-bit words; GCM's bit order makes "times x" a one-bit shift right.
 * H changes per message (the GBCS KDF derives a key per frame), so big per-key tables do not pay:
 * this builds two 16-entry tables per message (a byte's high nibble times H, its low nibble times
 * H·x^4) and multiplies byte by byte (Horner in x^8), with a fixed 256-entry reduction table.
 */

/** REDUCE[b]: what to XOR into the top word when byte b drops off the right in an 8-bit shift. */
const REDUCE = new Int32Array(256);
for (let b = 0; b < 256; b++) {
  let top = 0;
  let low = b;
  for (let i = 0; i < 8; i++) {
    const carry = low & 1;
    low >>>= 1;
    top >>>= 1;
    // x^128 = x^7 + x^2 + x + 1, which in GCM's reflected order is E1 in the top byte.
    if (carry) top ^= 0xe1000000;
  }
  REDUCE[b] = top;
}

/** [0, 64): n·H for high nibble n; [64, 128): n·H·x^4 for low nibble n (4 words each). */
const table = new Int32Array(128);

function buildTables(h0: number, h1: number, h2: number, h3: number): void {
  // Nibble 8 (its top bit) is x^0, so entry 8 is H; 4, 2, 1 are H·x, H·x^2, H·x^3.
  table[32] = h0;
  table[33] = h1;
  table[34] = h2;
  table[35] = h3;
  for (let n = 4; n > 0; n >>= 1) {
    const from = n * 8;
    const to = n * 4;
    const a0 = table[from] as number;
    const a1 = table[from + 1] as number;
    const a2 = table[from + 2] as number;
    const a3 = table[from + 3] as number;
    table[to] = (a0 >>> 1) ^ ((a3 & 1) * 0xe1000000);
    table[to + 1] = (a1 >>> 1) | (a0 << 31);
    table[to + 2] = (a2 >>> 1) | (a1 << 31);
    table[to + 3] = (a3 >>> 1) | (a2 << 31);
  }
  table.fill(0, 0, 4);
  for (let n = 2; n < 16; n <<= 1) {
    for (let j = 1; j < n; j++) {
      const to = (n + j) * 4;
      for (let w = 0; w < 4; w++) table[to + w] = (table[n * 4 + w] as number) ^ (table[j * 4 + w] as number);
    }
  }
  // The low-nibble table: each entry times x^4 (a 4-bit shift right, reduced).
  for (let n = 0; n < 16; n++) {
    const a0 = table[n * 4] as number;
    const a1 = table[n * 4 + 1] as number;
    const a2 = table[n * 4 + 2] as number;
    const a3 = table[n * 4 + 3] as number;
    const to = 64 + n * 4;
    table[to] = (a0 >>> 4) ^ (REDUCE[(a3 & 0xf) << 4] as number);
    table[to + 1] = (a1 >>> 4) | (a0 << 28);
    table[to + 2] = (a2 >>> 4) | (a1 << 28);
    table[to + 3] = (a3 >>> 4) | (a2 << 28);
  }
}

/**
 * GHASH_H(AAD ‖ pad ‖ len(AAD)·8 as 64 bits ‖ 0^64): the tag before its final AES mask.
 * `data` holds the AAD in its first `length` bytes and zeros up to the next multiple of 16;
 * `view` is a DataView on the same bytes. H is (h0..h3); the result goes to `out` (4 words).
 */
export function ghashAad(
  h0: number,
  h1: number,
  h2: number,
  h3: number,
  view: DataView,
  length: number,
  out: Int32Array,
): void {
  buildTables(h0, h1, h2, h3);
  let z0 = 0;
  let z1 = 0;
  let z2 = 0;
  let z3 = 0;
  const blocks = (length + 15) >>> 4;
  for (let block = 0; block <= blocks; block++) {
    let x0: number;
    let x1: number;
    let x2: number;
    let x3: number;
    if (block < blocks) {
      const at = block << 4;
      x0 = z0 ^ view.getInt32(at);
      x1 = z1 ^ view.getInt32(at + 4);
      x2 = z2 ^ view.getInt32(at + 8);
      x3 = z3 ^ view.getInt32(at + 12);
    } else {
      const bits = length * 8;
      x0 = z0 ^ Math.floor(bits / 0x1_0000_0000);
      x1 = z1 ^ bits;
      x2 = z2;
      x3 = z3;
    }
    // Z = X·H by Horner over X's bytes, last byte first: Z = Z·x^8 + byte·H.
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let k = 15; k >= 0; k--) {
      const word = k < 8 ? (k < 4 ? x0 : x1) : k < 12 ? x2 : x3;
      const byte = (word >>> (24 - 8 * (k & 3))) & 0xff;
      const dropped = a3 & 0xff;
      a3 = (a3 >>> 8) | (a2 << 24);
      a2 = (a2 >>> 8) | (a1 << 24);
      a1 = (a1 >>> 8) | (a0 << 24);
      a0 = (a0 >>> 8) ^ (REDUCE[dropped] as number);
      const hi = (byte >>> 4) << 2;
      const lo = 64 + ((byte & 0xf) << 2);
      a0 ^= (table[hi] as number) ^ (table[lo] as number);
      a1 ^= (table[hi + 1] as number) ^ (table[lo + 1] as number);
      a2 ^= (table[hi + 2] as number) ^ (table[lo + 2] as number);
      a3 ^= (table[hi + 3] as number) ^ (table[lo + 3] as number);
    }
    z0 = a0;
    z1 = a1;
    z2 = a2;
    z3 = a3;
  }
  out[0] = z0;
  out[1] = z1;
  out[2] = z2;
  out[3] = z3;
}
