/**
 * SR 6.23 from the ACB on the gaining supplier's behalf: sent on the planned step, at most one in
 * flight per meter, never again once the meter accepted one. A failure is sent again after
 * `sr623Retry.afterHours`, at most `max` times; a meter without WAN (WAN_NOT_DELIVERED) is not
 * retried. Answers quarantined by ADT are not answers yet: they come back when released.
 */
import { ACB_PARTY, type RunContext } from '@gbfleet/core';
import { OUTCOME_CODE, ServiceRequest } from '@gbfleet/gbcs';
import type { CosConfig } from './cos-config.js';
import { FIGURE } from './cos-figures.js';
import { ownedSlice } from './owned-slice.js';

export const SR623 = ServiceRequest.UpdateSecurityCredentials;

const InFlight = { None: 0, Sent: 1, Accepted: 2, Failed: 3 } as const;

/** What the sender keeps in a checkpoint: every meter's SR 6.23 state and tries (own meters), and the retries due. */
export interface Sr623State {
  state: Uint8Array;
  tries: Uint8Array;
  retries: Map<number, number[]>;
}

type Owned = { lo: number; hi: number };

export class Sr623Sender {
  readonly #retry: CosConfig['sr623Retry'];
  readonly #state: Uint8Array;
  readonly #tries: Uint8Array;
  /** Meters whose retry falls due, by step. */
  readonly #retries = new Map<number, number[]>();

  constructor(retry: CosConfig['sr623Retry'], meters: number) {
    this.#retry = retry;
    this.#state = new Uint8Array(meters);
    this.#tries = new Uint8Array(meters);
  }

  saveState(owned: Owned): Sr623State {
    return {
      state: ownedSlice(this.#state, owned),
      tries: ownedSlice(this.#tries, owned),
      retries: new Map([...this.#retries].map(([step, meters]) => [step, [...meters]])),
    };
  }

  static fromState(retry: CosConfig['sr623Retry'], meters: number, saved: Sr623State, owned: Owned): Sr623Sender {
    const sender = new Sr623Sender(retry, meters);
    sender.#state.set(saved.state, owned.lo);
    sender.#tries.set(saved.tries, owned.lo);
    for (const [step, list] of saved.retries) sender.#retries.set(step, [...list]);
    return sender;
  }

  /** This step's SR 6.23: first the plan's `planned` meters, then the retries due. */
  send(run: RunContext, planned: Uint32Array, gaining: Uint16Array): void {
    const due = this.#retries.get(run.step) ?? [];
    this.#retries.delete(run.step);
    for (const list of [planned, due]) {
      for (const m of list) {
        if (this.#state[m] === InFlight.Accepted) continue;
        run.send({ sender: ACB_PARTY, meter: m, kind: SR623, argument: gaining[m] as number });
        this.#state[m] = InFlight.Sent;
        run.count(FIGURE.sr623Sent);
      }
    }
  }

  /** Whether an SR 6.23 to `m` awaits its answer. */
  inFlight(m: number): boolean {
    return this.#state[m] === InFlight.Sent;
  }

  /** The answer (not a quarantine) to the SR 6.23 in flight to `m`; true when the meter accepted it. */
  answered(run: RunContext, m: number, reason: number): boolean {
    if (reason === OUTCOME_CODE.ACCEPTED) {
      this.#state[m] = InFlight.Accepted;
      run.count(FIGURE.sr623Accepted);
      return true;
    }
    if (reason === OUTCOME_CODE.WAN_NOT_DELIVERED) {
      this.#state[m] = InFlight.Failed;
      run.count(FIGURE.sr623NoWan);
    } else if ((this.#tries[m] as number) < this.#retry.max) {
      this.#tries[m] = (this.#tries[m] as number) + 1;
      const stepHours = 24 / run.stepsPerDay;
      const at = run.step + Math.max(1, Math.ceil(this.#retry.afterHours / stepHours));
      const list = this.#retries.get(at);
      if (list) list.push(m);
      else this.#retries.set(at, [m]);
      run.count(FIGURE.sr623Retries);
    } else {
      this.#state[m] = InFlight.Failed;
      run.count(FIGURE.sr623GaveUp);
    }
    return false;
  }
}
