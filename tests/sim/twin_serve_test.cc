// `twin serve` as its users drive it (issue 6, Proof): the built binary on port 0, and the
// seed's test scripts pointed at it with curl; the restart test; the recording replayed.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/serve_process.h"

namespace twin::testing {
namespace {

namespace json = boost::json;

constexpr char kKey[] = "TwinDevKey0123456789abcdef0123";

class TwinServe : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have("curl")) GTEST_SKIP() << "curl is not installed";
  }
  // curl's status code for one request; `extra` adds flags (-H, -d ...).
  static int status(const std::string& url, const std::string& extra) {
    auto r = sh("curl -s -o /dev/null -w '%{http_code}' -X POST " + extra + " '" + url + "'");
    return r.exit_code == 0 ? std::stoi(r.out) : -1;
  }
  static json::value get_json(const std::string& url) {
    auto r = sh("curl -s '" + url + "'");
    json::error_code ec;
    auto v = json::parse(r.out, ec);
    return ec ? json::value() : v;
  }
  static std::string trigger_body(int i) {
    return "{\"player_first_name\":\"Player" + std::to_string(i) +
           "\",\"player_last_name\":\"Smith\",\"team_name\":\"Panthers\",\"age_group\":\"u11s\","
           "\"manager_full_name\":\"Alex Manager\",\"current_registration_season\":\"2025-26\","
           "\"parent_first_name\":\"Jane\",\"parent_last_name\":\"Smith\",\"parent_tel\":"
           "\"+4477009" +
           std::to_string(10000 + i) +
           "\",\"membership_fee_amount\":\"45.00\",\"subscription_fee_amount\":27.5}";
  }
  std::string write(const std::string& name, const std::string& text) {
    return dir_.write(name, text);
  }
  TestDir dir_;
};

TEST_F(TwinServe, StartsOnAFreePortAnswersHealthAndStopsCleanlyOnSigterm) {
  ServeProcess server("");
  ASSERT_TRUE(server.running()) << server.output();
  auto health = get_json(server.url() + "/_twin/health");
  ASSERT_TRUE(health.is_object()) << server.output();
  EXPECT_EQ(health.at("status"), "ok");
  // The seed's stack shape: the webhook queue and its DLQ.
  auto queues = get_json(server.url() + "/_twin/queues");
  EXPECT_TRUE(queues.at("queues").as_object().contains("registration-webhooks"));
  EXPECT_TRUE(queues.at("queues").as_object().contains("registration-webhooks-dlq"));
  // Something the twin does not do says so.
  auto r = sh("curl -s '" + server.url() + "/_twin/nothing'");
  EXPECT_NE(r.out.find("not supported by the twin"), std::string::npos) << r.out;
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.output();
  EXPECT_NE(server.output().find("stopped after"), std::string::npos) << server.output();
}

