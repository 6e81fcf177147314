#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/registration.h"
#include "tests/support/handler_harness.h"

namespace twin::testing {
namespace {
namespace json = boost::json;

std::vector<core::FieldError> errors_with(std::string_view field, json::value value) {
  json::object p = valid_registration();
  p[field] = std::move(value);
  core::RegistrationRequest out;
  return core::validate_registration(p, out);
}

std::string error_of(std::string_view field, json::value value) {
  auto errors = errors_with(field, std::move(value));
  if (errors.empty()) return "ok";
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, field);
  return errors[0].error;
}

TEST(RegistrationValidation, TextFields) {
  EXPECT_EQ(error_of("player_first_name", 7), "must be a string");
  EXPECT_EQ(error_of("player_first_name", nullptr), "is required");
  EXPECT_EQ(error_of("player_first_name", "   "), "must not be empty");
  EXPECT_EQ(error_of("player_first_name", json::string(std::string(51, 'a'))),
            "must be at most 50 characters");
  EXPECT_EQ(error_of("player_first_name", json::string(std::string(50, 'a'))), "ok");
  EXPECT_EQ(error_of("player_first_name", "Zoë-Renée O'Brien"), "ok");
  // Lengths count characters, not bytes: fifty two-byte letters fit, fifty-one do not.
  std::string fifty_e_acute;
  for (int i = 0; i < 50; ++i) fifty_e_acute += "\u00e9";
  EXPECT_EQ(error_of("player_first_name", json::string(fifty_e_acute)), "ok");
  EXPECT_EQ(error_of("player_first_name", json::string(fifty_e_acute + "\u00e9")),
            "must be at most 50 characters");
  EXPECT_EQ(error_of("player_first_name", "a\u0001b"), "must not contain control characters");
  EXPECT_EQ(error_of("manager_full_name", json::string(std::string(101, 'm'))),
            "must be at most 100 characters");
}

TEST(RegistrationValidation, EveryControlByteAtEveryPlaceIsFound) {
  // Printable ASCII is checked eight bytes at a time: a control byte or DEL must be found in
  // any lane of a word and in the short tail, and the bytes around 0x20 and 0x7F are exact.
  for (std::size_t length : {1u, 5u, 8u, 13u, 16u, 23u}) {
    for (std::size_t at = 0; at < length; ++at) {
      for (int c : {0x01, 0x09, 0x0A, 0x1F, 0x7F}) {
        std::string text(length, 'x');
        text[at] = static_cast<char>(c);
        if (at == 0 || at == length - 1) text = "y" + text + "y";  // not trimmed away
        EXPECT_EQ(error_of("player_first_name", json::string(text)),
                  "must not contain control characters")
            << length << " " << at << " " << c;
      }
      for (int c : {0x20, 0x21, 0x7E}) {
        std::string text(length, 'x');
        text[at] = static_cast<char>(c);
        if (at == 0 || at == length - 1) text = "y" + text + "y";
        EXPECT_EQ(error_of("player_first_name", json::string(text)), "ok")
            << length << " " << at << " " << c;
      }
    }
  }
}

TEST(RegistrationValidation, AgeGroup) {
  for (const char* ok : {"u7s", "u11s", "u18s", "U12s"}) EXPECT_EQ(error_of("age_group", ok), "ok");
  for (const char* bad :
       {"u6s", "u19s", "u011s", "11s", "u11", "under 11", "u999999999999999999s", "u1\xC3\xA9s"}) {
    EXPECT_EQ(error_of("age_group", bad), "must be an age group from u7s to u18s, like u11s")
        << bad;
  }
}

TEST(RegistrationValidation, Season) {
  EXPECT_EQ(error_of("current_registration_season", "2025-26"), "ok");
  EXPECT_EQ(error_of("current_registration_season", "2099-00"), "ok");
  for (const char* bad : {"2025-27", "2025/26", "25-26", "2025-2026", "abcd-ef"}) {
    EXPECT_NE(error_of("current_registration_season", bad), "ok") << bad;
  }
}

TEST(RegistrationValidation, Phone) {
  EXPECT_EQ(error_of("parent_tel", "+447700900123"), "ok");
  EXPECT_EQ(error_of("parent_tel", "+12345678"), "ok");
  for (const char* bad :
       {"447700900123", "+1234567", "+1234567890123456", "+0447700900", "+44 7700 900123"}) {
    EXPECT_NE(error_of("parent_tel", bad), "ok") << bad;
  }
}

TEST(RegistrationValidation, Money) {
  core::RegistrationRequest out;
  json::object p = valid_registration();
  p["membership_fee_amount"] = "0.29";
  p["subscription_fee_amount"] = 0.29;
  ASSERT_TRUE(core::validate_registration(p, out).empty());
  EXPECT_EQ(out.membership_fee_cents, 29);
  EXPECT_EQ(out.subscription_fee_cents, 29);
  EXPECT_EQ(error_of("membership_fee_amount", 45), "ok");
  EXPECT_EQ(error_of("membership_fee_amount", "100000.00"), "ok");
  EXPECT_EQ(error_of("membership_fee_amount", "100000.01"), "must be at most 100000.00");
  EXPECT_EQ(error_of("membership_fee_amount", "99999999999999999999"), "must be at most 100000.00");
  EXPECT_EQ(error_of("membership_fee_amount", 1e300), "must be at most 100000.00");
  const std::string kShape = "must be a non-negative amount with at most two decimals, like 45.50";
  for (json::value bad : {json::value("-1"), json::value(-1), json::value("1.234"),
                          json::value(1.234), json::value("1."), json::value("abc")}) {
    EXPECT_EQ(error_of("membership_fee_amount", bad), kShape) << json::serialize(bad);
  }
  EXPECT_EQ(error_of("membership_fee_amount", json::array{}), "must be a string or a number");
}

}  // namespace
}  // namespace twin::testing
