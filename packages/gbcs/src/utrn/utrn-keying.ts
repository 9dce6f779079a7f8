/**
 * How a consumer keys a code in at the meter. One keypad attempt is the issued code with up to
 * two slips — a digit replaced, two neighbours swapped, a digit left out or typed twice — packed
 * into one 32-bit number (0 = typed exactly), so a step's attempts travel to the workers as a
 * Uint32Array. The slips are applied to the real digits: whether the meter notices (check digit,
 * then MAC) is decided by the meter's own checks, never by the model.
 *
 *   attempt (u32) = slip 2 (u16) ‖ slip 1 (u16)          slip 1 is applied first
 *   slip (u16)    = 1 ‖ 0 ‖ kind (2) ‖ 0 ‖ position (7) ‖ delta (4)
 */
import { InvalidArgumentError } from '../errors.js';

export const SlipKind = {
  /** The digit at `position` becomes (digit + delta) mod 10, delta 1–9. */
  Replace: 0,
  /** The digits at `position` and `position + 1` swap places. */
  Swap: 1,
  /** The digit at `position` is left out. */
  Omit: 2,
  /** The digit at `position` is typed twice. */
  Double: 3,
} as const;
export type SlipKindValue = (typeof SlipKind)[keyof typeof SlipKind];

export interface Slip {
  kind: SlipKindValue;
  /** 0–127; taken modulo the code's length when applied. */
  position: number;
  /** Replace only: 1–9. */
  delta: number;
}

/** The most keypad attempts one entry may carry (a consumer at the keypad in one sitting). */
export const MAX_KEYING_ATTEMPTS = 16;
const PRESENT = 0x8000;

export function encodeSlip(slip: Slip): number {
  const { kind, position, delta } = slip;
  if (!(Number.isInteger(kind) && kind >= 0 && kind <= 3)) {
    throw new InvalidArgumentError(`slip kind ${kind} is not 0 (replace), 1 (swap), 2 (omit) or 3 (double)`);
  }
  if (!(Number.isInteger(position) && position >= 0 && position <= 127)) {
    throw new InvalidArgumentError(`slip position ${position} is not an integer from 0 to 127`);
  }
  const wantDelta = kind === SlipKind.Replace;
  if (wantDelta ? !(Number.isInteger(delta) && delta >= 1 && delta <= 9) : delta !== 0) {
    throw new InvalidArgumentError(
      `slip delta ${delta}: a replace slip needs a delta from 1 to 9, other slips a delta of 0`,
    );
  }
  return PRESENT | (kind << 12) | (position << 4) | delta;
}

/** Packs up to two slips into one attempt; no slips = 0 (typed exactly). */
export function encodeAttempt(slips: readonly Slip[]): number {
  if (slips.length > 2) throw new InvalidArgumentError(`an attempt holds at most 2 slips, got ${slips.length}`);
  const [first, second] = slips;
  const low = first ? encodeSlip(first) : 0;
  const high = second ? encodeSlip(second) : 0;
  return ((high << 16) | low) >>> 0;
}

/** The slips of an attempt, or null when the number is not a valid attempt. */
export function decodeAttempt(attempt: number): Slip[] | null {
  if (!(Number.isInteger(attempt) && attempt >= 0 && attempt <= 0xffff_ffff)) return null;
  const low = attempt & 0xffff;
  const high = attempt >>> 16;
  if (low === 0 && high !== 0) return null;
  const slips: Slip[] = [];
  for (const half of [low, high]) {
    if (half === 0) continue;
    if ((half & PRESENT) === 0 || (half & 0x4800) !== 0) return null;
    const kind = ((half >> 12) & 0x3) as SlipKindValue;
    const position = (half >> 4) & 0x7f;
    const delta = half & 0xf;
    if (kind === SlipKind.Replace ? delta < 1 || delta > 9 : delta !== 0) return null;
    slips.push({ kind, position, delta });
  }
  return slips;
}

/** Throws unless every entry is a valid attempt (checked where a plug-in hands attempts over). */
export function checkAttempts(attempts: readonly number[]): void {
  if (!Array.isArray(attempts) || attempts.length > MAX_KEYING_ATTEMPTS) {
    throw new InvalidArgumentError(`UTRN keying holds 0 to ${MAX_KEYING_ATTEMPTS} attempts`);
  }
  attempts.forEach((a, i) => {
    if (decodeAttempt(a) === null) {
      throw new InvalidArgumentError(`UTRN keying attempt ${i}: ${a} is not an encoded attempt (see encodeAttempt)`);
    }
  });
}

/** What the consumer actually typed for `code` in this attempt. */
export function applyAttempt(code: string, attempt: number): string {
  const slips = decodeAttempt(attempt);
  if (slips === null) throw new InvalidArgumentError(`${attempt} is not an encoded keypad attempt`);
  let typed = code;
  for (const slip of slips) {
    if (typed.length === 0) break;
    const at = slip.position % typed.length;
    const digit = typed.charCodeAt(at) - 48;
    switch (slip.kind) {
      case SlipKind.Replace:
        typed = `${typed.slice(0, at)}${(digit + slip.delta) % 10}${typed.slice(at + 1)}`;
        break;
      case SlipKind.Swap: {
        const next = (at + 1) % typed.length;
        if (next === at) break;
        const [i, j] = at < next ? [at, next] : [next, at];
        typed = `${typed.slice(0, i)}${typed[j]}${typed.slice(i + 1, j)}${typed[i]}${typed.slice(j + 1)}`;
        break;
      }
      case SlipKind.Omit:
        typed = `${typed.slice(0, at)}${typed.slice(at + 1)}`;
        break;
      case SlipKind.Double:
        typed = `${typed.slice(0, at + 1)}${typed.slice(at)}`;
        break;
    }
  }
  return typed;
}
