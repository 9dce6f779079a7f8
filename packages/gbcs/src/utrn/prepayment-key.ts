/**
 * The key behind a meter's UTRN MACs: Z = ECDH(supplier's prepayment KA key, device KA key), one
 * per (supplier, device) pair. The supplier's prepayment scalar is the one `deriveParty` gives a
 * supplier ('party-pp-ka' from seed and EUI); the device's KA scalar is its place in the fleet's
 * key progression (device-key-material.ts). ECDH is symmetric, so the meter's side
 * (device private × supplier public), computed here, is the supplier's side too.
 */
import { createECDH, type ECDH } from 'node:crypto';
import { InvalidArgumentError } from '../errors.js';
import { deviceKaScalar } from '../smki/device-key-material.js';
import { publicSec1FromScalar, scalarFromSeed } from '../smki/p256-keys.js';

/** A party's prepayment KA private scalar, exactly as `deriveParty` derives it for a supplier. */
export function prepaymentScalar(seed: string, eui: bigint): bigint {
  return scalarFromSeed(seed, 'party-pp-ka', eui);
}

/** A party's prepayment KA public key, 65-byte SEC1. */
export function prepaymentPublicKey(seed: string, eui: bigint): Uint8Array {
  return publicSec1FromScalar(prepaymentScalar(seed, eui));
}

function scalarBuffer(d: bigint): Buffer {
  return Buffer.from(d.toString(16).padStart(64, '0'), 'hex');
}

/**
 * Z for UTRNs between the party whose prepayment key is `partyPublic` and device `device` of the
 * run's fleet (seed `seed`), from the meter's side. 32 bytes.
 */
export function prepaymentSharedSecret(seed: string, device: number, partyPublic: Uint8Array, ecdh?: ECDH): Uint8Array {
  const e = ecdh ?? createECDH('prime256v1');
  e.setPrivateKey(scalarBuffer(deviceKaScalar(seed, device)));
  return new Uint8Array(e.computeSecret(partyPublic));
}

/**
 * Per-worker cache of prepayment Z, keyed by (party index, device). A worker computes each pair
 * at most once (≈ 0.13 ms for the ECDH); entries are 32 bytes plus the map's overhead.
 */
export class PrepaymentSecrets {
  readonly #seed: string;
  readonly #partyEuis: readonly bigint[];
  readonly #publics = new Map<number, Uint8Array>();
  readonly #secrets = new Map<number, Uint8Array>();
  readonly #ecdh = createECDH('prime256v1');

  constructor(seed: string, partyEuis: readonly bigint[]) {
    this.#seed = seed;
    this.#partyEuis = partyEuis;
  }

  eui(party: number): bigint {
    const eui = this.#partyEuis[party];
    if (eui === undefined) throw new InvalidArgumentError(`party index ${party} is not a known party`);
    return eui;
  }

  secret(party: number, device: number): Uint8Array {
    const key = party * 2 ** 32 + device;
    let z = this.#secrets.get(key);
    if (!z) {
      let pub = this.#publics.get(party);
      if (!pub) {
        pub = prepaymentPublicKey(this.#seed, this.eui(party));
        this.#publics.set(party, pub);
      }
      z = prepaymentSharedSecret(this.#seed, device, pub, this.#ecdh);
      this.#secrets.set(key, z);
    }
    return z;
  }

  get size(): number {
    return this.#secrets.size;
  }
}
