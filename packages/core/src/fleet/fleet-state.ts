/**
 * Per-meter state as structure-of-arrays: one typed array per field, each over its own
 * SharedArrayBuffer, so every worker sees the same memory and a shard task can walk a field
 * for a contiguous range of meters without touching the others. Money is held in centipence
 * (1/100 p) in Int32 so hourly charges keep their fractions (±£214,748 range).
 * Budget: ≤ 64 bytes per meter (FLEET_BYTES_PER_METER is 63). What is a pure function of (seed,
 * meter) and never changes is computed where it is used, not stored (meter-consumption.ts).
 */
import { InvalidArgumentError } from '@gbfleet/gbcs';

/** Column name → element type. The order is the layout; append, do not reorder. */
export const FLEET_COLUMNS = {
  fuel: 'u8',
  paymentMode: 'u8',
  wanClass: 'u8',
  /** FleetFlag bits. */
  flags: 'u8',
  /** SupplyState. */
  supplyState: 'u8',
  /** Calendar (non-disablement). */
  calendar: 'u8',
  /** Meter-held schedule: alerts a day, and how many of them carry readings. */
  scheduleAlertsPerDay: 'u8',
  scheduleReadsPerDay: 'u8',
  /** Party index of the registered supplier (DCC registration data); a run has ≤ MAX_PARTIES. */
  registeredSupplier: 'u8',
  /** Party index of the network operator. */
  networkOperator: 'u8',
  /** Party indexes in the trust-anchor cells. */
  supplierCell: 'u8',
  networkOperatorCell: 'u8',
  acbCell: 'u8',
  creditCp: 'i32',
  emergencyCreditLimitCp: 'i32',
  /** Last accepted originator counter per trust-anchor cell. */
  supplierCellCounter: 'u64',
  networkOperatorCellCounter: 'u64',
  acbCellCounter: 'u64',
  /**
   * UTRNs (docs/scenario-utrn.md). The supplier's side: the last UTRN counter issued for this
   * meter, in UTRN-counter steps (the 64-bit originator counter's upper 32 bits).
   */
  utrnIssued: 'u32',
  /** The meter's UTRN counter cache: highest accepted counter (steps), and bit k set when highest − k was accepted. */
  utrnHighest: 'u32',
  utrnRecent: 'u32',
  /** Keypad locked (five bad entries in a row) until this step, exclusive. */
  utrnLockedUntil: 'u32',
  /** Bad UTRN entries in a row since the last accepted one or lockout. */
  utrnStrikes: 'u8',
  /** UtrnFlag bits (meter firmware). */
  utrnFlags: 'u8',
} as const;

/** The element types a fleet column may have (each one's width is in COLUMN_KIND_BYTES). */
type ColumnKind = 'u8' | 'u16' | 'i32' | 'f32' | 'u32' | 'u64';
type ArrayOf<K extends ColumnKind> = K extends 'u8'
  ? Uint8Array
  : K extends 'u16'
    ? Uint16Array
    : K extends 'i32'
      ? Int32Array
      : K extends 'f32'
        ? Float32Array
        : K extends 'u32'
          ? Uint32Array
          : BigUint64Array;

export type FleetColumnName = keyof typeof FLEET_COLUMNS;
export type FleetColumns = { [N in FleetColumnName]: ArrayOf<(typeof FLEET_COLUMNS)[N]> };
/** What crosses to workers: the buffers behind every column (shared, never copied). */
export type FleetBuffers = { meters: number } & { [N in FleetColumnName]: SharedArrayBuffer };

/** Bytes per meter of each column kind. */
export const COLUMN_KIND_BYTES: Record<ColumnKind, number> = { u8: 1, u16: 2, i32: 4, f32: 4, u32: 4, u64: 8 };
const BYTES = COLUMN_KIND_BYTES;

export const FLEET_BYTES_PER_METER = Object.values(FLEET_COLUMNS).reduce((sum, kind) => sum + BYTES[kind], 0);

/** Money in fleet columns is centipence (1/100 p): these convert pence and pounds to it. */
export const CENTIPENCE_PER_PENNY = 100;
export const CENTIPENCE_PER_POUND = 10_000;

export const FleetFlag = {
  Vulnerable: 1,
  LowCreditAlerted: 2,
  EmergencyCreditActive: 4,
  /** A consumer top-up is on its way (vend requested, not yet applied or refused). */
  TopUpPending: 8,
} as const;

export const UtrnFlag = {
  /** The meter's firmware accepts gbfleet's extended (40/60-digit) UTRN command set, not only top-ups. */
  ExtendedCommands: 1,
} as const;

export const SupplyState = { On: 0, Disabled: 1, Armed: 2 } as const;
export const Fuel = { Electricity: 0, Gas: 1 } as const;
export const PaymentMode = { Credit: 0, Prepayment: 1 } as const;
export const WanClass = { Good: 0, Intermittent: 1, None: 2 } as const;

export interface FleetState {
  readonly meters: number;
  readonly columns: FleetColumns;
  readonly buffers: FleetBuffers;
}

export const MAX_FLEET_METERS = 50_000_000;

export function allocateFleet(meters: number): FleetState {
  if (!Number.isInteger(meters) || meters < 1 || meters > MAX_FLEET_METERS) {
    throw new InvalidArgumentError(`a fleet holds 1 to ${MAX_FLEET_METERS} meters, got ${meters}`);
  }
  const buffers = { meters } as FleetBuffers;
  for (const [name, kind] of Object.entries(FLEET_COLUMNS) as Array<[FleetColumnName, ColumnKind]>) {
    buffers[name] = new SharedArrayBuffer(meters * BYTES[kind]);
  }
  return fleetFromBuffers(buffers);
}

/** Views on buffers made by `allocateFleet` (in a worker, from `WorkerInit`). */
export function fleetFromBuffers(buffers: FleetBuffers): FleetState {
  const columns = {} as Record<FleetColumnName, unknown>;
  for (const [name, kind] of Object.entries(FLEET_COLUMNS) as Array<[FleetColumnName, ColumnKind]>) {
    const buffer = buffers[name];
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength !== buffers.meters * BYTES[kind]) {
      throw new InvalidArgumentError(`fleet column ${name} is missing or has the wrong size`);
    }
    columns[name] = viewOf(kind, buffer);
  }
  return { meters: buffers.meters, columns: columns as FleetColumns, buffers };
}

function viewOf(kind: ColumnKind, buffer: SharedArrayBuffer) {
  switch (kind) {
    case 'u8':
      return new Uint8Array(buffer);
    case 'u16':
      return new Uint16Array(buffer);
    case 'i32':
      return new Int32Array(buffer);
    case 'f32':
      return new Float32Array(buffer);
    case 'u32':
      return new Uint32Array(buffer);
    case 'u64':
      return new BigUint64Array(buffer);
  }
}
