#include "core/registration.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/encoding.h"
#include "core/events/json_scan.h"

namespace twin::core {
namespace json = boost::json;
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

using Type = PayloadValue::Type;

// True when every byte of `s` is printable ASCII (0x20 to 0x7E), eight bytes at a time.
bool printable_ascii(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  // A byte below 0x20, at or above 0x80, or equal to 0x7F sets its high bit in this.
  auto odd = [](std::uint64_t w) {
    const std::uint64_t del = w ^ (kOnes * 0x7F);
    return ((w - kOnes * 0x20) & ~w) | w | ((del - kOnes) & ~del);
  };
  std::uint64_t bad = 0;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    bad |= odd(w);
  }
  // The last bytes as words that overlap bytes already tested, which changes nothing.
  const std::size_t n = s.size();
  if (i != n) {
    std::uint64_t w = kOnes * 'a';  // printable, for the lanes a short text does not fill
    if (n >= 8) {
      std::memcpy(&w, s.data() + n - 8, 8);
    } else if (n >= 4) {
      std::uint32_t first, last;
      std::memcpy(&first, s.data(), 4);
      std::memcpy(&last, s.data() + n - 4, 4);
      w = first | std::uint64_t{last} << 32;
    } else {  // one to three bytes: the first, the middle and the last cover them
      w = (w & ~std::uint64_t{0xFFFFFF}) | static_cast<std::uint8_t>(s[0]) |
          std::uint64_t{static_cast<std::uint8_t>(s[n / 2])} << 8 |
          std::uint64_t{static_cast<std::uint8_t>(s[n - 1])} << 16;
    }
    bad |= odd(w);
  }
  return (bad & kHigh) == 0;
}

// The index of `field` in kRegistrationFields, or kRegistrationFieldCount.
constexpr std::size_t field_index(std::string_view field) {
  std::size_t i = 0;
  while (i < kRegistrationFieldCount && kRegistrationFields[i] != field) ++i;
  return i;
}

// A payload field named by a literal and looked up in kRegistrationFields when the program is
// compiled: a name missing from the list does not compile.
struct Field {
  consteval Field(const char* name) : index(field_index(name)) {
    if (index == kRegistrationFieldCount) throw "not a field of kRegistrationFields";
  }
  std::string_view name() const { return kRegistrationFields[index]; }
  std::size_t index;
};

class Validator {
 public:
  explicit Validator(const RegistrationPayload& payload) : payload_(payload) {}

