// units.cpp — quantities and names for planners (see units.hpp).
#include "units.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include "i18n.hpp"

namespace feidi::viz {

namespace {

bool zh() { return language() == Lang::kZh; }

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// Three significant figures, without an exponent for the magnitudes used here.
std::string sig3(double v) {
  const double a = std::fabs(v);
  if (a >= 100) return with_separators(std::llround(v));
  if (a >= 10) return fmt("%.1f", v);
  if (a >= 1) return fmt("%.2f", v);
  if (a == 0) return "0";
  return fmt("%.3g", v);
}

// A count-like value: whole with separators from 1,000 on, else three significant figures.
std::string counted(double v) { return std::fabs(v) >= 1e3 ? with_separators(std::llround(v)) : sig3(v); }

using Names = std::map<std::string, std::pair<const char*, const char*>>;

// The label of `key` in a table of {English, Chinese} in the current language, or null.
const char* in_language(const Names& m, const std::string& key) {
  const auto it = m.find(key);
  if (it == m.end()) return nullptr;
  return zh() ? it->second.second : it->second.first;
}

// name → {English, Chinese}
const Names& names() {
  static const Names m = {
      // county variables
      {"population", {"population", "常住人口"}},
      {"employment", {"employment", "就业"}},
      {"jobs", {"jobs", "岗位"}},
      {"labour_force", {"labour force", "劳动力"}},
      {"labour_demand", {"labour demand", "劳动力需求"}},
      {"unemployment_rate", {"unemployment rate", "失业率"}},
      {"wage", {"wage", "工资"}},
      {"gdp", {"GDP", "GDP"}},
      {"gdp_attributed", {"GDP (with enclave attribution)", "GDP（含飞地统计分成）"}},
      {"gdp_per_capita", {"GDP per capita", "人均GDP"}},
      {"gdp_per_capita_ratio", {"GDP per capita / province", "人均GDP/全省"}},
      {"fiscal_revenue", {"fiscal revenue", "财政收入"}},
      {"own_tax", {"own tax revenue", "本级税收"}},
      {"enclave_tax_in", {"enclave tax received", "飞地税收分成收入"}},
      {"transfers", {"provincial transfers", "省级转移支付"}},
      {"investment_private", {"private investment", "民间投资"}},
      {"investment_public", {"public investment", "政府投资"}},
      {"capital", {"capital stock", "资本存量"}},
      {"firms", {"firms", "企业数"}},
      {"firm_entries", {"firm entries", "企业进入"}},
      {"firm_exits", {"firm exits", "企业退出"}},
      {"migrants_in", {"migrants in", "迁入人口"}},
      {"migrants_out", {"migrants out", "迁出人口"}},
      {"commuters_out", {"commuters out", "外出通勤"}},
      {"talent_in", {"talent returning", "人才回流"}},
      {"high_skill_share", {"high-skill share", "高技能人才占比"}},
      {"weak_villages", {"weak villages", "集体经济薄弱村"}},
      {"village_income_mean", {"mean village income", "村集体平均收入"}},
      {"land_pool_mu", {"land quota pool", "用地指标池"}},
      {"quota_sold_mu", {"land quota sold", "出售用地指标"}},
      {"quota_revenue", {"land quota revenue", "用地指标收入"}},
      {"productivity", {"productivity", "生产率"}},
      {"technology", {"technology", "技术水平"}},
      {"leader_priority", {"leader's priority", "主政者重视度"}},
      // province / enclave variables often shown
      {"tax_to_source", {"tax to source counties", "税收返还飞出地"}},
      {"gdp_per_capita_ratio_26", {"GDP per capita of the 26 / province", "26县人均GDP/全省"}},
      {"employment_from_source", {"workers from the source county", "来自飞出地的就业"}},
      {"land_used_mu", {"land used", "已用地"}},
      {"land_granted_mu", {"land granted", "已批地"}},
      {"output", {"output", "产值"}},
      {"value_added", {"value added", "增加值"}},
      {"commuters", {"commuters from the source", "飞出地通勤人员"}},
      {"tax_to_host", {"tax to the host", "飞入地税收"}},
      {"return_paid", {"paid to pooled villages", "支付入股村收益"}},
      // enclave variables
      {"commitment", {"host's commitment", "飞入地投入意愿"}},
      {"cumulative_output", {"output since the start", "累计产值"}},
      {"graduated_elsewhere", {"graduates industrialised elsewhere", "异地产业化项目"}},
      {"graduated_source", {"graduates industrialised at the source", "回飞出地产业化项目"}},
      {"honoured_share", {"share of the agreement honoured", "协议兑现比例"}},
      {"incubating", {"projects in incubation", "在孵项目"}},
      {"industrialise_prob", {"chance a graduate industrialises at the source", "毕业项目回飞出地产业化概率"}},
      {"infrastructure", {"infrastructure spending", "基础设施投入"}},
      {"kind", {"park kind", "飞地类型"}},
      {"output_per_mu", {"output per mu", "亩均产值"}},
      {"pool_invested", {"village funds pooled", "入股村集体资金"}},
      {"pool_villages", {"villages in the pool", "入股村数"}},
      {"return_due", {"guaranteed return owed", "应付保底收益"}},
      {"return_missed", {"guaranteed return missed", "未兑付保底收益"}},
      {"status", {"park status", "飞地状态"}},
      {"tax_local", {"local-level tax", "地方级税收"}},
      {"tax_per_mu_local", {"local-level tax per mu", "亩均地方级税收"}},
      {"tax_per_mu_total", {"tax per mu", "亩均税收"}},
      {"tax_share_source", {"source share of tax", "飞出地税收分成比例"}},
      // province variables
      {"eco_coverage", {"eco-function counties with an eco park", "生态飞地覆盖率"}},
      {"enclaves_eco", {"eco parks", "生态补偿飞地"}},
      {"enclaves_poverty", {"poverty-relief parks", "消薄飞地"}},
      {"enclaves_scitech", {"sci-tech parks", "科创飞地"}},
      {"events", {"events", "事件数"}},
      {"gini", {"Gini index across counties", "县际基尼系数"}},
      {"industrialisation_rate", {"share industrialised at the source", "回飞出地产业化率"}},
      {"land_award_used_mu", {"provincial award land used", "已用省奖励用地指标"}},
      {"operating_eco", {"operating eco parks", "运营中生态飞地"}},
      {"operating_poverty", {"operating poverty-relief parks", "运营中消薄飞地"}},
      {"operating_scitech", {"operating sci-tech parks", "运营中科创飞地"}},
      {"poverty_coverage_26", {"the 26 with a poverty-relief park", "26县消薄飞地覆盖率"}},
      {"quota_traded_mu", {"land quota traded this year", "本年度交易用地指标"}},
      {"quota_traded_total_mu", {"land quota traded since the start", "累计交易用地指标"}},
      {"quota_village_income", {"land quota income of villages", "村集体用地指标收入"}},
      {"relief", {"relief investment", "薄弱村帮扶投资"}},
      {"relief_villages", {"villages given relief", "获帮扶村数"}},
      {"special_fund_spent", {"provincial special fund spent", "省级专项资金支出"}},
      {"tfp", {"productivity index", "全要素生产率指数"}},
      {"theil", {"Theil index across counties", "县际泰尔指数"}},
      {"village_subsidy", {"village funds pooled this month", "本月村集体入股资金"}},
      {"weak_villages_26", {"weak villages in the 26", "26县集体经济薄弱村"}},
  };
  return m;
}

const Names& levers() {
  static const Names m = {
      {"villages.relief_hazard_per_year", {"village relief programme rate", "薄弱村帮扶项目频率"}},
      {"villages.relief_invest_yuan", {"relief investment per village", "每村帮扶投资"}},
      {"governments.mean_tenure_years", {"leaders' mean tenure", "主政者平均任期"}},
      {"governments.institution_government", {"institutionalisation: government-led", "制度化：政府主导"}},
      {"governments.institution_company", {"institutionalisation: company-operated", "制度化：公司运营"}},
      {"governments.institution_ppp", {"institutionalisation: PPP", "制度化：PPP"}},
      {"governments.assessment_weight", {"weight in hosts' assessment", "飞入地考核权重"}},
      {"tax_split.mode", {"tax split", "税收分成方式"}},
      {"tax_split.fixed_source_share", {"source share of enclave tax (fixed)", "飞出地税收分成比例（固定）"}},
      {"tax_split.gdp_attribution_source_share", {"source share of enclave GDP", "飞出地GDP统计分成比例"}},
      {"enclaves.same_city", {"same-city treatment", "同城同待遇"}},
      {"enclaves.guaranteed_return_rate", {"guaranteed return of poverty pools", "消薄保底收益率"}},
      {"enclaves.company_leverage", {"private funds per yuan (company)", "公司运营撬动社会资本"}},
      {"enclaves.ppp_leverage", {"private funds per yuan (PPP)", "PPP撬动社会资本"}},
      {"enclaves.talent_per_project", {"talent moving per sci-tech project", "每个科创项目回流人才"}},
      {"land.provincial_award_mu_per_year", {"provincial land award", "省级奖励用地指标"}},
      {"land.host_quota_mu_per_year", {"hosts' land quota for enclaves", "飞入地用地指标"}},
      {"land.quota_trade_mu_per_year", {"land quota trade per pair", "每对结对指标交易"}},
      {"province.special_fund_yuan_per_year", {"provincial special fund", "省级专项资金"}},
      {"province.transfers_26_yuan_per_year", {"extra transfers to the 26", "对26县额外转移支付"}},
      {"growth.public_investment_share", {"public investment share of revenue", "财政收入用于投资比例"}},
  };
  return m;
}

}  // namespace

std::vector<std::string> units_chinese_strings() {
  std::vector<std::string> out = {"亿元万元元人亩/年/月个村家企业", "纳什谈判固定比例年"};
  for (const auto& [k, v] : names()) out.emplace_back(v.second);
  for (const auto& [k, v] : levers()) out.emplace_back(v.second);
  return out;
}

std::string with_separators(long long v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

bool is_share(const std::string& name) {
  return name.find("rate") != std::string::npos || name.find("share") != std::string::npos;
}

std::string format_quantity(double v, const std::string& units, bool share) {
  if (!std::isfinite(v)) return "–";
  const double a = std::fabs(v);
  const bool per_year = units.find("/year") != std::string::npos, per_month = units.find("/month") != std::string::npos;
  const std::string per = per_year ? (zh() ? "/年" : "/yr") : per_month ? (zh() ? "/月" : "/mo") : "";
  if (units.rfind("yuan", 0) == 0) {
    if (zh()) {
      if (a >= 1e8) return sig3(v / 1e8) + "亿元" + per;
      if (a >= 1e4) return sig3(v / 1e4) + "万元" + per;
      return sig3(v) + "元" + per;
    }
    if (a >= 1e9) return sig3(v / 1e9) + " bn yuan" + per;
    if (a >= 1e6) return sig3(v / 1e6) + " M yuan" + per;
    return sig3(v) + " yuan" + per;
  }
  if (units.rfind("persons", 0) == 0) {
    if (zh()) return a >= 1e4 ? sig3(v / 1e4) + "万人" + per : sig3(v) + "人" + per;
    if (a >= 1e6) return sig3(v / 1e6) + " M persons" + per;
    return counted(v) + " persons" + per;
  }
  if (units == "mu") return counted(v) + (zh() ? "亩" : " mu");
  if (units == "1") return share ? fmt("%.1f%%", v * 100) : sig3(v);
  std::string u = units.substr(0, units.find(" ("));
  if (zh()) {  // the count units of the trace in Chinese
    static const std::map<std::string, std::string> z = {
        {"villages", "个村"}, {"firms", "家企业"}, {"firms/month", "家企业/月"}};
    const auto it = z.find(u);
    if (it != z.end()) u = it->second;
  }
  const bool whole = std::fabs(v - std::round(v)) < 1e-9;  // counts: villages, firms
  return (whole ? with_separators(std::llround(v)) : counted(v)) + (zh() ? "" : " ") + u;
}

std::string units_label(const std::string& units, bool share) {
  const bool per_year = units.find("/year") != std::string::npos, per_month = units.find("/month") != std::string::npos;
  const std::string per = per_year ? (zh() ? "/年" : "/yr") : per_month ? (zh() ? "/月" : "/mo") : "";
  if (units.rfind("yuan", 0) == 0) return (zh() ? "元" : "yuan") + per;
  if (units.rfind("persons", 0) == 0) return (zh() ? "人" : "persons") + per;
  if (units == "mu") return zh() ? "亩" : "mu";
  if (units == "1") return share ? "%" : "";
  const std::string u = units.substr(0, units.find(" ("));
  if (zh()) {
    static const std::map<std::string, std::string> z = {{"villages", "个村"}, {"firms", "家企业"}, {"firms/month", "家企业/月"}};
    const auto it = z.find(u);
    if (it != z.end()) return it->second;
  }
  return u;
}

std::string lever_value_text(const std::string& unit, double v, const std::vector<std::string>& choices) {
  if (!choices.empty()) {
    const long i = std::lround(v);
    if (i < 0 || static_cast<std::size_t>(i) >= choices.size()) return "?";
    static const Names words = {{"nash", {"Nash bargaining", "纳什谈判"}}, {"fixed", {"fixed share", "固定比例"}}};
    const char* w = in_language(words, choices[static_cast<std::size_t>(i)]);
    return w ? w : choices[static_cast<std::size_t>(i)];
  }
  const bool per_year = unit.find("/year") != std::string::npos;
  const std::string per = per_year ? (zh() ? "/年" : "/yr") : "";
  if (unit.rfind("yuan", 0) == 0 || unit.rfind("persons", 0) == 0) return format_quantity(v, unit);
  if (unit.rfind("mu", 0) == 0) return counted(v) + (zh() ? "亩" : " mu") + per;
  if (unit == "1/year") return sig3(v) + (zh() ? "/年" : "/yr");  // a rate per year (a hazard, a return)
  if (unit == "years") return sig3(v) + (zh() ? "年" : " years");
  return sig3(v);
}

std::string variable_label(const std::string& name, const std::string& long_name) {
  if (const char* s = in_language(names(), name)) return s;
  return long_name.empty() ? name : long_name;
}

bool has_variable_label(const std::string& name) { return names().count(name) > 0; }

std::string lever_label(const std::string& key) {
  const char* s = in_language(levers(), key);
  return s ? s : key;
}

}  // namespace feidi::viz
