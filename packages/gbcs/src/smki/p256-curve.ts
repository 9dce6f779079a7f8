/**
 * NIST P-256 arithmetic in BigInt, for the few places where Node's crypto has no API: adding
 * points (key material for a million devices is a progression of additions, see
 * docs/key-derivation.md) and multiplying arbitrary points. Not constant-time: simulation only.
 * Cross-checked against Node's ECDH in the tests.
 */

export const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
export const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
export const G: AffinePoint = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

export interface AffinePoint {
  x: bigint;
  y: bigint;
}

/** Jacobian (X, Y, Z) ↦ (X/Z², Y/Z³); Z = 0 is the point at infinity. */
interface JacobianPoint {
  x: bigint;
  y: bigint;
  z: bigint;
}

function mod(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

/** Modular inverse mod P (extended Euclid: faster than Fermat's 256-step power in BigInt). */
export function invert(a: bigint, m = P): bigint {
  let low = ((a % m) + m) % m;
  if (low === 0n) throw new RangeError('cannot invert zero');
  let high = m;
  let lm = 1n;
  let hm = 0n;
  while (low > 1n) {
    const q = high / low;
    [lm, hm] = [hm - lm * q, lm];
    [low, high] = [high - low * q, low];
  }
  return ((lm % m) + m) % m;
}

export function isOnCurve(p: AffinePoint): boolean {
  if (p.x < 0n || p.x >= P || p.y < 0n || p.y >= P) return false;
  return mod(p.y * p.y) === mod(p.x * p.x * p.x - 3n * p.x + B);
}

function toJacobian(p: AffinePoint): JacobianPoint {
  return { x: p.x, y: p.y, z: 1n };
}

function toAffine(p: JacobianPoint): AffinePoint | null {
  if (p.z === 0n) return null;
  const zi = invert(p.z);
  const zi2 = mod(zi * zi);
  return { x: mod(p.x * zi2), y: mod(p.y * zi2 * zi) };
}

/** 2P in Jacobian coordinates (a = -3). */
function double(p: JacobianPoint): JacobianPoint {
  if (p.z === 0n || p.y === 0n) return { x: 0n, y: 1n, z: 0n };
  const yy = mod(p.y * p.y);
  const zz = mod(p.z * p.z);
  const s = mod(4n * p.x * yy);
  const m = mod(3n * (p.x - zz) * (p.x + zz));
  const x = mod(m * m - 2n * s);
  const y = mod(m * (s - x) - 8n * yy * yy);
  const z = mod(2n * p.y * p.z);
  return { x, y, z };
}

/** P + Q with Q affine (mixed addition). */
function addMixed(p: JacobianPoint, q: AffinePoint): JacobianPoint {
  if (p.z === 0n) return toJacobian(q);
  const zz = mod(p.z * p.z);
  const u2 = mod(q.x * zz);
  const s2 = mod(q.y * zz * p.z);
  const h = mod(u2 - p.x);
  const r = mod(s2 - p.y);
  if (h === 0n) return r === 0n ? double(p) : { x: 0n, y: 1n, z: 0n };
  const hh = mod(h * h);
  const hhh = mod(hh * h);
  const v = mod(p.x * hh);
  const x = mod(r * r - hhh - 2n * v);
  const y = mod(r * (v - x) - p.y * hhh);
  const z = mod(p.z * h);
  return { x, y, z };
}

/** P + Q in affine coordinates; null is the point at infinity. */
export function addPoints(p: AffinePoint | null, q: AffinePoint | null): AffinePoint | null {
  if (!p) return q;
  if (!q) return p;
  return toAffine(addMixed(toJacobian(p), q));
}

/** k·P by double-and-add (k reduced mod N); null for the point at infinity. */
export function scalarMultiply(k: bigint, p: AffinePoint): AffinePoint | null {
  let scalar = ((k % N) + N) % N;
  let acc: JacobianPoint = { x: 0n, y: 1n, z: 0n };
  const bits: boolean[] = [];
  while (scalar > 0n) {
    bits.push((scalar & 1n) === 1n);
    scalar >>= 1n;
  }
  for (let i = bits.length - 1; i >= 0; i--) {
    acc = double(acc);
    if (bits[i]) acc = addMixed(acc, p);
  }
  return toAffine(acc);
}

/**
 * base + table[j] for every j, in affine coordinates, sharing ONE inversion among all the
 * additions (Montgomery's trick): about six multiplications per point instead of an inversion.
 * Falls back to the general addition for the (astronomically rare) equal-x case.
 */
export function addToEach(base: AffinePoint, table: readonly AffinePoint[], count: number): AffinePoint[] {
  return addPairs(new Array<AffinePoint>(count).fill(base), table.slice(0, count));
}

/**
 * ps[j] + qs[j] for every j, in affine coordinates, with ONE shared inversion (Montgomery's
 * trick); the equal-x case falls back to the general addition.
 */
export function addPairs(ps: readonly AffinePoint[], qs: readonly AffinePoint[]): AffinePoint[] {
  const count = ps.length;
  if (qs.length !== count) throw new RangeError(`addPairs: ${count} points and ${qs.length} to add`);
  const dx = new Array<bigint>(count);
  const prefix = new Array<bigint>(count);
  let acc = 1n;
  for (let j = 0; j < count; j++) {
    const d = mod((qs[j] as AffinePoint).x - (ps[j] as AffinePoint).x);
    dx[j] = d;
    prefix[j] = acc;
    if (d !== 0n) acc = mod(acc * d);
  }
  let inv = count > 0 ? invert(acc) : 1n;
  const out = new Array<AffinePoint>(count);
  for (let j = count - 1; j >= 0; j--) {
    const d = dx[j] as bigint;
    const p = ps[j] as AffinePoint;
    const q = qs[j] as AffinePoint;
    if (d === 0n) {
      const sum = addPoints(p, q);
      if (!sum) throw new RangeError('a point sum reached infinity: the derivation parameters are degenerate');
      out[j] = sum;
      continue;
    }
    const dInv = mod(inv * (prefix[j] as bigint));
    inv = mod(inv * d);
    const lambda = mod((q.y - p.y) * dInv);
    const x = mod(lambda * lambda - p.x - q.x);
    out[j] = { x, y: mod(lambda * (p.x - x) - p.y) };
  }
  return out;
}

/** table[j] = (j + 1)·S for j in [0, count): the steps a progression adds to its base. */
export function multiplesTable(step: AffinePoint, count: number): AffinePoint[] {
  const jac: JacobianPoint[] = new Array(count);
  let acc = toJacobian(step);
  for (let j = 0; j < count; j++) {
    jac[j] = acc;
    acc = addMixed(acc, step);
  }
  // Batch-normalise to affine with one inversion.
  const prefix = new Array<bigint>(count);
  let prod = 1n;
  for (let j = 0; j < count; j++) {
    prefix[j] = prod;
    prod = mod(prod * (jac[j] as JacobianPoint).z);
  }
  let inv = invert(prod);
  const out = new Array<AffinePoint>(count);
  for (let j = count - 1; j >= 0; j--) {
    const p = jac[j] as JacobianPoint;
    const zi = mod(inv * (prefix[j] as bigint));
    inv = mod(inv * p.z);
    const zi2 = mod(zi * zi);
    out[j] = { x: mod(p.x * zi2), y: mod(p.y * zi2 * zi) };
  }
  return out;
}

export function pointToSec1(p: AffinePoint): Uint8Array {
  const out = new Uint8Array(65);
  out[0] = 4;
  writeBig256(out, 1, p.x);
  writeBig256(out, 33, p.y);
  return out;
}

export function pointFromSec1(sec1: Uint8Array): AffinePoint {
  if (sec1.length !== 65 || sec1[0] !== 4) throw new RangeError('expected a 65-byte uncompressed SEC1 point (04‖x‖y)');
  const p = { x: readBig256(sec1, 1), y: readBig256(sec1, 33) };
  if (!isOnCurve(p)) throw new RangeError('the point is not on P-256');
  return p;
}

/** Writes a 256-bit big-endian integer at `offset`. */
export function writeBig256(out: Uint8Array, offset: number, value: bigint): void {
  let v = value;
  for (let i = 31; i >= 0; i--) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

export function readBig256(bytes: Uint8Array, offset: number): bigint {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += (bytes[offset + i] as number).toString(16).padStart(2, '0');
  return BigInt(`0x${hex}`);
}
