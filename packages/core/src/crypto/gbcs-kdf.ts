/**
 * GBCS key derivation (NIST SP 800-56A concatenation KDF, one SHA-256 block):
 * key = first 16 bytes of SHA-256(00 00 00 01 ‖ Z ‖ OtherInfo). See docs/frame-format.md.
 */
import { createHash } from 'node:crypto';

const COUNTER_ONE = Uint8Array.of(0, 0, 0, 1);
/** AlgorithmID for ECDH + AES-GCM in GBCS OtherInfo. */
const ALGORITHM_ID = Uint8Array.of(0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00);

/** CRA flag as carried in the transaction id: 1 command, 2 response, 3 alert. */
export type CraFlag = 1 | 2 | 3;

/**
 * OtherInfo (33 bytes) = AlgorithmID ‖ originator EUI ‖ 09 ‖ CRA ‖ counter ‖ recipient EUI.
 * EUIs and counter are 8-byte big-endian.
 */
export function gbcsOtherInfo(originator: bigint, cra: CraFlag, counter: bigint, recipient: bigint): Uint8Array {
  const out = new Uint8Array(33);
  const view = new DataView(out.buffer);
  out.set(ALGORITHM_ID, 0);
  view.setBigUint64(7, originator);
  out[15] = 0x09;
  out[16] = cra;
  view.setBigUint64(17, counter);
  view.setBigUint64(25, recipient);
  return out;
}

/** Derives the 16-byte AES key from the ECDH shared secret Z (32 bytes) and OtherInfo. */
export function gbcsKdf(sharedSecret: Uint8Array, otherInfo: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(COUNTER_ONE).update(sharedSecret).update(otherInfo).digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, 16).slice();
}
