/**
 * A keystore of GBCS test keys, named as in DCC's RTDS keystore: `<eui>-<ds|ka|pp-ka>.pem`
 * (X.509 certificate) and `<eui>-<ds|ka|pp-ka>.key` (PKCS#8 private key). Core does no I/O:
 * the caller reads the files and hands their names and texts here. Each key is parsed once.
 */
import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  type JsonWebKey,
  type KeyObject,
  X509Certificate,
} from 'node:crypto';
import { type Eui64, formatEui, parseEui } from '../bytes/hex.js';
import { KeystoreEntryError } from '../errors.js';

export type KeyUsage = 'ds' | 'ka' | 'pp-ka';

export interface KeystoreFile {
  /** File name (no directory), e.g. `90b3d51f30010000-ds.pem`. */
  name: string;
  text: string;
}

interface KeyPairSlots {
  publicKey?: KeyObject;
  privateKey?: KeyObject;
}

const NAME_RE = /^([0-9a-fA-F]{16})-(ds|ka|pp-ka)\.(pem|key)$/;

/** True when the file name looks like a keystore entry (others are ignored by `fromFiles`). */
export function isKeystoreFileName(name: string): boolean {
  return NAME_RE.test(name);
}

export class Keystore {
  readonly #slots = new Map<string, KeyPairSlots>();
  readonly #secrets = new Map<string, Uint8Array>();

  /** Parses every entry whose name matches the pattern; throws `GBF_KEYSTORE_ENTRY` naming a bad file. */
  static fromFiles(files: Iterable<KeystoreFile>): Keystore {
    const store = new Keystore();
    for (const file of files) {
      const match = NAME_RE.exec(file.name);
      if (!match) continue;
      const eui = parseEui(match[1] as string);
      const usage = match[2] as KeyUsage;
      try {
        if (match[3] === 'pem') {
          // RTDS ships certificates, and one bare SPKI public key; accept both.
          const key = file.text.includes('BEGIN CERTIFICATE')
            ? new X509Certificate(file.text).publicKey
            : createPublicKey(file.text);
          store.addPublicKey(eui, usage, key);
        } else {
          store.addPrivateKey(eui, usage, createPrivateKey(file.text));
        }
      } catch (cause) {
        throw new KeystoreEntryError(
          `keystore file ${file.name} is not a valid ${match[3] === 'pem' ? 'X.509 certificate or SPKI public key' : 'PKCS#8 private key'} in PEM: ${(cause as Error).message}`,
          { cause },
        );
      }
    }
    return store;
  }

  addPublicKey(eui: Eui64, usage: KeyUsage, key: KeyObject): void {
    this.#slot(eui, usage).publicKey = key;
  }

  addPrivateKey(eui: Eui64, usage: KeyUsage, key: KeyObject): void {
    const slot = this.#slot(eui, usage);
    slot.privateKey = key;
    // A private key implies its public half, even when no certificate was given.
    slot.publicKey ??= createPublicKeyFrom(key);
  }

  publicKey(eui: Eui64, usage: KeyUsage): KeyObject | undefined {
    return this.#slots.get(slotKey(eui, usage))?.publicKey;
  }

  privateKey(eui: Eui64, usage: KeyUsage): KeyObject | undefined {
    return this.#slots.get(slotKey(eui, usage))?.privateKey;
  }

  /** Every (EUI, usage) that has at least a public key. */
  entries(): Array<{ eui: Eui64; usage: KeyUsage; hasPrivateKey: boolean }> {
    return [...this.#slots.entries()].map(([key, slot]) => {
      const [eui, usage] = key.split('/') as [string, KeyUsage];
      return { eui: parseEui(eui), usage, hasPrivateKey: slot.privateKey !== undefined };
    });
  }

  /**
   * ECDH shared secret Z (32-byte x-coordinate) between `a`'s private key and `b`'s public key,
   * or between `b`'s private and `a`'s public if only that way round is known. Cached: Z is fixed
   * per pair. Undefined when neither side has a private key here.
   */
  sharedSecret(a: Eui64, aUsage: KeyUsage, b: Eui64, bUsage: KeyUsage): Uint8Array | undefined {
    const cacheKey = `${slotKey(a, aUsage)}|${slotKey(b, bUsage)}`;
    const cached = this.#secrets.get(cacheKey);
    if (cached) return cached;
    const sa = this.#slots.get(slotKey(a, aUsage));
    const sb = this.#slots.get(slotKey(b, bUsage));
    let z: Buffer | undefined;
    if (sa?.privateKey && sb?.publicKey) z = diffieHellman({ privateKey: sa.privateKey, publicKey: sb.publicKey });
    else if (sb?.privateKey && sa?.publicKey) z = diffieHellman({ privateKey: sb.privateKey, publicKey: sa.publicKey });
    if (!z) return undefined;
    const secret = new Uint8Array(z);
    this.#secrets.set(cacheKey, secret);
    return secret;
  }

  #slot(eui: Eui64, usage: KeyUsage): KeyPairSlots {
    const key = slotKey(eui, usage);
    let slot = this.#slots.get(key);
    if (!slot) {
      slot = {};
      this.#slots.set(key, slot);
    }
    return slot;
  }
}

function slotKey(eui: Eui64, usage: KeyUsage): string {
  return `${formatEui(eui)}/${usage}`;
}

function createPublicKeyFrom(privateKey: KeyObject): KeyObject {
  // KeyObject has no direct accessor; exporting as JWK and dropping `d` is the portable route.
  const jwk: JsonWebKey = privateKey.export({ format: 'jwk' });
  delete jwk.d;
  return createPublicKey({ key: jwk, format: 'jwk' });
}
