#include "fakes/memory/memory_ports.h"

#include <cstring>

namespace twin::fakes {

std::uint64_t SeededIdSource::next64() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void SeededIdSource::write_uuid(char* out) {
  std::uint64_t hi = next64();
  std::uint64_t lo = next64();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                  // version 4
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);  // variant 10xx
  static constexpr char kHex[] = "0123456789abcdef";
  // The 32 digits in their places around the dashes (8-4-4-4-12).
  static constexpr unsigned char kPlace[32] = {0,  1,  2,  3,  4,  5,  6,  7,  9,  10, 11,
                                               12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25,
                                               26, 27, 28, 29, 30, 31, 32, 33, 34, 35};
  for (int i = 0; i < 16; ++i) {
    out[kPlace[i]] = kHex[(hi >> (60 - 4 * i)) & 15];
    out[kPlace[16 + i]] = kHex[(lo >> (60 - 4 * i)) & 15];
  }
  out[8] = out[13] = out[18] = out[23] = '-';
}

core::Result<std::string> MemoryQueue::send(std::string_view body) {
  messages_.push_back({ids_.next_uuid(), std::string(body)});
  return messages_.back().message_id;
}

core::Result<std::optional<core::Registration>> MemoryRegistrationStore::find_by_natural_key(
    std::string_view key) {
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::optional<core::Registration>();
  return core::Result<std::optional<core::Registration>>(std::in_place, registrations_[it->second]);
}

core::Status MemoryRegistrationStore::insert(const core::Registration& registration) {
  std::string key = core::registration_natural_key(registration.request);
  if (by_key_.contains(key)) {
    return {core::StatusCode::kAlreadyExists,
            "registration exists: " + registration.registration_id};
  }
  by_key_.emplace(std::move(key), registrations_.size());
  registrations_.push_back(registration);
  return core::Status::ok();
}

core::Status MemoryRegistrationStore::update(const core::Registration& registration) {
  for (auto& r : registrations_) {
    if (r.registration_id == registration.registration_id) {
      r = registration;
      return core::Status::ok();
    }
  }
  return core::not_found("no registration " + registration.registration_id);
}

core::Result<int> MemoryRegistrationStore::mark_replied(std::string_view parent_tel,
                                                        core::TimeUs received_at,
                                                        core::TimeUs now) {
  int moved = 0;
  for (auto& r : registrations_) {
    if (r.request.parent_tel == parent_tel && r.status == core::RegistrationStatus::kPending &&
        r.created_at_us <= received_at) {
      r.status = core::RegistrationStatus::kReplied;
      r.updated_at_us = now;
      ++moved;
    }
  }
  return moved;
}

core::Status MemoryRegistrationStore::record_inbound(const core::InboundMessage& message) {
  inbound_.try_emplace(message.message_sid, message);
  return core::Status::ok();
}

core::Result<bool> MemoryIdempotencyStore::seen(std::string_view key, core::TimeUs now) {
  auto it = expiry_.find(key);
  if (it == expiry_.end()) return false;
  if (it->second <= now) {
    expiry_.erase(it);
    return false;
  }
  return true;
}

core::Status MemoryIdempotencyStore::record(std::string_view key, core::TimeUs expires_at) {
  auto [it, inserted] = expiry_.try_emplace(std::string(key), expires_at);
  if (!inserted && it->second < expires_at) it->second = expires_at;
  return core::Status::ok();
}

}  // namespace twin::fakes
