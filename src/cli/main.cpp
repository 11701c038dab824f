#include <cstdio>
int main() {
  std::puts("cofin " COFIN_VERSION);
  return 0;
}
