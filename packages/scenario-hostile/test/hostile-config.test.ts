/**
 * The `plugins.hostile` section: the shipped file reads as written; hostile input — unknown
 * fields, wrong types, attacks twice, party names that clash, a timeline that would make a row
 * test something else — fails before anything runs, every problem named by its path.
 */
import assert from 'node:assert/strict';
import { parseScenario, type ScenarioError } from '@gbfleet/core';
import { test } from 'uvu';
import { ATTACK_TYPES, DEFAULT_ATTACKER, parseHostileConfig } from '../src/index.ts';
import { hostileSpec, PARSE_OPTIONS, shippedValue } from './helpers/hostile-spec.ts';

const section = () =>
  shippedValue().plugins.hostile as Record<string, unknown> & { attacks: Array<Record<string, unknown>> };

/** The paths a bad section is refused with. */
function pathsOf(bad: unknown): string[] {
  try {
    parseHostileConfig(hostileSpec({ section: bad }));
  } catch (error) {
    assert.equal((error as ScenarioError).code, 'GBF_SCENARIO');
    return (error as ScenarioError).issues.map((i) => i.path);
  }
  assert.fail('expected a ScenarioError');
}

test('the shipped section: every attack once, in the run, with its parties', () => {
  const config = parseHostileConfig(hostileSpec());
  assert.ok(config);
  assert.deepEqual(config.attacks.map((a) => a.type).sort(), [...ATTACK_TYPES].sort());
  assert.equal(config.formerSupplier?.name, 'Defunct Energy');
  assert.equal(config.formerSupplier?.revokedAtStep, 72);
  assert.deepEqual(config.networkHandover, { from: 'Northern Networks', to: 'Southern Grid', step: 24 });
  assert.equal(config.attacks.find((a) => a.type === 'utrn-replay')?.share, 1);
  assert.equal(config.attacks.find((a) => a.type === 'wrong-signer')?.share, 0.1);
});

test('no section: no plug-in config; a minimal one takes the defaults', () => {
  const value = shippedValue() as Record<string, unknown>;
  delete value.plugins;
  assert.equal(parseHostileConfig(parseScenario(value, PARSE_OPTIONS)), null);
  assert.equal(
    parseHostileConfig(hostileSpec({ section: { attacks: [{ type: 'tampered-mac', day: 1 }] } }))?.attacker,
    DEFAULT_ATTACKER,
  );
});

test('hostile input: each problem by its path', () => {
  assert.deepEqual(pathsOf('everything'), ['plugins.hostile']);
  assert.deepEqual(pathsOf({ ...section(), atacks: [] }), ['plugins.hostile.atacks']);
  assert.deepEqual(pathsOf({ ...section(), attacks: [] }), ['plugins.hostile.attacks']);
  assert.deepEqual(pathsOf({ ...section(), attacker: 'Aurora Energy' }), ['plugins.hostile.attacker']);
  assert.deepEqual(pathsOf({ ...section(), attacker: '' }), ['plugins.hostile.attacker']);
  assert.deepEqual(
    pathsOf({ ...section(), formerSupplier: { name: 'Mallory (no DCC access)', revokedAt: { day: 3 } } }),
    ['plugins.hostile.formerSupplier.name'],
  );
  assert.deepEqual(pathsOf({ ...section(), formerSupplier: { name: 'X', revokedAt: { day: 99, hour: 25 } } }), [
    'plugins.hostile.formerSupplier.revokedAt.day',
    'plugins.hostile.formerSupplier.revokedAt.hour',
  ]);
  assert.deepEqual(
    pathsOf({ ...section(), networkHandover: { from: 'Northern Networks', to: 'Northern Networks', at: { day: 1 } } }),
    ['plugins.hostile.networkHandover.to'],
  );
  assert.deepEqual(
    pathsOf({ ...section(), networkHandover: { from: 'Nowhere', to: 'Southern Grid', at: { day: 1 } } }),
    ['plugins.hostile.networkHandover.from'],
  );
  const s = section();
  s.attacks[1] = { type: 'forged-signature', day: 2 };
  s.attacks[2] = { type: 'phishing', day: 2, share: 2, colour: 'red' };
  assert.deepEqual(pathsOf(s).sort(), [
    'plugins.hostile.attacks[1].type',
    'plugins.hostile.attacks[2].colour',
    'plugins.hostile.attacks[2].share',
    'plugins.hostile.attacks[2].type',
  ]);
});

test('the timeline: E4 before the revocation, revoked after it, the old operator after its handover', () => {
  const at = (type: string, day: number) => {
    const s = section();
    (s.attacks.find((a) => a.type === type) as Record<string, unknown>).day = day;
    return s;
  };
  assert.deepEqual(pathsOf(at('ineligible-sender', 3)), ['plugins.hostile.attacks[7].day']);
  assert.deepEqual(pathsOf(at('revoked-certificate', 2)), ['plugins.hostile.attacks[8].day']);
  assert.deepEqual(pathsOf(at('old-network-operator', 0)), ['plugins.hostile.attacks[9].day']);
  const { formerSupplier: _f, networkHandover: _h, ...bare } = section();
  assert.deepEqual(pathsOf(bare), [
    'plugins.hostile.formerSupplier',
    'plugins.hostile.formerSupplier',
    'plugins.hostile.networkHandover',
  ]);
});

test.run();
