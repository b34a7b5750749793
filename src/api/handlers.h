#pragma once

// The endpoint handlers that RegisterRoutes binds, one group per file. Each answers one request
// from `sources`, as its Prometheus counterpart does.

#include "api/api.h"
#include "http/server.h"

namespace argus::api {

using HandlerFunc = void (*)(const Sources&, const http::Request&, http::Response*);

// query.cc
void Query(const Sources& s, const http::Request& req, http::Response* r);
void QueryRange(const Sources& s, const http::Request& req, http::Response* r);
void FormatQuery(const Sources& s, const http::Request& req, http::Response* r);
void ParseQuery(const Sources& s, const http::Request& req, http::Response* r);

// exemplars.cc
void QueryExemplars(const Sources& s, const http::Request& req, http::Response* r);

// series.cc
void Series(const Sources& s, const http::Request& req, http::Response* r);
void LabelNames(const Sources& s, const http::Request& req, http::Response* r);
void LabelValues(const Sources& s, const http::Request& req, http::Response* r);

// targets.cc
void Targets(const Sources& s, const http::Request& req, http::Response* r);
void TargetsMetadata(const Sources& s, const http::Request& req, http::Response* r);
void Metadata(const Sources& s, const http::Request& req, http::Response* r);

// status.cc
void BuildInfo(const Sources& s, const http::Request& req, http::Response* r);
void Config(const Sources& s, const http::Request& req, http::Response* r);
void Flags(const Sources& s, const http::Request& req, http::Response* r);
void RuntimeInfoStatus(const Sources& s, const http::Request& req, http::Response* r);
void TsdbStatus(const Sources& s, const http::Request& req, http::Response* r);

// events.cc: POST /api/v1/events records one event from a JSON object
//   {"kind": "deploy", "labels": {"service": "api"}, "text": "...", "link": "https://...",
//    "time": "2023-11-14T22:13:20Z" or 1700000000 (optional: the server's clock)},
// which it answers with the event as stored; a body that is not such an object, or an event that
// is not valid, gets a bad_data error naming what is wrong, and a body over kMaxEventBodyBytes a
// 413. GET /api/v1/events?start=&end=&match[]= lists events oldest first, each as that object with
// the time in Unix seconds.
inline constexpr size_t kMaxEventBodyBytes = 64 << 10;
void RecordEvent(const Sources& s, const http::Request& req, http::Response* r);
void ListEvents(const Sources& s, const http::Request& req, http::Response* r);

// federate.cc
void Federate(const Sources& s, const http::Request& req, http::Response* r);

}  // namespace argus::api
