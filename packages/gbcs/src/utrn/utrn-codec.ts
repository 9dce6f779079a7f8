/**
 * UTRN, the 20-digit prepayment top-up code (GBCS section 14): a 64-bit PTUT — bits 56–47 the
 * UTRN counter (bits 41–32 of the 64-bit originator counter), 46–45 the value class, 44–32 the
 * value, 31–0 a MAC with the supplier's prepayment KA key — offset into a 19-digit PPTD, plus a
 * check digit. Parsing never throws: a bad code is a typed result.
 */
import { aesGmac, gbcsIv, macEquals } from '../crypto/aes-gmac.js';
import { gbcsMacKey } from '../crypto/gbcs-kdf.js';
import { InvalidArgumentError } from '../errors.js';
import { gbcsCheckDigit, hasValidCheckDigit } from './verhoeff-gbcs.js';

/** PPTD = PTUT + this offset (so every PPTD has 19 digits). */
export const PPTD_OFFSET = 7_394_156_990_786_306_048n;
const LOW32 = 0xffff_ffffn;
const MAX_PTUT = (1n << 57n) - 1n;

export type UtrnValueClass = 'pennies' | 'pounds';

export interface UtrnFields {
  supplier: bigint;
  device: bigint;
  /** Full 64-bit originator counter; its lower 32 bits must be zero. */
  counter: bigint;
  /** 0..8191 in the value class's unit. */
  value: number;
  valueClass: UtrnValueClass;
}

export function validateUtrnFields(fields: UtrnFields): void {
  if (!(Number.isInteger(fields.value) && fields.value >= 0 && fields.value <= 8191)) {
    throw new InvalidArgumentError(`UTRN value ${fields.value} is out of range: use an integer from 0 to 8191`);
  }
  if (fields.valueClass !== 'pennies' && fields.valueClass !== 'pounds') {
    throw new InvalidArgumentError(
      `UTRN value class ${JSON.stringify(fields.valueClass)} is not "pennies" or "pounds"`,
    );
  }
  if (fields.counter <= 0n || fields.counter > 0xffff_ffff_ffff_ffffn || (fields.counter & LOW32) !== 0n) {
    throw new InvalidArgumentError(
      `UTRN counter 0x${fields.counter.toString(16)} must be a positive 64-bit value whose lower 32 bits are zero (e.g. 0x100000000)`,
    );
  }
}

/** The PTUT's upper 32 bits: 0000000 ‖ counter bits 41–32 ‖ class ‖ value. */
export function ptutUpper32(counter: bigint, value: number, valueClass: UtrnValueClass): number {
  const counterBits = Number((counter >> 32n) & 0x3ffn);
  return ((counterBits << 15) | ((valueClass === 'pounds' ? 1 : 0) << 13) | value) >>> 0;
}

/** The 4-byte token MAC: last 4 bytes of the GMAC tag (key from Z = ECDH(supplier PP KA, device KA)). */
export function utrnMac(
  sharedSecret: Uint8Array,
  supplier: bigint,
  device: bigint,
  counter: bigint,
  upper32: number,
): number {
  const aad = new Uint8Array(6 + 8 + 8 + 1 + 8 + 4);
  const view = new DataView(aad.buffer);
  aad[0] = 0x11;
  view.setBigUint64(6, supplier);
  view.setBigUint64(14, device);
  aad[22] = 0x01;
  view.setBigUint64(23, counter);
  view.setUint32(31, upper32);
  const key = gbcsMacKey(sharedSecret, supplier, 1, counter, device);
  const tag = aesGmac(key, gbcsIv(supplier), aad);
  return new DataView(tag.buffer, tag.byteOffset, tag.byteLength).getUint32(12);
}

export interface GeneratedUtrn {
  utrn: string;
  pptd: bigint;
  ptut: bigint;
}

