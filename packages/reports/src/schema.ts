/**
 * The run database's schema: ENUM types made from core's code tables, the tables, and the views
 * that join party names for analysts. `docs/schema.md` documents exactly this (a test checks it).
 * Codes are ENUMs, so an ENUM's member order is core's table order: append-only, never renumbered.
 * Hot tables have no keys or indexes: they would slow the columnar appends for no analyst benefit.
 */
import {
  ALERT_CODES,
  ATTACKS,
  CHANNELS,
  COMMAND_STATUSES,
  FUELS,
  PAYMENT_MODES,
  SUPPLY_CAUSES,
  SUPPLY_EVENTS,
  UTRN_STATUSES,
  WAN_CLASSES,
} from '@gbfleet/core';
import { COMMAND_OUTCOMES } from '@gbfleet/gbcs';
import { sqlStringList } from './sql.js';

export const RUN_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;

/** Every ENUM type, in creation order, with its members. */
export const ENUM_TYPES: ReadonlyArray<{ name: string; values: readonly string[] }> = [
  { name: 'run_status', values: RUN_STATUSES },
  { name: 'alert_code', values: ALERT_CODES },
  { name: 'supply_event', values: SUPPLY_EVENTS },
  { name: 'supply_cause', values: SUPPLY_CAUSES },
  { name: 'command_channel', values: CHANNELS },
  { name: 'command_status', values: COMMAND_STATUSES },
  { name: 'command_reason', values: COMMAND_OUTCOMES },
  { name: 'command_attack', values: ATTACKS },
  { name: 'utrn_status', values: UTRN_STATUSES },
  { name: 'fuel', values: FUELS },
  { name: 'payment_mode', values: PAYMENT_MODES },
  { name: 'wan_class', values: WAN_CLASSES },
];

const TABLES_SQL = `
CREATE TABLE runs (
  run_id VARCHAR NOT NULL, scenario_name VARCHAR NOT NULL, scenario_hash VARCHAR NOT NULL,
  seed VARCHAR NOT NULL, code_version VARCHAR NOT NULL, workers INTEGER NOT NULL, meters BIGINT NOT NULL,
  start TIMESTAMP NOT NULL, step_minutes INTEGER NOT NULL, steps INTEGER NOT NULL, steps_run INTEGER,
  status run_status NOT NULL, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, error VARCHAR);
CREATE TABLE parties (
  run_id VARCHAR NOT NULL, party USMALLINT NOT NULL, eui UBIGINT NOT NULL, name VARCHAR NOT NULL,
  role VARCHAR NOT NULL, revoked_at TIMESTAMP, failed_at TIMESTAMP);
CREATE TABLE service_requests (
  run_id VARCHAR NOT NULL, service_request UTINYINT NOT NULL, sr VARCHAR NOT NULL, name VARCHAR NOT NULL,
  message_code USMALLINT NOT NULL, critical BOOLEAN NOT NULL, argument VARCHAR NOT NULL);
CREATE TABLE meters (
  run_id VARCHAR NOT NULL, meter_id UINTEGER NOT NULL, eui UBIGINT NOT NULL, fuel fuel NOT NULL,
  payment_mode payment_mode NOT NULL, supplier USMALLINT NOT NULL, network_operator USMALLINT NOT NULL,
  wan_class wan_class NOT NULL, vulnerable BOOLEAN NOT NULL, credit_pence INTEGER NOT NULL,
  emergency_credit_limit_pence INTEGER NOT NULL, mean_kwh_per_day FLOAT NOT NULL);
CREATE TABLE alerts (
  run_id VARCHAR NOT NULL, t TIMESTAMP NOT NULL, meter_id UINTEGER NOT NULL, code alert_code NOT NULL,
  recipient USMALLINT NOT NULL, registered_supplier USMALLINT NOT NULL, carries_reads BOOLEAN NOT NULL,
  delivered BOOLEAN NOT NULL);
CREATE TABLE commands (
  run_id VARCHAR NOT NULL, t TIMESTAMP NOT NULL, sender USMALLINT NOT NULL, meter_id UINTEGER NOT NULL,
  service_request UTINYINT NOT NULL, message_code USMALLINT NOT NULL, channel command_channel NOT NULL,
  outcome command_status NOT NULL, reason command_reason NOT NULL, attack command_attack NOT NULL);
CREATE TABLE supply_events (
  run_id VARCHAR NOT NULL, t TIMESTAMP NOT NULL, meter_id UINTEGER NOT NULL, seq USMALLINT NOT NULL,
  event supply_event NOT NULL, cause supply_cause NOT NULL);
CREATE TABLE utrn (
  run_id VARCHAR NOT NULL, t TIMESTAMP NOT NULL, meter_id UINTEGER NOT NULL, supplier USMALLINT NOT NULL,
  utrn VARCHAR NOT NULL, value_pence UINTEGER NOT NULL, status utrn_status NOT NULL);
CREATE TABLE charges (
  run_id VARCHAR NOT NULL, party USMALLINT NOT NULL, month DATE NOT NULL, charges_pence BIGINT NOT NULL,
  paid_pence BIGINT NOT NULL, cover_lodged_pence BIGINT NOT NULL, cover_drawn_pence BIGINT NOT NULL,
  socialised_pence BIGINT NOT NULL);
`;

