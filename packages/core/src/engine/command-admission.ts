/**
 * The DCC's gate for one step: commands it released from holding go first (they carry older
 * counters), then the step's new ones. Each is admitted for delivery, or held, or refused; a
 * refusal is recorded, and a top-up refused for good frees its consumer. A command sent past the
 * DCC (route 'direct': a hostile party on the WAN or at the keypad) never meets the gate.
 */
import type { FleetState } from '../fleet/fleet-state.js';
import type { CommandRecordBatchBuilder } from '../run/record-builders.js';
import type { DccModel, PendingCommand } from './dcc-model.js';
import { type EnginePending, recordCommand } from './shard-delivery.js';
import { settleTopUp } from './top-up-vending.js';

/** The commands admitted at `step`, in delivery order; refusals go into `records`. */
export function admitCommands(
  dcc: DccModel,
  fleet: FleetState,
  step: number,
  sent: readonly EnginePending[],
  records: CommandRecordBatchBuilder,
): PendingCommand[] {
  const delivered: PendingCommand[] = [];
  for (const command of [...dcc.releasedAt(step), ...sent]) {
    if ((command as EnginePending).direct) {
      delivered.push(command);
      continue;
    }
    const admission = dcc.admit(command, step);
    if (admission.admitted) delivered.push(command);
    else {
      // A negative reason: held, to be seen again later; nothing to record yet.
      if (admission.reason >= 0) recordCommand(records, step, command, admission.reason);
      if (admission.final) settleTopUp(fleet, command, false);
    }
  }
  return delivered;
}
