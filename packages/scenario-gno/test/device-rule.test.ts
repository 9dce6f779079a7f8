/**
 * The device rule this scenario rests on, pinned through the real engine (signed frames, real
 * meters): a network-operator-cell command is checked against whoever sits in the cell, and its
 * originator counter must be strictly greater than the last one that cell accepted — a counter
 * the cell keeps when its occupant changes, and that no other cell shares.
 */
import assert from 'node:assert/strict';
import {
  ACB_PARTY,
  type CommandRequest,
  MemorySink,
  PaymentMode,
  runScenario,
  type ScenarioPlugin,
} from '@gbfleet/core';
import { outcomeName, ServiceRequest } from '@gbfleet/gbcs';
import { test } from 'uvu';
import { DEPARTING, gnoSpec, INCOMING } from './helpers/gno-spec.ts';

const C = 1_000_000n;

test('strictly greater per cell: equal and lower counters are replays, the cell keeps its counter across occupants', async () => {
  const spec = gnoSpec({ meters: 40, events: [] });
  let gpf = -1;
  let other = -1;
  let gno = -1;
  let cadent = -1;
  const outcomes = new Map<number, string[]>();
  const cells = new Map<number, { cell: number; counter: bigint; supplierCounter: bigint }>();
  // One command per step for `gpf` (and a control for `other`), so each outcome is its own record.
  const plan = (step: number): CommandRequest[] => {
    const no = (sender: number, kind: number, argument: number, counter: bigint, meter = gpf): CommandRequest => ({
      sender,
      meter,
      kind: kind as CommandRequest['kind'],
      argument,
      counter,
    });
    switch (step) {
      case 0: // The GNO places the ACB in its own cell, with its own counter.
        return [no(gno, ServiceRequest.UpdateNetworkOperatorCredentials, ACB_PARTY, C)];
      case 1: // The ACB now occupies the cell: the same counter is a replay…
        return [no(ACB_PARTY, ServiceRequest.NetworkOperatorHandover, cadent, C)];
      case 2: // …and so is a lower one.
        return [no(ACB_PARTY, ServiceRequest.NetworkOperatorHandover, cadent, C - 1n)];
      case 3: // The GNO is no longer in the cell: it is an unknown party, whatever its counter.
        return [no(gno, ServiceRequest.UpdateNetworkOperatorCredentials, cadent, C + 5n)];
      case 4: // One above the GNO's: accepted, the incoming GNO is placed.
        return [no(ACB_PARTY, ServiceRequest.NetworkOperatorHandover, cadent, C + 1n)];
      case 5: // The supplier cell has its own counter: a tiny one is fine there (-1: the registered supplier).
        return [no(-1, ServiceRequest.SetPaymentMode, PaymentMode.Credit, 2n)];
      case 6: // The new occupant inherits the counter: equal is a replay…
        return [no(cadent, ServiceRequest.UpdateNetworkOperatorCredentials, ACB_PARTY, C + 1n)];
      case 7: // …one above is accepted (it hands the cell back to the ACB).
        return [no(cadent, ServiceRequest.UpdateNetworkOperatorCredentials, ACB_PARTY, C + 2n)];
      case 8: // Another GPF's cell never saw these counters: a small one is accepted there.
        return [no(gno, ServiceRequest.UpdateNetworkOperatorCredentials, ACB_PARTY, 3n, other)];
      default:
        return [];
    }
  };
  const probe: ScenarioPlugin = {
    name: 'probe',
    setup(run) {
      gno = run.parties.byName(DEPARTING).index;
      cadent = run.parties.byName(INCOMING).index;
      const c = run.fleet.columns;
      const mine = [...Array(run.fleet.meters).keys()].filter((m) => c.networkOperator[m] === gno);
      [gpf, other] = mine as [number, number];
      assert.ok(gpf >= 0 && other >= 0);
      assert.equal(c.networkOperatorCell[gpf], gno, 'a GPF starts with its GNO in the cell');
    },
    beforeStep(run) {
      for (const command of plan(run.step)) {
        const sender = command.sender === -1 ? (run.fleet.columns.registeredSupplier[gpf] as number) : command.sender;
        run.send({ ...command, sender });
      }
    },
    afterStep(run, records) {
      const r = records.commands;
      for (let i = 0; i < r.length; i++) {
        const list = outcomes.get(run.step) ?? [];
        list.push(outcomeName(r.reason[i] as number));
        outcomes.set(run.step, list);
      }
      const c = run.fleet.columns;
      cells.set(run.step, {
        cell: c.networkOperatorCell[gpf] as number,
        counter: c.networkOperatorCellCounter[gpf] as bigint,
        supplierCounter: c.supplierCellCounter[gpf] as bigint,
      });
    },
  };
  await runScenario({ spec, plugins: [probe], workers: 1, sink: new MemorySink() });

  const expected = [
    'ACCEPTED',
    'GBCS_REPLAY',
    'GBCS_REPLAY',
    'GBCS_UNKNOWN_PARTY',
    'ACCEPTED',
    'ACCEPTED',
    'GBCS_REPLAY',
    'ACCEPTED',
    'ACCEPTED',
  ];
  assert.deepEqual(
    expected.map((_, step) => outcomes.get(step)),
    expected.map((o) => [o]),
  );
  assert.deepEqual(cells.get(0), { cell: ACB_PARTY, counter: C, supplierCounter: 0n });
  assert.deepEqual(cells.get(3), { cell: ACB_PARTY, counter: C, supplierCounter: 0n }, 'rejections burn no counter');
  assert.deepEqual(cells.get(4), { cell: cadent, counter: C + 1n, supplierCounter: 0n });
  assert.deepEqual(cells.get(5), { cell: cadent, counter: C + 1n, supplierCounter: 2n });
  assert.deepEqual(cells.get(7), { cell: ACB_PARTY, counter: C + 2n, supplierCounter: 2n });
});

test.run();
