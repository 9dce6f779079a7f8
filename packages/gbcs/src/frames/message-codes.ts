/**
 * GBCS message codes and their use-case names (the Message Code in other-information). The
 * table comes from DCC's RTDS reference messages (each folder's command code and use case) and
 * the codes gbfleet's own commands use (FRAME.md). Responses carry their command's code.
 */

/** The message codes gbfleet's generated commands use (real GBCS values). */
export const MessageCode = {
  CS01a: 0x0007,
  ECS02: 0x001a,
  ECS03: 0x001b,
  ECS04a: 0x001c,
  ECS07: 0x001e,
  ECS08: 0x001f,
  ECS09: 0x0020,
  ECS42: 0x004f,
  ECS43: 0x0050,
  GCS02: 0x006c,
  GCS03: 0x006d,
  GCS04: 0x006e,
  GCS05: 0x006f,
  GCS06: 0x0070,
  CS01b: 0x0097,
  ECS08a: 0x00de,
  /** CS02b update security credentials: network operator by network operator (SRV 6.15.1, 6.21). */
  CS02bNetworkOperator: 0x0103,
  /** CS02b update security credentials: supplier by Transitional CoS (the SR 6.23 case). */
  CS02bTransitionalCoS: 0x0107,
  GenericCriticalAlert: 0x1000,
  GenericNonCriticalAlert: 0x1001,
} as const;

const USE_CASES: ReadonlyMap<number, string> = new Map<number, string>([
  [0x0001, 'CCS01'],
  [0x0003, 'CCS03'],
  [0x0004, 'CCS05'],
  [0x0007, 'CS01a'],
  [0x0008, 'CS02a'],
  [0x000a, 'CS02c'],
  [0x000c, 'CS02e'],
  [0x000f, 'CS04AC'],
  [0x0012, 'CS06'],
  [0x0014, 'CS10a'],
  [0x0019, 'ECS01a'],
  [0x001a, 'ECS02'],
  [0x001b, 'ECS03'],
  [0x001c, 'ECS04a'],
  [0x001d, 'ECS05'],
  [0x001e, 'ECS07'],
  [0x001f, 'ECS08'],
  [0x0020, 'ECS09'],
  [0x0023, 'ECS14'],
  [0x0024, 'ECS15a'],
  [0x0025, 'ECS16'],
  [0x0027, 'ECS17b'],
  [0x0029, 'ECS17d'],
  [0x002a, 'ECS17e'],
  [0x002c, 'ECS18b'],
  [0x002d, 'ECS19'],
  [0x002e, 'ECS20a'],
  [0x002f, 'ECS20b'],
  [0x0030, 'ECS20c'],
  [0x0033, 'ECS21a'],
  [0x0034, 'ECS21b'],
  [0x0035, 'ECS21c'],
  [0x0036, 'ECS22a'],
  [0x0039, 'ECS23'],
  [0x003b, 'ECS26a'],
  [0x003c, 'ECS26b'],
  [0x003d, 'ECS26c'],
  [0x0042, 'ECS27'],
  [0x0043, 'ECS28a'],
  [0x0045, 'ECS29a'],
  [0x0048, 'ECS35a'],
  [0x004e, 'ECS40'],
  [0x004f, 'ECS42'],
  [0x0050, 'ECS43'],
  [0x0054, 'ECS46c'],
  [0x0055, 'ECS47'],
  [0x0058, 'ECS50'],
  [0x0059, 'ECS52'],
  [0x005a, 'ECS57'],
  [0x005e, 'ECS61c'],
  [0x0060, 'ECS66'],
  [0x0062, 'ECS70'],
  [0x0069, 'ECS82'],
  [0x006c, 'GCS02'],
  [0x006d, 'GCS03'],
  [0x006e, 'GCS04'],
  [0x006f, 'GCS05'],
  [0x0070, 'GCS06'],
  [0x0071, 'GCS07'],
  [0x0072, 'GCS09'],
  [0x0078, 'GCS17'],
  [0x0079, 'GCS18'],
  [0x007b, 'GCS21a'],
  [0x007c, 'GCS23'],
  [0x007f, 'GCS28'],
  [0x0081, 'GCS32'],
  [0x0082, 'GCS33'],
  [0x0085, 'GCS39'],
  [0x0086, 'GCS40a'],
  [0x0087, 'GCS41'],
  [0x0090, 'PCS02'],
  [0x0092, 'ECS26i'],
  [0x0093, 'ECS35c'],
  [0x0097, 'CS01b'],
  [0x009f, 'GCS21f'],
  [0x00a3, 'GCS01b'],
  [0x00ab, 'CS03A2'],
  [0x00ac, 'ECS25a'],
  [0x00ad, 'GCS20'],
  [0x00af, 'CS03C'],
  [0x00b0, 'ECS25b'],
  [0x00b7, 'ECS01c'],
  [0x00b9, 'ECS35e'],
  [0x00bf, 'GCS21j'],
  [0x00c0, 'GCS40c'],
  [0x00c9, 'ECS20d'],
  [0x00d1, 'ECS29c'],
  [0x00d4, 'ECS29f'],
  [0x00d7, 'ECS30a'],
  [0x00d8, 'GCS25a'],
  [0x00d9, 'ECS26l'],
  [0x00da, 'GCS21k'],
  [0x00db, 'ECS48'],
  [0x00de, 'ECS08a'],
  [0x00eb, 'ECS25a2'],
  [0x00ef, 'ECS25r2'],
  [0x00fa, 'ECS26n'],
  [0x00fb, 'GCS21m'],
  [0x00fc, 'GCS24a'],
  [0x00fd, 'ECS35g'],
  [0x00fe, 'CCS07'],
  [0x0100, 'CS02b'],
  [0x0101, 'CS02b'],
  [0x0102, 'CS02b'],
  [0x0103, 'CS02b'],
  [0x0104, 'CS02b'],
  [0x0105, 'CS02b'],
  [0x0106, 'CS02b'],
  [0x0107, 'CS02b'],
  [0x0108, 'CS02b'],
  [0x0109, 'CS02b'],
  [0x010a, 'DBCH01'],
  [0x010e, 'DBCH05'],
  [0x011b, 'CS02f'],
  [0x011d, 'ECS61e'],
  [0x011e, 'ECS47a'],
  [0x0126, 'CS02g'],
  [0x012a, 'GCS60a'],
]);

