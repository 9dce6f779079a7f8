/**
 * Consumers' top-ups: the requests their meters raised last step become top-up commands from
 * their registered supplier (a UTRN when the meter has no WAN), unless the supplier has stopped
 * vending; a top-up that fails for good frees the consumer to ask again.
 */
import { ServiceRequest } from '@gbfleet/gbcs';
import { FleetFlag, type FleetState, WanClass } from '../fleet/fleet-state.js';
import type { TopUpRequests } from '../run/record-builders.js';
import type { PendingCommand } from './dcc-model.js';
import type { RunTally } from './run-tally.js';
import type { RunContext } from './scenario-plugin.js';

/** Consumers' top-up requests become top-up commands from their registered supplier. */
export function vend(requests: TopUpRequests, run: RunContext, tally: RunTally): void {
  const c = run.fleet.columns;
  for (let i = 0; i < requests.length; i++) {
    const meter = requests.meter[i] as number;
    const supplier = c.registeredSupplier[meter] as number;
    tally.topUpsRequested++;
    if (!run.parties.at(supplier).vending) {
      tally.topUpsNotVended++;
      c.flags[meter] = (c.flags[meter] as number) & ~FleetFlag.TopUpPending;
      continue;
    }
    tally.topUpsSent++;
    run.send({
      sender: supplier,
      meter,
      kind: ServiceRequest.TopUp,
      argument: (requests.pounds[i] as number) * 100,
      channel: c.wanClass[meter] === WanClass.None ? 'utrn' : 'wan',
    });
  }
}

/** A top-up that failed for good frees the consumer to try again. */
export function settleTopUp(fleet: FleetState, command: PendingCommand, accepted: boolean): void {
  if (command.kind !== ServiceRequest.TopUp || accepted) return;
  const flags = fleet.columns.flags;
  flags[command.meter] = (flags[command.meter] as number) & ~FleetFlag.TopUpPending;
}
