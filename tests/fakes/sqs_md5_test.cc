// MD5OfMessageBody and MD5OfMessageAttributes: every vector of reference 3.5.
#include <gtest/gtest.h>

#include "fakes/sqs/sqs_message_rules.h"

namespace twin::fakes::sqs {
namespace {

MessageAttributeValue str(std::string v, std::string type = "String") {
  return {std::move(type), std::move(v), std::nullopt};
}
MessageAttributeValue bin(std::string v) { return {"Binary", std::nullopt, std::move(v)}; }

TEST(SqsMd5, BodyVectors) {
  EXPECT_EQ(md5_hex("test"), "098f6bcd4621d373cade4e832627b4f6");
  EXPECT_EQ(md5_hex("Test message."), "e4e68fb7bd0e697a0ae8f1bb342846b3");
  EXPECT_EQ(md5_hex("hello"), "5d41402abc4b2a76b9719d911017c592");
}

TEST(SqsMd5, WorkedBytes) {
  std::string expected(
      "\x00\x00\x00\x0b"
      "attribName1"
      "\x00\x00\x00\x06"
      "String"
      "\x01"
      "\x00\x00\x00\x0d"
      "attribValue 1",
      4 + 11 + 4 + 6 + 1 + 4 + 13);
  MessageAttributeMap a{{"attribName1", str("attribValue 1")}};
  EXPECT_EQ(encode_message_attributes(a), expected);
  EXPECT_EQ(md5_of_message_attributes(a), "19e27d4e946b072f3f58da80d94fd778");
}

TEST(SqsMd5, AttributeVectors) {
  EXPECT_EQ(md5_of_message_attributes({{"k", str("x")}}), "a45daa70926828a2f0a1db3418e6feb4");
  EXPECT_EQ(md5_of_message_attributes({{"Foo", str("Bar")}}), "ae7155c6026991b6d54b11589678bf9c");
  MessageAttributeMap three{
      {"Help.Me", str("Me")}, {"Hello", str("There")}, {"General", str("Kenobi")}};
  EXPECT_EQ(md5_of_message_attributes(three), "4c360f3fdafd970e05fae2f149d997f5");
  EXPECT_EQ(md5_of_message_attributes({{"General", str("Kenobi")}, {"Hello", str("There")}}),
            "fca026605781cb4126a1e9044df24232");
  EXPECT_EQ(md5_of_message_attributes({{"Hello", str("There")}}),
            "a311262e065454b75da111d535b8dacd");
  EXPECT_EQ(md5_of_message_attributes({{"Hello", str("There")}, {"Help.Me", str("Me")}}),
            "83fee93c1bcd8b9a5a923ffacdc636c7");
  MessageAttributeMap book{{"Title", str("The Whistler")},
                           {"Author", str("John Grisham")},
                           {"WeeksOn", str("6", "Number")}};
  EXPECT_EQ(md5_of_message_attributes(book), "d25a6aea97eb8f585bfa92d314504a92");
  MessageAttributeValue custom = str("4563442423554324324264524243.32543234", "Number.float");
  EXPECT_EQ(md5_of_message_attributes({{"customNumberTypeAttrib", custom}}),
            "9fe1b90bbd9965bdf77bac517c7d2495");
  EXPECT_EQ(md5_of_message_attributes({{"binaryAttribute", bin("Hello binary world!")}}),
            "31a92b15d92f8db860eda32aceb656c3");
  MessageAttributeMap all{{"attribName1", str("attribValue 1")},
                          {"customNumberTypeAttrib", custom},
                          {"binaryAttribute", bin("Hello binary world!")}};
  EXPECT_EQ(md5_of_message_attributes(all), "c932db14a896c663f83c260297d594ff");
  EXPECT_EQ(md5_of_message_attributes({{"b", bin(std::string("\x00\x01", 2))}, {"k", str("x")}}),
            "6934ebcbca1909050f708faa8c71d0a4");
}

TEST(SqsMd5, SystemAttributes) {
  MessageAttributeMap trace{
      {"AWSTraceHeader",
       str("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")}};
  EXPECT_EQ(md5_of_message_attributes(trace), "5ae4d5d7636402d80f4eb6d213245a88");
}

TEST(SqsMd5, EncodingRoundTrips) {
  MessageAttributeMap a{{"b", bin(std::string("\x00\x01", 2))}, {"k", str("x")}};
  auto decoded = decode_message_attributes(encode_message_attributes(a));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, a);
  EXPECT_FALSE(decode_message_attributes(std::string("\x00\x00\x00\x09short", 9)).has_value());
}

TEST(SqsMd5, AttributeFilters) {
  EXPECT_TRUE(attribute_filter_matches("All", "x"));
  EXPECT_TRUE(attribute_filter_matches(".*", "x"));
  EXPECT_TRUE(attribute_filter_matches("*", "x"));
  EXPECT_TRUE(attribute_filter_matches("Hel.*", "Hello"));
  EXPECT_TRUE(attribute_filter_matches("Hel.*", "Help.Me"));
  EXPECT_FALSE(attribute_filter_matches("Hel.*", "General"));
  EXPECT_FALSE(attribute_filter_matches("AWS.", "AWS.x"));
  EXPECT_TRUE(attribute_filter_matches("General", "General"));
}

}  // namespace
}  // namespace twin::fakes::sqs
