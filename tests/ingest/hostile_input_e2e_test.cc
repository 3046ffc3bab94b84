// The hostile-input catalogue (issue 13): each case sends the real
// ingest_service binary something a careless client or an attacker would,
// and names the status code and message it must get. After every case the
// service must still answer, and after the whole catalogue the store must
// pass SQLite's integrity check. The limits are those of docs/limits.md.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "auth/token_hash.h"
#include "budget/v1/audit_service.grpc.pb.h"
#include "budget/v1/ingest_service.grpc.pb.h"
#include "budget/v1/query_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/rpc_method.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"
#include "gtest/gtest.h"
#include "tests/ingest/test_budgets.h"
#include "tests/testing/scratch_dir.h"
#include "tests/testing/service_process.h"

namespace ingest_test {
namespace {

using budget::v1::IngestService;
using budget::v1::SubmitBudgetRequest;
using budget::v1::UnitBudget;

constexpr char kOffice[] = "021001";

// Peak resident memory of a process, from /proc/PID/status (VmHWM), in KB.
int64_t PeakRssKb(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) != 0) continue;
    int64_t kb = 0;
    std::string digits;
    for (char c : line) {
      if (c >= '0' && c <= '9') digits.push_back(c);
    }
    if (absl::SimpleAtoi(digits, &kb)) return kb;
  }
  return -1;
}

// The soft RLIMIT_NOFILE of process `pid`, -1 if unknown.
int64_t SoftOpenFileLimit(pid_t pid) {
  std::ifstream limits(absl::StrCat("/proc/", pid, "/limits"));
  std::string line;
  while (std::getline(limits, line)) {
    if (line.rfind("Max open files", 0) != 0) continue;
    std::vector<std::string> words =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    int64_t soft = -1;
    if (words.size() > 3 && absl::SimpleAtoi(words[3], &soft)) return soft;
  }
  return -1;
}

// An HTTP/2 client's first bytes: the preface and an empty SETTINGS frame.
constexpr char kHttp2Preface[] =
    "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0";

// A TCP connection to `address` (HOST:PORT, IPv4) that has sent the first
// `bytes` of kHttp2Preface; -1 on failure.
int ConnectRaw(const std::string& address, size_t bytes) {
  const size_t colon = address.rfind(':');
  sockaddr_in peer{};
  peer.sin_family = AF_INET;
  peer.sin_port = htons(std::stoi(address.substr(colon + 1)));
  if (inet_pton(AF_INET, address.substr(0, colon).c_str(), &peer.sin_addr) !=
      1) {
    return -1;
  }
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<sockaddr*>(&peer), sizeof(peer)) != 0 ||
      send(fd, kHttp2Preface, bytes, MSG_NOSIGNAL) !=
          static_cast<ssize_t>(bytes)) {
    close(fd);
    return -1;
  }
  return fd;
}

// "PRAGMA integrity_check" of the SQLite file at `path`: "ok" when sound.
std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  std::string result = "cannot open";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement,
                           nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return result;
}

// Calls `method` ("/package.Service/Method"), unary or `streaming` from
// the server, with `bytes` as its one request message, reads every answer
// and returns the final status.
grpc::Status CallWithBytes(grpc::Channel& channel, const std::string& method,
                           const std::string& bytes, bool streaming = false) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer answer;
  if (!streaming) {
    return grpc::internal::BlockingUnaryCall<grpc::ByteBuffer,
                                             grpc::ByteBuffer>(
        &channel,
        grpc::internal::RpcMethod(method.c_str(),
                                  grpc::internal::RpcMethod::NORMAL_RPC),
        &context, request, &answer);
  }
  std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>>
      stream(grpc::internal::ClientReaderWriterFactory<grpc::ByteBuffer,
                                                       grpc::ByteBuffer>::
                 Create(&channel,
                        grpc::internal::RpcMethod(
                            method.c_str(),
                            grpc::internal::RpcMethod::BIDI_STREAMING),
                        &context));
  stream->Write(request);
  stream->WritesDone();
  while (stream->Read(&answer)) {
  }
  return stream->Finish();
}

// The descriptor of the service `Request`'s proto file declares: the
// message's descriptor links the file in.
template <typename Request>
const google::protobuf::ServiceDescriptor* ServiceOf() {
  return Request::descriptor()->file()->service(0);
}

// A channel to `address` whose HTTP/2 window stays small: what its
// client does not read soon stays queued in the service.
std::shared_ptr<grpc::Channel> SmallWindowChannel(const std::string& address) {
  grpc::ChannelArguments small_window;
  small_window.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  small_window.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   small_window);
}

// Reads every message of `reader` and returns its status; counts the
// messages read in `*read` if given.
template <typename Message>
grpc::Status ReadToEnd(grpc::ClientReader<Message>& reader,
                       int* read = nullptr) {
  Message message;
  while (reader.Read(&message)) {
    if (read != nullptr) ++*read;
  }
  return reader.Finish();
}

// An export of the department in kYear once `min_revision` is applied.
budget::v1::ExportBudgetRequest DepartmentExport(int64_t min_revision) {
  budget::v1::ExportBudgetRequest request;
  request.set_node_code(kDepartment);
  request.set_fiscal_year(kYear);
  request.mutable_read()->set_min_revision(min_revision);
  return request;
}

class HostileInputTest : public ::testing::Test {
 public:
  void SetUp() override {
    store_path_ = (e2e_testing::MakeScratchDir() / "budget.db").string();
    server_ = std::make_unique<e2e_testing::ServiceProcess>(
        INGEST_SERVICE_BINARY, e2e_testing::StoreArgs(store_path_));
    ASSERT_FALSE(server_->address().empty());
    stub_ = IngestService::NewStub(server_->Channel());
    Register(Department());
    Register(UnitBelowDepartment(kOffice, "郑州市工业和信息化局机关"));
  }

  void TearDown() override {
    // Still serving, and nothing torn in the store.
    grpc::ClientContext context;
    budget::v1::ListUnitsResponse units;
    grpc::Status status =
        stub_->ListUnits(&context, budget::v1::ListUnitsRequest(), &units);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(units.units_size(), registered_);
    server_.reset();
    EXPECT_EQ(IntegrityCheck(store_path_), "ok");
  }

  // The hash of PrincipalsArg's token for `name`.
  static std::string TokenHash(const std::string& name) {
    return auth::HashTokenWithSalt("token-" + name, "salt-" + name, 1000);
  }

