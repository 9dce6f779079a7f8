// The JavaScript face of the kernel: each export takes typed arrays (never one object per
// operation), checks their kinds, and hands views to a batch. Failures are thrown as Errors with
// a `code` (kernel.h) and the index of the entry at fault in the message.
#include <napi.h>
#include <openssl/err.h>

#include "ecdsa-batch.h"
#include "gbcs-mac-batch.h"
#include "z-progression.h"

namespace {

using gbcs::Bytes;
using gbcs::Indexes;
using gbcs::Status;

// OpenSSL's error queue (one per thread) is Node's as well. What OpenSSL pushes during a call (a
// signature out of range, a point it cannot parse) is popped before the call returns; left there,
// it would become the message of Node's next crypto error. Every export holds one of these.
class KeepErrorQueue {
 public:
  KeepErrorQueue() { ERR_set_mark(); }
  ~KeepErrorQueue() { ERR_pop_to_mark(); }
  KeepErrorQueue(const KeepErrorQueue&) = delete;
  KeepErrorQueue& operator=(const KeepErrorQueue&) = delete;
};

void throwCoded(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  error.ThrowAsJavaScriptException();
}

bool bytesArg(const Napi::CallbackInfo& info, size_t i, const char* name, Bytes& out) {
  if (i >= info.Length() || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throwCoded(info.Env(), gbcs::ARGUMENT, std::string(name) + " must be a Uint8Array");
    return false;
  }
  auto a = info[i].As<Napi::Uint8Array>();
  out = Bytes{a.Data(), a.ElementLength()};
  return true;
}

bool indexesArg(const Napi::CallbackInfo& info, size_t i, const char* name, Indexes& out) {
  if (i >= info.Length() || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    throwCoded(info.Env(), gbcs::ARGUMENT, std::string(name) + " must be a Uint32Array");
    return false;
  }
  auto a = info[i].As<Napi::Uint32Array>();
  out = Indexes{a.Data(), a.ElementLength()};
  return true;
}

// One tag per table kind: the address of a static of its own.
template <typename T>
const napi_type_tag* tagOf() {
  static const char marker = 0;
  static const napi_type_tag tag = {reinterpret_cast<uint64_t>(&marker), 0x67626373u};
  return &tag;
}

template <typename T>
T* tableArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsExternal()) {
    throwCoded(info.Env(), gbcs::ARGUMENT, std::string(name) + " must be a table made by this kernel");
    return nullptr;
  }
  // Tagged at creation, so a table of another kind is refused rather than misread.
  bool matches = false;
  napi_check_object_type_tag(info.Env(), info[i], tagOf<T>(), &matches);
  if (!matches) {
    throwCoded(info.Env(), gbcs::ARGUMENT, std::string(name) + " is a table of another kind");
    return nullptr;
  }
  return info[i].As<Napi::External<T>>().Data();
}

template <typename T>
Napi::Value wrapTable(Napi::Env env, T* table, size_t bytes) {
  auto external = Napi::External<T>::New(env, table, [](Napi::Env, T* t) { delete t; });
  napi_type_tag_object(env, external, tagOf<T>());
  Napi::Object result = Napi::Object::New(env);
  result.Set("table", external);
  result.Set("bytes", Napi::Number::New(env, static_cast<double>(bytes)));
  return result;
}

bool succeeded(Napi::Env env, const Status& s) {
  if (!s.failed()) return true;
  throwCoded(env, s.code, s.message);
  return false;
}

Napi::Value CreateSigners(const Napi::CallbackInfo& info) {
  KeepErrorQueue keep;
  Bytes scalars;
  if (!bytesArg(info, 0, "scalars", scalars)) return info.Env().Undefined();
  gbcs::SignerTable* table = nullptr;
  if (!succeeded(info.Env(), gbcs::SignerTable::fromScalars(scalars, table))) return info.Env().Undefined();
  return wrapTable(info.Env(), table, table->bytes);
}

Napi::Value CreateVerifiers(const Napi::CallbackInfo& info) {
  KeepErrorQueue keep;
  Bytes points;
  if (!bytesArg(info, 0, "points", points)) return info.Env().Undefined();
  bool precompute = info.Length() > 1 && info[1].IsBoolean() && info[1].As<Napi::Boolean>().Value();
  gbcs::VerifierTable* table = nullptr;
  if (!succeeded(info.Env(), gbcs::VerifierTable::fromSec1(points, precompute, table))) return info.Env().Undefined();
  return wrapTable(info.Env(), table, table->bytes);
}

// sign(signers, key, data, start, end, out, outAt)
Napi::Value Sign(const Napi::CallbackInfo& info) {
  KeepErrorQueue keep;
  Bytes data, out;
  Indexes key, start, end, outAt;
  auto* table = tableArg<gbcs::SignerTable>(info, 0, "signers");
  if (!table || !indexesArg(info, 1, "key", key) || !bytesArg(info, 2, "data", data) ||
      !indexesArg(info, 3, "start", start) || !indexesArg(info, 4, "end", end) || !bytesArg(info, 5, "out", out) ||
      !indexesArg(info, 6, "outAt", outAt))
    return info.Env().Undefined();
  succeeded(info.Env(), gbcs::signBatch(*table, key, data, start, end, out, outAt));
  return info.Env().Undefined();
}

