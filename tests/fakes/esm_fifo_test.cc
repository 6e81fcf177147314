// The event source mapping on a FIFO queue (fakes/esm/event_source_mapping.h, reference 4.1,
// 4.2, 4.4): validation, the FIFO attributes of the records, order per message group across
// batches, and a failure holding its group back while other groups go on.
#include <gtest/gtest.h>

#include "tests/fakes/esm_fixture.h"

namespace twin::fakes::esm {
namespace {

constexpr core::DurationUs kMs = core::kMicrosPerMilli;

class EsmFifo : public EsmFixture {
 public:
  std::string create_fifo(const std::string& name = "q.fifo") {
    return create(name, {{"FifoQueue", "true"},
                         {"ContentBasedDeduplication", "true"},
                         {"VisibilityTimeout", "30"}});
  }
  EventSourceMappingConfig fifo_mapping(std::int64_t batch_size = 10, bool report = true) {
    EventSourceMappingConfig c = mapping("q.fifo");
    c.batch_size = batch_size;
    if (report) c.function_response_types = {"ReportBatchItemFailures"};
    return c;
  }
  // Bodies of every call, one string per call: "a0 a1 b0".
  std::vector<std::string> batches() const {
    std::vector<std::string> out;
    for (const auto& call : code_.calls) {
      std::string line;
      for (const auto& r : call.records) line += (line.empty() ? "" : " ") + r.body;
      out.push_back(line);
    }
    return out;
  }
};

std::string attribute_of(const core::SqsRecord& r, std::string_view name) {
  for (const auto& [k, v] : r.attributes) {
    if (k == name) return v;
  }
  return "";
}

std::string failures(const std::vector<std::string>& ids) {
  std::string out = R"({"batchItemFailures":[)";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += (i ? "," : "") + std::string(R"({"itemIdentifier":")") + ids[i] + "\"}";
  }
  return out + "]}";
}

TEST_F(EsmFifo, CreateRefusesABatchingWindowAndBatchesAboveTen) {
  create_fifo();
  create_function(function());
  auto c = fifo_mapping();
  c.maximum_batching_window_in_seconds = 1;
  auto r = try_start(c);
  EXPECT_AWS_ERROR(r.status(), "InvalidParameterValueException", 400);
  EXPECT_EQ(r.status().message(), "Batching window is not supported for FIFO queues");
  c.batch_size = 100;  // a window makes 100 legal on a standard queue, not here
  c.maximum_batching_window_in_seconds = 5;
  EXPECT_EQ(try_start(c).status().message(), "Batching window is not supported for FIFO queues");
  c.maximum_batching_window_in_seconds = 0;
  c.batch_size = 11;
  r = try_start(c);
  EXPECT_AWS_ERROR(r.status(), "InvalidParameterValueException", 400);
  EXPECT_EQ(r.status().message(),
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is "
            "greater than 10");
  executor_.advance(60 * kSecond);
  EXPECT_EQ(sqs_->waiting_receives(), 0u);  // nothing was started
  c.batch_size = 10;                        // an explicit window of 0 is the default, and taken
  start(c);
  EXPECT_TRUE(esm_->fifo());
  EXPECT_EQ(esm_->maximum_batching_window_in_seconds(), 0);
}

TEST_F(EsmFifo, AStandardQueueIsNotFifo) {
  create("q");
  create_function(function());
  start(mapping());
  EXPECT_FALSE(esm_->fifo());
}

TEST_F(EsmFifo, RecordsCarryGroupDeduplicationIdAndSequenceNumber) {
  std::string url = create_fifo();
  create_function(function());
  auto sent = send(url, "hello", "g1", "d1");
  ASSERT_TRUE(sent.sequence_number.has_value());
  start(fifo_mapping());
  executor_.advance(kSecond);
  ASSERT_EQ(code_.calls.size(), 1u);
  const core::SqsRecord& rec = code_.calls[0].records.at(0);
  EXPECT_EQ(attribute_of(rec, "MessageGroupId"), "g1");
  EXPECT_EQ(attribute_of(rec, "MessageDeduplicationId"), "d1");
  EXPECT_EQ(attribute_of(rec, "SequenceNumber"), *sent.sequence_number);
  EXPECT_EQ(attribute_of(rec, "ApproximateReceiveCount"), "1");
  EXPECT_EQ(rec.event_source_arn, arn("q.fifo"));
  EXPECT_EQ(rec.attributes.size(), 7u);
  EXPECT_EQ(esm_->metrics().deletes, 1);
}

TEST_F(EsmFifo, OrderWithinAGroupIsKeptAcrossBatches) {
  std::string url = create_fifo();
  create_function(function(100 * kMs));
  for (int i = 0; i < 10; ++i) {
    send(url, "a" + std::to_string(i), "A");
    send(url, "b" + std::to_string(i), "B");
  }
  start(fifo_mapping(3));  // five pollers, three messages a batch
  executor_.advance(10 * kSecond);
  // Each group's messages arrive in send order, never two batches of a group at once.
  std::map<std::string, std::vector<std::string>> by_group;
  std::map<std::string, core::TimeUs> group_free_at;
  for (const auto& call : code_.calls) {
    std::set<std::string> groups_in_call;
    for (const auto& r : call.records) {
      const std::string group = attribute_of(r, "MessageGroupId");
      by_group[group].push_back(r.body);
      groups_in_call.insert(group);
    }
    for (const std::string& g : groups_in_call) {
      EXPECT_GE(call.at, group_free_at[g]) << g;  // the previous batch of g had ended
      group_free_at[g] = call.at + 100 * kMs;
    }
  }
  std::vector<std::string> a, b;
  for (int i = 0; i < 10; ++i) {
    a.push_back("a" + std::to_string(i));
    b.push_back("b" + std::to_string(i));
  }
  EXPECT_EQ(by_group["A"], a);
  // The two groups go side by side in batches of their own.
  EXPECT_EQ(batches(), (std::vector<std::string>{"a0 a1 a2", "b0 b1 b2", "a3 a4 a5", "b3 b4 b5",
                                                 "a6 a7 a8", "b6 b7 b8", "a9", "b9"}));
  EXPECT_EQ(by_group["B"], b);
  EXPECT_EQ(esm_->metrics().records, 20);
  EXPECT_EQ(esm_->metrics().deletes, 20);
  EXPECT_EQ(depth(url), 0);
}

TEST_F(EsmFifo, AFailureHoldsItsGroupBackUntilTheRetryWhileOtherGroupsGoOn) {
  std::string url = create_fifo();
  create_function(function(100 * kMs));
  for (int i = 0; i < 3; ++i) {
    send(url, "a" + std::to_string(i), "A");
    send(url, "b" + std::to_string(i), "B");
  }
  // a1 fails on its first delivery; the function lists it and the rest of its group, as AWS
  // asks of a FIFO function.
  code_.respond = [&](const core::SqsEvent& event) -> core::Result<std::string> {
    std::vector<std::string> ids;
    for (const auto& r : event.records) {
      if (code_.calls.size() == 1 && (r.body == "a1" || r.body == "a2")) {
        ids.push_back(r.message_id);
      }
    }
    return failures(ids);
  };
  start(fifo_mapping());
  executor_.advance(kSecond);
  send(url, "b3", "B");  // B is free again: it goes at once
  send(url, "a3", "A");  // A waits behind a1 and a2
  executor_.advance(40 * kSecond);
  EXPECT_EQ(batches(), (std::vector<std::string>{"a0 a1 a2 b0 b1 b2", "b3", "a1 a2 a3"}));
  ASSERT_EQ(code_.calls.size(), 3u);
  EXPECT_EQ(code_.calls[1].at, kStartUs + kSecond);
  EXPECT_EQ(code_.calls[2].at, kStartUs + 30 * kSecond);  // a1's visibility timeout
  EXPECT_EQ(attribute_of(code_.calls[2].records[0], "ApproximateReceiveCount"), "2");
  EXPECT_EQ(attribute_of(code_.calls[2].records[2], "ApproximateReceiveCount"), "1");
  EXPECT_EQ(esm_->metrics().failures, 2);
  EXPECT_EQ(esm_->metrics().deletes, 8);
  EXPECT_EQ(depth(url), 0);
}

TEST_F(EsmFifo, AFailedBatchHoldsEveryGroupInIt) {
  std::string url = create_fifo();
  create_function(function(100 * kMs));
  send(url, "a0", "A");
  send(url, "b0", "B");
  code_.respond = [&](const core::SqsEvent&) -> core::Result<std::string> {
    if (code_.calls.size() == 1) return core::internal_error("boom");  // a function error
    return std::string("{}");
  };
  start(fifo_mapping());
  executor_.advance(kSecond);
  send(url, "a1", "A");
  send(url, "c0", "C");
  executor_.advance(40 * kSecond);
  EXPECT_EQ(batches(), (std::vector<std::string>{"a0 b0", "c0", "a0 a1 b0"}));
  EXPECT_EQ(code_.calls[2].at, kStartUs + 30 * kSecond);
  EXPECT_EQ(esm_->metrics().failures, 2);
  EXPECT_EQ(depth(url), 0);
}

TEST_F(EsmFifo, ListingOnlyTheFailedMessageLosesTheOrderUnlessTheGroupIsKept) {
  for (bool keep : {false, true}) {
    SCOPED_TRACE(keep ? "fifo_keep_rest_of_group" : "as AWS documents");
    code_.calls.clear();
    const std::string name = keep ? "kept.fifo" : "q.fifo";
    std::string url = create_fifo(name);
    lambda::FunctionConfig f = function(100 * kMs);
    f.function_name = keep ? "kept" : "fn";
    create_function(f);
    for (int i = 0; i < 3; ++i) send(url, "a" + std::to_string(i), "A");
    code_.respond = [&](const core::SqsEvent& event) -> core::Result<std::string> {
      for (const auto& r : event.records) {  // a1 fails once, and only a1 is listed
        if (r.body == "a1" && code_.calls.size() == 1) return failures({r.message_id});
      }
      return std::string("{}");
    };
    EsmOptions options;
    options.fifo_keep_rest_of_group = keep;
    EventSourceMappingConfig c = fifo_mapping();
    c.event_source_arn = arn(name);
    c.function_name = f.function_name;
    start(c, options);
    executor_.advance(40 * kSecond);
    EXPECT_EQ(batches(), keep ? (std::vector<std::string>{"a0 a1 a2", "a1 a2"})
                              : (std::vector<std::string>{"a0 a1 a2", "a1"}));
    EXPECT_EQ(depth(url), 0);
    esm_.reset();
  }
}

// Groups A (a0, a1, a2) and B (b0, b1) interleaved, then x without a group, each made by
// `item(id, group)`; the failures named must bring the rest of their groups along.
template <typename Make>
void expect_rest_of_groups_added_in_batch_order(Make item) {
  const auto batch = std::vector{item("a0", "A"), item("b0", "B"), item("a1", "A"),
                                 item("b1", "B"), item("a2", "A"), item("x", std::nullopt)};
  EXPECT_EQ(with_rest_of_groups(batch, {"a1"}), (std::set<std::string>{"a1", "a2"}));
  EXPECT_EQ(with_rest_of_groups(batch, {"a0", "b1"}),
            (std::set<std::string>{"a0", "a1", "a2", "b1"}));
  EXPECT_EQ(with_rest_of_groups(batch, {"x"}), (std::set<std::string>{"x"}));
  EXPECT_EQ(with_rest_of_groups(batch, {}), std::set<std::string>{});
}

TEST(EsmFifoGroups, TheRestOfAFailedGroupIsAddedInBatchOrder) {
  expect_rest_of_groups_added_in_batch_order([](std::string id, std::optional<std::string> group) {
    sqs::Message m;
    m.message_id = std::move(id);
    if (group) m.attributes.emplace_back("MessageGroupId", *group);
    return m;
  });
}

// The mapping keeps a batch as its event's records: the same answers from their attributes.
TEST(EsmFifoGroups, TheRestOfAFailedGroupIsAddedInBatchOrderOverRecords) {
  expect_rest_of_groups_added_in_batch_order([](std::string id, std::optional<std::string> group) {
    core::SqsRecord r;
    r.message_id = std::move(id);
    r.attributes.emplace_back("ApproximateReceiveCount", "1");
    if (group) r.attributes.emplace_back("MessageGroupId", *group);
    r.attributes.emplace_back("SentTimestamp", "1767225600000");
    return r;
  });
}

}  // namespace
}  // namespace twin::fakes::esm
