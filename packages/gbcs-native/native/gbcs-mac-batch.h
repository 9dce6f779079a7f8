// The GBCS MAC of many APDUs in one call: key = first 16 bytes of SHA-256(00000001 ‖ Z ‖ OtherInfo),
// OtherInfo from the APDU's own transaction id and EUIs; tag = AES-128-GMAC with IV = originator ‖
// 00000000 over AAD = 11 00 00 00 00 00 ‖ APDU; the MAC is the tag's first 12 bytes.
#pragma once
#include "kernel.h"

namespace gbcs {

enum class MacMode { Write, Check };

// For each i: the APDU is data[apduStart[i], apduEnd[i]); Z is z[zAt[i]..+32); the MAC is at
// mac[macAt[i]..+12). Write mode writes it there; check mode compares it (constant time) and sets
// results[i] to 1 when it matches.
Status gbcsMacBatch(MacMode mode, Bytes data, Indexes apduStart, Indexes apduEnd, Bytes z, Indexes zAt, Bytes mac,
                    Indexes macAt, Bytes results);

// The 16-byte GBCS MAC key of each APDU header (as gbcsMacBatch derives it), for tests and benches.
Status gbcsKdfBatch(Bytes data, Indexes apduStart, Bytes z, Indexes zAt, Bytes out);

}  // namespace gbcs
