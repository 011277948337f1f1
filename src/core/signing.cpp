// Signed text (see signing.hpp).
#include "signing.hpp"

#include <cstdint>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace pg_actions::core {

namespace {

constexpr std::size_t mac_size = 32;
constexpr std::string_view base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string mac_of(std::string_view payload, std::string_view bound, std::string_view key) {
    std::string input(payload);
    input += '\0';
    input += bound;
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // Only an allocation failure inside OpenSSL gets here.
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(input.data()),
             input.size(), out, &length) == nullptr ||
        length != mac_size)
        throw std::runtime_error("hmac-sha-256 computation failed in libcrypto");
    return std::string(reinterpret_cast<const char*>(out), length);
}

}  // namespace

std::string encode_base64(std::string_view bytes) {
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        acc = (acc << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += base64[(acc >> bits) & 63];
        }
    }
    if (bits > 0) out += base64[(acc << (6 - bits)) & 63];
    while (out.size() % 4 != 0) out += '=';
    return out;
}

std::optional<std::string> decode_base64(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && !text.empty() && text.back() == '=') text.remove_suffix(1), padding++;
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        std::size_t v = base64.find(c);
        if (v == std::string_view::npos) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

std::string seal(std::string_view payload, std::string_view bound, std::string_view key) {
    return encode_base64(mac_of(payload, bound, key) + std::string(payload));
}

std::optional<std::string> unseal(std::string_view text, std::string_view bound, std::string_view key,
                                  std::size_t max_length) {
    if (text.size() > max_length) return std::nullopt;
    std::optional<std::string> bytes = decode_base64(text);
    if (!bytes || bytes->size() < mac_size) return std::nullopt;
    std::string payload = bytes->substr(mac_size);
    const std::string mac = mac_of(payload, bound, key);
    if (CRYPTO_memcmp(mac.data(), bytes->data(), mac_size) != 0) return std::nullopt;
    return payload;
}

}  // namespace pg_actions::core
