// The closed vocabularies of the input documents, with their spellings in XML and CSV.
#pragma once

#include <optional>
#include <string_view>

namespace cofin {

// Reg. (EU) 2021/1059 Art. 39-44: the six cost categories.
enum class Category { kStaff, kOffice, kTravel, kExternal, kEquipment, kInfrastructure };
inline constexpr Category kAllCategories[] = {Category::kStaff,     Category::kOffice,
                                              Category::kTravel,    Category::kExternal,
                                              Category::kEquipment, Category::kInfrastructure};

// Returns "staff", "office", "travel", "external", "equipment" or "infrastructure".
std::string_view category_name(Category c);
std::optional<Category> parse_category(std::string_view text);

// Cabinet Regulation No. 586 (2022): the legal statuses that decide Latvian state co-financing.
enum class LegalStatus {
  kStateInstitution,
  kDerivedPublicPerson,
  kStateCompanyDelegated,
  kMunicipality,
  kMunicipalCompanyDelegated,
  kAssociationFoundation,
  kPrivateCompany,
  kOther,
};
// Returns the spec's spelling, e.g. "state-institution", "municipality".
std::string_view legal_status_name(LegalStatus s);
std::optional<LegalStatus> parse_legal_status(std::string_view text);

// The five flat-rate types of CPR 2021/1060 Art. 54-56 and Reg. 2021/1059 Art. 41(5).
enum class FlatRateType {
  kStaffOnOtherDirect,  // CPR Art. 55(1): staff, up to 20 % of direct costs other than staff
  kOfficeOnStaff,       // CPR Art. 54(b): office, up to 15 % of direct staff costs
  kOfficeOnDirect,      // CPR Art. 54(a): office, up to 7 % of direct costs
  kTravelOnStaff,       // Reg. 2021/1059 Art. 41(5): travel, up to 15 % of direct staff costs
  kOtherOnStaff,        // CPR Art. 56: all other costs, up to 40 % of direct staff costs
};
// Returns "staff-on-other-direct", "office-on-staff", "office-on-direct", "travel-on-staff",
// "other-on-staff".
std::string_view flat_rate_type_name(FlatRateType t);
std::optional<FlatRateType> parse_flat_rate_type(std::string_view text);
// Returns the category whose costs the flat rate replaces (kOtherOnStaff: kOffice, as the
// representative; it covers every category but staff).
Category flat_rate_category(FlatRateType t);
// Returns true when real costs in `c` are covered by a flat rate of type `t` (double financing).
bool flat_rate_covers(FlatRateType t, Category c);

enum class StateBase { kEligibleCosts, kNationalContribution };
std::string_view state_base_name(StateBase b);  // "eligible-costs" | "national-contribution"
std::optional<StateBase> parse_state_base(std::string_view text);

enum class ShareRounding { kPerReport, kCumulative };
std::string_view share_rounding_name(ShareRounding r);  // "per-report" | "cumulative"
std::optional<ShareRounding> parse_share_rounding(std::string_view text);

enum class FlexBase { kCategory, kPartnerTotal };
std::string_view flex_base_name(FlexBase b);  // "category" | "partner-total"
std::optional<FlexBase> parse_flex_base(std::string_view text);

enum class InboxMode { kMove, kKeep };
std::string_view inbox_mode_name(InboxMode m);  // "move" | "keep"
std::optional<InboxMode> parse_inbox_mode(std::string_view text);

enum class Fund { kErdf, kState };
std::string_view fund_name(Fund f);  // "erdf" | "state"

}  // namespace cofin
