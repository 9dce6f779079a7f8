// Z(i) = x(A + i·T) for just the devices asked for, as gbcs's mac-secret-derivation.ts does it and
// with the same bytes: three tables of 1,024 multiples of T, block starts cached, and one batch of
// affine additions sharing a single inversion per level. Field arithmetic mod p in Montgomery form
// on 4 × 64-bit limbs. Not constant-time: simulated keys only (docs/key-derivation.md).
#pragma once
#include <unordered_map>
#include <vector>

#include "kernel.h"

namespace gbcs {

struct Fe {
  uint64_t v[4];
};

struct Affine {
  Fe x, y;  // Montgomery form
};

class ZProgression {
 public:
  // `base`: A as 64 bytes (x ‖ y, big-endian); `levels`: 3 × 1,024 points of 64 bytes, m·2^(10n)·T.
  static Status make(Bytes base, Bytes levels, ZProgression*& out);
  // Writes the 32-byte Z of devices[i] to out[outAt[i]..+32).
  Status derive(Indexes devices, Bytes out, Indexes outAt);

 private:
  Affine base_;
  std::vector<Affine> levels_[3];
  std::unordered_map<uint32_t, Affine> levelStarts_;
  std::unordered_map<uint32_t, Affine> blockStarts_;
  Status ensureBlockStarts(Indexes devices);
};

}  // namespace gbcs
