#include "budget/consolidation/unit_tree.h"

#include <string>
#include <vector>

#include "budget/consolidation/consolidation_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budget {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Codes(const std::vector<const v1::Unit*>& units) {
  std::vector<std::string> out;
  for (const v1::Unit* u : units) out.push_back(u->code());
  return out;
}

TEST(UnitTreeTest, KeepsChildrenInCodeOrder) {
  UnitTree tree;
  ASSERT_TRUE(tree.Add(MakeUnit("021", "", v1::UNIT_KIND_GROUP)).ok());
  ASSERT_TRUE(tree.Add(MakeUnit("021014", "021")).ok());
  ASSERT_TRUE(tree.Add(MakeUnit("021001", "021")).ok());
  ASSERT_TRUE(tree.Add(MakeUnit("021002", "021")).ok());
  EXPECT_THAT(Codes(tree.Children("021")),
              ElementsAre("021001", "021002", "021014"));
  EXPECT_THAT(Codes(tree.PathToRoot("021014")), ElementsAre("021014", "021"));
  EXPECT_EQ(tree.size(), 4u);
}

TEST(UnitTreeTest, ADuplicateCodeNamesTheRegisteredUnitAndTheOneGiven) {
  UnitTree tree;
  ASSERT_TRUE(tree.Add(MakeUnit("1", "", v1::UNIT_KIND_GROUP)).ok());
  ASSERT_TRUE(tree.Add(MakeUnit("900", "1")).ok());
  v1::Unit other = MakeUnit("900", "", v1::UNIT_KIND_GROUP);
  other.set_name("another office");
  absl::Status twice = tree.Add(other);
  EXPECT_EQ(twice.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(twice.message(),
              HasSubstr("already registered as \"unit 900\" under parent "
                        "\"1\""));
  EXPECT_THAT(twice.message(),
              HasSubstr("given \"another office\" under parent \"\" "
                        "(UNIT_KIND_GROUP)"));
}

TEST(UnitTreeTest, RejectsUnknownParentDuplicateAndSelfParent) {
  UnitTree tree;
  ASSERT_TRUE(tree.Add(MakeUnit("1", "", v1::UNIT_KIND_GROUP)).ok());
  EXPECT_EQ(tree.Add(MakeUnit("2", "9")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tree.Add(MakeUnit("1", "")).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(tree.Add(MakeUnit("3", "3")).code(),
            absl::StatusCode::kInvalidArgument);
  v1::Unit no_kind = MakeUnit("4", "1", v1::UNIT_KIND_UNSPECIFIED);
  EXPECT_EQ(tree.Add(no_kind).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tree.Add(MakeUnit("12a", "1")).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(UnitTreeTest, BuildAcceptsAnyOrderAndRejectsCyclesAndOrphans) {
  absl::StatusOr<UnitTree> tree = UnitTree::Build(
      {MakeUnit("11", "1"), MakeUnit("111", "11"),
       MakeUnit("1", "", v1::UNIT_KIND_GROUP), MakeUnit("12", "1")});
  ASSERT_TRUE(tree.ok()) << tree.status();
  std::vector<std::string> order;
  std::vector<int> depths;
  for (const UnitTree::Visit& v : tree->Subtree("1")) {
    order.push_back(v.unit->code());
    depths.push_back(v.depth);
  }
  EXPECT_THAT(order, ElementsAre("1", "11", "111", "12"));
  EXPECT_THAT(depths, ElementsAre(0, 1, 2, 1));

  absl::StatusOr<UnitTree> cycle = UnitTree::Build(
      {MakeUnit("5", "6"), MakeUnit("6", "7"), MakeUnit("7", "5")});
  EXPECT_EQ(cycle.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(cycle.status().message()), HasSubstr("cycle"));

  absl::StatusOr<UnitTree> orphan = UnitTree::Build({MakeUnit("5", "6")});
  EXPECT_THAT(std::string(orphan.status().message()), HasSubstr("orphan"));

  absl::StatusOr<UnitTree> twice =
      UnitTree::Build({MakeUnit("5", ""), MakeUnit("5", "")});
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAlreadyExists);
}

TEST(UnitTreeTest, AnswersAncestryQuestions) {
  absl::StatusOr<UnitTree> tree = UnitTree::Build(
      {MakeUnit("1", "", v1::UNIT_KIND_GROUP), MakeUnit("11", "1"),
       MakeUnit("111", "11"), MakeUnit("12", "1"), MakeUnit("2", "")});
  ASSERT_TRUE(tree.ok());
  EXPECT_TRUE(tree->IsWithin("111", "1"));
  EXPECT_TRUE(tree->IsWithin("111", "111"));
  EXPECT_FALSE(tree->IsWithin("12", "11"));
  EXPECT_EQ(tree->LowestCommonAncestor("111", "12")->code(), "1");
  EXPECT_EQ(tree->LowestCommonAncestor("111", "11")->code(), "11");
  EXPECT_EQ(tree->LowestCommonAncestor("111", "2"), nullptr);
  EXPECT_EQ(tree->LowestCommonAncestor("111", "404"), nullptr);
  EXPECT_TRUE(tree->PathToRoot("404").empty());
  EXPECT_THAT(Codes(tree->Roots()), ElementsAre("1", "2"));
}

}  // namespace
}  // namespace budget
