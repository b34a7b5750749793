// The main() of every test binary: puts where the build keeps things into the environment (unless
// the caller set it already), then runs the tests. Tests read ARGUS_SHARED_DIR (the conformance
// data), ARGUS_BINARY (the server) and ARGUS_SOURCE_DIR with std::getenv.

#include <gtest/gtest.h>

#include <cstdlib>

int main(int argc, char** argv) {
  setenv("ARGUS_SHARED_DIR", ARGUS_SHARED_DIR_DEFAULT, /*overwrite=*/0);
  setenv("ARGUS_BINARY", ARGUS_BINARY_DEFAULT, 0);
  setenv("ARGUS_SOURCE_DIR", ARGUS_SOURCE_DIR_DEFAULT, 0);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
