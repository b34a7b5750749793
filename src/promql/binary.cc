// Binary operators: between scalars, between a vector and a scalar, and between vectors with
// Prometheus' matching rules (one-to-one, group_left/group_right, set operators).
#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include "promql/evaluator.h"
#include "promql/parser/printer_util.h"

namespace argus::promql {
namespace {

// Arithmetic sets *out and returns true; a comparison sets *out to the left value and returns
// whether it holds.
bool Apply(BinaryOp op, double l, double r, double* out) {
  switch (op) {
    case BinaryOp::kAdd:
      *out = l + r;
      return true;
    case BinaryOp::kSub:
      *out = l - r;
      return true;
    case BinaryOp::kMul:
      *out = l * r;
      return true;
    case BinaryOp::kDiv:
      *out = l / r;
      return true;
    case BinaryOp::kMod:
      *out = std::fmod(l, r);
      return true;
    case BinaryOp::kPow:
      *out = std::pow(l, r);
      return true;
    case BinaryOp::kAtan2:
      *out = std::atan2(l, r);
      return true;
    case BinaryOp::kEql:
      *out = l;
      return l == r;
    case BinaryOp::kNeq:
      *out = l;
      return l != r;
    case BinaryOp::kGtr:
      *out = l;
      return l > r;
    case BinaryOp::kLss:
      *out = l;
      return l < r;
    case BinaryOp::kGte:
      *out = l;
      return l >= r;
    case BinaryOp::kLte:
      *out = l;
      return l <= r;
    default:
      *out = l;
      return true;
  }
}

bool DropsName(const Binary& b) { return !IsComparison(b.op) || b.return_bool; }

// Prometheus' Labels.String(): {a="b", c="d"} with __name__ as an ordinary label.
std::string PlainLabels(const model::Labels& labels) {
  std::string out = "{";
  for (const auto& l : labels) {
    if (out.size() > 1) out += ", ";
    out += l.name + "=" + GoQuote(l.value);
  }
  return out + "}";
}

// The labels two series are matched on.
model::Labels Signature(const model::Labels& labels, const VectorMatching& m) {
  model::LabelsBuilder b;
  if (m.on) {
    for (const auto& name : m.labels) b.Set(name, labels.Get(name));
  } else {
    b.Reset(labels);
    b.Del(model::kMetricName);
    for (const auto& name : m.labels) b.Del(name);
  }
  return b.Build();
}

// Numbers the distinct signatures of both sides.
class SignatureIds {
 public:
  size_t Id(const model::Labels& sig) {
    auto [it, inserted] = ids_.try_emplace(sig, sigs_.size());
    if (inserted) sigs_.push_back(sig);
    return it->second;
  }
  size_t size() const { return sigs_.size(); }
  const model::Labels& Get(size_t id) const { return sigs_[id]; }

