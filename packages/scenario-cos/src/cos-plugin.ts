/**
 * The CoS plug-in for one run: Change of Supplier without SR 6.23 (DP072). On each meter's supply
 * start date the registration moves to the gaining supplier; the meter's supplier cell moves only
 * when SR 6.23 — a real CS02b frame (0x0107) from the ACB, checked against the meter's ACB cell —
 * lands. Until then the meter's own schedules and alerts keep going to the losing supplier, which
 * is what the figures count.
 *
 *   supply start ──► registration = gaining ──► SR 6.23 (on time / late / never) ──► cell = gaining
 *                     leak begins (cell ≠ registered)                              leak ends
 *
 * This module only wires the engine's hooks to a CosRun (cos-run.ts), made at setup or, when a
 * run resumes, from the checkpoint's state.
 */
import type { ScenarioPlugin } from '@gbfleet/core';
import type { CosConfig } from './cos-config.js';
import { CosRun, type CosRunState } from './cos-run.js';

export function createCosPlugin(config: CosConfig): ScenarioPlugin {
  let cos: CosRun | undefined;
  return {
    name: 'cos',
    setup(run) {
      cos = CosRun.start(config, run);
    },
    checkpoint: () => (cos as CosRun).saveState(),
    restore(state, run) {
      cos = CosRun.fromState(config, state as CosRunState, run);
    },
    beforeStep: (run) => (cos as CosRun).beforeStep(run),
    afterStep: (run, records) => (cos as CosRun).afterStep(run, records),
  };
}
