#include "tsdb/wal/reader.h"

#include <gtest/gtest.h>

#include "tsdb/wal/frame.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/wal_testing.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb::wal {
namespace {

using wal_test::ReadFile;
using wal_test::Replay;
using wal_test::TestRecord;
using wal_test::WriteFile;

// A WAL of three segments of three records each, kept as bytes so that each case of a test
// damages a fresh copy.
class DamagedWalTest : public ::testing::Test {
 protected:
  static constexpr int kSegments = 3;
  static constexpr size_t kSizes[] = {20, 27, 33};

  void SetUp() override {
    dir_ = tmp_.path() / "wal";
    auto w = Writer::Open(dir_);
    ASSERT_TRUE(w.ok());
    for (int s = 0; s < kSegments; ++s) {
      for (size_t size : kSizes) {
        records_.push_back(TestRecord(static_cast<int>(records_.size()), size));
        ASSERT_TRUE((*w)->Log({records_.back()}).ok());
      }
      if (s + 1 < kSegments) ASSERT_TRUE((*w)->NextSegment().ok());
    }
    ASSERT_TRUE((*w)->Close().ok());
    for (int s = 0; s < kSegments; ++s) segments_.push_back(ReadFile(SegmentPath(dir_, s)));
  }

  // Puts the pristine segments back, with segment `s` replaced by `bytes`; leaves alone the
  // pristine ones still in place.
  void Restore(int s, const std::string& bytes) {
    for (int i = 0; i < kSegments; ++i) {
      auto path = SegmentPath(dir_, i);
      std::error_code ec;
      if (i == s || std::filesystem::file_size(path, ec) != segments_[i].size()) {
        WriteFile(path, i == s ? bytes : segments_[i]);
      }
    }
  }

  // The frame of segment `s` that holds byte `offset`, and where it starts.
  static std::pair<int, size_t> FrameAt(size_t offset) {
    size_t start = 0;
    for (int f = 0; f < 3; ++f) {
      size_t end = start + kFrameHeaderSize + kSizes[f];
      if (offset < end) return {f, start};
      start = end;
    }
    return {3, start};
  }
  // The records of the WAL without those of segment `s` whose frame is in [first, last].
  std::vector<std::string> RecordsWithout(int s, int first, int last) const {
    std::vector<std::string> out;
    for (size_t i = 0; i < records_.size(); ++i) {
      int seg = static_cast<int>(i) / 3, f = static_cast<int>(i) % 3;
      if (seg != s || f < first || f > last) out.push_back(records_[i]);
    }
    return out;
  }

