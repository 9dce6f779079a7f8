/**
 * gbfleet's extended UTRN codes (DP094's wish list for meters without WAN): 40- and 60-digit
 * codes that carry a GBCS message code, its parameters and a 32-bit MAC, under the same counter
 * rules as the 20-digit top-up UTRN; the commands are in utrn-extended-commands.ts. No public
 * layout exists; this one is ours (docs/scenario-utrn.md). Invariants: every 20-digit block has its own check digit, which also
 * covers the block's position; parsing never throws — a bad code is a typed result.
 *
 *   value V (126 bits for 40 digits, 189 for 60), most significant first:
 *   version 01 (2) ‖ counter bits 41–32 (10) ‖ message code (16) ‖ variant (4) ‖ parameters ‖ MAC (32)
 *   digits  = V in 38 or 57 decimal digits, cut into blocks of 19, each followed by
 *             gbcsCheckDigit(block number ‖ its 19 digits)
 */
import { aesGmac, gbcsIv, macEquals } from '../crypto/aes-gmac.js';
import { gbcsMacKey } from '../crypto/gbcs-kdf.js';
import { InvalidArgumentError } from '../errors.js';
import {
  type ExtendedUtrnCommandDef,
  type ExtendedUtrnDigits,
  extendedUtrnCommand,
  extendedUtrnCommandByCode,
} from './utrn-extended-commands.js';
import { gbcsCheckDigit } from './verhoeff-gbcs.js';

const VALUE_BITS: Record<ExtendedUtrnDigits, number> = { 40: 126, 60: 189 };
const HEADER_BITS = 2 + 10 + 16 + 4;
const MAC_BITS = 32;
const VERSION = 1n;

export interface ExtendedUtrnFields {
  supplier: bigint;
  device: bigint;
  /** Full 64-bit originator counter; its lower 32 bits must be zero (as for a UTRN). */
  counter: bigint;
  command: string;
  params: Readonly<Record<string, number>>;
}

function paramBitsOf(digits: ExtendedUtrnDigits): number {
  return VALUE_BITS[digits] - HEADER_BITS - MAC_BITS;
}

/** What is wrong with `params` for `def`, or null. */
function paramProblem(def: ExtendedUtrnCommandDef, params: Readonly<Record<string, number>>): string | null {
  for (const p of def.params) {
    const v = params[p.name];
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= p.min && v <= p.max)) {
      return `parameter ${p.name} of ${def.name} is ${JSON.stringify(v)}: use an integer from ${p.min} to ${p.max}`;
    }
  }
  return def.check?.(params) ?? null;
}

/** The MAC'd body: V without its MAC, as big-endian bytes. */
function bodyBytes(body: bigint, digits: ExtendedUtrnDigits): Uint8Array {
  const out = new Uint8Array(Math.ceil((VALUE_BITS[digits] - MAC_BITS) / 8));
  let v = body;
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * 32-bit MAC: the UTRN's (Z = ECDH(supplier prepayment KA, device KA); GBCS KDF with CRA 1, the
 * full counter; AES-128-GMAC, IV supplier ‖ 00000000; last 4 tag bytes) over AAD
 * 11 00 00 00 00 00 ‖ supplier ‖ device ‖ 01 ‖ counter ‖ digit count ‖ body.
 */
export function extendedUtrnMac(
  sharedSecret: Uint8Array,
  supplier: bigint,
  device: bigint,
  counter: bigint,
  digits: ExtendedUtrnDigits,
  body: bigint,
): number {
  const bytes = bodyBytes(body, digits);
  const aad = new Uint8Array(6 + 8 + 8 + 1 + 8 + 1 + bytes.length);
  const view = new DataView(aad.buffer);
  aad[0] = 0x11;
  view.setBigUint64(6, supplier);
  view.setBigUint64(14, device);
  aad[22] = 0x01;
  view.setBigUint64(23, counter);
  aad[31] = digits;
  aad.set(bytes, 32);
  const key = gbcsMacKey(sharedSecret, supplier, 1, counter, device);
  const tag = aesGmac(key, gbcsIv(supplier), aad);
  return new DataView(tag.buffer, tag.byteOffset, tag.byteLength).getUint32(12);
}

function toDigits(value: bigint, digits: ExtendedUtrnDigits): string {
  const blocks = digits / 20;
  const data = value.toString().padStart(19 * blocks, '0');
  let out = '';
  for (let k = 0; k < blocks; k++) {
    const block = data.slice(19 * k, 19 * (k + 1));
    out += `${block}${gbcsCheckDigit(`${k + 1}${block}`)}`;
  }
  return out;
}

export interface GeneratedExtendedUtrn {
  utrn: string;
  digits: ExtendedUtrnDigits;
  command: ExtendedUtrnCommandDef;
}

