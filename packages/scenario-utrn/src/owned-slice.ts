/**
 * The plug-in's per-meter arrays are fleet-sized, but a run acts on its own meters only (a
 * segment never reads another's). So a checkpoint keeps the owned range of each, as a copy (a
 * view would carry its whole buffer into the checkpoint), and a resumed run writes it back at
 * the owned range of a fleet-sized array.
 */
type PerMeterArray = Uint8Array | Int32Array;

export function ownedSlice<T extends PerMeterArray>(array: T, owned: { lo: number; hi: number }): T {
  return array.slice(owned.lo, owned.hi) as T;
}
