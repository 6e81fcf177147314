#!/usr/bin/env bash
# The main job: set up, build, and run `twin invoke` over every sample event in
# fixtures/events/, printing each response. (The simulator will make this the scenario replay.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTWIN_WERROR=ON >/dev/null
cmake --build build --target twin
secrets=(--api-key-file fixtures/events/api_key.txt
         --twilio-auth-token-file fixtures/events/twilio_auth_token.txt)
for event in fixtures/events/*.json; do
  echo "== twin invoke $event"
  build/sim/twin invoke "$event" "${secrets[@]}" --log-level warn
done
# A JSON webhook is what the seed's scripts send; it is taken only when no Twilio token is set.
echo "== twin invoke fixtures/events/webhook_json.json (no Twilio token: local development)"
build/sim/twin invoke fixtures/events/webhook_json.json --log-level warn
echo "== twin invoke fixtures/events/webhook_form_signed.json --queue"
build/sim/twin invoke fixtures/events/webhook_form_signed.json "${secrets[@]}" --queue \
  --log-level warn
