#include "workbook/workbook.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <system_error>
#include <thread>
#include <vector>

#include "workbook/sheet_writer.h"

namespace cofin {

namespace {

using namespace wb;

struct WorkbookFree {
  void operator()(lxw_workbook* w) const { lxw_workbook_free(w); }
};

// Removes the temporary files it names unless the write succeeded.
class TempFiles {
 public:
  explicit TempFiles(std::vector<std::filesystem::path> paths) : paths_(std::move(paths)) {}
  TempFiles(const TempFiles&) = delete;
  TempFiles& operator=(const TempFiles&) = delete;
  ~TempFiles() {
    for (const auto& p : paths_) {
      std::error_code ec;
      std::filesystem::remove(p, ec);
    }
  }

 private:
  std::vector<std::filesystem::path> paths_;
};

lxw_format* add_format(lxw_workbook* w, const std::string& file) {
  lxw_format* f = workbook_add_format(w);
  if (f == nullptr) throw WorkbookError(file + ": cannot add a cell format");
  return f;
}

Formats make_formats(lxw_workbook* w, const std::string& file) {
  constexpr const char* kAmount = "#,##0.00";
  constexpr const char* kCount = "#,##0";
  Formats f;
  f.header = add_format(w, file);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xD9E1F2);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_TOP);

  f.total_label = add_format(w, file);
  format_set_bold(f.total_label);
  f.label = f.total_label;
  f.total_amount = add_format(w, file);
  format_set_bold(f.total_amount);
  format_set_num_format(f.total_amount, kAmount);
  f.total_count = add_format(w, file);
  format_set_bold(f.total_count);
  format_set_num_format(f.total_count, kCount);

  f.amount = add_format(w, file);
  format_set_num_format(f.amount, kAmount);
  f.count = add_format(w, file);
  format_set_num_format(f.count, kCount);
  f.date = add_format(w, file);
  format_set_num_format(f.date, "yyyy-mm-dd");
  f.percent = add_format(w, file);
  format_set_num_format(f.percent, "0.00%");
  f.rate = add_format(w, file);
  format_set_num_format(f.rate, "0.000000");
  f.link = add_format(w, file);
  format_set_font_color(f.link, LXW_COLOR_BLUE);
  format_set_underline(f.link, LXW_UNDERLINE_SINGLE);

  // Unique among the formats (left alignment is no other format's only property), so its cell
  // format index is its own; quotePrefix is added to that index after close (zip_patch.cpp).
  f.quoted = add_format(w, file);
  format_set_align(f.quoted, LXW_ALIGN_LEFT);

  f.bad = add_format(w, file);
  format_set_bg_color(f.bad, 0xFFC7CE);
  format_set_font_color(f.bad, 0x9C0006);
  f.warn = add_format(w, file);
  format_set_bg_color(f.warn, 0xFFEB9C);
  format_set_font_color(f.warn, 0x9C5700);

  // Every format gets its index now, in this order, whichever sheet uses it first: the Lines
  // sheets written into a side workbook (write_workbook) then refer to the same cell and
  // conditional formats as the workbook they are copied into.
  for (lxw_format* cell : {f.header, f.total_label, f.total_amount, f.total_count, f.amount,
                           f.count, f.date, f.percent, f.rate, f.link, f.quoted}) {
    lxw_format_get_xf_index(cell);
  }
  for (lxw_format* conditional : {f.bad, f.warn}) lxw_format_get_dxf_index(conditional);
  return f;
}

void fsync_file(const std::filesystem::path& p, const std::string& file) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw WorkbookError(file + ": cannot reopen the written file to sync it");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw WorkbookError(file + ": cannot sync the written file");
}

// Constant-memory mode keeps each sheet's XML in an unlinked temporary file until the close; a
// generous estimate of what that takes, so a full disk is reported before hours of work.
constexpr std::uintmax_t kTempBytesPerRow = 2048;
constexpr std::uintmax_t kTempBytesReserve = 64ull << 20;

