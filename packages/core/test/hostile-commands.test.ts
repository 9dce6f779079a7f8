/**
 * Commands of hostile parties through the real engine and workers: sent past the DCC ('direct'),
 * forged on the way (another signer, a MAC changed or made without Z, another meter's frame),
 * labelled with their attack. Each forgery is judged by the meter's own checks, so each test has
 * its untampered twin, which the same meter accepts.
 */
import assert from 'node:assert/strict';
import { OUTCOME_CODE, outcomeName, ServiceRequest } from '@gbfleet/gbcs';
import { test } from 'uvu';
import { runScenario } from '../src/engine/run-engine.js';
import type { CommandRequest, RunContext, ScenarioPlugin } from '../src/engine/scenario-plugin.js';
import { PaymentMode, WanClass } from '../src/fleet/fleet-state.js';
import { MemorySink } from '../src/run/memory-sink.ts';
import { ATTACKS, AttackCode } from '../src/run/run-records.js';
import { testScenario } from './helpers/test-scenario.js';

/** Good-WAN meters whose supplier cell holds their registered supplier: the cleanest targets. */
function cleanMeters(run: RunContext, n: number): number[] {
  const c = run.fleet.columns;
  const out: number[] = [];
  for (let m = 0; m < run.fleet.meters && out.length < n; m++) {
    if (c.wanClass[m] === WanClass.Good && c.supplierCell[m] === c.registeredSupplier[m]) out.push(m);
  }
  return out;
}

/** Runs one step-1 command per case (each to its own meter); returns each case's outcome and attack label. */
async function outcomesOf(
  cases: Record<string, (meter: number, run: RunContext) => CommandRequest>,
): Promise<Record<string, { reason: string; attack: string }>> {
  const names = Object.keys(cases);
  let meters: number[] = [];
  const byMeter = new Map<number, { reason: string; attack: string }>();
  const plugin: ScenarioPlugin = {
    name: 'probe',
    setup(run) {
      meters = cleanMeters(run, names.length);
    },
    beforeStep(run) {
      if (run.step !== 1) return;
      names.forEach((name, i) => {
        run.send((cases[name] as (meter: number, run: RunContext) => CommandRequest)(meters[i] as number, run));
      });
    },
    afterStep(run, records) {
      if (run.step !== 1) return;
      const r = records.commands;
      for (let i = 0; i < r.length; i++) {
        const m = r.meter[i] as number;
        // Skip the consumers' own top-ups: only the cases' commands are asked about.
        if (!meters.includes(m) || (r.serviceRequest[i] === ServiceRequest.TopUp && r.attack[i] === 0)) continue;
        byMeter.set(m, {
          reason: outcomeName(r.reason[i] as number),
          attack: ATTACKS[r.attack[i] as number] as string,
        });
      }
    },
  };
  const spec = testScenario({ meters: 300, days: 1 });
  await runScenario({ spec: { ...spec, events: [] }, workers: 1, sink: new MemorySink(), plugins: [plugin] });
  return Object.fromEntries(
    names.map((name, i) => [name, byMeter.get(meters[i] as number) ?? { reason: '?', attack: '?' }]),
  );
}

const critical = (meter: number, run: RunContext): CommandRequest => ({
  sender: run.fleet.columns.registeredSupplier[meter] as number,
  meter,
  kind: ServiceRequest.SetPaymentMode,
  argument: PaymentMode.Credit,
});

test('each forgery is rejected by the meter with its own code; the untampered twin is accepted', async () => {
  const seen = await outcomesOf({
    direct: (m, run) => ({ ...critical(m, run), route: 'direct' }),
    macFlipped: (m, run) => ({ ...critical(m, run), route: 'direct', forgery: { mac: 'flipped' } }),
    macUnknownKey: (m, run) => ({ ...critical(m, run), route: 'direct', forgery: { mac: 'unknown-key' } }),
    otherMeter: (m, run) => ({ ...critical(m, run), route: 'direct', forgery: { recipient: 'other-meter' } }),
    // Another supplier's real key signs in the registered supplier's name, through the DCC.
    otherSigner: (m, run) => {
      const c = critical(m, run);
      return { ...c, forgery: { signer: c.sender === 1 ? 2 : 1 }, attack: 'forged-signature' };
    },
    // A non-critical top-up is MAC'd, not signed: flipping its MAC is caught all the same.
    topUpFlipped: (m, run) => ({
      ...critical(m, run),
      kind: ServiceRequest.TopUp,
      argument: 500,
      route: 'direct',
      forgery: { mac: 'flipped' },
      attack: 'tampered-mac',
    }),
  });
  assert.deepEqual(seen.direct, { reason: 'ACCEPTED', attack: 'none' });
  assert.equal(seen.macFlipped?.reason, 'GBCS_MAC_INVALID');
  assert.equal(seen.macUnknownKey?.reason, 'GBCS_MAC_INVALID');
  assert.equal(seen.otherMeter?.reason, 'GBCS_WRONG_DEVICE');
  assert.deepEqual(seen.otherSigner, { reason: 'GBCS_SIGNATURE_INVALID', attack: 'forged-signature' });
  assert.deepEqual(seen.topUpFlipped, { reason: 'GBCS_MAC_INVALID', attack: 'tampered-mac' });
});

