/**
 * Which draw of the fleet-build stream (`meterRandom(key, MeterStream.FleetBuild, meter, draw)`)
 * each of a meter's attributes uses. Append, never renumber: outcomes depend on them.
 */
export const FleetDraw = {
  Fuel: 0,
  Payment: 1,
  Wan: 2,
  Vulnerable: 3,
  Supplier: 4,
  Network: 5,
  Consumption: 6,
  Credit: 7,
  Calendar: 8,
  Schedule: 9,
} as const;
