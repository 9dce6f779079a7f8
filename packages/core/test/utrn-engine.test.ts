/**
 * The UTRN branch of a shard step, through the engine: codes issued with the supplier's real
 * prepayment key, keyed in with the consumer's slips, judged by the meter (duplicates, counter
 * window, lockout, extended firmware), acted on, and recorded (utrn rows, alerts, command
 * reasons). Plug-in mistakes (a counter that is not a UTRN counter, keying on the WAN) throw.
 */

import { COMMAND_OUTCOMES, encodeAttempt, ServiceRequest, type ServiceRequestKind, SlipKind } from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ALERT_CODES,
  PaymentMode,
  runScenario,
  type ScenarioPlugin,
  UTRN_STATUSES,
  UtrnFlag,
  WanClass,
} from '../src/index.ts';
import { MemorySink } from '../src/run/memory-sink.ts';
import { testScenario } from './helpers/test-scenario.ts';

const SLIP = encodeAttempt([{ kind: SlipKind.Replace, position: 6, delta: 2 }]);

interface Seen {
  rows: Array<{ step: number; meter: number; status: string; digits: number; value: number }>;
  commands: Array<{ step: number; meter: number; kind: number; reason: string }>;
  alerts: Array<{ step: number; meter: number; code: string }>;
  errors: string[];
}

async function probeRun(workers: number) {
  const spec = testScenario({ meters: 300, days: 1, seed: 'utrn-engine' });
  spec.events = [];
  const seen: Seen = { rows: [], commands: [], alerts: [], errors: [] };
  let m: number[] = [];
  const plugin: ScenarioPlugin = {
    name: 'probe',
    setup(run) {
      const c = run.fleet.columns;
      for (let i = 0; i < run.fleet.meters && m.length < 3; i++) {
        if (c.wanClass[i] === WanClass.None && c.paymentMode[i] === PaymentMode.Prepayment) m.push(i);
      }
      // Plenty of credit: these consumers do not top up on their own during the test.
      for (const meter of m) c.creditCp[meter] = 50 * 10_000;
      c.utrnFlags[m[2] as number] = UtrnFlag.ExtendedCommands;
    },
    beforeStep(run) {
      const [a, b, x] = m as [number, number, number];
      const supplierOf = (meter: number) => run.fleet.columns.registeredSupplier[meter] as number;
      const utrn = (meter: number, kind: number, argument: number, extra: object = {}) =>
        run.send({
          sender: supplierOf(meter),
          meter,
          kind: kind as ServiceRequestKind,
          argument,
          channel: 'utrn',
          ...extra,
        });
      const expectThrow = (what: () => void) => {
        try {
          what();
          seen.errors.push('no error');
        } catch (error) {
          seen.errors.push((error as Error).message);
        }
      };
      if (run.step === 1) {
        utrn(a, ServiceRequest.TopUp, 500);
        const counter = BigInt(run.fleet.columns.utrnIssued[a] as number) << 32n;
        utrn(a, ServiceRequest.TopUp, 500, { counter }); // the same code again
        utrn(b, ServiceRequest.TopUp, 700, { utrn: { attempts: [SLIP, SLIP, SLIP, SLIP, SLIP] } });
        utrn(x, ServiceRequest.SetEmergencyCreditLimit, 4000, { utrn: { attempts: [SLIP, 0] } });
        utrn(a, ServiceRequest.SetEmergencyCreditLimit, 4000);
        utrn(a, ServiceRequest.UpdateSecurityCredentials, 3);
        expectThrow(() => utrn(a, ServiceRequest.TopUp, 100, { counter: (9n << 32n) + 1n }));
        expectThrow(() =>
          run.send({ sender: supplierOf(a), meter: a, kind: 0, argument: 100, utrn: { attempts: [0] } }),
        );
        expectThrow(() => utrn(a, ServiceRequest.TopUp, 100, { utrn: { attempts: [0x7fff] } }));
      }
      if (run.step === 2) {
        utrn(b, ServiceRequest.TopUp, 700); // keypad locked
        utrn(a, ServiceRequest.TopUp, 300, { utrn: { attempts: [] } }); // never typed in
      }
      if (run.step === 3) {
        const far = BigInt((run.fleet.columns.utrnIssued[a] as number) + 700) << 32n;
        utrn(a, ServiceRequest.TopUp, 300, { counter: far });
      }
    },
    afterStep(run, records) {
      const u = records.utrn;
      if (u) {
        for (let i = 0; i < u.length; i++) {
          if (!m.includes(u.meter[i] as number)) continue;
          seen.rows.push({
            step: u.step[i] as number,
            meter: u.meter[i] as number,
            status: UTRN_STATUSES[u.status[i] as number] as string,
            digits: (u.utrn[i] as string).length,
            value: u.valuePence[i] as number,
          });
        }
      }
      const cm = records.commands;
      for (let i = 0; i < cm.length; i++) {
        if (cm.channel[i] !== 1 || !m.includes(cm.meter[i] as number)) continue;
        seen.commands.push({
          step: run.step,
          meter: cm.meter[i] as number,
          kind: cm.serviceRequest[i] as number,
          reason: COMMAND_OUTCOMES[cm.reason[i] as number] as string,
        });
      }
      const al = records.alerts;
      for (let i = 0; i < al.length; i++) {
        const code = ALERT_CODES[al.code[i] as number] as string;
        if (code.startsWith('UTRN_') && m.includes(al.meter[i] as number)) {
          seen.alerts.push({ step: run.step, meter: al.meter[i] as number, code });
        }
      }
    },
  };
  const sink = new MemorySink();
  const summary = await runScenario({
    spec: { ...spec, fleet: { ...spec.fleet, shardMeters: 128 } },
    plugins: [plugin],
    workers,
    sink,
  });
  const result = { seen, meters: m, summary, sink };
  m = [];
  return result;
}

