#include "query_service/aggregate_translation.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "budget/money.h"
#include "budget/tables/percent.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"

namespace query {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 10'000;

// budget.v1.Dimension numbers the domain's dimensions in declaration order
// from 1.
constexpr int kDimensionCount = 13;

using google::protobuf::internal::WireFormatLite;

// Four stages and the control figures.
constexpr int kMaxCompareColumns = 5;

// Values one cut may list: more members than any dimension of a large
// region has, while a request cannot make the filter cost more than that.
constexpr int kMaxCutValues = 100'000;

absl::Status FillColumns(const budget::v1::AggregateRequest& request,
                         const budget::AggregateRow& row,
                         budget::v1::AggregateRow* out) {
  for (int i = 0; i < request.compare_columns_size(); ++i) {
    budget::v1::ColumnAmount* column = out->add_columns();
    if (row.masked) continue;
    const budget::CellAmount& cell = row.columns[i];
    if (request.compare_columns(i).control_figures() && cell.lines == 0) {
      column->set_uncontrolled(true);
      continue;
    }
    absl::StatusOr<int64_t> difference =
        budget::CheckedSub(row.amount.fen, cell.fen);
    if (!difference.ok()) return difference.status();
    column->set_amount_fen(cell.fen);
    column->set_difference_fen(*difference);
  }
  return absl::OkStatus();
}

// Everything of a row but its members.
absl::Status FillRow(const budget::v1::AggregateRequest& request,
                     const budget::AggregateRow& row, bool compare,
                     budget::v1::AggregateRow* out) {
  out->set_amount_fen(row.amount.fen);
  out->set_line_count(row.amount.lines);
  if (compare && !row.masked) {
    *out->mutable_compare() = budget::MakeChange(row.prior.fen, row.amount.fen);
  }
  out->set_subtotal(row.subtotal);
  out->set_residual(row.residual);
  out->set_masked(row.masked);
  return FillColumns(request, row, out);
}

// INVALID_ARGUMENT naming the column unless each is a valid stage or the
// control figures, at most once, and there are at most kMaxCompareColumns.
absl::Status CheckCompareColumns(const budget::v1::AggregateRequest& request) {
  if (request.compare_columns_size() > kMaxCompareColumns) {
    return absl::InvalidArgumentError(
        absl::StrCat("compare_columns: ", request.compare_columns_size(),
                     " given; expected at most ", kMaxCompareColumns));
  }
  absl::flat_hash_set<int> seen;  // Stages; 0 for the control figures.
  for (int i = 0; i < request.compare_columns_size(); ++i) {
    const budget::v1::CompareColumn& column = request.compare_columns(i);
    bool has_stage = column.stage() != budget::v1::BUDGET_STAGE_UNSPECIFIED;
    if (has_stage == column.control_figures() ||
        !budget::v1::BudgetStage_IsValid(column.stage())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "compare_columns[", i, "]: stage ", column.stage(),
          " and control_figures ", column.control_figures(),
          " given; expected a stage PROPOSAL, SUBMISSION, APPROVED or "
          "ADJUSTED, or control_figures alone"));
    }
    if (!seen.insert(column.stage()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("compare_columns[", i, "]: ", column.ShortDebugString(),
                       " given again; expected each column at most once"));
    }
  }
  return absl::OkStatus();
}

// Writes the rows of a page into the serialized response as they are
// made: each member is serialized once, as a budget.v1.Member, and copied
// into every row that names it, instead of a message per row and member
// built and then serialized. The bytes are what serializing the
// AggregateResponse would give.
class PageWriter {
 public:
  PageWriter(const budget::v1::AggregateRequest& request,
             const budget::AggregateResult& result, bool compare,
             google::protobuf::io::CodedOutputStream* out)
      : request_(request),
        result_(result),
        compare_(compare),
        out_(out),
        members_(result.levels.size()) {
    for (size_t level = 0; level < members_.size(); ++level) {
      members_[level].resize(result.levels[level].members.size());
    }
  }

