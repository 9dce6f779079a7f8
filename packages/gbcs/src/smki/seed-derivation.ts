/**
 * The root of every value derived from a run's seed: test keys here, random streams in core.
 * Deterministic, so the same seed gives the same parties, devices and keys on every machine.
 */
import { createHash } from 'node:crypto';

/** SHA-256(seed ‖ 0 ‖ label ‖ 0 ‖ entity ‖ 0 ‖ counter): the root of every derived value. */
export function deriveBytes(seed: string, label: string, entity: number | bigint, counter = 0): Uint8Array {
  const digest = createHash('sha256')
    .update(`${seed}\u0000${label}\u0000${entity.toString()}\u0000${counter}`)
    .digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
