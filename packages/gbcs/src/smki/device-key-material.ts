/**
 * Key material for a whole fleet, fast and real. Device i's KA and DS private keys form
 * arithmetic progressions, d(i) = a + i·b (mod N), with a, b derived from the seed. Then
 *   Z(i)    = x(d_ka(i)·Q_acb) = x(A + i·T),  A = a_ka·Q_acb, T = b_ka·Q_acb
 *   Q_ds(i) = d_ds(i)·G        = A' + i·T',   A' = a_ds·G,   T' = b_ds·G
 * so each device costs point additions (one shared inversion per block), not scalar
 * multiplications. Layout: 96 bytes per device — Z (32) ‖ DS public x (32) ‖ y (32).
 * See docs/key-derivation.md (why, the figures, and why this is fine only in simulation).
 */
import { type AffinePoint, addToEach, G, multiplesTable, N, scalarMultiply } from './p256-curve.js';
import { scalarFromSeed } from './p256-keys.js';

export const KEY_MATERIAL_STRIDE = 96;
/** Devices per progression table: one inversion is shared by this many additions. */
const TABLE_SIZE = 1024;

export interface DeviceKeyStore {
  deviceCount: number;
  bytes: Uint8Array;
  /** Same memory as a Buffer, for fast hex writes. */
  buffer: Buffer;
}

export function createDeviceKeyStore(deviceCount: number): DeviceKeyStore {
  return deviceKeyStoreFromBuffer(new SharedArrayBuffer(deviceCount * KEY_MATERIAL_STRIDE), deviceCount);
}

export function deviceKeyStoreFromBuffer(buffer: SharedArrayBuffer | ArrayBuffer, deviceCount: number): DeviceKeyStore {
  if (buffer.byteLength < deviceCount * KEY_MATERIAL_STRIDE) {
    throw new RangeError(
      `key material buffer holds ${buffer.byteLength} bytes, ${deviceCount} devices need ${deviceCount * KEY_MATERIAL_STRIDE}`,
    );
  }
  return { deviceCount, bytes: new Uint8Array(buffer), buffer: Buffer.from(buffer) };
}

interface Progression {
  a: bigint;
  b: bigint;
}

function progression(seed: string, usage: 'ka' | 'ds'): Progression {
  return { a: scalarFromSeed(seed, `device-${usage}-base`, 0), b: scalarFromSeed(seed, `device-${usage}-step`, 0) };
}

/** Device i's KA private scalar (on demand: the meter end of Z). */
export function deviceKaScalar(seed: string, device: number): bigint {
  const { a, b } = progression(seed, 'ka');
  return (a + BigInt(device) * b) % N;
}

/** Device i's DS private scalar (on demand: signs the device's critical responses and alerts). */
export function deviceDsScalar(seed: string, device: number): bigint {
  const { a, b } = progression(seed, 'ds');
  return (a + BigInt(device) * b) % N;
}

/** Base, step and step table of one point progression, cached per worker. */
export interface PointProgression {
  base: AffinePoint;
  step: AffinePoint;
  table: AffinePoint[];
}

const cache = new Map<string, { ka: PointProgression; ds: PointProgression }>();

function pointProgressions(seed: string, acbKaPublic: AffinePoint): { ka: PointProgression; ds: PointProgression } {
  const key = `${seed}\u0000${acbKaPublic.x.toString(16)}`;
  let found = cache.get(key);
  if (!found) {
    const ka = progression(seed, 'ka');
    const ds = progression(seed, 'ds');
    const make = (p: Progression, point: AffinePoint): PointProgression => {
      const base = scalarMultiply(p.a, point);
      const step = scalarMultiply(p.b, point);
      if (!base || !step) throw new RangeError('degenerate key progression');
      return { base, step, table: multiplesTable(step, TABLE_SIZE) };
    };
    found = { ka: make(ka, acbKaPublic), ds: make(ds, G) };
    if (cache.size > 8) cache.clear();
    cache.set(key, found);
  }
  return found;
}

/**
 * The KA progression of a fleet: Z(i) = x(base + i·step), with table[j] = (j + 1)·step for j
 * below 1,024 (cached per worker, as `fillDeviceKeyMaterial` uses it).
 */
export function kaProgression(seed: string, acbKaPublic: AffinePoint): PointProgression {
  return pointProgressions(seed, acbKaPublic).ka;
}

/** base + i·step, via a small scalar multiplication of the step. */
function pointAt(p: PointProgression, i: number): AffinePoint | null {
  if (i === 0) return p.base;
  const offset = scalarMultiply(BigInt(i), p.step);
  return offset ? (addToEach(p.base, [offset], 1)[0] ?? null) : p.base;
}

/**
 * Writes Z and the DS public key of devices [lo, hi) into the store. The bytes depend only on
 * (seed, ACB key, device index): any split into ranges gives the same store.
 */
export function fillDeviceKeyMaterial(
  store: DeviceKeyStore,
  { seed, acbKaPublic, lo, hi }: { seed: string; acbKaPublic: AffinePoint; lo: number; hi: number },
): void {
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && 0 <= lo && lo <= hi && hi <= store.deviceCount)) {
    throw new RangeError(`device range [${lo}, ${hi}) is outside [0, ${store.deviceCount})`);
  }
  const { ka, ds } = pointProgressions(seed, acbKaPublic);
  for (let start = lo; start < hi; start += TABLE_SIZE) {
    const count = Math.min(TABLE_SIZE, hi - start);
    // Device `start` itself, then start + 1 … start + count − 1 as (start point) + j·step.
    const kaStart = pointAt(ka, start);
    const dsStart = pointAt(ds, start);
    if (!kaStart || !dsStart) throw new RangeError(`degenerate key material at device ${start}`);
    writeDevice(store, start, kaStart, dsStart);
    if (count > 1) {
      const kaRest = addToEach(kaStart, ka.table, count - 1);
      const dsRest = addToEach(dsStart, ds.table, count - 1);
      for (let j = 1; j < count; j++)
        writeDevice(store, start + j, kaRest[j - 1] as AffinePoint, dsRest[j - 1] as AffinePoint);
    }
  }
}

function writeDevice(store: DeviceKeyStore, device: number, z: AffinePoint, ds: AffinePoint): void {
  const at = device * KEY_MATERIAL_STRIDE;
  store.buffer.write(z.x.toString(16).padStart(64, '0'), at, 32, 'hex');
  store.buffer.write(ds.x.toString(16).padStart(64, '0'), at + 32, 32, 'hex');
  store.buffer.write(ds.y.toString(16).padStart(64, '0'), at + 64, 32, 'hex');
}

/** Z = ECDH(ACB KA, device KA) x-coordinate: a view into the store, 32 bytes. */
export function sharedSecretOf(store: DeviceKeyStore, device: number): Uint8Array {
  const at = device * KEY_MATERIAL_STRIDE;
  return store.bytes.subarray(at, at + 32);
}

/** The device's DS public key as 65-byte SEC1 (04 ‖ x ‖ y): a copy. */
export function dsPublicOf(store: DeviceKeyStore, device: number): Uint8Array {
  const at = device * KEY_MATERIAL_STRIDE;
  const out = new Uint8Array(65);
  out[0] = 4;
  out.set(store.bytes.subarray(at + 32, at + 96), 1);
  return out;
}
