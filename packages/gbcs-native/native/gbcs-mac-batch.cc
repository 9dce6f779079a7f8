#include "gbcs-mac-batch.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>

namespace gbcs {

namespace {

// DF 09 ‖ CRA ‖ counter (8) ‖ 08 ‖ originator (8) ‖ 08 ‖ recipient (8): the header the KDF reads.
constexpr size_t HEADER = 29;
constexpr uint8_t ALGORITHM_ID[7] = {0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00};
constexpr uint8_t AAD_PREFIX[6] = {0x11, 0, 0, 0, 0, 0};

bool headerShaped(const uint8_t* apdu) { return apdu[0] == 0xdf && apdu[1] == 0x09 && apdu[11] == 0x08 && apdu[20] == 0x08; }

void macKey(const uint8_t* apdu, const uint8_t* z, uint8_t key[16]) {
  uint8_t input[69];
  input[0] = 0, input[1] = 0, input[2] = 0, input[3] = 1;
  std::memcpy(input + 4, z, 32);
  std::memcpy(input + 36, ALGORITHM_ID, 7);
  std::memcpy(input + 43, apdu + 12, 8);  // originator
  input[51] = 0x09;
  input[52] = apdu[2];                    // CRA
  std::memcpy(input + 53, apdu + 3, 8);   // originator counter
  std::memcpy(input + 61, apdu + 21, 8);  // recipient
  uint8_t digest[32];
  SHA256(input, sizeof input, digest);
  std::memcpy(key, digest, 16);
}

EVP_CIPHER_CTX* gcm() {
  static thread_local EVP_CIPHER_CTX* ctx = [] {
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    if (c && EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), nullptr, nullptr, nullptr) != 1) {
      EVP_CIPHER_CTX_free(c);
      c = nullptr;
    }
    return c;
  }();
  return ctx;
}

bool gmac(const uint8_t key[16], const uint8_t* apdu, size_t length, uint8_t tag[16]) {
  EVP_CIPHER_CTX* ctx = gcm();
  if (!ctx) return false;
  uint8_t iv[12] = {0};
  std::memcpy(iv, apdu + 12, 8);
  int written = 0;
  return EVP_EncryptInit_ex(ctx, nullptr, nullptr, key, iv) == 1 &&
         EVP_EncryptUpdate(ctx, nullptr, &written, AAD_PREFIX, sizeof AAD_PREFIX) == 1 &&
         EVP_EncryptUpdate(ctx, nullptr, &written, apdu, static_cast<int>(length)) == 1 &&
         EVP_EncryptFinal_ex(ctx, tag, &written) == 1 && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
}

Status checkApdu(Bytes data, uint32_t start, uint32_t end, Bytes z, uint32_t zAt, size_t i) {
  if (start > end || !inside(start, end - start, data.length))
    return Status::fail(BOUNDS, entry("MAC", i) + ": the APDU is outside the data");
  if (end - start < HEADER || end - start > 0xffff)
    return Status::fail(ARGUMENT, entry("MAC", i) + ": an APDU is 29 to 65,535 bytes");
  if (!headerShaped(data.data + start))
    return Status::fail(ARGUMENT, entry("MAC", i) + ": the APDU does not start DF 09 … 08 … 08 (a General Signing header)");
  if (!inside(zAt, 32, z.length)) return Status::fail(BOUNDS, entry("MAC", i) + ": Z is outside its buffer");
  return Status::ok();
}

}  // namespace

Status gbcsMacBatch(MacMode mode, Bytes data, Indexes apduStart, Indexes apduEnd, Bytes z, Indexes zAt, Bytes mac,
                    Indexes macAt, Bytes results) {
  size_t n = apduStart.length;
  if (apduEnd.length != n || zAt.length != n || macAt.length != n)
    return Status::fail(ARGUMENT, "every index array of a batch must have one entry per operation");
  if (mode == MacMode::Check && results.length < n)
    return Status::fail(BOUNDS, "the results buffer is shorter than the batch");
  for (size_t i = 0; i < n; i++) {
    Status s = checkApdu(data, apduStart.data[i], apduEnd.data[i], z, zAt.data[i], i);
    if (s.failed()) return s;
    if (!inside(macAt.data[i], 12, mac.length)) return Status::fail(BOUNDS, entry("MAC", i) + ": the MAC is outside its buffer");
  }
  uint8_t key[16];
  uint8_t tag[16];
  for (size_t i = 0; i < n; i++) {
    const uint8_t* apdu = data.data + apduStart.data[i];
    macKey(apdu, z.data + zAt.data[i], key);
    if (!gmac(key, apdu, apduEnd.data[i] - apduStart.data[i], tag))
      return Status::fail(CRYPTO, entry("MAC", i) + ": OpenSSL's AES-GCM failed");
    uint8_t* at = mac.data + macAt.data[i];
    if (mode == MacMode::Write)
      std::memcpy(at, tag, 12);
    else
      results.data[i] = CRYPTO_memcmp(at, tag, 12) == 0 ? 1 : 0;
  }
  OPENSSL_cleanse(key, sizeof key);
  return Status::ok();
}

Status gbcsKdfBatch(Bytes data, Indexes apduStart, Bytes z, Indexes zAt, Bytes out) {
  size_t n = apduStart.length;
  if (zAt.length != n) return Status::fail(ARGUMENT, "every index array of a batch must have one entry per operation");
  if (out.length / 16 < n) return Status::fail(BOUNDS, "the output holds fewer than 16 bytes per key");
  for (size_t i = 0; i < n; i++) {
    uint32_t start = apduStart.data[i];
    if (!inside(start, HEADER, data.length)) return Status::fail(BOUNDS, entry("KDF", i) + ": the header is outside the data");
    if (!headerShaped(data.data + start)) return Status::fail(ARGUMENT, entry("KDF", i) + ": not a General Signing header");
    if (!inside(zAt.data[i], 32, z.length)) return Status::fail(BOUNDS, entry("KDF", i) + ": Z is outside its buffer");
  }
  for (size_t i = 0; i < n; i++) macKey(data.data + apduStart.data[i], z.data + zAt.data[i], out.data + 16 * i);
  return Status::ok();
}

}  // namespace gbcs
