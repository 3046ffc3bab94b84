#include "budget/publication/part_two.h"

#include <cstdint>
#include <cstdlib>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "budget/money.h"
#include "budget/tables/disclosure_tables.h"

namespace budget {
namespace {

std::string Wan(int64_t fen) { return absl::StrCat(FormatWan(fen), "万元"); }

// The magnitude of a change as printed; the sign goes into the verb.
std::string WanMagnitude(int64_t fen) { return Wan(fen < 0 ? -fen : fen); }

// "增加10,723.8万元，增长12.5%", "减少5.4万元，下降6.8%" or "持平". A change
// that prints as 0.0 is 持平: the reader sees no change.
std::string ChangePhrase(const v1::Change& change, bool with_percent) {
  const int64_t tenths = RoundToWanTenths(change.change_fen());
  if (tenths == 0) return "持平";
  const bool up = tenths > 0;
  std::string phrase =
      absl::StrCat(up ? "增加" : "减少", WanMagnitude(change.change_fen()));
  if (with_percent && !change.change_percent().empty()) {
    absl::string_view percent = change.change_percent();
    absl::ConsumePrefix(&percent, "-");
    absl::StrAppend(&phrase, "，", up ? "增长" : "下降", percent);
  }
  return phrase;
}

// "预算数比2023年减少0.4万元" or "预算数与2023年预算持平".
std::string ComponentChange(int64_t prior_fen, int64_t current_fen,
                            int32_t prior_year) {
  v1::Change change;
  change.set_change_fen(current_fen - prior_fen);
  const std::string phrase = ChangePhrase(change, /*with_percent=*/false);
  if (phrase == "持平") {
    return absl::StrCat("预算数与", prior_year, "年预算持平");
  }
  return absl::StrCat("预算数比", prior_year, "年", phrase);
}

// Appends "，主要原因：<reason>" when the department gave one.
void AppendReason(const DepartmentTexts& texts, absl::string_view key,
                  absl::string_view joiner, std::string* sentence) {
  const std::string reason = texts.Reason(key);
  if (!reason.empty()) absl::StrAppend(sentence, joiner, "主要原因：", reason);
}

// "基本支出10,512.4万元，占10.9%；项目支出…": the parts that are not zero.
std::string SharesPhrase(
    const std::vector<std::pair<absl::string_view, const v1::Share*>>& parts) {
  std::vector<std::string> printed;
  for (const auto& [label, share] : parts) {
    if (share->part_fen() == 0) continue;
    printed.push_back(
        absl::StrCat(label, Wan(share->part_fen()), "，占", share->percent()));
  }
  return absl::StrJoin(printed, "；");
}

// A fact of this node and year: the shared subject of most sentences.
class Writer {
 public:
  Writer(const PublicationData& data, const DepartmentTexts& texts)
      : data_(data),
        summary_(data.summary),
        texts_(texts),
        subject_(
            absl::StrCat(summary_.node_name(), summary_.fiscal_year(), "年")) {}

  absl::StatusOr<std::vector<TextSection>> Build() {
    Overall();
    Income();
    Expenditure();
    Fiscal();
    BudgetSplit("五、一般公共预算支出情况说明", "一般公共预算支出",
                {{"基本支出", &summary_.fiscal_basic()},
                 {"项目支出", &summary_.fiscal_project()},
                 {"事业单位经营支出", &summary_.fiscal_operating()}});
    BudgetSplit("六、一般公共预算基本支出情况说明", "一般公共预算基本支出",
                {{"人员经费支出", &summary_.personnel()},
                 {"公用经费支出", &summary_.public_funds()}});
    if (absl::Status status = ThreePublic(); !status.ok()) return status;
    NoFundsOrAmount("八、政府性基金预算支出情况说明", "政府性基金预算",
                    TableTotalFen(data_.Table("09")),
                    CarryOver(FiscalFundRow::kGovernmentFund));
    NoFundsOrAmount("九、国有资本经营预算支出预算情况说明", "国有资本经营预算",
                    TableTotalFen(data_.Table("10")),
                    CarryOver(FiscalFundRow::kStateCapital));
    if (absl::Status status = OtherMatters(); !status.ok()) return status;
    return std::move(sections_);
  }