export function generateExtendedUtrn(fields: ExtendedUtrnFields & { sharedSecret: Uint8Array }): GeneratedExtendedUtrn {
  const def = extendedUtrnCommand(fields.command);
  const { counter } = fields;
  if (counter <= 0n || counter > 0xffff_ffff_ffff_ffffn || (counter & 0xffff_ffffn) !== 0n) {
    throw new InvalidArgumentError(
      `extended UTRN counter 0x${counter.toString(16)} must be a positive 64-bit value whose lower 32 bits are zero`,
    );
  }
  const known = new Set(def.params.map((p) => p.name));
  for (const name of Object.keys(fields.params)) {
    if (!known.has(name)) {
      throw new InvalidArgumentError(
        `${def.name} has no parameter ${JSON.stringify(name)}; it takes ${[...known].join(', ') || 'none'}`,
      );
    }
  }
  const problem = paramProblem(def, fields.params);
  if (problem) throw new InvalidArgumentError(problem);
  const paramBits = paramBitsOf(def.digits);
  let params = 0n;
  let used = 0;
  for (const p of def.params) {
    const v = fields.params[p.name] as number;
    const raw = v < 0 ? (1n << BigInt(p.bits)) + BigInt(v) : BigInt(v);
    params = (params << BigInt(p.bits)) | raw;
    used += p.bits;
  }
  params <<= BigInt(paramBits - used);
  let body = VERSION;
  body = (body << 10n) | ((counter >> 32n) & 0x3ffn);
  body = (body << 16n) | BigInt(def.messageCode);
  body = (body << 4n) | BigInt(def.variant);
  body = (body << BigInt(paramBits)) | params;
  const mac = extendedUtrnMac(fields.sharedSecret, fields.supplier, fields.device, counter, def.digits, body);
  const value = (body << 32n) | BigInt(mac >>> 0);
  return { utrn: toDigits(value, def.digits), digits: def.digits, command: def };
}

export type ParsedExtendedUtrn =
  | {
      ok: true;
      digits: ExtendedUtrnDigits;
      /** Bits 41–32 of the originator counter (10 bits). */
      counterBits: number;
      command: ExtendedUtrnCommandDef;
      params: Record<string, number>;
      mac: number;
      /** V without its MAC (what the MAC covers). */
      body: bigint;
    }
  | { ok: false; code: 'UTRN_MALFORMED' | 'UTRN_CHECK_DIGIT'; message: string };

/** Structure, check digits and parameters; the MAC needs keys (`verifyExtendedUtrnMac`). Spaces and dashes are ignored. */
export function parseExtendedUtrn(text: string): ParsedExtendedUtrn {
  const malformed = (message: string): ParsedExtendedUtrn => ({ ok: false, code: 'UTRN_MALFORMED', message });
  if (typeof text !== 'string') return malformed('an extended UTRN is text of 40 or 60 digits');
  const digitsText = text.replace(/[\s-]/g, '');
  if (!/^(?:\d{40}|\d{60})$/.test(digitsText)) {
    return malformed(`an extended UTRN is 40 or 60 digits; got ${JSON.stringify(text.slice(0, 70))}`);
  }
  const digits = digitsText.length as ExtendedUtrnDigits;
  let data = '';
  for (let k = 0; k < digits / 20; k++) {
    const block = digitsText.slice(20 * k, 20 * k + 19);
    if (gbcsCheckDigit(`${k + 1}${block}`) !== digitsText.charCodeAt(20 * k + 19) - 48) {
      return {
        ok: false,
        code: 'UTRN_CHECK_DIGIT',
        message: `the check digit of block ${k + 1} does not match: a digit was mistyped or a block is out of place`,
      };
    }
    data += block;
  }
  const bits = VALUE_BITS[digits];
  const value = BigInt(data);
  if (value >> BigInt(bits) !== 0n || value >> BigInt(bits - 2) !== VERSION) {
    return malformed(`the code is not a version-1 extended UTRN of ${digits} digits`);
  }
  const counterBits = Number((value >> BigInt(bits - 12)) & 0x3ffn);
  const messageCode = Number((value >> BigInt(bits - 28)) & 0xffffn);
  const variant = Number((value >> BigInt(bits - 32)) & 0xfn);
  const def = extendedUtrnCommandByCode(digits, messageCode, variant);
  if (!def) {
    return malformed(
      `no ${digits}-digit command has message code 0x${messageCode.toString(16).padStart(4, '0')} variant ${variant}`,
    );
  }
  const paramBits = paramBitsOf(digits);
  let rest = (value >> 32n) & ((1n << BigInt(paramBits)) - 1n);
  let left = paramBits;
  const params: Record<string, number> = {};
  for (const p of def.params) {
    left -= p.bits;
    const raw = Number((rest >> BigInt(left)) & ((1n << BigInt(p.bits)) - 1n));
    rest &= (1n << BigInt(left)) - 1n;
    params[p.name] = p.min < 0 && raw >= 2 ** (p.bits - 1) ? raw - 2 ** p.bits : raw;
  }
  if (rest !== 0n) return malformed(`${def.name}: the unused parameter bits are not zero`);
  const problem = paramProblem(def, params);
  if (problem) return malformed(problem);
  return {
    ok: true,
    digits,
    counterBits,
    command: def,
    params,
    mac: Number(value & 0xffff_ffffn),
    body: value >> 32n,
  };
}

export function verifyExtendedUtrnMac(
  parsed: Extract<ParsedExtendedUtrn, { ok: true }>,
  keys: { sharedSecret: Uint8Array; supplier: bigint; device: bigint; counter: bigint },
): boolean {
  const expected = extendedUtrnMac(
    keys.sharedSecret,
    keys.supplier,
    keys.device,
    keys.counter,
    parsed.digits,
    parsed.body,
  );
  const a = new Uint8Array(4);
  const b = new Uint8Array(4);
  new DataView(a.buffer).setUint32(0, expected >>> 0);
  new DataView(b.buffer).setUint32(0, parsed.mac >>> 0);
  return macEquals(a, b);
}
