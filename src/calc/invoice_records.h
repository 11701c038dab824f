// What the duplicate check reads of a spilled line, kept beside the report's encoded lines
// (calc/line_spill.h): for each line with an invoice key, its number, supplier id, invoice
// number, currency, declared amount and invoice total. The check's second pass reads these for
// the lines whose invoice mark it suspects and skips the others by their length, so that it
// never decodes a report's lines (model/line_codec.h), which costs ten times as much.
//
// Pure functions, no I/O. Read back by the same build within the same run only, like the line
// encoding. Layout: one record per line with a key, in line order; a record is its body's
// length (LEB128) then the body: line number and declared cents (zigzag LEB128), a byte 0/1 for
// an invoice total and its cents (zigzag LEB128) when 1, then supplier id, invoice number and
// currency, each as length (LEB128) and bytes.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/report.h"
#include "rules/invoice_key.h"

namespace cofin {

// Appends to `out` the record of `line` when `mark`, its invoice mark, has a key; nothing
// otherwise. encode_invoice_records is this, line after line.
void encode_invoice_record(const ExpenseLine& line, InvoiceMark mark, std::string& out);

// Appends to `out` the records of the lines of `lines` whose mark has a key.
// REQUIRES: marks == invoice_marks(lines).
void encode_invoice_records(const std::vector<ExpenseLine>& lines,
                            const std::vector<InvoiceMark>& marks, std::string& out);

// Returns, in line order, the lines whose mark `keep` accepts among those encode_invoice_records
// wrote into `bytes` with `marks`: only their line, supplier_id, invoice_no, currency, declared
// and invoice_total are set. `keep` is asked only for marks with a key.
// Throws CorruptSpill (model/line_codec.h) unless `bytes` holds exactly one valid record for
// each mark with a key.
std::vector<ExpenseLine> decode_invoice_records(std::string_view bytes,
                                                const std::vector<InvoiceMark>& marks,
                                                const std::function<bool(InvoiceMark)>& keep);

}  // namespace cofin