 private:
  bool compared() const { return summary_.compare_year() != 0; }

  TextSection& Section(absl::string_view heading, bool subsection = false) {
    sections_.push_back({std::string(heading), {}, subsection});
    return sections_.back();
  }

  void Overall() {
    std::string text =
        absl::StrCat(subject_, "收入总计", Wan(summary_.income_total_fen()),
                     "，支出总计", Wan(summary_.expenditure_total_fen()));
    if (compared()) {
      absl::StrAppend(&text, "，与", summary_.compare_year(),
                      "年预算相比，收入",
                      ChangePhrase(summary_.income_change(), true));
      AppendReason(texts_, "income", "。", &text);
      absl::StrAppend(&text, "；支出",
                      ChangePhrase(summary_.expenditure_change(), true));
      AppendReason(texts_, "expenditure", "。", &text);
    }
    absl::StrAppend(&text, "。");
    // The prior year is the budgets its units submitted then, summed as the
    // registry places them; units that moved in a reform (机构改革) are not
    // restated, so the reader is told the basis (probe 11).
    if (compared()) {
      absl::StrAppend(&text,
                      "上年数为所属单位上年预算之和，未按机构调整作可比口径"
                      "调整。");
    }
    Section("一、收入支出预算总体情况说明")
        .paragraphs.push_back(std::move(text));
  }

  // The income items of table 01 that are not zero, named as printed
  // there without their numbering ("九、其他收入" -> "其他收入").
  void Income() {
    std::vector<std::string> items;
    for (const v1::TableRow& row : data_.Table("01").body_rows()) {
      if (row.cells_size() < 2 || row.kind() == v1::ROW_KIND_TOTAL) continue;
      absl::string_view label = row.cells(0).text();
      const v1::TableCell& amount = row.cells(1);
      if (label.empty() || absl::StartsWith(label, "其中") ||
          absl::StrContains(label, "合计") ||
          absl::StrContains(label, "总计") || !amount.has_amount_fen() ||
          amount.amount_fen() == 0) {
        continue;
      }
      if (size_t comma = label.find("、"); comma != label.npos) {
        label.remove_prefix(comma + std::string_view("、").size());
      }
      std::string item = absl::StrCat(label, Wan(amount.amount_fen()));
      // Table 01 folds 事业基金 into 上年结转结余; its note, and this, say how
      // much.
      if (label == "上年结转结余" && summary_.institution_fund_fen() != 0) {
        absl::StrAppend(&item, "（含用事业基金弥补收支差额",
                        Wan(summary_.institution_fund_fen()), "）");
      }
      items.push_back(std::move(item));
    }
    // With 上年结转 among its parts the whole is table 01's 收入总计, not its
    // 本年收入合计.
    std::string text =
        summary_.income_total_fen() == 0
            ? absl::StrCat(subject_, "无收入预算。")
            : absl::StrCat(
                  subject_,
                  summary_.carryover_fen() != 0 ? "收入总计" : "收入合计",
                  Wan(summary_.income_total_fen()),
                  items.empty() ? "" : "，其中：", absl::StrJoin(items, "；"),
                  "。");
    Section("二、收入预算总体情况说明").paragraphs.push_back(std::move(text));
  }

  void Expenditure() {
    std::string text =
        summary_.expenditure_total_fen() == 0
            ? absl::StrCat(subject_, "无支出预算。")
            : absl::StrCat(
                  subject_, "支出合计", Wan(summary_.expenditure_total_fen()),
                  "，其中：",
                  // 事业单位经营支出 is a part of its own, named
                  // only where a unit has it (SharesPhrase).
                  SharesPhrase({{"基本支出", &summary_.basic()},
                                {"项目支出", &summary_.project()},
                                {"事业单位经营支出", &summary_.operating()}}),
                  "。");
    Section("三、支出预算总体情况说明").paragraphs.push_back(std::move(text));
  }

