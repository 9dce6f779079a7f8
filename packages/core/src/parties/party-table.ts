/**
 * The parties of one run — the DCC's ACB, suppliers, network operators and whatever a scenario
 * plug-in declares (SRP, SoLR…) — each with real P-256 keys derived from (seed, EUI) and an
 * organisation certificate signed by the run's simulated SMKI root. Index 0 is always the ACB.
 * Status (failed, revoked, vending) changes only between steps, on the main thread.
 */
import type { KeyObject } from 'node:crypto';
import {
  deriveParty,
  InvalidArgumentError,
  issueCertificate,
  type OrganisationCertificate,
  type PartyRole,
  privateKeyFromScalar,
  scalarFromSeed,
} from '@gbfleet/gbcs';

/** EUI-64s of run parties: a fixed organisation prefix, then the party index. */
export const PARTY_EUI_BASE = 0x90b3_d51f_3000_0000n;
export const SMKI_ROOT_EUI = 0x90b3_d51f_2fff_ffffn;
export const ACB_PARTY = 0;
/**
 * Party indexes are one byte in the fleet's columns. The scenario allows 200 suppliers and 40
 * network operators, and the ACB and the plug-ins' parties fit in what is left.
 */
export const MAX_PARTIES = 255;

export interface PartyDeclaration {
  name: string;
  role: PartyRole;
  /** Suppliers: whether an SRP runs their systems (and holds their keys). */
  usesSrp?: boolean;
}

export interface RunParty {
  readonly index: number;
  readonly name: string;
  readonly role: PartyRole;
  readonly eui: bigint;
  readonly usesSrp: boolean;
  readonly dsScalar: bigint;
  readonly kaScalar: bigint;
  readonly dsPublicSec1: Uint8Array;
  readonly certificate: OrganisationCertificate;
  /** Step from which the party no longer trades (stops vending), or null. */
  failedAtStep: number | null;
  /** Step at which revocation of its certificates takes effect at the DCC, or null. */
  revokedAtStep: number | null;
  /** Whether top-ups bought from this party are vended (PSP and systems still running). */
  vending: boolean;
}

export class PartyTable {
  readonly parties: RunParty[] = [];
  readonly #byName = new Map<string, RunParty>();
  readonly #seed: string;
  readonly #rootKey: KeyObject;

  constructor(seed: string) {
    this.#seed = seed;
    this.#rootKey = privateKeyFromScalar(scalarFromSeed(seed, 'smki-root', SMKI_ROOT_EUI));
    this.add({ name: 'DCC ACB', role: 'acb' });
  }

  add(declaration: PartyDeclaration): RunParty {
    const name = declaration.name.trim();
    if (name === '') throw new InvalidArgumentError('a party needs a non-empty name');
    if (this.#byName.has(name)) throw new InvalidArgumentError(`two parties are named ${JSON.stringify(name)}`);
    if (this.parties.length >= MAX_PARTIES) {
      throw new InvalidArgumentError(`a run holds at most ${MAX_PARTIES} parties; ${name} would be one more`);
    }
    const index = this.parties.length;
    const eui = PARTY_EUI_BASE + BigInt(index);
    const derived = deriveParty(this.#seed, { eui, role: declaration.role, name });
    const ds = derived.keys.ds;
    const ka = derived.keys.ka;
    if (!ds || !ka) throw new InvalidArgumentError(`party ${name}: keys were not derived`);
    const certificate = issueCertificate(this.#rootKey, {
      serial: BigInt(index + 1),
      subject: eui,
      role: declaration.role,
      usage: 'ds',
      publicKey: ds.publicKey,
      notBefore: 0,
    });
    const party: RunParty = {
      index,
      name,
      role: declaration.role,
      eui,
      usesSrp: declaration.usesSrp ?? false,
      dsScalar: ds.scalar,
      kaScalar: ka.scalar,
      dsPublicSec1: ds.publicKey,
      certificate,
      failedAtStep: null,
      revokedAtStep: null,
      vending: true,
    };
    this.parties.push(party);
    this.#byName.set(name, party);
    return party;
  }

  get size(): number {
    return this.parties.length;
  }

  at(index: number): RunParty {
    const party = this.parties[index];
    if (!party) throw new InvalidArgumentError(`party index ${index} is not in 0..${this.parties.length - 1}`);
    return party;
  }

  byName(name: string): RunParty {
    const party = this.#byName.get(name);
    if (!party) {
      const known = this.parties.map((p) => JSON.stringify(p.name)).join(', ');
      throw new InvalidArgumentError(`no party is named ${JSON.stringify(name)}; the parties are ${known}`);
    }
    return party;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** The DCC's view: may this party's certificate still be used at `step`? */
  certificateUsableAt(index: number, step: number): boolean {
    const revokedAt = this.at(index).revokedAtStep;
    return revokedAt === null || step < revokedAt;
  }

  withRole(role: PartyRole): RunParty[] {
    return this.parties.filter((p) => p.role === role);
  }
}
