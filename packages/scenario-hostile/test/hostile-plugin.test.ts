/**
 * The attack matrix through the real engine: the shipped scenario (scaled down) sends every
 * attack, and each row is refused by the defence it names — the DCC's or the meter's own checks
 * on the real frame or code — with nothing accepted. 1 and 2 workers give the same records. A
 * plug-in restored from a checkpoint sends what the original sends over the following steps.
 */
import assert from 'node:assert/strict';
import { deserialize, serialize } from 'node:v8';
import {
  ATTACKS,
  type CommandRequest,
  MemorySink,
  type RunContext,
  runScenario,
  type ScenarioPlugin,
  type ScenarioSpec,
} from '@gbfleet/core';
import { outcomeName } from '@gbfleet/gbcs';
import { test } from 'uvu';
import {
  ATTACK_TYPES,
  type AttackType,
  createHostilePlugin,
  type HostileCheckpoint,
  parseHostileConfig,
  SENT_FIGURE,
} from '../src/index.ts';
import { hostileSpec } from './helpers/hostile-spec.ts';

/** The reason codes each row must be refused with, and by whom. */
const EXPECTED: Record<AttackType, { by: 'dcc' | 'meter'; codes: string[] }> = {
  'forged-signature': { by: 'meter', codes: ['GBCS_SIGNATURE_INVALID'] },
  'wrong-signer': { by: 'meter', codes: ['GBCS_UNKNOWN_PARTY'] },
  'replayed-counter': { by: 'meter', codes: ['GBCS_REPLAY'] },
  'equal-counter': { by: 'meter', codes: ['GBCS_REPLAY'] },
  'stale-counter': { by: 'meter', codes: ['GBCS_REPLAY'] },
  'revoked-certificate': { by: 'dcc', codes: ['DCC_CERTIFICATE_REVOKED'] },
  'ineligible-sender': { by: 'dcc', codes: ['DCC_E4_NOT_ELIGIBLE'] },
  'tampered-mac': { by: 'meter', codes: ['GBCS_MAC_INVALID'] },
  'wrong-recipient': { by: 'meter', codes: ['GBCS_WRONG_DEVICE'] },
  'old-network-operator': { by: 'meter', codes: ['GBCS_UNKNOWN_PARTY'] },
  'utrn-replay': { by: 'meter', codes: ['GBCS_REPLAY'] },
  'utrn-outside-window': { by: 'meter', codes: ['GBCS_REPLAY'] },
  // Five made-up codes (the MAC), then the keypad is locked.
  'utrn-brute-force': { by: 'meter', codes: ['DEVICE_REFUSED', 'GBCS_MAC_INVALID'] },
};

type Matrix = Map<string, Map<string, number>>;

/** Runs `spec` with the hostile plug-in and a probe after it: per attack, its reason codes. */
async function matrixOf(spec: ScenarioSpec, workers = 1) {
  const config = parseHostileConfig(spec);
  assert.ok(config);
  const matrix: Matrix = new Map();
  const probe: ScenarioPlugin = {
    name: 'probe',
    afterStep(_run, records) {
      const r = records.commands;
      for (let i = 0; i < r.length; i++) {
        const attack = ATTACKS[r.attack[i] as number] as string;
        if (attack === 'none') continue;
        const reasons = matrix.get(attack) ?? new Map<string, number>();
        const reason = outcomeName(r.reason[i] as number);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        matrix.set(attack, reasons);
      }
    },
  };
  const sink = new MemorySink();
  const plugins = [createHostilePlugin(spec.seed, config), probe];
  const summary = await runScenario({ spec, workers, sink, plugins });
  return { matrix, summary, sink };
}

const spec = hostileSpec({ meters: 8000 });