// The seed's test_api_key.sh and test_rate_limiting.sh against the local endpoint.
TEST_F(TwinServe, SeedApiKeyAndRateLimitingScripts) {
  ServeProcess server("--stack fixtures/scenarios/seed_api_key.json");
  ASSERT_TRUE(server.running()) << server.output();
  const std::string url = server.url() + "/prod/trigger";
  const std::string json_body = " -H 'Content-Type: application/json' -d '";
  EXPECT_EQ(
      status(url, "-H 'x-api-key: " + std::string(kKey) + "'" + json_body + trigger_body(1) + "'"),
      200);
  EXPECT_EQ(status(url, json_body + trigger_body(2) + "'"), 403);
  EXPECT_EQ(status(url, "-H 'x-api-key: WrongKey0123456789abcdef0123'" + json_body +
                            trigger_body(3) + "'"),
            403);
  // 30 requests 100 ms apart stay inside 25 rps / burst 50.
  int ok = 0;
  for (int i = 0; i < 30; ++i) {
    ok += status(url, "-H 'x-api-key: " + std::string(kKey) + "'" + json_body +
                          trigger_body(100 + i) + "'") == 200;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(ok, 30);
}

// The seed's test_bulk_invitations.sh: 25 players, then the registrations are there.
TEST_F(TwinServe, SeedBulkInvitationsScript) {
  ServeProcess server("--stack fixtures/scenarios/seed_api_key.json --data-dir " +
                      (dir_.path() / "data").string());
  ASSERT_TRUE(server.running()) << server.output();
  const std::string url = server.url() + "/prod/trigger";
  int ok = 0;
  for (int i = 0; i < 25; ++i) {
    ok += status(url, "-H 'x-api-key: " + std::string(kKey) +
                          "' -H 'Content-Type: application/json' -d '" + trigger_body(i) + "'") ==
          200;
  }
  EXPECT_EQ(ok, 25);
  auto regs = get_json(server.url() + "/_twin/registrations");
  ASSERT_TRUE(regs.is_object());
  EXPECT_EQ(regs.at("registrations").as_array().size(), 25u);
}

// The seed's test_webhook_concurrency.sh: 20 concurrent JSON webhooks through the queue; all
// are answered 200 and the event source mapping empties the queue.
TEST_F(TwinServe, SeedWebhookConcurrencyScript) {
  ServeProcess server("");
  ASSERT_TRUE(server.running()) << server.output();
  std::string config;
  for (int i = 0; i < 20; ++i) {
    if (i > 0) config += "next\n";  // options apply to one URL each
    config += "url = \"" + server.url() +
              "/prod/webhook\"\n-X POST\n-H \"Content-Type: "
              "application/json\"\n-d \"{\\\"MessageSid\\\":\\\"SM" +
              std::to_string(1000 + i) + "\\\",\\\"From\\\":\\\"whatsapp:+447700900" +
              std::to_string(100 + i) +
              "\\\",\\\"To\\\":\\\"whatsapp:+14155238886\\\",\\\"Body\\\":\\\"Yes\\\"}\"\n"
              "-o /dev/null\n-w \"%{http_code}\\n\"\n";
  }
  auto file = write("webhooks.curl", config);
  auto r = sh("curl -s -Z --parallel-max 20 -K " + file);
  int ok = 0;
  for (std::size_t at = r.out.find("200"); at != std::string::npos;
       at = r.out.find("200", at + 3)) {
    ++ok;
  }
  EXPECT_EQ(ok, 20) << r.out;
  // The mapping polls continuously; give it a few seconds of real time.
  std::int64_t left = -1;
  for (int tries = 0; tries < 50 && left != 0; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto q = get_json(server.url() + "/_twin/queues/registration-webhooks");
    const auto& a = q.at("queues").at("registration-webhooks").at("Attributes");
    left = std::stoll(std::string(a.at("ApproximateNumberOfMessages").as_string())) +
           std::stoll(std::string(a.at("ApproximateNumberOfMessagesNotVisible").as_string()));
  }
  EXPECT_EQ(left, 0);
}

TEST_F(TwinServe, AMessageSentBeforeARestartIsReceivedAfterIt) {
  const std::string data = "--data-dir " + (dir_.path() / "data").string();
  const std::string target = " -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: ";
  std::string queue_url;
  {
    ServeProcess server(data);
    ASSERT_TRUE(server.running()) << server.output();
    auto created = sh("curl -s -X POST" + target +
                      "AmazonSQS.CreateQueue' -d "
                      "'{\"QueueName\":\"restart-q\"}' " +
                      server.url() + "/");
    auto v = json::parse(created.out);
    queue_url = std::string(v.at("QueueUrl").as_string());
    auto sent = sh("curl -s -X POST" + target + "AmazonSQS.SendMessage' -d '{\"QueueUrl\":\"" +
                   queue_url + "\",\"MessageBody\":\"survives restarts\"}' " + server.url() + "/");
    EXPECT_NE(sent.out.find("MessageId"), std::string::npos) << sent.out;
    EXPECT_EQ(server.stop(SIGTERM), 0);
  }
  ServeProcess again(data);
  ASSERT_TRUE(again.running()) << again.output();
  // A new port: queue URLs are matched by account and name, whatever the host and port.
  auto received = sh("curl -s -X POST" + target + "AmazonSQS.ReceiveMessage' -d '{\"QueueUrl\":\"" +
                     queue_url + "\"}' " + again.url() + "/");
  EXPECT_NE(received.out.find("survives restarts"), std::string::npos) << received.out;
}

// Delays and visibility deadlines are absolute times in SQLite: across a restart, a delayed
// message is still delayed and a received one still invisible, until their times pass.
TEST_F(TwinServe, DelaysAndVisibilityDeadlinesResumeAfterARestart) {
  const std::string data = "--data-dir " + (dir_.path() / "data").string();
  const std::string target = " -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: ";
  auto call = [&](const std::string& url, const std::string& op, const std::string& body) {
    return sh("curl -s -X POST" + target + "AmazonSQS." + op + "' -d '" + body + "' " + url + "/")
        .out;
  };
  std::string queue_url;
  {
    ServeProcess server(data);
    ASSERT_TRUE(server.running()) << server.output();
    queue_url =
        std::string(json::parse(call(server.url(), "CreateQueue", R"({"QueueName":"resume-q"})"))
                        .at("QueueUrl")
                        .as_string());
    call(server.url(), "SendMessage",
         R"({"QueueUrl":")" + queue_url + R"(","MessageBody":"delayed","DelaySeconds":2})");
    call(server.url(), "SendMessage",
         R"({"QueueUrl":")" + queue_url + R"(","MessageBody":"held"})");
    auto first = call(server.url(), "ReceiveMessage",
                      R"({"QueueUrl":")" + queue_url + R"(","VisibilityTimeout":2})");
    EXPECT_NE(first.find("held"), std::string::npos) << first;
    EXPECT_EQ(server.stop(SIGTERM), 0);
  }
  ServeProcess again(data);
  ASSERT_TRUE(again.running()) << again.output();
  const std::string receive = R"({"QueueUrl":")" + queue_url + R"(","MaxNumberOfMessages":10})";
  EXPECT_EQ(call(again.url(), "ReceiveMessage", receive), "{}");
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  auto later = call(again.url(), "ReceiveMessage", receive);
  EXPECT_NE(later.find("delayed"), std::string::npos) << later;
  EXPECT_NE(later.find("held"), std::string::npos) << later;
}

TEST_F(TwinServe, ARecordingReplaysToTheSameStatuses) {
  const std::string recording = (dir_.path() / "recorded.json").string();
  {
    ServeProcess server("--stack fixtures/scenarios/seed_api_key.json --record " + recording);
    ASSERT_TRUE(server.running()) << server.output();
    const std::string url = server.url() + "/prod/trigger";
    const std::string body = " -H 'Content-Type: application/json' -d '";
    EXPECT_EQ(
        status(url, "-H 'x-api-key: " + std::string(kKey) + "'" + body + trigger_body(1) + "'"),
        200);
    EXPECT_EQ(status(url, body + trigger_body(2) + "'"), 403);
    EXPECT_EQ(status(server.url() + "/prod/nowhere", body + "{}'"), 403);
    EXPECT_EQ(server.stop(SIGTERM), 0) << server.output();
  }
  std::ifstream in(recording);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(kKey, text.find("\"traffic\"")), std::string::npos)
      << "the key's value is in the recorded requests";
  auto replay = sh(std::string("cd ") + TWIN_SOURCE_DIR + " && " + TWIN_BINARY + " replay " +
                   recording + " --json");
  EXPECT_EQ(replay.exit_code, 0) << replay.out;
  json::error_code ec;
  auto report = json::parse(replay.out, ec);
  ASSERT_FALSE(ec) << replay.out;
  EXPECT_EQ(report.at("recorded_mismatches").as_int64(), 0);
  const auto& trigger = report.at("routes").at("POST /trigger").at("status_counts");
  EXPECT_EQ(trigger.at("200").as_int64(), 1);
  EXPECT_EQ(trigger.at("403").as_int64(), 1);
  EXPECT_EQ(report.at("routes").at("POST /nowhere").at("status_counts").at("403").as_int64(), 1);
}

