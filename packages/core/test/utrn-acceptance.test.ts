/**
 * The meter's UTRN acceptance rule with real keys: the prepayment key agreement (both sides agree
 * and match `deriveParty`), the counter window (±512 around the highest accepted, across the
 * 10-bit wrap), the 32-deep duplicate cache, five strikes and the lockout, extended codes only on
 * extended firmware, and typing slips that fail the check digit or — when two slips slip past
 * it — the MAC. Hostile text is a verdict, never a throw.
 */
import { createECDH } from 'node:crypto';
import {
  applyAttempt,
  deriveParty,
  deviceKaScalar,
  encodeAttempt,
  generateExtendedUtrn,
  generateUtrn,
  hasValidCheckDigit,
  prepaymentPublicKey,
  prepaymentSharedSecret,
  publicSec1FromScalar,
  ServiceRequest,
  SlipKind,
} from '@gbfleet/gbcs';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  enterUtrn,
  issueUtrnForRequest,
  requestOfUtrnContent,
  UTRN_LOCKOUT_STRIKES,
  UTRN_VERDICT_OUTCOME,
  UTRN_VERDICT_STATUS,
  type UtrnEntryContext,
  type UtrnMeterState,
  utrnDigitsForRequest,
} from '../src/index.ts';

const SEED = 'acceptance';
const SUPPLIER = 0x90b3_d51f_3000_0001n;
const OTHER_SUPPLIER = 0x90b3_d51f_3000_0002n;
const DEVICE_INDEX = 7;
const DEVICE = 0x00db_2000_0000_0000n + BigInt(DEVICE_INDEX);
const Z = prepaymentSharedSecret(SEED, DEVICE_INDEX, prepaymentPublicKey(SEED, SUPPLIER));

const fresh = (): UtrnMeterState => ({ highest: 0, recent: 0, strikes: 0, lockedUntil: 0 });
const ctx = (now = 0, extra: Partial<UtrnEntryContext> = {}): UtrnEntryContext => ({
  now,
  lockoutSteps: 24,
  extendedCommands: false,
  supplier: SUPPLIER,
  device: DEVICE,
  sharedSecret: Z,
  ...extra,
});
const topUp = (steps: number, pounds = 10, secret = Z, supplier = SUPPLIER) =>
  generateUtrn({
    sharedSecret: secret,
    supplier,
    device: DEVICE,
    counter: BigInt(steps) << 32n,
    value: pounds,
    valueClass: 'pounds',
  }).utrn;

test('prepayment Z: the meter side equals the supplier side, with the key deriveParty gives a supplier', () => {
  const party = deriveParty(SEED, { eui: SUPPLIER, role: 'supplier', name: 'Aurora' });
  const pp = party.keys['pp-ka'];
  if (!pp) throw new Error('a supplier has a prepayment key');
  assert.equal([...prepaymentPublicKey(SEED, SUPPLIER)], [...pp.publicKey]);
  const supplierSide = createECDH('prime256v1');
  supplierSide.setPrivateKey(Buffer.from(pp.scalar.toString(16).padStart(64, '0'), 'hex'));
  const deviceKaPublic = publicSec1FromScalar(deviceKaScalar(SEED, DEVICE_INDEX));
  assert.equal([...new Uint8Array(supplierSide.computeSecret(deviceKaPublic))], [...Z]);
  const other = prepaymentSharedSecret(SEED, DEVICE_INDEX + 1, prepaymentPublicKey(SEED, SUPPLIER));
  assert.not.equal([...other], [...Z], 'per-device keys');
});

test('counter window: in order, out of order within the cache, across the 10-bit wrap', () => {
  const s = fresh();
  for (const steps of [1, 2, 5, 3]) {
    const r = enterUtrn(s, topUp(steps), ctx());
    assert.is(r.verdict, 'accepted', `counter ${steps}`);
    assert.is(r.counter, BigInt(steps) << 32n);
    assert.equal(r.content, { kind: 'top-up', pence: 1000 });
  }
  assert.is(s.highest, 5);
  assert.is(s.recent, 0b11101); // 5, 3, 2, 1 accepted: bits 0, 2, 3, 4
  // Up to the wrap and past it: 10 bits only, the window places the counter.
  const w = { highest: 1020, recent: 1, strikes: 0, lockedUntil: 0 };
  assert.is(enterUtrn(w, topUp(1030), ctx()).verdict, 'accepted');
  assert.is(w.highest, 1030);
  assert.is(enterUtrn(w, topUp(1025), ctx()).verdict, 'accepted', 'older but within the cache');
  assert.is(enterUtrn(w, topUp(1020), ctx()).verdict, 'duplicate', 'highest before the wrap, still cached');
  // 511 ahead is the edge of the window; 512 ahead reads as 512 behind (a tie goes to the older).
  const edge = { highest: 2000, recent: 1, strikes: 0, lockedUntil: 0 };
  assert.is(enterUtrn(edge, topUp(2511), ctx()).verdict, 'accepted');
  const beyond = { highest: 2000, recent: 1, strikes: 0, lockedUntil: 0 };
  const r = enterUtrn(beyond, topUp(2512), ctx());
  assert.is(r.verdict, 'counter', 'a genuine code outside the window is not accepted');
  assert.is(r.counter, 2512n << 32n, 'the meter says where it would have been');
  const far = { highest: 2000, recent: 1, strikes: 0, lockedUntil: 0 };
  assert.is(enterUtrn(far, topUp(3100), ctx()).verdict, 'counter', '1,100 ahead');
  assert.is(beyond.highest, 2000);
  assert.is(UTRN_VERDICT_STATUS.counter, 'rejected-counter');
});

