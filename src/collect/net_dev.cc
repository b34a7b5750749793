#include "collect/net_dev.h"

#include <algorithm>

#include "collect/text_file.h"

namespace argus::collect {

const std::array<std::string_view, 16> kNetDevFieldNames = {
    "receive_bytes",  "receive_packets",  "receive_errs",       "receive_drop",
    "receive_fifo",   "receive_frame",    "receive_compressed", "receive_multicast",
    "transmit_bytes", "transmit_packets", "transmit_errs",      "transmit_drop",
    "transmit_fifo",  "transmit_colls",   "transmit_carrier",   "transmit_compressed"};

bool NextNetDev(std::string_view* text, std::string_view* interface, NetDevCounters* counters) {
  while (!text->empty()) {
    std::string_view line = NextLine(text);
    // The two header lines have a '|' and no ':' before it; interface lines are "name: counters".
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || line.find('|') != std::string_view::npos) continue;
    std::string_view rest = line.substr(colon + 1);
    std::string_view name = line.substr(0, colon);
    name.remove_prefix(std::min(name.find_first_not_of(' '), name.size()));  // Alignment.
    bool ok = !name.empty();
    for (size_t i = 0; i < counters->size() && ok; ++i) {
      auto v = ParseUint(NextToken(&rest));
      ok = v.has_value();
      if (ok) (*counters)[i] = *v;
    }
    if (!ok) continue;
    *interface = name;
    return true;
  }
  return false;
}

}  // namespace argus::collect