// The AWS CLI against --endpoint-url: the SQS round trip and the seed's provisioning commands,
// after which the key they created is honoured by /prod/trigger.
TEST_F(TwinServe, AwsCliSqsRoundTripAndTheSeedsApiGatewayProvisioning) {
  if (!have("aws")) GTEST_SKIP() << "the AWS CLI is not installed";
  ServeProcess server("");
  ASSERT_TRUE(server.running()) << server.output();
  const std::string aws =
      "AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test "
      "AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url " +
      server.url() + " --output text ";
  auto queue = sh(aws + "sqs create-queue --queue-name cli-q --query QueueUrl");
  ASSERT_EQ(queue.exit_code, 0) << queue.out;
  std::string url = queue.out.substr(0, queue.out.find('\n'));
  EXPECT_EQ(sh(aws + "sqs send-message --queue-url " + url + " --message-body hello-cli").exit_code,
            0);
  auto received = sh(aws + "sqs receive-message --queue-url " + url +
                     " --query 'Messages[0].[Body,ReceiptHandle]'");
  ASSERT_EQ(received.exit_code, 0) << received.out;
  EXPECT_EQ(received.out.rfind("hello-cli\t", 0), 0u) << received.out;
  std::string handle = received.out.substr(received.out.find('\t') + 1);
  handle = handle.substr(0, handle.find('\n'));
  EXPECT_EQ(
      sh(aws + "sqs delete-message --queue-url " + url + " --receipt-handle " + handle).exit_code,
      0);
  auto missing = sh(aws + "sqs get-queue-url --queue-name missing");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.out.find("NonExistentQueue"), std::string::npos) << missing.out;

  // The seed's provisioning, verbatim but for --endpoint-url.
  auto api = sh(aws + "apigateway get-rest-apis --query 'items[0].id'");
  std::string api_id = api.out.substr(0, api.out.find('\n'));
  auto key = sh(aws +
                "apigateway create-api-key --name UrmstonTownRegistrationKey --enabled "
                "--query '[id,value]'");
  ASSERT_EQ(key.exit_code, 0) << key.out;
  std::string key_id = key.out.substr(0, key.out.find('\t'));
  std::string key_value = key.out.substr(key.out.find('\t') + 1);
  key_value = key_value.substr(0, key_value.find('\n'));
  auto plan = sh(aws +
                 "apigateway create-usage-plan --name UrmstonTownRegistrationPlan "
                 "--throttle rateLimit=25,burstLimit=50 --api-stages apiId=" +
                 api_id + ",stage=prod --query id");
  ASSERT_EQ(plan.exit_code, 0) << plan.out;
  std::string plan_id = plan.out.substr(0, plan.out.find('\n'));
  const std::string trigger_url = server.url() + "/prod/trigger";
  const std::string body = " -H 'Content-Type: application/json' -d '" + trigger_body(1) + "'";
  EXPECT_EQ(status(trigger_url, "-H 'x-api-key: " + key_value + "'" + body), 403)
      << "a key in no plan of the stage";
  EXPECT_EQ(sh(aws + "apigateway create-usage-plan-key --usage-plan-id " + plan_id + " --key-id " +
               key_id + " --key-type API_KEY")
                .exit_code,
            0);
  EXPECT_EQ(status(trigger_url, "-H 'x-api-key: " + key_value + "'" + body), 200);
}