  void Register(const budget::v1::Unit& unit) {
    grpc::ClientContext context;
    budget::v1::RegisterUnitRequest request;
    *request.mutable_unit() = unit;
    budget::v1::RegisterUnitResponse response;
    grpc::Status status = stub_->RegisterUnit(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ++registered_;
  }

  static UnitBudget Valid(int64_t fen) {
    return SalaryBudget(UnitBelowDepartment(kOffice, "机关"), fen);
  }

  grpc::Status Submit(const std::string& id, const UnitBudget& budget,
                      budget::v1::SubmitBudgetResponse* response = nullptr) {
    budget::v1::SubmitBudgetResponse ignored;
    grpc::ClientContext context;
    SubmitBudgetRequest request;
    request.set_request_id(id);
    *request.mutable_budget() = budget;
    return stub_->SubmitBudget(&context, request,
                               response != nullptr ? response : &ignored);
  }

  // Submits `fen` for unit 021014 (registered by the test) as request
  // `id`; the Watch `reader` follows 021014 and must send that revision
  // next.
  void ExpectNextEventIsASubmissionOf021014(
      grpc::ClientReader<budget::v1::RevisionEvent>& reader,
      const std::string& id, int64_t fen) {
    budget::v1::SubmitBudgetResponse submitted;
    ASSERT_TRUE(Submit(id,
                       SalaryBudget(UnitBelowDepartment("021014", "中心"), fen),
                       &submitted)
                    .ok());
    budget::v1::RevisionEvent event;
    ASSERT_TRUE(reader.Read(&event)) << reader.Finish().error_message();
    EXPECT_EQ(event.revision(), submitted.consolidated_revision());
    EXPECT_EQ(event.unit_code(), "021014");
  }

  // Writes a principals file beside the store naming each of `auditors`
  // (token "token-NAME") and returns the query service's argument that
  // reads it: callers the service tells apart by name, all on one address.
  std::string PrincipalsArg(const std::vector<std::string>& auditors) const {
    const std::string path =
        (std::filesystem::path(store_path_).parent_path() / "principals.txt")
            .string();
    std::ofstream file(path);
    for (const std::string& name : auditors) {
      file << name << " token=" << TokenHash(name) << " auditor\n";
    }
    return "--principals=" + path;
  }

  // Makes the call of `context` as `name`, one of PrincipalsArg's auditors;
  // also bounds it, so that a broken service cannot hang the test.
  static void As(const std::string& name, grpc::ClientContext& context) {
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    context.AddMetadata(
        "authorization",
        "Bearer " + auth::MintToken(TokenHash(name), "token-" + name));
  }

  // Sends `bytes` as the request of `method` of the ingest service.
  grpc::Status SendBytes(const std::string& method, const std::string& bytes) {
    return CallWithBytes(*server_->Channel(),
                         absl::StrCat("/budget.v1.IngestService/", method),
                         bytes);
  }

  // The rule ids of a rejection's ValidationReport detail.
  static std::vector<std::string> RuleIds(const grpc::Status& status) {
    google::rpc::Status details;
    std::vector<std::string> ids;
    if (!details.ParseFromString(status.error_details())) return ids;
    for (const google::protobuf::Any& any : details.details()) {
      budget::v1::ValidationReport report;
      if (!any.UnpackTo(&report)) continue;
      for (const auto& v : report.violations()) ids.push_back(v.rule_id());
    }
    return ids;
  }

  std::string store_path_;
  std::unique_ptr<e2e_testing::ServiceProcess> server_;
  std::unique_ptr<IngestService::Stub> stub_;
  int registered_ = 0;
};

// A serialized SubmitBudgetRequest whose budget is `budget`.
std::string RequestBytes(const UnitBudget& budget) {
  SubmitBudgetRequest request;
  request.set_request_id("bytes");
  *request.mutable_budget() = budget;
  return request.SerializeAsString();
}

// `bytes` `times` over.
std::string Repeated(const std::string& bytes, int times) {
  std::string out;
  out.reserve(bytes.size() * times);
  for (int i = 0; i < times; ++i) out += bytes;
  return out;
}

// `value` as a protobuf varint.
std::string Varint(uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
  return out;
}

// A serialized SubmitBudgetRequest whose budget is the office's unit code
// followed by `fields`, bytes as they are.
std::string RequestWithBudgetFields(const std::string& fields) {
  SubmitBudgetRequest head;
  head.set_request_id("bomb");
  const std::string budget = std::string("\x0A\x06") + kOffice + fields;
  // Field 2 (budget), length-delimited.
  return head.SerializeAsString() + "\x12" + Varint(budget.size()) + budget;
}

// How a request that would parse into too many objects is refused.
constexpr char kTooManyObjects[] =
    "more than 400000 nested messages, repeated texts and unknown fields";

struct Case {
  std::string name;
  // Sends the hostile input; returns the service's answer.
  std::function<grpc::Status(HostileInputTest&)> send;
  grpc::StatusCode code;
  std::string message;  // A regular expression the message must match.
  std::string rule;     // A rule id the report must hold; "" for none.
};

class HostileCatalogueTest : public HostileInputTest,
                             public ::testing::WithParamInterface<Case> {};

std::vector<Case> Catalogue() {
  using Code = grpc::StatusCode;
  auto submit = [](UnitBudget budget) {
    return
        [budget](HostileInputTest& t) { return t.Submit("hostile", budget); };
  };
  auto bytes = [](std::string method, std::string raw) {
    return
        [method, raw](HostileInputTest& t) { return t.SendBytes(method, raw); };
  };
  UnitBudget empty_lines = HostileInputTest::Valid(1);
  for (int i = 0; i < 200'000; ++i) empty_lines.add_expenditures();
  UnitBudget int64_min = HostileInputTest::Valid(1);
  int64_min.mutable_other()->set_institution_operating_fen(
      std::numeric_limits<int64_t>::min());
  UnitBudget negative_devices = HostileInputTest::Valid(1);
  negative_devices.mutable_other()->set_special_devices_over_1m(-1);
  UnitBudget transfer_nine = HostileInputTest::Valid(1);
  transfer_nine.mutable_expenditures(0)->set_transfer_kind(
      static_cast<budget::v1::TransferKind>(9));
  UnitBudget long_memo = HostileInputTest::Valid(1);
  long_memo.mutable_expenditures(0)->set_memo(std::string(1 << 20, 'm'));
  const std::string valid = RequestBytes(HostileInputTest::Valid(1));
  std::string bad_utf8 = RequestBytes(HostileInputTest::Valid(1));
  bad_utf8.replace(bad_utf8.find(kOffice), 2, "\xC0\xAF");
  // The first line's function code announced as 127 bytes: the line is
  // broken inside, its own length and the budget's intact.
  std::string broken_line = valid;
  const std::string code =
      HostileInputTest::Valid(1).expenditures(0).function_code();
  broken_line[broken_line.find(std::string("\x0A") +
                               static_cast<char>(code.size()) + code) +
              1] = '\x7F';
  return {
      {"EmptyLinesOverTheLineLimit", submit(empty_lines),
       Code::INVALID_ARGUMENT, "budget rejected: 1 rule", "BGT-E090"},
      {"OperatingFundsInt64Min", submit(int64_min), Code::INVALID_ARGUMENT,
       "budget rejected", "BGT-E092"},
      {"NegativeDeviceCount", submit(negative_devices), Code::INVALID_ARGUMENT,
       "budget rejected", "BGT-E092"},
      {"TransferKindNine", submit(transfer_nine), Code::INVALID_ARGUMENT,
       "budget rejected", "BGT-E093"},
      {"OneMegabyteMemo", submit(long_memo), Code::INVALID_ARGUMENT,
       "budget rejected", "BGT-E091"},
      {"GarbageBytes", bytes("SubmitBudget", "\xFF\xFF\xFF\xFF"),
       Code::INVALID_ARGUMENT, "request does not parse: .*SubmitBudgetRequest",
       ""},
      {"TruncatedRequest",
       bytes("SubmitBudget", valid.substr(0, valid.size() - 5)),
       Code::INVALID_ARGUMENT, "budget.*truncated", ""},
      {"BrokenInsideALine", bytes("SubmitBudget", broken_line),
       Code::INVALID_ARGUMENT,
       "budget.expenditures.function_code: length at byte [0-9]+ runs past "
       "the end",
       ""},
      {"InvalidUtf8InUnitCode", bytes("SubmitBudget", bad_utf8),
       Code::INVALID_ARGUMENT, "budget.unit_code: invalid UTF-8 at byte 0", ""},
      {"GarbageToListUnits", bytes("ListUnits", "\x0A\x05\x30"),
       Code::INVALID_ARGUMENT, "root_code: length .* runs past the end", ""},
      {"GarbageToLockYear", bytes("LockYear", std::string("\x08", 1)),
       Code::INVALID_ARGUMENT, "request does not parse", ""},
      // Texts outside a budget: each was stored, logged, audited and echoed
      // in full (before: a 1 MB unit name registered and came back in every
      // listing; a 1 MB request id stored with its revision).
      {"OneMegabyteUnitName",
       [](HostileInputTest& t) {
         budget::v1::RegisterUnitRequest request;
         *request.mutable_unit() =
             UnitBelowDepartment("021099", std::string(1 << 20, 'n'));
         return t.SendBytes("RegisterUnit", request.SerializeAsString());
       },
       Code::INVALID_ARGUMENT,
       "^unit.name: a string of 1048576 bytes; expected at most 4096 ", ""},
      // Before: registered, and `budgetctl units list` printed the escape
      // to the terminal.
      {"EscapeInAUnitName",
       [](HostileInputTest& t) {
         budget::v1::RegisterUnitRequest request;
         *request.mutable_unit() =
             UnitBelowDepartment("021099", "中心\x1B[31m");
         return t.SendBytes("RegisterUnit", request.SerializeAsString());
       },
       Code::INVALID_ARGUMENT,
       "^unit 021099 name \"中心\\\\u\\{001B\\}\\[31m\" holds a control "
       "character at byte 6; expected printable text$",
       ""},
      // Before: registered; listings and tables showed a blank name, or
      // one that looked like another unit's.
      {"BlankUnitName",
       [](HostileInputTest& t) {
         budget::v1::RegisterUnitRequest request;
         *request.mutable_unit() = UnitBelowDepartment(
             "021099", " \u200B\u3000\uFEFF");  // space, ZWSP, 全角 space, BOM
         return t.SendBytes("RegisterUnit", request.SerializeAsString());
       },
       Code::INVALID_ARGUMENT,
       "^unit 021099 name \" \\\\u\\{200B\\}\\\\u\\{3000\\}\\\\u\\{FEFF\\}\" "
       "shows nothing \\(only spaces and invisible characters\\); expected "
       "the unit's name$",
       ""},
      // Before: stored, and `budgetctl history` printed the escape and, on
      // a line of its own, a forged revision.
      {"EscapeAndLineBreakInSubmittedBy",
       [](HostileInputTest& t) {
         SubmitBudgetRequest request;
         request.set_request_id("escape-submitter");
         request.set_submitted_by("x\x1B]0;t\x07\nrevision 99");
         *request.mutable_budget() = HostileInputTest::Valid(1);
         return t.SendBytes("SubmitBudget", request.SerializeAsString());
       },
       Code::INVALID_ARGUMENT,
       "^submitted_by \"x\\\\u\\{001B\\}\\]0;t\\\\u\\{0007\\}"
       "\\\\u\\{000A\\}revision 99\" holds a control character at byte 1; "
       "expected printable text$",
       ""},
      {"EscapeInAReviewComment",
       [](HostileInputTest& t) {
         budget::v1::ReviewSubmissionRequest request;
         request.set_unit_code("021001");
         request.set_fiscal_year(kYear);
         request.set_revision(1);
         request.set_decision(budget::v1::REVIEW_DECISION_APPROVED);
         request.set_comment("ok\x1B[2J");
         return t.SendBytes("ReviewSubmission", request.SerializeAsString());
       },
       Code::INVALID_ARGUMENT,
       "^comment \"ok\\\\u\\{001B\\}\\[2J\" holds a control character "
       "at byte 2; expected printable text$",
       ""},
      {"OneMegabyteRequestId",
       [](HostileInputTest& t) {
         return t.Submit(std::string(1 << 20, 'r'), HostileInputTest::Valid(1));
       },
       Code::INVALID_ARGUMENT,
       "^request_id: a string of 1048576 bytes; expected at most 4096 ", ""},
      {"OneMegabyteNodeCode",
       [](HostileInputTest& t) {
         budget::v1::LockYearRequest request;
         request.set_node_code(std::string(1 << 20, '0'));
         request.set_fiscal_year(kYear);
         return t.SendBytes("LockYear", request.SerializeAsString());
       },
       Code::INVALID_ARGUMENT,
       "^node_code: a string of 1048576 bytes; expected at most 4096 "
       "\\(docs/limits.md\\) \\(1048583 bytes; expected a "
       "budget.v1.LockYearRequest\\)$",
       ""},
      {"ThreeMillionEmptyLines",
       [](HostileInputTest& t) {
         // 6 MB on the wire; refused by counting before anything is built.
         return t.SendBytes("SubmitBudget",
                            RequestWithBudgetFields(Repeated(
                                std::string("\x22\x00", 2), 3'000'000)));
       },
       Code::RESOURCE_EXHAUSTED, kTooManyObjects, ""},
      {"UnknownFieldsInALine",
       [](HostileInputTest& t) {
         // One line holding 500,000 empty fields numbered 15, which no line
         // has: 16 MB of them parsed into ~490 MB before they were counted.
         const std::string fields =
             Repeated(std::string("\x7A\x00", 2), 500'000);
         return t.SendBytes(
             "SubmitBudget",
             RequestWithBudgetFields("\x22" + Varint(fields.size()) + fields));
       },
       Code::RESOURCE_EXHAUSTED, kTooManyObjects, ""},
      {"AnUnknownGroupOfFields",
       [](HostileInputTest& t) {
         // Group 15 of the budget holding 500,000 varints: the parser keeps
         // each field inside an unknown group.
         return t.SendBytes(
             "SubmitBudget",
             RequestWithBudgetFields(
                 "\x7B" + Repeated(std::string("\x08\x00", 2), 500'000) +
                 "\x7C"));
       },
       Code::RESOURCE_EXHAUSTED, kTooManyObjects, ""},
  };
}

TEST_P(HostileCatalogueTest, IsAnsweredWithTheRightCodeAndMessage) {
  const Case& c = GetParam();
  grpc::Status status = c.send(*this);
  EXPECT_EQ(status.error_code(), c.code) << status.error_message();
  EXPECT_TRUE(std::regex_search(status.error_message(), std::regex(c.message)))
      << "message: " << status.error_message() << "\npattern: " << c.message;
  if (!c.rule.empty()) {
    std::vector<std::string> ids = RuleIds(status);
    EXPECT_NE(std::find(ids.begin(), ids.end(), c.rule), ids.end())
        << c.rule << " not among " << testing::PrintToString(ids);
  }
  // Memory stays bounded whatever was sent (docs/limits.md).
  EXPECT_LT(PeakRssKb(server_->pid()), 128 * 1024);
}

INSTANTIATE_TEST_SUITE_P(Catalogue, HostileCatalogueTest,
                         ::testing::ValuesIn(Catalogue()),
                         [](const auto& info) { return info.param.name; });

TEST_F(HostileInputTest, Int64MinDoesNotPoisonTheUnit) {
  UnitBudget poisoned = Valid(1);
  poisoned.mutable_other()->set_institution_operating_fen(
      std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Submit("poison", poisoned).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  UnitBudget fine = Valid(2);
  fine.mutable_other()->set_institution_operating_fen(100);
  grpc::Status status = Submit("after-poison", fine);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// Two units each within int64 whose department total is not: the second
// is refused as a budget whose own lines overflow is, with rule BGT-E005,
// and the first stays as it was (probe 10).
TEST_F(HostileInputTest, ADepartmentTotalBeyondInt64IsARuleNotAnOperatorHint) {
  constexpr int64_t kHalf = std::numeric_limits<int64_t>::max() / 2 + 1;
  const char kCentre[] = "021017";
  Register(UnitBelowDepartment(kCentre, "中心"));
  ASSERT_TRUE(Submit("first-half", Valid(kHalf)).ok());
  UnitBudget second = SalaryBudget(UnitBelowDepartment(kCentre, "中心"), kHalf);
  // Only validated, it is refused for the same rule: validate_only and
  // ValidateBudget are what storing it would say. (Before: both called it
  // acceptable, and the submission that followed was refused.)
  {
    grpc::ClientContext context;
    SubmitBudgetRequest request;
    request.set_request_id("second-half-dry-run");
    request.set_validate_only(true);
    *request.mutable_budget() = second;
    budget::v1::SubmitBudgetResponse response;
    grpc::Status dry = stub_->SubmitBudget(&context, request, &response);
    EXPECT_EQ(dry.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    const std::vector<std::string> dry_ids = RuleIds(dry);
    EXPECT_NE(std::find(dry_ids.begin(), dry_ids.end(), "BGT-E005"),
              dry_ids.end());
  }
  {
    grpc::ClientContext context;
    budget::v1::ValidateBudgetRequest request;
    *request.mutable_budget() = second;
    budget::v1::ValidateBudgetResponse response;
    ASSERT_TRUE(stub_->ValidateBudget(&context, request, &response).ok());
    EXPECT_FALSE(response.acceptable());
    ASSERT_GT(response.violations_size(), 0);
    EXPECT_EQ(response.violations(response.violations_size() - 1).rule_id(),
              "BGT-E005");
  }
  grpc::Status refused = Submit("second-half", second);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << refused.error_message();
  const std::vector<std::string> ids = RuleIds(refused);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "BGT-E005"), ids.end());
  grpc::Status again = Submit("after-overflow", Valid(kHalf - 1));
  EXPECT_TRUE(again.ok()) << again.error_message();
}

// A rejection of thousands of findings fits a client's default 8 KB
// metadata limit, and ValidateBudget pages through the whole report.
TEST_F(HostileInputTest, LargeRejectionFitsTheTrailerAndPagesInFull) {
  UnitBudget budget = Valid(1);
  for (int i = 0; i < 3'000; ++i) {
    budget::v1::ExpenditureLine* line = budget.add_expenditures();
    line->set_function_code(absl::StrCat("bad-", i));
    line->set_amount_fen(1);
  }
  grpc::Status status = Submit("large", budget);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_LE(status.error_details().size(), 4096u);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  google::rpc::BadRequest bad_request;
  budget::v1::ValidationReport listed;
  ASSERT_EQ(details.details_size(), 2);
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_TRUE(details.details(1).UnpackTo(&listed));
  ASSERT_GT(listed.violations_size(), 0);
  ASSERT_GT(listed.omitted_size(), 0);
  EXPECT_NE(bad_request.field_violations().rbegin()->description().find(
                "more finding"),
            std::string::npos);
  int64_t total = listed.violations_size();
  for (const auto& omitted : listed.omitted()) total += omitted.count();

  budget::v1::ValidateBudgetRequest request;
  *request.mutable_budget() = budget;
  request.set_page_size(1'000);
  int64_t paged = 0;
  int64_t beyond = 0;
  int pages = 0;
  do {
    grpc::ClientContext context;
    budget::v1::ValidateBudgetResponse page;
    grpc::Status got = stub_->ValidateBudget(&context, request, &page);
    ASSERT_TRUE(got.ok()) << got.error_message();
    EXPECT_FALSE(page.acceptable());
    if (pages == 0) {
      for (const auto& omitted : page.omitted()) beyond += omitted.count();
      EXPECT_EQ(page.violations(0).field_path(),
                listed.violations(0).field_path());
    }
    paged += page.violations_size();
    ++pages;
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(paged + beyond, total);
  EXPECT_GT(pages, 1);

  grpc::ClientContext context;
  request.set_page_token("not-a-token");
  budget::v1::ValidateBudgetResponse page;
  EXPECT_EQ(stub_->ValidateBudget(&context, request, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(HostileInputTest, LongValuesGivenAreClippedInTheRejection) {
  UnitBudget budget = Valid(1);
  for (int i = 0; i < 2; ++i) {
    budget::v1::ExpenditureLine* line = budget.add_expenditures();
    // As long as a budget's text may be, and no function code.
    line->set_function_code(std::string(4096, 'x'));
    line->set_amount_fen(1);
  }
  grpc::Status status = Submit("long-given", budget);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  // Before, the listed findings kept their whole 4 KB values: 9 KB of
  // trailer, which clients refuse.
  EXPECT_LE(status.error_details().size(), 4096u);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  budget::v1::ValidationReport listed;
  ASSERT_EQ(details.details_size(), 2);
  ASSERT_TRUE(details.details(1).UnpackTo(&listed));
  ASSERT_GE(listed.violations_size(), 2);
  for (const budget::v1::Violation& violation : listed.violations()) {
    EXPECT_LE(violation.given().size(), 160u + std::string("…").size())
        << violation.rule_id();
  }
}

TEST_F(HostileInputTest, AnUnparsableStreamMessageIsAnsweredNotDropped) {
  grpc::Status status = CallWithBytes(
      *server_->Channel(), "/budget.v1.IngestService/SubmitBudgets",
      std::string("\x0A\xFF", 2), /*streaming=*/true);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("request_id"), std::string::npos)
      << status.error_message();
}

TEST_F(HostileInputTest, HistoryPagesAndALockedYearIsFinal) {
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(Submit(absl::StrCat("rev-", i), Valid(i)).ok());
  }
  budget::v1::ListSubmissionsRequest list;
  list.set_unit_code(kOffice);
  list.set_fiscal_year(kYear);
  list.set_page_size(2);
  std::vector<int64_t> revisions;
  do {
    grpc::ClientContext context;
    budget::v1::ListSubmissionsResponse page;
    ASSERT_TRUE(stub_->ListSubmissions(&context, list, &page).ok());
    EXPECT_LE(page.submissions_size(), 2);
    for (const auto& s : page.submissions()) revisions.push_back(s.revision());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(revisions, (std::vector<int64_t>{1, 2, 3}));

  auto review = [this](budget::v1::ReviewDecision decision) {
    grpc::ClientContext context;
    budget::v1::ReviewSubmissionRequest request;
    request.set_unit_code(kOffice);
    request.set_fiscal_year(kYear);
    request.set_revision(3);
    request.set_decision(decision);
    request.set_comment("c");
    budget::v1::Review response;
    return stub_->ReviewSubmission(&context, request, &response);
  };
  auto lock = [this] {
    grpc::ClientContext context;
    budget::v1::LockYearRequest request;
    request.set_node_code(kDepartment);
    request.set_fiscal_year(kYear);
    budget::v1::LockYearResponse response;
    return stub_->LockYear(&context, request, &response);
  };
  ASSERT_TRUE(review(budget::v1::REVIEW_DECISION_APPROVED).ok());
  ASSERT_TRUE(lock().ok());
  // Locking again, everything still approved: the store refuses the
  // second lock, and its SQL must not reach the caller.
  grpc::Status again = lock();
  EXPECT_EQ(again.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  for (const char* sql : {"INSERT", "UNIQUE", "constraint"}) {
    EXPECT_EQ(again.error_message().find(sql), std::string::npos)
        << again.error_message();
  }
  grpc::Status returned = review(budget::v1::REVIEW_DECISION_RETURNED);
  EXPECT_EQ(returned.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(returned.error_message().find("locked"), std::string::npos);
}

TEST_F(HostileInputTest, WatchOfAnUnknownNodeIsNotFoundAtOnce) {
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY,
                                    e2e_testing::StoreArgs(store_path_));
  ASSERT_FALSE(query.address().empty());
  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  grpc::ClientContext context;
  // Before: the stream stayed open and silent until this deadline.
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  budget::v1::WatchRequest request;
  request.set_node_code("999");
  request.set_fiscal_year(kYear);
  auto reader = stub->Watch(&context, request);
  budget::v1::RevisionEvent event;
  EXPECT_FALSE(reader->Read(&event));
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
      << status.error_message();
}

// An Aggregate of a few megabytes repeating one cut (or one drilldown
// dimension) is refused at once, naming the repeat. (Before: 399,000 cuts
// took 2.4 GB and 10 s to answer.)
TEST_F(HostileInputTest, AggregateTakesEachDimensionOnce) {
  ASSERT_TRUE(Submit("one", Valid(100)).ok());
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY,
                                    e2e_testing::StoreArgs(store_path_));
  ASSERT_FALSE(query.address().empty());
  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  auto aggregate = [&](const budget::v1::AggregateRequest& request) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    budget::v1::AggregateResponse response;
    return stub->Aggregate(&context, request, &response);
  };
  budget::v1::AggregateRequest request;
  request.set_node_code(kDepartment);
  request.set_fiscal_year(kYear);
  request.mutable_read()->set_min_revision(1);
  request.add_drilldown(budget::v1::DIMENSION_FUNCTION_CLASS);
  budget::v1::Cut cut;
  cut.set_dimension(budget::v1::DIMENSION_FUNCTION_ITEM);
  cut.add_values("2150501");
  *request.add_cuts() = cut;
  grpc::Status one = aggregate(request);
  ASSERT_TRUE(one.ok()) << one.error_message();

  budget::v1::AggregateRequest cuts = request;
  // 300,000 objects (a cut and its value each), under the census's limit.
  for (int i = 0; i < 150'000; ++i) *cuts.add_cuts() = cut;
  grpc::Status repeated = aggregate(cuts);
  EXPECT_EQ(repeated.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(repeated.error_message(),
            "cuts[1].dimension: DIMENSION_FUNCTION_ITEM cut again; expected "
            "one cut per dimension, listing its values together");
  EXPECT_LT(PeakRssKb(query.pid()), 256 * 1024);

  budget::v1::AggregateRequest drilldown = request;
  drilldown.add_drilldown(budget::v1::DIMENSION_FUNCTION_CLASS);
  grpc::Status again = aggregate(drilldown);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(again.error_message(),
            "drilldown[1]: DIMENSION_FUNCTION_CLASS given again; expected "
            "each dimension at most once");

  budget::v1::AggregateRequest values = request;
  for (int i = 0; i < 100'000; ++i) {
    values.mutable_cuts(0)->add_values("2150501");
  }
  grpc::Status many = aggregate(values);
  EXPECT_EQ(many.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(many.error_message(),
            "cuts[0].values: 100001 given; expected at most 100000");
}

// Three requests of 128 MB at once, each 128 times --max_message_bytes, on
// connections of their own: the transport's quota (--transport_memory_mb)
// resets them while they are still arriving, so together they cost the
// service about the quota plus what arrives before gRPC reclaims (25–33
// MB more at rest, up to 70 MB on a loaded machine), and it answers the
// next caller. (Before: gRPC received each whole before comparing it with
// the limit; three anonymous 200 MB requests took the query service to
// 735 MB.)
TEST_F(HostileInputTest, OversizedRequestsHoldAtMostTheTransportQuota) {
  ASSERT_TRUE(Submit("one", Valid(100)).ok());
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path_);
  args.push_back("--max_message_bytes=1048576");
  args.push_back("--transport_memory_mb=16");
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  ASSERT_FALSE(query.address().empty());
  const int64_t started_kb = PeakRssKb(query.pid());
  // Over the limit, it is refused before anything parses it.
  const std::string oversized(128 << 20, '\x0a');
  // Connected before any request is sent, so that each request is cut
  // off as it arrives rather than its connection refused.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < 3; ++i) {
    grpc::ChannelArguments own_connection;
    own_connection.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(grpc::CreateCustomChannel(
        query.address(), grpc::InsecureChannelCredentials(), own_connection));
    ASSERT_TRUE(channels.back()->WaitForConnected(
        std::chrono::system_clock::now() + std::chrono::seconds(30)));
  }
  std::vector<grpc::Status> statuses(channels.size());
  std::vector<std::thread> callers;
  for (size_t i = 0; i < channels.size(); ++i) {
    callers.emplace_back([&, i] {
      statuses[i] = CallWithBytes(*channels[i],
                                  "/budget.v1.QueryService/GetDisclosureTable",
                                  oversized);
    });
  }
  for (std::thread& caller : callers) caller.join();
  // Reset while receiving (RESOURCE_EXHAUSTED), or, when its connection
  // had no call open at the moment the quota ran out, sent a GOAWAY
  // (UNAVAILABLE "GOAWAY received", which a client may retry).
  for (const grpc::Status& status : statuses) {
    EXPECT_TRUE(status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED ||
                status.error_code() == grpc::StatusCode::UNAVAILABLE)
        << status.error_code() << " " << status.error_message();
  }
  EXPECT_LT(PeakRssKb(query.pid()) - started_kb, 160 * 1024);

  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  budget::v1::AggregateRequest request;
  request.set_node_code(kDepartment);
  request.set_fiscal_year(kYear);
  request.mutable_read()->set_min_revision(1);
  budget::v1::AggregateResponse response;
  grpc::Status after = stub->Aggregate(&context, request, &response);
  EXPECT_TRUE(after.ok()) << after.error_message();
}

// Health takes a service name as any other text of a request: at most
// 4 KB, and an unknown one is shown clipped. (Before: a 1 MB name was
// echoed whole in the NOT_FOUND, over clients' trailer limit, and a Watch
// kept it for as long as it stayed open.)
TEST_F(HostileInputTest, HealthRefusesANameNoServiceHas) {
  auto health = grpc::health::v1::Health::NewStub(server_->Channel());
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(std::string(1 << 20, 's'));
  {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = health->Check(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message(),
              "service: a string of 1048576 bytes; expected at most 4096 "
              "(docs/limits.md)");
  }
  {
    grpc::ClientContext context;
    auto watch = health->Watch(&context, request);
    grpc::health::v1::HealthCheckResponse response;
    EXPECT_FALSE(watch->Read(&response));
    grpc::Status status = watch->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  }
  request.set_service(std::string(4096, 's'));
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status unknown = health->Check(&context, request, &response);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(
      unknown.error_message(),
      absl::StrCat("unknown service ", std::string(64, 's'), "…(4096 bytes)"));
}

// A Watch naming a revision the query service has not applied yet, of a
// node registered just before it, waits for that revision instead of
// answering NOT_FOUND; a negative revision is refused. (Before: NOT_FOUND
// whenever the replica had not tailed the registration yet, a race a test
// lost under load.) The replica polls every 2 s, so it has not applied the
// registration when the Watch arrives.
TEST_F(HostileInputTest, WatchWaitsForTheRevisionItNames) {
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path_);
  args.push_back("--poll_interval=2s");
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  ASSERT_FALSE(query.address().empty());
  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  Register(UnitBelowDepartment("021014", "郑州市中小企业服务中心"));
  budget::v1::SubmitBudgetResponse first;
  ASSERT_TRUE(Submit("first", Valid(100), &first).ok());

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  budget::v1::WatchRequest request;
  request.set_node_code("021014");
  request.set_after_revision(first.consolidated_revision());
  auto reader = stub->Watch(&context, request);
  ExpectNextEventIsASubmissionOf021014(*reader, "second", 200);
  context.TryCancel();

  grpc::ClientContext negative_context;
  request.set_after_revision(-1);
  auto refused = stub->Watch(&negative_context, request);
  budget::v1::RevisionEvent event;
  EXPECT_FALSE(refused->Read(&event));
  grpc::Status status = refused->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "after_revision: -1 given; expected 0 or more");
}

// Every method of the three services, unary or streaming, answers request
// bytes that do not parse with INVALID_ARGUMENT naming what was wrong and
// the message it expected: garbage, a truncated frame, and invalid UTF-8 in
// a string field. (Before: UNIMPLEMENTED with no message on every method
// gRPC parsed itself.) A method added to a service is covered without
// being listed here.
TEST_F(HostileInputTest, EveryMethodNamesWhatDoesNotParse) {
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY,
                                    e2e_testing::StoreArgs(store_path_));
  ASSERT_FALSE(query.address().empty());
  const struct {
    const google::protobuf::ServiceDescriptor* service;
    std::shared_ptr<grpc::Channel> channel;
  } services[] = {
      {ServiceOf<budget::v1::ListUnitsRequest>(), server_->Channel()},
      {ServiceOf<budget::v1::ListAuditRecordsRequest>(), server_->Channel()},
      {ServiceOf<budget::v1::ListMembersRequest>(), query.Channel()},
  };
  int methods = 0;
  for (const auto& [service, channel] : services) {
    ASSERT_NE(service, nullptr);
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor& method = *service->method(m);
      const google::protobuf::Descriptor& input = *method.input_type();
      ++methods;
      struct Hostile {
        std::string name;
        std::string bytes;
        std::string pattern;
      };
      std::vector<Hostile> hostile = {
          {"garbage", "\xFF\xFF\xFF\xFF", "bad or truncated field tag"},
          // Field 1, length-delimited, 5 bytes announced and 1 sent.
          {"truncated", std::string("\x0A\x05\x30", 3), "truncated"},
      };
      for (int f = 0; f < input.field_count(); ++f) {
        const google::protobuf::FieldDescriptor& field = *input.field(f);
        if (field.type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
          continue;
        }
        std::string utf8(1, static_cast<char>(field.number() << 3 | 2));
        utf8 += std::string("\x02\xC0\xAF", 3);
        hostile.push_back({"invalid UTF-8", utf8,
                           field.name() + ": invalid UTF-8 at byte 0"});
        break;
      }
      for (const Hostile& h : hostile) {
        SCOPED_TRACE(method.full_name() + ", " + h.name);
        grpc::Status status = CallWithBytes(
            *channel,
            absl::StrCat("/", service->full_name(), "/", method.name()),
            h.bytes, method.server_streaming());
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << status.error_message();
        EXPECT_TRUE(
            std::regex_search(status.error_message(), std::regex(h.pattern)))
            << status.error_message() << "\npattern: " << h.pattern;
        EXPECT_NE(status.error_message().find(input.full_name()),
                  std::string::npos)
            << status.error_message();
      }
    }
  }
  EXPECT_GE(methods, 17);
  // The query service still answers.
  grpc::ClientContext context;
  budget::v1::ListMembersRequest members;
  members.set_dimension(budget::v1::DIMENSION_FUNCTION_CLASS);
  budget::v1::ListMembersResponse listed;
  grpc::Status status = budget::v1::QueryService::NewStub(query.Channel())
                            ->ListMembers(&context, members, &listed);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// A budget at the line limit is 50,000 lines of ~40 bytes: more than the
// census's quick bound (a byte an object) allows, so it is counted exactly
// and accepted, not refused as a bomb.
TEST_F(HostileInputTest, ABudgetAtTheLineLimitIsCountedExactly) {
  UnitBudget budget = Valid(50'000);
  budget.mutable_expenditures(0)->set_amount_fen(1);
  const budget::v1::ExpenditureLine line = budget.expenditures(0);
  while (budget.expenditures_size() < 50'000) *budget.add_expenditures() = line;
  ASSERT_GT(budget.ByteSizeLong(), 1'000'000u);
  grpc::Status status = Submit("at-the-limit", budget);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// Elements of repeated fields are objects too: an Aggregate naming a cut
// of 500,000 empty values (1 MB), or 3,000,000 drill-down dimensions packed
// into 3 MB, would parse into tens of megabytes of strings and numbers.
TEST_F(HostileInputTest, RepeatedFieldsAreCountedBeforeParsing) {
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY,
                                    e2e_testing::StoreArgs(store_path_));
  ASSERT_FALSE(query.address().empty());
  budget::v1::AggregateRequest values;
  values.set_node_code(kOffice);
  budget::v1::Cut* cut = values.add_cuts();
  cut->set_dimension(budget::v1::DIMENSION_FUNCTION_CLASS);
  for (int i = 0; i < 500'000; ++i) cut->add_values("");
  budget::v1::AggregateRequest dimensions;
  dimensions.set_node_code(kOffice);
  for (int i = 0; i < 3'000'000; ++i) {
    dimensions.add_drilldown(budget::v1::DIMENSION_FUNCTION_CLASS);
  }
  for (const auto* request : {&values, &dimensions}) {
    grpc::Status status =
        CallWithBytes(*query.Channel(), "/budget.v1.QueryService/Aggregate",
                      request->SerializeAsString());
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << status.error_message();
    EXPECT_NE(status.error_message().find(kTooManyObjects), std::string::npos)
        << status.error_message();
  }
}

// Exports are bounded in number and size: each is built whole and held
// until read, so stalled clients (a window of 0) could hold gigabytes
// (before: 2,000 stalled exports of the department took 2.1 GB).
TEST_F(HostileInputTest, ExportsAreBoundedInNumberAndSize) {
  ASSERT_TRUE(Submit("one", Valid(100)).ok());
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path_);
  args.push_back("--max_export_streams=1");
  args.push_back("--max_export_lines=1");
  args.push_back("--max_read_wait=5m");
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  ASSERT_FALSE(query.address().empty());
  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  budget::v1::ExportBudgetRequest request = DepartmentExport(1);

  // One export parked on a revision not yet committed holds the one slot.
  // The parked call and the next one race to the service (and a cancelled
  // call frees its slot a moment after the client sees it end), so a round
  // in which the parked call did not hold the slot is played again.
  const budget::v1::ExportBudgetRequest ahead = DepartmentExport(1'000);
  grpc::Status refused;
  grpc::Status parked;
  for (int attempt = 0; attempt < 100; ++attempt) {
    grpc::ClientContext parked_context;
    auto parked_reader = stub->ExportBudget(&parked_context, ahead);
    grpc::ClientContext context;
    auto reader = stub->ExportBudget(&context, request);
    refused = ReadToEnd(*reader);
    parked_context.TryCancel();
    parked = ReadToEnd(*parked_reader);
    if (!refused.ok() && parked.error_code() == grpc::StatusCode::CANCELLED) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(),
            "1 exports are streaming already (--max_export_streams); retry "
            "later");
  EXPECT_EQ(parked.error_code(), grpc::StatusCode::CANCELLED)
      << parked.error_message();

  // A slot is free again once the service has ended the call that held it,
  // a moment after its client saw the end, so an export refused only for the
  // slot is played again. The department's one line is within the limit,
  // two are not.
  const auto export_once_a_slot_is_free =
      [&stub](const budget::v1::ExportBudgetRequest& export_request) {
        grpc::Status status;
        for (int attempt = 0; attempt < 100; ++attempt) {
          grpc::ClientContext context;
          auto reader = stub->ExportBudget(&context, export_request);
          status = ReadToEnd(*reader);
          if (status.error_message().find("--max_export_streams") ==
              std::string::npos) {
            break;
          }
          absl::SleepFor(absl::Milliseconds(50));
        }
        return status;
      };
  grpc::Status exported = export_once_a_slot_is_free(request);
  EXPECT_TRUE(exported.ok()) << exported.error_message();
  budget::v1::SubmitBudgetResponse second;
  UnitBudget two_lines = Valid(100);
  *two_lines.add_expenditures() = two_lines.expenditures(0);
  two_lines.mutable_income(0)->set_amount_fen(200);
  ASSERT_TRUE(Submit("two", two_lines, &second).ok());
  request.mutable_read()->set_min_revision(second.consolidated_revision());
  grpc::Status status = export_once_a_slot_is_free(request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(),
            "the export of 021 2024 holds 2 budget lines; at most 1 "
            "(--max_export_lines): export the nodes below it one at a time");
}

// A Watch whose client stops reading is dropped once its backlog is full,
// instead of queueing every later revision for as long as it stays open.
TEST_F(HostileInputTest, AWatchThatIsNotReadEndsAtItsBacklog) {
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path_);
  args.push_back("--max_watch_backlog=5");
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  ASSERT_FALSE(query.address().empty());
  auto stub =
      budget::v1::QueryService::NewStub(SmallWindowChannel(query.address()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  budget::v1::WatchRequest request;
  request.set_node_code(kDepartment);
  auto reader = stub->Watch(&context, request);
  budget::v1::SubmitBudgetResponse last;
  for (int i = 1; i <= 400; ++i) {
    ASSERT_TRUE(Submit(absl::StrCat("r", i), Valid(100 + i), &last).ok());
  }
  budget::v1::RevisionEvent event;
  int read = 0;
  while (reader->Read(&event)) ++read;
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message() << " after " << read << " events";
  EXPECT_EQ(status.error_message(),
            "the client fell 5 messages behind; read faster, or start again "
            "after the last message read");
  EXPECT_LT(read, 400);
}

// A budget of `lines` lines, each with a memo of 500 bytes: an export of
// it is one message of some 100 KB per 200 lines, far over a small window.
UnitBudget BigBudget(int lines) {
  UnitBudget budget = SalaryBudget(UnitBelowDepartment(kOffice, "机关"), lines);
  budget.mutable_expenditures(0)->set_amount_fen(1);
  budget.mutable_expenditures(0)->set_memo(std::string(500, 'm'));
  for (int i = 1; i < lines; ++i) {
    *budget.add_expenditures() = budget.expenditures(0);
  }
  return budget;
}

// An export whose client stops reading (a window of 0) is cancelled once a
// message has waited --stream_write_stall for it, and its slot is free
// again. (Before: the unread exports held their slots, and every other
// caller got RESOURCE_EXHAUSTED, for as long as their client stayed
// connected.)
TEST_F(HostileInputTest, ExportsLeftUnreadAreCancelledAndFreeTheirSlots) {
  budget::v1::SubmitBudgetResponse big;
  ASSERT_TRUE(Submit("big", BigBudget(200), &big).ok());
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path_);
  args.push_back("--max_export_streams=2");
  args.push_back("--stream_write_stall=1s");
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  ASSERT_FALSE(query.address().empty());
  const budget::v1::ExportBudgetRequest request =
      DepartmentExport(big.consolidated_revision());

  // Two exports never read take both slots.
  auto stalled_stub =
      budget::v1::QueryService::NewStub(SmallWindowChannel(query.address()));
  grpc::ClientContext stalled_contexts[2];
  std::unique_ptr<grpc::ClientReader<budget::v1::ExportRecord>> stalled[2];
  for (int i = 0; i < 2; ++i) {
    stalled_contexts[i].set_deadline(std::chrono::system_clock::now() +
                                     std::chrono::seconds(120));
    stalled[i] = stalled_stub->ExportBudget(&stalled_contexts[i], request);
    // Streaming (its slot taken) before the next call is made: the headers
    // come with its first message.
    stalled[i]->WaitForInitialMetadata();
  }

  // A caller who reads exports once the service has cancelled them; the
  // 60 s bound only keeps a broken service from hanging the test.
  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  grpc::Status exported;
  int records = 0;
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while (absl::Now() < give_up) {
    grpc::ClientContext context;
    records = 0;
    auto reader = stub->ExportBudget(&context, request);
    exported = ReadToEnd(*reader, &records);
    if (exported.ok()) break;
    ASSERT_EQ(exported.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << exported.error_message();
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(exported.ok()) << exported.error_message();
  EXPECT_GE(records, 3);  // Units, the budget and the trailer.
  // The first cancellation freed the slot; the other stream's first
  // message went out a moment later, so it is cancelled up to a stall
  // limit and the watch's period (1/4 of it) later. Read before that, it
  // would still be delivered whole.
  absl::SleepFor(absl::Seconds(2));
  for (auto& reader : stalled) {
    int read = 0;
    grpc::Status status = ReadToEnd(*reader, &read);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED)
        << status.error_message() << " after " << read << " records";
  }
}

// A Watch whose client stops reading is cancelled once an event has waited
// --stream_write_stall for it, long before its backlog is full; a Watch
// that has no events to send is not stalled, however long it waits.
// (Before: the unread Watch stayed open, its queue growing, until its
// backlog limit.)
TEST_F(HostileInputTest, AWatchLeftUnreadIsCancelledAndAnIdleOneIsNot) {
  Register(UnitBelowDepartment("021014", "郑州市中小企业服务中心"));
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path_);
  args.push_back("--stream_write_stall=1s");
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  ASSERT_FALSE(query.address().empty());
  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  auto stalled_stub =
      budget::v1::QueryService::NewStub(SmallWindowChannel(query.address()));
  // Only keeps a broken service from hanging the test.
  const auto deadline =
      std::chrono::system_clock::now() + std::chrono::seconds(30);
  grpc::ClientContext idle_context;
  idle_context.set_deadline(deadline);
  budget::v1::WatchRequest idle_request;
  idle_request.set_node_code("021014");
  auto idle = stub->Watch(&idle_context, idle_request);
  grpc::ClientContext stalled_context;
  stalled_context.set_deadline(deadline);
  budget::v1::WatchRequest request;
  request.set_node_code(kDepartment);
  auto stalled = stalled_stub->Watch(&stalled_context, request);

  // About 20 KB of events for the unread Watch, none for the idle one.
  constexpr int kRevisions = 200;
  for (int i = 1; i <= kRevisions; ++i) {
    ASSERT_TRUE(Submit(absl::StrCat("r", i), Valid(100 + i)).ok());
  }
  // Well past the stall limit, without reading.
  absl::SleepFor(absl::Seconds(3));
  int read = 0;
  grpc::Status status = ReadToEnd(*stalled, &read);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED)
      << status.error_message() << " after " << read << " events";
  EXPECT_LT(read, kRevisions);

  // The idle Watch still follows its node.
  ExpectNextEventIsASubmissionOf021014(*idle, "idle", 300);
  idle_context.TryCancel();
}

// One caller may run --max_export_streams_per_caller exports at once, so
// that it cannot take every slot from the others: one more is refused at
// once, while another caller still exports. Callers here are two
// principals with tokens, both on the same address. (Before: any caller
// could take all --max_export_streams slots.)
TEST_F(HostileInputTest, ACallerRunsAtMostItsShareOfExports) {
  ASSERT_TRUE(Submit("one", Valid(100)).ok());
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path_);
  args.push_back(PrincipalsArg({"auditor-a", "auditor-b"}));
  args.push_back("--max_export_streams_per_caller=2");
  args.push_back("--max_read_wait=5m");
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  ASSERT_FALSE(query.address().empty());
  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  const budget::v1::ExportBudgetRequest request = DepartmentExport(1);
  const budget::v1::ExportBudgetRequest ahead = DepartmentExport(1'000);

  // Two exports of auditor-a parked on a revision not yet committed hold
  // its share. They and the next call race to the service, so a round in
  // which they did not both hold their slot yet is played again.
  grpc::Status refused;
  grpc::Status other;
  for (int attempt = 0; attempt < 50; ++attempt) {
    grpc::ClientContext parked_contexts[2];
    std::unique_ptr<grpc::ClientReader<budget::v1::ExportRecord>> parked[2];
    for (int i = 0; i < 2; ++i) {
      As("auditor-a", parked_contexts[i]);
      parked[i] = stub->ExportBudget(&parked_contexts[i], ahead);
    }
    grpc::ClientContext third;
    As("auditor-a", third);
    refused = ReadToEnd(*stub->ExportBudget(&third, request));
    grpc::ClientContext another;
    As("auditor-b", another);
    other = ReadToEnd(*stub->ExportBudget(&another, request));
    for (int i = 0; i < 2; ++i) {
      parked_contexts[i].TryCancel();
      ReadToEnd(*parked[i]);
    }
    if (!refused.ok()) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(),
            "2 exports of this caller are streaming already; at most 2 per "
            "caller (--max_export_streams_per_caller): read them to the end "
            "or cancel them, then retry");
  EXPECT_TRUE(other.ok()) << other.error_message();
}

// A Watch of the department as one of PrincipalsArg's auditors, on a
// connection of its own, replaying the revisions after `after_revision`;
// cancelled when destroyed.
class OwnConnectionWatch {
 public:
  OwnConnectionWatch(const std::string& address, const std::string& auditor,
                     int64_t after_revision) {
    // Channels to one address with the same arguments would share one
    // connection.
    grpc::ChannelArguments own;
    own.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    stub_ = budget::v1::QueryService::NewStub(grpc::CreateCustomChannel(
        address, grpc::InsecureChannelCredentials(), own));
    HostileInputTest::As(auditor, context_);
    budget::v1::WatchRequest request;
    request.set_node_code(kDepartment);
    request.set_after_revision(after_revision);
    reader_ = stub_->Watch(&context_, request);
  }
  ~OwnConnectionWatch() { Cancel(); }

  // OK once the first event comes (the service admitted the Watch, which
  // holds its slot), else how the Watch ended.
  grpc::Status FirstAnswer() {
    budget::v1::RevisionEvent event;
    if (!ended_.has_value() && reader_->Read(&event)) return grpc::Status::OK;
    return End();
  }

  // Cancels the Watch; returns how it ended.
  grpc::Status Cancel() {
    context_.TryCancel();
    return End();
  }

 private:
  grpc::Status End() {
    if (!ended_.has_value()) ended_ = ReadToEnd(*reader_);
    return *ended_;
  }

  std::unique_ptr<budget::v1::QueryService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<budget::v1::RevisionEvent>> reader_;
  std::optional<grpc::Status> ended_;
};

// Submits two budgets of the office; returns the revision of the first.
int64_t SubmitTwice(HostileInputTest& test) {
  budget::v1::SubmitBudgetResponse first;
  EXPECT_TRUE(test.Submit("first", HostileInputTest::Valid(100), &first).ok());
  EXPECT_TRUE(test.Submit("second", HostileInputTest::Valid(200)).ok());
  return first.consolidated_revision();
}

// Opens a Watch as each of `auditors` in turn, each admitted (its first
// event read) before the next is opened, so that none races the next.
std::vector<std::unique_ptr<OwnConnectionWatch>> HoldWatches(
    const std::string& address, std::initializer_list<const char*> auditors,
    int64_t after_revision) {
  std::vector<std::unique_ptr<OwnConnectionWatch>> held;
  for (const char* auditor : auditors) {
    held.push_back(
        std::make_unique<OwnConnectionWatch>(address, auditor, after_revision));
    grpc::Status admitted = held.back()->FirstAnswer();
    EXPECT_TRUE(admitted.ok()) << auditor << ": " << admitted.error_message();
  }
  return held;
}

// `refused` is RESOURCE_EXHAUSTED saying `message`.
void ExpectExhausted(const grpc::Status& refused, const std::string& message) {
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(), message);
}

// One caller may hold --max_watch_streams_per_caller Watches, however many
// connections it opens: one more is refused at once, while another caller
// still watches. (Before: gRPC bounded Watches only per connection, so one
// client opening connections could hold any number, each a subscription
// every applied revision is offered to and a backlog of up to ~1 MB.)
TEST_F(HostileInputTest, ACallerHoldsAtMostItsShareOfWatches) {
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path_);
  args.push_back(PrincipalsArg({"auditor-a", "auditor-b"}));
  args.push_back("--max_watch_streams_per_caller=2");
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  ASSERT_FALSE(query.address().empty());
  // Every Watch replays the second submission once admitted (after a
  // revision > 0; 0 asks for new ones only): a Watch that has sent it
  // holds its slot, so the next call does not race it.
  const int64_t replay_after = SubmitTwice(*this);

  auto held =
      HoldWatches(query.address(), {"auditor-a", "auditor-a"}, replay_after);
  OwnConnectionWatch third(query.address(), "auditor-a", replay_after);
  ExpectExhausted(third.FirstAnswer(),
                  "2 Watch streams of this caller are open already; at most 2 "
                  "per caller (--max_watch_streams_per_caller): cancel the "
                  "Watches it no longer needs, then retry");
  OwnConnectionWatch other(query.address(), "auditor-b", replay_after);
  grpc::Status watching = other.FirstAnswer();
  EXPECT_TRUE(watching.ok()) << watching.error_message();
}

// All callers together may hold --max_watch_streams Watches; one more is
// refused at once, and admitted once a Watch is cancelled. (Before: no
// bound but gRPC's per connection.)
TEST_F(HostileInputTest, WatchesAreBoundedInAllAndACancelledOneFreesItsSlot) {
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path_);
  args.push_back(PrincipalsArg({"auditor-a", "auditor-b", "auditor-c"}));
  args.push_back("--max_watch_streams=3");
  args.push_back("--max_watch_streams_per_caller=2");
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  ASSERT_FALSE(query.address().empty());
  // Replayed to every Watch once admitted, as above.
  const int64_t replay_after = SubmitTwice(*this);

  auto held = HoldWatches(
      query.address(), {"auditor-a", "auditor-a", "auditor-b"}, replay_after);
  OwnConnectionWatch c1(query.address(), "auditor-c", replay_after);
  ExpectExhausted(
      c1.FirstAnswer(),
      "3 Watch streams are open already (--max_watch_streams); retry later");

  grpc::Status cancelled = held.front()->Cancel();
  EXPECT_EQ(cancelled.error_code(), grpc::StatusCode::CANCELLED)
      << cancelled.error_message();
  // The slot is given back once the service has ended the cancelled call,
  // a moment after its client sees it end; the 30 s bound only keeps a
  // broken service from hanging the test.
  grpc::Status admitted;
  int refusals = 0;
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (absl::Now() < give_up) {
    OwnConnectionWatch c2(query.address(), "auditor-c", replay_after);
    admitted = c2.FirstAnswer();
    if (admitted.ok()) break;
    ASSERT_EQ(admitted.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << admitted.error_message();
    ++refusals;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(admitted.ok())
      << admitted.error_message() << " after " << refusals << " refusals";
}

// A connection that never finishes its HTTP/2 preface is closed once the
// handshake timeout passes. (Before: gRPC's 2 minutes; 5,000 such
// connections were all still open after 41 s.)
TEST_F(HostileInputTest, AHalfOpenConnectionIsClosed) {
  std::vector<std::string> args = e2e_testing::StoreArgs(store_path_);
  args.push_back("--handshake_timeout=1s");
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args);
  ASSERT_FALSE(query.address().empty());
  const int fd = ConnectRaw(query.address(), 10);  // 10 of its 24 bytes.
  ASSERT_GE(fd, 0);
  // Waits for the service to close it; the 30 s bound only keeps a broken
  // service from hanging the test.
  timeval wait{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait));
  char byte;
  ssize_t got;
  do {
    got = recv(fd, &byte, 1, 0);
  } while (got > 0);
  EXPECT_EQ(got, 0) << "the connection was not closed: " << strerror(errno);
  close(fd);
}

// gRPC 1.51 stops accepting on a port for good once accept4 fails for want
// of a file descriptor, and has no bound on connections. So the service
// raises its open-file limit as far as it may, and when its listener stops
// anyway it stops itself with a failure, for its supervisor to start it
// again (server_common/listener_guard.h). (Before: 400 idle connections
// past a limit of 256 left the service running and unreachable, even after
// they had closed.)
TEST_F(HostileInputTest, ConnectionsPastTheOpenFileLimitStopTheService) {
  const std::vector<std::string> args = e2e_testing::StoreArgs(store_path_);
  {
    e2e_testing::ServiceProcess raised(QUERY_SERVICE_BINARY, args,
                                       rlimit{128, 512});
    ASSERT_FALSE(raised.address().empty());
    EXPECT_EQ(SoftOpenFileLimit(raised.pid()), 512);
  }
  const rlimit kLimit{160, 160};
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY, args, kLimit);
  ASSERT_FALSE(query.address().empty());
  // The guard may stop the service before all 300 are open; a refused
  // connection ends the flood, and the wait below tells whether it stopped.
  std::vector<int> connections;
  for (int i = 0; i < 300; ++i) {
    const int fd = ConnectRaw(query.address(), sizeof(kHttp2Preface) - 1);
    if (fd < 0) break;
    connections.push_back(fd);
  }
  std::optional<int> status = query.WaitForExit(absl::Seconds(60));
  for (int fd : connections) close(fd);
  ASSERT_TRUE(status.has_value())
      << "still running, and not accepting, past its open-file limit";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 1) << *status;

  // Started again, as its supervisor would, it answers.
  e2e_testing::ServiceProcess again(QUERY_SERVICE_BINARY, args, kLimit);
  ASSERT_FALSE(again.address().empty());
  auto health = grpc::health::v1::Health::NewStub(again.Channel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status checked = health->Check(
      &context, grpc::health::v1::HealthCheckRequest(), &response);
  EXPECT_TRUE(checked.ok()) << checked.error_message();
}

// A long node code in Chinese (within the 4 KB text limit) is answered
// NOT_FOUND with the message clipped. (Before: the message echoed the code
// whole, percent-encoded to over gRPC clients' 8 KB of trailers, and the
// client saw RESOURCE_EXHAUSTED instead of NOT_FOUND.)
TEST_F(HostileInputTest, ALongUnknownNodeIsNotFound) {
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY,
                                    e2e_testing::StoreArgs(store_path_));
  ASSERT_FALSE(query.address().empty());
  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  std::string node;
  while (node.size() + 3 <= 4096) node += "郑";
  grpc::ClientContext context;
  budget::v1::GetSummaryRequest request;
  request.set_node_code(node);
  request.set_fiscal_year(kYear);
  budget::v1::Summary summary;
  grpc::Status status = stub->GetSummary(&context, request, &summary);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
      << status.error_message().substr(0, 200);
  EXPECT_LE(status.error_message().size(), 2048u + 32u);
}

// The registry is not a catalog: without a node, the unit dimensions are
// refused, whoever asks. (Before: every unit, those with nothing published
// included, to anonymous and public callers, while authenticated callers
// scoped to a unit were refused.)
TEST_F(HostileInputTest, UnitsAreListedOnlyUnderANode) {
  e2e_testing::ServiceProcess query(QUERY_SERVICE_BINARY,
                                    e2e_testing::StoreArgs(store_path_));
  ASSERT_FALSE(query.address().empty());
  auto stub = budget::v1::QueryService::NewStub(query.Channel());
  for (budget::v1::Dimension dimension :
       {budget::v1::DIMENSION_UNIT, budget::v1::DIMENSION_CHILD}) {
    grpc::ClientContext context;
    budget::v1::ListMembersRequest members;
    members.set_dimension(dimension);
    budget::v1::ListMembersResponse listed;
    grpc::Status status = stub->ListMembers(&context, members, &listed);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message(),
              "node_code: empty given; expected a node: units are listed "
              "under a node (ListUnits lists the registry)");
    EXPECT_EQ(listed.members_size(), 0);
  }
}

}  // namespace
}  // namespace ingest_test