 private:
  absl::flat_hash_map<model::Labels, size_t, LabelsHash> ids_;
  std::vector<model::Labels> sigs_;
};

}  // namespace

Result<Scalars> Evaluator::EvalScalarBinary(const Binary& b, const Steps& steps) {
  ARGUS_ASSIGN_OR_RETURN(Scalars l, EvalScalar(*b.lhs, steps));
  ARGUS_ASSIGN_OR_RETURN(Scalars r, EvalScalar(*b.rhs, steps));
  Scalars out(l.size());
  for (size_t i = 0; i < out.size(); ++i) {
    bool keep = Apply(b.op, l[i], r[i], &out[i]);
    if (IsComparison(b.op)) out[i] = keep ? 1 : 0;
  }
  return out;
}

Status Evaluator::StreamBinary(const Binary& b, const Steps& steps, const SeriesSink& sink) {
  const size_t n = steps.count();
  bool scalar_left = b.lhs->type() == ValueType::kScalar;
  bool scalar_right = b.rhs->type() == ValueType::kScalar;
  if (scalar_left || scalar_right) {
    ARGUS_ASSIGN_OR_RETURN(Scalars scalar, EvalScalar(scalar_left ? *b.lhs : *b.rhs, steps));
    return Stream(scalar_left ? *b.rhs : *b.lhs, steps, [&](StepSeries&& s) {
      bool any = false;
      for (size_t i = 0; i < n; ++i) {
        double& v = s.values[i];
        if (IsAbsent(v)) continue;
        double out;
        bool keep = scalar_left ? Apply(b.op, scalar[i], v, &out) : Apply(b.op, v, scalar[i], &out);
        if (IsComparison(b.op)) {
          if (b.return_bool) {
            out = keep ? 1 : 0;
            keep = true;
          } else {
            out = v;  // A comparison keeps the vector's value, whichever side it is on.
          }
        }
        v = keep ? out : Absent();
        any = any || keep;
      }
      s.drop_name = s.drop_name || DropsName(b);
      return any ? sink(std::move(s)) : Status::Ok();
    });
  }

  SampleCharge held(*this);
  ARGUS_ASSIGN_OR_RETURN(InstantVectors lhs, EvalVector(*b.lhs, steps, held));
  ARGUS_ASSIGN_OR_RETURN(InstantVectors rhs, EvalVector(*b.rhs, steps, held));
  const VectorMatching& m = *b.matching;
  SignatureIds sigs;
  std::vector<size_t> lsig(lhs.size());
  std::vector<size_t> rsig(rhs.size());
  for (size_t i = 0; i < lhs.size(); ++i) lsig[i] = sigs.Id(Signature(lhs[i].labels, m));
  for (size_t i = 0; i < rhs.size(); ++i) rsig[i] = sigs.Id(Signature(rhs[i].labels, m));

  if (IsSetOperator(b.op)) {
    // present[sig * n + i]: some series of the other side has the signature at step i.
    const InstantVectors& other = b.op == BinaryOp::kOr ? lhs : rhs;
    const std::vector<size_t>& other_sig = b.op == BinaryOp::kOr ? lsig : rsig;
    std::vector<uint8_t> present(sigs.size() * n, 0);
    for (size_t k = 0; k < other.size(); ++k) {
      for (size_t i = 0; i < n; ++i) {
        if (!IsAbsent(other[k].values[i])) present[other_sig[k] * n + i] = 1;
      }
    }
    auto filter = [&](StepSeries& s, size_t sig, bool keep_when_present) {
      bool any = false;
      for (size_t i = 0; i < n; ++i) {
        if (IsAbsent(s.values[i])) continue;
        if ((present[sig * n + i] != 0) != keep_when_present) {
          s.values[i] = Absent();
        } else {
          any = true;
        }
      }
      return any;
    };
    if (b.op == BinaryOp::kOr) {
      for (auto& s : lhs) ARGUS_RETURN_IF_ERROR(sink(std::move(s)));
      for (size_t k = 0; k < rhs.size(); ++k) {
        if (filter(rhs[k], rsig[k], false)) ARGUS_RETURN_IF_ERROR(sink(std::move(rhs[k])));
      }
      return Status::Ok();
    }
    bool keep_when_present = b.op == BinaryOp::kAnd;
    for (size_t k = 0; k < lhs.size(); ++k) {
      if (filter(lhs[k], lsig[k], keep_when_present)) {
        ARGUS_RETURN_IF_ERROR(sink(std::move(lhs[k])));
      }
    }
    return Status::Ok();
  }

  // The "many" side gives the result's labels; for group_right it is the right-hand side.
  // Both sides are walked series by series, not step by step, to read each series' values in
  // order.
  bool swapped = m.card == Cardinality::kOneToMany;
  InstantVectors& many = swapped ? rhs : lhs;
  InstantVectors& one = swapped ? lhs : rhs;
  const std::vector<size_t>& many_sig = swapped ? rsig : lsig;
  const std::vector<size_t>& one_sig = swapped ? lsig : rsig;
  constexpr int32_t kNone = -1, kConflict = -2;

  // one_at[sig * n + i]: the one-side series with the signature at step i.
  std::vector<int32_t> one_at(sigs.size() * n, kNone);
  std::vector<std::pair<size_t, size_t>> conflicts;  // Two one-side series at one step.
  std::vector<size_t> conflict_steps;
  for (size_t o = 0; o < one.size(); ++o) {
    int32_t* row = &one_at[one_sig[o] * n];
    for (size_t i = 0; i < n; ++i) {
      if (IsAbsent(one[o].values[i])) continue;
      if (row[i] >= 0) {
        conflicts.push_back({static_cast<size_t>(row[i]), o});
        conflict_steps.push_back(i);
        row[i] = kConflict;
      } else if (row[i] == kNone) {
        row[i] = static_cast<int32_t>(o);
      }
    }
  }
  if (!conflicts.empty()) {
    // Prometheus rejects duplicates on the "one" side at any step where the other side has
    // samples.
    std::vector<uint8_t> many_present(n, 0);
    for (const auto& s : many) {
      for (size_t i = 0; i < n; ++i) many_present[i] |= !IsAbsent(s.values[i]);
    }
    for (size_t c = 0; c < conflicts.size(); ++c) {
      if (!many_present[conflict_steps[c]]) continue;
      const auto& [first, second] = conflicts[c];
      return Status::Errorf(
          "found duplicate series for the match group {} on the {} hand-side of the operation: "
          "[{}, {}];many-to-many matching not allowed: matching labels must be unique on one side",
          PlainLabels(sigs.Get(one_sig[first])), swapped ? "left" : "right",
          PlainLabels(one[first].labels), PlainLabels(one[second].labels));
    }
  }

  // One-to-one matching allows one many-side series per signature and step: signatures that
  // several many-side series share get a bitmap of the steps they matched at.
  std::vector<size_t> many_per_sig(sigs.size(), 0);
  for (size_t sig : many_sig) many_per_sig[sig]++;
  absl::flat_hash_map<size_t, std::vector<uint8_t>> matched;

  InstantVectors out;
  std::vector<std::vector<uint8_t>> out_used;  // Steps at which each output was produced.
  absl::flat_hash_map<model::Labels, size_t, LabelsHash> out_of_labels;
  for (size_t k = 0; k < many.size(); ++k) {
    if (k % kMatchedSeriesPerDeadlineCheck == 0) ARGUS_RETURN_IF_ERROR(CheckDeadline());
    size_t sig = many_sig[k];
    const int32_t* row = &one_at[sig * n];
    std::vector<uint8_t>* matched_steps = nullptr;
    if (m.card == Cardinality::kOneToOne && many_per_sig[sig] > 1) {
      auto& bits = matched[sig];
      bits.resize(n, 0);
      matched_steps = &bits;
    }
    int32_t last_one = kNone;
    size_t idx = 0;
    for (size_t i = 0; i < n; ++i) {
      double mv = many[k].values[i];
      if (IsAbsent(mv) || row[i] < 0) continue;
      int32_t o = row[i];
      if (matched_steps != nullptr) {
        if ((*matched_steps)[i]) {
          return Status::Error(
              "multiple matches for labels: many-to-one matching must be explicit "
              "(group_left/group_right)");
        }
        (*matched_steps)[i] = 1;
      }
      if (o != last_one) {
        model::LabelsBuilder lb(many[k].labels);
        if (m.card == Cardinality::kOneToOne) {
          if (m.on) {
            lb.Reset();
            for (const auto& name : m.labels) lb.Set(name, many[k].labels.Get(name));
          } else {
            for (const auto& name : m.labels) lb.Del(name);
          }
        }
        for (const auto& name : m.include) lb.Set(name, one[o].labels.Get(name));
        auto [it, inserted] = out_of_labels.try_emplace(lb.Build(), out.size());
        if (inserted) {
          out.push_back(
              {it->first, std::vector<double>(n, Absent()), many[k].drop_name || DropsName(b)});
          out_used.emplace_back(n, 0);
        }
        idx = it->second;
        last_one = o;
      }
      if (out_used[idx][i]) {
        return Status::Error(
            "multiple matches for labels: grouping labels must ensure unique matches");
      }
      out_used[idx][i] = 1;
      double ov = one[o].values[i];
      double value;
      bool keep = swapped ? Apply(b.op, ov, mv, &value) : Apply(b.op, mv, ov, &value);
      if (b.return_bool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (keep) out[idx].values[i] = value;
    }
  }
  for (auto& s : out) {
    if (PresentCount(s) > 0) ARGUS_RETURN_IF_ERROR(sink(std::move(s)));
  }
  return Status::Ok();
}

}  // namespace argus::promql
