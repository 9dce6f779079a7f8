/**
 * What a meter does with a request it has accepted (verified frame or UTRN): top up, change
 * payment mode, emergency credit or calendar, or take a new party into a trust-anchor cell —
 * and re-arm supply when the change makes that safe.
 */
import { Calendar, OUTCOME_CODE, SERVICE_REQUESTS, ServiceRequest } from '@gbfleet/gbcs';
import { CENTIPENCE_PER_PENNY, FleetFlag, type FleetState, PaymentMode, SupplyState } from '../fleet/fleet-state.js';
import { ALERT, CAUSE, EVENT_ARMED, type Sinks } from './shard-sinks.js';

export function applyRequest(fleet: FleetState, meter: number, kind: number, argument: number, sinks: Sinks): number {
  const c = fleet.columns;
  switch (kind) {
    case ServiceRequest.TopUp: {
      if (argument <= 0) return OUTCOME_CODE.DEVICE_REFUSED;
      c.creditCp[meter] = (c.creditCp[meter] as number) + argument * CENTIPENCE_PER_PENNY;
      let flags = (c.flags[meter] as number) & ~FleetFlag.TopUpPending;
      if ((c.creditCp[meter] as number) > 0) flags &= ~(FleetFlag.EmergencyCreditActive | FleetFlag.LowCreditAlerted);
      c.flags[meter] = flags;
      if (c.supplyState[meter] === SupplyState.Disabled && (c.creditCp[meter] as number) > 0) {
        arm(fleet, meter, CAUSE['top-up'], sinks);
      }
      return OUTCOME_CODE.ACCEPTED;
    }
    case ServiceRequest.SetPaymentMode: {
      if (argument !== PaymentMode.Credit && argument !== PaymentMode.Prepayment) return OUTCOME_CODE.DEVICE_REFUSED;
      c.paymentMode[meter] = argument;
      if (argument === PaymentMode.Credit && c.supplyState[meter] === SupplyState.Disabled) {
        arm(fleet, meter, CAUSE['payment-mode-credit'], sinks);
      }
      return OUTCOME_CODE.ACCEPTED;
    }
    case ServiceRequest.SetEmergencyCreditLimit: {
      if (argument < 0) return OUTCOME_CODE.DEVICE_REFUSED;
      c.emergencyCreditLimitCp[meter] = argument * CENTIPENCE_PER_PENNY;
      if (
        c.supplyState[meter] === SupplyState.Disabled &&
        (c.creditCp[meter] as number) > -argument * CENTIPENCE_PER_PENNY
      ) {
        arm(fleet, meter, CAUSE['emergency-credit'], sinks);
      }
      return OUTCOME_CODE.ACCEPTED;
    }
    case ServiceRequest.SetNonDisablementCalendar: {
      if (argument < Calendar.None || argument > Calendar.Always) return OUTCOME_CODE.DEVICE_REFUSED;
      c.calendar[meter] = argument;
      if (argument === Calendar.Always && c.supplyState[meter] === SupplyState.Disabled) {
        arm(fleet, meter, CAUSE.command, sinks);
      }
      return OUTCOME_CODE.ACCEPTED;
    }
    case ServiceRequest.UpdateSecurityCredentials: {
      if (argument < 0 || argument > 0xffff) return OUTCOME_CODE.DEVICE_REFUSED;
      c.supplierCell[meter] = argument;
      return OUTCOME_CODE.ACCEPTED;
    }
    case ServiceRequest.UpdateNetworkOperatorCredentials:
    case ServiceRequest.NetworkOperatorHandover: {
      // The cell's counter stays: the next occupant must exceed it (the MP128 trap).
      if (argument < 0 || argument > 0xffff) return OUTCOME_CODE.DEVICE_REFUSED;
      c.networkOperatorCell[meter] = argument;
      return OUTCOME_CODE.ACCEPTED;
    }
    default:
      return kind < SERVICE_REQUESTS.length ? OUTCOME_CODE.GBCS_UNSUPPORTED : OUTCOME_CODE.DEVICE_REFUSED;
  }
}

/** Supply may be restored: the meter arms, and the consumer presses the button in this step. */
export function arm(fleet: FleetState, meter: number, cause: number, sinks: Sinks): void {
  const c = fleet.columns;
  c.supplyState[meter] = SupplyState.Armed;
  sinks.supply.push(sinks.step, meter, EVENT_ARMED, cause);
  sinks.alerts.push(
    sinks.step,
    meter,
    ALERT.SUPPLY_ARMED,
    c.supplierCell[meter] as number,
    c.registeredSupplier[meter] as number,
    false,
  );
}
