// Resource path templates of a REST API: "/players/{id}", "/files/{proxy+}". Parsing and
// validation (what CreateResource/PutRestApi refuse) and the matching of a request path against
// a template, with the captured path parameters. The Gateway compiles every resource path once
// when the API is put and matches requests against the compiled templates.
//
// AWS's rules (reference 1.5, and AWS's own error texts where they are known):
// - A path part is a literal ("players"), a parameter ("{id}") matching exactly one non-empty
//   segment, or a greedy parameter ("{proxy+}", any name) matching one or more segments; a
//   greedy part must be the last (nothing can be created under it).
// - Among the children of one resource only one may be variable ("A sibling ({id}) of this
//   resource already has a variable path part -- only one is allowed", BadRequestException).
// - Path parameter values are the raw segments: percent-encoding is kept ("test%2Balias" stays,
//   as AWS's recorded event shows); a greedy value is the rest of the path without a trailing
//   slash ("a/b" for "/a/b/").
// - When several templates match, the most specific wins, compared segment by segment from the
//   left: a literal beats a parameter, which beats a greedy parameter (so "/players/{id}" beats
//   "/{proxy+}" for "/players/7", and "/players/me" beats both for "/players/me").
//
// Choices where AWS is silent (UNCERTAIN):
// - Every template that matches the whole path is a candidate and the comparison above picks
//   one, so "/a/b" and "/{x}/c" coexist and "/a/c" reaches "/{x}/c" (no commitment to the
//   literal branch "a" once it cannot go on).
// - A literal part may hold a-z, A-Z, 0-9, '.', '_', '-' and ':' (AWS's 2016 message names the
//   first six; the console and CloudFormation accept ':', as in "events:batch"); a parameter name
//   the same without ':'. The same name twice in one path is refused.
//
// Pure functions over values; no state, no threading concerns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/events/proxy_event.h"
#include "core/status.h"

namespace twin::fakes::apigw {

enum class PathPartKind { kLiteral, kParameter, kGreedy };

struct PathPart {
  PathPartKind kind = PathPartKind::kLiteral;
  std::string text;  // the literal, or the parameter's name (without braces and '+')
};

// The parts of a resource path; the root "/" has none.
struct PathTemplate {
  std::string path;  // as given: "/players/{id}"
  std::vector<PathPart> parts;

  bool has_parameters() const;
};

// Parses one resource path. Errors are BadRequestException naming the path and the part.
core::Result<PathTemplate> parse_resource_path(std::string_view path);

// The rules that involve several paths of one API: a greedy part must be the last, and the
// children of one resource carry at most one variable part. `paths` are parsed templates.
core::Status validate_resource_tree(const std::vector<PathTemplate>& paths);

// Whether `request_path` ("/players/7", a leading '/', one trailing '/' ignored, no stage)
// matches `t`; on a match, `parameters` (when given) receives the captured values in template
// order.
bool match_path(const PathTemplate& t, std::string_view request_path,
                core::StringPairs* parameters);

// > 0 when `a` is more specific than `b` for a path both match, < 0 when less, 0 when equal.
int compare_specificity(const PathTemplate& a, const PathTemplate& b);

}  // namespace twin::fakes::apigw
