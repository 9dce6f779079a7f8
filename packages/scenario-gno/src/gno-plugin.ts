/**
 * The plug-in for one run: a GNO leaves the DCC and a new one takes over its GPFs (MP128).
 *
 *   gno-leaves     the departing GNO replaces its certificate in each GPF's network-operator cell
 *                  with the ACB's (SRV 6.15.1, signed by the GNO, its own counters), at its rate,
 *                  retrying failures, until its certificate is revoked at its exit (fixed at setup)
 *   gno-handover   registration moves to the incoming GNO; the DSP asks the ACB to place the
 *                  incoming GNO's certificate (SRV 6.21, signed by the ACB, the cell's occupant),
 *                  with counters that track the 6.15.1's or not (per cohort), retrying failures
 *
 * This module only wires the engine's hooks to a fresh GnoRun (gno-run.ts), which holds the state
 * (and saves it for a checkpoint, and puts it back on a resumed run).
 */
import type { ScenarioPlugin, ScenarioSpec } from '@gbfleet/core';
import { GNO_EVENT_TYPES, type GnoConfig } from './gno-config.js';
import type { GnoLedger } from './gno-ledger.js';
import { GnoRun, type GnoRunState } from './gno-run.js';

export interface GnoPlugin extends ScenarioPlugin {
  /** Null until the `gno-leaves` event has fired. */
  ledger(): GnoLedger | null;
}

export function createGnoPlugin(spec: ScenarioSpec, config: GnoConfig): GnoPlugin {
  const gno = new GnoRun(spec, config);
  return {
    name: 'gno',
    eventTypes: GNO_EVENT_TYPES,
    ledger: () => gno.ledger,
    setup: (run) => gno.planExit(run),
    onEvent(event, run) {
      if (event.type === 'gno-leaves') gno.leave(run);
      else if (event.type === 'gno-handover') gno.handover(run);
    },
    beforeStep: (run) => gno.sendStep(run),
    afterStep: (run, records) => gno.readStep(run, records),
    checkpoint: () => gno.saveState(),
    restore: (state, run) => gno.restoreState(state as GnoRunState | null, run),
  };
}
