#include "budget/consolidation/internal_funding.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "budget/consolidation/transfer.h"
#include "budget/money.h"

namespace budget {
namespace {

// The label the receiver gives money of a transfer of `kind`.
v1::FundingSource ReceivedAs(v1::TransferKind kind) {
  return kind == v1::TRANSFER_KIND_SUBSIDY_TO_SUBORDINATE
             ? v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR
             : v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE;
}

bool IsInternalLabel(v1::FundingSource source) {
  return source == v1::FUNDING_SOURCE_SUBSIDY_FROM_SUPERIOR ||
         source == v1::FUNDING_SOURCE_REMITTANCE_FROM_SUBORDINATE;
}

// `fen` shared out in proportion to `weights` (non-negative, summing to a
// positive total) by largest remainder, ties to the earlier weight: the
// shares sum to `fen` exactly.
std::vector<int64_t> ShareOut(int64_t fen, absl::Span<const int64_t> weights) {
  __int128 total = 0;
  for (int64_t weight : weights) total += weight;
  std::vector<int64_t> shares(weights.size());
  std::vector<__int128> remainders(weights.size());
  int64_t left = fen;
  for (size_t i = 0; i < weights.size(); ++i) {
    const __int128 exact = static_cast<__int128>(fen) * weights[i];
    shares[i] = static_cast<int64_t>(exact / total);
    remainders[i] = exact % total;
    left -= shares[i];
  }
  // `left` < weights.size(): each share lost less than one fen.
  std::vector<size_t> order(weights.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return remainders[a] > remainders[b];
  });
  for (size_t i = 0; i < order.size() && left > 0; ++i, --left) {
    ++shares[order[i]];
  }
  return shares;
}

}  // namespace

InternalFunding::InternalFunding(
    absl::Span<const PackedBudget* const> budgets) {
  absl::flat_hash_set<absl::string_view> units;
  for (const PackedBudget* budget : budgets) {
    if (budget != nullptr) units.insert(budget->unit_code());
  }
  // Sums of amounts that each fit in int64 (a budget's lines do, checked
  // at consolidation); on overflow the entry is dropped and its lines keep
  // their label rather than be moved by a wrong share.
  absl::flat_hash_set<std::pair<std::string, v1::FundingSource>> overflowed;
  auto add = [&](int64_t& sum, int64_t fen,
                 const std::pair<std::string, v1::FundingSource>& key) {
    absl::StatusOr<int64_t> added = CheckedAdd(sum, fen);
    if (added.ok()) {
      sum = *added;
    } else {
      overflowed.insert(key);
    }
  };
  for (const PackedBudget* budget : budgets) {
    if (budget == nullptr) continue;
    for (const v1::ExpenditureLine& line : budget->full_lines()) {
      std::optional<TransferPair> transfer =
          TransferOf(line, budget->unit_code());
      if (!transfer.has_value() || !units.contains(transfer->payee_unit) ||
          transfer->payee_unit == budget->unit_code()) {
        continue;
      }
      const auto key =
          std::make_pair(transfer->payee_unit, ReceivedAs(transfer->kind));
      Received& received = received_[key];
      add(received.paid_from[line.funding_source()], line.amount_fen(), key);
      add(received.paid_fen, line.amount_fen(), key);
    }
  }
  for (const PackedBudget* budget : budgets) {
    if (budget == nullptr) continue;
    for (const v1::IncomeLine& line : budget->income()) {
      auto found = received_.find(
          std::make_pair(std::string(budget->unit_code()), line.source()));
      if (found == received_.end()) continue;
      add(found->second.stated_fen, line.amount_fen(), found->first);
    }
  }
  for (const auto& key : overflowed) received_.erase(key);
  for (auto& [key, received] : received_) {
    for (const auto& [source, fen] : received.paid_from) {
      received.sources.push_back(source);
      received.weights.push_back(fen);
    }
    received.weights.push_back(
        std::max<int64_t>(0, received.stated_fen - received.paid_fen));
  }
}

void InternalFunding::Relabel(
    const PackedBudget& budget, bool keep_project,
    absl::FunctionRef<void(const ExpenditureKey&, const CellAmount&)> add)
    const {
  if (received_.empty()) return;
  for (const PackedLine& line : budget.lines()) {
    if (!IsInternalLabel(line.key.source())) continue;
    auto found = received_.find(
        std::make_pair(std::string(budget.unit_code()), line.key.source()));
    // A line that passes the money on is a transfer, counted as one.
    if (found == received_.end() || found->second.paid_fen == 0 ||
        budget.TransferOf(line).has_value()) {
      continue;
    }
    const Received& received = found->second;
    const std::vector<int64_t> shares =
        ShareOut(line.amount_fen(), received.weights);
    const int64_t kept = shares.back();
    const int64_t moved = line.amount_fen() - kept;
    if (moved == 0) continue;
    const ExpenditureKey key =
        keep_project ? line.key : line.key.WithoutProject();
    // The line counts once: where part of it stays, there; else under the
    // largest share (the first of equals).
    size_t counted = shares.size() - 1;
    if (kept == 0) {
      counted = 0;
      for (size_t i = 1; i + 1 < shares.size(); ++i) {
        if (shares[i] > shares[counted]) counted = i;
      }
    }
    add(key, CellAmount{-moved, kept == 0 ? -1 : 0});
    for (size_t i = 0; i < received.sources.size(); ++i) {
      if (shares[i] > 0) {
        add(key.WithSource(received.sources[i]),
            CellAmount{shares[i], i == counted ? 1 : 0});
      }
    }
  }
}

void InternalFunding::RelabelCells(const PackedBudget& budget,
                                   bool keep_project,
                                   ExpenditureCells* cells) const {
  Relabel(budget, keep_project,
          [cells](const ExpenditureKey& key, const CellAmount& delta) {
            cells->Add(key, {delta.fen, delta.fen > 0 ? 1 : delta.lines});
          });
}

NodeInternalFunding NodeInternalFunding::Read(const Consolidator& consolidator,
                                              absl::string_view node_code,
                                              int32_t year) {
  std::vector<std::shared_ptr<const PackedBudget>> budgets;
  std::vector<const PackedBudget*> read;
  for (const std::string& unit :
       consolidator.UnitsTransferringWithin(node_code, year)) {
    if (auto budget = consolidator.Packed(unit, year)) {
      read.push_back(budget.get());
      budgets.push_back(std::move(budget));
    }
  }
  InternalFunding funding(read);
  return NodeInternalFunding{std::move(budgets), std::move(funding)};
}

std::shared_ptr<const NodeRollup> NodeInternalFunding::Relabelled(
    std::shared_ptr<const NodeRollup> rollup) const {
  if (rollup == nullptr || funding.empty()) return rollup;
  auto relabelled = std::make_shared<NodeRollup>(*rollup);
  for (const std::shared_ptr<const PackedBudget>& budget : budgets) {
    funding.RelabelCells(*budget, /*keep_project=*/false,
                         &relabelled->expenditure);
  }
  return relabelled;
}

}  // namespace budget
