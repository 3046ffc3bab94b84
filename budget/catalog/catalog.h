// The national classification catalogs the domain checks codes against:
// 支出功能分类 (类/款/项), 部门预算支出经济分类 (类/款), 政府预算支出经济分类
// (类/款), the 部门↔政府 economic correspondence, and the funding sources.
//
// One Catalog is one edition of 政府收支分类科目 (the lists change every
// fiscal year). A budget is checked against the edition of its own fiscal
// year: ForFiscalYear picks the nearest edition not after that year, and
// PreviousEdition lets a checker tell a code retired this year from one that
// was never listed. Each edition holds the one before it, so the newest
// edition reaches them all.
//
// The data are CSV files under data/catalog/, each with its provenance in
// data/catalog/README.md and the editions each row belongs to. They are
// compiled into the binary and parsed once at start-up; LoadFromDirectory
// reads a replacement set from disk.
//
// A Catalog is immutable after loading and safe to share between threads.
#ifndef BUDGET_CATALOG_CATALOG_H_
#define BUDGET_CATALOG_CATALOG_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "budget/catalog/edition_table.h"
#include "budget/v1/budget.pb.h"

namespace budget {

// Which classification a code belongs to.
enum class CodeSystem {
  kFunction,      // 支出功能分类: 类 3 digits, 款 5, 项 7.
  kDeptEconomic,  // 部门预算支出经济分类: 类 3 digits, 款 5.
  kGovEconomic,   // 政府预算支出经济分类: 类 3 digits, 款 5.
};

// One code of a classification.
struct CatalogEntry {
  std::string code;
  std::string name;
  int level = 0;            // 1 = 类, 2 = 款, 3 = 项.
  std::string parent_code;  // Empty for a 类.
  // Which list it came from: the `source` column of its data/catalog file
  // (keys explained in data/catalog/README.md), e.g. "reference".
  std::string source;
};

class Catalog {
 public:
  // The newest edition compiled into the binary, holding the older ones.
  static absl::StatusOr<Catalog> LoadEmbedded();
  // The same files read from a directory (for operators who update them).
  // Malformed data fail with INVALID_ARGUMENT naming file:line.
  static absl::StatusOr<Catalog> LoadFromDirectory(absl::string_view dir);

  // The process-wide embedded newest edition, loaded on first use. Aborts if
  // the embedded data are broken (a build defect, caught by the tests).
  static const Catalog& Default();

  // The fiscal year of this edition (a year of data/catalog/editions.csv).
  int edition() const { return edition_; }
  // The edition before this one; nullptr for the oldest.
  const Catalog* PreviousEdition() const { return previous_.get(); }
  // The edition a budget of `fiscal_year` is checked against: of this
  // edition and the older ones, the newest not after `fiscal_year`; the
  // oldest when every edition is later (budgets before the first edition
  // shipped are checked against it rather than against nothing).
  const Catalog& ForFiscalYear(int fiscal_year) const;

  // nullptr when the code is not listed.
  const CatalogEntry* Find(CodeSystem system, absl::string_view code) const;
  // The name of a listed code, else its name in the newest older edition
  // that lists it (a retired code), or "" when unknown.  (Names are the
  // official ones but for the forms the reference prints,
  // data/catalog/README.md; display short forms belong to the tables.)
  absl::string_view NameOf(CodeSystem system, absl::string_view code) const;
  // Listed codes directly below `code` ("" for the 类 level), in code order.
  std::vector<const CatalogEntry*> Children(CodeSystem system,
                                            absl::string_view code) const;
  // True when the 政府预算 code `gov_code` is a listed counterpart of the
  // 部门预算 code `dept_code` (both at 款 level).
  bool IsKnownEconomicPair(absl::string_view dept_code,
                           absl::string_view gov_code) const;
  // The 政府预算 codes the crosswalk pairs with `dept_code`, in code order;
  // empty when it lists none.
  std::vector<std::string> GovCodesFor(absl::string_view dept_code) const;
  // True when the crosswalk lists any pair for this 部门预算 code, so that a
  // missing pair is an error rather than a gap in the data.
  bool HasCrosswalkFor(absl::string_view dept_code) const;

  // Chinese name of a funding source as the tables print it; "" for
  // UNSPECIFIED and values outside the enum.
  static absl::string_view FundingSourceName(v1::FundingSource source);

  // The data files a catalog is made of, under data/catalog/.
  static const std::vector<std::string>& FileNames();

 private:
  // Returns the contents of one of FileNames().
  using FileReader =
      std::function<absl::StatusOr<std::string>(const std::string& name)>;

  // The codes of one classification. Node-based so that entry pointers
  // survive moving the Catalog.
  struct Classification {
    absl::node_hash_map<std::string, CatalogEntry> entries;
    // Parent code ("" for 类) -> child codes in code order.
    absl::flat_hash_map<std::string, std::vector<std::string>> children;
  };

  struct Files;  // The parsed rows of every file, all editions.

  Catalog() = default;
  static absl::StatusOr<Catalog> Load(const FileReader& read);
  // Builds the edition of `year` from the rows that span it.
  static absl::StatusOr<Catalog> BuildEdition(
      const Files& files, int year, std::shared_ptr<const Catalog> previous);
  absl::Status AddClassification(CodeSystem system,
                                 const std::string& file_name,
                                 const std::vector<EditionRecord>& rows);
  absl::Status AddCrosswalk(const std::string& file_name,
                            const std::vector<EditionRecord>& rows);
  const Classification& Of(CodeSystem system) const;

  int edition_ = 0;
  std::shared_ptr<const Catalog> previous_;
  Classification function_;
  Classification dept_economic_;
  Classification gov_economic_;
  // 部门预算 款 -> the 政府预算 款 it may be booked with.
  absl::flat_hash_map<std::string, absl::flat_hash_set<std::string>> crosswalk_;
  // The crosswalk's pairs of codes of up to 8 digits (all of them, since
  // catalogued codes are digits), keyed as integers: IsKnownEconomicPair
  // runs for every line of every budget validated, and one integer look-up
  // costs a fraction of two string-keyed ones.
  absl::flat_hash_set<uint64_t> digit_pairs_;
};

}  // namespace budget

#endif  // BUDGET_CATALOG_CATALOG_H_