  wal_test::LogCapture quiet_;  // Repairs say what they cut, hundreds of times here.
  wal_test::ScratchDir tmp_;
  std::filesystem::path dir_;
  std::vector<std::string> records_;
  std::vector<std::string> segments_;
};

TEST_F(DamagedWalTest, ReadsCleanly) {
  auto got = Replay(dir_);
  EXPECT_EQ(got.records, records_);
  EXPECT_TRUE(got.corruptions.empty());
  EXPECT_TRUE(got.status.ok());
}

TEST_F(DamagedWalTest, LastSegmentCutAtEveryOffsetIsATornTailThatOpenRepairs) {
  const int last = kSegments - 1;
  const std::string& full = segments_[last];
  for (size_t cut = 0; cut <= full.size(); ++cut) {
    SCOPED_TRACE(cut);
    ASSERT_TRUE(std::filesystem::remove_all(dir_) > 0);
    std::filesystem::create_directories(dir_);
    Restore(last, full.substr(0, cut));
    auto [frame, start] = FrameAt(cut);
    bool torn = cut != start;
    auto got = Replay(dir_);
    EXPECT_EQ(got.records, RecordsWithout(last, frame, 2));
    ASSERT_EQ(got.corruptions.size(), torn ? 1u : 0u);
    if (torn) {
      EXPECT_TRUE(got.corruptions[0].torn_tail);
      EXPECT_EQ(got.corruptions[0].segment, SegmentPath(dir_, last));
      EXPECT_EQ(got.corruptions[0].offset, start);
      EXPECT_EQ(got.corruptions[0].lost_bytes, cut - start);
    }

    auto w = Writer::Open(dir_);
    ASSERT_TRUE(w.ok()) << w.status().message();
    EXPECT_EQ(std::filesystem::file_size(SegmentPath(dir_, last)), start);
    EXPECT_EQ((*w)->metrics().corruptions.Value(), torn ? 1 : 0);
    ASSERT_TRUE((*w)->Log({TestRecord(1000)}).ok());
    std::vector<std::string> want = RecordsWithout(last, frame, 2);
    want.push_back(TestRecord(1000));
    got = Replay(dir_);
    EXPECT_EQ(got.records, want);
    EXPECT_TRUE(got.corruptions.empty());
  }
}

TEST_F(DamagedWalTest, MiddleSegmentCutAtEveryOffsetIsReportedAndLaterSegmentsLoad) {
  const std::string& full = segments_[1];
  for (size_t cut = 0; cut < full.size(); ++cut) {
    SCOPED_TRACE(cut);
    Restore(1, full.substr(0, cut));
    auto [frame, start] = FrameAt(cut);
    auto got = Replay(dir_);
    EXPECT_EQ(got.records, RecordsWithout(1, frame, 2));
    if (cut == start) {
      EXPECT_TRUE(got.corruptions.empty());
      continue;
    }
    ASSERT_EQ(got.corruptions.size(), 1u);
    EXPECT_FALSE(got.corruptions[0].torn_tail);
    EXPECT_EQ(got.corruptions[0].segment, SegmentPath(dir_, 1));
    EXPECT_EQ(got.corruptions[0].offset, start);
    EXPECT_EQ(got.corruptions[0].what, "the segment ends inside a frame");
  }
}

TEST_F(DamagedWalTest, EveryByteFlippedInAMiddleSegmentIsFound) {
  const std::string& full = segments_[1];
  for (size_t offset = 0; offset < full.size(); ++offset) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      SCOPED_TRACE(::testing::Message() << "offset " << offset << " mask " << int{mask});
      std::string damaged = full;
      damaged[offset] ^= static_cast<char>(mask);
      Restore(1, damaged);
      auto [frame, start] = FrameAt(offset);
      bool in_header = offset - start < kFrameHeaderSize;
      auto got = Replay(dir_);
      // A damaged header loses the rest of its segment; a damaged record only itself.
      EXPECT_EQ(got.records, RecordsWithout(1, frame, in_header ? 2 : frame));
      ASSERT_EQ(got.corruptions.size(), 1u);
      const Corruption& c = got.corruptions[0];
      EXPECT_EQ(c.segment, SegmentPath(dir_, 1));
      EXPECT_EQ(c.offset, start);
      EXPECT_FALSE(c.torn_tail);
      EXPECT_EQ(c.lost_bytes, in_header ? full.size() - start : kFrameHeaderSize + kSizes[frame]);
      EXPECT_EQ(c.what, in_header ? "frame header checksum mismatch" : "record checksum mismatch");
    }
  }
}

TEST_F(DamagedWalTest, EveryByteFlippedInTheLastSegmentIsCutByOpenOnlyWhenAtTheTail) {
  const int last = kSegments - 1;
  const std::string& full = segments_[last];
  for (size_t offset = 0; offset < full.size(); ++offset) {
    SCOPED_TRACE(offset);
    ASSERT_TRUE(std::filesystem::remove_all(dir_) > 0);
    std::filesystem::create_directories(dir_);
    std::string damaged = full;
    damaged[offset] ^= 0x10;
    Restore(last, damaged);
    auto [frame, start] = FrameAt(offset);
    bool in_header = offset - start < kFrameHeaderSize;
    auto before = Replay(dir_);
    ASSERT_EQ(before.corruptions.size(), 1u);
    EXPECT_FALSE(before.corruptions[0].torn_tail);

    // Open cuts from the end of the last intact record: a damaged header and everything after
    // it, or a damaged last record, but not a damaged record that intact ones follow.
    auto w = Writer::Open(dir_);
    ASSERT_TRUE(w.ok());
    bool cut = in_header || frame == 2;
    EXPECT_EQ(std::filesystem::file_size(SegmentPath(dir_, last)), cut ? start : full.size());
    EXPECT_EQ((*w)->metrics().corruptions.Value(), cut ? 1 : 0);
    auto after = Replay(dir_);
    EXPECT_EQ(after.records, RecordsWithout(last, frame, in_header ? 2 : frame));
    EXPECT_EQ(after.corruptions.size(), cut ? 0u : 1u);
  }
}