  // The amount of table 01's income row labelled `label`; 0 when absent.
  int64_t IncomeRow01(absl::string_view label) const {
    for (const v1::TableRow& row : data_.Table("01").body_rows()) {
      if (row.cells_size() >= 2 && row.cells(0).text() == label &&
          row.cells(1).has_amount_fen()) {
        return row.cells(1).amount_fen();
      }
    }
    return 0;
  }

  // The fund's 上年结转 spent this year (table 04).
  int64_t CarryOver(FiscalFundRow fund) const {
    return Table04CarryOverFen(data_.Table("04"), fund);
  }

  // "<subject><fund>收支预算X万元（另使用上年结转Y万元）。": X its money of
  // this year, Y its 上年结转 (table 04). A fund with carry-over only says
  // so, not "收支预算0.0万元".
  std::string FundPhrase(absl::string_view fund, int64_t this_year,
                         int64_t carried) const {
    if (this_year == 0 && carried == 0) return "";
    if (this_year == 0) {
      return absl::StrCat(subject_, "无", fund, "本年收支预算，使用上年结转",
                          Wan(carried), "。");
    }
    std::string text = absl::StrCat(subject_, fund, "收支预算", Wan(this_year));
    if (carried > 0) {
      absl::StrAppend(&text, "（另使用上年结转", Wan(carried), "）");
    }
    return absl::StrCat(text, "。");
  }

  // Each fund's this year's money (table 04's 本年收入 rows, table 01's
  // income rows): one basis for the three, and the one the comparison with
  // last year uses; the 上年结转 they also spend is named.
  void Fiscal() {
    TextSection& section = Section("四、财政拨款收入支出总体情况说明");
    const int64_t general = summary_.general_public_budget_fen();
    const std::string fund =
        FundPhrase("政府性基金预算", IncomeRow01(kTable01GovernmentFundIncome),
                   CarryOver(FiscalFundRow::kGovernmentFund));
    const std::string capital =
        FundPhrase("国有资本经营预算", IncomeRow01(kTable01StateCapitalIncome),
                   CarryOver(FiscalFundRow::kStateCapital));
    const std::string general_phrase = FundPhrase(
        "一般公共预算", general, CarryOver(FiscalFundRow::kGeneralPublic));
    const bool prior_general =
        compared() && summary_.general_public_budget_change().prior_fen() != 0;
    if (general_phrase.empty() && fund.empty() && capital.empty() &&
        !prior_general) {
      section.paragraphs.push_back(
          absl::StrCat(subject_, "无财政拨款收支预算。"));
      return;
    }
    std::string text;
    if (!general_phrase.empty() || prior_general) {
      text = general_phrase.empty()
                 ? absl::StrCat(subject_, "一般公共预算收支预算", Wan(0), "。")
                 : general_phrase;
      if (compared()) {
        absl::StrAppend(
            &text, "与", summary_.compare_year(),
            "年相比，一般公共预算收支预算",
            ChangePhrase(summary_.general_public_budget_change(), true));
        AppendReason(texts_, "general_public_budget", "，", &text);
        absl::StrAppend(&text, "。");
      }
    }
    absl::StrAppend(&text, fund, capital);
    section.paragraphs.push_back(std::move(text));
  }

