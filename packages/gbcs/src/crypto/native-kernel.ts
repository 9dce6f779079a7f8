/**
 * The native kernel (gbcs-native) behind the CryptoKernel face: scalars and points become native
 * tables once; each batch is one call.
 */
import type { NativeKernelBinding } from '@gbfleet/gbcs-native';
import { InvalidArgumentError } from '../errors.js';
import type { CryptoKernel, KernelKeys } from './crypto-kernel.js';

/**
 * Up to this many verifier keys, each gets a fixed-base table (about 150 KB): the few parties whose
 * commands every meter checks then verify in two fixed-base multiplications, about twice as fast
 * as OpenSSL's generic verify. Bigger tables (devices' keys) keep only the point.
 */
export const FIXED_BASE_KEYS = 256;

interface NativeKeys extends KernelKeys {
  readonly table: object;
}

function tableOf(keys: KernelKeys): object {
  const table = (keys as NativeKeys).table;
  if (!table) throw new InvalidArgumentError('these keys were made by another kernel');
  return table;
}

export function createNativeKernel(binding: NativeKernelBinding): CryptoKernel {
  return {
    name: 'native',
    signers(scalars) {
      const bytes = new Uint8Array(32 * scalars.length);
      const hex = Buffer.from(bytes.buffer);
      scalars.forEach((d, i) => {
        if (d <= 0n || d >= 2n ** 256n) throw new InvalidArgumentError(`signer ${i}: the scalar is out of range`);
        hex.write(d.toString(16).padStart(64, '0'), 32 * i, 32, 'hex');
      });
      const made = binding.createSigners(bytes);
      return { count: scalars.length, bytes: made.bytes, table: made.table } as NativeKeys;
    },
    verifiers(points, options) {
      const bytes = new Uint8Array(65 * points.length);
      points.forEach((p, i) => {
        if (p.length !== 65) throw new InvalidArgumentError(`verifier ${i}: a SEC1 point is 65 bytes, got ${p.length}`);
        bytes.set(p, 65 * i);
      });
      const made = binding.createVerifiers(bytes, options?.fixedBase ?? points.length <= FIXED_BASE_KEYS);
      return { count: points.length, bytes: made.bytes, table: made.table } as NativeKeys;
    },
    sign: (keys, key, data, start, end, out, outAt) => binding.sign(tableOf(keys), key, data, start, end, out, outAt),
    verify: (keys, key, data, start, end, sig, sigAt, results) =>
      binding.verify(tableOf(keys), key, data, start, end, sig, sigAt, results),
    writeMacs: (data, apduStart, apduEnd, z, zAt, mac, macAt) =>
      binding.writeMacs(data, apduStart, apduEnd, z, zAt, mac, macAt),
    checkMacs: (data, apduStart, apduEnd, z, zAt, mac, macAt, results) =>
      binding.checkMacs(data, apduStart, apduEnd, z, zAt, mac, macAt, results),
  };
}
