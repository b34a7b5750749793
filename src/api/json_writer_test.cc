#include "api/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace argus::api {
namespace {

std::string Value(double v) {
  std::string out;
  JsonWriter(&out).SampleValue(v);
  return out;
}

std::string Time(int64_t t) {
  std::string out;
  JsonWriter(&out).Timestamp(t);
  return out;
}

std::string Number(double d) {
  std::string out;
  JsonWriter(&out).Double(d);
  return out;
}

std::string Quoted(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

TEST(JsonWriterTest, SampleValuesAreShortestDecimalsInPlainNotationWithinGoLimits) {
  EXPECT_EQ(Value(1), R"("1")");
  EXPECT_EQ(Value(0), R"("0")");
  EXPECT_EQ(Value(-0.0), R"("-0")");
  EXPECT_EQ(Value(0.1), R"("0.1")");
  EXPECT_EQ(Value(1.0 / 3), R"("0.3333333333333333")");
  // Exponent notation only outside [1e-6, 1e21), unlike the exposition format's %g.
  EXPECT_EQ(Value(123456789), R"("123456789")");
  EXPECT_EQ(Value(1e20), R"("100000000000000000000")");
  EXPECT_EQ(Value(1e21), R"("1e+21")");
  EXPECT_EQ(Value(1.5e300), R"("1.5e+300")");
  EXPECT_EQ(Value(0.000001), R"("0.000001")");
  EXPECT_EQ(Value(1e-7), R"("1e-07")");
  EXPECT_EQ(Value(-2.5e-10), R"("-2.5e-10")");
  EXPECT_EQ(Value(5e-324), R"("5e-324")");
  EXPECT_EQ(Value(std::numeric_limits<double>::max()), R"("1.7976931348623157e+308")");
  EXPECT_EQ(Value(NAN), R"("NaN")");
  EXPECT_EQ(Value(INFINITY), R"("+Inf")");
  EXPECT_EQ(Value(-INFINITY), R"("-Inf")");
}

TEST(JsonWriterTest, TimestampsAreSecondsWithMilliseconds) {
  EXPECT_EQ(Time(1435781451781), "1435781451.781");
  EXPECT_EQ(Time(1435781451780), "1435781451.780");
  EXPECT_EQ(Time(1435781451005), "1435781451.005");
  EXPECT_EQ(Time(1435781451000), "1435781451");
  EXPECT_EQ(Time(0), "0");
  EXPECT_EQ(Time(5), "0.005");
  EXPECT_EQ(Time(-1500), "-1.500");
  EXPECT_EQ(Time(std::numeric_limits<int64_t>::min()), "-9223372036854775.808");
}

TEST(JsonWriterTest, NumbersFollowGoEncodingJson) {
  EXPECT_EQ(Number(0.050688943), "0.050688943");
  EXPECT_EQ(Number(2), "2");
  EXPECT_EQ(Number(1e-7), "1e-7");
  EXPECT_EQ(Number(1e21), "1e+21");
  EXPECT_EQ(Number(NAN), "0");
}

TEST(JsonWriterTest, StringsAreEscapedAsGoEscapesThem) {
  EXPECT_EQ(Quoted("plain"), R"("plain")");
  EXPECT_EQ(Quoted("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Quoted("line\nnext\ttab\r"), R"("line\nnext\ttab\r")");
  EXPECT_EQ(Quoted(std::string("nul\0bell\a", 9)), R"("nul\u0000bell\u0007")");
  EXPECT_EQ(Quoted("<a href=\"x\">&</a>"), R"("\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e")");
  EXPECT_EQ(Quoted("gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "\"gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  EXPECT_EQ(Quoted("bad \xFF end \xC3"), R"("bad \ufffd end \ufffd")");
  EXPECT_EQ(Quoted("overlong \xC0\xAF"), R"("overlong \ufffd\ufffd")");
  EXPECT_EQ(Quoted("surrogate \xED\xA0\x80"), R"("surrogate \ufffd\ufffd\ufffd")");
  EXPECT_EQ(Quoted("sep \xE2\x80\xA8 \xE2\x80\xA9"), R"("sep \u2028 \u2029")");
}

TEST(JsonWriterTest, AppendsToWhatIsThereAndGrowsAsNeeded) {
  std::string out = "prefix ";
  {
    JsonWriter w(&out);
    w.BeginArray();
    for (int i = 0; i < 10000; ++i) w.String("a string of some length");
    w.EndArray();
  }
  EXPECT_EQ(out.size(), 7 + 2 + 10000 * 26 - 1);
  EXPECT_TRUE(out.starts_with("prefix [\"a string"));
  EXPECT_TRUE(out.ends_with("length\"]"));
}

TEST(JsonWriterTest, PlacesCommasBetweenValuesAndKeysAtEachLevel) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("a");
  w.BeginArray();
  w.Int(1);
  w.Bool(true);
  w.BeginObject();
  w.EndObject();
  w.Point(1000, 2);
  w.EndArray();
  w.Key("b");
  w.Labels(model::Labels{{"__name__", "up"}, {"job", "a\"b"}});
  w.Key("c");
  w.Raw(R"({"x":1})");
  w.Key("d");
  w.BeginArray();
  w.EndArray();
  w.EndObject();
  w.Flush();
  EXPECT_EQ(out,
            R"({"a":[1,true,{},[1,"2"]],"b":{"__name__":"up","job":"a\"b"},"c":{"x":1},"d":[]})");
}

}  // namespace
}  // namespace argus::api
