/**
 * @gbfleet/scenario-gno: a Gas Network Operator leaves the DCC — its certificate in each GPF's
 * network-operator cell is replaced by the ACB's (SRV 6.15.1), then the DSP places the incoming
 * GNO's (SRV 6.21). Whether the DSP tracks the 6.15.1's originator counter decides whether the
 * GPF accepts the handover or is stranded (MP128). See docs/scenario-gno.md.
 */
import type { ScenarioPackage } from '@gbfleet/core';
import { GNO_EVENT_TYPES, parseGnoConfig } from './gno-config.js';
import { createGnoPlugin } from './gno-plugin.js';

export { GnoPlanError } from './errors.js';
export {
  COUNTER_TRACKING,
  type CounterTracking,
  DEFAULT_EXIT_AFTER_HOURS,
  DEFAULT_SECTION,
  GNO_EVENT_TYPES,
  type GnoConfig,
  parseGnoConfig,
  type SenderConfig,
} from './gno-config.js';
export { Cohort, type CohortCode, Figure, GpfState, type GpfStateCode } from './gno-figures.js';
export type { GnoLedger } from './gno-ledger.js';
export { createGnoPlugin, type GnoPlugin } from './gno-plugin.js';
export { SendQueue } from './send-queue.js';
export { ShardSendQueues } from './shard-send-queues.js';
export { hoursToSteps } from './step-hours.js';

export const gnoScenario: ScenarioPackage = {
  name: 'gno',
  hasSection: true,
  eventTypes: GNO_EVENT_TYPES,
  create(spec) {
    const config = parseGnoConfig(spec);
    // A scenario without a departing GNO has no state to keep: its checkpoint is nothing.
    return config ? createGnoPlugin(spec, config) : { name: 'gno', checkpoint: () => undefined, restore() {} };
  },
};
