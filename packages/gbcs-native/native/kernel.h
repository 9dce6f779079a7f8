// What every batch of the kernel shares: views on the caller's buffers, a coded status, and the
// one bounds rule. A batch never reads or writes outside a view; a bad entry fails the whole call
// with its index before anything of that entry is written.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

namespace gbcs {

struct Bytes {
  uint8_t* data;
  size_t length;
};

struct Indexes {
  const uint32_t* data;
  size_t length;
};

struct Status {
  const char* code = nullptr;  // null: the call succeeded
  std::string message;
  bool failed() const { return code != nullptr; }
  static Status ok() { return Status{}; }
  static Status fail(const char* code, std::string message) {
    Status s;
    s.code = code;
    s.message = std::move(message);
    return s;
  }
};

// Codes the JavaScript side sees as `error.code`.
constexpr const char* ARGUMENT = "GBF_NATIVE_ARGUMENT";  // wrong types, lengths that do not match
constexpr const char* BOUNDS = "GBF_NATIVE_BOUNDS";      // an offset or length outside its buffer
constexpr const char* KEY = "GBF_NATIVE_KEY";            // a malformed key, or an index outside the table
constexpr const char* CRYPTO = "GBF_NATIVE_CRYPTO";      // OpenSSL refused (out of memory, mostly)

// True when [at, at + length) lies inside a buffer of `size` bytes (no overflow possible).
inline bool inside(uint64_t at, uint64_t length, uint64_t size) { return at <= size && length <= size - at; }

inline std::string entry(const char* what, size_t i) { return std::string(what) + " " + std::to_string(i); }

}  // namespace gbcs
