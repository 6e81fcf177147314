// The registration domain: what a team manager's /trigger call asks for, its validation rules,
// and the record the handler keeps.
//
// Owned by core; pure functions and values, no threading concerns.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/clock.h"

namespace twin::core {

enum class RegistrationStatus { kPending, kReplied };
std::string_view to_string(RegistrationStatus status);

// A validated registration request (all strings trimmed, fees in pence/cents).
struct RegistrationRequest {
  std::string player_first_name;
  std::string player_last_name;
  std::string team_name;
  std::string age_group;  // "u11s"
  std::string manager_full_name;
  std::string current_registration_season;  // "2025-26"
  std::string parent_first_name;
  std::string parent_last_name;
  std::string parent_tel;  // E.164, "+447700900123"
  std::int64_t membership_fee_cents = 0;
  std::int64_t subscription_fee_cents = 0;
};

struct Registration {
  std::string registration_id;
  RegistrationRequest request;
  RegistrationStatus status = RegistrationStatus::kPending;
  bool invitation_sent = false;
  TimeUs created_at_us = 0;
  TimeUs updated_at_us = 0;
};

// One bad field of a registration request.
struct FieldError {
  std::string field;
  std::string error;
  bool operator==(const FieldError&) const = default;
};

// Named limits of the registration payload.
inline constexpr std::size_t kNameLengthMax = 50;          // characters, first or last name
inline constexpr std::size_t kTeamNameLengthMax = 60;      // characters
inline constexpr std::size_t kManagerNameLengthMax = 100;  // characters
inline constexpr std::int64_t kFeeCentsMax = 100'000'00;   // 100,000.00

// Validates the payload object of POST /trigger. Every bad field is reported, in the order of
// the payload's field list, so a client can fix them all at once; `out` is filled only when the
// result is empty. Unknown fields are ignored (clients may send more than we use).
std::vector<FieldError> validate_registration(const boost::json::object& payload,
                                              RegistrationRequest& out);

// The key that makes a /trigger retry find the registration it already created: the same player
// (names compared case-insensitively), team, age group, season and parent phone.
std::string registration_natural_key(const RegistrationRequest& request);

}  // namespace twin::core
