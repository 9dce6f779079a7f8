/**
 * Site visits: a message neither the WAN nor a UTRN can carry (or one the consumer gave up on)
 * needs an engineer. The visit comes after a drawn delay; if the meter's WAN was restored by
 * then, the supplier sends the message over the WAN instead (a visit avoided). On a visit the
 * engineer configures the meter locally and restores supply if the change allows it: the meter
 * arms, and the consumer's supply comes back in the next physics step (`enabled`).
 */
import { Calendar, FleetFlag, type FleetState, PaymentMode, ServiceRequest, SupplyState } from '@gbfleet/core';

const CP_PER_PENNY = 100;

/** What the engineer does on site: the message's effect, written straight into the meter. */
export function engineerApplies(fleet: FleetState, meter: number, kind: number, argument: number): void {
  const c = fleet.columns;
  switch (kind) {
    case ServiceRequest.TopUp: {
      c.creditCp[meter] = (c.creditCp[meter] as number) + argument * CP_PER_PENNY;
      if ((c.creditCp[meter] as number) > 0) {
        c.flags[meter] = (c.flags[meter] as number) & ~(FleetFlag.EmergencyCreditActive | FleetFlag.LowCreditAlerted);
      }
      break;
    }
    case ServiceRequest.SetEmergencyCreditLimit:
      c.emergencyCreditLimitCp[meter] = argument * CP_PER_PENNY;
      break;
    case ServiceRequest.SetNonDisablementCalendar:
      c.calendar[meter] = argument;
      break;
    case ServiceRequest.SetPaymentMode:
      c.paymentMode[meter] = argument;
      break;
  }
  if (c.supplyState[meter] !== SupplyState.Disabled) return;
  const credit = c.creditCp[meter] as number;
  const limit = c.emergencyCreditLimitCp[meter] as number;
  if (c.paymentMode[meter] === PaymentMode.Credit || c.calendar[meter] === Calendar.Always || credit > -limit) {
    c.supplyState[meter] = SupplyState.Armed;
  }
}