test('a counter older than the cache is refused even if never used; the cache holds 32', () => {
  const s = { highest: 100, recent: 1, strikes: 0, lockedUntil: 0 };
  assert.is(enterUtrn(s, topUp(69), ctx()).verdict, 'accepted', '31 below: in the cache, unused');
  assert.is(enterUtrn(s, topUp(68), ctx()).verdict, 'counter', '32 below: too old to tell');
  assert.is(enterUtrn(s, topUp(69), ctx()).verdict, 'duplicate');
});

test('duplicates: the same UTRN twice, and after later ones', () => {
  const s = fresh();
  const code = topUp(10);
  assert.is(enterUtrn(s, code, ctx()).verdict, 'accepted');
  const again = enterUtrn(s, code, ctx());
  assert.is(again.verdict, 'duplicate');
  assert.is(again.content, null);
  assert.is(UTRN_VERDICT_STATUS.duplicate, 'rejected-replay');
  assert.is(UTRN_VERDICT_OUTCOME.duplicate, 'GBCS_REPLAY');
  for (const steps of [11, 12, 20]) assert.is(enterUtrn(s, topUp(steps), ctx()).verdict, 'accepted');
  assert.is(enterUtrn(s, code, ctx()).verdict, 'duplicate');
});

test('not authentic: another device, another supplier, or a key the meter does not trust', () => {
  const s = fresh();
  const otherZ = prepaymentSharedSecret(SEED, DEVICE_INDEX, prepaymentPublicKey(SEED, OTHER_SUPPLIER));
  const forOther = generateUtrn({
    sharedSecret: Z,
    supplier: SUPPLIER,
    device: DEVICE + 1n,
    counter: 1n << 32n,
    value: 5,
    valueClass: 'pounds',
  }).utrn;
  assert.is(enterUtrn(s, forOther, ctx()).verdict, 'not-authentic');
  // Issued by a supplier that is not in the meter's supplier cell (e.g. before SR 6.23).
  assert.is(enterUtrn(s, topUp(1, 10, otherZ, OTHER_SUPPLIER), ctx()).verdict, 'not-authentic');
  assert.is(s.highest, 0);
  assert.is(s.strikes, 2);
});

test('five bad entries in a row lock the keypad; an accepted one resets the count', () => {
  const s = fresh();
  const good = topUp(1);
  const slip = applyAttempt(good, encodeAttempt([{ kind: SlipKind.Replace, position: 4, delta: 1 }]));
  for (let i = 0; i < UTRN_LOCKOUT_STRIKES - 1; i++) assert.is(enterUtrn(s, slip, ctx(10)).verdict, 'check-digit');
  assert.is(enterUtrn(s, good, ctx(10)).verdict, 'accepted');
  assert.is(s.strikes, 0);
  for (let i = 0; i < UTRN_LOCKOUT_STRIKES; i++) assert.is(enterUtrn(s, slip, ctx(11)).verdict, 'check-digit');
  assert.is(s.lockedUntil, 11 + 24);
  const next = topUp(2);
  const locked = enterUtrn(s, next, ctx(20));
  assert.is(locked.verdict, 'locked-out');
  assert.is(UTRN_VERDICT_STATUS['locked-out'], 'rejected-locked-out');
  assert.is(enterUtrn(s, next, ctx(34)).verdict, 'locked-out', 'still locked in its last step');
  assert.is(enterUtrn(s, next, ctx(35)).verdict, 'accepted', 'unlocked when the lockout ends');
  // Locked-out entries do not add strikes.
  assert.is(s.strikes, 0);
});

