#include "calc/line_spill.h"

#include "model/line_codec.h"

namespace cofin {

std::shared_ptr<const SpilledLines> spill_lines(const std::shared_ptr<Spill>& file,
                                                PartnerReport& report) {
  return spill_vector(file, report.lines, &encode_lines, &decode_lines, "lines");
}

}  // namespace cofin
