/**
 * The native crypto kernel, if it was built (`scripts/build-addon.mjs`, run by `pnpm install`):
 * batches of ECDSA P-256 signs and verifies, GBCS MACs and Z derivations, one call a batch, on
 * the OpenSSL inside Node. Every call takes typed arrays and offsets into them; a bad entry
 * throws an Error whose `code` is GBF_NATIVE_ARGUMENT, GBF_NATIVE_BOUNDS, GBF_NATIVE_KEY or
 * GBF_NATIVE_CRYPTO, before anything of that entry is written.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A table held in native memory; `bytes` is what making it took from the heap. */
export interface NativeTable {
  readonly table: object;
  readonly bytes: number;
}

export interface NativeKernelBinding {
  /** Private scalars, 32 bytes each, big-endian. */
  createSigners(scalars: Uint8Array): NativeTable;
  /**
   * Public points, 65 bytes each (SEC1 uncompressed). `fixedBase`: a table of each key's multiples
   * too (about 150 KB a key), so a verify costs two fixed-base multiplications instead of one
   * generic double multiplication: for the few parties' keys that verify most signatures.
   */
  createVerifiers(points: Uint8Array, fixedBase?: boolean): NativeTable;
  /** Signs SHA-256(data[start[i], end[i])) with signer key[i]: raw r ‖ s to out[outAt[i]..+64). */
  sign(
    signers: object,
    key: Uint32Array,
    data: Uint8Array,
    start: Uint32Array,
    end: Uint32Array,
    out: Uint8Array,
    outAt: Uint32Array,
  ): void;
  /** results[i] = 1 when sig[sigAt[i]..+64) verifies over data[start[i], end[i]) with verifier key[i]. */
  verify(
    verifiers: object,
    key: Uint32Array,
    data: Uint8Array,
    start: Uint32Array,
    end: Uint32Array,
    sig: Uint8Array,
    sigAt: Uint32Array,
    results: Uint8Array,
  ): void;
  /** The 12-byte GBCS MAC of each APDU data[apduStart[i], apduEnd[i]) with Z z[zAt[i]..+32), to mac[macAt[i]]. */
  writeMacs(
    data: Uint8Array,
    apduStart: Uint32Array,
    apduEnd: Uint32Array,
    z: Uint8Array,
    zAt: Uint32Array,
    mac: Uint8Array,
    macAt: Uint32Array,
  ): void;
  /** As writeMacs, but compares with the MAC at mac[macAt[i]] (constant time): results[i] = 1 when equal. */
  checkMacs(
    data: Uint8Array,
    apduStart: Uint32Array,
    apduEnd: Uint32Array,
    z: Uint8Array,
    zAt: Uint32Array,
    mac: Uint8Array,
    macAt: Uint32Array,
    results: Uint8Array,
  ): void;
  /** The 16-byte MAC key of each APDU header at data[apduStart[i]] with Z z[zAt[i]], to out[16 i]. */
  macKeys(data: Uint8Array, apduStart: Uint32Array, z: Uint8Array, zAt: Uint32Array, out: Uint8Array): void;
  /** base: 64 bytes (x ‖ y); levels: 3 × 1,024 points of 64 bytes (m·2^(10n)·T). */
  createZProgression(base: Uint8Array, levels: Uint8Array): NativeTable;
  /** Z (32 bytes) of devices[i] to out[outAt[i]..+32). */
  deriveZ(progression: object, devices: Uint32Array, out: Uint8Array, outAt: Uint32Array): void;
  /** The OpenSSL the kernel runs on (Node's own). */
  readonly openssl: string;
}

export type NativeKernelLoad = { ok: true; binding: NativeKernelBinding } | { ok: false; reason: string };

/** Where the build puts the addon; GBFLEET_NATIVE_ADDON names another (tests of the fallback). */
export function nativeAddonPath(): string {
  return (
    process.env.GBFLEET_NATIVE_ADDON ?? fileURLToPath(new URL('../build/Release/gbcs_native.node', import.meta.url))
  );
}

let loaded: NativeKernelLoad | undefined;

/** Loads the addon once per thread; says why not when it cannot. */
export function loadNativeKernel(): NativeKernelLoad {
  if (loaded) return loaded;
  const path = nativeAddonPath();
  if (!existsSync(path)) {
    loaded = { ok: false, reason: `the native crypto kernel is not built (${path} is missing)` };
    return loaded;
  }
  try {
    loaded = { ok: true, binding: createRequire(import.meta.url)(path) as NativeKernelBinding };
  } catch (error) {
    loaded = { ok: false, reason: `the native crypto kernel at ${path} does not load: ${(error as Error).message}` };
  }
  return loaded;
}