  // A required, non-empty, printable text field of at most max_chars characters, trimmed, into
  // `out`; false (and an error added) when it is not one.
  bool text(Field field, std::size_t max_chars, std::string& out) {
    const PayloadValue& v = value(field);
    if (v.type == Type::kAbsent || v.type == Type::kNull) return add(field.name(), "is required");
    if (v.type != Type::kString) return add(field.name(), "must be a string");
    std::string_view s = trim(v.text);
    // Control characters and the length in code points (the bytes that do not continue a UTF-8
    // sequence; the readers have checked the UTF-8): at once for printable ASCII, the usual
    // text, else in one pass.
    bool control = false;
    std::size_t chars = s.size();
    if (!printable_ascii(s)) {
      chars = 0;
      for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        control |= u < 0x20 || u == 0x7F;
        chars += (u & 0xC0) != 0x80;
      }
    }
    if (s.empty()) return add(field.name(), "must not be empty");
    if (control) return add(field.name(), "must not contain control characters");
    if (chars > max_chars) {
      return add(field.name(), "must be at most " + std::to_string(max_chars) + " characters");
    }
    out.assign(s);
    return true;
  }

  void age_group(std::string& out) {
    if (!text("age_group", 20, out)) return;
    for (char& c : out) c = ascii_lower_char(c);
    const std::string& s = out;
    bool ok = s.size() >= 3 && s.front() == 'u' && s.back() == 's';
    int age = 0;
    if (ok) {
      std::string_view digits = std::string_view(s).substr(1, s.size() - 2);
      ok = !digits.empty() && digits.size() <= 2 && digits.front() != '0';
      for (char c : digits) {
        if (!ok || !is_digit(c)) {  // stop before a long or odd group can overflow `age`
          ok = false;
          break;
        }
        age = age * 10 + (c - '0');
      }
    }
    if (!ok || age < 7 || age > 18) {
      add("age_group", "must be an age group from u7s to u18s, like u11s");
    }
  }

  void season(std::string& out) {
    if (!text("current_registration_season", 20, out)) return;
    const std::string& s = out;
    bool shape = s.size() == 7 && s[4] == '-';
    for (std::size_t i = 0; shape && i < 7; ++i) shape = i == 4 || is_digit(s[i]);
    if (shape) {
      int first = ((s[0] - '0') * 10 + (s[1] - '0')) * 100 + (s[2] - '0') * 10 + (s[3] - '0');
      int second = (s[5] - '0') * 10 + (s[6] - '0');
      if ((first + 1) % 100 == second) return;
    }
    add("current_registration_season",
        "must be a season like 2025-26, the second year following the first");
  }

  void phone(std::string& out) {
    if (!text("parent_tel", 32, out)) return;
    const std::string& s = out;
    bool ok = s.size() >= 9 && s.size() <= 16 && s[0] == '+' && s[1] >= '1' && s[1] <= '9';
    for (std::size_t i = 1; ok && i < s.size(); ++i) ok = is_digit(s[i]);
    if (!ok) {
      add("parent_tel", "must be an E.164 phone number: + and 8 to 15 digits, like +447700900123");
    }
  }

  std::int64_t money(Field field) {
    const PayloadValue& v = value(field);
    if (v.type == Type::kAbsent || v.type == Type::kNull) {
      add(field.name(), "is required");
      return 0;
    }
    std::optional<std::int64_t> cents;
    if (v.type == Type::kString) {
      cents = parse_money_text(trim(v.text));
    } else if (v.type == Type::kInt64) {
      if (v.int64 >= 0 && v.int64 <= kFeeCentsMax / 100)
        cents = v.int64 * 100;
      else if (v.int64 > kFeeCentsMax / 100)
        cents = kFeeCentsMax + 1;
    } else if (v.type == Type::kUint64) {
      cents = kFeeCentsMax + 1;  // beyond int64: certainly too large
    } else if (v.type == Type::kDouble) {
      cents = money_from_double(v.number);
    } else {
      add(field.name(), "must be a string or a number");
      return 0;
    }
    if (!cents) {
      add(field.name(), "must be a non-negative amount with at most two decimals, like 45.50");
      return 0;
    }
    if (*cents > kFeeCentsMax) {
      add(field.name(), "must be at most 100000.00");
      return 0;
    }
    return *cents;
  }

  std::vector<FieldError> take_errors() { return std::move(errors_); }

 private:
  static std::optional<std::int64_t> parse_money_text(std::string_view s) {
    std::size_t dot = s.find('.');
    std::string_view whole = s.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (whole.empty()) return std::nullopt;
    if (dot != std::string_view::npos && (frac.empty() || frac.size() > 2)) return std::nullopt;
    std::int64_t cents = 0;
    for (char c : whole) {
      if (!is_digit(c)) return std::nullopt;
      // Past the largest fee any further digit only makes it larger; stop before overflow.
      if (cents <= kFeeCentsMax) cents = cents * 10 + (c - '0');
    }
    if (cents > kFeeCentsMax / 100) return kFeeCentsMax + 1;
    cents *= 100;
    std::int64_t scale = 10;
    for (char c : frac) {
      if (!is_digit(c)) return std::nullopt;
      cents += (c - '0') * scale;
      scale /= 10;
    }
    return cents;
  }

  static std::optional<std::int64_t> money_from_double(double d) {
    if (!std::isfinite(d) || d < 0) return std::nullopt;
    if (d > static_cast<double>(kFeeCentsMax)) return kFeeCentsMax + 1;
    double scaled = d * 100.0;
    double rounded = std::round(scaled);
    // 45.5 * 100 is exact, 0.29 * 100 is 28.999999999999996: allow binary rounding, not 45.555.
    if (std::fabs(scaled - rounded) > 1e-6) return std::nullopt;
    return static_cast<std::int64_t>(rounded);
  }

  // Always false, for `return add(...)` from a check that failed.
  bool add(std::string_view field, std::string error) {
    errors_.push_back({std::string(field), std::move(error)});
    return false;
  }
  const PayloadValue& value(Field field) const { return payload_.values[field.index]; }

  const RegistrationPayload& payload_;
  std::vector<FieldError> errors_;
};

}  // namespace

