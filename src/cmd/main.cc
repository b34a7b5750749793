#include <cstdio>

int main() {
  std::puts("argus " ARGUS_VERSION);
  return 0;
}
