/**
 * Make-safe actions (MP134A) as the commands that carry them, and the SoLR's plan to revert them
 * without disabling supply: undo in reverse order, and before each step that shrinks a meter's
 * safety net, require credit above the new disablement point (the plug-in tops up first).
 */
import { CENTIPENCE_PER_PENNY, PaymentMode } from '@gbfleet/core';
import { Calendar, ServiceRequest, type ServiceRequestKind } from '@gbfleet/gbcs';

export type MakeSafeAction = 'calendar' | 'credit-mode' | 'emergency-credit';

const PENCE_PER_POUND = 100;

/** The SRP's command for an action: SR 2.1 (24/7 calendar or large emergency credit) or SR 1.6. */
export function actionCommand(
  action: MakeSafeAction,
  emergencyCreditPounds: number,
): { kind: ServiceRequestKind; argument: number } {
  switch (action) {
    case 'calendar':
      return { kind: ServiceRequest.SetNonDisablementCalendar, argument: Calendar.Always };
    case 'credit-mode':
      return { kind: ServiceRequest.SetPaymentMode, argument: PaymentMode.Credit };
    case 'emergency-credit':
      return { kind: ServiceRequest.SetEmergencyCreditLimit, argument: emergencyCreditPounds * PENCE_PER_POUND };
  }
}

export interface RevertStep {
  kind: ServiceRequestKind;
  argument: number;
  /** Credit (centipence) the meter must hold before this step is safe to send; null: always safe. */
  needsCreditAbove: number | null;
}

/**
 * Reverse order of application. `emergencyCreditCp` is the limit in force now (the make-safe one
 * when that action was applied); each step's credit floor uses the limit in force after it.
 */
export function revertPlan(
  applied: readonly MakeSafeAction[],
  original: { calendar: number; emergencyCreditCp: number },
  emergencyCreditCp: number,
): RevertStep[] {
  const steps: RevertStep[] = [];
  let limit = emergencyCreditCp;
  for (const action of [...applied].reverse()) {
    if (action === 'credit-mode') {
      // Back to prepayment only with positive credit: a negative balance would start emergency
      // credit, or disable supply, at the next hour.
      steps.push({ kind: ServiceRequest.SetPaymentMode, argument: PaymentMode.Prepayment, needsCreditAbove: 0 });
    } else if (action === 'emergency-credit') {
      limit = original.emergencyCreditCp;
      steps.push({
        kind: ServiceRequest.SetEmergencyCreditLimit,
        argument: Math.round(original.emergencyCreditCp / CENTIPENCE_PER_PENNY),
        needsCreditAbove: -limit,
      });
    } else {
      steps.push({
        kind: ServiceRequest.SetNonDisablementCalendar,
        argument: original.calendar,
        needsCreditAbove: original.calendar === Calendar.Always ? null : -limit,
      });
    }
  }
  return steps;
}