  // Writes `row` as the field `field` of the response (FillRow's errors).
  absl::Status Write(int field, const budget::AggregateRow& row) {
    rest_.Clear();
    if (absl::Status s = FillRow(request_, row, compare_, &rest_); !s.ok()) {
      return s;
    }
    size_t size = rest_.ByteSizeLong();
    for (size_t level = 0; level < row.members.size(); ++level) {
      size += kMemberTagSize + WireFormatLite::LengthDelimitedSize(
                                   Member(level, row.members[level]).size());
    }
    WireFormatLite::WriteTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED,
                             out_);
    out_->WriteVarint32(static_cast<uint32_t>(size));
    for (size_t level = 0; level < row.members.size(); ++level) {
      WireFormatLite::WriteBytes(budget::v1::AggregateRow::kMembersFieldNumber,
                                 Member(level, row.members[level]), out_);
    }
    rest_.SerializeWithCachedSizes(out_);
    return absl::OkStatus();
  }

 private:
  static constexpr size_t kMemberTagSize = 1;  // Field 1, length-delimited.

  const std::string& Member(size_t level, uint32_t index) {
    std::string& bytes = members_[level][index];
    if (bytes.empty()) {
      const budget::AggregateMember& member =
          result_.levels[level].members[index];
      budget::v1::Member message;
      message.set_dimension(ToProto(result_.levels[level].dimension));
      message.set_value(member.value);
      message.set_name(member.name);
      bytes = message.SerializeAsString();  // Never empty: a dimension.
    }
    return bytes;
  }

  const budget::v1::AggregateRequest& request_;
  const budget::AggregateResult& result_;
  const bool compare_;
  google::protobuf::io::CodedOutputStream* const out_;
  std::vector<std::vector<std::string>> members_;  // Per level, per index.
  budget::v1::AggregateRow rest_;  // Reused: keeps its allocations.
};

static_assert(budget::v1::AggregateRow::kMembersFieldNumber == 1,
              "PageWriter::kMemberTagSize");

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
  if (absl::Status s = CheckCompareColumns(request); !s.ok()) return s;
  query.subtotals = request.subtotals();
  // Each dimension at most once in the drilldown and once among the cuts:
  // a repeat adds nothing, and without the bound a request of a few bytes a
  // dimension made the service build rows of hundreds of thousands of keys.
  std::vector<bool> drilled(kDimensionCount), cut_already(kDimensionCount);
  for (int i = 0; i < request.drilldown_size(); ++i) {
    const std::string field = absl::StrCat("drilldown[", i, "]");
    absl::StatusOr<budget::Dimension> dimension =
        ToDimension(request.drilldown(i), field.c_str());
    if (!dimension.ok()) return dimension.status();
    if (drilled[static_cast<int>(*dimension)]) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": ", budget::v1::Dimension_Name(request.drilldown(i)),
          " given again; expected each dimension at most once"));
    }
    drilled[static_cast<int>(*dimension)] = true;
    query.drilldown.push_back(*dimension);
  }
  for (int i = 0; i < request.cuts_size(); ++i) {
    const budget::v1::Cut& cut = request.cuts(i);
    const std::string field = absl::StrCat("cuts[", i, "]");
    absl::StatusOr<budget::Dimension> dimension =
        ToDimension(cut.dimension(), absl::StrCat(field, ".dimension").c_str());
    if (!dimension.ok()) return dimension.status();
    if (cut_already[static_cast<int>(*dimension)]) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".dimension: ", budget::v1::Dimension_Name(cut.dimension()),
          " cut again; expected one cut per dimension, listing its values "
          "together"));
    }
    cut_already[static_cast<int>(*dimension)] = true;
    if (cut.values_size() > kMaxCutValues) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".values: ", cut.values_size(),
                       " given; expected at most ", kMaxCutValues));
    }
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

std::vector<budget::CompareColumn> ToColumns(
    const budget::v1::AggregateRequest& request,
    absl::FunctionRef<const budget::Consolidator&(budget::v1::BudgetStage)>
        stage,
    const budget::ControlLookup& control) {
  std::vector<budget::CompareColumn> columns;
  for (const budget::v1::CompareColumn& column : request.compare_columns()) {
    if (column.control_figures()) {
      columns.push_back({nullptr, control});
    } else {
      columns.push_back({&stage(column.stage()), nullptr});
    }
  }
  return columns;
}

absl::StatusOr<std::string> SerializePage(
    const budget::v1::AggregateRequest& request,
    const budget::AggregateResult& result) {
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
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    PageWriter page(request, result, compare, &out);
    for (size_t i = offset; i < end; ++i) {
      if (absl::Status s = page.Write(
              budget::v1::AggregateResponse::kRowsFieldNumber, result.rows[i]);
          !s.ok()) {
        return s;
      }
    }
    if (absl::Status s =
            page.Write(budget::v1::AggregateResponse::kGrandTotalFieldNumber,
                       result.grand_total);
        !s.ok()) {
      return s;
    }
    budget::v1::AggregateResponse rest;
    if (end < result.rows.size()) rest.set_next_page_token(absl::StrCat(end));
    rest.set_total_rows(result.rows.size());
    rest.SerializeToCodedStream(&out);
  }
  return bytes;
}

}  // namespace query
