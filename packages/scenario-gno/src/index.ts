/** @gbfleet/scenario-gno: A Gas Network Operator leaves: ACB certificates and the originator-counter trap (MP128). */
import type { ScenarioPackage } from '@gbfleet/core';

export const gnoScenario: ScenarioPackage = {
  name: 'gno',
  create: () => ({ name: 'gno' }),
};
