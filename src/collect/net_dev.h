#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace argus::collect {

// The sixteen counters of one interface in /proc/net/dev (and /proc/<pid>/net/dev, which shows
// the network namespace of that process), in the file's order: receive bytes, packets, errs,
// drop, fifo, frame, compressed, multicast; then transmit bytes, packets, errs, drop, fifo,
// colls, carrier, compressed.
using NetDevCounters = std::array<uint64_t, 16>;

// The names node_exporter gives those counters ("receive_bytes", ..., "transmit_compressed").
extern const std::array<std::string_view, 16> kNetDevFieldNames;

// Calls `f(interface, counters)` for each well-formed interface line of `text`; views are valid
// for the call. Lines that do not parse are skipped.
template <typename F>
void ForEachNetDev(std::string_view text, F f);

// The parsing, out of line; returns false at the end of `*text`.
bool NextNetDev(std::string_view* text, std::string_view* interface, NetDevCounters* counters);

template <typename F>
void ForEachNetDev(std::string_view text, F f) {
  std::string_view interface;
  NetDevCounters counters;
  while (NextNetDev(&text, &interface, &counters)) f(interface, counters);
}

}  // namespace argus::collect
