// Message-level rules of SQS: the MD5 digests of reference 3.5, the message attribute encoding
// (which is also how attributes are stored), and the validation of bodies, attributes, batch
// entry ids, FIFO ids and queue names (reference 3.3, 3.4, 3.6, 3.12).
//
// Choices where the reference is silent or uncertain:
// - Number attributes are kept and hashed exactly as sent (reference 6.10 is unsure whether AWS
//   hashes the zero-stripped form; all recorded vectors are already normal).
// - A body that is not valid UTF-8 is InvalidMessageContents, like a bad code point.
//
// Pure functions; no state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "fakes/sqs/sqs_types.h"

namespace twin::fakes::sqs {

// Lowercase hex MD5 of `bytes` (RFC 1321).
std::string md5_hex(std::string_view bytes);

// The byte buffer of reference 3.5 step 2 for `attributes` (in name order). It is reversible,
// so the service stores attributes in this form too.
std::string encode_message_attributes(const MessageAttributeMap& attributes);
// Inverse of encode_message_attributes; nullopt when the bytes are not such a buffer.
std::optional<MessageAttributeMap> decode_message_attributes(std::string_view bytes);
// MD5OfMessageAttributes: md5_hex of the encoding.
std::string md5_of_message_attributes(const MessageAttributeMap& attributes);

// Bytes a message counts against MaximumMessageSize: the body plus every attribute's name,
// data type and value.
std::int64_t message_size(std::string_view body, const MessageAttributeMap& attributes);

// True when every code point of `text` is in SQS's allowed set (#x9 | #xA | #xD | #x20-#xD7FF |
// #xE000-#xFFFD | #x10000-#x10FFFF) and the text is valid UTF-8.
bool has_only_allowed_characters(std::string_view text);

// MessageBody: present and of allowed characters. Size is checked by the caller, which knows
// the queue's limit.
core::Status validate_message_body(std::string_view body);
// MessageAttributes: count, names, data types, values (reference 3.4).
core::Status validate_message_attributes(const MessageAttributeMap& attributes);
// MessageSystemAttributes: only AWSTraceHeader, a non-empty String.
core::Status validate_message_system_attributes(const MessageAttributeMap& attributes);
// MessageGroupId / MessageDeduplicationId / ReceiveRequestAttemptId: 1-128 characters,
// alphanumeric or punctuation.
core::Status validate_fifo_id(std::string_view parameter, std::string_view value);
// Batch entry Id: 1-80 characters of [A-Za-z0-9_-].
bool is_valid_batch_entry_id(std::string_view id);
// QueueName: 1-80 characters of [A-Za-z0-9_-], FIFO queues end in ".fifo".
core::Status validate_queue_name(std::string_view name, bool fifo);

// Whether a ReceiveMessage MessageAttributeNames filter selects `name`: "All", ".*", "*", an
// exact name, or a prefix "foo.*".
bool attribute_filter_matches(std::string_view filter, std::string_view name);

}  // namespace twin::fakes::sqs
