/**
 * Each device's trust-anchor cells (supplier, network operator, ACB) as typed arrays that can
 * live in shared memory: which certificate sits in the cell, and the last originator counter the
 * cell accepted. The device rule: a command's counter must be strictly greater than the cell's.
 */
export const TRUST_ANCHOR_CELLS = ['supplier', 'network-operator', 'acb'] as const;
export type TrustAnchorCell = (typeof TRUST_ANCHOR_CELLS)[number];

export interface TrustAnchorTable {
  deviceCount: number;
  /** certificate index per (device, cell); 0xffffffff = empty. */
  certificate: Uint32Array;
  /** last accepted originator counter per (device, cell). */
  lastCounter: BigUint64Array;
}

export const EMPTY_CELL = 0xffff_ffff;

export function createTrustAnchorTable(deviceCount: number, shared = true): TrustAnchorTable {
  const cells = deviceCount * TRUST_ANCHOR_CELLS.length;
  const make = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const certificate = new Uint32Array(make(cells * 4)).fill(EMPTY_CELL);
  return { deviceCount, certificate, lastCounter: new BigUint64Array(make(cells * 8)) };
}

function slot(table: TrustAnchorTable, device: number, cell: TrustAnchorCell): number {
  if (!(Number.isInteger(device) && device >= 0 && device < table.deviceCount)) {
    throw new RangeError(`device ${device} is outside [0, ${table.deviceCount})`);
  }
  return device * TRUST_ANCHOR_CELLS.length + TRUST_ANCHOR_CELLS.indexOf(cell);
}

export function cellCertificate(table: TrustAnchorTable, device: number, cell: TrustAnchorCell): number | null {
  const value = table.certificate[slot(table, device, cell)] as number;
  return value === EMPTY_CELL ? null : value;
}

/** Places a certificate in a cell. The counter stays: a new occupant must still exceed it (MP128). */
export function placeCertificate(
  table: TrustAnchorTable,
  device: number,
  cell: TrustAnchorCell,
  certificate: number,
): void {
  table.certificate[slot(table, device, cell)] = certificate;
}

/** Accepts `counter` if strictly greater than the cell's last, recording it; else 'GBCS_REPLAY'. */
export function acceptOriginatorCounter(
  table: TrustAnchorTable,
  device: number,
  cell: TrustAnchorCell,
  counter: bigint,
): 'ok' | 'GBCS_REPLAY' {
  const i = slot(table, device, cell);
  if (counter <= (table.lastCounter[i] as bigint)) return 'GBCS_REPLAY';
  table.lastCounter[i] = counter;
  return 'ok';
}
