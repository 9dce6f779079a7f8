/**
 * A GNO departure's clock, in steps: how many commands each sender sends per step, how long a
 * retry waits, how far ahead the departing GNO's counters run, and the step its certificate is
 * revoked. A pure function of (spec, config), worked out once per run so every hour-to-step
 * rounding happens in one place. Rates stay fractional: ShardQuota shares them among the shards.
 */
import type { ScenarioSpec } from '@gbfleet/core';
import type { GnoConfig } from './gno-config.js';
import { hoursToSteps } from './step-hours.js';

export interface GnoTiming {
  /** SRV 6.15.1 the departing GNO sends per step, over the whole fleet (may be a fraction). */
  readonly gnoPerStep: number;
  /** SRV 6.21 the DSP sends per step, over the whole fleet (may be a fraction). */
  readonly dspPerStep: number;
  readonly gnoRetrySteps: number;
  readonly dspRetrySteps: number;
  /** The departing GNO's clock lead (core's engine/originator-counter.ts), to the nearest step. */
  readonly leadSteps: number;
  /** The step its DCC User status ends: from here the DCC refuses what it signs. */
  readonly exitStep: number;
}

export function gnoTiming(spec: ScenarioSpec, config: GnoConfig): GnoTiming {
  const perStep = (perHour: number) => (perHour * spec.stepMinutes) / 60;
  return {
    gnoPerStep: perStep(config.departingGno.commandsPerHour),
    dspPerStep: perStep(config.dsp.commandsPerHour),
    gnoRetrySteps: hoursToSteps(config.departingGno.retryAfterHours, spec.stepMinutes),
    dspRetrySteps: hoursToSteps(config.dsp.retryAfterHours, spec.stepMinutes),
    leadSteps: hoursToSteps(config.leave.counterLeadHours, spec.stepMinutes, 'nearest'),
    exitStep: config.leave.step + hoursToSteps(config.leave.exitAfterHours, spec.stepMinutes),
  };
}
