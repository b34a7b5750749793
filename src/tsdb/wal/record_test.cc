#include "tsdb/wal/record.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

namespace argus::tsdb::wal {
namespace {

constexpr double kStaleNaN = std::bit_cast<double>(uint64_t{0x7ff0000000000002});

std::vector<RefSample> RoundTripSamples(const std::vector<RefSample>& in, std::string* record) {
  record->clear();
  SamplesEncoder enc(record);
  for (const RefSample& s : in) enc.Add(s);
  std::vector<RefSample> out;
  Status st = DecodeSamples(*record, &out);
  EXPECT_TRUE(st.ok()) << st.message();
  return out;
}

TEST(RecordTest, SeriesRoundTripWithUtf8AndEmptyValues) {
  std::string record;
  SeriesEncoder enc(&record);
  model::Labels a{
      {"__name__", "http_requests_total"}, {"path", "/ünïcödé/日本語"}, {"code", "200"}};
  model::Labels b;  // No labels at all.
  std::vector<LabelView> c = {{"", ""}, {"a", std::string_view("\0\xff", 2)}};
  enc.Add(7, a);
  enc.Add(3, b);  // Refs need not grow.
  enc.Add(std::numeric_limits<uint64_t>::max(), c);
  DecodedSeries decoded;
  ASSERT_TRUE(DecodeSeries(record, &decoded).ok());
  ASSERT_EQ(decoded.size(), 3u);
  EXPECT_EQ(decoded.series()[0].ref, 7u);
  ASSERT_EQ(decoded.series()[0].labels.size(), a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(decoded.series()[0].labels[i].name, a[i].name);
    EXPECT_EQ(decoded.series()[0].labels[i].value, a[i].value);
  }
  EXPECT_EQ(decoded.series()[1].ref, 3u);
  EXPECT_TRUE(decoded.series()[1].labels.empty());
  EXPECT_EQ(decoded.series()[2].ref, std::numeric_limits<uint64_t>::max());
  ASSERT_EQ(decoded.series()[2].labels.size(), 2u);
  EXPECT_EQ(decoded.series()[2].labels[1].value, std::string_view("\0\xff", 2));
}

TEST(RecordTest, DecodedLabelsPointIntoTheRecord) {
  std::string record;
  SeriesEncoder(&record).Add(1, model::Labels{{"job", "node"}});
  DecodedSeries decoded;
  ASSERT_TRUE(DecodeSeries(record, &decoded).ok());
  std::string_view value = decoded.series()[0].labels[0].value;
  EXPECT_GE(value.data(), record.data());
  EXPECT_LE(value.data() + value.size(), record.data() + record.size());
}

TEST(RecordTest, EmptyBatchesRoundTrip) {
  std::string series, samples;
  SeriesEncoder s(&series);
  SamplesEncoder m(&samples);
  EXPECT_EQ(series.size(), 1u);  // The type byte alone.
  DecodedSeries decoded_series;
  std::vector<RefSample> decoded_samples = {{1, 2, 3}};
  ASSERT_TRUE(DecodeSeries(series, &decoded_series).ok());
  ASSERT_TRUE(DecodeSamples(samples, &decoded_samples).ok());
  EXPECT_EQ(decoded_series.size(), 0u);
  EXPECT_TRUE(decoded_samples.empty());
}

TEST(RecordTest, SpecialFloatsAndExtremesAreBitExact) {
  std::vector<double> values = {0.0,
                                -0.0,
                                1.0,
                                -1.0,
                                0.5,
                                std::ldexp(1.0, 48) - 1,
                                std::ldexp(1.0, 48),
                                -std::ldexp(1.0, 48),
                                -std::ldexp(1.0, 48) - 1,
                                std::ldexp(1.0, 53),
                                1e300,
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::quiet_NaN(),
                                -std::numeric_limits<double>::quiet_NaN(),
                                kStaleNaN,
                                std::bit_cast<double>(uint64_t{0xfff8dead0000beef})};
  std::vector<RefSample> in;
  std::mt19937_64 rng(1);
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> times = {0, -1, kMin, kMax, kMin, 1'700'000'000'000, kMax, 0};
  std::vector<uint64_t> refs = {0, std::numeric_limits<uint64_t>::max(), 0, 1, uint64_t{1} << 63};
  for (size_t i = 0; i < 200; ++i) {
    in.push_back({refs[i % refs.size()] + (i > 100 ? rng() : 0),
                  // Wraps around at the extremes.
                  static_cast<int64_t>(static_cast<uint64_t>(times[i % times.size()]) +
                                       (i > 50 ? rng() % 1000 : 0)),
                  values[i % values.size()]});
  }
  std::string record;
  EXPECT_EQ(RoundTripSamples(in, &record), in);
}

TEST(RecordTest, AddingASpanEqualsAddingEachSample) {
  std::vector<RefSample> in = {{5, 100, 1.5}, {6, 100, -3}, {2, 90, kStaleNaN}, {9, 1000, 0}};
  std::string one_by_one, at_once = "prefix";
  SamplesEncoder each(&one_by_one);
  for (const RefSample& s : in) each.Add(s);
  SamplesEncoder(&at_once).Add(in);
  EXPECT_EQ(at_once, "prefix" + one_by_one);
}

TEST(RecordTest, ScrapeOfSmallIntegersTakesThreeBytesASample) {
  std::vector<RefSample> in;
  for (uint64_t ref = 1000; ref < 2000; ++ref) in.push_back({ref, 1'700'000'000'000, 42});
  std::string record;
  EXPECT_EQ(RoundTripSamples(in, &record), in);
  // The first sample carries the full timestamp; every other is ref delta, timestamp delta with
  // the integer flag, and the value: one byte each.
  EXPECT_LE(record.size(), 1 + 16 + 3 * 999u);
}

TEST(RecordTest, FloatsTakeTheirEightBytes) {
  std::vector<RefSample> in;
  for (uint64_t ref = 1; ref <= 100; ++ref) in.push_back({ref, 5000, 0.1 * ref});
  std::string record;
  EXPECT_EQ(RoundTripSamples(in, &record), in);
  EXPECT_LE(record.size(), 1 + 4 + 10 * 100u);
}

TEST(RecordTest, HugeBatchRoundTrips) {
  std::vector<RefSample> in;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200'000; ++i) {
    in.push_back({rng() % 5'000'000, 1'700'000'000'000 + static_cast<int64_t>(rng() % 60'000),
                  i % 3 == 0 ? static_cast<double>(rng() % 100000) : std::bit_cast<double>(rng())});
  }
  std::string record;
  EXPECT_EQ(RoundTripSamples(in, &record), in);

  std::string series;
  SeriesEncoder enc(&series);
  std::string long_value(100'000, 'x');
  for (uint64_t ref = 1; ref <= 1000; ++ref) {
    enc.Add(ref,
            model::Labels{{"__name__", "m"}, {"long", long_value}, {"id", std::to_string(ref)}});
  }
  DecodedSeries decoded;
  ASSERT_TRUE(DecodeSeries(series, &decoded).ok());
  ASSERT_EQ(decoded.size(), 1000u);
  EXPECT_EQ(decoded.series()[999].ref, 1000u);
  EXPECT_EQ(decoded.series()[999].labels[1].name, "id");
  EXPECT_EQ(decoded.series()[999].labels[1].value, "1000");
  EXPECT_EQ(decoded.series()[999].labels[2].value, long_value);
}

TEST(RecordTest, DecoderIsReusedAcrossRecords) {
  std::string big, small;
  SeriesEncoder b(&big);
  for (uint64_t ref = 0; ref < 100; ++ref) b.Add(ref, model::Labels{{"a", "b"}, {"c", "d"}});
  SeriesEncoder(&small).Add(5, model::Labels{{"x", "y"}});
  DecodedSeries decoded;
  ASSERT_TRUE(DecodeSeries(big, &decoded).ok());
  ASSERT_TRUE(DecodeSeries(small, &decoded).ok());
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(decoded.series()[0].ref, 5u);
  EXPECT_EQ(decoded.series()[0].labels[0].name, "x");
}

TEST(RecordTest, EveryTruncationIsCorruption) {
  std::string series;
  SeriesEncoder(&series).Add(12345, model::Labels{{"__name__", "up"}, {"job", "prometheus"}});
  std::string samples;
  SamplesEncoder enc(&samples);
  enc.Add(1, 1'700'000'000'000, 0.25);
  enc.Add(2, 1'700'000'000'000, 1e6);
  DecodedSeries decoded_series;
  std::vector<RefSample> decoded_samples;
  // A record cut after its type byte or a complete series or sample is itself valid; every other
  // cut is not.
  for (size_t n = 2; n < series.size(); ++n) {
    Status s = DecodeSeries(std::string_view(series).substr(0, n), &decoded_series);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << n;
    EXPECT_EQ(decoded_series.size(), 0u);
  }
  size_t first_sample_end = 0;
  for (size_t n = 1; n < samples.size(); ++n) {
    Status s = DecodeSamples(std::string_view(samples).substr(0, n), &decoded_samples);
    if (s.ok()) {
      EXPECT_EQ(decoded_samples.size(), n == 1 ? 0u : 1u) << n;
      if (n > 1) first_sample_end = n;
    } else {
      EXPECT_EQ(s.code(), Status::Code::kCorruption);
      EXPECT_TRUE(decoded_samples.empty());
    }
  }
  EXPECT_GT(first_sample_end, 1u);
}

TEST(RecordTest, ErrorsSayWhatAndWhere) {
  DecodedSeries series;
  std::vector<RefSample> samples;
  Status empty = DecodeSamples("", &samples);
  EXPECT_EQ(empty.message(), "samples record is empty");
  Status wrong_type = DecodeSeries("\x02", &series);
  EXPECT_EQ(wrong_type.message(), "series record has type 2, expected 1");
  // A label count far beyond what the record holds.
  Status count = DecodeSeries(std::string("\x01\x02\xff\xff\x03", 5), &series);
  EXPECT_EQ(count.code(), Status::Code::kCorruption);
  EXPECT_EQ(count.message(),
            "series record: label count is larger than the record can hold at byte 2");
  // A label value longer than the rest of the record.
  Status length = DecodeSeries(std::string("\x01\x02\x01\x01"
                                           "a\x09"
                                           "b",
                                           7),
                               &series);
  EXPECT_EQ(length.message(),
            "series record: label value is longer than the rest of the record at byte 5");
  // Eleven continuation bytes.
  Status overflow = DecodeSamples(std::string("\x02") + std::string(11, '\xff'), &samples);
  EXPECT_EQ(overflow.message(), "samples record: sample ref overflows 64 bits at byte 1");
  // An integral value beyond 2^48 cannot be written by the encoder.
  Status range =
      DecodeSamples(std::string("\x02\x00\x01\x80\x80\x80\x80\x80\x80\x80\x01", 11), &samples);
  EXPECT_EQ(range.message(), "samples record: sample value is an integer out of range at byte 3");
}

TEST(RecordTest, TypeOf) {
  EXPECT_EQ(TypeOf(""), RecordType::kInvalid);
  EXPECT_EQ(TypeOf("\x01"), RecordType::kSeries);
  EXPECT_EQ(TypeOf("\x02rest"), RecordType::kSamples);
  EXPECT_EQ(static_cast<int>(TypeOf("\x09")), 9);
}

}  // namespace
}  // namespace argus::tsdb::wal
