/**
 * Originator counters of the parties in this scenario. A GPF accepts a command for its
 * network-operator cell only if its counter is strictly above the last one the cell accepted, and
 * the cell keeps that counter when its occupant changes (GNO → ACB → incoming GNO). So what
 * matters is how each party numbers its commands:
 *
 *   DCC clock        (step + 1) · 2^24 + n                the DSP's own counters (the engine's default)
 *   departing GNO    (step + 1 + lead) · 2^24 + n         its clock runs `lead` steps ahead
 *   DSP, tracking    recorded 6.15.1 counter + attempt    MP128: always above the GNO's
 *
 * n is the sender's sequence number within the step (below 2^24).
 */
import { InvalidArgumentError } from '@gbfleet/gbcs';

export const COUNTER_STEP_SHIFT = 24n;
export const MAX_SEQUENCE_PER_STEP = (1 << 24) - 1;
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

/** Whole steps in `hours` (a clock lead, a delay), at `stepMinutes` per step. */
export function hoursToSteps(hours: number, stepMinutes: number, round: 'nearest' | 'up' = 'up'): number {
  const steps = (hours * 60) / stepMinutes;
  return round === 'up' ? Math.ceil(steps) : Math.round(steps);
}
