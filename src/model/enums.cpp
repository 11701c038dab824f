#include "model/enums.h"

#include <array>
#include <utility>

namespace cofin {
namespace {

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> parse_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view text) {
  for (const auto& [e, name] : table) {
    if (name == text) return e;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<Category, std::string_view>, 6> kCategories{{
    {Category::kStaff, "staff"},
    {Category::kOffice, "office"},
    {Category::kTravel, "travel"},
    {Category::kExternal, "external"},
    {Category::kEquipment, "equipment"},
    {Category::kInfrastructure, "infrastructure"},
}};

constexpr std::array<std::pair<LegalStatus, std::string_view>, 8> kStatuses{{
    {LegalStatus::kStateInstitution, "state-institution"},
    {LegalStatus::kDerivedPublicPerson, "derived-public-person"},
    {LegalStatus::kStateCompanyDelegated, "state-company-delegated"},
    {LegalStatus::kMunicipality, "municipality"},
    {LegalStatus::kMunicipalCompanyDelegated, "municipal-company-delegated"},
    {LegalStatus::kAssociationFoundation, "association-foundation"},
    {LegalStatus::kPrivateCompany, "private-company"},
    {LegalStatus::kOther, "other"},
}};

constexpr std::array<std::pair<FlatRateType, std::string_view>, 5> kFlatRates{{
    {FlatRateType::kStaffOnOtherDirect, "staff-on-other-direct"},
    {FlatRateType::kOfficeOnStaff, "office-on-staff"},
    {FlatRateType::kOfficeOnDirect, "office-on-direct"},
    {FlatRateType::kTravelOnStaff, "travel-on-staff"},
    {FlatRateType::kOtherOnStaff, "other-on-staff"},
}};

constexpr std::array<std::pair<StateBase, std::string_view>, 2> kStateBases{{
    {StateBase::kEligibleCosts, "eligible-costs"},
    {StateBase::kNationalContribution, "national-contribution"},
}};

constexpr std::array<std::pair<ShareRounding, std::string_view>, 2> kShareRoundings{{
    {ShareRounding::kPerReport, "per-report"},
    {ShareRounding::kCumulative, "cumulative"},
}};

constexpr std::array<std::pair<FlexBase, std::string_view>, 2> kFlexBases{{
    {FlexBase::kCategory, "category"},
    {FlexBase::kPartnerTotal, "partner-total"},
}};

constexpr std::array<std::pair<InboxMode, std::string_view>, 2> kInboxModes{{
    {InboxMode::kMove, "move"},
    {InboxMode::kKeep, "keep"},
}};

}  // namespace

std::string_view category_name(Category c) {
  return name_of(kCategories, c);
}
std::optional<Category> parse_category(std::string_view t) {
  return parse_of(kCategories, t);
}
std::string_view legal_status_name(LegalStatus s) {
  return name_of(kStatuses, s);
}
std::optional<LegalStatus> parse_legal_status(std::string_view t) {
  return parse_of(kStatuses, t);
}
std::string_view flat_rate_type_name(FlatRateType t) {
  return name_of(kFlatRates, t);
}
std::optional<FlatRateType> parse_flat_rate_type(std::string_view t) {
  return parse_of(kFlatRates, t);
}
std::string_view state_base_name(StateBase b) {
  return name_of(kStateBases, b);
}
std::optional<StateBase> parse_state_base(std::string_view t) {
  return parse_of(kStateBases, t);
}
std::string_view share_rounding_name(ShareRounding r) {
  return name_of(kShareRoundings, r);
}
std::optional<ShareRounding> parse_share_rounding(std::string_view t) {
  return parse_of(kShareRoundings, t);
}
std::string_view flex_base_name(FlexBase b) {
  return name_of(kFlexBases, b);
}
std::optional<FlexBase> parse_flex_base(std::string_view t) {
  return parse_of(kFlexBases, t);
}
std::string_view inbox_mode_name(InboxMode m) {
  return name_of(kInboxModes, m);
}
std::optional<InboxMode> parse_inbox_mode(std::string_view t) {
  return parse_of(kInboxModes, t);
}
std::string_view fund_name(Fund f) {
  return f == Fund::kErdf ? "erdf" : "state";
}

Category flat_rate_category(FlatRateType t) {
  switch (t) {
    case FlatRateType::kStaffOnOtherDirect:
      return Category::kStaff;
    case FlatRateType::kOfficeOnStaff:
    case FlatRateType::kOfficeOnDirect:
    case FlatRateType::kOtherOnStaff:
      return Category::kOffice;
    case FlatRateType::kTravelOnStaff:
      return Category::kTravel;
  }
  return Category::kOffice;
}

bool flat_rate_covers(FlatRateType t, Category c) {
  if (t == FlatRateType::kOtherOnStaff) return c != Category::kStaff;  // CPR Art. 56
  return flat_rate_category(t) == c;
}

}  // namespace cofin
