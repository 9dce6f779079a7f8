/**
 * The meter's side of one keypad entry: what a prepayment meter without WAN checks before it acts
 * on a UTRN, in this order — keypad not locked; the code reads (length, check digits, structure;
 * extended codes only on firmware that has the extended set); the counter rebuilt from its 10
 * bits within ±512 of the highest accepted; the MAC with the supplier's prepayment key; the
 * counter fresh (above the cache's floor and not already accepted). Five rejected entries in a
 * row lock the keypad. The state is four numbers per meter (fleet columns), updated in place.
 */
import {
  type CommandOutcome,
  type ExtendedUtrnCommandDef,
  type ParsedExtendedUtrn,
  type ParsedUtrn,
  parseExtendedUtrn,
  parseUtrn,
  reconstructUtrnCounter,
  verifyExtendedUtrnMac,
  verifyUtrnMac,
} from '@gbfleet/gbcs';
import type { UtrnStatus } from '../run/run-records.js';

/** Rejected entries in a row that lock the keypad. */
export const UTRN_LOCKOUT_STRIKES = 5;
/** How long the keypad stays locked, hours (gbfleet's choice: GBCS leaves it to the meter). */
export const UTRN_LOCKOUT_HOURS = 24;
/** Counters the meter remembers below the highest one it accepted (a 32-bit bitmap). */
export const UTRN_COUNTER_CACHE = 32;
/** The 10 counter bits are read as the counter nearest the highest accepted, within this many steps. */
export const UTRN_COUNTER_WINDOW = 512;

/** A meter's UTRN state (counters in UTRN-counter steps: the 64-bit counter's upper 32 bits). */
export interface UtrnMeterState {
  /** Highest counter accepted; 0 before the first. */
  highest: number;
  /** Bit k set: counter highest − k was accepted (k < 32). */
  recent: number;
  /** Rejected entries in a row. */
  strikes: number;
  /** The keypad is locked until this step (exclusive). */
  lockedUntil: number;
}

export type UtrnVerdict =
  | 'accepted'
  | 'check-digit'
  | 'malformed'
  | 'unsupported'
  | 'not-authentic'
  | 'duplicate'
  | 'counter'
  | 'locked-out';

export interface UtrnEntryContext {
  /** The step the entry is made in. */
  now: number;
  /** Steps a lockout lasts. */
  lockoutSteps: number;
  /** The meter's firmware has the extended (40/60-digit) command set. */
  extendedCommands: boolean;
  /** EUI of the party in the meter's supplier cell: whose prepayment key the meter trusts. */
  supplier: bigint;
  device: bigint;
  /** Z = ECDH(that party's prepayment KA, this device's KA). */
  sharedSecret: Uint8Array;
}

/** What an accepted code asks the meter to do (read from the verified code itself). */
export type UtrnContent =
  | { kind: 'top-up'; pence: number }
  | { kind: 'extended'; command: ExtendedUtrnCommandDef; params: Record<string, number> };

export interface UtrnEntryResult {
  verdict: UtrnVerdict;
  /** The full counter the code was accepted (or found genuine) at; null when none. */
  counter: bigint | null;
  /** Set when accepted. */
  content: UtrnContent | null;
}

interface Token {
  counterBits: number;
  verify(counter: bigint): boolean;
  content: UtrnContent;
}

/** The keypad check: reads the code, or says why it cannot. */
function readCode(typed: string, ctx: UtrnEntryContext): Token | UtrnVerdict {
  const keys = (counter: bigint) => ({
    sharedSecret: ctx.sharedSecret,
    supplier: ctx.supplier,
    device: ctx.device,
    counter,
  });
  if (typed.length === 20) {
    const parsed: ParsedUtrn = parseUtrn(typed);
    if (!parsed.ok) return parsed.code === 'UTRN_CHECK_DIGIT' ? 'check-digit' : 'malformed';
    return {
      counterBits: parsed.counterBits,
      verify: (counter) => verifyUtrnMac(parsed, keys(counter)),
      content: { kind: 'top-up', pence: parsed.valueClass === 'pounds' ? parsed.value * 100 : parsed.value },
    };
  }
  if (typed.length === 40 || typed.length === 60) {
    if (!ctx.extendedCommands) return 'unsupported';
    const parsed: ParsedExtendedUtrn = parseExtendedUtrn(typed);
    if (!parsed.ok) return parsed.code === 'UTRN_CHECK_DIGIT' ? 'check-digit' : 'malformed';
    return {
      counterBits: parsed.counterBits,
      verify: (counter) => verifyExtendedUtrnMac(parsed, keys(counter)),
      content: { kind: 'extended', command: parsed.command, params: parsed.params },
    };
  }
  return 'malformed';
}