// boto3: a send/receive/delete round trip, a DLQ redrive and an error class.
TEST_F(TwinServe, Boto3RoundTripRedriveAndErrorClass) {
  if (sh("python3 -c 'import boto3'").exit_code != 0) GTEST_SKIP() << "boto3 is not installed";
  ServeProcess server("");
  ASSERT_TRUE(server.running()) << server.output();
  auto script = write("boto3_check.py", R"(import json, sys
import boto3
sqs = boto3.client("sqs", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
q = sqs.create_queue(QueueName="b3")["QueueUrl"]
sqs.send_message(QueueUrl=q, MessageBody="round trip")
m = sqs.receive_message(QueueUrl=q, WaitTimeSeconds=1)["Messages"][0]
assert m["Body"] == "round trip", m
sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"])
assert "Messages" not in sqs.receive_message(QueueUrl=q), "deleted message came back"
dlq = sqs.create_queue(QueueName="b3-dlq")["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
src = sqs.create_queue(QueueName="b3-src", Attributes={"RedrivePolicy": json.dumps(
    {"deadLetterTargetArn": arn, "maxReceiveCount": 1})})["QueueUrl"]
sqs.send_message(QueueUrl=src, MessageBody="poison")
first = sqs.receive_message(QueueUrl=src, VisibilityTimeout=0)["Messages"]
assert len(first) == 1
assert "Messages" not in sqs.receive_message(QueueUrl=src), "not moved to the DLQ"
moved = sqs.receive_message(QueueUrl=dlq)["Messages"]
assert moved[0]["Body"] == "poison", moved
try:
    sqs.get_queue_url(QueueName="does-not-exist")
    raise SystemExit("no error")
except sqs.exceptions.QueueDoesNotExist:
    pass
print("boto3 ok")
)");
  auto r = sh("python3 " + script + " " + server.url());
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("boto3 ok"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace twin::testing
