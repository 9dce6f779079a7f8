/**
 * The JavaScript kernel: the reference the native one is held to, and the fallback where it is
 * not built. ECDSA through Node's crypto (a KeyObject per party), the MAC through gbcs-kdf.ts and
 * aes-gmac.ts. The MAC's KDF fields come from the APDU's own header, as in the native kernel.
 */
import { type KeyObject, sign, verify } from 'node:crypto';
import { InvalidArgumentError } from '../errors.js';
import { privateKeyFromScalar, publicKeyFromSec1 } from '../smki/p256-keys.js';
import { aesGmacInto, macEquals } from './aes-gmac.js';
import type { CryptoKernel, KernelKeys } from './crypto-kernel.js';
import { type CraFlag, gbcsMacKeyInto } from './gbcs-kdf.js';

interface JsKeys extends KernelKeys {
  readonly objects: KeyObject[];
}

const AAD_PREFIX = Uint8Array.of(0x11, 0x00, 0x00, 0x00, 0x00, 0x00);
const macKey = new Uint8Array(16);
const iv = new Uint8Array(12);
const computed = new Uint8Array(12);

function keysOf(keys: KernelKeys, index: number): KeyObject {
  const objects = (keys as JsKeys).objects;
  if (!objects) throw new InvalidArgumentError('these keys were made by another kernel');
  const key = objects[index];
  if (!key) throw new InvalidArgumentError(`key index ${index} is outside the table of ${objects.length}`);
  return key;
}

/** The MAC of data[start, end) with Z at z[zAt], into out[at..+12). */
function macInto(
  data: Uint8Array,
  start: number,
  end: number,
  z: Uint8Array,
  zAt: number,
  out: Uint8Array,
  at: number,
) {
  const apdu = data.subarray(start, end);
  if (apdu.length < 29 || apdu[0] !== 0xdf || apdu[1] !== 0x09 || apdu[11] !== 0x08 || apdu[20] !== 0x08) {
    throw new InvalidArgumentError('an APDU must start DF 09 … 08 … 08 (a General Signing header)');
  }
  const view = new DataView(apdu.buffer, apdu.byteOffset, apdu.byteLength);
  const originator = view.getBigUint64(12);
  gbcsMacKeyInto(
    macKey,
    0,
    z.subarray(zAt, zAt + 32),
    originator,
    apdu[2] as CraFlag,
    view.getBigUint64(3),
    view.getBigUint64(21),
  );
  for (let k = 0; k < 8; k++) iv[k] = apdu[12 + k] as number;
  aesGmacInto(out, at, 12, macKey, iv, AAD_PREFIX, apdu);
}

export function createJsKernel(): CryptoKernel {
  return {
    name: 'js',
    signers(scalars) {
      const objects = scalars.map((d) => privateKeyFromScalar(d));
      return { count: objects.length, bytes: 0, objects } as JsKeys;
    },
    verifiers(points) {
      const objects = points.map((p) => publicKeyFromSec1(p));
      return { count: objects.length, bytes: 0, objects } as JsKeys;
    },
    sign(keys, key, data, start, end, out, outAt) {
      for (let i = 0; i < key.length; i++) {
        const signature = sign('sha256', data.subarray(start[i] as number, end[i] as number), {
          key: keysOf(keys, key[i] as number),
          dsaEncoding: 'ieee-p1363',
        });
        out.set(signature, outAt[i] as number);
      }
    },
    verify(keys, key, data, start, end, sig, sigAt, results) {
      for (let i = 0; i < key.length; i++) {
        const at = sigAt[i] as number;
        results[i] = verify(
          'sha256',
          data.subarray(start[i] as number, end[i] as number),
          { key: keysOf(keys, key[i] as number), dsaEncoding: 'ieee-p1363' },
          sig.subarray(at, at + 64),
        )
          ? 1
          : 0;
      }
    },
    writeMacs(data, apduStart, apduEnd, z, zAt, mac, macAt) {
      for (let i = 0; i < apduStart.length; i++) {
        macInto(data, apduStart[i] as number, apduEnd[i] as number, z, zAt[i] as number, mac, macAt[i] as number);
      }
    },
    checkMacs(data, apduStart, apduEnd, z, zAt, mac, macAt, results) {
      for (let i = 0; i < apduStart.length; i++) {
        macInto(data, apduStart[i] as number, apduEnd[i] as number, z, zAt[i] as number, computed, 0);
        const at = macAt[i] as number;
        results[i] = macEquals(computed, mac.subarray(at, at + 12)) ? 1 : 0;
      }
    },
  };
}