/**
 * Message codes of critical commands: the meter verifies the sender's signature on these, and on
 * nothing else. A real device knows each use case's criticality; it never takes it from beside the
 * frame. From DCC's reference messages (each of these is signed there, and no other command is;
 * test/message-criticality.test.ts checks both ways) plus the critical codes gbfleet sends that the
 * reference set lacks: ECS03 and CS02b by Transitional CoS (0x0107).
 */
const CRITICAL_COMMANDS: ReadonlySet<number> = new Set([
  0x000a, 0x000c, 0x000f, 0x0012, 0x0019, 0x001a, 0x001b, 0x001c, 0x001d, 0x001f, 0x0043, 0x004f, 0x0054, 0x0055,
  0x0062, 0x006c, 0x006e, 0x006f, 0x0070, 0x007c, 0x007f, 0x0081, 0x0085, 0x0086, 0x00a3, 0x00ab, 0x00af, 0x00b7,
  0x00c0, 0x00d7, 0x00d8, 0x00db, 0x00fc, 0x0103, 0x0106, 0x0107, 0x011e, 0x0126,
]);

/** Whether a command with this message code is critical (signed by its sender, checked by the meter). */
export function isCriticalCommand(messageCode: number): boolean {
  return CRITICAL_COMMANDS.has(messageCode);
}

/** The use case for a message code, like "ECS02", or null when gbfleet does not know it. */
export function useCaseName(messageCode: number): string | null {
  return USE_CASES.get(messageCode) ?? null;
}

/** "0x001A" */
export function formatMessageCode(messageCode: number): string {
  return `0x${messageCode.toString(16).toUpperCase().padStart(4, '0')}`;
}
