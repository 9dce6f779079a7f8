/**
 * The same derivation as mac-secret-derivation.ts, by the native kernel: the JS derivation's
 * base and three tables are handed over once as bytes, and each batch is one call.
 */
import { loadNativeKernel } from '@gbfleet/gbcs-native';
import { InvalidArgumentError } from '../errors.js';
import type { MacSecretDerivation } from './mac-secret-derivation.js';
import type { AffinePoint } from './p256-curve.js';

/** What the store asks of a derivation: Z of devices[n] to out[outAt[n]..+32). */
export interface ZDerivation {
  deriveInto(devices: Uint32Array, out: Uint8Array, outAt: Uint32Array): void;
}

function writePoint(out: Buffer, at: number, p: AffinePoint): void {
  out.write(p.x.toString(16).padStart(64, '0'), at, 32, 'hex');
  out.write(p.y.toString(16).padStart(64, '0'), at + 32, 32, 'hex');
}

export function nativeZDerivation(js: MacSecretDerivation): ZDerivation {
  const load = loadNativeKernel();
  if (!load.ok) throw new InvalidArgumentError(load.reason);
  const { base, levels } = js.tables;
  const baseBytes = Buffer.alloc(64);
  writePoint(baseBytes, 0, base);
  const levelBytes = Buffer.alloc(3 * 1024 * 64);
  levels.forEach((level, n) => {
    level.forEach((p, m) => {
      writePoint(levelBytes, (n * 1024 + m) * 64, p);
    });
  });
  const made = load.binding.createZProgression(new Uint8Array(baseBytes), new Uint8Array(levelBytes));
  return {
    deriveInto: (devices, out, outAt) => load.binding.deriveZ(made.table, devices, out, outAt),
  };
}
