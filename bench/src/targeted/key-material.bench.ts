/**
 * Targeted: how fast device key material (Z behind each MAC, DS public key) is ready for a fleet,
 * derived by the pool's workers into shared memory. Target: 1,000,000 devices in ≤ 20 s on 2 cores.
 */
import { demoPoolOptions, withCryptoPool } from '@gbfleet/core';
import type { BenchSizes } from '../configurations.js';
import type { BenchResult } from '../result.js';

export const KEY_MATERIAL = 'keys/device-key-material';

export async function runKeyMaterialBench(
  sizes: BenchSizes,
  workers: number,
  log: (line: string) => void,
): Promise<BenchResult[]> {
  const devices = sizes.keyMaterialDevices;
  log(`keys: deriving key material for ${devices.toLocaleString('en-GB')} devices with ${workers} worker(s)`);
  return withCryptoPool(demoPoolOptions('bench-keys', devices, workers), async (pool) => {
    // Warm the workers (module load, party keys) outside the timing.
    await pool.deriveKeys(0, Math.min(devices, 1024));
    const started = process.hrtime.bigint();
    await pool.deriveKeys(0, devices);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const perSecond = devices / seconds;
    return [
      {
        name: `${KEY_MATERIAL} (${workers} workers)`,
        unit: 'devices/s',
        value: perSecond,
        p75: perSecond,
        p99: perSecond,
        samples: 1,
        note: `${devices} devices in ${seconds.toFixed(2)} s`,
      },
      {
        name: `${KEY_MATERIAL} seconds for 1,000,000 (${workers} workers)`,
        unit: 's',
        value: 1_000_000 / perSecond,
        p75: 1_000_000 / perSecond,
        p99: 1_000_000 / perSecond,
        samples: 1,
        lowerIsBetter: true,
        limit: 20,
        ratio: 1_000_000 / perSecond / 20,
      },
    ];
  });
}
