/** The engine's record sink, backed by a run database (the CLI is where core meets reports). */
import type { RunRecordSink } from '@gbfleet/core';
import type { RunDatabase } from '@gbfleet/reports';

export function runDatabaseSink(db: RunDatabase): RunRecordSink {
  return {
    parties: (rows) => db.appendParties(rows),
    meters: (snapshot) => db.appendMeters(snapshot),
    alerts: (batch) => db.appendAlerts(batch),
    commands: (batch) => db.appendCommands(batch),
    supplyEvents: (batch) => db.appendSupplyEvents(batch),
    utrn: (batch) => db.appendUtrn(batch),
    charges: (rows) => db.appendCharges(rows),
  };
}
