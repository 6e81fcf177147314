#include "sim/json_out.h"

#include <fmt/format.h>

#include <cmath>

#include "core/encoding.h"

namespace twin::sim {
namespace {

void write(std::string& out, const boost::json::value& v, int indent, int depth,
           WholeDoubles whole) {
  auto newline = [&](int level) {
    if (indent <= 0) return;
    out += '\n';
    out.append(static_cast<std::size_t>(indent * level), ' ');
  };
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "null";
      return;
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case boost::json::kind::int64:
      out += std::to_string(v.get_int64());
      return;
    case boost::json::kind::uint64:
      out += std::to_string(v.get_uint64());
      return;
    case boost::json::kind::double_: {
      double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";
      } else if (d == std::trunc(d) && std::fabs(d) < 1e15) {
        out += std::to_string(static_cast<long long>(d));
        if (whole == WholeDoubles::kWithPoint) out += ".0";
      } else {
        out += fmt::format("{}", d);
      }
      return;
    }
    case boost::json::kind::string:
      core::append_json_string(out, v.get_string());
      return;
    case boost::json::kind::array: {
      const auto& a = v.get_array();
      out += '[';
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i > 0) out += ',';
        newline(depth + 1);
        write(out, a[i], indent, depth + 1, whole);
      }
      if (!a.empty()) newline(depth);
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      const auto& o = v.get_object();
      out += '{';
      bool first = true;
      for (const auto& kv : o) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        core::append_json_string(out, kv.key());
        out += indent > 0 ? ": " : ":";
        write(out, kv.value(), indent, depth + 1, whole);
      }
      if (!o.empty()) newline(depth);
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string to_json(const boost::json::value& v, int indent, WholeDoubles whole) {
  std::string out;
  write(out, v, indent, 0, whole);
  return out;
}

}  // namespace twin::sim
