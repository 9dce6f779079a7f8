/**
 * The devices' Z, shared by every worker of a pool, held only for devices that needed one: an
 * Int32 per device says where its 32 bytes are (0: not derived; −1: a worker is deriving it;
 * s + 1: slot s), and slots are handed out in order. Slots are claimed in order and written once,
 * so memory grows with the devices commanded (36 bytes each), not with the fleet (4 bytes a
 * device for the index). The slot space is reserved but untouched until used.
 *
 * Two workers never derive the same device: a worker claims the missing devices of its batch
 * (compare-and-swap 0 → −1), derives and publishes its own claims, and only then waits for the
 * ones another worker had claimed. Nobody waits while holding an unpublished claim, so this
 * cannot deadlock.
 */
import type { CryptoKernelName } from '../crypto/crypto-kernel.js';
import { MacSecretDerivation } from './mac-secret-derivation.js';
import { nativeZDerivation, type ZDerivation } from './native-z-derivation.js';
import type { AffinePoint } from './p256-curve.js';

export const MAC_SECRET_BYTES = 32;
const DERIVING = -1;
/** How long one wait for another worker's claim lasts before looking again. */
const WAIT_MS = 1000;

/** The shared memory of a store: made once by the pool, passed to every worker. */
export interface MacSecretBuffers {
  devices: number;
  /** Int32 per device: 0, −1 or slot + 1. */
  index: SharedArrayBuffer;
  /** 32 bytes per slot, one slot per device at most. */
  slots: SharedArrayBuffer;
  /** Int32 [next slot]. */
  next: SharedArrayBuffer;
}

export function allocateMacSecretBuffers(devices: number): MacSecretBuffers {
  return {
    devices,
    index: new SharedArrayBuffer(devices * 4),
    slots: new SharedArrayBuffer(devices * MAC_SECRET_BYTES),
    next: new SharedArrayBuffer(4),
  };
}

export class MacSecretStore {
  readonly devices: number;
  readonly #index: Int32Array;
  readonly #next: Int32Array;
  readonly #slotBytes: Uint8Array;
  readonly #derivation: ZDerivation;

  /** `kernel`: who derives, the JS arithmetic or the native kernel (the same bytes). */
  constructor(buffers: MacSecretBuffers, seed: string, acbKaPublic: AffinePoint, kernel: CryptoKernelName = 'js') {
    if (
      buffers.index.byteLength < buffers.devices * 4 ||
      buffers.slots.byteLength < buffers.devices * MAC_SECRET_BYTES
    ) {
      throw new RangeError(`the MAC secret buffers are too small for ${buffers.devices} devices`);
    }
    this.devices = buffers.devices;
    this.#index = new Int32Array(buffers.index);
    this.#slotBytes = new Uint8Array(buffers.slots);
    this.#next = new Int32Array(buffers.next);
    const js = new MacSecretDerivation(seed, acbKaPublic);
    this.#derivation = kernel === 'native' ? nativeZDerivation(js) : js;
  }

  /** Devices with their Z stored, by all workers so far. */
  get derived(): number {
    return Atomics.load(this.#next, 0);
  }

  /** Device `device`'s Z (32 bytes, a view), deriving it first if nobody has. */
  secretOf(device: number): Uint8Array {
    const slot = Atomics.load(this.#index, this.#checked(device));
    if (slot > 0) return this.#slotBytes.subarray((slot - 1) * MAC_SECRET_BYTES, slot * MAC_SECRET_BYTES);
    this.prepare([device]);
    return this.secretOf(device);
  }

  /** Makes sure every device of `devices` has its Z stored: one batch for those this worker claims. */
  prepare(devices: ArrayLike<number>): void {
    const mine: number[] = [];
    const theirs: number[] = [];
    for (let n = 0; n < devices.length; n++) {
      const device = this.#checked(devices[n] as number);
      const slot = Atomics.load(this.#index, device);
      if (slot > 0) continue;
      if (slot === 0 && Atomics.compareExchange(this.#index, device, 0, DERIVING) === 0) mine.push(device);
      else theirs.push(device);
    }
    if (mine.length > 0) this.#publish(mine);
    for (const device of theirs) {
      while (Atomics.load(this.#index, device) === DERIVING) Atomics.wait(this.#index, device, DERIVING, WAIT_MS);
    }
  }

  #publish(devices: readonly number[]): void {
    const first = Atomics.add(this.#next, 0, devices.length);
    const outAt = new Uint32Array(devices.length);
    for (let n = 0; n < devices.length; n++) outAt[n] = (first + n) * MAC_SECRET_BYTES;
    this.#derivation.deriveInto(Uint32Array.from(devices), this.#slotBytes, outAt);
    for (let n = 0; n < devices.length; n++) {
      const device = devices[n] as number;
      Atomics.store(this.#index, device, first + n + 1);
      Atomics.notify(this.#index, device);
    }
  }

  #checked(device: number): number {
    if (!(Number.isInteger(device) && device >= 0 && device < this.devices)) {
      throw new RangeError(`device ${device} is outside [0, ${this.devices})`);
    }
    return device;
  }
}