test('a direct command skips the DCC: a revoked, unregistered party meets only the meter', async () => {
  let revoked = -1;
  const seen = await outcomesOf({
    viaDcc: (m, run) => {
      revoked = run.fleet.columns.registeredSupplier[m] === 1 ? 2 : 1;
      run.parties.at(revoked).revokedAtStep = 1;
      return { ...critical(m, run), sender: revoked };
    },
    direct: (m, run) => ({ ...critical(m, run), sender: revoked, route: 'direct' }),
    asRegistered: (m, run) => ({ ...critical(m, run), route: 'direct', attack: 'tampered-mac' }),
  });
  assert.equal(seen.viaDcc?.reason, 'DCC_CERTIFICATE_REVOKED');
  assert.equal(seen.direct?.reason, 'GBCS_UNKNOWN_PARTY', 'its certificate is in no cell of the meter');
  assert.deepEqual(seen.asRegistered, { reason: 'ACCEPTED', attack: 'tampered-mac' }, 'the label is only a label');
});

test('a direct UTRN with a given counter is judged by the meter and leaves the issued counter alone', async () => {
  let meter = -1;
  let issuedBefore = -1;
  let issuedAfter = -1;
  const reasons: string[] = [];
  const plugin: ScenarioPlugin = {
    name: 'probe',
    setup(run) {
      meter = cleanMeters(run, 1)[0] as number;
    },
    beforeStep(run) {
      const c = run.fleet.columns;
      const supplier = c.supplierCell[meter] as number;
      if (run.step === 1) {
        issuedBefore = c.utrnIssued[meter] as number;
        // Far beyond the meter's ±512 window: genuine, and refused for its counter.
        const counter = BigInt((c.utrnHighest[meter] as number) + 700) << 32n;
        run.send({
          sender: supplier,
          meter,
          kind: ServiceRequest.TopUp,
          argument: 1000,
          channel: 'utrn',
          route: 'direct',
          counter,
          attack: 'utrn-outside-window',
        });
      }
      if (run.step === 2) issuedAfter = c.utrnIssued[meter] as number;
    },
    afterStep(_run, records) {
      const r = records.commands;
      for (let i = 0; i < r.length; i++) {
        if (r.meter[i] === meter && r.attack[i] === AttackCode['utrn-outside-window'])
          reasons.push(outcomeName(r.reason[i] as number));
      }
    },
  };
  const spec = testScenario({ meters: 300, days: 1 });
  await runScenario({ spec: { ...spec, events: [] }, workers: 1, sink: new MemorySink(), plugins: [plugin] });
  assert.deepEqual(reasons, ['GBCS_REPLAY']);
  assert.equal(issuedAfter, issuedBefore, "the supplier's systems never issued it");
});

test('bad hostile fields fail at send, naming the problem', async () => {
  const tries: Array<[Partial<CommandRequest>, RegExp]> = [
    [{ route: 'sideways' as 'direct' }, /route sideways/],
    [{ attack: 'phishing' as 'none' }, /attack phishing is not one of/],
    [{ forgery: { mac: 'flipped' }, channel: 'utrn', kind: ServiceRequest.TopUp, argument: 100 }, /only a WAN frame/],
    [{ forgery: { signer: 999 } }, /party index 999/],
    [{ route: 'direct', channel: 'utrn', kind: ServiceRequest.TopUp, argument: 100, counter: 5n }, /lower 32 bits/],
  ];
  for (const [extra, message] of tries) {
    const plugin: ScenarioPlugin = {
      name: 'probe',
      beforeStep(run) {
        if (run.step === 0)
          run.send({ sender: 1, meter: 0, kind: ServiceRequest.SetPaymentMode, argument: 0, ...extra });
      },
    };
    const spec = testScenario({ meters: 50, days: 1 });
    await assert.rejects(runScenario({ spec, workers: 1, sink: new MemorySink(), plugins: [plugin] }), message);
  }
  assert.equal(OUTCOME_CODE.ACCEPTED, 0);
});

test.run();
