#pragma once

#include <cstdio>
#include <cstdlib>

// CHECK(cond) aborts with the failed condition when an invariant does not hold. It is for bugs in
// Argus, never for bad input from outside, which gets a Status instead.
#define CHECK(cond)                                                                 \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)

#ifdef NDEBUG
#define DCHECK(cond) \
  do {               \
  } while (false && (cond))
#else
#define DCHECK(cond) CHECK(cond)
#endif
