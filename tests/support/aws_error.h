// EXPECT_AWS_ERROR(status, code, http): the status is an error carrying this AWS error code and
// HTTP status. Shared by the tests of every AWS fake.
#pragma once

#include <gtest/gtest.h>

#include "core/status.h"

#define EXPECT_AWS_ERROR(expr, code, http)                 \
  do {                                                     \
    const ::twin::core::Status st_ = (expr);               \
    EXPECT_FALSE(st_.is_ok());                             \
    EXPECT_EQ(st_.aws_code(), code) << st_.to_string();    \
    EXPECT_EQ(st_.http_status(), http) << st_.to_string(); \
  } while (0)
