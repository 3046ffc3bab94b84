#include "query_service/aggregate_translation.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "budget/tables/percent.h"

namespace query {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 10'000;

// budget.v1.Dimension numbers the domain's dimensions in declaration order
// from 1.
constexpr int kDimensionCount = 13;

void FillRow(const budget::AggregateRow& row, bool compare,
             budget::v1::AggregateRow* out) {
  for (const budget::AggregateMember& member : row.members) {
    budget::v1::Member* m = out->add_members();
    m->set_dimension(ToProto(member.dimension));
    m->set_value(member.value);
    m->set_name(member.name);
  }
  out->set_amount_fen(row.amount.fen);
  out->set_line_count(row.amount.lines);
  if (compare && !row.masked) {
    *out->mutable_compare() = budget::MakeChange(row.prior.fen, row.amount.fen);
  }
  out->set_subtotal(row.subtotal);
  out->set_residual(row.residual);
  out->set_masked(row.masked);
}

}  // namespace

absl::StatusOr<budget::Dimension> ToDimension(budget::v1::Dimension dimension,
                                              const char* field) {
  if (dimension < 1 || dimension > kDimensionCount) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": dimension ", dimension,
                     " given; expected one of DIMENSION_UNIT .. "
                     "DIMENSION_PROJECT"));
  }
  return static_cast<budget::Dimension>(dimension - 1);
}

budget::v1::Dimension ToProto(budget::Dimension dimension) {
  return static_cast<budget::v1::Dimension>(static_cast<int>(dimension) + 1);
}

absl::StatusOr<budget::AggregateQuery> ToQuery(
    const budget::v1::AggregateRequest& request) {
  budget::AggregateQuery query;
  query.node_code = request.node_code();
  query.fiscal_year = request.fiscal_year();
  query.compare_year = request.compare_year();
  if (request.compare_year() != 0 &&
      request.compare_stage() != budget::v1::BUDGET_STAGE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "compare_year and compare_stage: both given; expected one");
  }
  if (!budget::v1::BudgetStage_IsValid(request.compare_stage()) ||
      !budget::v1::BudgetStage_IsValid(request.read().stage())) {
    return absl::InvalidArgumentError(
        "stage: expected PROPOSAL, SUBMISSION, APPROVED or ADJUSTED");
  }
  query.subtotals = request.subtotals();
  for (int i = 0; i < request.drilldown_size(); ++i) {
    absl::StatusOr<budget::Dimension> dimension = ToDimension(
        request.drilldown(i), absl::StrCat("drilldown[", i, "]").c_str());
    if (!dimension.ok()) return dimension.status();
    query.drilldown.push_back(*dimension);
  }
  for (int i = 0; i < request.cuts_size(); ++i) {
    const budget::v1::Cut& cut = request.cuts(i);
    absl::StatusOr<budget::Dimension> dimension = ToDimension(
        cut.dimension(), absl::StrCat("cuts[", i, "].dimension").c_str());
    if (!dimension.ok()) return dimension.status();
    query.cuts.push_back(
        {*dimension, {cut.values().begin(), cut.values().end()}});
  }
  switch (request.order()) {
    case budget::v1::AGGREGATE_ORDER_BY_KEY:
      query.order = budget::RowOrder::kByKey;
      break;
    case budget::v1::AGGREGATE_ORDER_BY_AMOUNT_DESC:
      query.order = budget::RowOrder::kAmountDesc;
      break;
    case budget::v1::AGGREGATE_ORDER_BY_AMOUNT_ASC:
      query.order = budget::RowOrder::kAmountAsc;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("order: ", request.order(), " given; expected 0..2"));
  }
  return query;
}

absl::Status FillPage(const budget::v1::AggregateRequest& request,
                      const budget::AggregateResult& result,
                      budget::v1::AggregateResponse* response) {
  int page_size =
      request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  if (page_size < 0 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: ", request.page_size(),
                     " given; expected 0 (100) to ", kMaxPageSize));
  }
  // The token is the offset of the page's first row.
  size_t offset = 0;
  if (!request.page_token().empty() &&
      (!absl::SimpleAtoi(request.page_token(), &offset) ||
       offset > result.rows.size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_token: '", request.page_token(),
                     "' given; expected a token from a previous reply"));
  }
  bool compare =
      request.compare_year() != 0 ||
      request.compare_stage() != budget::v1::BUDGET_STAGE_UNSPECIFIED;
  size_t end = std::min(result.rows.size(), offset + page_size);
  for (size_t i = offset; i < end; ++i) {
    FillRow(result.rows[i], compare, response->add_rows());
  }
  FillRow(result.grand_total, compare, response->mutable_grand_total());
  if (end < result.rows.size())
    response->set_next_page_token(absl::StrCat(end));
  response->set_total_rows(result.rows.size());
  return absl::OkStatus();
}

}  // namespace query
