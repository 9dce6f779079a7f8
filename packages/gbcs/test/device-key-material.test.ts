/**
 * Device key material from the progression trick must equal what Node's own ECDH and key
 * import give, for any split of the fleet into ranges.
 */
import { diffieHellman, sign, verify } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createDeviceKeyStore,
  deviceDsScalar,
  deviceKaScalar,
  dsPublicOf,
  fillDeviceKeyMaterial,
  pointFromSec1,
  privateKeyFromScalar,
  publicKeyFromSec1,
  publicSec1FromScalar,
  scalarFromSeed,
  sharedSecretOf,
} from '../src/index.ts';

const SEED = 'key-material-test';
const acbScalar = scalarFromSeed(SEED, 'party-ka', 0x90b3d51f30000002n);
const acbPrivate = privateKeyFromScalar(acbScalar);
const acbSec1 = publicSec1FromScalar(acbScalar);
const acbPoint = pointFromSec1(acbSec1);
const DEVICES = 2600; // crosses two 1,024-device tables

const whole = createDeviceKeyStore(DEVICES);
fillDeviceKeyMaterial(whole, { seed: SEED, acbKaPublic: acbPoint, lo: 0, hi: DEVICES });

test('Z equals Node ECDH both ways, and the DS public key is the scalar’s', () => {
  for (const i of [0, 1, 2, 1023, 1024, 1025, 2047, 2048, 2599]) {
    const deviceKa = privateKeyFromScalar(deviceKaScalar(SEED, i));
    const viaDevice = diffieHellman({ privateKey: deviceKa, publicKey: publicKeyFromSec1(acbSec1) });
    const viaAcb = diffieHellman({
      privateKey: acbPrivate,
      publicKey: publicKeyFromSec1(publicSec1FromScalar(deviceKaScalar(SEED, i))),
    });
    assert.equal([...sharedSecretOf(whole, i)], [...viaDevice], `Z of device ${i} (device side)`);
    assert.equal([...sharedSecretOf(whole, i)], [...viaAcb], `Z of device ${i} (ACB side)`);
    assert.equal([...dsPublicOf(whole, i)], [...publicSec1FromScalar(deviceDsScalar(SEED, i))], `DS public of ${i}`);
  }
});

test('a signature by the derived DS private key verifies with the stored public key', () => {
  const message = Buffer.from('critical response');
  for (const i of [5, 1500]) {
    const signature = sign('sha256', message, {
      key: privateKeyFromScalar(deviceDsScalar(SEED, i)),
      dsaEncoding: 'ieee-p1363',
    });
    assert.ok(
      verify('sha256', message, { key: publicKeyFromSec1(dsPublicOf(whole, i)), dsaEncoding: 'ieee-p1363' }, signature),
    );
  }
});

test('any split of the fleet into ranges gives the same bytes', () => {
  const split = createDeviceKeyStore(DEVICES);
  for (const [lo, hi] of [
    [1700, DEVICES],
    [0, 7],
    [7, 1030],
    [1030, 1700],
  ] as const) {
    fillDeviceKeyMaterial(split, { seed: SEED, acbKaPublic: acbPoint, lo, hi });
  }
  assert.ok(Buffer.from(split.bytes).equals(Buffer.from(whole.bytes)));
});

test('another seed gives other keys', () => {
  const other = createDeviceKeyStore(4);
  fillDeviceKeyMaterial(other, { seed: `${SEED}-2`, acbKaPublic: acbPoint, lo: 0, hi: 4 });
  assert.not.equal([...sharedSecretOf(other, 1)], [...sharedSecretOf(whole, 1)]);
});

test('bad ranges are refused', () => {
  assert.throws(() => fillDeviceKeyMaterial(whole, { seed: SEED, acbKaPublic: acbPoint, lo: 5, hi: 4 }), /outside/);
  assert.throws(
    () => fillDeviceKeyMaterial(whole, { seed: SEED, acbKaPublic: acbPoint, lo: 0, hi: DEVICES + 1 }),
    /outside/,
  );
});

test.run();
