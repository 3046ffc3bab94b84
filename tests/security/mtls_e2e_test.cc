// Transport security of the real ingest_service: mutual TLS with
// certificates made by openssl at test time (make_test_certs.sh); a client
// without a certificate, with one from another CA, or with an expired one
// is refused; plaintext needs --insecure, and then loopback.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "budget/v1/audit_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/service_process.h"

namespace security_test {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class MtlsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/mtls_e2e_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    ASSERT_EQ(std::system(("bash " MAKE_TEST_CERTS " " + dir_).c_str()), 0);
    std::ofstream(dir_ + "/principals.txt") << "auditor-1 cert auditor\n";
    server_ = std::make_unique<e2e_testing::ServiceProcess>(
        INGEST_SERVICE_BINARY,
        std::vector<std::string>{"--store=sqlite:" + dir_ + "/budget.db",
                                 "--tls_cert=" + dir_ + "/server.pem",
                                 "--tls_key=" + dir_ + "/server.key",
                                 "--client_ca=" + dir_ + "/ca.pem",
                                 "--principals=" + dir_ + "/principals.txt",
                                 "--shutdown_grace=1s"});
  }
  void TearDown() override {
    server_.reset();
    std::system(("rm -rf " + dir_).c_str());
  }

  // VerifyAuditTrail over TLS with the client key pair NAME ("" for none).
  grpc::Status CallWith(const std::string& name) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Read(dir_ + "/ca.pem");
    if (!name.empty()) {
      ssl.pem_cert_chain = Read(dir_ + "/" + name + ".pem");
      ssl.pem_private_key = Read(dir_ + "/" + name + ".key");
    }
    auto stub = budget::v1::AuditService::NewStub(
        grpc::CreateChannel(server_->address(), grpc::SslCredentials(ssl)));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    budget::v1::VerifyAuditTrailResponse response;
    return stub->VerifyAuditTrail(
        &context, budget::v1::VerifyAuditTrailRequest(), &response);
  }

  // Exit code of the ingest binary with `flags`, which must refuse to
  // start.
  int StartWith(const std::string& flags) {
    return std::system((std::string(INGEST_SERVICE_BINARY) +
                        " --store=sqlite:" + dir_ + "/other.db " + flags +
                        " >/dev/null 2>&1")
                           .c_str());
  }

  std::string dir_;
  std::unique_ptr<e2e_testing::ServiceProcess> server_;
};

TEST_F(MtlsE2eTest, CertificateOfTheCaIdentifiesThePrincipal) {
  grpc::Status status = CallWith("client");
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(MtlsE2eTest, ClientWithoutCertificateIsRefused) {
  EXPECT_FALSE(CallWith("").ok());
}

TEST_F(MtlsE2eTest, CertificateFromAnotherCaIsRefused) {
  EXPECT_FALSE(CallWith("stranger").ok());
}

TEST_F(MtlsE2eTest, ExpiredCertificateIsRefused) {
  EXPECT_FALSE(CallWith("expired").ok());
}

TEST_F(MtlsE2eTest, PlaintextOnlyWhenAskedForAndOnLoopback) {
  EXPECT_NE(StartWith("--listen=127.0.0.1:0"), 0);
  EXPECT_NE(StartWith("--listen=0.0.0.0:0 --insecure"), 0);
  // Plaintext without principals is a loopback-only development mode.
  EXPECT_NE(StartWith("--listen=0.0.0.0:0 --insecure --insecure_any_address"),
            0);
}

}  // namespace
}  // namespace security_test
