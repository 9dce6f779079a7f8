/** Device i of an engine run has EUI DEVICE_EUI_BASE + i (one block of EUI-64s for the fleet). */
export const DEVICE_EUI_BASE = 0x00db_2000_0000_0000n;
