/**
 * Which UTRN command set ("arm") each meter's firmware has: all `top-up-only`, all `extended`, or
 * (`compare`) a seeded half each by a hash of the meter, so one run compares both. Extended meters
 * get UtrnFlag.ExtendedCommands in the fleet columns, which the meter's rule in the workers reads.
 * An arm is an index into ARMS: 0 top-up-only, 1 extended.
 */
import {
  type FleetState,
  meterRandomU32,
  PaymentMode,
  type RunContext,
  seedKey,
  UtrnFlag,
  utrnDigitsForRequest,
  WanClass,
} from '@gbfleet/core';
import { ServiceRequest } from '@gbfleet/gbcs';
import { UNTRACKED } from './off-supply-tally.js';
import type { CommandSetChoice } from './utrn-config.js';

const STREAM_ARM = 1001;
const TOP_UP_ONLY = 0;
const EXTENDED = 1;

export class CommandSets {
  readonly #fleet: FleetState;
  readonly #owned: RunContext['owned'];
  /** Each own meter's arm (another segment's meters: 0, never asked). */
  readonly #arm: Uint8Array;
  /** The arms of this run, in the order their figures appear. */
  readonly arms: readonly number[];

  /** Draws each own meter's set (by its hash: the same draw when a run resumes). */
  constructor(commandSet: CommandSetChoice, run: RunContext) {
    this.#fleet = run.fleet;
    this.#owned = run.owned;
    const key = seedKey(run.spec.seed);
    this.#arm = new Uint8Array(run.fleet.meters);
    for (let m = run.owned.lo; m < run.owned.hi; m++) {
      this.#arm[m] =
        commandSet === 'compare'
          ? meterRandomU32(key, STREAM_ARM, m, 0) & 1
          : commandSet === 'extended'
            ? EXTENDED
            : TOP_UP_ONLY;
    }
    this.arms =
      commandSet === 'compare' ? [TOP_UP_ONLY, EXTENDED] : [commandSet === 'extended' ? EXTENDED : TOP_UP_ONLY];
  }

  /** Flags the extended meters in the fleet columns, at setup (a resumed run's columns have the flags). */
  flagExtended(): void {
    const c = this.#fleet.columns;
    for (let m = this.#owned.lo; m < this.#owned.hi; m++) {
      if (this.#arm[m] === EXTENDED) c.utrnFlags[m] = (c.utrnFlags[m] as number) | UtrnFlag.ExtendedCommands;
    }
  }

  armOf(meter: number): number {
    return this.#arm[meter] as number;
  }

  /** Can a code the meter's firmware accepts carry this request? */
  canCarry(arm: number, kind: number, argument: number): boolean {
    const digits = utrnDigitsForRequest(kind, argument);
    return arm === EXTENDED ? digits !== null : kind === ServiceRequest.TopUp && digits === 20;
  }

  /** Each own meter's arm if it is a prepayment meter without WAN now, else UNTRACKED (off-supply groups). */
  trackedGroups(): Uint8Array {
    const c = this.#fleet.columns;
    const groups = new Uint8Array(this.#fleet.meters).fill(UNTRACKED);
    for (let m = this.#owned.lo; m < this.#owned.hi; m++) {
      if (c.paymentMode[m] === PaymentMode.Prepayment && c.wanClass[m] === WanClass.None) {
        groups[m] = this.#arm[m] as number;
      }
    }
    return groups;
  }
}
