// SHA-256, HMAC-SHA256 and hex encoding (OpenSSL), the primitives SigV4 needs.
#pragma once

#include <string>
#include <string_view>

namespace migsim::aws::crypto {

// Raw 32-byte SHA-256 digest of `data`.
std::string sha256(std::string_view data);
// Lower-case hex SHA-256 of `data` (SigV4's HexEncode(Hash(x))).
std::string sha256_hex(std::string_view data);
// Raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);
// Lower-case hex of raw bytes.
std::string to_hex(std::string_view bytes);

}  // namespace migsim::aws::crypto
