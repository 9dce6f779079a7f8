/**
 * What a shard task writes its records into, and the code numbers it writes: one place for the
 * step's builders and the ENUM indexes the meter-side modules share.
 */
import type { AlertBatchBuilder, SupplyEventBatchBuilder } from '../run/record-builders.js';
import { ALERT_CODES, type AlertCode, SUPPLY_CAUSES, SUPPLY_EVENTS, type SupplyCause } from '../run/run-records.js';
import type { UtrnBatchBuilder } from '../utrn/utrn-record-builder.js';

export const ALERT = Object.fromEntries(ALERT_CODES.map((c, i) => [c, i])) as Record<AlertCode, number>;
export const CAUSE = Object.fromEntries(SUPPLY_CAUSES.map((c, i) => [c, i])) as Record<SupplyCause, number>;
export const EVENT_DISABLED = SUPPLY_EVENTS.indexOf('disabled');
export const EVENT_ARMED = SUPPLY_EVENTS.indexOf('armed');
export const EVENT_ENABLED = SUPPLY_EVENTS.indexOf('enabled');

export interface Sinks {
  step: number;
  alerts: AlertBatchBuilder;
  supply: SupplyEventBatchBuilder;
  utrn: UtrnBatchBuilder;
}
