#include "cmd/flags.h"

#include "base/log.h"
#include "cmd/api_inputs.h"
#include "http/server.h"
#include "http/url.h"

namespace argus::cmd {

Status CheckServerFlags(const ServerFlags& flags) {
  log::Level level;
  if (!log::ParseLevel(flags.log_level, &level)) {
    return Status::Errorf(Status::Code::kInvalidInput,
                          "--log.level: \"{}\" is not one of debug, info, warn, error",
                          flags.log_level);
  }
  log::Format format;
  if (!log::ParseFormat(flags.log_format, &format)) {
    return Status::Errorf(Status::Code::kInvalidInput,
                          "--log.format: \"{}\" is not one of logfmt, json", flags.log_format);
  }
  ARGUS_RETURN_IF_ERROR(ParseQueryFlags(flags).status());
  ARGUS_RETURN_IF_ERROR(
      http::CheckListenAddress(flags.listen_address).Wrap("--web.listen-address"));
  if (!flags.external_url.empty() && !http::ParseUrl(flags.external_url)) {
    return Status::Errorf(Status::Code::kInvalidInput,
                          "--web.external-url: \"{}\" is not an absolute http or https URL",
                          flags.external_url);
  }
  return Status::Ok();
}

}  // namespace argus::cmd
