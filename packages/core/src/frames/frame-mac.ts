/**
 * The GBCS MAC: key = KDF(Z, OtherInfo(originator, CRA, counter, recipient)); AES-128-GMAC with
 * IV = originator ‖ 00000000 and AAD = 11 00 00 00 00 00 ‖ the whole signing APDU; the MAC is the
 * first 12 tag bytes. Z is the ACB↔device secret for commands, device↔recipient otherwise.
 */
import { aesGmac, macEquals } from '../crypto/aes-gmac.js';
import { type CraFlag, gbcsMacKey } from '../crypto/gbcs-kdf.js';
import type { DecodedFrame } from './frame-types.js';

const AAD_PREFIX = Uint8Array.of(0x11, 0x00, 0x00, 0x00, 0x00, 0x00);
/** IV = originator ‖ 00000000 (as gbcsIv), reused: createCipheriv copies it at once. */
const IV = new Uint8Array(12);
const IV_VIEW = new DataView(IV.buffer);

export interface MacHeader {
  cra: CraFlag;
  originatorCounter: bigint;
  originator: bigint;
  recipient: bigint;
}

export function frameMacKey(sharedSecret: Uint8Array, header: MacHeader): Uint8Array {
  return gbcsMacKey(sharedSecret, header.originator, header.cra, header.originatorCounter, header.recipient);
}

/** The 12-byte MAC over `apdu` (from DF, signature included). */
export function computeApduMac(apdu: Uint8Array, sharedSecret: Uint8Array, header: MacHeader): Uint8Array {
  IV_VIEW.setBigUint64(0, header.originator);
  return aesGmac(frameMacKey(sharedSecret, header), IV, AAD_PREFIX, apdu).subarray(0, 12);
}

/** False when the frame is not MAC-wrapped or its MAC does not match. */
export function verifyFrameMac(frame: DecodedFrame, sharedSecret: Uint8Array): boolean {
  if (!frame.mac) return false;
  return macEquals(computeApduMac(frame.apdu, sharedSecret, frame), frame.mac);
}
