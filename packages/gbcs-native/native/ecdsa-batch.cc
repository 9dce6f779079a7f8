#include "ecdsa-batch.h"

#include <malloc.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>
#include <openssl/sha.h>

namespace gbcs {

namespace {

const EC_GROUP* p256() {
  static thread_local EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  return group;
}

Status sameLengths(size_t n, std::initializer_list<size_t> lengths) {
  for (size_t l : lengths)
    if (l != n) return Status::fail(ARGUMENT, "every index array of a batch must have one entry per operation");
  return Status::ok();
}

}  // namespace

size_t heapInUse() { return mallinfo2().uordblks; }

SignerTable::~SignerTable() {
  for (EC_KEY* k : keys_) EC_KEY_free(k);
}

Status SignerTable::fromScalars(Bytes scalars, SignerTable*& out) {
  if (scalars.length % 32 != 0) return Status::fail(KEY, "signer scalars are 32 bytes each");
  size_t before = heapInUse();
  auto* table = new SignerTable();
  BIGNUM* order = BN_new();
  EC_GROUP_get_order(p256(), order, nullptr);
  for (size_t i = 0; i < scalars.length / 32; i++) {
    BIGNUM* d = BN_bin2bn(scalars.data + 32 * i, 32, nullptr);
    EC_KEY* key = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
    bool good = d && key && !BN_is_zero(d) && BN_cmp(d, order) < 0 && EC_KEY_set_private_key(key, d) == 1;
    BN_free(d);
    if (!good) {
      EC_KEY_free(key);
      BN_free(order);
      delete table;
      return Status::fail(KEY, entry("signer", i) + ": the scalar is not in [1, n − 1]");
    }
    table->keys_.push_back(key);
  }
  BN_free(order);
  table->bytes = heapInUse() - before;
  out = table;
  return Status::ok();
}

VerifierTable::~VerifierTable() {
  for (EC_POINT* p : points_) EC_POINT_free(p);
}

Status VerifierTable::fromSec1(Bytes points, VerifierTable*& out) {
  if (points.length % 65 != 0) return Status::fail(KEY, "verifier points are 65 bytes each (SEC1 uncompressed)");
  size_t before = heapInUse();
  auto* table = new VerifierTable();
  table->points_.reserve(points.length / 65);
  for (size_t i = 0; i < points.length / 65; i++) {
    const uint8_t* sec1 = points.data + 65 * i;
    EC_POINT* p = EC_POINT_new(p256());
    // EC_POINT_oct2point checks that the point is on the curve.
    if (!p || sec1[0] != 0x04 || EC_POINT_oct2point(p256(), p, sec1, 65, nullptr) != 1 ||
        EC_POINT_is_at_infinity(p256(), p)) {
      EC_POINT_free(p);
      delete table;
      return Status::fail(KEY, entry("verifier", i) + ": not an uncompressed P-256 point on the curve");
    }
    table->points_.push_back(p);
  }
  table->bytes = heapInUse() - before;
  out = table;
  return Status::ok();
}

Status signBatch(const SignerTable& table, Indexes key, Bytes data, Indexes start, Indexes end, Bytes out,
                 Indexes outAt) {
  size_t n = key.length;
  Status same = sameLengths(n, {start.length, end.length, outAt.length});
  if (same.failed()) return same;
  for (size_t i = 0; i < n; i++) {
    if (key.data[i] >= table.size()) return Status::fail(KEY, entry("sign", i) + ": signer index outside the table");
    if (start.data[i] > end.data[i] || !inside(start.data[i], end.data[i] - start.data[i], data.length))
      return Status::fail(BOUNDS, entry("sign", i) + ": the region is outside the data");
    if (!inside(outAt.data[i], 64, out.length)) return Status::fail(BOUNDS, entry("sign", i) + ": the signature does not fit");
  }
  uint8_t digest[32];
  for (size_t i = 0; i < n; i++) {
    SHA256(data.data + start.data[i], end.data[i] - start.data[i], digest);
    ECDSA_SIG* sig = ECDSA_do_sign(digest, 32, table.key(key.data[i]));
    if (!sig) return Status::fail(CRYPTO, entry("sign", i) + ": OpenSSL could not sign");
    const BIGNUM* r;
    const BIGNUM* s;
    ECDSA_SIG_get0(sig, &r, &s);
    uint8_t* at = out.data + outAt.data[i];
    BN_bn2binpad(r, at, 32);
    BN_bn2binpad(s, at + 32, 32);
    ECDSA_SIG_free(sig);
  }
  return Status::ok();
}

Status verifyBatch(const VerifierTable& table, Indexes key, Bytes data, Indexes start, Indexes end, Bytes sig,
                   Indexes sigAt, Bytes results) {
  size_t n = key.length;
  Status same = sameLengths(n, {start.length, end.length, sigAt.length});
  if (same.failed()) return same;
  if (results.length < n) return Status::fail(BOUNDS, "the results buffer is shorter than the batch");
  for (size_t i = 0; i < n; i++) {
    if (key.data[i] >= table.size()) return Status::fail(KEY, entry("verify", i) + ": verifier index outside the table");
    if (start.data[i] > end.data[i] || !inside(start.data[i], end.data[i] - start.data[i], data.length))
      return Status::fail(BOUNDS, entry("verify", i) + ": the region is outside the data");
    if (!inside(sigAt.data[i], 64, sig.length)) return Status::fail(BOUNDS, entry("verify", i) + ": the signature is outside its buffer");
  }
  // One key object per thread; each verify points it at the table's public point.
  static thread_local EC_KEY* verifier = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
  if (!verifier) return Status::fail(CRYPTO, "OpenSSL could not make a key");
  uint8_t digest[32];
  for (size_t i = 0; i < n; i++) {
    if (EC_KEY_set_public_key(verifier, table.point(key.data[i])) != 1)
      return Status::fail(CRYPTO, entry("verify", i) + ": OpenSSL could not set the key");
    SHA256(data.data + start.data[i], end.data[i] - start.data[i], digest);
    const uint8_t* at = sig.data + sigAt.data[i];
    ECDSA_SIG* parsed = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(at, 32, nullptr);
    BIGNUM* s = BN_bin2bn(at + 32, 32, nullptr);
    if (!parsed || !r || !s || ECDSA_SIG_set0(parsed, r, s) != 1) {
      ECDSA_SIG_free(parsed);
      BN_free(r);
      BN_free(s);
      return Status::fail(CRYPTO, entry("verify", i) + ": OpenSSL could not hold the signature");
    }
    // 1 valid, 0 invalid, −1 error (r or s out of range among them): only 1 accepts.
    results.data[i] = ECDSA_do_verify(digest, 32, parsed, verifier) == 1 ? 1 : 0;
    ECDSA_SIG_free(parsed);
  }
  return Status::ok();
}

}  // namespace gbcs