test('every row of the matrix: sent, refused with its own code by the defence it names, none accepted', async () => {
  const { matrix, summary } = await matrixOf(spec);
  let sent = 0;
  for (const attack of ATTACK_TYPES) {
    const reasons = matrix.get(attack);
    assert.ok(reasons && reasons.size > 0, `${attack}: sent`);
    const total = [...reasons.values()].reduce((a, b) => a + b, 0);
    sent += total;
    assert.equal(reasons.get('ACCEPTED') ?? 0, 0, `${attack}: accepted must be 0`);
    const expected = EXPECTED[attack];
    assert.deepEqual([...reasons.keys()].sort(), expected.codes, `${attack}: refused with ${expected.codes}`);
    for (const code of reasons.keys()) {
      const byDcc = code.startsWith('DCC_');
      assert.equal(byDcc, expected.by === 'dcc', `${attack}: ${code} is the ${expected.by}'s`);
    }
  }
  const brute = matrix.get('utrn-brute-force') as Map<string, number>;
  assert.equal(brute.get('GBCS_MAC_INVALID'), 5 * (brute.get('DEVICE_REFUSED') as number), 'five strikes, then locked');
  assert.equal(summary.figures[SENT_FIGURE], sent, 'the figure counts every hostile command');
});

test('seed 1: 1 and 2 workers give the same records', async () => {
  const small = hostileSpec({ meters: 3000 });
  const one = await matrixOf(small, 1);
  const two = await matrixOf(small, 2);
  assert.equal(one.sink.digest(), two.sink.digest());
});

/** A command as text, bigints and all, to compare two plug-ins' sends. */
const text = (c: CommandRequest) => JSON.stringify(c, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

/**
 * Runs the original plug-in for real and, from step `from`, a twin restored from the original's
 * checkpoint (through v8 serialization) beside it, whose sends are only written down.
 */
async function twinRun(from: number, state?: (original: HostileCheckpoint) => HostileCheckpoint) {
  const config = parseHostileConfig(spec);
  assert.ok(config);
  const original = createHostilePlugin(spec.seed, config);
  const twin = createHostilePlugin(spec.seed, config);
  const sent = { original: [] as string[], twin: [] as string[] };
  let checkpoint: HostileCheckpoint | undefined;
  const quietly = (run: RunContext, into: string[]): RunContext => ({
    ...run,
    send: (c) => into.push(text(c)),
    count: () => {},
  });
  const wrapper: ScenarioPlugin = {
    name: 'hostile',
    parties: (s) => original.parties?.(s) ?? [],
    setup: (run) => original.setup?.(run),
    beforeStep(run) {
      if (run.step === from) {
        checkpoint = deserialize(serialize(original.checkpoint?.())) as HostileCheckpoint;
        twin.restore?.(state ? state(checkpoint) : checkpoint, run);
      }
      original.beforeStep?.({
        ...run,
        send: (c) => {
          if (run.step >= from) sent.original.push(text(c));
          run.send(c);
        },
      });
      if (run.step >= from) twin.beforeStep?.(quietly(run, sent.twin));
    },
    afterStep(run, records) {
      original.afterStep?.(run, records);
      if (run.step >= from) twin.afterStep?.(run, records);
    },
  };
  await runScenario({ spec, workers: 1, sink: new MemorySink(), plugins: [wrapper] });
  return { sent, checkpoint: checkpoint as HostileCheckpoint };
}

test('checkpoint → restore on a fresh plug-in: the same commands over the following steps', async () => {
  // Day 2, 02:00: before the attacks, with receipts kept for the UTRN replay of day 4.
  const from = 50;
  const { sent, checkpoint } = await twinRun(from);
  assert.ok(checkpoint.receipts.length > 0, 'the checkpoint holds receipts');
  assert.ok(sent.original.length > 0);
  assert.deepEqual(sent.twin, sent.original);
  // The receipts are what it needs: restored without them, the UTRN replays go missing.
  const bare = await twinRun(from, () => ({ receipts: [] }));
  const replays = (list: string[]) => list.filter((c) => c.includes('"utrn-replay"')).length;
  assert.ok(replays(bare.sent.twin) < replays(bare.sent.original));
  assert.equal(
    bare.sent.twin.length - replays(bare.sent.twin),
    bare.sent.original.length - replays(bare.sent.original),
  );
});

test.run();
