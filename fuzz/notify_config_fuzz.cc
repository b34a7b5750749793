// Reads arbitrary input as the body of the `notify:` section (an alertmanager.yml, as the seeds
// are) and as a list of matchers in Alertmanager's syntax. Neither may crash; a section that reads
// must re-render (NotifyConfig::original) as YAML that loads again.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/config.h"
#include "model/matcher_syntax.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)argus::model::ParseMatchers(input);
  std::string wrapped = "notify:\n  ";
  for (char c : input) {
    wrapped += c;
    if (c == '\n') wrapped += "  ";
  }
  auto config = argus::config::Parse(wrapped, "fuzz.yml");
  if (!config.ok() || !config->notify) return 0;
  try {
    (void)YAML::Load(config->notify->original);
  } catch (const YAML::Exception& e) {
    std::fprintf(stderr, "original does not load: %s\n%s\n", e.what(),
                 config->notify->original.c_str());
    std::abort();
  }
  return 0;
}
