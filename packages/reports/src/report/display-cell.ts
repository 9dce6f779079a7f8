/**
 * How a cell reads in a report page (Markdown, HTML): numbers grouped in thousands, pounds
 * (columns named *_gbp) with two decimals, dates as in every other output, NULL as a dash.
 * CSV keeps the plain values (cellText), so a spreadsheet gets numbers, not text.
 */
import { cellText } from '../render/cell-text.js';
import type { RunInfo } from './run-set.js';

const GROUPED = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 });
const POUNDS = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function displayCell(value: unknown, type: string, column: string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number' && Number.isFinite(value)) {
    return column.endsWith('_gbp') ? POUNDS.format(value) : GROUPED.format(value);
  }
  if (typeof value === 'bigint')
    return column.endsWith('_gbp') ? `${value.toLocaleString('en-GB')}.00` : value.toLocaleString('en-GB');
  return cellText(value, type) ?? '—';
}

/** True when a column holds numbers (right-aligned in tables). */
export function isNumericColumn(rows: readonly unknown[][], c: number): boolean {
  return rows.some((row) => typeof row[c] === 'number' || typeof row[c] === 'bigint');
}

/** Days a run was asked to simulate, for the runs table. */
export function runDays(stepMinutes: number, steps: number): string {
  return GROUPED.format((stepMinutes * steps) / 1440);
}

/** The runs table every rendering opens with: header, rows, and which columns are numeric. */
export function runsTable(runs: readonly RunInfo[]): { header: string[]; rows: string[][]; numeric: boolean[] } {
  return {
    header: ['run', 'scenario', 'seed', 'status', 'start (UTC)', 'days', 'meters', 'file'],
    rows: runs.map((r) => [
      r.label,
      r.scenarioName,
      r.seed,
      r.status,
      r.start.toISOString().slice(0, 16).replace('T', ' '),
      runDays(r.stepMinutes, r.steps),
      r.meters.toLocaleString('en-GB'),
      r.file,
    ]),
    numeric: [false, false, false, false, false, true, true, false],
  };
}
