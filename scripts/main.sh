#!/usr/bin/env bash
# The main job: set up, build, and replay every scenario in fixtures/scenarios/ on virtual
# time, printing each one's summary (exit 1 if an expectation fails, 2 for an unusable fixture).
# The HTML and JSON reports land in build/replay/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTWIN_WERROR=ON >/dev/null
cmake --build build --target twin
mkdir -p build/replay
build/sim/twin replay fixtures/scenarios/*.json \
  --report 'build/replay/{name}.json' --html 'build/replay/{name}.html'
