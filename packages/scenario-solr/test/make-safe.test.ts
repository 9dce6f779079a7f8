/**
 * Make-safe actions as commands, and the SoLR's revert plan: reverse order, each step with the
 * credit the meter must hold first so that the revert cannot disable supply.
 */
import { CENTIPENCE_PER_PENNY, PaymentMode } from '@gbfleet/core';
import { Calendar, ServiceRequest } from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { actionCommand, revertPlan } from '../src/index.ts';

test('each make-safe action is the service request that carries it', () => {
  assert.equal(actionCommand('calendar', 150), {
    kind: ServiceRequest.SetNonDisablementCalendar,
    argument: Calendar.Always,
  });
  assert.equal(actionCommand('credit-mode', 150), {
    kind: ServiceRequest.SetPaymentMode,
    argument: PaymentMode.Credit,
  });
  assert.equal(actionCommand('emergency-credit', 150), {
    kind: ServiceRequest.SetEmergencyCreditLimit,
    argument: 15_000,
  });
});

test('reverts undo in reverse order, each needing credit above the disablement point it leaves', () => {
  const original = { calendar: Calendar.FriendlyHours, emergencyCreditCp: 500 * CENTIPENCE_PER_PENNY };
  const madeSafeLimit = 15_000 * CENTIPENCE_PER_PENNY;
  const plan = revertPlan(['calendar', 'emergency-credit', 'credit-mode'], original, madeSafeLimit);
  assert.equal(
    plan.map((s) => s.kind),
    [ServiceRequest.SetPaymentMode, ServiceRequest.SetEmergencyCreditLimit, ServiceRequest.SetNonDisablementCalendar],
  );
  // Back to prepayment only with positive credit.
  assert.equal(plan[0], { kind: ServiceRequest.SetPaymentMode, argument: PaymentMode.Prepayment, needsCreditAbove: 0 });
  // The original limit comes back, in pence; below it supply would go off.
  assert.equal(plan[1], {
    kind: ServiceRequest.SetEmergencyCreditLimit,
    argument: 500,
    needsCreditAbove: -original.emergencyCreditCp,
  });
  // The calendar goes back last, with the original limit in force by then.
  assert.equal(plan[2], {
    kind: ServiceRequest.SetNonDisablementCalendar,
    argument: Calendar.FriendlyHours,
    needsCreditAbove: -original.emergencyCreditCp,
  });
});

test('a calendar that was always-on before needs no credit to restore; nothing applied, nothing to revert', () => {
  const plan = revertPlan(['calendar'], { calendar: Calendar.Always, emergencyCreditCp: 0 }, 0);
  assert.equal(plan, [
    { kind: ServiceRequest.SetNonDisablementCalendar, argument: Calendar.Always, needsCreditAbove: null },
  ]);
  // With the make-safe limit still in force, the calendar's floor is that limit.
  const calendarOnly = revertPlan(['calendar'], { calendar: Calendar.None, emergencyCreditCp: 200 }, 9_000);
  assert.is(calendarOnly[0]?.needsCreditAbove, -9_000);
  assert.equal(revertPlan([], { calendar: Calendar.None, emergencyCreditCp: 200 }, 200), []);
});

test.run();
