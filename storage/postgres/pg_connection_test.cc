#include "storage/postgres/pg_connection.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/postgres_database.h"

namespace storage {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RedactUriTest, HidesPasswordsInAuthorityAndParameters) {
  EXPECT_EQ(RedactUri("postgresql://budget:s3cret@db.example:5432/budget"),
            "postgresql://budget:***@db.example:5432/budget");
  EXPECT_EQ(RedactUri("postgres://h/budget?user=u&password=s3cret&sslmode=x"),
            "postgres://h/budget?user=u&password=***&sslmode=x");
  EXPECT_EQ(RedactUri("postgresql://budget@h/db"), "postgresql://budget@h/db");
  EXPECT_EQ(RedactUri("postgresql:///db?host=/tmp/s"),
            "postgresql:///db?host=/tmp/s");
}

class PgConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = e2e_testing::FreshPostgresDatabase();
    ASSERT_FALSE(uri_.empty());
    conn_ = Connect();
    ASSERT_NE(conn_, nullptr);
    ASSERT_TRUE(conn_
                    ->Exec("CREATE TABLE t (id BIGINT PRIMARY KEY, "
                           "name TEXT NOT NULL, payload BYTEA NOT NULL)")
                    .ok());
  }

  std::unique_ptr<PgConnection> Connect() {
    absl::StatusOr<std::unique_ptr<PgConnection>> conn =
        PgConnection::Connect(uri_);
    EXPECT_TRUE(conn.ok()) << conn.status();
    return conn.ok() ? std::move(*conn) : nullptr;
  }

  absl::Status Insert(int64_t id, absl::string_view payload) {
    PgParams params;
    return conn_
        ->Execute("INSERT INTO t (id, name, payload) VALUES ($1, $2, $3)",
                  params.Add(id).AddText("名称").AddBytes(payload))
        .status();
  }

  // Ends conn_'s session from another one, as a server restart would, and
  // waits until its backend is gone.
  void Terminate() {
    std::unique_ptr<PgConnection> other = Connect();
    ASSERT_NE(other, nullptr);
    PgParams params;
    absl::StatusOr<PgResult> pid = other->Execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid()");
    ASSERT_TRUE(pid.ok()) << pid.status();
    ASSERT_EQ(pid->rows(), 1);
    absl::StatusOr<PgResult> done = other->Execute(
        "SELECT pg_terminate_backend($1, 60000)", params.Add(pid->Int(0, 0)));
    ASSERT_TRUE(done.ok()) << done.status();
    ASSERT_TRUE(done->Bool(0, 0));
  }

  std::string uri_;
  std::unique_ptr<PgConnection> conn_;
};

TEST_F(PgConnectionTest, PayloadBytesAndIntegersRoundTrip) {
  const std::string payload("\0\xff\x01'\\x", 6);
  ASSERT_TRUE(Insert(-9'000'000'000'000, payload).ok());
  absl::StatusOr<PgResult> rows = conn_->Execute(
      "SELECT id, name, payload, octet_length(payload)::int, 7::smallint "
      "FROM t");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->rows(), 1);
  EXPECT_EQ(rows->Int(0, 0), -9'000'000'000'000);
  EXPECT_EQ(rows->Bytes(0, 1), "名称");
  EXPECT_EQ(rows->Bytes(0, 2), payload);
  EXPECT_EQ(rows->Int(0, 3), 6);
  EXPECT_EQ(rows->Int(0, 4), 7);
}

TEST_F(PgConnectionTest, ArraysOfEveryColumnTypeRoundTripPreparedOnce) {
  const std::string sql =
      "SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], "
      "$4::bytea[]) AS u (a, b, c, d)";
  const std::string payload("\0\xff\x01'\\x", 6);
  const int64_t big[] = {-9'000'000'000'000, 0, 1};
  const int32_t small[] = {-7, 2'000'000'000, 0};
  const absl::string_view text[] = {"名称", "", "{\"a\",b}"};
  const absl::string_view bytes[] = {payload, "", "x"};
  // The second run reuses the session's prepared statement; the third runs
  // on a new session (the statement that found the old one lost is
  // UNAVAILABLE), which prepares it again.
  for (int run = 0; run < 3; ++run) {
    if (run == 2) {
      Terminate();
      conn_->Execute("SELECT 1").status().IgnoreError();
    }
    PgParams params;
    absl::StatusOr<PgResult> rows =
        conn_->ExecutePrepared(sql, params.AddInt64Array(big)
                                        .AddInt32Array(small)
                                        .AddTextArray(text)
                                        .AddBytesArray(bytes));
    ASSERT_TRUE(rows.ok()) << rows.status();
    ASSERT_EQ(rows->rows(), 3);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(rows->Int(i, 0), big[i]);
      EXPECT_EQ(rows->Int(i, 1), small[i]);
      EXPECT_EQ(rows->Bytes(i, 2), text[i]);
      EXPECT_EQ(rows->Bytes(i, 3), bytes[i]);
    }
  }
  absl::StatusOr<PgResult> prepared =
      conn_->Execute("SELECT COUNT(*) FROM pg_prepared_statements");
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  EXPECT_EQ(prepared->Int(0, 0), 1);

  PgParams empty;
  absl::StatusOr<PgResult> none = conn_->ExecutePrepared(
      sql,
      empty.AddInt64Array({}).AddInt32Array({}).AddTextArray({}).AddBytesArray(
          {}));
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->rows(), 0);
}