void check_free_space(const std::filesystem::path& dir, std::size_t rows, const std::string& file) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) {
    throw WorkbookError(file + ": cannot query free space of " + dir.string());
  }
  const std::uintmax_t free = static_cast<std::uintmax_t>(st.f_bavail) * st.f_frsize;
  const std::uintmax_t need = kTempBytesReserve + kTempBytesPerRow * rows;
  if (free < need) {
    throw WorkbookError(file + ": " + dir.string() + " has " + std::to_string(free >> 20) +
                        " MiB free; writing " + std::to_string(rows) + " rows needs about " +
                        std::to_string(need >> 20) + " MiB of temporary space");
  }
}

// One libxlsxwriter workbook: created with the run's options and deterministic properties,
// freed unless closed.
class Book {
 public:
  Book(const std::filesystem::path& written, const RunOutcome& outcome, bool constant_memory,
       const std::string& tmpdir, const std::string& file)
      : tmpdir_(tmpdir) {
    lxw_workbook_options lxw_options{};
    lxw_options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
    lxw_options.tmpdir = tmpdir_.empty() ? nullptr : tmpdir_.data();
    lxw_options.use_zip64 = LXW_FALSE;
    book_.reset(workbook_new_opt(written.c_str(), &lxw_options));
    if (!book_) throw WorkbookError(file + ": cannot create the workbook");

    // Deterministic properties: created = the as-of date at 00:00 UTC, no other time source.
    std::string title =
        "cofin reconciliation " + outcome.job_name + " " + outcome.as_of.to_string();
    std::string author = "cofin " + outcome.version;
    std::string comments = "run " + outcome.run_id;
    lxw_doc_properties props{};
    props.title = title.data();
    props.author = author.data();
    props.comments = comments.data();
    props.created = static_cast<std::time_t>(outcome.as_of.days_since_epoch()) * 86400;
    if (const lxw_error err = workbook_set_properties(book_.get(), &props); err != LXW_NO_ERROR) {
      throw WorkbookError(file + ": document properties: " + lxw_strerror(err));
    }
  }

  // Returns a context for this workbook's sheets, its formats made; the sources and pages are
  // the caller's to set.
  Context context(const RunOutcome& outcome, const WorkbookOptions& options,
                  const std::string& file) {
    Context ctx;
    ctx.workbook = book_.get();
    ctx.file = file;
    ctx.outcome = &outcome;
    ctx.audit_head = options.audit_head;
    ctx.formats = make_formats(book_.get(), file);
    return ctx;
  }

  // Writes the file. Throws WorkbookError.
  void close(const std::string& file) {
    // workbook_close writes the file and frees the workbook, even on error.
    if (const lxw_error err = workbook_close(book_.release()); err != LXW_NO_ERROR) {
      throw WorkbookError(file + ": cannot write the workbook: " + lxw_strerror(err));
    }
  }

 private:
  std::string tmpdir_;  // libxlsxwriter keeps the pointer
  std::unique_ptr<lxw_workbook, WorkbookFree> book_;
};

}  // namespace

bool uses_constant_memory(const RunOutcome& outcome, const WorkbookOptions& options) {
  return options.constant_memory ||
         line_count(outcome) + finding_count(outcome) >= options.constant_memory_from_rows;
}

std::string workbook_file_name(const std::string& job_name, const Date& as_of) {
  return job_name + "-" + as_of.to_string() + ".xlsx";
}

