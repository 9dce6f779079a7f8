/**
 * The batch crypto a pool worker runs: ECDSA P-256 signs and verifies, GBCS MACs written and
 * checked, each over a whole batch with offsets into one buffer (no object per operation). Two
 * kernels do it with the same results: `native` (gbcs-native, on Node's OpenSSL) and `js` (Node's
 * crypto for ECDSA, the JS AES-GMAC and KDF), the fallback and the reference. GBFLEET_CRYPTO=js|native
 * chooses; unset, the native one is used wherever it was built.
 */
import { loadNativeKernel, type NativeKernelBinding } from '@gbfleet/gbcs-native';
import { InvalidArgumentError } from '../errors.js';
import { createJsKernel } from './js-kernel.js';
import { createNativeKernel } from './native-kernel.js';

/** Keys held by a kernel, referenced by index in a batch. `bytes`: their memory, as measured. */
export interface KernelKeys {
  readonly count: number;
  readonly bytes: number;
}

export type CryptoKernelName = 'js' | 'native';

export interface CryptoKernel {
  readonly name: CryptoKernelName;
  /** Private scalars in [1, n − 1]. */
  signers(scalars: readonly bigint[]): KernelKeys;
  /**
   * 65-byte SEC1 uncompressed public points. `fixedBase` (native only; default: for tables of up to
   * FIXED_BASE_KEYS keys) gives each key a table of its multiples, for faster verifies.
   */
  verifiers(points: readonly Uint8Array[], options?: { fixedBase?: boolean }): KernelKeys;
  /** Signs SHA-256(data[start[i], end[i])) with signer key[i]: raw r ‖ s to out[outAt[i]..+64). */
  sign(
    keys: KernelKeys,
    key: Uint32Array,
    data: Uint8Array,
    start: Uint32Array,
    end: Uint32Array,
    out: Uint8Array,
    outAt: Uint32Array,
  ): void;
  /** results[i] = 1 when sig[sigAt[i]..+64) verifies over data[start[i], end[i]) with verifier key[i], else 0. */
  verify(
    keys: KernelKeys,
    key: Uint32Array,
    data: Uint8Array,
    start: Uint32Array,
    end: Uint32Array,
    sig: Uint8Array,
    sigAt: Uint32Array,
    results: Uint8Array,
  ): void;
  /** The GBCS MAC of each APDU, written: the binding's own signature and contract. */
  writeMacs: NativeKernelBinding['writeMacs'];
  /** The GBCS MAC of each APDU, compared in constant time: results[i] = 1 when equal. */
  checkMacs: NativeKernelBinding['checkMacs'];
}

export const CRYPTO_ENV = 'GBFLEET_CRYPTO';

export interface KernelChoice {
  kernel: CryptoKernel;
  /** Why the JS kernel is in use when native was not asked against; undefined otherwise. */
  fallbackReason?: string;
}

const chosen = new Map<string, KernelChoice>();

/**
 * The kernel GBFLEET_CRYPTO asks for (`js`, `native`, or unset: native where it loads). Asking
 * for native where it cannot load is an error that says why; so is any other value.
 */
export function chooseCryptoKernel(setting: string | undefined = process.env[CRYPTO_ENV]): KernelChoice {
  const key = setting ?? '';
  const cached = chosen.get(key);
  if (cached) return cached;
  let choice: KernelChoice;
  if (setting === 'js') choice = { kernel: createJsKernel() };
  else if (setting === 'native' || setting === undefined || setting === '') {
    const load = loadNativeKernel();
    if (load.ok) choice = { kernel: createNativeKernel(load.binding) };
    else if (setting === 'native') {
      throw new InvalidArgumentError(
        `${CRYPTO_ENV}=native, but ${load.reason}: build it with \`pnpm --filter @gbfleet/gbcs-native build:addon\` (it needs a C++ compiler, make, python3 and Node's headers), or set ${CRYPTO_ENV}=js`,
      );
    } else choice = { kernel: createJsKernel(), fallbackReason: load.reason };
  } else {
    throw new InvalidArgumentError(`${CRYPTO_ENV} must be js or native, not "${setting}"`);
  }
  chosen.set(key, choice);
  return choice;
}

/** One line for a run's start when the JS path is in use without being asked for; else undefined. */
export function cryptoFallbackNotice(): string | undefined {
  const { fallbackReason } = chooseCryptoKernel();
  return fallbackReason ? `${fallbackReason}; using the JavaScript crypto (slower)` : undefined;
}
