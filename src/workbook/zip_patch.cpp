// What libxlsxwriter 1.1.4 cannot do itself, done on the written xlsx as it is copied entry by
// entry to its final name:
//  - it has no format_set_quote_prefix (added in 1.1.5): xl/styles.xml is inflated, given
//    quotePrefix="1" on one cell format, and deflated again;
//  - it writes one workbook on one thread: the Lines sheets, written on a second thread into a
//    side workbook (workbook.cpp), replace the main workbook's empty placeholders, each entry
//    copied from the side file byte for byte (local header, data, descriptor, central record).
// Every other entry is copied byte for byte, so the result stays deterministic.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "workbook/sheet_writer.h"
#include "workbook/workbook.h"

namespace cofin::wb {

namespace {

constexpr std::uint32_t kLocalSig = 0x04034b50;
constexpr std::uint32_t kCentralSig = 0x02014b50;
constexpr std::uint32_t kEndSig = 0x06054b50;
constexpr std::size_t kLocalSize = 30;
constexpr std::size_t kCentralSize = 46;
constexpr std::size_t kEndSize = 22;
constexpr const char* kStylesEntry = "xl/styles.xml";

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

std::uint16_t get16(const unsigned char* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t get32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
void put16(unsigned char* p, std::uint32_t v) {
  p[0] = static_cast<unsigned char>(v);
  p[1] = static_cast<unsigned char>(v >> 8);
}
void put32(unsigned char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

struct Entry {
  std::vector<unsigned char> central;  // the whole central-directory record
  std::string name;
  std::uint32_t offset = 0;  // of its local header
  std::uint32_t next = 0;    // where the entry (data descriptor included) ends
};

// A zip file's central directory, read from its end.
struct Directory {
  std::vector<Entry> entries;      // in file order
  std::vector<unsigned char> end;  // the end-of-central-directory record
};

class Patcher {
 public:
  Patcher(const std::string& in, const std::string& out) : in_name_(in), out_name_(out) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw WorkbookError(in_name_ + ": finishing the written workbook: " + what);
  }

  void run(int xf_index, const std::string& side_name, const std::vector<std::string>& spliced) {
    in_ = open_read(in_name_);
    const Directory main = read_directory(in_.get(), in_name_);
    File side;
    std::vector<const Entry*> side_entries(main.entries.size(), nullptr);
    Directory side_dir;
    if (!spliced.empty()) {
      side = open_read(side_name);
      side_dir = read_directory(side.get(), side_name);
      for (const std::string& name : spliced) {
        const auto in_main = std::find_if(main.entries.begin(), main.entries.end(),
                                          [&](const Entry& e) { return e.name == name; });
        const auto in_side = std::find_if(side_dir.entries.begin(), side_dir.entries.end(),
                                          [&](const Entry& e) { return e.name == name; });
        if (in_main == main.entries.end()) fail("no " + name + " to replace");
        if (in_side == side_dir.entries.end()) fail(side_name + " has no " + name);
        side_entries[static_cast<std::size_t>(in_main - main.entries.begin())] = &*in_side;
      }
    }

    out_.reset(std::fopen(out_name_.c_str(), "wb"));
    if (!out_) fail("cannot create " + out_name_);
    std::vector<std::vector<unsigned char>> central;
    bool patched = false;
    for (std::size_t i = 0; i < main.entries.size(); ++i) {
      const auto new_offset = static_cast<std::uint32_t>(written_);
      if (const Entry* from_side = side_entries[i]) {
        copy_span(side.get(), side_name, from_side->offset, from_side->next - from_side->offset);
        central.push_back(from_side->central);
      } else if (main.entries[i].name == kStylesEntry) {
        Entry e = main.entries[i];
        rewrite_styles(e, xf_index);
        central.push_back(std::move(e.central));
        patched = true;
      } else {
        const Entry& e = main.entries[i];
        copy_span(in_.get(), in_name_, e.offset, e.next - e.offset);
        central.push_back(e.central);
      }
      put32(&central.back()[42], new_offset);
    }
    if (!patched) fail("no xl/styles.xml");

    std::vector<unsigned char> end = main.end;
    const auto new_cd_offset = static_cast<std::uint32_t>(written_);
    for (const std::vector<unsigned char>& c : central) write(c.data(), c.size());
    put32(&end[12], static_cast<std::uint32_t>(written_ - new_cd_offset));
    put32(&end[16], new_cd_offset);
    write(end.data(), end.size());
    if (std::fflush(out_.get()) != 0) fail("cannot write " + out_name_);
    std::FILE* f = out_.release();
    if (std::fclose(f) != 0) fail("cannot close " + out_name_);
  }

 private:
  File open_read(const std::string& name) const {
    File f(std::fopen(name.c_str(), "rb"));
    if (!f) fail("cannot open " + name);
    return f;
  }

  void read_at(std::FILE* f, const std::string& name, std::uint64_t offset, unsigned char* buf,
               std::size_t n) const {
    if (std::fseek(f, static_cast<long>(offset), SEEK_SET) != 0 || std::fread(buf, 1, n, f) != n) {
      fail("cannot read " + name);
    }
  }

  void write(const unsigned char* buf, std::size_t n) {
    if (n > 0 && std::fwrite(buf, 1, n, out_.get()) != n) fail("cannot write " + out_name_);
    written_ += n;
    if (written_ > 0xFFFFFFFFull) fail("file too large (zip64 not supported here)");
  }

  Directory read_directory(std::FILE* f, const std::string& name) const {
    if (std::fseek(f, 0, SEEK_END) != 0) fail("cannot seek in " + name);
    const long size = std::ftell(f);
    if (size < static_cast<long>(kEndSize)) fail(name + " is not a zip file");

    // End of central directory: the last signature within the final 64 KiB + 22 bytes.
    const std::size_t tail_size =
        static_cast<std::size_t>(std::min<long>(size, 65535 + static_cast<long>(kEndSize)));
    std::vector<unsigned char> tail(tail_size);
    read_at(f, name, static_cast<std::uint64_t>(size) - tail_size, tail.data(), tail_size);
    std::size_t end_pos = std::string::npos;
    for (std::size_t i = tail_size - kEndSize + 1; i-- > 0;) {
      if (get32(&tail[i]) == kEndSig) {
        end_pos = i;
        break;
      }
    }
    if (end_pos == std::string::npos) fail(name + ": no end of central directory");
    Directory dir;
    dir.end.assign(tail.begin() + static_cast<std::ptrdiff_t>(end_pos), tail.end());
    const std::uint16_t count = get16(&dir.end[10]);
    const std::uint32_t cd_size = get32(&dir.end[12]);
    const std::uint32_t cd_offset = get32(&dir.end[16]);
    if (count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
      fail(name + " is a zip64 file");
    }

    std::vector<unsigned char> cd(cd_size);
    read_at(f, name, cd_offset, cd.data(), cd_size);
    std::size_t p = 0;
    for (std::uint16_t i = 0; i < count; ++i) {
      if (p + kCentralSize > cd.size() || get32(&cd[p]) != kCentralSig) {
        fail(name + ": bad central record");
      }
      const std::size_t len =
          kCentralSize + get16(&cd[p + 28]) + get16(&cd[p + 30]) + get16(&cd[p + 32]);
      if (p + len > cd.size()) fail(name + ": bad central record");
      Entry e;
      e.central.assign(cd.begin() + static_cast<std::ptrdiff_t>(p),
                       cd.begin() + static_cast<std::ptrdiff_t>(p + len));
      e.name.assign(reinterpret_cast<const char*>(&cd[p + kCentralSize]), get16(&cd[p + 28]));
      e.offset = get32(&cd[p + 42]);
      dir.entries.push_back(std::move(e));
      p += len;
    }
    for (std::size_t i = 0; i < dir.entries.size(); ++i) {
      if (i > 0 && dir.entries[i].offset <= dir.entries[i - 1].offset) {
        fail(name + ": entries out of order");
      }
      dir.entries[i].next = i + 1 < dir.entries.size() ? dir.entries[i + 1].offset : cd_offset;
    }
    return dir;
  }

  void copy_span(std::FILE* f, const std::string& name, std::uint64_t offset, std::uint64_t n) {
    std::vector<unsigned char> buf(1 << 20);
    if (std::fseek(f, static_cast<long>(offset), SEEK_SET) != 0) fail("cannot seek in " + name);
    while (n > 0) {
      const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(n, buf.size()));
      if (std::fread(buf.data(), 1, chunk, f) != chunk) fail("cannot read " + name);
      write(buf.data(), chunk);
      n -= chunk;
    }
  }

  void rewrite_styles(Entry& e, int xf_index) {
    unsigned char local[kLocalSize];
    read_at(in_.get(), in_name_, e.offset, local, kLocalSize);
    if (get32(local) != kLocalSig) fail("bad local header");
    const std::uint16_t name_len = get16(&local[26]);
    const std::uint16_t extra_len = get16(&local[28]);
    const std::uint16_t method = get16(&e.central[10]);
    const std::uint32_t csize = get32(&e.central[20]);
    const std::uint32_t usize = get32(&e.central[24]);
    std::vector<unsigned char> data(csize);
    read_at(in_.get(), in_name_, e.offset + kLocalSize + name_len + extra_len, data.data(), csize);
    std::string xml;
    if (method == 0) {
      xml.assign(data.begin(), data.end());
    } else if (method == 8) {
      xml.resize(usize);
      z_stream zs{};
      if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) fail("inflateInit2");
      zs.next_in = data.data();
      zs.avail_in = csize;
      zs.next_out = reinterpret_cast<Bytef*>(xml.data());
      zs.avail_out = usize;
      const int rc = inflate(&zs, Z_FINISH);
      inflateEnd(&zs);
      if (rc != Z_STREAM_END || zs.total_out != usize) fail("cannot inflate xl/styles.xml");
    } else {
      fail("unknown compression method");
    }

    // The xf_index-th <xf> in <cellXfs> gets quotePrefix="1".
    std::size_t pos = xml.find("<cellXfs");
    const std::size_t end = xml.find("</cellXfs>");
    if (pos == std::string::npos || end == std::string::npos) fail("no <cellXfs>");
    for (int i = 0; i <= xf_index; ++i) {
      pos = xml.find("<xf ", pos + 1);
      if (pos == std::string::npos || pos > end) fail("no cell format " + std::to_string(xf_index));
    }
    xml.insert(pos + 3, " quotePrefix=\"1\"");

    const auto new_usize = static_cast<std::uint32_t>(xml.size());
    const auto crc = static_cast<std::uint32_t>(
        crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(xml.data()), new_usize));
    std::vector<unsigned char> packed(deflateBound(nullptr, new_usize) + 64);
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      fail("deflateInit2");
    }
    zs.next_in = reinterpret_cast<Bytef*>(xml.data());
    zs.avail_in = new_usize;
    zs.next_out = packed.data();
    zs.avail_out = static_cast<uInt>(packed.size());
    const int rc = deflate(&zs, Z_FINISH);
    const auto new_csize = static_cast<std::uint32_t>(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) fail("cannot deflate xl/styles.xml");