void write_workbook(const RunOutcome& outcome, const std::filesystem::path& path,
                    const WorkbookOptions& options) {
  const std::string file = path.string();
  if (path.filename().empty()) throw WorkbookError(file + ": not a file name");
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw WorkbookError(file + ": output directory " + dir.string() + " does not exist");
  }

  if (options.max_rows_per_sheet <= kFirstDataRow ||
      options.max_rows_per_sheet > static_cast<std::size_t>(LXW_ROW_MAX)) {
    throw WorkbookError(file + ": " + std::to_string(options.max_rows_per_sheet) +
                        " rows per sheet is outside 3 to 1,048,576");
  }
  if (outcome.reports.size() > static_cast<std::size_t>(LXW_ROW_MAX) - kFirstDataRow) {
    throw WorkbookError(file + ": " + std::to_string(outcome.reports.size()) +
                        " partner reports do not fit the Summary sheet");
  }
  const bool constant_memory = uses_constant_memory(outcome, options);
  const std::filesystem::path tmp_path = options.tmpdir.empty() ? dir : options.tmpdir;
  if (constant_memory) {
    if (!std::filesystem::is_directory(tmp_path, ec)) {
      // libxlsxwriter would quietly keep every row in memory instead.
      throw WorkbookError(file + ": temporary directory " + tmp_path.string() + " does not exist");
    }
    check_free_space(tmp_path, line_count(outcome) + finding_count(outcome), file);
  }

  // Hidden names in the target directory, so the rename is atomic and watchers skip them.
  const std::string stem = "." + path.filename().string() + "." + std::to_string(::getpid());
  const std::filesystem::path written = dir / (stem + ".part");
  const std::filesystem::path lines_written = dir / (stem + ".lines.part");
  const std::filesystem::path patched = dir / (stem + ".tmp");
  TempFiles cleanup({written, lines_written, patched});

  const std::string tmpdir = constant_memory ? tmp_path.string() : std::string();
  const std::shared_ptr<const LineSource> line_source = lines_of(outcome);
  const Pages line_pages(kLinesSheet, line_source->size(), kFirstDataRow,
                         options.max_rows_per_sheet);
  // libxlsxwriter writes a workbook on one thread, and the Lines sheets are most of its work
  // (at 1M lines about 22 of its 26 million cells: their rows, then deflating them at the
  // close, bench/RESULTS.md). In constant-memory
  // mode they are written on a second thread into a side workbook whose first sheets mirror the
  // main one's (a placeholder `Summary`, then the same `Lines` pages, so the same entry names),
  // with the same formats in the same order (make_formats gives every format its index up
  // front), and each sheet's entry is copied into the main file byte for byte. The file is the
  // one a single thread writes (tests/workbook/workbook_test.cpp compares them byte for byte).
  // Not in the default mode: there cells refer to the workbook's shared-string table.
  const bool split_lines = constant_memory && options.split_lines;

  std::exception_ptr lines_error;
  std::thread lines_writer;
  if (split_lines) {
    lines_writer = std::thread([&] {
      try {
        Book side(lines_written, outcome, constant_memory, tmpdir, file);
        Context ctx = side.context(outcome, options, file);
        ctx.line_source = line_source;
        ctx.lines = line_pages;
        Sheet placeholder(ctx, kSummarySheet);
        write_lines_sheets(ctx);
        side.close(file);
      } catch (...) {
        // Rethrown on the calling thread below, never swallowed.
        lines_error = std::current_exception();
      }
    });
  }
  // Joins the side writer on every path out of here, so it never outlives what it reads.
  struct Joiner {
    std::thread& t;
    ~Joiner() {
      if (t.joinable()) t.join();
    }
  } joiner{lines_writer};

  Book main(written, outcome, constant_memory, tmpdir, file);
  Context ctx = main.context(outcome, options, file);
  ctx.line_source = line_source;
  ctx.lines = line_pages;
  ctx.lines_placeholders = split_lines;
  ctx.finding_source = findings_of(outcome);
  ctx.findings =
      Pages(kFindingsSheet, ctx.finding_source->size(), kFirstDataRow, options.max_rows_per_sheet);
  const int quoted_xf = lxw_format_get_xf_index(ctx.formats.quoted);

  write_summary_sheet(ctx);
  write_lines_sheets(ctx);
  write_findings_sheets(ctx);
  write_budget_sheet(ctx);
  write_cofinancing_sheet(ctx);
  write_payments_sheet(ctx);
  write_deductions_sheet(ctx);
  write_rates_sheet(ctx);
  write_audit_sheet(ctx);
  main.close(file);

  std::vector<std::string> spliced;
  if (split_lines) {
    lines_writer.join();
    if (lines_error) std::rethrow_exception(lines_error);
    // The Lines pages are sheets 2 .. 1 + pages in both files (Summary is sheet 1).
    for (std::size_t page = 0; page < line_pages.count(); ++page) {
      spliced.push_back("xl/worksheets/sheet" + std::to_string(page + 2) + ".xml");
    }
  }
  finish_xlsx(written.string(), patched.string(), quoted_xf, lines_written.string(), spliced);
  fsync_file(patched, file);
  std::filesystem::rename(patched, path, ec);
  if (ec) throw WorkbookError(file + ": cannot rename the written workbook: " + ec.message());
}

}  // namespace cofin
