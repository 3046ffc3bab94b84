#include "budgetctl/exit_code.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace budgetctl {
namespace {

TEST(ExitCodeTest, AbsentServicesAreThreeAnswersAreOne) {
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::OK), kExitOk);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::UNAVAILABLE), kExitUnreachable);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::DEADLINE_EXCEEDED), kExitUnreachable);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::INVALID_ARGUMENT), kExitRejected);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::FAILED_PRECONDITION), kExitRejected);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::NOT_FOUND), kExitRejected);
}

TEST(ExitCodeTest, EveryCodeSaysWhatToDoNext) {
  EXPECT_THAT(NextStep(grpc::StatusCode::UNAVAILABLE, "127.0.0.1:50051"),
              ::testing::HasSubstr("127.0.0.1:50051"));
  for (int code = 1; code <= 16; ++code) {
    EXPECT_FALSE(NextStep(static_cast<grpc::StatusCode>(code), "x").empty());
  }
}

}  // namespace
}  // namespace budgetctl
