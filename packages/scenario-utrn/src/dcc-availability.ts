/**
 * When the DCC can carry the plug-in's WAN messages. Down during the core's `dcc-outage` events
 * and high-impact maintenance windows (an outage, through the engine's `dccOutage`); degraded
 * during low-impact windows, when meters on an intermittent WAN cannot be reached (every command
 * to them is lost) until the last overlapping window ends. The down steps are known at setup, so
 * routing can issue a code instead of a WAN message that could not arrive.
 */
import type { RunContext } from '@gbfleet/core';
import { UtrnEngineError } from './errors.js';
import type { MaintenanceWindow } from './maintenance-windows.js';
import { FIGURE } from './utrn-figures.js';

/**
 * What a checkpoint keeps: the low-impact windows in force and when they end, and the WAN
 * settings to put back. The down steps and the windows' starts are made again from the spec.
 */
export interface DccAvailabilityState {
  lowEnds: Map<number, number>;
  lowActive: number;
  saved: { intermittentLossShare: number; intermittentDelayShare: number };
}

export class DccAvailability {
  readonly #wanDown: Uint8Array;
  readonly #starts = new Map<number, MaintenanceWindow[]>();
  readonly #lowEnds = new Map<number, number>();
  #lowActive = 0;
  /** The WAN settings a low-impact window overrides, put back when the last one ends. */
  #saved = { intermittentLossShare: 0, intermittentDelayShare: 0 };

  /** The run's windows (in start order). Their figures: countWindows, once, at setup. */
  constructor(run: RunContext, windows: readonly MaintenanceWindow[]) {
    const stepHours = run.spec.stepMinutes / 60;
    this.#wanDown = new Uint8Array(run.steps);
    const down = (from: number, steps: number) => this.#wanDown.fill(1, Math.max(0, from), Math.max(0, from + steps));
    for (const e of run.spec.events) {
      // A core event, validated by the core's schema; read as the engine reads it.
      if (e.type === 'dcc-outage') down(run.stepAt(e.day, e.hour), Math.ceil(Number(e.params.hours) / stepHours));
    }
    for (const w of windows) {
      if (w.startStep >= run.steps) continue;
      if (w.impact === 'high') down(w.startStep, w.steps);
      const list = this.#starts.get(w.startStep);
      if (list) list.push(w);
      else this.#starts.set(w.startStep, [w]);
    }
  }

  saveState(): DccAvailabilityState {
    return { lowEnds: new Map(this.#lowEnds), lowActive: this.#lowActive, saved: { ...this.#saved } };
  }

  restoreState(state: DccAvailabilityState): void {
    for (const [step, ending] of state.lowEnds) this.#lowEnds.set(step, ending);
    this.#lowActive = state.lowActive;
    this.#saved = { ...state.saved };
  }

  wanDown(step: number): boolean {
    return this.#wanDown[step] === 1;
  }

  /** Maintenance starting or ending this step: high impact is an outage, low impact loses intermittent meters. */
  applyMaintenance(run: RunContext): void {
    const ending = this.#lowEnds.get(run.step) ?? 0;
    this.#lowEnds.delete(run.step);
    if (ending > 0) {
      this.#lowActive -= ending;
      if (this.#lowActive === 0) Object.assign(run.dcc.wan, this.#saved);
    }
    for (const w of this.#starts.get(run.step) ?? []) {
      if (w.impact === 'high') {
        if (!run.dccOutage) {
          throw new UtrnEngineError(
            'high-impact DCC maintenance needs RunContext.dccOutage, which this engine lacks: update @gbfleet/core',
          );
        }
        run.dccOutage(w.hours);
        continue;
      }
      if (this.#lowActive === 0) {
        const { intermittentLossShare, intermittentDelayShare } = run.dcc.wan;
        this.#saved = { intermittentLossShare, intermittentDelayShare };
        run.dcc.wan.intermittentLossShare = 1;
        run.dcc.wan.intermittentDelayShare = 0;
      }
      this.#lowActive++;
      this.#lowEnds.set(w.startStep + w.steps, (this.#lowEnds.get(w.startStep + w.steps) ?? 0) + 1);
    }
  }
}

/**
 * The windows in the run, by impact. They are the DCC's, the same in every segment, and figures
 * add up over segments: so only the segment with meter 0 (every split has one; the whole run is
 * it) counts them, and the others count 0.
 */
export function countWindows(run: RunContext, windows: readonly MaintenanceWindow[]): void {
  const counts = run.owned.lo === 0;
  for (const w of windows) {
    if (counts && w.startStep < run.steps)
      run.count(w.impact === 'high' ? FIGURE.maintenanceHigh : FIGURE.maintenanceLow);
  }
  run.count(FIGURE.maintenanceHigh, 0);
  run.count(FIGURE.maintenanceLow, 0);
}
