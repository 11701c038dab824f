// read_file_bytes (job/files.h) reads a whole file into storage sized from fstat and never
// zero-filled: every byte comes back, for files of every size, and for a source whose size
// fstat does not know (a FIFO), which the reader must grow into.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <string>
#include <thread>

#include "job/errors.h"
#include "job/files.h"
#include "support/process.h"

using namespace cofin;
using namespace cofin::testing;
namespace fs = std::filesystem;

namespace {

std::string pattern(std::size_t size) {
  std::string bytes;
  bytes.reserve(size);
  for (std::size_t i = 0; i < size; ++i) bytes += static_cast<char>((i * 7 + i / 251) % 256);
  return bytes;
}

}  // namespace

TEST_CASE("read_file_bytes returns every byte of files of every size", "[job]") {
  const fs::path dir = fresh_dir("file-bytes");
  for (const std::size_t size : {0u, 1u, 4095u, 4096u, 65535u, 65536u, 65537u, 300001u}) {
    INFO("size " << size);
    const std::string bytes = pattern(size);
    const fs::path path = dir / ("f" + std::to_string(size));
    std::ofstream(path, std::ios::binary) << bytes;
    const FileBytes read = read_file_bytes(path);
    CHECK(read.size() == size);
    CHECK(read.empty() == (size == 0));
    CHECK(read.view() == bytes);
    CHECK(read_file(path) == bytes);
  }
  CHECK_THROWS_AS(read_file_bytes(dir / "missing"), IoError);
  CHECK(FileBytes().view().empty());
}

TEST_CASE("read_file_bytes reads a source of unknown size to its end", "[job]") {
  // A FIFO has no size in fstat: the reader starts with one byte of room and must keep what it
  // read each time it grows.
  const fs::path dir = fresh_dir("file-bytes-fifo");
  const fs::path fifo = dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string bytes = pattern(200003);
  for (int reader = 0; reader < 2; ++reader) {
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << bytes; });
    const std::string read =
        reader == 0 ? std::string(read_file_bytes(fifo).view()) : read_file(fifo);
    writer.join();
    INFO("reader " << reader);
    CHECK(read.size() == bytes.size());
    CHECK(read == bytes);
  }
}

TEST_CASE("a moved-from FileBytes is empty, not a size without its bytes", "[files]") {
  const fs::path dir = fresh_dir("file-bytes-move");
  const fs::path path = dir / "bytes.bin";
  {
    std::ofstream out(path, std::ios::binary);
    out << pattern(1000);
  }
  FileBytes first = read_file_bytes(path);
  FileBytes second = std::move(first);
  CHECK(second.size() == 1000);
  CHECK(second.view() == pattern(1000));
  CHECK(first.size() == 0);  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  CHECK(first.empty());
  CHECK(first.view().empty());
  FileBytes third;
  third = std::move(second);
  CHECK(third.size() == 1000);
  CHECK(second.empty());  // NOLINT(bugprone-use-after-move)
}
