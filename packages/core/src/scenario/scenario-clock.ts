/**
 * The run's clock, from a scenario: how many steps a day and a run have, and the step at which
 * a (day, hour) of the timeline begins. One definition, so the engine, the run database's
 * metadata and plug-ins validating their events all count steps the same way.
 */
import type { ScenarioSpec } from './scenario-spec.js';

type Clocked = Pick<ScenarioSpec, 'days' | 'stepMinutes'>;

export function stepsPerDayOf(spec: Pick<ScenarioSpec, 'stepMinutes'>): number {
  return Math.round(1440 / spec.stepMinutes);
}

export function stepsOf(spec: Clocked): number {
  return spec.days * stepsPerDayOf(spec);
}

/** The step in which hour `hour` of day `day` (both from 0) begins. */
export function stepAt(spec: Pick<ScenarioSpec, 'stepMinutes'>, day: number, hour: number): number {
  return day * stepsPerDayOf(spec) + Math.floor((hour * 60) / spec.stepMinutes);
}
