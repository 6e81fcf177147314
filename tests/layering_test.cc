// The layers' arrows (core <- fakes <- sim) checked from the #include lines of the sources, so a
// wrong-way dependency fails the build's tests instead of rotting quietly.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {
namespace fs = std::filesystem;

// "#include" lines of every source under dir that name one of the forbidden prefixes.
std::vector<std::string> forbidden_includes(const std::string& dir,
                                            const std::vector<std::string>& prefixes) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(TWIN_SOURCE_DIR) / dir)) {
    auto ext = entry.path().extension();
    if (ext != ".h" && ext != ".cc") continue;
    std::ifstream in(entry.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (line.rfind("#include", 0) != 0) continue;
      for (const auto& prefix : prefixes) {
        if (line.find("\"" + prefix) != std::string::npos ||
            line.find("<" + prefix) != std::string::npos) {
          found.push_back(entry.path().lexically_relative(TWIN_SOURCE_DIR).string() + ":" +
                          std::to_string(n) + ": " + line);
        }
      }
    }
  }
  return found;
}

TEST(Layering, CoreIncludesNeitherFakesNorSimNorIoLibraries) {
  EXPECT_EQ(forbidden_includes(
                "core", {"fakes/", "sim/", "tests/", "sqlite3", "boost/asio", "boost/beast"}),
            std::vector<std::string>{});
}

TEST(Layering, FakesIncludeNothingFromSim) {
  EXPECT_EQ(forbidden_includes("fakes", {"sim/", "tests/", "boost/asio", "boost/beast"}),
            std::vector<std::string>{});
}

TEST(Layering, TheCheckSeesIncludes) {
  // Guards the guard: the scanner must find core's own includes of itself.
  EXPECT_FALSE(forbidden_includes("core", {"core/"}).empty());
}

}  // namespace
