// cofin_bench_xerces_floor: the XML floor of the benchmark (issue #6). Xerces-C SAX2 with XSD
// validation and an empty handler over every file of a directory: the same embedded schemas
// (cofin::embedded_schemas()), loaded into a locked XMLGrammarPoolImpl with full checking, and
// the same reader features as src/ingest/xml_parser.cpp's configure(), one reader per document
// as cofin creates one per parse. What cofin's XML ingest cannot be faster than.
//
//   cofin_bench_xerces_floor DIR [THREADS]
//
// Prints: files, bytes, validation errors (must be 0), seconds, MB/s, peak RSS.
#include <sys/resource.h>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/XMLUni.hpp>
#include <xercesc/validators/common/Grammar.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "ingest/xml_parser.h"

namespace cofin {
// Defined by the build (cmake/embed_schemas.cmake), as src/ingest/xml_parser.cpp declares it.
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_schemas();
}  // namespace cofin

namespace fs = std::filesystem;
namespace xc = xercesc;

namespace {

// The same value as src/ingest/xml_parser.cpp (kEntityExpansionLimit).
constexpr XMLSize_t kEntityExpansionLimit = 100;

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

class SchemaByName : public xc::EntityResolver {
 public:
  xc::InputSource* resolveEntity(const XMLCh* const, const XMLCh* const system_id) override {
    char* id = xc::XMLString::transcode(system_id);
    const std::string name = id;
    xc::XMLString::release(&id);
    for (const auto& [n, content] : cofin::embedded_schemas()) {
      if (n == name) {
        return new xc::MemBufInputSource(reinterpret_cast<const XMLByte*>(content.data()),
                                         content.size(), system_id, false);
      }
    }
    return new xc::MemBufInputSource(reinterpret_cast<const XMLByte*>(""), 0, system_id, false);
  }
};

void configure(xc::SAX2XMLReader& reader, xc::SecurityManager& security) {
  reader.setFeature(xc::XMLUni::fgSAX2CoreNameSpaces, true);
  reader.setFeature(xc::XMLUni::fgSAX2CoreNameSpacePrefixes, false);
  reader.setFeature(xc::XMLUni::fgSAX2CoreValidation, true);
  reader.setFeature(xc::XMLUni::fgXercesDynamic, false);
  reader.setFeature(xc::XMLUni::fgXercesSchema, true);
  reader.setFeature(xc::XMLUni::fgXercesLoadSchema, false);
  reader.setFeature(xc::XMLUni::fgXercesUseCachedGrammarInParse, true);
  reader.setFeature(xc::XMLUni::fgXercesCacheGrammarFromParse, false);
  reader.setFeature(xc::XMLUni::fgXercesLoadExternalDTD, false);
  reader.setFeature(xc::XMLUni::fgXercesDisableDefaultEntityResolution, true);
  reader.setFeature(xc::XMLUni::fgXercesValidationErrorAsFatal, false);
  reader.setFeature(xc::XMLUni::fgXercesIdentityConstraintChecking, true);
  reader.setProperty(xc::XMLUni::fgXercesSecurityManager, &security);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::string bytes(static_cast<std::size_t>(fs::file_size(path)), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.gcount() != static_cast<std::streamsize>(bytes.size())) {
    throw std::runtime_error("cannot read " + path.string());
  }
  return bytes;
}

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
    xc::XMLGrammarPoolImpl pool(xc::XMLPlatformUtils::fgMemoryManager);
    {
      xc::SecurityManager security;
      security.setEntityExpansionLimit(kEntityExpansionLimit);
      SchemaByName resolver;
      CountingHandler load_errors;
      std::unique_ptr<xc::SAX2XMLReader> loader(
          xc::XMLReaderFactory::createXMLReader(xc::XMLPlatformUtils::fgMemoryManager, &pool));
      configure(*loader, security);
      loader->setFeature(xc::XMLUni::fgXercesSchemaFullChecking, true);
      loader->setEntityResolver(&resolver);
      loader->setErrorHandler(&load_errors);
      for (const auto& [name, content] : cofin::embedded_schemas()) {
        XMLCh* wide = xc::XMLString::transcode(std::string(name).c_str());
        xc::MemBufInputSource source(reinterpret_cast<const XMLByte*>(content.data()),
                                     content.size(), wide, false);
        loader->loadGrammar(source, xc::Grammar::SchemaGrammarType, true);
        xc::XMLString::release(&wide);
      }
      if (load_errors.errors != 0) {
        std::cerr << "schemas do not load\n";
        return 1;
      }
    }
    pool.lockPool();

    const auto start = std::chrono::steady_clock::now();
    std::atomic<std::size_t> next{0};
    std::atomic<long> error_total{0};
    std::atomic<std::uintmax_t> byte_total{0};
    auto worker = [&] {
      for (std::size_t i = next++; i < files.size(); i = next++) {
        // Bytes read into memory first, as cofin's run does before load_document.
        const std::string content = read_file(files[i]);
        byte_total += content.size();
        xc::SecurityManager security;
        security.setEntityExpansionLimit(kEntityExpansionLimit);
        NoEntities resolver;
        CountingHandler handler;
        std::unique_ptr<xc::SAX2XMLReader> reader(
            xc::XMLReaderFactory::createXMLReader(xc::XMLPlatformUtils::fgMemoryManager, &pool));
        configure(*reader, security);
        reader->setFeature(xc::XMLUni::fgXercesSchemaFullChecking, false);
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
    for (unsigned t = 1; t < threads; ++t) pool_threads.emplace_back(worker);
    worker();
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