TEST_F(DamagedWalTest, MissingSegmentIsReported) {
  std::filesystem::remove(SegmentPath(dir_, 1));
  auto got = Replay(dir_);
  EXPECT_EQ(got.records, RecordsWithout(1, 0, 2));
  ASSERT_EQ(got.corruptions.size(), 1u);
  EXPECT_EQ(got.corruptions[0].segment, SegmentPath(dir_, 1));
  EXPECT_EQ(got.corruptions[0].what, "the segment is missing");
  EXPECT_EQ(got.corruptions[0].ToString(),
            "segment=" + SegmentPath(dir_, 1).string() +
                " offset=0 lost_bytes=0 torn_tail=false what=\"the segment is missing\"");
}

TEST_F(DamagedWalTest, FirstSegmentsTruncatedAwayAreNotMissing) {
  std::filesystem::remove(SegmentPath(dir_, 0));
  auto got = Replay(dir_);
  EXPECT_EQ(got.records, RecordsWithout(0, 0, 2));
  EXPECT_TRUE(got.corruptions.empty());
}

TEST(ReaderTest, AnUnreadableSegmentIsAnIOError) {
  wal_test::ScratchDir tmp;
  Reader reader({tmp.path() / "00000000"});
  EXPECT_FALSE(reader.Next());
  EXPECT_EQ(reader.status().code(), Status::Code::kIOError);
  EXPECT_NE(reader.status().message().find("00000000"), std::string::npos);
}

TEST(ReaderTest, TellsWhereEachRecordIs) {
  wal_test::ScratchDir tmp;
  auto w = Writer::Open(tmp.path());
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Log({TestRecord(0, 30), TestRecord(1, 40)}).ok());
  auto reader = Reader::ForReplay(tmp.path());
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(reader->Next());
  EXPECT_EQ(reader->segment(), SegmentPath(tmp.path(), 0));
  EXPECT_EQ(reader->offset(), 0u);
  ASSERT_TRUE(reader->Next());
  EXPECT_EQ(reader->offset(), kFrameHeaderSize + 30);
  EXPECT_FALSE(reader->Next());
}

TEST(SegmentReaderTest, FollowsASegmentBeingWritten) {
  wal_test::ScratchDir tmp;
  auto path = tmp.path() / "00000000";
  std::string frames;
  AppendFrame(TestRecord(0), &frames);
  AppendFrame(TestRecord(1), &frames);
  WriteFile(path, frames.substr(0, kFrameHeaderSize + 20 + 5));
  auto reader = SegmentReader::Open(path);
  ASSERT_TRUE(reader.ok());
  ASSERT_EQ((*reader)->Next(), SegmentReader::Event::kRecord);
  EXPECT_EQ((*reader)->record(), TestRecord(0));
  ASSERT_EQ((*reader)->Next(), SegmentReader::Event::kTornTail);
  EXPECT_EQ((*reader)->lost_bytes(), 5u);
  WriteFile(path, frames);  // The rest of the write arrives.
  ASSERT_EQ((*reader)->Next(), SegmentReader::Event::kRecord);
  EXPECT_EQ((*reader)->record(), TestRecord(1));
  EXPECT_EQ((*reader)->Next(), SegmentReader::Event::kEnd);
}

}  // namespace
}  // namespace argus::tsdb::wal
