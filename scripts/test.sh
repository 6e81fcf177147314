#!/usr/bin/env bash
# Sets up, builds everything (warnings are errors) and runs the whole test suite twice: a
# normal build, then a build under AddressSanitizer + UndefinedBehaviorSanitizer. Both must pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

echo "== build and test (Release, as the main job builds)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTWIN_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== build and test (ASan + UBSan)"
cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTWIN_WERROR=ON \
  -DTWIN_SANITIZE=ON -DTWIN_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-sanitize -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-sanitize --output-on-failure -j "$jobs"

echo "== format check"
if command -v clang-format >/dev/null; then
  git ls-files '*.h' '*.cc' | xargs clang-format --dry-run --Werror
fi
