/**
 * Running totals for the run summary, kept from each step's batches rather than by scanning the
 * fleet, so they cost nothing at national scale.
 */
import { COMMAND_OUTCOMES } from '@gbfleet/gbcs';
import { ALERT_CODES, type AlertBatch, SUPPLY_EVENTS, type SupplyEventBatch } from '../run/run-records.js';

/** Running totals for the summary (cheap: counts from the step's batches, not a fleet scan). */
export class RunTally {
  commands = 0;
  alerts = 0;
  disabled = 0;
  enabled = 0;
  offSupply = 0;
  peakOffSupply = 0;
  topUpsRequested = 0;
  topUpsSent = 0;
  topUpsNotVended = 0;
  alertsDropped = 0;
  alertsMisrouted = 0;
  alertsUndelivered = 0;
  readingsMisrouted = 0;
  readonly byReason: Record<string, number> = {};
  readonly byAlert: Record<string, number> = {};

  add(records: {
    commands: { length: number; reason: Uint8Array };
    alerts: AlertBatch;
    supply: SupplyEventBatch;
  }): void {
    this.commands += records.commands.length;
    for (let i = 0; i < records.commands.length; i++) {
      const name = COMMAND_OUTCOMES[records.commands.reason[i] as number] ?? 'UNKNOWN';
      this.byReason[name] = (this.byReason[name] ?? 0) + 1;
    }
    this.alerts += records.alerts.length;
    for (let i = 0; i < records.alerts.length; i++) {
      const name = ALERT_CODES[records.alerts.code[i] as number] ?? 'UNKNOWN';
      this.byAlert[name] = (this.byAlert[name] ?? 0) + 1;
      if (records.alerts.delivered[i] !== 1) {
        this.alertsUndelivered++;
        continue;
      }
      if (records.alerts.recipient[i] !== records.alerts.registeredSupplier[i]) {
        this.alertsMisrouted++;
        if (records.alerts.carriesReads[i] === 1) this.readingsMisrouted++;
      }
    }
    const disabled = SUPPLY_EVENTS.indexOf('disabled');
    const enabled = SUPPLY_EVENTS.indexOf('enabled');
    for (let i = 0; i < records.supply.length; i++) {
      const event = records.supply.event[i];
      if (event === disabled) {
        this.disabled++;
        this.offSupply++;
      } else if (event === enabled) {
        this.enabled++;
        this.offSupply--;
      }
    }
    this.peakOffSupply = Math.max(this.peakOffSupply, this.offSupply);
  }
}
