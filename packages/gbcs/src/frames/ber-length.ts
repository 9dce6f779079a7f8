/**
 * BER definite lengths as GBCS uses them: one byte below 0x80, else 0x81 nn or 0x82 nn nn, and
 * always the shortest of those (DER's rule): each length has exactly one spelling, so a frame has
 * one byte string. `81 48` or `82 00 48` for 0x48 is refused as `non-minimal-length` (why:
 * docs/frame-format.md). Reading never throws: it reports what went wrong and where.
 */

export type BerRead =
  | { ok: true; length: number; next: number }
  | { ok: false; detail: 'truncated' | 'bad-length' | 'non-minimal-length'; offset: number };

/** Reads the length at `offset`; the bytes end at `end` (default: the array's end). */
export function readBerLength(bytes: Uint8Array, offset: number, end = bytes.length): BerRead {
  if (offset >= end) return { ok: false, detail: 'truncated', offset };
  const first = bytes[offset] as number;
  if (first < 0x80) return { ok: true, length: first, next: offset + 1 };
  if (first === 0x81) {
    if (offset + 2 > end) return { ok: false, detail: 'truncated', offset };
    const length = bytes[offset + 1] as number;
    if (length < 0x80) return { ok: false, detail: 'non-minimal-length', offset };
    return { ok: true, length, next: offset + 2 };
  }
  if (first === 0x82) {
    if (offset + 3 > end) return { ok: false, detail: 'truncated', offset };
    const length = ((bytes[offset + 1] as number) << 8) | (bytes[offset + 2] as number);
    if (length <= 0xff) return { ok: false, detail: 'non-minimal-length', offset };
    return { ok: true, length, next: offset + 3 };
  }
  return { ok: false, detail: 'bad-length', offset };
}

/** Bytes needed to write `length` (0..65535) as a BER length. */
export function berLengthSize(length: number): number {
  return length < 0x80 ? 1 : length <= 0xff ? 2 : 3;
}

/** Writes `length` at `offset`; returns the offset after it. */
export function writeBerLength(out: Uint8Array, offset: number, length: number): number {
  if (length < 0x80) {
    out[offset] = length;
    return offset + 1;
  }
  if (length <= 0xff) {
    out[offset] = 0x81;
    out[offset + 1] = length;
    return offset + 2;
  }
  out[offset] = 0x82;
  out[offset + 1] = length >> 8;
  out[offset + 2] = length & 0xff;
  return offset + 3;
}
