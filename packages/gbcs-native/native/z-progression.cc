#include "z-progression.h"

#include <unordered_set>

namespace gbcs {

namespace {

typedef unsigned __int128 u128;

constexpr uint64_t P[4] = {0xffffffffffffffffULL, 0x00000000ffffffffULL, 0, 0xffffffff00000001ULL};
constexpr int LEVEL_BITS = 10;
constexpr uint32_t LEVEL = 1u << LEVEL_BITS;
constexpr uint32_t MASK = LEVEL - 1;
constexpr size_t MAX_CACHED_STARTS = 65536;

bool geqP(const uint64_t a[4]) {
  for (int i = 3; i >= 0; i--) {
    if (a[i] != P[i]) return a[i] > P[i];
  }
  return true;
}

void subP(uint64_t a[4]) {
  u128 borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 d = (u128)a[i] - P[i] - borrow;
    a[i] = (uint64_t)d;
    borrow = (d >> 64) & 1;
  }
}

Fe add(const Fe& a, const Fe& b) {
  Fe r;
  u128 carry = 0;
  for (int i = 0; i < 4; i++) {
    u128 s = (u128)a.v[i] + b.v[i] + carry;
    r.v[i] = (uint64_t)s;
    carry = s >> 64;
  }
  if (carry || geqP(r.v)) subP(r.v);
  return r;
}

Fe sub(const Fe& a, const Fe& b) {
  Fe r;
  u128 borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 d = (u128)a.v[i] - b.v[i] - borrow;
    r.v[i] = (uint64_t)d;
    borrow = (d >> 64) & 1;
  }
  if (borrow) {  // add p back
    u128 carry = 0;
    for (int i = 0; i < 4; i++) {
      u128 s = (u128)r.v[i] + P[i] + carry;
      r.v[i] = (uint64_t)s;
      carry = s >> 64;
    }
  }
  return r;
}

// Montgomery product a·b·2^−256 mod p (CIOS; −p^−1 mod 2^64 = 1 for this p).
Fe mul(const Fe& a, const Fe& b) {
  uint64_t t[6] = {0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; i++) {
    u128 c = 0;
    for (int j = 0; j < 4; j++) {
      c = (u128)a.v[j] * b.v[i] + t[j] + (uint64_t)(c >> 64);
      t[j] = (uint64_t)c;
    }
    u128 s = (u128)t[4] + (uint64_t)(c >> 64);
    t[4] = (uint64_t)s;
    t[5] = (uint64_t)(s >> 64);
    uint64_t m = t[0];
    c = (u128)m * P[0] + t[0];
    for (int j = 1; j < 4; j++) {
      c = (u128)m * P[j] + t[j] + (uint64_t)(c >> 64);
      t[j - 1] = (uint64_t)c;
    }
    s = (u128)t[4] + (uint64_t)(c >> 64);
    t[3] = (uint64_t)s;
    t[4] = t[5] + (uint64_t)(s >> 64);
  }
  Fe r{{t[0], t[1], t[2], t[3]}};
  if (t[4] || geqP(r.v)) subP(r.v);
  return r;
}

// R² mod p, by doubling R mod p 256 times.
const Fe& rSquared() {
  static const Fe value = [] {
    Fe r{{1, 0xffffffff00000000ULL, 0xffffffffffffffffULL, 0x00000000fffffffeULL}};  // 2^256 − p
    for (int i = 0; i < 256; i++) r = add(r, r);
    return r;
  }();
  return value;
}

Fe toMont(const Fe& a) { return mul(a, rSquared()); }
Fe fromMont(const Fe& a) { return mul(a, Fe{{1, 0, 0, 0}}); }
Fe montOne() { return toMont(Fe{{1, 0, 0, 0}}); }

// a^(p − 2): the inverse, for a ≠ 0.
Fe invert(const Fe& a) {
  uint64_t e[4] = {P[0] - 2, P[1], P[2], P[3]};
  Fe result = montOne();
  for (int limb = 3; limb >= 0; limb--) {
    for (int bit = 63; bit >= 0; bit--) {
      result = mul(result, result);
      if ((e[limb] >> bit) & 1) result = mul(result, a);
    }
  }
  return result;
}