test('typing slips fail for real: one slip the check digit; two that slip past it, the MAC', () => {
  const code = topUp(3, 25);
  for (let at = 0; at < 20; at++) {
    for (let delta = 1; delta <= 9; delta++) {
      const typed = applyAttempt(code, encodeAttempt([{ kind: SlipKind.Replace, position: at, delta }]));
      assert.is(enterUtrn(fresh(), typed, ctx()).verdict, 'check-digit', `slip at ${at}`);
    }
  }
  assert.is(
    enterUtrn(fresh(), applyAttempt(code, encodeAttempt([{ kind: SlipKind.Omit, position: 3, delta: 0 }])), ctx())
      .verdict,
    'malformed',
  );
  // Search (deterministically) for two slips that keep the check digit valid: the MAC catches them.
  let found = 0;
  for (let a = 0; a < 19 && found < 5; a++) {
    for (let b = a + 1; b < 19 && found < 5; b++) {
      for (let da = 1; da <= 9 && found < 5; da++) {
        for (let db = 1; db <= 9 && found < 5; db++) {
          const attempt = encodeAttempt([
            { kind: SlipKind.Replace, position: a, delta: da },
            { kind: SlipKind.Replace, position: b, delta: db },
          ]);
          const typed = applyAttempt(code, attempt);
          if (!hasValidCheckDigit(typed)) continue;
          const verdict = enterUtrn(fresh(), typed, ctx()).verdict;
          if (verdict === 'malformed') continue; // outside the token range
          assert.ok(verdict === 'not-authentic' || verdict === 'counter', `${typed}: ${verdict}`);
          if (verdict === 'not-authentic') found++;
        }
      }
    }
  }
  assert.is(found, 5, 'two-slip codes with a valid check digit exist and fail the MAC');
  assert.is(UTRN_VERDICT_STATUS['not-authentic'], 'rejected-mac');
});

test('extended codes: only on extended firmware, and the meter reads what the code says', () => {
  const code = generateExtendedUtrn({
    sharedSecret: Z,
    supplier: SUPPLIER,
    device: DEVICE,
    counter: 4n << 32n,
    command: 'set-emergency-credit',
    params: { limitPence: 3000 },
  }).utrn;
  const s = fresh();
  assert.is(enterUtrn(s, code, ctx()).verdict, 'unsupported');
  assert.is(UTRN_VERDICT_STATUS.unsupported, 'rejected-unsupported');
  const r = enterUtrn(s, code, ctx(0, { extendedCommands: true }));
  assert.is(r.verdict, 'accepted');
  if (r.content?.kind !== 'extended') throw new Error('an extended command');
  assert.is(r.content.command.name, 'set-emergency-credit');
  assert.equal(requestOfUtrnContent(r.content), { kind: ServiceRequest.SetEmergencyCreditLimit, argument: 3000 });
  assert.is(enterUtrn(s, code, ctx(0, { extendedCommands: true })).verdict, 'duplicate', 'same counter rules');
  // A 20-digit UTRN and a 40-digit code share the meter's counter space.
  assert.is(enterUtrn(s, topUp(4), ctx()).verdict, 'duplicate');
});

test('requests map to the code that carries them, both ways', () => {
  const keys = {
    sharedSecret: Z,
    supplier: SUPPLIER,
    device: DEVICE,
    counter: 9n << 32n,
    friendlyHours: { from: 16, to: 8 },
  };
  const cases: Array<[number, number, number | null]> = [
    [ServiceRequest.TopUp, 500, 20],
    [ServiceRequest.TopUp, 12_300, 20],
    [ServiceRequest.TopUp, 12_345, null], // above 8,191 pennies and not whole pounds
    [ServiceRequest.TopUp, 0, null],
    [ServiceRequest.SetEmergencyCreditLimit, 2500, 40],
    [ServiceRequest.SetNonDisablementCalendar, 2, 40],
    [ServiceRequest.SetNonDisablementCalendar, 1, 60],
    [ServiceRequest.SetNonDisablementCalendar, 7, null],
    [ServiceRequest.SetPaymentMode, 0, 40],
    [ServiceRequest.UpdateSecurityCredentials, 3, null],
  ];
  for (const [kind, argument, digits] of cases) {
    assert.is(utrnDigitsForRequest(kind, argument), digits, `${kind}/${argument}`);
    const issued = issueUtrnForRequest({ kind, argument }, keys);
    assert.is(issued?.code.length ?? null, digits);
    if (!issued) continue;
    const r = enterUtrn(fresh(), issued.code, ctx(0, { extendedCommands: true }));
    assert.is(r.verdict, 'accepted');
    if (!r.content) throw new Error('content');
    assert.equal(requestOfUtrnContent(r.content), { kind, argument });
  }
});

test('hostile text at the keypad is a verdict, never a throw, and counts as a strike', () => {
  const s = fresh();
  for (const text of ['', 'x', '1'.repeat(19), '1'.repeat(21), '7'.repeat(20), '٣'.repeat(20), '1'.repeat(40)]) {
    const r = enterUtrn(s, text, ctx(0, { extendedCommands: true }));
    assert.is.not(r.verdict, 'accepted', text);
  }
  assert.ok(s.lockedUntil > 0, 'seven bad entries lock the keypad');
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^\d{20}$/), fc.stringMatching(/^\d{40}$/)),
      (text) => {
        const r = enterUtrn(fresh(), text, ctx(0, { extendedCommands: true }));
        assert.is.not(r.verdict, 'accepted');
      },
    ),
    { seed: 3, numRuns: 300 },
  );
});

test.run();