export function generateUtrn(fields: UtrnFields & { sharedSecret: Uint8Array }): GeneratedUtrn {
  validateUtrnFields(fields);
  const upper = ptutUpper32(fields.counter, fields.value, fields.valueClass);
  const mac = utrnMac(fields.sharedSecret, fields.supplier, fields.device, fields.counter, upper);
  const ptut = (BigInt(upper) << 32n) | BigInt(mac >>> 0);
  const pptd = ptut + PPTD_OFFSET;
  const digits = pptd.toString();
  return { utrn: `${digits}${gbcsCheckDigit(digits)}`, pptd, ptut };
}

export type ParsedUtrn =
  | {
      ok: true;
      pptd: bigint;
      ptut: bigint;
      /** Bits 41–32 of the originator counter (10 bits). */
      counterBits: number;
      valueClass: UtrnValueClass;
      value: number;
      mac: number;
    }
  | { ok: false; code: 'UTRN_MALFORMED' | 'UTRN_CHECK_DIGIT'; message: string };

/** Structure and check digit only; the MAC needs keys (`verifyUtrnMac`). Spaces and dashes are ignored. */
export function parseUtrn(text: string): ParsedUtrn {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{20}$/.test(digits)) {
    return {
      ok: false,
      code: 'UTRN_MALFORMED',
      message: `a UTRN is 20 digits; got ${JSON.stringify(text.slice(0, 40))}`,
    };
  }
  if (!hasValidCheckDigit(digits)) {
    return { ok: false, code: 'UTRN_CHECK_DIGIT', message: 'the check digit does not match: a digit was mistyped' };
  }
  const pptd = BigInt(digits.slice(0, 19));
  const ptut = pptd - PPTD_OFFSET;
  if (ptut < 0n || ptut > MAX_PTUT) {
    return { ok: false, code: 'UTRN_MALFORMED', message: 'the code is outside the range of prepayment top-up tokens' };
  }
  const upper = Number(ptut >> 32n);
  const classBits = (upper >> 13) & 0x3;
  if (classBits > 1) {
    return { ok: false, code: 'UTRN_MALFORMED', message: `value class bits ${classBits.toString(2)} are reserved` };
  }
  return {
    ok: true,
    pptd,
    ptut,
    counterBits: (upper >> 15) & 0x3ff,
    valueClass: classBits === 1 ? 'pounds' : 'pennies',
    value: upper & 0x1fff,
    mac: Number(ptut & LOW32),
  };
}

export function verifyUtrnMac(
  parsed: Extract<ParsedUtrn, { ok: true }>,
  keys: { sharedSecret: Uint8Array; supplier: bigint; device: bigint; counter: bigint },
): boolean {
  const upper = Number(parsed.ptut >> 32n);
  const expected = utrnMac(keys.sharedSecret, keys.supplier, keys.device, keys.counter, upper);
  const a = new Uint8Array(4);
  const b = new Uint8Array(4);
  new DataView(a.buffer).setUint32(0, expected >>> 0);
  new DataView(b.buffer).setUint32(0, parsed.mac >>> 0);
  return macEquals(a, b);
}

/**
 * The full counter a meter infers from the 10 counter bits: the candidate (lower 32 bits zero)
 * nearest to the highest counter it has cached, within ±512 UTRN-counter steps; null if none.
 */
export function reconstructUtrnCounter(counterBits: number, highestCached: bigint): bigint | null {
  const cachedSteps = highestCached >> 32n;
  const bits = BigInt(counterBits & 0x3ff);
  let best: bigint | null = null;
  for (const base of [(cachedSteps >> 10n) - 1n, cachedSteps >> 10n, (cachedSteps >> 10n) + 1n]) {
    const candidate = (base << 10n) | bits;
    if (candidate <= 0n) continue;
    const distance = candidate > cachedSteps ? candidate - cachedSteps : cachedSteps - candidate;
    if (distance > 512n) continue;
    if (best === null || distance < (best > cachedSteps ? best - cachedSteps : cachedSteps - best)) best = candidate;
  }
  return best === null ? null : best << 32n;
}
