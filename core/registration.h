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

// The members of the /trigger payload the validator reads, in the order errors are reported.
inline constexpr std::string_view kRegistrationFields[] = {"player_first_name",
                                                           "player_last_name",
                                                           "team_name",
                                                           "age_group",
                                                           "manager_full_name",
                                                           "current_registration_season",
                                                           "parent_first_name",
                                                           "parent_last_name",
                                                           "parent_tel",
                                                           "membership_fee_amount",
                                                           "subscription_fee_amount"};
inline constexpr std::size_t kRegistrationFieldCount = std::size(kRegistrationFields);

// One member of the payload as JSON gave it, before validation: its JSON type and value.
struct PayloadValue {
  enum class Type { kAbsent, kNull, kString, kInt64, kUint64, kDouble, kOther };
  Type type = Type::kAbsent;
  std::string_view text;  // kString: a view into the body, the JSON tree or `decoded`
  std::int64_t int64 = 0;
  std::uint64_t uint64 = 0;
  double number = 0;
};

// The payload's members by kRegistrationFields index. Views point into the source the payload
// was read from, which must outlive it; strings that had escapes live in `decoded`.
struct RegistrationPayload {
  PayloadValue values[kRegistrationFieldCount];
  std::string decoded[kRegistrationFieldCount];
};

// Reads the members of a payload object (a JSON tree: any object is accepted).
RegistrationPayload registration_payload(const boost::json::object& payload);
// The fast path: reads a payload straight from the body text. False for anything it is not
// sure of (not an object, a syntax error, a repeated member, a number it would round...); the
// caller then parses the body with Boost.JSON, which accepts it or says what is wrong.
bool read_registration_payload_fast(std::string_view body, RegistrationPayload& out);

// Validates the payload of POST /trigger. Every bad field is reported, in the order of
// the payload's field list, so a client can fix them all at once; `out` is the request when the
// result is empty, and holds nothing to rely on otherwise (its fields are written as they are
// validated). Unknown fields are ignored (clients may send more than we use).
std::vector<FieldError> validate_registration(const RegistrationPayload& payload,
                                              RegistrationRequest& out);
std::vector<FieldError> validate_registration(const boost::json::object& payload,
                                              RegistrationRequest& out);

// The key that makes a /trigger retry find the registration it already created: the same player
// (names compared case-insensitively), team, age group, season and parent phone.
std::string registration_natural_key(const RegistrationRequest& request);
// The same into `key` (replacing its contents), for a caller that reuses its capacity.
void registration_natural_key(const RegistrationRequest& request, std::string& key);

}  // namespace twin::core
