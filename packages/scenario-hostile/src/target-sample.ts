/**
 * Which meters each attack is sent to: a pure function of (seed, meter), so a segment picks from
 * its own meters exactly what the whole run picks from them. Attacks come in two families — over
 * the WAN, and at the keypad — and each meter sits in one bucket per family, so no two attacks of
 * a family meet at a meter (a keypad locked by brute force would blur a replayed UTRN's row).
 */
import { meterRandom, meterRandomU32, seedKey } from '@gbfleet/core';
import { ATTACK_TYPES, type AttackType } from './hostile-config.js';

/** UTRN attacks: at the meter's keypad. The others travel as frames over the WAN. */
export const KEYPAD_ATTACKS: readonly AttackType[] = ['utrn-replay', 'utrn-outside-window', 'utrn-brute-force'];
export const WAN_ATTACKS: readonly AttackType[] = ATTACK_TYPES.filter((a) => !KEYPAD_ATTACKS.includes(a));

// Streams of per-meter draws of this package (core's MeterStream numbers are small; these are not).
const STREAM_WAN_BUCKET = 0x4057_0001;
const STREAM_KEYPAD_BUCKET = 0x4057_0002;
const STREAM_PICK = 0x4057_0003;

export class TargetSample {
  readonly #key: number;

  constructor(seed: string) {
    this.#key = seedKey(seed);
  }

  /** Whether `meter` is in `attack`'s bucket and among the `share` of it picked. */
  targets(attack: AttackType, share: number, meter: number): boolean {
    const keypad = KEYPAD_ATTACKS.indexOf(attack);
    const family = keypad >= 0 ? KEYPAD_ATTACKS : WAN_ATTACKS;
    const stream = keypad >= 0 ? STREAM_KEYPAD_BUCKET : STREAM_WAN_BUCKET;
    if (meterRandomU32(this.#key, stream, meter, 0) % family.length !== family.indexOf(attack)) return false;
    return meterRandom(this.#key, STREAM_PICK, meter, ATTACK_TYPES.indexOf(attack)) < share;
  }
}
