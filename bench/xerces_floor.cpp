// cofin_bench_xerces_floor: the XML floor of the benchmark (issue #6). Xerces-C SAX2 with XSD
// validation and an empty handler over every file of a directory: the grammar pool of cofin's own
// XmlContext (the embedded schemas, loaded with full checking and locked) and cofin's own reader
// configuration (configure_xml_reader), one reader per document and one XmlContext per thread,
// as cofin's ingest has. What cofin's XML ingest cannot be faster than.
//
//   cofin_bench_xerces_floor DIR [THREADS]
//
// Prints: files, bytes, validation errors (must be 0), seconds, MB/s, peak RSS.
#include <sys/resource.h>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/SecurityManager.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "ingest/xml_parser.h"
#include "job/files.h"

namespace fs = std::filesystem;
namespace xc = xercesc;

namespace {

class CountingHandler : public xc::DefaultHandler {
 public:
  void error(const xc::SAXParseException&) override { ++errors; }
  void fatalError(const xc::SAXParseException&) override { ++errors; }
  long errors = 0;
};

class NoEntities : public xc::EntityResolver {
 public:
  xc::InputSource* resolveEntity(const XMLCh* const, const XMLCh* const system_id) override {
    return new xc::MemBufInputSource(reinterpret_cast<const XMLByte*>(""), 0, system_id, false);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: cofin_bench_xerces_floor DIR [THREADS]\n";
    return 2;
  }
  const unsigned threads = argc > 2 ? static_cast<unsigned>(std::stoul(argv[2])) : 1;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(argv[1])) {
    if (entry.path().extension() == ".xml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  cofin::XercesRuntime runtime;  // the same initialisation as cofin (DTDs disabled)
  long errors = 0;
  std::uintmax_t bytes = 0;
  double seconds = 0;
  {
    // Each thread its own context, as cofin's job and compute benchmark have (so no grammar
    // pool is shared between threads).
    std::vector<std::unique_ptr<cofin::XmlContext>> contexts;
    for (unsigned t = 0; t < std::max(1u, threads); ++t) {
      contexts.push_back(std::make_unique<cofin::XmlContext>(runtime));
    }

    const auto start = std::chrono::steady_clock::now();
    std::atomic<std::size_t> next{0};
    std::atomic<long> error_total{0};
    std::atomic<std::uintmax_t> byte_total{0};
    auto worker = [&](const cofin::XmlContext* xml) {
      for (std::size_t i = next++; i < files.size(); i = next++) {
        // Bytes read into memory first, as cofin's run does before load_document.
        const std::string content = cofin::read_file(files[i]);
        byte_total += content.size();
        xc::SecurityManager security;
        NoEntities resolver;
        CountingHandler handler;
        std::unique_ptr<xc::SAX2XMLReader> reader(xc::XMLReaderFactory::createXMLReader(
            xc::XMLPlatformUtils::fgMemoryManager, &xml->grammar_pool()));
        // As cofin does: a control result's identity constraint is left to read_control_xml.
        const std::optional<std::string> ns = cofin::xml_root_namespace(content);
        cofin::configure_xml_reader(*reader, security,
                                    ns && *ns == cofin::kControlNamespace
                                        ? cofin::IdentityChecks::kCaller
                                        : cofin::IdentityChecks::kXerces);
        reader->setEntityResolver(&resolver);
        reader->setContentHandler(&handler);
        reader->setErrorHandler(&handler);
        xc::MemBufInputSource source(reinterpret_cast<const XMLByte*>(content.data()),
                                     content.size(), u"doc", false);
        try {
          reader->parse(source);
        } catch (const xc::SAXException&) {
          ++handler.errors;
        } catch (const xc::XMLException&) {
          ++handler.errors;
        }
        error_total += handler.errors;
      }
    };
    std::vector<std::thread> pool_threads;
    for (unsigned t = 1; t < threads; ++t) pool_threads.emplace_back(worker, contexts[t].get());
    worker(contexts[0].get());
    for (std::thread& t : pool_threads) t.join();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    errors = error_total;
    bytes = byte_total;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf(
      "files %zu bytes %ju errors %ld threads %u total_s %.3f mb_per_s %.1f peak_rss_mib %.1f\n",
      files.size(), bytes, errors, threads, seconds, bytes / 1e6 / seconds,
      usage.ru_maxrss / 1024.0);
  return errors == 0 ? 0 : 1;
}
