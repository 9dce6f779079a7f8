/**
 * Hex and EUI-64 helpers. An EUI-64 is 8 bytes, written as 16 upper-case hex digits;
 * inside the simulation it travels as a bigint so it can key maps and sort cheaply.
 */
import { InvalidArgumentError } from '../errors.js';

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Parses a hex string (whitespace ignored). Throws on odd length or non-hex characters. */
export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (!HEX_RE.test(clean)) {
    throw new InvalidArgumentError(`not an even-length hex string: ${JSON.stringify(clean.slice(0, 40))}`);
  }
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

export type Eui64 = bigint;

const EUI_RE = /^[0-9a-fA-F]{16}$/;

/** Parses 16 hex digits (any case, optional '-' or ':' separators) into an EUI-64. */
export function parseEui(text: string): Eui64 {
  const clean = text.replace(/[-:]/g, '');
  if (!EUI_RE.test(clean)) {
    throw new InvalidArgumentError(`not an EUI-64 (16 hex digits): ${JSON.stringify(text)}`);
  }
  return BigInt(`0x${clean}`);
}

export function formatEui(eui: Eui64): string {
  return eui.toString(16).toUpperCase().padStart(16, '0');
}

export function euiToBytes(eui: Eui64): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, eui);
  return out;
}

export function euiFromBytes(bytes: Uint8Array, offset = 0): Eui64 {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset);
}