bool isZero(const Fe& a) { return (a.v[0] | a.v[1] | a.v[2] | a.v[3]) == 0; }
bool equal(const Fe& a, const Fe& b) {
  return a.v[0] == b.v[0] && a.v[1] == b.v[1] && a.v[2] == b.v[2] && a.v[3] == b.v[3];
}

bool readFe(const uint8_t* bytes, Fe& out) {
  for (int limb = 0; limb < 4; limb++) {
    uint64_t w = 0;
    for (int k = 0; k < 8; k++) w = (w << 8) | bytes[(3 - limb) * 8 + k];
    out.v[limb] = w;
  }
  if (geqP(out.v)) return false;
  out = toMont(out);
  return true;
}

void writeFe(const Fe& mont, uint8_t* out) {
  Fe a = fromMont(mont);
  for (int limb = 0; limb < 4; limb++)
    for (int k = 0; k < 8; k++) out[(3 - limb) * 8 + k] = (uint8_t)(a.v[limb] >> (56 - 8 * k));
}

bool readPoint(const uint8_t* bytes, Affine& out) {
  if (!readFe(bytes, out.x) || !readFe(bytes + 32, out.y)) return false;
  // On the curve: y² = x³ − 3x + b.
  static const Fe b = [] {
    Fe raw;
    const uint8_t bytesB[32] = {0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd, 0x55, 0x76, 0x98, 0x86, 0xbc,
                                0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53, 0xb0, 0xf6, 0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b};
    readFe(bytesB, raw);
    return raw;
  }();
  Fe x3 = mul(mul(out.x, out.x), out.x);
  Fe threeX = add(add(out.x, out.x), out.x);
  return equal(mul(out.y, out.y), add(sub(x3, threeX), b));
}

// P + P (y ≠ 0): λ = (3x² − 3) / 2y.
bool doublePoint(const Affine& p, Affine& out) {
  if (isZero(p.y)) return false;
  Fe x2 = mul(p.x, p.x);
  Fe three = add(add(montOne(), montOne()), montOne());
  Fe num = mul(three, sub(x2, montOne()));
  Fe lambda = mul(num, invert(add(p.y, p.y)));
  out.x = sub(sub(mul(lambda, lambda), p.x), p.x);
  out.y = sub(mul(lambda, sub(p.x, out.x)), p.y);
  return true;
}

// out[j] = ps[j] + qs[j] for every j, with one inversion for the whole batch.
bool addPairs(const std::vector<const Affine*>& ps, const std::vector<const Affine*>& qs, std::vector<Affine>& out) {
  size_t n = ps.size();
  out.resize(n);
  std::vector<Fe> dx(n), prefix(n);
  Fe acc = montOne();
  for (size_t j = 0; j < n; j++) {
    dx[j] = sub(qs[j]->x, ps[j]->x);
    prefix[j] = acc;
    if (!isZero(dx[j])) acc = mul(acc, dx[j]);
  }
  Fe inv = n > 0 ? invert(acc) : acc;
  for (size_t j = n; j-- > 0;) {
    const Affine& p = *ps[j];
    const Affine& q = *qs[j];
    if (isZero(dx[j])) {
      // Equal x: the same point doubles; a point and its negation would reach infinity.
      if (!equal(p.y, q.y) || !doublePoint(p, out[j])) return false;
      continue;
    }
    Fe dInv = mul(inv, prefix[j]);
    inv = mul(inv, dx[j]);
    Fe lambda = mul(sub(q.y, p.y), dInv);
    out[j].x = sub(sub(mul(lambda, lambda), p.x), q.x);
    out[j].y = sub(mul(lambda, sub(p.x, out[j].x)), p.y);
  }
  return true;
}

}  // namespace

Status ZProgression::make(Bytes base, Bytes levels, ZProgression*& out) {
  if (base.length != 64) return Status::fail(KEY, "the progression's base is 64 bytes (x ‖ y)");
  if (levels.length != 3 * LEVEL * 64) return Status::fail(KEY, "the progression's tables are 3 × 1,024 points of 64 bytes");
  auto* z = new ZProgression();
  if (!readPoint(base.data, z->base_)) {
    delete z;
    return Status::fail(KEY, "the progression's base is not a point on P-256");
  }
  for (int n = 0; n < 3; n++) {
    z->levels_[n].resize(LEVEL);
    for (uint32_t m = 0; m < LEVEL; m++) {
      if (!readPoint(levels.data + (n * LEVEL + m) * 64, z->levels_[n][m])) {
        delete z;
        return Status::fail(KEY, "table " + std::to_string(n) + " entry " + std::to_string(m) + " is not a point on P-256");
      }
    }
  }
  out = z;
  return Status::ok();
}