// verify(verifiers, key, data, start, end, sig, sigAt, results)
Napi::Value Verify(const Napi::CallbackInfo& info) {
  KeepErrorQueue keep;
  Bytes data, sig, results;
  Indexes key, start, end, sigAt;
  auto* table = tableArg<gbcs::VerifierTable>(info, 0, "verifiers");
  if (!table || !indexesArg(info, 1, "key", key) || !bytesArg(info, 2, "data", data) ||
      !indexesArg(info, 3, "start", start) || !indexesArg(info, 4, "end", end) || !bytesArg(info, 5, "sig", sig) ||
      !indexesArg(info, 6, "sigAt", sigAt) || !bytesArg(info, 7, "results", results))
    return info.Env().Undefined();
  succeeded(info.Env(), gbcs::verifyBatch(*table, key, data, start, end, sig, sigAt, results));
  return info.Env().Undefined();
}

// writeMacs / checkMacs(data, apduStart, apduEnd, z, zAt, mac, macAt[, results])
Napi::Value Macs(const Napi::CallbackInfo& info, gbcs::MacMode mode) {
  KeepErrorQueue keep;
  Bytes data, z, mac, results{nullptr, 0};
  Indexes apduStart, apduEnd, zAt, macAt;
  if (!bytesArg(info, 0, "data", data) || !indexesArg(info, 1, "apduStart", apduStart) ||
      !indexesArg(info, 2, "apduEnd", apduEnd) || !bytesArg(info, 3, "z", z) || !indexesArg(info, 4, "zAt", zAt) ||
      !bytesArg(info, 5, "mac", mac) || !indexesArg(info, 6, "macAt", macAt) ||
      (mode == gbcs::MacMode::Check && !bytesArg(info, 7, "results", results)))
    return info.Env().Undefined();
  succeeded(info.Env(), gbcs::gbcsMacBatch(mode, data, apduStart, apduEnd, z, zAt, mac, macAt, results));
  return info.Env().Undefined();
}

Napi::Value WriteMacs(const Napi::CallbackInfo& info) { return Macs(info, gbcs::MacMode::Write); }
Napi::Value CheckMacs(const Napi::CallbackInfo& info) { return Macs(info, gbcs::MacMode::Check); }

// macKeys(data, apduStart, z, zAt, out)
Napi::Value MacKeys(const Napi::CallbackInfo& info) {
  KeepErrorQueue keep;
  Bytes data, z, out;
  Indexes apduStart, zAt;
  if (!bytesArg(info, 0, "data", data) || !indexesArg(info, 1, "apduStart", apduStart) || !bytesArg(info, 2, "z", z) ||
      !indexesArg(info, 3, "zAt", zAt) || !bytesArg(info, 4, "out", out))
    return info.Env().Undefined();
  succeeded(info.Env(), gbcs::gbcsKdfBatch(data, apduStart, z, zAt, out));
  return info.Env().Undefined();
}

Napi::Value CreateZProgression(const Napi::CallbackInfo& info) {
  Bytes base, levels;
  if (!bytesArg(info, 0, "base", base) || !bytesArg(info, 1, "levels", levels)) return info.Env().Undefined();
  gbcs::ZProgression* z = nullptr;
  if (!succeeded(info.Env(), gbcs::ZProgression::make(base, levels, z))) return info.Env().Undefined();
  return wrapTable(info.Env(), z, 0);
}

// deriveZ(progression, devices, out, outAt)
Napi::Value DeriveZ(const Napi::CallbackInfo& info) {
  Bytes out;
  Indexes devices, outAt;
  auto* z = tableArg<gbcs::ZProgression>(info, 0, "progression");
  if (!z || !indexesArg(info, 1, "devices", devices) || !bytesArg(info, 2, "out", out) ||
      !indexesArg(info, 3, "outAt", outAt))
    return info.Env().Undefined();
  succeeded(info.Env(), z->derive(devices, out, outAt));
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("createSigners", Napi::Function::New(env, CreateSigners));
  exports.Set("createVerifiers", Napi::Function::New(env, CreateVerifiers));
  exports.Set("sign", Napi::Function::New(env, Sign));
  exports.Set("verify", Napi::Function::New(env, Verify));
  exports.Set("writeMacs", Napi::Function::New(env, WriteMacs));
  exports.Set("checkMacs", Napi::Function::New(env, CheckMacs));
  exports.Set("macKeys", Napi::Function::New(env, MacKeys));
  exports.Set("createZProgression", Napi::Function::New(env, CreateZProgression));
  exports.Set("deriveZ", Napi::Function::New(env, DeriveZ));
  exports.Set("openssl", Napi::String::New(env, OpenSSL_version(OPENSSL_VERSION)));
  return exports;
}

}  // namespace

NODE_API_MODULE(gbcs_native, Init)