  // "<subject><what>年初预算为X万元。其中：A…，占…；B…，占…。", or
  // "<subject>无<what>。" when the whole is zero.
  // `parts` are shares of one whole; zero parts are left out.
  void BudgetSplit(
      absl::string_view heading, absl::string_view what,
      const std::vector<std::pair<absl::string_view, const v1::Share*>>&
          parts) {
    const int64_t whole = parts.front().second->whole_fen();
    Section(heading).paragraphs.push_back(
        whole == 0 ? absl::StrCat(subject_, "无", what, "。")
                   : absl::StrCat(subject_, what, "年初预算为", Wan(whole),
                                  "。其中：", SharesPhrase(parts), "。"));
  }

  absl::Status ThreePublic() {
    TextSection& section =
        Section("七、一般公共预算“三公”经费支出预算情况说明");
    const v1::ThreePublicExpenses& now = summary_.three_public();
    const v1::ThreePublicExpenses& prior = summary_.prior_three_public();
    const int32_t year = summary_.compare_year();
    if (now.total_fen() == 0 && (!compared() || prior.total_fen() == 0)) {
      section.paragraphs.push_back(
          absl::StrCat(subject_, "无“三公”经费支出预算。"));
      return absl::OkStatus();
    }
    std::string text = absl::StrCat(subject_, "“三公”经费支出预算为",
                                    Wan(now.total_fen()), "。");
    if (compared()) {
      const std::string phrase =
          ChangePhrase(summary_.three_public_change(), false);
      absl::StrAppend(&text, summary_.fiscal_year(), "年“三公”经费支出预算数",
                      phrase == "持平" ? "与" : "比", year, "年", phrase);
      AppendReason(texts_, "three_public", "，", &text);
      absl::StrAppend(&text, "。");
    }
    section.paragraphs.push_back(std::move(text));
    section.paragraphs.push_back("具体支出情况如下：");

    auto component = [&](absl::string_view key, int64_t prior_fen,
                         int64_t now_fen, std::string* out) {
      if (!compared()) return;
      absl::StrAppend(out, ComponentChange(prior_fen, now_fen, year));
      AppendReason(texts_, key, "，", out);
      absl::StrAppend(out, "。");
    };
    std::string outbound = absl::StrCat(
        "（一）因公出国（境）费", Wan(now.outbound_travel_fen()),
        "，主要用于单位工作人员公务出国（境）的住宿费、旅费、伙食补助费、杂费、"
        "培训费等支出。");
    component("outbound_travel", prior.outbound_travel_fen(),
              now.outbound_travel_fen(), &outbound);
    section.paragraphs.push_back(std::move(outbound));

    std::string reception =
        absl::StrCat("（二）公务接待费", Wan(now.reception_fen()),
                     "，主要用于按规定开支的各类公务接待（含外宾接待）支出。");
    component("reception", prior.reception_fen(), now.reception_fen(),
              &reception);
    section.paragraphs.push_back(std::move(reception));

    auto vehicles =
        CheckedAdd(now.vehicle_purchase_fen(), now.vehicle_operation_fen());
    if (!vehicles.ok()) return vehicles.status();
    std::string vehicle = absl::StrCat(
        "（三）公务用车购置及运行费", Wan(*vehicles), "，其中，公务用车购置费",
        Wan(now.vehicle_purchase_fen()), "；公务用车运行维护费",
        Wan(now.vehicle_operation_fen()),
        "，主要用于开展工作所需公务用车的燃料费、维修费、过路过桥费、保险费、"
        "安全奖励费用等支出。");
    if (compared()) absl::StrAppend(&vehicle, "公务用车购置费");
    component("vehicle_purchase", prior.vehicle_purchase_fen(),
              now.vehicle_purchase_fen(), &vehicle);
    if (compared()) absl::StrAppend(&vehicle, "公务用车运行维护费");
    component("vehicle_operation", prior.vehicle_operation_fen(),
              now.vehicle_operation_fen(), &vehicle);
    section.paragraphs.push_back(std::move(vehicle));
    return absl::OkStatus();
  }

