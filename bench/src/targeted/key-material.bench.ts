/**
 * Targeted: how fast device key material (the Z behind each MAC) is ready for a fleet, derived
 * by the pool's workers into shared memory, as a run derives it for the devices it commands, on
 * the default crypto kernel (native where it is built; GBFLEET_CRYPTO overrides). Targets for
 * 1,000,000 devices on 2 cores: ≤ 1 s native, ≤ 20 s JS.
 */
import { demoPoolOptions, withCryptoPool } from '@gbfleet/core';
import type { CryptoKernelName } from '@gbfleet/gbcs';
import type { BenchSizes } from '../configurations.js';
import { type BenchResult, single } from '../result.js';

export const KEY_MATERIAL = 'keys/device-key-material';

/** Seconds for 1,000,000 devices, per kernel. */
export const KEY_MATERIAL_TARGET_SECONDS: Record<CryptoKernelName, number> = { native: 1, js: 20 };

export async function runKeyMaterialBench(
  sizes: BenchSizes,
  workers: number,
  log: (line: string) => void,
): Promise<{ crypto: CryptoKernelName; results: BenchResult[] }> {
  const devices = sizes.keyMaterialDevices;
  return withCryptoPool(demoPoolOptions('bench-keys', devices, workers), async (pool) => {
    const crypto = pool.crypto;
    const target = KEY_MATERIAL_TARGET_SECONDS[crypto];
    log(
      `keys: deriving key material for ${devices.toLocaleString('en-GB')} devices with ${workers} worker(s), ${crypto}`,
    );
    // Warm the workers (module load, party keys) outside the timing.
    await pool.deriveKeys(0, Math.min(devices, 1024));
    const started = process.hrtime.bigint();
    await pool.deriveKeys(0, devices);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const perSecond = devices / seconds;
    return {
      crypto,
      results: [
        single(`${KEY_MATERIAL} (${workers} workers, ${crypto})`, 'targeted', 'devices/s', perSecond, {
          note: `${devices} devices in ${seconds.toFixed(2)} s`,
        }),
        single(
          `${KEY_MATERIAL} seconds for 1,000,000 (${workers} workers, ${crypto})`,
          'targeted',
          's',
          1_000_000 / perSecond,
          {
            lowerIsBetter: true,
            limit: target,
            ratio: 1_000_000 / perSecond / target,
            limitKind: 'target',
            // The same measurement as the devices/s figure: the gate counts it once.
            tracked: false,
            note: `derived from the devices/s figure; target ≤ ${target} s`,
          },
        ),
      ],
    };
  });
}
