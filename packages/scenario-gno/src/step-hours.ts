/** Hours in whole steps: a departing GNO's clock lead, a handover delay. */

/** Whole steps in `hours` (a clock lead, a delay), at `stepMinutes` per step. */
export function hoursToSteps(hours: number, stepMinutes: number, round: 'nearest' | 'up' = 'up'): number {
  const steps = (hours * 60) / stepMinutes;
  return round === 'up' ? Math.ceil(steps) : Math.round(steps);
}
