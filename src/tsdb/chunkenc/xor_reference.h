#pragma once

// The Gorilla/XOR chunk as Prometheus writes it (delta-of-delta timestamps in four buckets, XOR
// of successive float64s with a reused leading/trailing-zero window), for the benchmark to
// measure the sealed format against. Not used by Argus itself.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace argus::tsdb {

// Appends the XOR chunk of the samples (at least one) to *out.
void EncodeXorChunk(std::span<const int64_t> t, std::span<const double> v, std::string* out);

// Decodes a chunk that EncodeXorChunk wrote (trusted input), replacing *t and *v.
void DecodeXorChunk(const std::string& chunk, std::vector<int64_t>* t, std::vector<double>* v);

}  // namespace argus::tsdb
