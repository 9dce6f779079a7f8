/**
 * Consumers off supply, per command set: from the step's supply events, how many consumers of
 * the tracked meters (prepayment, without WAN when the run starts) went off supply and for how
 * many hours in all — from `disabled` to `enabled`, open spells closed at the end of the run.
 */
import { SUPPLY_EVENTS, type SupplyEventBatch } from '@gbfleet/core';
import { ownedSlice } from './owned-slice.js';

const DISABLED = SUPPLY_EVENTS.indexOf('disabled');
const ENABLED = SUPPLY_EVENTS.indexOf('enabled');
export const UNTRACKED = 255;

/**
 * The tally in a checkpoint: the own meters' groups (tracked by the WAN they had when the run
 * started, so not made again from the fleet, whose WAN may have been restored since), open
 * spells and who was ever off, and the counts.
 */
export interface OffSupplyTallyState {
  group: Uint8Array;
  since: Int32Array;
  ever: Uint8Array;
  consumers: number[];
  hours: number[];
  atEnd: number[];
}

type Owned = { lo: number; hi: number };

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

  saveState(owned: Owned): OffSupplyTallyState {
    return {
      group: ownedSlice(this.#group, owned),
      since: ownedSlice(this.#since, owned),
      ever: ownedSlice(this.#ever, owned),
      consumers: [...this.consumers],
      hours: [...this.hours],
      atEnd: [...this.atEnd],
    };
  }

  /** Another segment's meters are untracked, as at setup. */
  static fromState(state: OffSupplyTallyState, owned: Owned, meters: number): OffSupplyTally {
    const group = new Uint8Array(meters).fill(UNTRACKED);
    group.set(state.group, owned.lo);
    const tally = new OffSupplyTally(group, state.consumers.length);
    tally.#since.set(state.since, owned.lo);
    tally.#ever.set(state.ever, owned.lo);
    Object.assign(tally.consumers, state.consumers);
    Object.assign(tally.hours, state.hours);
    Object.assign(tally.atEnd, state.atEnd);
    return tally;
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
