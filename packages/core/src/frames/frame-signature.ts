/**
 * ECDSA P-256 / SHA-256 over the General Signing APDU from the byte after DF to the end of the
 * payload, encoded as raw r‖s (64 bytes): the originator's DS key signs, its certificate verifies.
 */
import { type KeyObject, sign, verify } from 'node:crypto';
import type { DecodedFrame } from './frame-types.js';

export function signFrameApdu(signedRegion: Uint8Array, privateKey: KeyObject): Uint8Array {
  return new Uint8Array(sign('sha256', signedRegion, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
}

/** False when the frame carries no signature or it does not verify. */
export function verifyFrameSignature(frame: DecodedFrame, publicKey: KeyObject): boolean {
  if (!frame.signature) return false;
  return verify('sha256', frame.signedRegion, { key: publicKey, dsaEncoding: 'ieee-p1363' }, frame.signature);
}
