// `twin invoke` as a user runs it: the built binary on the shipped sample events.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "tests/support/cli_run.h"

namespace {
namespace json = boost::json;

using twin::testing::CliRun;

CliRun twin(const std::string& args) { return twin::testing::run_twin(args); }

const std::string kSecrets =
    " --api-key-file fixtures/events/api_key.txt"
    " --twilio-auth-token-file fixtures/events/twilio_auth_token.txt";

int status_of(const CliRun& r) {
  return static_cast<int>(json::parse(r.out).at("statusCode").as_int64());
}

TEST(TwinInvoke, SampleEventsGiveTheirDocumentedAnswers) {
  EXPECT_EQ(status_of(twin("invoke fixtures/events/trigger_valid.json" + kSecrets)), 200);
  EXPECT_EQ(status_of(twin("invoke fixtures/events/trigger_no_key.json" + kSecrets)), 403);
  EXPECT_EQ(status_of(twin("invoke fixtures/events/trigger_bad_fields.json" + kSecrets)), 400);
  EXPECT_EQ(status_of(twin("invoke fixtures/events/webhook_form_signed.json" + kSecrets)), 200);
  EXPECT_EQ(status_of(twin("invoke fixtures/events/webhook_form_signed.json --queue" + kSecrets)),
            200);
  EXPECT_EQ(status_of(twin("invoke fixtures/events/webhook_json.json --api-key x")), 200);
  EXPECT_EQ(status_of(twin("invoke fixtures/events/webhook_json.json" + kSecrets)), 403);
  CliRun batch = twin("invoke fixtures/events/sqs_batch_with_poison.json");
  EXPECT_EQ(batch.exit_code, 0);
  EXPECT_EQ(json::parse(batch.out).at("batchItemFailures").as_array().size(), 1u);
}

TEST(TwinInvoke, OutputIsReproducible) {
  std::string cmd = "invoke fixtures/events/trigger_valid.json" + kSecrets;
  EXPECT_EQ(twin(cmd).out, twin(cmd).out);
}

TEST(TwinInvoke, UnreadableEventOrBadFlagsExit2) {
  EXPECT_EQ(twin("invoke fixtures/events/does_not_exist.json").exit_code, 2);
  EXPECT_EQ(twin("invoke fixtures/events/api_key.txt").exit_code, 2);  // not JSON
  EXPECT_EQ(twin("invoke").exit_code, 2);
  EXPECT_EQ(twin("invoke fixtures/events/trigger_valid.json --no-such-flag").exit_code, 2);
  EXPECT_EQ(twin("invoke fixtures/events/trigger_valid.json --log-level loud").exit_code, 2);
  EXPECT_EQ(twin("frobnicate").exit_code, 2);
}

}  // namespace