test('keypad entries through the engine: accepted, duplicate, slips, lockout, extended, not entered, window', async () => {
  const { seen, meters, sink } = await probeRun(1);
  const [a, b, x] = meters as [number, number, number];
  const rowsOf = (meter: number, step: number) =>
    seen.rows.filter((r) => r.meter === meter && r.step === step).map((r) => r.status);
  assert.equal(rowsOf(a, 1), ['accepted', 'rejected-replay', 'rejected-unsupported']);
  assert.equal(rowsOf(b, 1), ['rejected-typo', 'rejected-typo', 'rejected-typo', 'rejected-typo', 'rejected-typo']);
  assert.equal(rowsOf(x, 1), ['rejected-typo', 'accepted']);
  assert.equal(rowsOf(b, 2), ['rejected-locked-out']);
  assert.equal(rowsOf(a, 2), ['not-entered']);
  assert.equal(rowsOf(a, 3), ['rejected-counter']);
  assert.ok(seen.rows.filter((r) => r.meter === x).every((r) => r.digits === 40 && r.value === 0));
  assert.ok(
    seen.rows
      .filter((r) => r.meter === a && r.step === 1)
      .slice(0, 2)
      .every((r) => r.digits === 20 && r.value === 500),
  );

  const reasons = (meter: number, step: number) =>
    seen.commands.filter((c) => c.meter === meter && c.step === step).map((c) => c.reason);
  assert.equal(reasons(a, 1), ['ACCEPTED', 'GBCS_REPLAY', 'GBCS_UNSUPPORTED', 'GBCS_UNSUPPORTED']);
  assert.equal(reasons(b, 1), ['GBCS_MALFORMED']);
  assert.equal(reasons(x, 1), ['ACCEPTED']);
  assert.equal(reasons(b, 2), ['DEVICE_REFUSED']);
  assert.equal(reasons(a, 2), ['UTRN_NOT_ENTERED']);
  assert.equal(reasons(a, 3), ['GBCS_REPLAY']);

  const alerts = seen.alerts.map((al) => `${al.step}:${al.meter === a ? 'a' : al.meter === b ? 'b' : 'x'}:${al.code}`);
  assert.equal(alerts, ['1:a:UTRN_DUPLICATE', '2:b:UTRN_LOCKED_OUT', '3:a:UTRN_COUNTER_REJECTED']);

  assert.equal(seen.errors.length, 3);
  assert.match(seen.errors[0] as string, /lower 32 bits zero/);
  assert.match(seen.errors[1] as string, /keying needs channel 'utrn'/);
  assert.match(seen.errors[2] as string, /attempt 0: 32767 is not an encoded attempt/);

  assert.ok(sink.count('utrn') >= seen.rows.length, 'every row reaches the run database');
});

test('the accepted codes acted on the meter: credit and emergency-credit limit', async () => {
  const spec = testScenario({ meters: 200, days: 1, seed: 'utrn-act' });
  spec.events = [];
  let target = -1;
  let before = { credit: 0 };
  const after = { credit: 0, limit: 0 };
  const plugin: ScenarioPlugin = {
    name: 'probe',
    setup(run) {
      const c = run.fleet.columns;
      for (let i = 0; i < run.fleet.meters; i++) {
        if (c.wanClass[i] === WanClass.None && c.paymentMode[i] === PaymentMode.Prepayment) {
          target = i;
          break;
        }
      }
      c.creditCp[target] = 50 * 10_000;
      c.utrnFlags[target] = UtrnFlag.ExtendedCommands;
    },
    beforeStep(run) {
      if (run.step !== 1) return;
      const c = run.fleet.columns;
      before = { credit: c.creditCp[target] as number };
      const sender = c.registeredSupplier[target] as number;
      run.send({ sender, meter: target, kind: ServiceRequest.TopUp, argument: 1500, channel: 'utrn' });
      run.send({
        sender,
        meter: target,
        kind: ServiceRequest.SetEmergencyCreditLimit,
        argument: 2500,
        channel: 'utrn',
      });
    },
    afterStep(run) {
      if (run.step !== 1) return;
      const c = run.fleet.columns;
      after.credit = c.creditCp[target] as number;
      after.limit = c.emergencyCreditLimitCp[target] as number;
    },
  };
  await runScenario({ spec, plugins: [plugin], workers: 1, sink: new MemorySink() });
  // £15 in, less one hour's consumption (a few pence at most).
  assert.ok(after.credit - before.credit > 1500 * 100 - 5000 && after.credit - before.credit <= 1500 * 100);
  assert.is(after.limit, 2500 * 100);
});

test('1 and 2 workers give the same UTRN records', async () => {
  const one = await probeRun(1);
  const two = await probeRun(2);
  assert.ok(one.sink.count('utrn') > 0);
  assert.is(one.sink.digest(), two.sink.digest());
});

test.run();
