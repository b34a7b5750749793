#include "promql/parser/functions.h"

#include <algorithm>
#include <array>

namespace argus::promql {
namespace {

constexpr ValueType kS = ValueType::kScalar;
constexpr ValueType kV = ValueType::kVector;
constexpr ValueType kM = ValueType::kMatrix;
constexpr ValueType kStr = ValueType::kString;

constexpr std::array<ValueType, 0> kNoArgs{};
constexpr std::array kVec{kV};
constexpr std::array kMat{kM};
constexpr std::array kVecScalar{kV, kS};
constexpr std::array kVecScalarScalar{kV, kS, kS};
constexpr std::array kMatScalar{kM, kS};
constexpr std::array kMatScalarScalar{kM, kS, kS};
constexpr std::array kScalarMat{kS, kM};
constexpr std::array kScalarVec{kS, kV};
constexpr std::array kScalarScalarVec{kS, kS, kV};
constexpr std::array kScalarArg{kS};
constexpr std::array kScalarScalar{kS, kS};
constexpr std::array kVecVec{kV, kV};
constexpr std::array kVecStr{kV, kStr};
constexpr std::array kLabelReplace{kV, kStr, kStr, kStr, kStr};
constexpr std::array kLabelJoin{kV, kStr, kStr, kStr};
constexpr std::array kHistogramQuantiles{kV, kStr, kS, kS};

// Sorted by name for the binary search in FindFunction.
constexpr Function kFunctions[] = {
    {"abs", kVec},
    {"absent", kVec},
    {"absent_over_time", kMat},
    {"acos", kVec},
    {"acosh", kVec},
    {"asin", kVec},
    {"asinh", kVec},
    {"atan", kVec},
    {"atanh", kVec},
    {"avg_over_time", kMat},
    {"ceil", kVec},
    {"changes", kMat},
    {"clamp", kVecScalarScalar},
    {"clamp_max", kVecScalar},
    {"clamp_min", kVecScalar},
    {"cos", kVec},
    {"cosh", kVec},
    {"count_over_time", kMat},
    {"day_of_month", kVec, 1},
    {"day_of_week", kVec, 1},
    {"day_of_year", kVec, 1},
    {"days_in_month", kVec, 1},
    {"deg", kVec},
    {"delta", kMat},
    {"deriv", kMat},
    {"double_exponential_smoothing", kMatScalarScalar, 0, kV, true},
    {"end", kNoArgs, 0, kS, true},
    {"exp", kVec},
    {"first_over_time", kMat, 0, kV, true},
    {"floor", kVec},
    {"histogram_avg", kVec},
    {"histogram_count", kVec},
    {"histogram_fraction", kScalarScalarVec},
    {"histogram_quantile", kScalarVec},
    {"histogram_quantiles", kHistogramQuantiles, 9, kV, true},
    {"histogram_stddev", kVec},
    {"histogram_stdvar", kVec},
    {"histogram_sum", kVec},
    {"hour", kVec, 1},
    {"idelta", kMat},
    {"increase", kMat},
    {"info", kVecVec, 1, kV, true},
    {"integral", kMatScalar, 1, kV, true},
    {"irate", kMat},
    {"label_join", kLabelJoin, -1},
    {"label_replace", kLabelReplace},
    {"last_over_time", kMat},
    {"ln", kVec},
    {"log10", kVec},
    {"log2", kVec},
    {"mad_over_time", kMat, 0, kV, true},
    {"max_of", kScalarScalar, 0, kS, true},
    {"max_over_time", kMat},
    {"min_of", kScalarScalar, 0, kS, true},
    {"min_over_time", kMat},
    {"minute", kVec, 1},
    {"month", kVec, 1},
    {"pi", kNoArgs, 0, kS},
    {"predict_linear", kMatScalar},
    {"present_over_time", kMat},
    {"quantile_over_time", kScalarMat},
    {"rad", kVec},
    {"range", kNoArgs, 0, kS, true},
    {"rate", kMat},
    {"resets", kMat},
    {"round", kVecScalar, 1},
    {"scalar", kVec, 0, kS},
    {"sgn", kVec},
    {"sin", kVec},
    {"sinh", kVec},
    {"sort", kVec},
    {"sort_by_label", kVecStr, -1, kV, true},
    {"sort_by_label_desc", kVecStr, -1, kV, true},
    {"sort_desc", kVec},
    {"sqrt", kVec},
    {"start", kNoArgs, 0, kS, true},
    {"stddev_over_time", kMat},
    {"stdvar_over_time", kMat},
    {"step", kNoArgs, 0, kS, true},
    {"sum_over_time", kMat},
    {"tan", kVec},
    {"tanh", kVec},
    {"time", kNoArgs, 0, kS},
    {"timestamp", kVec},
    {"ts_of_first_over_time", kMat, 0, kV, true},
    {"ts_of_last_over_time", kMat, 0, kV, true},
    {"ts_of_max_over_time", kMat, 0, kV, true},
    {"ts_of_min_over_time", kMat, 0, kV, true},
    {"vector", kScalarArg},
    {"year", kVec, 1},
};

}  // namespace

const Function* FindFunction(std::string_view name) {
  const Function* begin = std::begin(kFunctions);
  const Function* end = std::end(kFunctions);
  const Function* it = std::lower_bound(
      begin, end, name, [](const Function& f, std::string_view n) { return f.name < n; });
  return it != end && it->name == name ? it : nullptr;
}

}  // namespace argus::promql
