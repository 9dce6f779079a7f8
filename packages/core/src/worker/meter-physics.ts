/**
 * One step of prepayment physics for the meters of a shard: consumption at the supplier's
 * tariff, low-credit and emergency-credit alerts, disablement outside non-disablement periods,
 * consumers' top-up decisions, meter-held schedules and re-enabling after an arm.
 */
import { Calendar } from '@gbfleet/gbcs';
import { FleetFlag, type FleetState, PaymentMode, SupplyState } from '../fleet/fleet-state.js';
import { meterMeanKwhPerDay } from '../fleet/meter-consumption.js';
import { MeterStream, meterRandom, meterRandomU32 } from '../random/meter-random.js';
import { TopUpRequestBuilder } from '../run/record-builders.js';
import type { PhysicsInit, ShardStepTask } from '../worker-protocol.js';
import { ALERT, CAUSE, EVENT_DISABLED, EVENT_ENABLED, type Sinks } from './shard-sinks.js';

function inFriendlyHours(physics: PhysicsInit, hour: number): boolean {
  const { friendlyFrom: from, friendlyTo: to } = physics;
  return from <= to ? hour >= from && hour < to : hour >= from || hour < to;
}

export function advancePhysics(fleet: FleetState, physics: PhysicsInit, task: ShardStepTask, sinks: Sinks) {
  const c = fleet.columns;
  const { step } = sinks;
  const topUps = new TopUpRequestBuilder();
  const hourFactor = ((physics.dailyProfile[task.hourOfDay] as number) * task.hours * task.consumptionMultiplier) / 24;
  const friendly = inFriendlyHours(physics, task.hourOfDay);
  const topUpChance = Math.min(1, physics.topUpProbabilityPerHour * task.hours);
  const amountRange = physics.topUpMaxPounds - physics.topUpMinPounds + 1;
  const key = physics.seedKey;
  const alert = (meter: number, code: number) =>
    sinks.alerts.push(step, meter, code, c.supplierCell[meter] as number, c.registeredSupplier[meter] as number, false);

  for (let m = task.lo; m < task.hi; m++) {
    const scheduled = c.scheduleAlertsPerDay[m] as number;
    if (scheduled > 0) sendScheduled(m, scheduled);
    if (c.paymentMode[m] !== PaymentMode.Prepayment) {
      if (c.supplyState[m] === SupplyState.Armed) enable(m);
      continue;
    }
    let supply = c.supplyState[m] as number;
    if (supply === SupplyState.Armed) {
      enable(m);
      supply = SupplyState.On;
    }
    let flags = c.flags[m] as number;
    let credit = c.creditCp[m] as number;
    if (supply === SupplyState.On) {
      const supplier = c.registeredSupplier[m] as number;
      const kwh = meterMeanKwhPerDay(key, physics.consumption, c.fuel[m] as number, m) * hourFactor;
      credit -= Math.round(
        kwh * (physics.unitCpPerKwh[supplier] as number) + (physics.standingCpPerHour[supplier] as number) * task.hours,
      );
      if (credit < physics.lowCreditCp && (flags & FleetFlag.LowCreditAlerted) === 0) {
        flags |= FleetFlag.LowCreditAlerted;
        alert(m, ALERT.LOW_CREDIT);
      }
      const limit = c.emergencyCreditLimitCp[m] as number;
      if (credit <= 0 && limit > 0 && (flags & FleetFlag.EmergencyCreditActive) === 0) {
        flags |= FleetFlag.EmergencyCreditActive;
        alert(m, ALERT.EMERGENCY_CREDIT_ACTIVATED);
      }
      if (credit <= -limit) {
        // Out of credit and emergency credit: disable, unless the calendar says not now.
        const calendar = c.calendar[m] as number;
        const protectedNow = calendar === Calendar.Always || (calendar === Calendar.FriendlyHours && friendly);
        if (!protectedNow) {
          const crossedNow = (c.creditCp[m] as number) > -limit;
          credit = -limit;
          c.supplyState[m] = SupplyState.Disabled;
          supply = SupplyState.Disabled;
          sinks.supply.push(
            step,
            m,
            EVENT_DISABLED,
            crossedNow ? CAUSE['credit-exhausted'] : CAUSE['non-disablement-ended'],
          );
          if (limit > 0) alert(m, ALERT.EMERGENCY_CREDIT_EXHAUSTED);
          alert(m, ALERT.SUPPLY_DISABLED);
        }
      }
    }
    // The consumer's choice: below the threshold (or off supply), top up with some chance per hour.
    if (
      (flags & FleetFlag.TopUpPending) === 0 &&
      (supply === SupplyState.Disabled || credit < physics.topUpThresholdCp) &&
      meterRandom(key, MeterStream.TopUpDecision, m, step) < topUpChance
    ) {
      flags |= FleetFlag.TopUpPending;
      topUps.push(m, physics.topUpMinPounds + (meterRandomU32(key, MeterStream.TopUpAmount, m, step) % amountRange));
    }
    c.creditCp[m] = credit;
    c.flags[m] = flags;
  }
  return topUps.finish();

  /**
   * Meter-held schedules: alert k of the day goes out at hour ⌊24k/n⌋, to whoever holds the
   * supplier cell — the meter knows nothing of registration. The first `reads` carry readings.
   */
  function sendScheduled(m: number, perDay: number): void {
    // Steps shorter than an hour share their hour's hourOfDay: only the hour's first one sends.
    if (task.hours < 1 && step % Math.round(1 / task.hours) !== 0) return;
    const reads = c.scheduleReadsPerDay[m] as number;
    const from = task.hourOfDay;
    const to = from + task.hours;
    for (let k = 0; k < perDay; k++) {
      const hour = Math.floor((24 * k) / perDay);
      if (hour < from || hour >= to) continue;
      const withReads = k < reads;
      sinks.alerts.push(
        step,
        m,
        withReads ? ALERT.METER_READING : ALERT.SCHEDULED_ALERT,
        c.supplierCell[m] as number,
        c.registeredSupplier[m] as number,
        withReads,
      );
    }
  }

  function enable(m: number): void {
    c.supplyState[m] = SupplyState.On;
    sinks.supply.push(step, m, EVENT_ENABLED, CAUSE.command);
    sinks.alerts.push(
      step,
      m,
      ALERT.SUPPLY_ENABLED,
      c.supplierCell[m] as number,
      c.registeredSupplier[m] as number,
      false,
    );
  }
}
