/** @gbfleet/scenario-cos: Change of Supplier without SR 6.23: leaked alerts and readings (DP072). */
import type { ScenarioPackage } from '@gbfleet/core';

export const cosScenario: ScenarioPackage = {
  name: 'cos',
  create: () => ({ name: 'cos' }),
};
