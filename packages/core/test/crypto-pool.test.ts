/**
 * The pool with real worker threads (the `.ts` entry, loaded through the tsx loader that workers
 * inherit): commands signed and MAC'd in one task are accepted by meters in another; replays and
 * tampering are rejected; outcomes do not depend on the worker count. Every pool is closed.
 */

import {
  createDeviceKeyStore,
  decodeFrame,
  fillDeviceKeyMaterial,
  isCriticalCommand,
  OUTCOME_CODE,
  outcomeName,
  packedItem,
  pointFromSec1,
  publicSec1FromScalar,
  scalarFromSeed,
  sharedSecretOf,
  verifyFrameMac,
  writeApduMac,
} from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CryptoPool,
  demoCommands,
  demoPoolOptions,
  type FrameBatch,
  planBatches,
  selectCommands,
  withCryptoPool,
} from '../src/index.ts';

const SEEDS = ['pool-seed-1', 'pool-seed-7'];
const METERS = 3000;
const COMMANDS = 700;

async function roundOfOutcomes(pool: CryptoPool, seed: string, batchSize: number): Promise<string[]> {
  const all = demoCommands(seed, METERS, COMMANDS);
  const plan = planBatches(all.device, 500, batchSize);
  const results = await Promise.all(
    plan.map((entry, step) => pool.roundTrip(selectCommands(all, entry.positions), { shard: entry.shard, step })),
  );
  const outcomes = new Array<string>(COMMANDS);
  plan.forEach((entry, k) => {
    entry.positions.forEach((position, j) => {
      outcomes[position] = outcomeName((results[k] as Uint8Array)[j] as number);
    });
  });
  return outcomes;
}

for (const seed of SEEDS) {
  test(`seed ${seed}: 1 and 2 workers give the same outcomes, all accepted`, async () => {
    const one = await withCryptoPool(demoPoolOptions(seed, METERS, 1), (pool) => roundOfOutcomes(pool, seed, 64));
    const two = await withCryptoPool(demoPoolOptions(seed, METERS, 2), (pool) => roundOfOutcomes(pool, seed, 37));
    assert.equal(one, two);
    assert.ok(
      one.every((o) => o === 'ACCEPTED'),
      `not all accepted: ${one.filter((o) => o !== 'ACCEPTED').slice(0, 3)}`,
    );
  });
}

test('replayed frames get GBCS_REPLAY, tampered ones GBCS_MAC_INVALID, and counters are recorded', async () => {
  await withCryptoPool(demoPoolOptions('pool-replay', 500, 2), async (pool) => {
    const commands = demoCommands('pool-replay', 500, 200);
    const firstDevice = commands.device[0] as number;
    const firstCounter = commands.counter[0] as bigint;
    const signed = await pool.sign(commands, { shard: 0, step: 0 });
    const copy = (b: FrameBatch): FrameBatch => ({
      device: b.device.slice(),
      critical: b.critical.slice(),
      frames: { bytes: b.frames.bytes.slice(), offsets: b.frames.offsets.slice() },
    });
    const replay = copy(signed);
    const tampered = copy(signed);
    for (let i = 0; i + 1 < tampered.frames.offsets.length; i++) {
      const at = (tampered.frames.offsets[i + 1] as number) - 20; // inside the signature
      tampered.frames.bytes[at] = (tampered.frames.bytes[at] as number) ^ 0x80;
    }
    const wrongDevice = copy(signed);
    wrongDevice.device = wrongDevice.device.map((d) => (d + 1) % 500);

    const first = await pool.verify(signed, { shard: 0, step: 1 });
    assert.ok([...first].every((c) => c === OUTCOME_CODE.ACCEPTED));
    assert.is(pool.supplierCellCounter(firstDevice), firstCounter);
    const again = await pool.verify(replay, { shard: 0, step: 2 });
    assert.ok([...again].every((c) => c === OUTCOME_CODE.GBCS_REPLAY));
    const bad = await pool.verify(tampered, { shard: 0, step: 3 });
    assert.ok([...bad].every((c) => c === OUTCOME_CODE.GBCS_MAC_INVALID));
    const misrouted = await pool.verify(wrongDevice, { shard: 0, step: 4 });
    assert.ok([...misrouted].every((c) => c === OUTCOME_CODE.GBCS_WRONG_DEVICE));
  });
});

test('the meter takes criticality from the message code: an unsigned critical frame is refused whatever the batch says', async () => {
  await withCryptoPool(demoPoolOptions('pool-unsigned', 400, 2), async (pool) => {
    for (const claimed of [0, 1]) {
      const commands = demoCommands(`pool-unsigned-${claimed}`, 400, 120);
      assert.ok([...commands.messageCode].every(isCriticalCommand), 'the demo sends critical commands');
      commands.critical.fill(0); // the sender does not sign them
      const unsigned = await pool.sign(commands, { shard: 0, step: 0 });
      for (let i = 0; i < 5; i++) {
        const decoded = decodeFrame(packedItem(unsigned.frames, i));
        assert.ok(decoded.ok && decoded.frame.macWrapped && !decoded.frame.signature, 'MAC-wrapped, unsigned');
      }
      unsigned.critical.fill(claimed); // whatever travels beside the frame
      const outcomes = await pool.verify(unsigned, { shard: 0, step: 1 });
      assert.ok(
        [...outcomes].every((c) => c === OUTCOME_CODE.GBCS_SIGNATURE_INVALID),
        `flag ${claimed}: ${[...new Set(outcomes)].map(outcomeName)}`,
      );
    }
  });
});