TEST_F(PgConnectionTest, MapsErrorsWithoutSqlOrValues) {
  ASSERT_TRUE(Insert(1, "a").ok());
  absl::Status duplicate = Insert(1, "b");
  EXPECT_TRUE(absl::IsAlreadyExists(duplicate)) << duplicate;

  absl::Status serialization = conn_->Exec(
      "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '40001'; END $$");
  EXPECT_TRUE(absl::IsAborted(serialization)) << serialization;

  PgParams params;
  absl::Status bad_value =
      conn_
          ->Execute("INSERT INTO t (id, name, payload) VALUES ($1, 'n', '')",
                    params.AddText("secret-value"))
          .status();
  EXPECT_TRUE(absl::IsInternal(bad_value)) << bad_value;
  EXPECT_THAT(bad_value.message(), HasSubstr("SQLSTATE 22P02"));
  EXPECT_THAT(bad_value.message(), Not(HasSubstr("secret-value")));
  EXPECT_THAT(bad_value.message(), Not(HasSubstr("INSERT")));
}

TEST_F(PgConnectionTest, FailedTransactionLeavesNothing) {
  absl::Status failed = conn_->InTransaction([&] {
    if (absl::Status s = Insert(1, "a"); !s.ok()) return s;
    return Insert(1, "again");
  });
  EXPECT_TRUE(absl::IsAlreadyExists(failed)) << failed;
  absl::Status committed =
      conn_->InTransaction([&] { return Insert(2, "b"); }, "SERIALIZABLE");
  EXPECT_TRUE(committed.ok()) << committed;
  absl::StatusOr<PgResult> rows = conn_->Execute("SELECT id FROM t");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->rows(), 1);
  EXPECT_EQ(rows->Int(0, 0), 2);
}

TEST_F(PgConnectionTest, AnEndedIdleSessionIsReplacedBeforeTheNextStatement) {
  ASSERT_TRUE(
      conn_->ExecOnEverySession("SET statement_timeout = '12345ms'").ok());
  Terminate();
  absl::Status inserted = conn_->InTransaction([&] { return Insert(1, "a"); });
  EXPECT_TRUE(inserted.ok()) << inserted;
  EXPECT_EQ(conn_->sessions(), 2);
  absl::StatusOr<PgResult> timeout = conn_->Execute("SHOW statement_timeout");
  ASSERT_TRUE(timeout.ok()) << timeout.status();
  EXPECT_EQ(timeout->Bytes(0, 0), "12345ms");
}

TEST_F(PgConnectionTest, ASessionLostInATransactionIsUnavailableThenReplaced) {
  absl::Status lost = conn_->InTransaction([&] {
    Terminate();
    return Insert(1, "a");
  });
  EXPECT_TRUE(absl::IsUnavailable(lost)) << lost;
  absl::Status again = Insert(1, "a");
  EXPECT_TRUE(again.ok()) << again;
}

// The statements of a pipelined transaction: insert row `id`, read the
// rows' count.
PgStatement InsertStatement(int64_t id, absl::string_view payload) {
  PgStatement insert{"INSERT INTO t (id, name, payload) VALUES ($1, 'n', $2)",
                     PgParams()};
  insert.params.Add(id).AddBytes(payload);
  return insert;
}
PgStatement CountStatement() { return {"SELECT COUNT(*) FROM t", PgParams()}; }