    // New local header: sizes known up front (no data descriptor), no extra field.
    const std::uint16_t flags = get16(&local[6]) & static_cast<std::uint16_t>(~0x0008u);
    put16(&local[6], flags);
    put16(&local[8], 8);
    put32(&local[14], crc);
    put32(&local[18], new_csize);
    put32(&local[22], new_usize);
    put16(&local[26], static_cast<std::uint32_t>(e.name.size()));
    put16(&local[28], 0);
    write(local, kLocalSize);
    write(reinterpret_cast<const unsigned char*>(e.name.data()), e.name.size());
    write(packed.data(), new_csize);

    put16(&e.central[8], flags);
    put16(&e.central[10], 8);
    put32(&e.central[16], crc);
    put32(&e.central[20], new_csize);
    put32(&e.central[24], new_usize);
  }

  std::string in_name_;
  std::string out_name_;
  File in_;
  File out_;
  std::uint64_t written_ = 0;
};

}  // namespace

void finish_xlsx(const std::string& in, const std::string& out, int xf_index,
                 const std::string& side, const std::vector<std::string>& spliced) {
  if (xf_index < 0) throw WorkbookError(in + ": quote-prefix format has no index");
  Patcher(in, out).run(xf_index, side, spliced);
}

}  // namespace cofin::wb