test('a valid MAC over a bad signature is GBCS_SIGNATURE_INVALID', async () => {
  const seed = 'pool-bad-signature';
  const options = demoPoolOptions(seed, 400, 1);
  const keys = createDeviceKeyStore(400);
  fillDeviceKeyMaterial(keys, {
    seed,
    acbKaPublic: pointFromSec1(publicSec1FromScalar(scalarFromSeed(seed, 'party-ka', options.acb.eui))),
    lo: 0,
    hi: 400,
  });
  await withCryptoPool(options, async (pool) => {
    const commands = demoCommands(seed, 400, 100);
    const signed = await pool.sign(commands, { shard: 0, step: 0 });
    for (let i = 0; i < signed.device.length; i++) {
      const frame = packedItem(signed.frames, i);
      const decoded = decodeFrame(frame);
      if (!decoded.ok || !decoded.frame.signature || !decoded.frame.mac) throw new Error('not signed and MAC-wrapped');
      const signature = decoded.frame.signature;
      signature[40] = (signature[40] as number) ^ 0x01; // s no longer matches
      // Re-MAC'd as the ACB would: the MAC now vouches for the bad signature.
      writeApduMac(
        decoded.frame.apdu,
        sharedSecretOf(keys, signed.device[i] as number),
        decoded.frame,
        decoded.frame.mac,
        0,
      );
      const again = decodeFrame(frame);
      assert.ok(again.ok && verifyFrameMac(again.frame, sharedSecretOf(keys, signed.device[i] as number)), 'MAC valid');
    }
    const outcomes = await pool.verify(signed, { shard: 0, step: 1 });
    assert.ok(
      [...outcomes].every((c) => c === OUTCOME_CODE.GBCS_SIGNATURE_INVALID),
      `${[...new Set(outcomes)].map(outcomeName)}`,
    );
  });
});

test('the key material workers derive is the single-thread derivation: their MACs verify locally', async () => {
  const seed = 'pool-keys';
  const options = demoPoolOptions(seed, 5000, 2);
  const local = createDeviceKeyStore(5000);
  fillDeviceKeyMaterial(local, {
    seed,
    acbKaPublic: pointFromSec1(publicSec1FromScalar(scalarFromSeed(seed, 'party-ka', options.acb.eui))),
    lo: 0,
    hi: 5000,
  });
  await withCryptoPool(options, async (pool) => {
    assert.is(await pool.deriveKeys(0, 5000, 1000), 5000);
    const commands = demoCommands(seed, 5000, 300);
    const devices = commands.device.slice();
    const signed = await pool.sign(commands, { shard: 0, step: 0 });
    devices.forEach((device, i) => {
      const decoded = decodeFrame(packedItem(signed.frames, i));
      if (!decoded.ok) throw new Error(decoded.message);
      assert.ok(verifyFrameMac(decoded.frame, sharedSecretOf(local, device)), `MAC of frame ${i}`);
    });
  });
});

test('a failing task names its shard and step; the pool stays usable', async () => {
  await withCryptoPool(demoPoolOptions('pool-fail', 100, 1), async (pool) => {
    const commands = demoCommands('pool-fail', 100, 10);
    commands.sender[3] = 9; // no such sender
    try {
      await pool.sign(commands, { shard: 4, step: 17 });
      assert.unreachable('should have failed');
    } catch (error) {
      const e = error as { code?: string; message: string; shard?: number; step?: number };
      assert.is(e.code, 'GBF_WORKER_TASK');
      assert.is(e.shard, 4);
      assert.is(e.step, 17);
      assert.match(e.message, /sender index 9/);
    }
    const ok = await pool.roundTrip(demoCommands('pool-fail', 100, 10), { shard: 0, step: 18 });
    assert.ok([...ok].every((c) => c === OUTCOME_CODE.ACCEPTED));
  });
});

test('bad options are refused before any thread starts', () => {
  assert.throws(() => CryptoPool.open({ ...demoPoolOptions('x', 10, 1), workers: 0 }), /workers must be an integer/);
  assert.throws(() => CryptoPool.open({ ...demoPoolOptions('x', 10, 1), deviceCount: 0 }), /deviceCount/);
  assert.throws(
    () => CryptoPool.open({ ...demoPoolOptions('x', 10, 1), supplierCellParty: () => 3 }),
    /not a trusted party index/,
  );
});

test.run();
