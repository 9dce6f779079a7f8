/**
 * Consumers off supply, per command set: from the step's supply events, how many consumers of
 * the tracked meters (prepayment, without WAN when the run starts) went off supply and for how
 * many hours in all — from `disabled` to `enabled`, open spells closed at the end of the run.
 */
import { SUPPLY_EVENTS, type SupplyEventBatch } from '@gbfleet/core';

const DISABLED = SUPPLY_EVENTS.indexOf('disabled');
const ENABLED = SUPPLY_EVENTS.indexOf('enabled');
export const UNTRACKED = 255;

export class OffSupplyTally {
  readonly #group: Uint8Array;
  readonly #since: Int32Array;
  readonly #ever: Uint8Array;
  readonly consumers: number[];
  readonly hours: number[];
  readonly atEnd: number[];

  /** `group[m]`: the meter's group (0, 1, …) or UNTRACKED. */
  constructor(group: Uint8Array, groups: number) {
    this.#group = group;
    this.#since = new Int32Array(group.length).fill(-1);
    this.#ever = new Uint8Array(group.length);
    this.consumers = new Array(groups).fill(0);
    this.hours = new Array(groups).fill(0);
    this.atEnd = new Array(groups).fill(0);
  }

  observe(supply: SupplyEventBatch, stepHours: number): void {
    for (let i = 0; i < supply.length; i++) {
      const m = supply.meter[i] as number;
      const g = this.#group[m] as number;
      if (g === UNTRACKED) continue;
      const event = supply.event[i];
      if (event === DISABLED && this.#since[m] === -1) {
        this.#since[m] = supply.step[i] as number;
        if (this.#ever[m] === 0) {
          this.#ever[m] = 1;
          this.consumers[g] += 1;
        }
      } else if (event === ENABLED && this.#since[m] !== -1) {
        this.hours[g] += ((supply.step[i] as number) - (this.#since[m] as number)) * stepHours;
        this.#since[m] = -1;
      }
    }
  }

  /** Closes the spells still open after `stepsRun` steps. */
  finish(stepsRun: number, stepHours: number): void {
    for (let m = 0; m < this.#since.length; m++) {
      const since = this.#since[m] as number;
      if (since === -1) continue;
      const g = this.#group[m] as number;
      this.hours[g] += (stepsRun - since) * stepHours;
      this.atEnd[g] += 1;
    }
  }
}
