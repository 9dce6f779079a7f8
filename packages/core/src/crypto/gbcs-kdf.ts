/**
 * GBCS key derivation (NIST SP 800-56A concatenation KDF, one SHA-256 block):
 * key = first 16 bytes of SHA-256(00 00 00 01 ‖ Z ‖ OtherInfo). See docs/frame-format.md.
 */
import { hash } from 'node:crypto';

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
  const input = new Uint8Array(4 + sharedSecret.length + otherInfo.length);
  input.set(COUNTER_ONE, 0);
  input.set(sharedSecret, 4);
  input.set(otherInfo, 4 + sharedSecret.length);
  return digestKey(input);
}

// One reusable input buffer for the hot path: 00000001 ‖ Z (32) ‖ OtherInfo (33) = 69 bytes.
const hotInput = new Uint8Array(69);
const hotView = new DataView(hotInput.buffer);
hotInput.set(COUNTER_ONE, 0);
hotInput.set(ALGORITHM_ID, 36);
hotInput[51] = 0x09;

/**
 * Same key as `gbcsKdf(z, gbcsOtherInfo(...))` without building OtherInfo: the pool derives one
 * key per frame on both sides, so the allocations matter. Z must be 32 bytes.
 */
export function gbcsMacKey(
  sharedSecret: Uint8Array,
  originator: bigint,
  cra: CraFlag,
  counter: bigint,
  recipient: bigint,
): Uint8Array {
  hotInput.set(sharedSecret, 4);
  hotView.setBigUint64(43, originator);
  hotInput[52] = cra;
  hotView.setBigUint64(53, counter);
  hotView.setBigUint64(61, recipient);
  return digestKey(hotInput);
}

function digestKey(input: Uint8Array): Uint8Array {
  // One-shot hash: markedly cheaper than createHash().update().digest() per frame.
  const digest = hash('sha256', input, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, 16);
}
