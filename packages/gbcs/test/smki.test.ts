/**
 * Simulated SMKI: parties' keys are deterministic and real; certificates are really signed by the
 * root; delayed revocation keeps a certificate usable until its effective time; trust-anchor
 * cells accept only strictly rising counters.
 */
import { diffieHellman } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  acceptOriginatorCounter,
  cellCertificate,
  createTrustAnchorTable,
  deriveParty,
  issueCertificate,
  isUsableAt,
  placeCertificate,
  publicKeyFromSec1,
  verifyCertificate,
} from '../src/index.ts';

const root = deriveParty('smki-test', { eui: 0x90b3d51f30000001n, role: 'smki-root', name: 'root' });
const supplier = deriveParty('smki-test', { eui: 0x90b3d51f30010000n, role: 'supplier', name: 'Supplier A' });

test('parties are deterministic from the seed and their keys are real', () => {
  const again = deriveParty('smki-test', { eui: supplier.eui, role: 'supplier', name: 'Supplier A' });
  assert.equal([...(again.keys.ds?.publicKey ?? [])], [...(supplier.keys.ds?.publicKey ?? [])]);
  const other = deriveParty('other-seed', { eui: supplier.eui, role: 'supplier', name: 'Supplier A' });
  assert.not.equal([...(other.keys.ds?.publicKey ?? [])], [...(supplier.keys.ds?.publicKey ?? [])]);
  assert.ok(supplier.keys['pp-ka'], 'a supplier has a prepayment key');
  assert.is(root.keys['pp-ka'], undefined);
  const a = diffieHellman({
    privateKey: supplier.keys.ka!.privateKey,
    publicKey: publicKeyFromSec1(root.keys.ka!.publicKey),
  });
  const b = diffieHellman({
    privateKey: root.keys.ka!.privateKey,
    publicKey: publicKeyFromSec1(supplier.keys.ka!.publicKey),
  });
  assert.ok(a.equals(b));
});

test('certificates verify against the root and fail when tampered', () => {
  const cert = issueCertificate(root.keys.ds!.privateKey, {
    serial: 1n,
    subject: supplier.eui,
    role: 'supplier',
    usage: 'ds',
    publicKey: supplier.keys.ds!.publicKey,
    notBefore: 0,
  });
  const rootPublic = publicKeyFromSec1(root.keys.ds!.publicKey);
  assert.ok(verifyCertificate(cert, rootPublic));
  assert.not.ok(verifyCertificate({ ...cert, role: 'solr' }, rootPublic));
  assert.not.ok(verifyCertificate({ ...cert, subject: cert.subject + 1n }, rootPublic));
  assert.throws(() => issueCertificate(root.keys.ds!.privateKey, { ...cert, role: 'king' as 'supplier' }), /role/);
});

test('revocation, immediate and delayed', () => {
  const cert = issueCertificate(root.keys.ds!.privateKey, {
    serial: 2n,
    subject: supplier.eui,
    role: 'supplier',
    usage: 'ds',
    publicKey: supplier.keys.ds!.publicKey,
    notBefore: 100,
  });
  assert.not.ok(isUsableAt(cert, { revokedAt: null, revocationEffectiveAt: null }, 50));
  assert.ok(isUsableAt(cert, { revokedAt: null, revocationEffectiveAt: null }, 150));
  const immediate = { revokedAt: 1000, revocationEffectiveAt: null };
  assert.ok(isUsableAt(cert, immediate, 999));
  assert.not.ok(isUsableAt(cert, immediate, 1000));
  const delayed = { revokedAt: 1000, revocationEffectiveAt: 1000 + 21 * 86400 };
  assert.ok(isUsableAt(cert, delayed, 1000 + 20 * 86400));
  assert.not.ok(isUsableAt(cert, delayed, 1000 + 21 * 86400));
});

test('trust-anchor cells: strictly rising counters per cell; a new certificate keeps the counter', () => {
  const table = createTrustAnchorTable(3);
  assert.is(cellCertificate(table, 1, 'supplier'), null);
  placeCertificate(table, 1, 'supplier', 7);
  assert.is(cellCertificate(table, 1, 'supplier'), 7);
  assert.is(acceptOriginatorCounter(table, 1, 'supplier', 10n), 'ok');
  assert.is(acceptOriginatorCounter(table, 1, 'supplier', 10n), 'GBCS_REPLAY');
  assert.is(acceptOriginatorCounter(table, 1, 'supplier', 9n), 'GBCS_REPLAY');
  assert.is(acceptOriginatorCounter(table, 1, 'network-operator', 1n), 'ok');
  placeCertificate(table, 1, 'supplier', 8);
  assert.is(acceptOriginatorCounter(table, 1, 'supplier', 5n), 'GBCS_REPLAY');
  assert.is(acceptOriginatorCounter(table, 1, 'supplier', 11n), 'ok');
  assert.throws(() => acceptOriginatorCounter(table, 3, 'supplier', 1n), /outside/);
});

test.run();
