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

size_t heapInUse() {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;  // small blocks, and the large ones glibc maps on their own
}

// The heap's growth since `before`. The count is the whole process's, and Node's other threads free
// memory meanwhile: a shrink is 0, not a wrapped-around 2^64 − k.
size_t heapGrowth(size_t before) {
  size_t after = heapInUse();
  return after > before ? after - before : 0;
}

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
  table->bytes = heapGrowth(before);
  out = table;
  return Status::ok();
}

VerifierTable::~VerifierTable() {
  for (EC_POINT* p : points_) EC_POINT_free(p);
  for (EC_GROUP* g : fixed_) EC_GROUP_free(g);
}

Status VerifierTable::fromSec1(Bytes points, bool precompute, VerifierTable*& out) {
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
    if (precompute) {
      // P-256 with Q as its generator: OpenSSL's fixed-base multiplication (the one that makes
      // signing fast with G) then serves u2·Q as well.
      EC_GROUP* g = EC_GROUP_dup(p256());
      bool good = g && EC_GROUP_set_generator(g, p, EC_GROUP_get0_order(p256()), EC_GROUP_get0_cofactor(p256())) == 1 &&
                  EC_GROUP_precompute_mult(g, nullptr) == 1;
      if (!good) {
        EC_GROUP_free(g);
        delete table;
        return Status::fail(CRYPTO, entry("verifier", i) + ": OpenSSL could not precompute the key's table");
      }
      table->fixed_.push_back(g);
    }
  }
  table->bytes = heapGrowth(before);
  out = table;
  return Status::ok();
}

namespace {

// FIPS 186-4 verification with two fixed-base multiplications: u1·G from OpenSSL's table of G,
// u2·Q from the key's own table. The same decision as ECDSA_do_verify, about twice as fast.
int verifyFixedBase(const uint8_t digest[32], const uint8_t* rs, const EC_GROUP* fixed, BN_CTX* ctx) {
  const EC_GROUP* group = p256();
  const BIGNUM* order = EC_GROUP_get0_order(group);
  BN_CTX_start(ctx);
  BIGNUM* r = BN_CTX_get(ctx);
  BIGNUM* s = BN_CTX_get(ctx);
  BIGNUM* e = BN_CTX_get(ctx);
  BIGNUM* w = BN_CTX_get(ctx);
  BIGNUM* u1 = BN_CTX_get(ctx);
  BIGNUM* u2 = BN_CTX_get(ctx);
  BIGNUM* x = BN_CTX_get(ctx);
  EC_POINT* a = EC_POINT_new(group);
  EC_POINT* b = EC_POINT_new(fixed);
  int valid = 0;
  if (x && a && b && BN_bin2bn(rs, 32, r) && BN_bin2bn(rs + 32, 32, s) && BN_bin2bn(digest, 32, e) &&
      !BN_is_zero(r) && !BN_is_zero(s) && BN_cmp(r, order) < 0 && BN_cmp(s, order) < 0 &&
      BN_mod_inverse(w, s, order, ctx) && BN_mod_mul(u1, e, w, order, ctx) && BN_mod_mul(u2, r, w, order, ctx) &&
      EC_POINT_mul(group, a, u1, nullptr, nullptr, ctx) == 1 && EC_POINT_mul(fixed, b, u2, nullptr, nullptr, ctx) == 1 &&
      EC_POINT_add(group, a, a, b, ctx) == 1 && !EC_POINT_is_at_infinity(group, a) &&
      EC_POINT_get_affine_coordinates(group, a, x, nullptr, ctx) == 1 && BN_nnmod(x, x, order, ctx) == 1) {
    valid = BN_cmp(x, r) == 0 ? 1 : 0;
  }
  EC_POINT_free(a);
  EC_POINT_free(b);
  BN_CTX_end(ctx);
  return valid;
}

}  // namespace

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
  static thread_local BN_CTX* ctx = BN_CTX_new();
  if (!ctx) return Status::fail(CRYPTO, "OpenSSL could not make a context");
  uint8_t digest[32];
  for (size_t i = 0; i < n; i++) {
    if (const EC_GROUP* fixed = table.fixedBase(key.data[i])) {
      SHA256(data.data + start.data[i], end.data[i] - start.data[i], digest);
      results.data[i] = verifyFixedBase(digest, sig.data + sigAt.data[i], fixed, ctx);
      continue;
    }
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
