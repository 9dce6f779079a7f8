/** @gbfleet/scenario-utrn: No-WAN prepayment with UTRNs: top-up only vs an extended command set (DP094). */
import type { ScenarioPackage } from '@gbfleet/core';

export const utrnScenario: ScenarioPackage = {
  name: 'utrn',
  create: () => ({ name: 'utrn' }),
};
