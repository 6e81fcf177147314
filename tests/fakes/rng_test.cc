// Golden values for the project's generator. They were computed by an independent Python
// transcription of SplitMix64, xoshiro256** and FNV-1a; if one changes, every recorded replay
// changes with it, so a failure here is a compatibility break, not a flaky test.
#include "fakes/rng/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace twin::fakes::rng {
namespace {

TEST(Rng, Fnv1aMatchesPublishedVectors) {
  EXPECT_EQ(fnv1a_64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a_64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a_64("lambda.duration"), 0x3b696c277137e424ULL);
}

TEST(Rng, SplitMix64FirstOutputOfZero) {
  std::uint64_t state = 0;
  EXPECT_EQ(splitmix64(state), 0xe220a8397b1dcdafULL);
}

TEST(Rng, GoldenFirstOutputsOfSeed42) {
  Rng r(42);
  EXPECT_EQ(r.next_u64(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(r.next_u64(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(r.next_u64(), 0xae17533239e499a1ULL);
  EXPECT_EQ(r.next_u64(), 0xecb8ad4703b360a1ULL);
}

TEST(Rng, GoldenForkedStream) {
  Rng f = Rng(42).fork("lambda.duration");
  EXPECT_EQ(f.seed(), 0xf5a0a07ca335d678ULL);
  EXPECT_EQ(f.next_u64(), 0x9250556d4e50baddULL);
  EXPECT_EQ(f.next_u64(), 0xbcce166adb1c4182ULL);
}

TEST(Rng, ForkDependsOnSeedAndNameNotOnDrawsMade) {
  Rng a(42);
  Rng b(42);
  for (int i = 0; i < 100; ++i) b.next_u64();
  EXPECT_EQ(a.fork("x").next_u64(), b.fork("x").next_u64());
  EXPECT_NE(a.fork("x").next_u64(), a.fork("y").next_u64());
  EXPECT_NE(a.fork("x").next_u64(), Rng(43).fork("x").next_u64());
}

TEST(Rng, GoldenDistributions) {
  Rng r(7);
  std::vector<std::uint64_t> below;
  for (int i = 0; i < 5; ++i) below.push_back(r.uniform_below(1000));
  EXPECT_EQ(below, (std::vector<std::uint64_t>{700, 278, 839, 981, 990}));

  Rng u(7);
  EXPECT_DOUBLE_EQ(u.uniform01(), 0.7005764821796896);
  EXPECT_DOUBLE_EQ(u.uniform01(), 0.2787512294737843);
  Rng n(7);
  EXPECT_DOUBLE_EQ(n.normal(0, 1), -0.2790239910251981);
  EXPECT_DOUBLE_EQ(n.normal(0, 1), 1.8997685786889567);
  Rng ln(7);
  EXPECT_DOUBLE_EQ(ln.log_normal(std::log(100000.0), 0.5), 86978.25896538082);
  Rng e(7);
  EXPECT_DOUBLE_EQ(e.exponential(10.0), 12.058962602474496);
}

TEST(Rng, UniformIntCoversBothEndsAndStaysInRange) {
  Rng r(1);
  int seen_lo = 0;
  int seen_hi = 0;
  for (int i = 0; i < 10'000; ++i) {
    std::int64_t v = r.uniform_int(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    seen_lo += v == -3;
    seen_hi += v == 3;
  }
  EXPECT_GT(seen_lo, 1'000);
  EXPECT_GT(seen_hi, 1'000);
  EXPECT_EQ(r.uniform_int(5, 5), 5);
}

TEST(Rng, MomentsAreRoughlyRight) {
  Rng r(99);
  constexpr int kDraws = 100'000;
  double sum_n = 0;
  double sum_n2 = 0;
  double sum_e = 0;
  for (int i = 0; i < kDraws; ++i) {
    double x = r.normal(2.0, 3.0);
    sum_n += x;
    sum_n2 += x * x;
    sum_e += r.exponential(5.0);
  }
  double mean = sum_n / kDraws;
  EXPECT_NEAR(mean, 2.0, 0.05);
  EXPECT_NEAR(std::sqrt(sum_n2 / kDraws - mean * mean), 3.0, 0.05);
  EXPECT_NEAR(sum_e / kDraws, 5.0, 0.1);
}

}  // namespace
}  // namespace twin::fakes::rng
