#include "tests/ingest/test_budgets.h"

namespace ingest_test {

using budget::v1::Unit;
using budget::v1::UnitBudget;

Unit Department() {
  Unit unit;
  unit.set_code(kDepartment);
  unit.set_name("郑州市工业和信息化局");
  unit.set_kind(budget::v1::UNIT_KIND_GROUP);
  return unit;
}

Unit UnitBelowDepartment(const std::string& code, const std::string& name) {
  Unit unit;
  unit.set_code(code);
  unit.set_name(name);
  unit.set_parent_code(kDepartment);
  unit.set_kind(code == "021001" ? budget::v1::UNIT_KIND_ADMINISTRATIVE
                                 : budget::v1::UNIT_KIND_INSTITUTION);
  return unit;
}

UnitBudget SalaryBudget(const Unit& unit, int64_t fen) {
  const bool office = unit.kind() == budget::v1::UNIT_KIND_ADMINISTRATIVE;
  UnitBudget budget;
  budget.set_unit_code(unit.code());
  budget.set_fiscal_year(kYear);
  budget::v1::IncomeLine* income = budget.add_income();
  income->set_source(budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  income->set_amount_fen(fen);
  budget::v1::ExpenditureLine* line = budget.add_expenditures();
  line->set_function_code(office ? "2150501" : "2150550");  // 行政/事业运行
  line->set_dept_economic_code("30101");                    // 基本工资
  line->set_gov_economic_code(office ? "50101" : "50501");
  line->set_funding_source(budget::v1::FUNDING_SOURCE_GENERAL_PUBLIC_BUDGET);
  line->set_nature(budget::v1::EXPENDITURE_NATURE_BASIC_PERSONNEL);
  line->set_amount_fen(fen);
  return budget;
}

std::string ReversedFieldOrder(const google::protobuf::Message& message) {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  std::string bytes;
  for (auto field = fields.rbegin(); field != fields.rend(); ++field) {
    std::unique_ptr<google::protobuf::Message> only(message.New());
    only->CopyFrom(message);
    for (const google::protobuf::FieldDescriptor* other : fields) {
      if (other != *field) only->GetReflection()->ClearField(only.get(), other);
    }
    bytes += only->SerializeAsString();
  }
  return bytes;
}

}  // namespace ingest_test
