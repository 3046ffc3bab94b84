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
  AnswerCache cache(10, 10);
  cache.Insert(Key("0001"), 1, grpc::Slice("123456"));
  cache.Insert(Key("0002"), 1, grpc::Slice("abcdef"));
  EXPECT_EQ(Held(cache, Key("0001")), "<none>");
  EXPECT_EQ(Held(cache, Key("0002")), "abcdef");
  cache.Insert(Key("0003"), 1, grpc::Slice("answer too large"));
  EXPECT_EQ(Held(cache, Key("0003")), "<none>");
  EXPECT_EQ(Held(cache, Key("0002")), "abcdef");
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