Status ZProgression::ensureBlockStarts(Indexes devices) {
  if (blockStarts_.size() > MAX_CACHED_STARTS) blockStarts_.clear();
  std::vector<uint32_t> blocks;
  std::unordered_set<uint32_t> seen;
  for (size_t i = 0; i < devices.length; i++) {
    uint32_t block = devices.data[i] >> LEVEL_BITS;
    if (!blockStarts_.count(block) && seen.insert(block).second) blocks.push_back(block);
  }
  if (blocks.empty()) return Status::ok();
  std::vector<uint32_t> tails;
  std::unordered_set<uint32_t> tops;
  for (uint32_t b : blocks) {
    uint32_t l = b >> LEVEL_BITS;
    if (levelStarts_.count(l) || !tops.insert(l).second) continue;
    if (l == 0)
      levelStarts_[0] = base_;
    else
      tails.push_back(l);
  }
  std::vector<const Affine*> ps, qs;
  std::vector<Affine> sums;
  for (uint32_t l : tails) ps.push_back(&base_), qs.push_back(&levels_[2][l - 1]);
  if (!addPairs(ps, qs, sums)) return Status::fail(KEY, "a point sum reached infinity: degenerate parameters");
  for (size_t m = 0; m < tails.size(); m++) levelStarts_[tails[m]] = sums[m];
  ps.clear(), qs.clear();
  std::vector<uint32_t> withK;
  for (uint32_t b : blocks) {
    if ((b & MASK) == 0)
      blockStarts_[b] = levelStarts_[b >> LEVEL_BITS];
    else {
      withK.push_back(b);
      ps.push_back(&levelStarts_[b >> LEVEL_BITS]);
      qs.push_back(&levels_[1][(b & MASK) - 1]);
    }
  }
  if (!addPairs(ps, qs, sums)) return Status::fail(KEY, "a point sum reached infinity: degenerate parameters");
  for (size_t m = 0; m < withK.size(); m++) blockStarts_[withK[m]] = sums[m];
  return Status::ok();
}

Status ZProgression::derive(Indexes devices, Bytes out, Indexes outAt) {
  size_t n = devices.length;
  if (outAt.length != n) return Status::fail(ARGUMENT, "one output offset per device");
  for (size_t i = 0; i < n; i++) {
    if (devices.data[i] >= (1u << 30)) return Status::fail(ARGUMENT, entry("device", i) + ": the index is at or above 2^30");
    if (!inside(outAt.data[i], 32, out.length)) return Status::fail(BOUNDS, entry("device", i) + ": Z does not fit the output");
  }
  Status s = ensureBlockStarts(devices);
  if (s.failed()) return s;
  // Every Z is found before any is written: a failed call writes nothing, and overlapping outputs
  // end as the last entry's, as the JS derivation leaves them.
  std::vector<const Fe*> xs(n, nullptr);
  std::vector<const Affine*> ps, qs;
  std::vector<size_t> at;
  for (size_t i = 0; i < n; i++) {
    uint32_t device = devices.data[i];
    const Affine& start = blockStarts_[device >> LEVEL_BITS];  // a node of the map: it stays put
    uint32_t j = device & MASK;
    if (j == 0)
      xs[i] = &start.x;
    else {
      ps.push_back(&start);
      qs.push_back(&levels_[0][j - 1]);
      at.push_back(i);
    }
  }
  std::vector<Affine> sums;
  if (!addPairs(ps, qs, sums)) return Status::fail(KEY, "a point sum reached infinity: degenerate parameters");
  for (size_t m = 0; m < at.size(); m++) xs[at[m]] = &sums[m].x;
  for (size_t i = 0; i < n; i++) writeFe(*xs[i], out.data + outAt.data[i]);
  return Status::ok();
}

}  // namespace gbcs