  // `fen`: this year's money (table 09 or 10); `carried`: the fund's
  // 上年结转, which those tables leave to table 04.
  void NoFundsOrAmount(absl::string_view heading, absl::string_view fund,
                       int64_t fen, int64_t carried) {
    std::string text = absl::StrCat(subject_, fen == 0 ? "无使用" : "使用",
                                    carried != 0 ? "本年" : "", fund,
                                    "拨款安排的支出", fen == 0 ? "" : Wan(fen));
    if (carried != 0) {
      absl::StrAppend(&text, "，使用上年结转安排的支出", Wan(carried));
    }
    Section(heading).paragraphs.push_back(absl::StrCat(text, "。"));
  }

  absl::Status OtherMatters() {
    Section("十、其他重要事项情况说明");
    const v1::OtherDisclosures& other = summary_.other();

    // A budget that never stated these figures has none of them to print;
    // "无…" would state a zero nobody gave.
    const bool stated = summary_.other_stated_unit_count() > 0;
    const int64_t operating = other.institution_operating_fen();
    Section("（一）行政（事业）单位机构运转经费支出预算情况", true)
        .paragraphs.push_back(
            !stated ? absl::StrCat(subject_, "预算未填报机构运转经费支出预算。")
            : operating == 0
                ? absl::StrCat(subject_, "无机构运转经费支出预算。")
                : absl::StrCat(subject_, "机构运转经费支出预算", Wan(operating),
                               "，主要保障机构正常运转及正常履职需要。"));

    MoneySum procurement;
    std::vector<std::string> kinds;
    for (const auto& [label, fen] :
         {std::pair<absl::string_view, int64_t>{"政府采购货物预算",
                                                other.procurement_goods_fen()},
          {"政府采购工程预算", other.procurement_works_fen()},
          {"政府采购服务预算", other.procurement_services_fen()}}) {
      procurement.Add(fen);
      if (fen != 0) kinds.push_back(absl::StrCat(label, Wan(fen)));
    }
    if (!procurement.ok()) return procurement.status();
    Section("（二）政府采购支出预算情况", true)
        .paragraphs.push_back(
            !stated ? absl::StrCat(subject_, "预算未填报政府采购预算。")
            : procurement.value() == 0
                ? absl::StrCat(subject_, "无政府采购预算。")
                : absl::StrCat(subject_, "政府采购预算安排",
                               Wan(procurement.value()), "，其中：",
                               absl::StrJoin(kinds, "、"), "。"));

    Section("（三）绩效目标设置情况", true)
        .paragraphs.push_back(PerformanceGoals());
    Section("（四）国有资产占用情况", true).paragraphs.push_back(Assets());
    if (std::string note = texts_.Note("special_transfers"); !note.empty()) {
      Section("（五）专项转移支付项目情况", true)
          .paragraphs.push_back(std::move(note));
    }
    return absl::OkStatus();
  }

  // Coverage read from table 13 as the reader sees it: a project is a row
  // naming it, its indicator cells follow the four amounts on its rows.
  // Classified projects (masked) are not counted: their goals are not shown.
  std::string PerformanceGoals() const {
    constexpr int kFirstIndicator = 6;
    // The projects table 13 lists (its 政府预算资金 and 财政专户 columns).
    constexpr absl::string_view kFiscalProjects =
        "使用政府预算资金和财政专户管理资金安排的";
    int projects = 0, with_goals = 0;
    bool current_has_goal = false, counting = false;
    auto close = [&] {
      if (counting && current_has_goal) ++with_goals;
    };
    for (const v1::TableRow& row : data_.Table("13").body_rows()) {
      if (row.kind() != v1::ROW_KIND_DETAIL) continue;
      bool masked = false;
      for (const v1::TableCell& cell : row.cells()) masked |= cell.has_masked();
      const bool starts = row.cells_size() > 1 && !row.cells(1).text().empty();
      if (starts || masked) {
        close();
        counting = !masked;
        current_has_goal = false;
        if (counting) ++projects;
      }
      for (int i = kFirstIndicator; i < row.cells_size(); ++i) {
        current_has_goal |= !row.cells(i).text().empty();
      }
    }
    close();
    std::string text;
    if (projects == 0) {
      text = absl::StrCat(subject_,
                          "无使用政府预算资金或财政专户管理资金安排的项目。");
    } else if (with_goals == projects) {
      text = absl::StrCat(subject_,
                          "预算项目均按要求编制了绩效目标，从成本、产出、效益、"
                          "满意度等方面设置了"
                          "绩效指标，综合反映项目支出预期达到的产出和效果以及相"
                          "应的成本控制要求。");
    } else if (with_goals == 0) {
      text = absl::StrCat(subject_, kFiscalProjects, projects,
                          "个预算项目均未编制绩效目标。");
    } else {
      // Table 13's projects, not table 11's: a project of the unit's own
      // money alone is not counted.
      text = absl::StrCat(subject_, kFiscalProjects, projects, "个预算项目中",
                          with_goals, "个编制了绩效目标。");
    }
    absl::StrAppend(&text, texts_.Note("performance"));
    return text;
  }

