/**
 * @gbfleet/scenario-hostile: hostile parties during an ordinary run — an attacker with network
 * access but no keys that count, a former supplier whose certificate is revoked, an old network
 * operator after its handover — and the defence that stops each of their commands (the attack
 * matrix). A scenario with a `plugins.hostile` section gets them. Docs: docs/scenario-hostile.md.
 */
import type { ScenarioPackage } from '@gbfleet/core';
import { parseHostileConfig } from './hostile-config.js';
import { createHostilePlugin } from './hostile-plugin.js';

export { ATTACK_MATRIX, type AttackContext, type AttackRow, type Receipt } from './attack-matrix.js';
export {
  ATTACK_TYPES,
  type AttackConfig,
  type AttackType,
  DEFAULT_ATTACKER,
  DEFAULT_SHARE,
  type HostileConfig,
  parseHostileConfig,
} from './hostile-config.js';
export { createHostilePlugin, type HostileCheckpoint, type HostilePlugin, SENT_FIGURE } from './hostile-plugin.js';
export { KEYPAD_ATTACKS, TargetSample, WAN_ATTACKS } from './target-sample.js';

export const hostileScenario: ScenarioPackage = {
  name: 'hostile',
  hasSection: true,
  create(spec) {
    const config = parseHostileConfig(spec);
    // Unused, it has no state: its checkpoint is empty, so runs without attacks still checkpoint.
    return config === null
      ? { name: 'hostile', checkpoint: () => undefined, restore: () => {} }
      : createHostilePlugin(spec.seed, config);
  },
};
