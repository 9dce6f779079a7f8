/**
 * @gbfleet/scenario-utrn: no-WAN prepayment with UTRNs — top-up only vs an extended command set
 * (DP094). A scenario with a `plugins.utrn` section or `utrn-surge`, `dcc-maintenance` or
 * `no-wan-resolution` events gets consumers who type codes at their meters, meters that check
 * them for real, and figures comparing the two command sets. Docs: docs/scenario-utrn.md.
 */
import type { ScenarioPackage } from '@gbfleet/core';
import { parseUtrnConfig, UTRN_EVENT_TYPES } from './utrn-config.js';
import { createUtrnPlugin } from './utrn-plugin.js';

export { UtrnEngineError, UtrnPlanError } from './errors.js';
export { allowedStartHours, type MaintenanceWindow, planMaintenance, withinNight } from './maintenance-windows.js';
export { planSurge, type SurgePlan, surgeMessageCount } from './surge-plan.js';
export type { ConsumerModel, SurgeSpec, UtrnConfig } from './utrn-config.js';
export { COMMAND_SETS, parseUtrnConfig, UTRN_EVENT_TYPES } from './utrn-config.js';
export { ARM_FIGURE, ARMS, armFigure, FIGURE } from './utrn-figures.js';

export const utrnScenario: ScenarioPackage = {
  name: 'utrn',
  hasSection: true,
  eventTypes: UTRN_EVENT_TYPES,
  create(spec) {
    const config = parseUtrnConfig(spec);
    // Without a section or events the plug-in does nothing and has no state: a run with it can be checkpointed.
    return config === null
      ? { name: 'utrn', checkpoint: () => undefined, restore() {} }
      : createUtrnPlugin(config, spec);
  },
};
