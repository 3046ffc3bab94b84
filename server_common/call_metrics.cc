#include "server_common/call_metrics.h"

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "server_common/call_log.h"

namespace server_common {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

// From 100 µs (a cached table) to 30 s (the longest read wait by default).
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* const kBuckets =
      new prometheus::Histogram::BucketBoundaries{
          0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,    0.5,    1,     2.5,    5,     10,   30};
  return *kBuckets;
}

struct CallFamilies {
  explicit CallFamilies(prometheus::Registry& registry)
      : started(prometheus::BuildCounter()
                    .Name("grpc_server_started_total")
                    .Help("RPCs started on the server")
                    .Register(registry)),
        handled(prometheus::BuildCounter()
                    .Name("grpc_server_handled_total")
                    .Help("RPCs completed on the server, by status code")
                    .Register(registry)),
        seconds(prometheus::BuildHistogram()
                    .Name("grpc_server_handling_seconds")
                    .Help("Time from an RPC's start to its status being sent")
                    .Register(registry)) {}

  prometheus::Family<prometheus::Counter>& started;
  prometheus::Family<prometheus::Counter>& handled;
  prometheus::Family<prometheus::Histogram>& seconds;
};

const char* TypeName(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY:
      return "unary";
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unknown";
}

// One per call: created when the call starts, destroyed when it is done.
class CallInterceptor : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(CallFamilies* families, ServerRpcInfo* info)
      : families_(families), start_(absl::Now()) {
    // "/budget.v1.QueryService/GetTable".
    absl::string_view full = info->method() ? info->method() : "";
    absl::string_view::size_type slash = full.rfind('/');
    absl::string_view service =
        slash == absl::string_view::npos ? "" : full.substr(1, slash - 1);
    absl::string_view method =
        slash == absl::string_view::npos ? full : full.substr(slash + 1);
    labels_ = {{"grpc_type", TypeName(info->type())},
               {"grpc_service", std::string(service)},
               {"grpc_method", std::string(method)}};
    families_->started.Add(labels_).Increment();
  }

  ~CallInterceptor() override {
    if (!recorded_) Record(grpc::StatusCode::CANCELLED);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(grpc::StatusCode code) {
    recorded_ = true;
    families_->seconds.Add(labels_, LatencyBuckets())
        .Observe(absl::ToDoubleSeconds(absl::Now() - start_));
    prometheus::Labels with_code = labels_;
    with_code["grpc_code"] = CodeName(code);
    families_->handled.Add(with_code).Increment();
  }

  CallFamilies* const families_;
  const absl::Time start_;
  prometheus::Labels labels_;
  bool recorded_ = false;
};

class CallInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallInterceptorFactory(prometheus::Registry& registry)
      : families_(registry) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      ServerRpcInfo* info) override {
    return new CallInterceptor(&families_, info);
  }

 private:
  CallFamilies families_;
};

}  // namespace

InterceptorFactories CallMetricsInterceptors(Metrics& metrics) {
  InterceptorFactories factories;
  if (metrics.enabled()) {
    factories.push_back(
        std::make_unique<CallInterceptorFactory>(metrics.registry()));
  }
  return factories;
}

}  // namespace server_common
