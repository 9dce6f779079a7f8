/**
 * Originator counters: how a sender numbers its commands, so that a meter (which accepts a
 * command only if its counter is strictly above the last one it accepted for that sender's role)
 * sees them rise. One scheme for the whole simulation; the engine, and any plug-in that gives a
 * sender its own clock (scenario-gno), use these functions.
 *
 *   DCC clock        (step + 1) · 2^24 + n                the default for every WAN command
 *   clock ahead      (step + 1 + lead) · 2^24 + n         a sender whose clock runs `lead` steps ahead
 *   tracking         recorded counter + attempt           MP128: always above the recorded one
 *   UTRN             u · 2^32                             u: the meter's UTRN counter, one per code
 *
 * n is the sender's sequence number within the step and the meter's shard (below 2^24): counted
 * per shard, so a segment of whole shards numbers its commands as the whole run does.
 */
import { InvalidArgumentError } from '@gbfleet/gbcs';

export const COUNTER_STEP_SHIFT = 24n;
export const MAX_SEQUENCE_PER_STEP = (1 << 24) - 1;
/** A UTRN's counter is its upper 32 bits (GBCS UTRN counter); the lower 32 are zero. */
export const UTRN_COUNTER_SHIFT = 32n;
const MAX_COUNTER = (1n << 64n) - 1n;

/** A counter derived from a clock: `(step + 1 + leadSteps) · 2^24 + sequence`. */
export function clockCounter(step: number, sequence: number, leadSteps = 0): bigint {
  if (!(Number.isInteger(step) && step >= 0 && Number.isInteger(leadSteps) && leadSteps >= 0)) {
    throw new InvalidArgumentError(`clock counter: step ${step} and lead ${leadSteps} must be integers ≥ 0`);
  }
  if (!(Number.isInteger(sequence) && sequence >= 0 && sequence <= MAX_SEQUENCE_PER_STEP)) {
    throw new InvalidArgumentError(`clock counter: sequence ${sequence} is not in 0..${MAX_SEQUENCE_PER_STEP}`);
  }
  return (BigInt(step + 1 + leadSteps) << COUNTER_STEP_SHIFT) + BigInt(sequence);
}

/**
 * The DSP with counter tracking (MP128): it recorded the counter of the SRV 6.15.1 that placed
 * the ACB certificate, and the k-th handover attempt carries that counter + k — strictly greater,
 * and never the same counter twice.
 */
export function trackedCounter(recorded: bigint, attempt: number): bigint {
  if (!(recorded > 0n && Number.isInteger(attempt) && attempt >= 1)) {
    throw new InvalidArgumentError(
      `tracked counter: needs a recorded counter > 0 and attempt ≥ 1, got ${recorded}, ${attempt}`,
    );
  }
  const counter = recorded + BigInt(attempt);
  if (counter > MAX_COUNTER) throw new InvalidArgumentError(`tracked counter ${counter} does not fit in 64 bits`);
  return counter;
}

/** Each sender's sequence number within the step and shard: n of the clock counter. */
export class StepSequences {
  readonly #next = new Map<number, number>();

  /** The sender's next sequence number this step for a meter of `shard`. */
  take(sender: number, shard = 0): number {
    // Party indexes are u16, so (shard, sender) packs into one safe integer.
    const key = shard * 0x1_0000 + sender;
    const sequence = this.#next.get(key) ?? 0;
    if (sequence > MAX_SEQUENCE_PER_STEP) {
      throw new InvalidArgumentError(
        `party ${sender} sent over ${MAX_SEQUENCE_PER_STEP + 1} commands in one step to shard ${shard}`,
      );
    }
    this.#next.set(key, sequence + 1);
    return sequence;
  }

  /** A new step: every sender starts again at 0. */
  clear(): void {
    this.#next.clear();
  }
}

/**
 * A UTRN's counter. By default the meter's next: `issued` (the supplier's per-device UTRN
 * counter, a fleet column) moves on by one. A given one must have its lower 32 bits zero, and
 * moves the issued counter on to it.
 */
export function issueUtrnCounter(issued: Uint32Array, meter: number, given: bigint | undefined): bigint {
  if (given === undefined) {
    const next = (issued[meter] as number) + 1;
    if (next > 0xffff_ffff) throw new InvalidArgumentError(`meter ${meter} has used up its UTRN counters`);
    issued[meter] = next;
    return BigInt(next) << UTRN_COUNTER_SHIFT;
  }
  if ((given & 0xffff_ffffn) !== 0n) {
    throw new InvalidArgumentError(
      `UTRN counter 0x${given.toString(16)} for meter ${meter} must have its lower 32 bits zero (a UTRN counter is the upper 32)`,
    );
  }
  const counter = Number(given >> UTRN_COUNTER_SHIFT);
  if (counter > (issued[meter] as number)) issued[meter] = counter;
  return given;
}
