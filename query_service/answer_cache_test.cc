#include "query_service/answer_cache.h"

#include <initializer_list>
#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace query {
namespace {

AnswerKey Key(const std::string& node, bool cleared = false) {
  return {node, 2024, "05", cleared};
}

std::string Held(const AnswerCache& cache, const AnswerKey& key,
                 size_t registry_size = 1) {
  std::optional<grpc::Slice> answer = cache.Find(key, registry_size);
  if (!answer.has_value()) return "<none>";
  return std::string(reinterpret_cast<const char*>(answer->begin()),
                     answer->size());
}

// How many of the nodes' answers to Key(node) the cache holds.
int CountHeld(const AnswerCache& cache,
              std::initializer_list<const char*> nodes) {
  int held = 0;
  for (const char* node : nodes) {
    if (Held(cache, Key(node)) != "<none>") ++held;
  }
  return held;
}

TEST(AnswerCacheTest, AnswerIsFoundOnlyForItsKeyAndRegistrySize) {
  AnswerCache cache(10, 1000);
  cache.Insert(Key("0001"), 1, grpc::Slice("table"));
  EXPECT_EQ(Held(cache, Key("0001")), "table");
  EXPECT_EQ(Held(cache, Key("0001", /*cleared=*/true)), "<none>");
  EXPECT_EQ(Held(cache, Key("0002")), "<none>");
  EXPECT_EQ(Held(cache, Key("0001"), /*registry_size=*/2), "<none>");
}

TEST(AnswerCacheTest, LookupsCountHitsAndMisses) {
  AnswerCache cache(10, 1000);
  cache.Insert(Key("0001"), 1, grpc::Slice("table"));
  Held(cache, Key("0001"));
  Held(cache, Key("0001"));
  Held(cache, Key("0002"));                       // No such node.
  Held(cache, Key("0001"), /*registry_size=*/2);  // Built before it grew.
  AnswerCache::Lookups lookups = cache.lookups();
  EXPECT_EQ(lookups.hits, 2u);
  EXPECT_EQ(lookups.misses, 2u);
}

TEST(AnswerCacheTest, DropNodeForgetsOnlyThatNode) {
  AnswerCache cache(10, 1000);
  cache.Insert(Key("0001"), 1, grpc::Slice("a"));
  cache.Insert(Key("0001", true), 1, grpc::Slice("b"));
  cache.Insert(Key("0002"), 1, grpc::Slice("c"));
  cache.DropNode("0001");
  EXPECT_EQ(Held(cache, Key("0001")), "<none>");
  EXPECT_EQ(Held(cache, Key("0001", true)), "<none>");
  EXPECT_EQ(Held(cache, Key("0002")), "c");
}

TEST(AnswerCacheTest, FullCacheDropsOtherNodesForTheNewAnswer) {
  AnswerCache cache(2, 1000);
  cache.Insert(Key("0001"), 1, grpc::Slice("a"));
  cache.Insert(Key("0002"), 1, grpc::Slice("b"));
  cache.Insert(Key("0003"), 1, grpc::Slice("c"));
  EXPECT_EQ(Held(cache, Key("0003")), "c");
  EXPECT_EQ(CountHeld(cache, {"0001", "0002", "0003"}), 2);
}

TEST(AnswerCacheTest, BytesAreBounded) {
  // Room for one entry of a 6-byte answer, not two.
  AnswerCache cache(10, 2 * AnswerCache::kEntryOverhead);
  cache.Insert(Key("0001"), 1, grpc::Slice("123456"));
  cache.Insert(Key("0002"), 1, grpc::Slice("abcdef"));
  EXPECT_EQ(Held(cache, Key("0001")), "<none>");
  EXPECT_EQ(Held(cache, Key("0002")), "abcdef");
  cache.Insert(Key("0003"), 1,
               grpc::Slice(std::string(2 * AnswerCache::kEntryOverhead, 'x')));
  EXPECT_EQ(Held(cache, Key("0003")), "<none>");
  EXPECT_EQ(Held(cache, Key("0002")), "abcdef");
}

TEST(AnswerCacheTest, KeysCountInTheByteBudget) {
  // Aggregate requests with long query fields and one-byte answers: the
  // keys alone must not grow the cache beyond its budget.
  constexpr size_t kBudget = 1 << 20;
  AnswerCache cache(4'096, kBudget);
  const std::string long_query(100'000, 'q');
  for (int i = 0; i < 20; ++i) {
    cache.Insert({std::to_string(1000 + i), 2024, long_query, false}, 1,
                 grpc::Slice("a"));
  }
  int held = 0;
  for (int i = 0; i < 20; ++i) {
    if (cache.Find({std::to_string(1000 + i), 2024, long_query, false}, 1)) {
      ++held;
    }
  }
  EXPECT_LE(held * long_query.size(), kBudget);
  EXPECT_GT(held, 0);
}

TEST(AnswerCacheTest, ReplacingAnAnswerKeepsTheCountRight) {
  AnswerCache cache(2, 1000);
  cache.Insert(Key("0001"), 1, grpc::Slice("old"));
  cache.Insert(Key("0001"), 2, grpc::Slice("new"));
  cache.Insert(Key("0002"), 1, grpc::Slice("b"));
  EXPECT_EQ(Held(cache, Key("0001"), 2), "new");
  EXPECT_EQ(Held(cache, Key("0002")), "b");
}

}  // namespace
}  // namespace query
