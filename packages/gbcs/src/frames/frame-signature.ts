/**
 * ECDSA P-256 / SHA-256 over the General Signing APDU from the byte after DF to the end of the
 * payload, encoded as raw r‖s (64 bytes): the originator's DS key signs, its certificate verifies.
 */
import { type KeyObject, sign, verify } from 'node:crypto';
import type { DecodedFrame } from './frame-types.js';

export function signFrameApdu(signedRegion: Uint8Array, privateKey: KeyObject): Uint8Array {
  return new Uint8Array(sign('sha256', signedRegion, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
}

/**
 * False when the frame carries no signature or it does not verify. Plain FIPS 186-4 verification:
 * a high-s signature and its twin n − s both verify, on purpose. DCC's reference messages sign
 * with both halves, so a low-s rule would reject DCC's own commands. For a command the MAC covers
 * the signature and the originator counter decides what is new, so a twin is never news
 * (docs/frame-format.md, "ECDSA: high-s accepted").
 */
export function verifyFrameSignature(frame: DecodedFrame, publicKey: KeyObject): boolean {
  if (!frame.signature) return false;
  return verify('sha256', frame.signedRegion, { key: publicKey, dsaEncoding: 'ieee-p1363' }, frame.signature);
}
