#include "calc/control_spill.h"

#include "model/line_codec.h"

namespace cofin {

std::shared_ptr<const SpilledDecisions> spill_decisions(const std::shared_ptr<Spill>& file,
                                                        ControlResult& control) {
  return spill_vector(file, control.decisions, &encode_decisions, &decode_decisions, "decisions");
}

}  // namespace cofin
