// ECDSA P-256 / SHA-256 over many regions in one call, keys referenced by index into tables held
// here: signers (private scalars) and verifiers (public points, about 300–450 bytes each).
#pragma once
#include <openssl/ec.h>

#include <vector>

#include "kernel.h"

namespace gbcs {

class SignerTable {
 public:
  ~SignerTable();
  // `scalars`: 32 bytes each, big-endian, in [1, n − 1].
  static Status fromScalars(Bytes scalars, SignerTable*& out);
  size_t size() const { return keys_.size(); }
  EC_KEY* key(size_t i) const { return keys_[i]; }
  size_t bytes = 0;

 private:
  std::vector<EC_KEY*> keys_;
};

class VerifierTable {
 public:
  ~VerifierTable();
  // `points`: 65 bytes each, SEC1 uncompressed (04 ‖ x ‖ y), on the curve. `precompute`: also a
  // fixed-base table per key (115–155 KB each), for the few keys that verify most signatures.
  static Status fromSec1(Bytes points, bool precompute, VerifierTable*& out);
  size_t size() const { return points_.size(); }
  const EC_POINT* point(size_t i) const { return points_[i]; }
  // The curve with this key as its generator and a table of its multiples; null when not precomputed.
  const EC_GROUP* fixedBase(size_t i) const { return fixed_.empty() ? nullptr : fixed_[i]; }
  size_t bytes = 0;

 private:
  std::vector<EC_POINT*> points_;
  std::vector<EC_GROUP*> fixed_;
};

// Signs SHA-256(data[start[i], end[i])) with signer key[i]; writes raw r ‖ s (64 bytes) to out[outAt[i]].
Status signBatch(const SignerTable& table, Indexes key, Bytes data, Indexes start, Indexes end, Bytes out,
                 Indexes outAt);

// results[i] = 1 when sig[sigAt[i]..+64) is a valid signature of data[start[i], end[i]) by verifier key[i].
Status verifyBatch(const VerifierTable& table, Indexes key, Bytes data, Indexes start, Indexes end, Bytes sig,
                   Indexes sigAt, Bytes results);

// Heap bytes in use now (glibc's count): a table's size is the difference across its making.
size_t heapInUse();
// heapInUse() − before, or 0 when the heap shrank meanwhile (other threads free memory too).
size_t heapGrowth(size_t before);

}  // namespace gbcs