std::string_view to_string(RegistrationStatus status) {
  return status == RegistrationStatus::kPending ? "pending" : "replied";
}

RegistrationPayload registration_payload(const json::object& payload) {
  RegistrationPayload out;
  for (std::size_t i = 0; i < kRegistrationFieldCount; ++i) {
    const json::value* v = payload.if_contains(kRegistrationFields[i]);
    PayloadValue& value = out.values[i];
    if (v == nullptr) continue;
    if (v->is_null()) {
      value.type = Type::kNull;
    } else if (v->is_string()) {
      value.type = Type::kString;
      value.text = std::string_view(v->get_string().data(), v->get_string().size());
    } else if (v->is_int64()) {
      value.type = Type::kInt64;
      value.int64 = v->get_int64();
    } else if (v->is_uint64()) {
      value.type = Type::kUint64;
      value.uint64 = v->get_uint64();
    } else if (v->is_double()) {
      value.type = Type::kDouble;
      value.number = v->get_double();
    } else {
      value.type = Type::kOther;
    }
  }
  return out;
}

namespace {

// One member's value from the scanner; false when the fast path should give up.
bool scan_payload_value(JsonScanner& s, PayloadValue& value, std::string& decoded) {
  switch (s.peek()) {
    case JsonScanner::Kind::kString:
      value.type = Type::kString;
      return s.string(value.text, decoded);
    case JsonScanner::Kind::kNull:
      value.type = Type::kNull;
      return s.null();
    case JsonScanner::Kind::kNumber: {
      std::string_view text;
      if (!s.number(text)) return false;
      if (text.find('.') == std::string_view::npos) {
        value.type = Type::kInt64;
        std::from_chars_result r =
            std::from_chars(text.data(), text.data() + text.size(), value.int64);
        return r.ec == std::errc() && text.size() <= 18;
      }
      // At most 15 significant digits: read exactly enough that a rounding difference from
      // Boost.JSON cannot change a fee by a cent.
      if (text.size() > 16) return false;
      value.type = Type::kDouble;
      // The digits as one integer over a power of ten: both are exact doubles (fewer than 16
      // digits, at most 10^15), and a division rounds correctly, so this is the double nearest
      // the decimal, as from_chars reads it, for a fraction of its work.
      static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
      const bool negative = text.front() == '-';
      std::int64_t digits = 0;
      std::size_t decimals = 0;
      bool point = false;
      for (char c : text.substr(negative ? 1 : 0)) {
        if (c == '.') {
          point = true;
          continue;
        }
        digits = digits * 10 + (c - '0');
        decimals += point ? 1 : 0;
      }
      const double magnitude = static_cast<double>(digits) / kPowersOfTen[decimals];
      value.number = negative ? -magnitude : magnitude;
      return true;
    }
    default:
      value.type = Type::kOther;
      return s.skip();
  }
}

// kRegistrationFields as the keys read_form_payload compares where they must stand.
constexpr auto kRegistrationKeys =
    json_text::compact_keys(kRegistrationFields, [](std::string_view name) { return name; });

// The body as a client's form writes it, read in one forward pass: every field, in
// kRegistrationFields' order, without white space, each a string with nothing to decode (no
// escape, control byte or UTF-8) or a number. False for any other body, which the general
// reader below then reads from the start into a new payload.
bool read_form_payload(std::string_view body, RegistrationPayload& out) {
  const char* p = body.data();
  const char* const end = p + body.size();
  char lead = '{';
  for (std::size_t i = 0; i < kRegistrationFieldCount; ++i) {
    p = json_text::compact_key_at(p, end, lead, kRegistrationKeys[i]);
    if (p == nullptr || p == end) return false;
    lead = ',';
    PayloadValue& value = out.values[i];
    if (*p == '"') {
      const char* stop = json_text::find_special(p + 1, end, true);
      if (stop == end || *stop != '"') return false;
      value.type = Type::kString;
      value.text = std::string_view(p + 1, static_cast<std::size_t>(stop - p - 1));
      p = stop + 1;
      continue;
    }
    JsonScanner s(std::string_view(p, static_cast<std::size_t>(end - p)));
    if (s.peek() != JsonScanner::Kind::kNumber || !scan_payload_value(s, value, out.decoded[i])) {
      return false;
    }
    p = s.position();
  }
  return end - p == 1 && *p == '}';
}

}  // namespace

