/**
 * The foundation demo's fleet, shared by `gbfleet demo`, the pool benchmark and the pool tests:
 * one supplier (whose certificate sits in every meter's supplier cell), the DCC's ACB, and a
 * stream of real critical commands (ECS02, ECS08, ECS42 with msgpack bodies) to seeded random
 * meters, with the supplier's originator counter rising per command. Pure: no I/O.
 */

import { InvalidArgumentError, MessageCode, publicSec1FromScalar, scalarFromSeed } from '@gbfleet/gbcs';
import { encode } from '@msgpack/msgpack';
import { buildCommandBatch, type CommandSpec } from '../command-batch.js';
import type { CryptoPoolOptions } from '../pool/crypto-pool.js';
import { randomStream } from '../random/seeded-random.js';
import type { CommandBatch } from '../worker-protocol.js';

export const DEMO_SUPPLIER_EUI = 0x90b3d51f30010000n;
export const DEMO_ACB_EUI = 0x90b3d51f30000002n;
/** Device i of the simulated fleet has EUI DEMO_DEVICE_EUI_BASE + i. */
export const DEMO_DEVICE_EUI_BASE = 0x00db_1000_0000_0000n;
/** Originator counters start above zero, as a real supplier's would. */
export const DEMO_FIRST_COUNTER = 0x0000_0001_0000_0000n;

export function demoPoolOptions(seed: string, meters: number, workers?: number): CryptoPoolOptions {
  const supplierDs = scalarFromSeed(seed, 'party-ds', DEMO_SUPPLIER_EUI);
  const acbKa = scalarFromSeed(seed, 'party-ka', DEMO_ACB_EUI);
  return {
    ...(workers === undefined ? {} : { workers }),
    seed,
    deviceCount: meters,
    deviceEuiBase: DEMO_DEVICE_EUI_BASE,
    acb: { eui: DEMO_ACB_EUI, kaScalar: acbKa },
    senders: [{ eui: DEMO_SUPPLIER_EUI, dsScalar: supplierDs }],
    trustedParties: [{ eui: DEMO_SUPPLIER_EUI, dsPublicSec1: publicSec1FromScalar(supplierDs) }],
  };
}

const BODIES: Array<{ messageCode: number; payload: Uint8Array }> = [
  { messageCode: MessageCode.ECS02, payload: encode({ paymentMode: 'credit' }) },
  {
    messageCode: MessageCode.ECS08,
    payload: encode({ nonDisablementCalendar: '24/7', emergencyCreditLimitPence: 50_00 }),
  },
  { messageCode: MessageCode.ECS42, payload: encode({ supply: 'enable' }) },
];

/**
 * `count` critical commands from the supplier to `count` distinct seeded-random meters (so the
 * batches of one round may run in any order on any worker without a meter seeing counters out of
 * order). `firstCounter` lets a caller issue several rounds with ever-rising counters.
 */
export function demoCommands(
  seed: string,
  meters: number,
  count: number,
  firstCounter = DEMO_FIRST_COUNTER,
): CommandBatch {
  if (!(Number.isInteger(count) && count >= 0 && count <= meters)) {
    throw new InvalidArgumentError(
      `demo commands: count must be an integer from 0 to the ${meters} meters, got ${count}`,
    );
  }
  const random = randomStream(seed, 'demo-commands', firstCounter);
  // A random start and a stride coprime with `meters` visit distinct meters in a scattered order.
  const start = random.nextInt(meters);
  let stride = 1 + random.nextInt(Math.max(1, meters - 1));
  while (gcd(stride, meters) !== 1) stride++;
  const commands: CommandSpec[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const body = BODIES[i % BODIES.length] as (typeof BODIES)[number];
    commands[i] = {
      device: (start + i * stride) % meters,
      sender: 0,
      counter: firstCounter + BigInt(i),
      messageCode: body.messageCode,
      critical: true,
      payload: body.payload,
    };
  }
  return buildCommandBatch(commands);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
