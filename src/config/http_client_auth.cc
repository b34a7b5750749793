#include "config/http_client_auth.h"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string_view>

namespace argus::config {
namespace {

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s : {18, 12, 6, 0}) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// `inline_value`, or the content of `file` when one is named.
Result<std::string> InlineOrFile(const std::string& inline_value, const std::string& file) {
  if (file.empty()) return inline_value;
  return ReadSecretFile(file);
}

}  // namespace

Result<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Errorf(Status::Code::kIOError, "cannot read credentials file {}", path);
  std::string text(std::istreambuf_iterator<char>(in), {});
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

Result<std::optional<std::string>> AuthorizationHeader(const HttpClientConfig& client) {
  if (client.basic_auth) {
    ARGUS_ASSIGN_OR_RETURN(std::string password, InlineOrFile(client.basic_auth->password,
                                                              client.basic_auth->password_file));
    return std::optional<std::string>("Basic " +
                                      Base64(client.basic_auth->username + ":" + password));
  }
  if (client.authorization) {
    ARGUS_ASSIGN_OR_RETURN(
        std::string credentials,
        InlineOrFile(client.authorization->credentials, client.authorization->credentials_file));
    return std::optional<std::string>(client.authorization->type + " " + credentials);
  }
  return std::optional<std::string>();
}

}  // namespace argus::config