bool read_registration_payload_fast(std::string_view body, RegistrationPayload& out) {
  if (read_form_payload(body, out)) return true;
  out = RegistrationPayload();
  JsonScanner s(body);
  if (!s.begin_object()) return false;
  std::string_view key;
  // Clients send the fields in the order of the form, which is kRegistrationFields' order: the
  // name after the last one read is tried first, against the text itself.
  std::size_t guess = 0;
  for (;;) {
    std::size_t i;
    if (guess < kRegistrationFieldCount && s.next_key_is(kRegistrationFields[guess])) {
      i = guess;
    } else if (s.next_key(key)) {
      i = field_index(key);
    } else {
      break;
    }
    if (i == kRegistrationFieldCount) {
      if (!s.skip()) return false;
      continue;
    }
    guess = i + 1;
    if (out.values[i].type != Type::kAbsent) return false;  // a repeated member
    if (!scan_payload_value(s, out.values[i], out.decoded[i])) return false;
  }
  return s.finish();
}

std::vector<FieldError> validate_registration(const json::object& payload,
                                              RegistrationRequest& out) {
  return validate_registration(registration_payload(payload), out);
}

std::vector<FieldError> validate_registration(const RegistrationPayload& payload,
                                              RegistrationRequest& out) {
  Validator v(payload);
  // Written in place: a request is nine strings to move.
  v.text("player_first_name", kNameLengthMax, out.player_first_name);
  v.text("player_last_name", kNameLengthMax, out.player_last_name);
  v.text("team_name", kTeamNameLengthMax, out.team_name);
  v.age_group(out.age_group);
  v.text("manager_full_name", kManagerNameLengthMax, out.manager_full_name);
  v.season(out.current_registration_season);
  v.text("parent_first_name", kNameLengthMax, out.parent_first_name);
  v.text("parent_last_name", kNameLengthMax, out.parent_last_name);
  v.phone(out.parent_tel);
  out.membership_fee_cents = v.money("membership_fee_amount");
  out.subscription_fee_cents = v.money("subscription_fee_amount");
  return v.take_errors();
}

std::string registration_natural_key(const RegistrationRequest& r) {
  std::string key;
  registration_natural_key(r, key);
  return key;
}

void registration_natural_key(const RegistrationRequest& r, std::string& key) {
  // '\x1f' (unit separator) cannot occur in a validated field, so the parts cannot run together.
  // Names and team compare without case; the other parts as they are.
  struct Part {
    std::string_view text;
    bool fold_case;
  };
  const Part parts[] = {{r.player_first_name, true},
                        {r.player_last_name, true},
                        {r.team_name, true},
                        {r.age_group, false},
                        {r.current_registration_season, false},
                        {r.parent_tel, false}};
  std::size_t size = std::size(parts) - 1;
  for (const Part& part : parts) size += part.text.size();
  key.assign(size, '\x1f');  // written over below but for the separators
  char* p = key.data();
  for (const Part& part : parts) {
    if (part.fold_case) {
      for (char c : part.text) *p++ = ascii_lower_char(c);
    } else {
      p = std::copy(part.text.begin(), part.text.end(), p);
    }
    ++p;
  }
}

}  // namespace twin::core
