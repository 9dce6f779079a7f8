/**
 * The GBCS MAC: key = KDF(Z, OtherInfo(originator, CRA, counter, recipient)); AES-128-GMAC with
 * IV = originator ‖ 00000000 and AAD = 11 00 00 00 00 00 ‖ the whole signing APDU; the MAC is the
 * first 12 tag bytes. Z is the ACB↔device secret for commands, device↔recipient otherwise.
 */
import { aesGmacInto, macEquals } from '../crypto/aes-gmac.js';
import { type CraFlag, gbcsMacKeyInto } from '../crypto/gbcs-kdf.js';
import type { DecodedFrame } from './frame-types.js';

const AAD_PREFIX = Uint8Array.of(0x11, 0x00, 0x00, 0x00, 0x00, 0x00);
export const MAC_LENGTH = 12;
// Scratch for the hot path (one frame at a time per thread): IV, per-frame key, computed MAC.
const IV = new Uint8Array(12);
const IV_VIEW = new DataView(IV.buffer);
const macKey = new Uint8Array(16);
const computed = new Uint8Array(MAC_LENGTH);

export interface MacHeader {
  cra: CraFlag;
  originatorCounter: bigint;
  originator: bigint;
  recipient: bigint;
}

/** Writes the 12-byte MAC over `apdu` (from DF, signature included) to `out[at..at+12)`. */
export function writeApduMac(
  apdu: Uint8Array,
  sharedSecret: Uint8Array,
  header: MacHeader,
  out: Uint8Array,
  at: number,
): void {
  gbcsMacKeyInto(macKey, 0, sharedSecret, header.originator, header.cra, header.originatorCounter, header.recipient);
  IV_VIEW.setBigUint64(0, header.originator);
  aesGmacInto(out, at, MAC_LENGTH, macKey, IV, AAD_PREFIX, apdu);
}

/** The 12-byte MAC over `apdu`, in a new array. */
export function computeApduMac(apdu: Uint8Array, sharedSecret: Uint8Array, header: MacHeader): Uint8Array {
  const mac = new Uint8Array(MAC_LENGTH);
  writeApduMac(apdu, sharedSecret, header, mac, 0);
  return mac;
}

/** False when the frame is not MAC-wrapped or its MAC does not match. */
export function verifyFrameMac(frame: DecodedFrame, sharedSecret: Uint8Array): boolean {
  if (!frame.mac) return false;
  writeApduMac(frame.apdu, sharedSecret, frame, computed, 0);
  return macEquals(computed, frame.mac);
}
