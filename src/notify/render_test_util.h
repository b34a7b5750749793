#pragma once

// See render_json.h.
#pragma clang attribute push(__attribute__((no_sanitize("pointer-overflow"))), apply_to = function)
#include <rapidjson/document.h>
#pragma clang attribute pop

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/alert.h"
#include "notify/notification.h"

namespace argus::notify::testing {

// Helpers for the notifier's tests.

// A file under the shared conformance data's slack/ folder; nullopt when the data is absent.
std::optional<std::string> ReadSlackConformanceFile(std::string_view path);

// Parses `json`, failing the test when it is not JSON.
rapidjson::Document ParseJson(std::string_view json);

// Where `got` differs from `want` ("" when it does not), object keys compared in order.
std::string JsonDifference(const rapidjson::Value& want, const rapidjson::Value& got,
                           const std::string& path = "$");

// The ways a Slack message body breaks Block Kit's rules and limits; empty when it keeps them.
std::vector<std::string> BlockKitProblems(const rapidjson::Value& body);

// The group of Alertmanager's reconstructed Slack and webhook bodies: receiver
// slack-notifications, group_by [alertname], two InstanceDown alerts firing since
// 2026-06-26T10:20:00Z, told 10 minutes later.
inline constexpr int64_t kFixtureStartMs = 1782469200000;
GroupNotification InstanceDownGroup();
inline constexpr std::string_view kFixtureExternalUrl = "http://alertmanager.example.com:9093";

}  // namespace argus::notify::testing
