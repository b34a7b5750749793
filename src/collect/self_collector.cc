#include "collect/self_collector.h"

#include "textparse/parser.h"

namespace argus::collect {

void SelfCollector::StartFamily(std::string_view family) {
  // A family's HELP and TYPE lines come together, in either order.
  if (family == family_) return;
  family_.assign(family);
  help_.clear();
  type_ = model::MetricType::kUnknown;
}

Status SelfCollector::Collect(SampleWriter& out) {
  text_.clear();
  registry_.Render(&text_);
  family_.clear();
  auto parser = textparse::NewParser(textparse::Format::kPrometheusText, text_);
  for (;;) {
    switch (parser->Next()) {
      case textparse::Entry::kType:
        StartFamily(parser->FamilyName());
        type_ = parser->Type();
        out.Describe({family_, help_, type_});
        break;
      case textparse::Entry::kHelp:
        StartFamily(parser->FamilyName());
        help_.assign(parser->Text());
        out.Describe({family_, help_, type_});
        break;
      case textparse::Entry::kSeries: {
        labels_.Reset();
        parser->Labels(&labels_);
        std::string_view name;
        pairs_.clear();
        for (size_t i = 0; i < labels_.size(); ++i) {
          if (labels_[i].name == model::kMetricName) {
            name = labels_[i].value;
          } else {
            pairs_.emplace_back(labels_[i].name, labels_[i].value);
          }
        }
        out.Add({name, {}, model::MetricType::kUnknown}, pairs_, parser->Value());
        break;
      }
      case textparse::Entry::kEof:
        return Status::Ok();
      case textparse::Entry::kError:
        return parser->Err().Wrap("Argus' own metrics");
      default:
        break;
    }
  }
}

}  // namespace argus::collect