TEST_F(PgConnectionTest, PipelinedTransactionHandsResultsOnAndCommitsAll) {
  const std::string prologue[] = {"SELECT pg_advisory_xact_lock(42)",
                                  "SET LOCAL statement_timeout = '9s'"};
  for (int64_t round = 0; round < 2; ++round) {
    const PgStatement first[] = {InsertStatement(2 * round, "a"),
                                 CountStatement()};
    absl::Status committed = conn_->InPipelinedTransaction(
        prologue, first,
        [&](absl::Span<const PgResult> results)
            -> absl::StatusOr<std::vector<PgStatement>> {
          EXPECT_EQ(results.size(), 2);
          EXPECT_EQ(results[1].Int(0, 0), 2 * round + 1);
          // The lock is held for the rest of the transaction.
          std::unique_ptr<PgConnection> other = Connect();
          absl::StatusOr<PgResult> free =
              other->Execute("SELECT pg_try_advisory_xact_lock(42)");
          EXPECT_TRUE(free.ok() && !free->Bool(0, 0));
          std::vector<PgStatement> last;
          last.push_back(InsertStatement(2 * round + 1, "b"));
          return last;
        });
    ASSERT_TRUE(committed.ok()) << committed;
  }
  std::unique_ptr<PgConnection> other = Connect();
  absl::StatusOr<PgResult> rows = other->Execute("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->Int(0, 0), 4);
  // Prepared once each on the session, reused in the second round: the
  // two statements, and BEGIN, the prologue's two and COMMIT.
  absl::StatusOr<PgResult> prepared =
      conn_->Execute("SELECT COUNT(*) FROM pg_prepared_statements");
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  EXPECT_EQ(prepared->Int(0, 0), 6);
}

TEST_F(PgConnectionTest, PipelinedTransactionFailingAnywhereLeavesNothing) {
  ASSERT_TRUE(Insert(1, "stored").ok());
  bool then_ran = false;
  // A statement of the first round trip fails: the ones after it do not
  // run, `then` is not called, nothing is committed.
  const PgStatement clash[] = {InsertStatement(2, "a"),
                               InsertStatement(1, "again"),
                               InsertStatement(3, "c")};
  absl::Status failed = conn_->InPipelinedTransaction(
      {}, clash,
      [&](absl::Span<const PgResult>)
          -> absl::StatusOr<std::vector<PgStatement>> {
        then_ran = true;
        return std::vector<PgStatement>();
      });
  EXPECT_TRUE(absl::IsAlreadyExists(failed)) << failed;
  EXPECT_FALSE(then_ran);
  // `then` fails.
  const PgStatement insert[] = {InsertStatement(4, "d")};
  failed = conn_->InPipelinedTransaction(
      {}, insert,
      [&](absl::Span<const PgResult>)
          -> absl::StatusOr<std::vector<PgStatement>> {
        return absl::AbortedError("checks failed");
      });
  EXPECT_TRUE(absl::IsAborted(failed)) << failed;
  // A statement of the second round trip fails: COMMIT does not run.
  failed = conn_->InPipelinedTransaction(
      {}, insert,
      [&](absl::Span<const PgResult>)
          -> absl::StatusOr<std::vector<PgStatement>> {
        std::vector<PgStatement> last;
        last.push_back(InsertStatement(1, "again"));
        return last;
      });
  EXPECT_TRUE(absl::IsAlreadyExists(failed)) << failed;
  // The session is usable and holds only the first row.
  absl::StatusOr<PgResult> rows = conn_->Execute("SELECT id FROM t");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->rows(), 1);
  EXPECT_EQ(rows->Int(0, 0), 1);
  EXPECT_EQ(conn_->sessions(), 1);
}

// All statements and COMMIT in one round trip: their results when every
// one ran; a failing one stops the rest and leaves nothing committed.
TEST_F(PgConnectionTest, OneRoundTripCommitsAllOrNothing) {
  const PgStatement both[] = {InsertStatement(1, "a"), InsertStatement(2, "b")};
  absl::StatusOr<std::vector<PgResult>> done =
      conn_->InOneRoundTrip({"SELECT 1"}, both);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->size(), 2u);
  const PgStatement clash[] = {InsertStatement(3, "c"),
                               InsertStatement(1, "again"),
                               InsertStatement(4, "d")};
  absl::StatusOr<std::vector<PgResult>> failed =
      conn_->InOneRoundTrip({}, clash);
  EXPECT_TRUE(absl::IsAlreadyExists(failed.status())) << failed.status();
  // The session is usable and holds only the first transaction's rows.
  absl::StatusOr<PgResult> rows =
      conn_->Execute("SELECT id FROM t ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->rows(), 2);
  EXPECT_EQ(rows->Int(1, 0), 2);
  EXPECT_EQ(conn_->sessions(), 1);
}

