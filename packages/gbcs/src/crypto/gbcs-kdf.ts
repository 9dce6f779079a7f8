/**
 * GBCS key derivation (NIST SP 800-56A concatenation KDF, one SHA-256 block):
 * key = first 16 bytes of SHA-256(00 00 00 01 ‖ Z ‖ OtherInfo). See docs/frame-format.md.
 */
import { sha256Into } from './sha256.js';

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
const digest = new Uint8Array(32);

/**
 * Same key as `gbcsKdf(z, gbcsOtherInfo(...))` without building OtherInfo, written to
 * `out[at..at+16)`: the pool derives one key per frame on both sides, so allocations matter.
 * Z must be 32 bytes.
 */
export function gbcsMacKeyInto(
  out: Uint8Array,
  at: number,
  sharedSecret: Uint8Array,
  originator: bigint,
  cra: CraFlag,
  counter: bigint,
  recipient: bigint,
): void {
  if (sharedSecret.length !== 32) throw new RangeError(`Z is 32 bytes, got ${sharedSecret.length}`);
  // Byte loops, not set(): Z is a view on shared memory, and these are too short for memcpy to pay.
  for (let i = 0; i < 32; i++) hotInput[4 + i] = sharedSecret[i] as number;
  hotView.setBigUint64(43, originator);
  hotInput[52] = cra;
  hotView.setBigUint64(53, counter);
  hotView.setBigUint64(61, recipient);
  sha256Into(hotInput, digest, 0);
  for (let i = 0; i < 16; i++) out[at + i] = digest[i] as number;
}

/** As `gbcsMacKeyInto`, in a new 16-byte array. */
export function gbcsMacKey(
  sharedSecret: Uint8Array,
  originator: bigint,
  cra: CraFlag,
  counter: bigint,
  recipient: bigint,
): Uint8Array {
  const key = new Uint8Array(16);
  gbcsMacKeyInto(key, 0, sharedSecret, originator, cra, counter, recipient);
  return key;
}

function digestKey(input: Uint8Array): Uint8Array {
  sha256Into(input, digest, 0);
  return digest.slice(0, 16);
}
