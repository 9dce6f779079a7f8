/**
 * Z on demand (MacSecretDerivation, MacSecretStore) must give the same bytes as the block-wise
 * fill of the whole fleet and as Node's own ECDH. That holds for devices in any order, with
 * repeats, across the three levels of its tables (devices past 2^10 and 2^20), and in a store
 * that holds nothing for devices never asked for. Bad devices are refused.
 */
import { diffieHellman } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  allocateMacSecretBuffers,
  createDeviceKeyStore,
  deviceKaScalar,
  fillDeviceKeyMaterial,
  MAC_SECRET_BYTES,
  MacSecretDerivation,
  MacSecretStore,
  PrepaymentSecrets,
  pointFromSec1,
  prepaymentPublicKey,
  prepaymentSharedSecret,
  privateKeyFromScalar,
  publicKeyFromSec1,
  publicSec1FromScalar,
  scalarFromSeed,
  sharedSecretOf,
} from '../src/index.ts';

const SEED = 'mac-secret-test';
const acbScalar = scalarFromSeed(SEED, 'party-ka', 0x90b3d51f30000002n);
const acbSec1 = publicSec1FromScalar(acbScalar);
const acbPoint = pointFromSec1(acbSec1);

const hex = (x: bigint) => x.toString(16).padStart(64, '0');
const ecdhZ = (device: number) =>
  Buffer.from(
    diffieHellman({
      privateKey: privateKeyFromScalar(deviceKaScalar(SEED, device)),
      publicKey: publicKeyFromSec1(acbSec1),
    }),
  ).toString('hex');

test('on demand equals the whole-fleet fill, in any order and with repeats', () => {
  const devices = 3000;
  const whole = createDeviceKeyStore(devices);
  fillDeviceKeyMaterial(whole, { seed: SEED, acbKaPublic: acbPoint, lo: 0, hi: devices });
  const asked = [2999, 0, 1, 1023, 1024, 1025, 2048, 7, 7, 1500, 2047, 0];
  const xs = new MacSecretDerivation(SEED, acbPoint).derive(asked);
  asked.forEach((device, n) => {
    assert.is(hex(xs[n] as bigint), Buffer.from(sharedSecretOf(whole, device)).toString('hex'), `device ${device}`);
  });
});

test('across the second and third levels, it equals Node ECDH', () => {
  // 2^20 and 2^20 + 2^10 + 1 reach the third table; 31,999,999 is the last of a national fleet.
  const asked = [1 << 20, (1 << 20) + 1024 + 1, 5 * 1024 * 1024 + 3 * 1024, 31_999_999, 33_554_431];
  const derivation = new MacSecretDerivation(SEED, acbPoint);
  const xs = derivation.derive(asked);
  asked.forEach((device, n) => {
    assert.is(hex(xs[n] as bigint), ecdhZ(device), `device ${device}`);
  });
  // Cached block starts give the same answer the second time.
  assert.equal(derivation.derive([31_999_999])[0], xs[3]);
});

test('the store holds Z only for devices asked for, each once', () => {
  const devices = 50_000;
  const buffers = allocateMacSecretBuffers(devices);
  const store = new MacSecretStore(buffers, SEED, acbPoint);
  assert.is(store.derived, 0);
  store.prepare([40_000, 3, 3, 12_345]);
  assert.is(store.derived, 3, 'a repeat is derived once');
  const again = new MacSecretStore(buffers, SEED, acbPoint);
  again.prepare([3, 40_000, 49_999]);
  assert.is(store.derived, 4, 'a second worker derives only what is missing');
  for (const device of [3, 12_345, 40_000, 49_999]) {
    const z = again.secretOf(device);
    assert.is(z.length, MAC_SECRET_BYTES);
    assert.is(Buffer.from(z).toString('hex'), ecdhZ(device), `device ${device}`);
  }
  assert.is(Buffer.from(store.secretOf(7)).toString('hex'), ecdhZ(7), 'secretOf derives what is missing');
  assert.is(store.derived, 5);
});

test('the native kernel derives the same Z as Node ECDH, sharing one store with a JS worker', () => {
  // The native addon is built by the install; CI fails rather than skip (GBFLEET_CRYPTO=js skips).
  if (process.env.GBFLEET_CRYPTO === 'js') return;
  const asked = [0, 1, 1023, 1024, 1025, 2048, 1 << 20, (1 << 20) + 1024 + 1, 5 * 1024 * 1024 + 3 * 1024, 33_554_431];
  const buffers = allocateMacSecretBuffers(1 << 25);
  const native = new MacSecretStore(buffers, SEED, acbPoint, 'native');
  const js = new MacSecretStore(buffers, SEED, acbPoint, 'js');
  native.prepare(asked.slice(0, 6));
  js.prepare(asked);
  native.prepare([...asked].reverse());
  assert.is(native.derived, asked.length, 'each device derived once, by whichever came first');
  for (const device of asked) {
    assert.is(Buffer.from(native.secretOf(device)).toString('hex'), ecdhZ(device), `device ${device}`);
  }
  // A fresh native store, devices in a different order: the native bytes alone.
  const alone = new MacSecretStore(allocateMacSecretBuffers(1 << 25), SEED, acbPoint, 'native');
  alone.prepare([...asked].reverse());
  for (const device of asked) {
    assert.is(Buffer.from(alone.secretOf(device)).toString('hex'), ecdhZ(device), `native alone, device ${device}`);
  }
});

test('devices outside the fleet, or not integers, are refused', () => {
  const store = new MacSecretStore(allocateMacSecretBuffers(10), SEED, acbPoint);
  for (const bad of [-1, 10, 1.5, Number.NaN]) {
    assert.throws(() => store.prepare([bad]), /outside/, String(bad));
    assert.throws(() => store.secretOf(bad), /outside/, String(bad));
  }
  assert.throws(() => new MacSecretDerivation(SEED, acbPoint).derive([2 ** 30]), /outside/);
  assert.is(store.derived, 0);
});

test("prepayment Z from a supplier's own progression equals the ECDH", () => {
  const supplierEui = 0x90b3d51f30000001n;
  const secrets = new PrepaymentSecrets(SEED, [0n, supplierEui]);
  const supplierPublic = prepaymentPublicKey(SEED, supplierEui);
  for (const device of [0, 1, 1023, 1024, 777_777, 31_999_999]) {
    const viaEcdh = Buffer.from(prepaymentSharedSecret(SEED, device, supplierPublic)).toString('hex');
    assert.is(Buffer.from(secrets.secret(1, device)).toString('hex'), viaEcdh, `device ${device}`);
  }
  assert.is(secrets.size, 6);
  assert.throws(() => secrets.secret(2, 0), /not a known party/);
});

test('buffers too small for their device count are refused', () => {
  const buffers = allocateMacSecretBuffers(10);
  assert.throws(() => new MacSecretStore({ ...buffers, devices: 11 }, SEED, acbPoint), /too small/);
});

test.run();