TEST_F(PgConnectionTest, PipelinedTransactionLostIsUnavailableThenReplaced) {
  const PgStatement insert[] = {InsertStatement(1, "a")};
  absl::Status lost = conn_->InPipelinedTransaction(
      {}, insert,
      [&](absl::Span<const PgResult>)
          -> absl::StatusOr<std::vector<PgStatement>> {
        Terminate();
        std::vector<PgStatement> last;
        last.push_back(InsertStatement(2, "b"));
        return last;
      });
  EXPECT_TRUE(absl::IsUnavailable(lost)) << lost;
  // Nothing committed; the next transaction runs on a new session, its
  // statements prepared again.
  absl::Status again = conn_->InPipelinedTransaction(
      {}, insert,
      [&](absl::Span<const PgResult>)
          -> absl::StatusOr<std::vector<PgStatement>> {
        return std::vector<PgStatement>();
      });
  EXPECT_TRUE(again.ok()) << again;
  EXPECT_EQ(conn_->sessions(), 2);
  absl::StatusOr<PgResult> rows = conn_->Execute("SELECT id FROM t");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->rows(), 1);
  EXPECT_EQ(rows->Int(0, 0), 1);
}

TEST_F(PgConnectionTest, CannotConnectIsUnavailableWithoutThePassword) {
  // A socket directory where no server listens.
  absl::StatusOr<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(
      "postgresql://budget:hunter2@/budget?host=/nonexistent&"
      "connect_timeout=2");
  ASSERT_FALSE(conn.ok());
  EXPECT_TRUE(absl::IsUnavailable(conn.status())) << conn.status();
  EXPECT_THAT(conn.status().message(), Not(HasSubstr("hunter2")));
  EXPECT_THAT(conn.status().message(), HasSubstr("budget:***@"));

  absl::StatusOr<std::unique_ptr<PgConnection>> not_pg =
      PgConnection::Connect("sqlite:/tmp/x.db");
  EXPECT_TRUE(absl::IsInvalidArgument(not_pg.status())) << not_pg.status();
}

TEST_F(PgConnectionTest, ListenReceivesNotificationsAfterCommit) {
  std::unique_ptr<PgConnection> listener = Connect();
  ASSERT_NE(listener, nullptr);
  ASSERT_TRUE(listener->Listen("budget_changes").ok());
  absl::Status sent = conn_->InTransaction([&] {
    PgParams params;
    return conn_
        ->Execute("SELECT pg_notify('budget_changes', $1)",
                  params.AddText("42"))
        .status();
  });
  ASSERT_TRUE(sent.ok()) << sent;
  absl::StatusOr<std::vector<std::string>> payloads =
      listener->WaitForNotifications(absl::Seconds(30));
  ASSERT_TRUE(payloads.ok()) << payloads.status();
  EXPECT_THAT(*payloads, ::testing::ElementsAre("42"));
}

// A session the server ends while it waits is reported at once, not
// taken for a quiet wait: the writer lease (storage/pg_writer_lease.h)
// stands by on it before a standby can take over.
TEST_F(PgConnectionTest, SessionEndedDuringAWaitIsUnavailable) {
  std::unique_ptr<PgConnection> listener = Connect();
  ASSERT_NE(listener, nullptr);
  ASSERT_TRUE(listener->Listen("budget_changes").ok());
  absl::StatusOr<PgResult> pid = listener->Execute("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok()) << pid.status();
  absl::StatusOr<std::vector<std::string>> waited;
  std::thread waiter(
      [&] { waited = listener->WaitForNotifications(absl::Seconds(30)); });
  // Ended during the wait or just before it: either way UNAVAILABLE.
  absl::SleepFor(absl::Milliseconds(200));
  PgParams params;
  absl::StatusOr<PgResult> ended = conn_->Execute(
      "SELECT pg_terminate_backend($1, 60000)", params.Add(pid->Int(0, 0)));
  waiter.join();
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_TRUE(absl::IsUnavailable(waited.status())) << waited.status();
  // The next wait is on a new session.
  EXPECT_TRUE(listener->WaitForNotifications(absl::ZeroDuration()).ok());
  EXPECT_EQ(listener->sessions(), 2);
}

}  // namespace
}  // namespace storage
