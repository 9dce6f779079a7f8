/**
 * The plug-in's per-meter arrays are fleet-sized, but a run acts on its own meters only (a
 * segment never reads another's after setup). So a checkpoint keeps the owned range of each, as
 * a copy (a view would carry its whole buffer into the checkpoint), and a resumed run puts it
 * back into a fleet-sized array whose other meters hold `fill`.
 */
type PerMeterArray = Uint8Array | Uint16Array | Int32Array;
type Owned = { readonly lo: number; readonly hi: number };

export function ownedSlice<T extends PerMeterArray>(array: T, owned: Owned): T {
  return array.slice(owned.lo, owned.hi) as T;
}

export function fleetSized<T extends PerMeterArray>(slice: T, owned: Owned, meters: number, fill = 0): T {
  const out = new (slice.constructor as new (length: number) => T)(meters);
  if (fill !== 0) out.fill(fill);
  out.set(slice as ArrayLike<number>, owned.lo);
  return out;
}
