// lambda::Payload::build_in: a typed value built in storage the caller keeps from one payload to
// the next, written over only while no payload shares it.
#include "fakes/lambda/payload.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/events/proxy_event.h"

namespace twin::fakes::lambda {
namespace {

core::ProxyEvent event_for(std::string path) {
  core::ProxyEvent event;
  event.resource = "/trigger";
  event.path = std::move(path);
  event.http_method = "POST";
  return event;
}

TEST(PayloadBuildIn, BuildsOverItsValueOnceNoPayloadSharesIt) {
  std::shared_ptr<core::ProxyEvent> storage;
  const core::ProxyEvent* first = nullptr;
  {
    const Payload payload = Payload::build_in(storage, [](core::ProxyEvent& event) {
      EXPECT_EQ(core::serialize(event), core::serialize(core::ProxyEvent{}));  // a default one
      event = event_for("/a-path-longer-than-a-short-string");
    });
    first = payload.proxy_event();
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first, storage.get());
  }
  const Payload payload = Payload::build_in(storage, [](core::ProxyEvent& event) {
    EXPECT_EQ(event.path, "/a-path-longer-than-a-short-string");  // the last value, to write over
    event.path = "/b";
  });
  EXPECT_EQ(payload.proxy_event(), first);
  EXPECT_EQ(payload.json(), core::serialize(event_for("/b")));
}

TEST(PayloadBuildIn, AValueStillSharedIsNeverWrittenOver) {
  std::shared_ptr<core::ProxyEvent> storage;
  const Payload held =
      Payload::build_in(storage, [](core::ProxyEvent& event) { event = event_for("/held"); });
  const Payload copy = held;  // payloads share their value
  const Payload next = Payload::build_in(storage, [](core::ProxyEvent& event) {
    EXPECT_EQ(event.path, "");  // a new default value
    event = event_for("/next");
  });
  EXPECT_NE(next.proxy_event(), held.proxy_event());
  EXPECT_EQ(storage.get(), next.proxy_event());
  EXPECT_EQ(held.json(), core::serialize(event_for("/held")));
  EXPECT_EQ(copy.json(), core::serialize(event_for("/held")));
  EXPECT_EQ(next.json(), core::serialize(event_for("/next")));
}

// A value whose text would not read back as itself travels as text, as with Payload::of; the
// storage is then free for the next payload at once.
TEST(PayloadBuildIn, AValueThatWouldNotReadBackIsText) {
  std::shared_ptr<core::ProxyEvent> storage;
  core::ProxyEvent invalid = event_for("/x");
  invalid.body = std::string("\xff\xfe not UTF-8");
  const Payload text =
      Payload::build_in(storage, [&](core::ProxyEvent& event) { event = invalid; });
  EXPECT_FALSE(text.typed());
  EXPECT_EQ(text.json(), core::serialize(invalid));
  const core::ProxyEvent* kept = storage.get();
  const Payload typed =
      Payload::build_in(storage, [](core::ProxyEvent& event) { event = event_for("/y"); });
  EXPECT_EQ(typed.proxy_event(), kept);
  EXPECT_EQ(typed.json(), core::serialize(event_for("/y")));
}

}  // namespace
}  // namespace twin::fakes::lambda
