// Resource path templates: parsing, the API-wide rules and matching (see resource_path.h).
#include "fakes/apigw/resource_path.h"

#include <algorithm>
#include <map>
#include <set>

#include "fakes/apigw/apigw_errors.h"

namespace twin::fakes::apigw {
namespace {

constexpr std::string_view kPathPartRule =
    "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end "
    "and an optional plus sign before the closing brace";

bool is_name_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
         c == '_' || c == '-';
}

bool all_of(std::string_view text, bool (*pred)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), pred);
}

// The part as written in a path: "players", "{id}", "{proxy+}".
std::string written(const PathPart& part) {
  switch (part.kind) {
    case PathPartKind::kLiteral:
      return part.text;
    case PathPartKind::kParameter:
      return "{" + part.text + "}";
    case PathPartKind::kGreedy:
      return "{" + part.text + "+}";
  }
  return part.text;
}

int rank(PathPartKind kind) {
  switch (kind) {
    case PathPartKind::kLiteral:
      return 2;
    case PathPartKind::kParameter:
      return 1;
    case PathPartKind::kGreedy:
      return 0;
  }
  return 0;
}

core::Result<PathPart> parse_part(std::string_view text, std::string_view path) {
  auto refuse = [&] {
    return bad_request(std::string(kPathPartRule) + ": '" + std::string(text) + "' in " +
                       std::string(path));
  };
  if (text.front() != '{') {
    if (!all_of(text, [](char c) { return is_name_char(c) || c == ':'; })) return refuse();
    return PathPart{PathPartKind::kLiteral, std::string(text)};
  }
  if (text.size() < 3 || text.back() != '}') return refuse();
  std::string_view name = text.substr(1, text.size() - 2);
  PathPartKind kind = PathPartKind::kParameter;
  if (name.back() == '+') {
    kind = PathPartKind::kGreedy;
    name.remove_suffix(1);
  }
  if (!all_of(name, is_name_char)) return refuse();
  return PathPart{kind, std::string(name)};
}

}  // namespace

bool PathTemplate::has_parameters() const {
  return std::any_of(parts.begin(), parts.end(),
                     [](const PathPart& p) { return p.kind != PathPartKind::kLiteral; });
}

core::Result<PathTemplate> parse_resource_path(std::string_view path) {
  if (path.empty() || path[0] != '/' || (path.size() > 1 && path.back() == '/')) {
    return bad_request("Invalid resource path: " + std::string(path));
  }
  PathTemplate t;
  t.path = std::string(path);
  std::set<std::string> names;
  std::string_view rest = path.substr(1);
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    const std::string_view text = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (text.empty()) return bad_request("Invalid resource path: " + std::string(path));
    auto part = parse_part(text, path);
    if (!part.is_ok()) return part.status();
    if (part->kind != PathPartKind::kLiteral && !names.insert(part->text).second) {
      return bad_request("Invalid resource path: " + std::string(path) +
                         " uses the path parameter " + part->text + " twice");
    }
    t.parts.push_back(std::move(*part));
  }
  return t;
}

core::Status validate_resource_tree(const std::vector<PathTemplate>& paths) {
  std::map<std::string, std::string> variable_child;  // parent path -> its variable part
  for (const PathTemplate& t : paths) {
    std::string parent;
    for (std::size_t i = 0; i < t.parts.size(); ++i) {
      const PathPart& part = t.parts[i];
      if (part.kind == PathPartKind::kGreedy && i + 1 < t.parts.size()) {
        return bad_request("Cannot create a child of a resource with a greedy path variable: " +
                           written(part) + " (" + t.path + ")");
      }
      if (part.kind != PathPartKind::kLiteral) {
        const auto [it, added] = variable_child.emplace(parent, written(part));
        if (!added && it->second != written(part)) {
          return bad_request("A sibling (" + it->second +
                             ") of this resource already has a variable path part -- only one "
                             "is allowed (" +
                             t.path + ")");
        }
      }
      parent += "/" + written(part);
    }
  }
  return core::Status::ok();
}

bool match_path(const PathTemplate& t, std::string_view request_path,
                core::StringPairs* parameters) {
  std::string_view rest = request_path.substr(request_path.empty() ? 0 : 1);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) return t.parts.empty();
  core::StringPairs captured;
  std::size_t pos = 0;
  bool more = true;
  for (const PathPart& part : t.parts) {
    if (!more) return false;
    if (part.kind == PathPartKind::kGreedy) {  // always the last part: takes the rest
      const std::string_view value = rest.substr(pos);
      if (value.empty()) return false;  // "one or more" segments
      if (parameters != nullptr) {
        captured.emplace_back(part.text, std::string(value));
        *parameters = std::move(captured);
      }
      return true;
    }
    const std::size_t slash = rest.find('/', pos);
    const std::string_view segment = rest.substr(pos, slash == rest.npos ? rest.npos : slash - pos);
    more = slash != rest.npos;
    pos = more ? slash + 1 : rest.size();
    if (part.kind == PathPartKind::kLiteral) {
      if (segment != part.text) return false;
    } else {
      if (segment.empty()) return false;
      if (parameters != nullptr) captured.emplace_back(part.text, std::string(segment));
    }
  }
  if (more) return false;
  if (parameters != nullptr) *parameters = std::move(captured);
  return true;
}

int compare_specificity(const PathTemplate& a, const PathTemplate& b) {
  const std::size_t n = std::min(a.parts.size(), b.parts.size());
  for (std::size_t i = 0; i < n; ++i) {
    const int d = rank(a.parts[i].kind) - rank(b.parts[i].kind);
    if (d != 0) return d;
  }
  return static_cast<int>(a.parts.size()) - static_cast<int>(b.parts.size());
}

}  // namespace twin::fakes::apigw
