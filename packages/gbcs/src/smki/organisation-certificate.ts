/**
 * Simulated SMKI organisation certificates: a party's role, key usage and public key, signed for
 * real (ECDSA P-256) by a simulated SMKI root, with a status — valid, or revoked at a time whose
 * effect the PMA may delay (SEC L16: a failed supplier's keys stay usable until the SoLR is ready).
 * Times are simulated seconds since the run's epoch, never wall-clock.
 */
import { type KeyObject, sign, verify } from 'node:crypto';
import { InvalidArgumentError } from '../errors.js';
import type { KeyUsage } from '../keystore/keystore.js';
import { privateKeyFromScalar, publicSec1FromScalar, scalarFromSeed } from './p256-keys.js';

export type PartyRole = 'supplier' | 'srp' | 'solr' | 'network-operator' | 'acb' | 'smki-root';

export interface OrganisationCertificate {
  serial: bigint;
  subject: bigint;
  role: PartyRole;
  usage: KeyUsage;
  /** 65-byte SEC1 public key. */
  publicKey: Uint8Array;
  notBefore: number;
  /** 64-byte raw r‖s by the SMKI root over `certificateTbs`. */
  signature: Uint8Array;
}

/** Status kept beside a certificate (revocation is not part of what the root signed). */
export interface CertificateStatus {
  revokedAt: number | null;
  /** When revocation takes effect; later than revokedAt when the PMA delays it. */
  revocationEffectiveAt: number | null;
}

const ROLES: readonly PartyRole[] = ['supplier', 'srp', 'solr', 'network-operator', 'acb', 'smki-root'];
const USAGES: readonly KeyUsage[] = ['ds', 'ka', 'pp-ka'];

/** The signed bytes: serial(8) ‖ subject(8) ‖ role(1) ‖ usage(1) ‖ notBefore(8, float) ‖ key(65). */
export function certificateTbs(cert: Omit<OrganisationCertificate, 'signature'>): Uint8Array {
  const out = new Uint8Array(8 + 8 + 1 + 1 + 8 + 65);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, cert.serial);
  view.setBigUint64(8, cert.subject);
  out[16] = ROLES.indexOf(cert.role);
  out[17] = USAGES.indexOf(cert.usage);
  view.setFloat64(18, cert.notBefore);
  out.set(cert.publicKey, 26);
  return out;
}

export function issueCertificate(
  rootPrivateKey: KeyObject,
  fields: Omit<OrganisationCertificate, 'signature'>,
): OrganisationCertificate {
  if (!ROLES.includes(fields.role)) throw new InvalidArgumentError(`unknown party role ${JSON.stringify(fields.role)}`);
  if (!USAGES.includes(fields.usage))
    throw new InvalidArgumentError(`unknown key usage ${JSON.stringify(fields.usage)}`);
  if (fields.publicKey.length !== 65) throw new InvalidArgumentError('a certificate public key is 65-byte SEC1');
  const signature = new Uint8Array(
    sign('sha256', certificateTbs(fields), { key: rootPrivateKey, dsaEncoding: 'ieee-p1363' }),
  );
  return { ...fields, signature };
}

export function verifyCertificate(cert: OrganisationCertificate, rootPublicKey: KeyObject): boolean {
  return verify('sha256', certificateTbs(cert), { key: rootPublicKey, dsaEncoding: 'ieee-p1363' }, cert.signature);
}

/** Usable at `time`: issued, and not revoked — or revoked with its effect still delayed. */
export function isUsableAt(cert: OrganisationCertificate, status: CertificateStatus, time: number): boolean {
  if (time < cert.notBefore) return false;
  if (status.revokedAt === null) return true;
  const effective = status.revocationEffectiveAt ?? status.revokedAt;
  return time < effective;
}

export interface Party {
  eui: bigint;
  role: PartyRole;
  name: string;
  /** Private scalars and KeyObjects, derived from (seed, EUI, usage). */
  keys: Partial<Record<KeyUsage, { scalar: bigint; privateKey: KeyObject; publicKey: Uint8Array }>>;
}

/** A party with real P-256 keys derived from the seed: DS and KA always, PP-KA for suppliers. */
export function deriveParty(seed: string, { eui, role, name }: { eui: bigint; role: PartyRole; name: string }): Party {
  const usages: KeyUsage[] = role === 'supplier' || role === 'solr' ? ['ds', 'ka', 'pp-ka'] : ['ds', 'ka'];
  const keys: Party['keys'] = {};
  for (const usage of usages) {
    const scalar = scalarFromSeed(seed, `party-${usage}`, eui);
    keys[usage] = { scalar, privateKey: privateKeyFromScalar(scalar), publicKey: publicSec1FromScalar(scalar) };
  }
  return { eui, role, name, keys };
}