/**
 * One entry at the keypad of a meter in `state`. Updates the state (cache, strikes, lockout) and
 * returns the verdict; the caller acts on `content` when accepted. Never throws on any input.
 */
export function enterUtrn(state: UtrnMeterState, typed: string, ctx: UtrnEntryContext): UtrnEntryResult {
  if (ctx.now < state.lockedUntil) return { verdict: 'locked-out', counter: null, content: null };
  const token = typeof typed === 'string' && /^\d*$/.test(typed) ? readCode(typed, ctx) : 'malformed';
  if (typeof token === 'string') return reject(state, ctx, token, null);
  const candidate = reconstructUtrnCounter(token.counterBits, BigInt(state.highest) << 32n);
  if (candidate !== null && token.verify(candidate)) {
    const steps = Number(candidate >> 32n);
    if (steps > state.highest) {
      const shift = steps - state.highest;
      state.recent = shift >= UTRN_COUNTER_CACHE ? 1 : ((state.recent << shift) | 1) >>> 0;
      state.highest = steps;
    } else {
      const below = state.highest - steps;
      if (below >= UTRN_COUNTER_CACHE) return reject(state, ctx, 'counter', candidate);
      if (((state.recent >>> below) & 1) === 1) return reject(state, ctx, 'duplicate', candidate);
      state.recent = (state.recent | (1 << below)) >>> 0;
    }
    state.strikes = 0;
    return { verdict: 'accepted', counter: candidate, content: token.content };
  }
  // The MAC fails at the counter the window gives. A genuine code issued more than 512 counters
  // away fails the same way; the meter tries the neighbouring readings of the 10 bits only to say
  // which (counter window, not forgery) — it accepts neither.
  const elsewhere = genuineOutsideWindow(token, state.highest, candidate);
  return reject(state, ctx, elsewhere === null ? 'not-authentic' : 'counter', elsewhere);
}

function genuineOutsideWindow(token: Token, highest: number, tried: bigint | null): bigint | null {
  const bits = token.counterBits & 0x3ff;
  const base = Math.floor(highest / 1024);
  for (const b of [base - 2, base - 1, base, base + 1, base + 2]) {
    const steps = b * 1024 + bits;
    if (steps <= 0 || steps > 0xffff_ffff) continue;
    const counter = BigInt(steps) << 32n;
    if (counter === tried) continue;
    if (token.verify(counter)) return counter;
  }
  return null;
}

function reject(
  state: UtrnMeterState,
  ctx: UtrnEntryContext,
  verdict: UtrnVerdict,
  counter: bigint | null,
): UtrnEntryResult {
  state.strikes += 1;
  if (state.strikes >= UTRN_LOCKOUT_STRIKES) {
    state.strikes = 0;
    state.lockedUntil = ctx.now + Math.max(1, ctx.lockoutSteps);
  }
  return { verdict, counter, content: null };
}

/** The `utrn.status` of an entry with this verdict. */
export const UTRN_VERDICT_STATUS: Readonly<Record<UtrnVerdict, UtrnStatus>> = {
  accepted: 'accepted',
  'check-digit': 'rejected-typo',
  malformed: 'rejected-typo',
  unsupported: 'rejected-unsupported',
  'not-authentic': 'rejected-mac',
  duplicate: 'rejected-replay',
  counter: 'rejected-counter',
  'locked-out': 'rejected-locked-out',
};

/** The `commands.reason` of a UTRN whose last entry had this verdict. */
export const UTRN_VERDICT_OUTCOME: Readonly<Record<UtrnVerdict, CommandOutcome>> = {
  accepted: 'ACCEPTED',
  'check-digit': 'GBCS_MALFORMED',
  malformed: 'GBCS_MALFORMED',
  unsupported: 'GBCS_UNSUPPORTED',
  'not-authentic': 'GBCS_MAC_INVALID',
  duplicate: 'GBCS_REPLAY',
  counter: 'GBCS_REPLAY',
  'locked-out': 'DEVICE_REFUSED',
};
