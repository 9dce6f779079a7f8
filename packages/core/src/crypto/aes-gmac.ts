/**
 * AES-128-GMAC: AES-GCM over an empty plaintext, so the tag authenticates only the AAD.
 * GBCS uses it for command/response MACs (first 12 tag bytes) and UTRN MACs (last 4).
 */
import { createCipheriv } from 'node:crypto';

/**
 * Returns the full 16-byte GCM tag for (key, 12-byte IV, AAD) with empty plaintext. The AAD may
 * come in parts (GCM authenticates their concatenation), which spares the hot path a copy.
 */
export function aesGmac(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, ...moreAad: Uint8Array[]): Uint8Array {
  const cipher = createCipheriv('aes-128-gcm', key, iv);
  cipher.setAAD(aad);
  for (const part of moreAad) cipher.setAAD(part);
  cipher.final();
  return cipher.getAuthTag();
}

/** IV = originator EUI (8 bytes) ‖ 00 00 00 00. */
export function gbcsIv(originator: bigint): Uint8Array {
  const iv = new Uint8Array(12);
  new DataView(iv.buffer).setBigUint64(0, originator);
  return iv;
}

/** Constant-time comparison of two MACs of equal length. */
export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