// Views join on (run_id, party) so they stay right when several runs' files are read together.
const VIEWS_SQL = `
CREATE VIEW alerts_named AS
SELECT a.run_id, a.t, a.meter_id, a.code, a.recipient, r.name AS recipient_name,
  a.registered_supplier, s.name AS registered_supplier_name,
  a.recipient = a.registered_supplier AS to_registered_supplier, a.carries_reads, a.delivered
FROM alerts a
LEFT JOIN parties r ON r.run_id = a.run_id AND r.party = a.recipient
LEFT JOIN parties s ON s.run_id = a.run_id AND s.party = a.registered_supplier;
CREATE VIEW commands_named AS
SELECT c.run_id, c.t, c.sender, p.name AS sender_name, p.role AS sender_role, c.meter_id,
  c.service_request, q.sr, q.name AS service_request_name, q.critical, c.message_code, c.channel,
  c.outcome, c.reason, c.attack
FROM commands c
LEFT JOIN parties p ON p.run_id = c.run_id AND p.party = c.sender
LEFT JOIN service_requests q ON q.run_id = c.run_id AND q.service_request = c.service_request;
CREATE VIEW utrn_named AS
SELECT u.run_id, u.t, u.meter_id, u.supplier, p.name AS supplier_name, u.utrn, u.value_pence, u.status
FROM utrn u
LEFT JOIN parties p ON p.run_id = u.run_id AND p.party = u.supplier;
CREATE VIEW meters_named AS
SELECT m.run_id, m.meter_id, m.eui, printf('%016X', m.eui) AS eui_hex, m.fuel, m.payment_mode,
  m.supplier, s.name AS supplier_name, m.network_operator, n.name AS network_operator_name,
  m.wan_class, m.vulnerable, m.credit_pence, m.emergency_credit_limit_pence, m.mean_kwh_per_day
FROM meters m
LEFT JOIN parties s ON s.run_id = m.run_id AND s.party = m.supplier
LEFT JOIN parties n ON n.run_id = m.run_id AND n.party = m.network_operator;
CREATE VIEW credit_cover AS
SELECT c.run_id, c.party, p.name AS party_name, c.month, c.charges_pence, c.paid_pence,
  c.charges_pence - c.paid_pence AS unpaid_pence,
  c.cover_lodged_pence, c.cover_drawn_pence, c.cover_lodged_pence - c.cover_drawn_pence AS cover_remaining_pence,
  c.socialised_pence,
  CAST(sum(c.charges_pence) OVER (PARTITION BY c.run_id, c.party ORDER BY c.month
    RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND CURRENT ROW) AS BIGINT) AS charges_2_months_pence,
  CAST(sum(c.charges_pence) OVER (PARTITION BY c.run_id, c.party ORDER BY c.month
    RANGE BETWEEN INTERVAL 2 MONTH PRECEDING AND CURRENT ROW) AS BIGINT) AS charges_3_months_pence
FROM charges c
LEFT JOIN parties p ON p.run_id = c.run_id AND p.party = c.party;
`;

/**
 * The views, as statements that create them as TEMP views: for reading several runs' files
 * together, over temporary views that union their tables (report/run-set.ts).
 */
export function tempViewStatements(): string {
  return VIEWS_SQL.replaceAll('CREATE VIEW ', 'CREATE TEMP VIEW ');
}

/** Every statement that creates an empty run database, in order. */
export function schemaStatements(): string[] {
  const types = ENUM_TYPES.map((e) => `CREATE TYPE ${e.name} AS ENUM ${sqlStringList(e.values)};`);
  return [...types, TABLES_SQL, VIEWS_SQL];
}

/** The tables whose rows are a run's outcome (what the determinism digest covers), in digest order. */
export const OUTCOME_TABLES = ['parties', 'meters', 'alerts', 'commands', 'supply_events', 'utrn', 'charges'] as const;
