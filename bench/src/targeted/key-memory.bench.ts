/**
 * Targeted: memory per device key (lower is better), measured in a fresh child process
 * (key-memory-child.ts). A native verifier table of N distinct points, as a worker would hold
 * devices' keys (no fixed-base tables), in the bytes the table itself took from the native heap;
 * a fixed-base table (the pool's few trusted parties); and, to compare, a Node KeyObject per point
 * (`publicKeyFromSec1`, what the JS kernel holds), from the RSS it grew by, so approximate. And
 * the Z store's bytes per derived device: a constant.
 */
import { KEY_BYTES_PER_DERIVED_DEVICE, KEY_INDEX_BYTES_PER_DEVICE } from '@gbfleet/core';
import { MAC_SECRET_BYTES } from '@gbfleet/gbcs';
import type { BenchSizes } from '../configurations.js';
import { type BenchResult, single } from '../result.js';
import { childScript } from '../whole-run/child-script.js';
import type { KeyMemoryChild } from './key-memory-child.js';

/** Fixed-base tables are for a few keys only (the trusted parties'): measured on this many. */
const FIXED_BASE_KEYS = 4;

/** Keys as a figure's name shows them: 4 keys, 100,000 keys. */
function keysLabel(keys: number): string {
  return `${keys.toLocaleString('en-GB')} key${keys === 1 ? '' : 's'}`;
}

export function verifierTableName(keys: number): string {
  return `keys/native verifier table bytes per key (${keysLabel(keys)})`;
}

export async function runKeyMemoryBench(sizes: BenchSizes, log: (line: string) => void): Promise<BenchResult[]> {
  const { verifierKeys, keyObjects } = sizes.keyMemory;
  log(
    `keys: memory per key in a child process: ${keyObjects.toLocaleString('en-GB')} KeyObjects, a native verifier table of ${verifierKeys.toLocaleString('en-GB')} points`,
  );
  const child = await childScript<KeyMemoryChild>('../targeted/key-memory-child.js', [
    String(keyObjects),
    String(verifierKeys),
    String(FIXED_BASE_KEYS),
  ]);
  const results: BenchResult[] = [];
  const { verifiers, fixedBase } = child;
  if (verifiers && fixedBase) {
    if (verifiers.count !== verifierKeys || !(verifiers.bytes > 0)) {
      throw new Error(`the verifier table says ${verifiers.count} keys in ${verifiers.bytes} B: the bench is wrong`);
    }
    results.push(
      single(verifierTableName(verifierKeys), 'targeted', 'bytes', verifiers.bytes / verifierKeys, {
        lowerIsBetter: true,
        note: `${verifiers.bytes} B of native heap for ${verifierKeys} points, as the table measured it (RSS grew about ${Math.round(verifiers.rssBytes / verifierKeys)} B a key); no fixed-base tables`,
      }),
      single(
        `keys/native fixed-base verifier table bytes per key (${keysLabel(FIXED_BASE_KEYS)})`,
        'targeted',
        'bytes',
        fixedBase.bytes / FIXED_BASE_KEYS,
        {
          lowerIsBetter: true,
          note: 'each key with a table of its multiples: for the few trusted parties whose signatures every meter checks',
        },
      ),
    );
  } else {
    log(`keys: no native verifier table: ${child.nativeMissing ?? 'no figure'}`);
  }
  const k = child.keyObjects;
  results.push(
    single(
      `keys/KeyObject bytes per key (${keysLabel(keyObjects)}, approximate)`,
      'targeted',
      'bytes',
      k.rssBytes / k.count,
      {
        lowerIsBetter: true,
        // RSS moves with the allocator and the heap's pages: a reference to compare with, not gated.
        tracked: false,
        note: `RSS growth over making ${k.count} public KeyObjects in a fresh process, a full GC each side (of it JS heap ${Math.round(k.heapBytes / k.count)} B, external ${Math.round(k.externalBytes / k.count)} B a key); approximate`,
      },
    ),
    single('keys/Z store bytes per derived device', 'targeted', 'bytes', KEY_BYTES_PER_DERIVED_DEVICE, {
      lowerIsBetter: true,
      tracked: false,
      note: `a constant: ${MAC_SECRET_BYTES} B of Z + ${KEY_INDEX_BYTES_PER_DEVICE} B of index for a device that needed a Z (${KEY_INDEX_BYTES_PER_DEVICE} B of index for every other)`,
    }),
  );
  return results;
}