  std::string Assets() const {
    if (summary_.other_stated_unit_count() == 0) {
      return absl::StrCat(subject_, "预算未填报国有资产占用情况。");
    }
    const v1::OtherDisclosures& other = summary_.other();
    std::vector<std::string> parts;
    const int64_t vehicles =
        static_cast<int64_t>(other.general_vehicles()) + other.other_vehicles();
    if (vehicles == 0) {
      parts.push_back("无车辆");
    } else {
      std::vector<std::string> kinds;
      if (other.general_vehicles() != 0) {
        kinds.push_back(
            absl::StrCat("一般公务用车", other.general_vehicles(), "辆"));
      }
      if (other.other_vehicles() != 0) {
        kinds.push_back(absl::StrCat("其他用车", other.other_vehicles(), "辆"));
      }
      std::string part = absl::StrCat("共有车辆", vehicles, "辆，其中：",
                                      absl::StrJoin(kinds, "、"));
      if (std::string note = texts_.Note("other_vehicles"); !note.empty()) {
        absl::StrAppend(&part, "，", note);
      }
      parts.push_back(std::move(part));
    }
    parts.push_back(other.general_devices_over_500k() == 0
                        ? std::string("无单位价值50万元以上通用设备")
                        : absl::StrCat("单位价值50万元以上通用设备",
                                       other.general_devices_over_500k(),
                                       "台（套）"));
    parts.push_back(other.special_devices_over_1m() == 0
                        ? std::string("无单位价值100万元以上专用设备")
                        : absl::StrCat("单位价值100万元以上专用设备",
                                       other.special_devices_over_1m(),
                                       "台（套）"));
    return absl::StrCat(summary_.fiscal_year() - 1, "年期末，",
                        summary_.node_name(), absl::StrJoin(parts, "；"), "。");
  }

  const PublicationData& data_;
  const v1::Summary& summary_;
  const DepartmentTexts& texts_;
  const std::string subject_;  // "<部门>2024年".
  std::vector<TextSection> sections_;
};

}  // namespace

absl::StatusOr<std::vector<TextSection>> BuildPartTwo(
    const PublicationData& data, const DepartmentTexts& texts) {
  return Writer(data, texts).Build();
}

std::string RenderPartTwoText(const v1::Summary& summary,
                              const std::vector<TextSection>& sections) {
  std::string out = absl::StrCat("第二部分 ", summary.fiscal_year(), "年",
                                 summary.node_name(), "部门预算情况说明\n");
  for (const TextSection& section : sections) {
    absl::StrAppend(&out, "\n", section.heading, "\n");
    for (const std::string& paragraph : section.paragraphs) {
      absl::StrAppend(&out, "\n", paragraph, "\n");
    }
  }
  return out;
}

}  // namespace budget
