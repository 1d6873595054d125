#include "i18n.hpp"

#include "units.hpp"

#include <cstring>
#include <map>
#include <string>

namespace feidi::viz {

namespace {

Lang g_lang = Lang::kZh;

struct Entry {
  const char* en;
  const char* zh;
};

const std::map<std::string, Entry>& table() {
  static const std::map<std::string, Entry> t = {
      {"app_title", {"Feidi — mountain–sea enclave economy", "飞地 — 山海协作飞地经济"}},
      {"mode_replay", {"replay", "回放"}},
      {"mode_follow", {"live", "实时"}},
      {"mode_steer", {"steering", "调控"}},
      {"play", {"Play", "播放"}},
      {"pause", {"Pause", "暂停"}},
      {"step", {"Step", "单步"}},
      {"back", {"Back", "后退"}},
      {"reset", {"Reset", "重置"}},
      {"speed", {"months/s", "月/秒"}},
      {"play_tip", {"Play the months one after another (space)", "逐月播放（空格键）"}},
      {"play_engine_tip", {"Run or pause the simulation (space); the view follows the newest month",
                           "运行或暂停模拟（空格键）；画面跟随最新月份"}},
      {"step_tip", {"Simulate one month", "模拟一个月"}},
      {"reset_tip", {"Start the run again from its first month (or the fork month)", "从第一个月（或分叉月份）重新开始"}},
      {"speed_tip", {"Playback speed in months per second (drag)", "播放速度，每秒月数（拖动调节）"}},
      {"engine_speed_tip", {"Simulation speed in months per second; 0 = as fast as it can (drag)",
                            "模拟速度，每秒月数；0 = 最快（拖动调节）"}},
      {"month", {"month", "月份"}},
      {"steps_behind", {"steps behind live", "落后实时步数"}},
      {"jump_live", {"Jump to live", "跳到最新"}},
      {"live", {"live", "最新"}},
      {"language", {"中文", "English"}},
      {"map", {"Map", "地图"}},
      {"plots", {"Time series", "时间序列"}},
      {"enclaves", {"Enclaves", "飞地园区"}},
      {"county", {"County", "县(市、区)"}},
      {"events", {"Events", "事件"}},
      {"compare", {"Compare", "情景比较"}},
      {"levers", {"Policy levers", "政策杠杆"}},
      {"colour_by", {"Colour", "着色"}},
      {"change_since_start", {"change", "变化"}},
      {"change_since", {"change since", "相对于"}},
      {"scale_per_month", {"per-month scale", "按月标尺"}},
      {"scale_per_month_tip",
       {"Colour scale over the month shown only (default: over the whole run, so colours compare across months).",
        "仅按所示月份设定颜色标尺（默认按整个运行期，便于跨月比较颜色）。"}},
      {"scale_whole_run", {"scale: whole run", "标尺：全期"}},
      {"scale_this_month", {"scale: this month", "标尺：本月"}},
      {"arcs", {"Arcs", "连线"}},
      {"flow_firms", {"firms", "企业"}},
      {"flow_persons", {"workers from source", "飞出地就业"}},
      {"flow_tax", {"tax to source", "税收返还"}},
      {"flow_land", {"land used", "用地"}},
      {"ind_gdp_ratio", {"GDP per capita / province", "人均GDP/全省"}},
      {"ind_gdp_pc", {"GDP per capita", "人均GDP"}},
      {"ind_population", {"population", "常住人口"}},
      {"ind_unemployment", {"unemployment", "失业率"}},
      {"ind_weak", {"weak villages", "薄弱村"}},
      {"ind_fiscal", {"fiscal revenue", "财政收入"}},
      {"ind_wage", {"wage", "工资"}},
      {"ind_net_migration", {"net migration", "净迁入"}},
      {"mountain26", {"26 mountain counties", "26个山区县"}},
      {"others", {"other counties", "其他县"}},
      {"plot_gdp_ratio", {"GDP per capita relative to the province", "人均GDP相对全省"}},
      {"plot_tax", {"enclave tax to source counties (1e8 yuan/yr)", "飞地税收返还飞出地(亿元/年)"}},
      {"plot_weak", {"weak villages", "集体经济薄弱村"}},
      {"plot_jobs", {"enclave jobs (thousand)", "飞地就业(千人)"}},
      {"unsteered", {"unsteered", "未调控"}},
      {"show_unsteered", {"Compare with the run unsteered", "与未调控运行对比"}},
      {"show_unsteered_tip", {"Runs the same config without your lever changes, to its end, as the comparison: ghost lines in the plots, the comparison tab, the map's A - B",
                              "以同一配置、不改政策杠杆运行至结束，作为对比：时间序列中的虚线、情景比较、地图A−B"}},
      {"only_parks_of", {"only the parks of", "只显示园区："}},
      {"only_parks_of_tip", {"Parks whose source or host is the selected county (click a county on the map to select it)",
                             "飞出地或飞入地为所选县的园区（在地图上点击县以选择）"}},
      {"plots_overview", {"Overview (four plots)", "总览（四幅图）"}},
      {"plot_variable_tip", {"Plot one county variable for the counties you choose", "为所选县绘制一个县级变量"}},
      {"plot_counties", {"Counties", "县"}},
      {"clear", {"Clear", "清除"}},
      {"mean", {"(mean)", "（均值）"}},
      {"whole_run", {"Whole run", "全程"}},
      {"time_window_tip", {"First and last month shown; or the wheel over a plot (zoom), right-drag (pan), double-click (whole run)",
                           "显示的起止月份；也可在图上滚轮缩放、右键拖动平移、双击显示全程"}},
      {"plot_ind", {"industrialisation rate", "产业化率"}},
      {"all_enclave_jobs", {"all", "全部"}},
      {"from_source", {"from source", "来自飞出地"}},
      {"name", {"Name", "名称"}},
      {"kind", {"Kind", "类型"}},
      {"source", {"Source", "飞出地"}},
      {"host", {"Host", "飞入地"}},
      {"status", {"Status", "状态"}},
      {"land", {"Land mu", "用地(亩)"}},
      {"granted", {"Granted", "已批"}},
      {"employment", {"Jobs", "就业"}},
      {"output", {"Output 1e8", "产值(亿)"}},
      {"tax_src", {"Tax to src 1e8", "返还税(亿)"}},
      {"share", {"Split", "分成"}},
      {"commitment", {"Commit.", "承诺"}},
      {"pool", {"Villages", "入股村"}},
      {"select_county", {"County", "选择县"}},
      {"prefecture", {"Prefecture", "地级市"}},
      {"accelerated", {"one of the 26", "26县之一"}},
      {"eco_function", {"eco-function", "生态功能县"}},
      {"value", {"Value", "数值"}},
      {"variable", {"Variable", "变量"}},
      {"filter", {"Filter", "筛选"}},
      {"show_migration", {"person migrations", "人口迁移"}},
      {"up_to_cursor", {"up to the cursor", "截至当前"}},
      {"open", {"Open", "打开"}},
      {"map_diff_tip",
       {"Colour each county by this run minus the comparison in the same month (diverging around 0).",
        "按本情景减对比情景（同月）着色，以0为中心的发散色标。"}},
      {"founded", {"founded", "设立于"}},
      {"close", {"close", "关闭"}},
      {"park_output", {"output and value added", "产值与增加值"}},
      {"park_jobs", {"jobs: all, from the source, commuting", "就业：全部、来自飞出地、通勤"}},
      {"park_land", {"land granted and used", "已批与已用土地"}},
      {"park_money", {"tax to source and host, paid to villages", "返还飞出地、飞入地税收与村集体收益"}},
      {"name_tip", {"The park (source → host, kind in English)", "园区名称"}},
      {"kind_tip", {"eco compensation, sci-tech or weak-village relief park", "生态补偿、科创或消薄飞地"}},
      {"source_tip", {"the mountain county the park belongs to (飞出地)", "飞出地：园区所属的山区县"}},
      {"host_tip", {"the county the park lies in (飞入地)", "飞入地：园区所在县"}},
      {"status_tip", {"planned, building, operating or stalled this month", "本月状态：规划、建设、运营或停滞"}},
      {"granted_tip", {"land granted to the park, mu (1 mu = 667 m²)", "已批用地，亩"}},
      {"land_tip", {"land in use by the park's firms, mu", "企业已用地，亩"}},
      {"employment_tip", {"workers in the park's firms, persons", "园区企业就业人数"}},
      {"from_source_tip", {"of them, natives of the source county", "其中来自飞出地的就业人数"}},
      {"output_tip", {"the park's output, 1e8 yuan a year (亿元/年)", "园区产值，亿元/年"}},
      {"tax_src_tip", {"enclave tax paid to the source county, 1e8 yuan a year", "返还飞出地税收，亿元/年"}},
      {"share_tip", {"the source county's share of the park's local tax", "飞出地税收分成比例"}},
      {"commitment_tip", {"the host's commitment to the park, 0 to 1", "飞入地对园区的投入程度（0–1）"}},
      {"pool_tip", {"weak villages that pooled funds into the park", "入股园区的薄弱村数"}},
      {"export_png_tip", {"Save the view as PNG in the current folder (key P)", "将当前视图保存为PNG（当前目录，快捷键P）"}},
      {"export_csv_tip",
       {"Save the plotted series as CSV (plot, series, month, value) in the current folder (key C)",
        "将图中序列保存为CSV（图、序列、月份、数值），当前目录（快捷键C）"}},
      {"shortcuts_tip",
       {"Keys: space play/pause · ←/→ a month (shift: a year) · Home/End · 1–7 panels · P PNG · C CSV",
        "快捷键：空格 播放/暂停 · ←/→ 一个月（Shift：一年） · Home/End · 1–7 面板 · P 导出PNG · C 导出CSV"}},
      {"saved", {"saved", "已保存"}},
      {"y_from_zero", {"y from 0", "纵轴从0开始"}},
      {"ghost_compare", {"ghost of the comparison", "对比情景虚线"}},
      {"ghost_compare_tip",
       {"Draw the comparison's run (a fork's parent) as faint dashed lines in these plots.",
        "在这些图中以淡色虚线绘制对比情景（分叉的母运行）。"}},
      {"ghost", {"ghost:", "对比："}},
      {"events_in_month", {"events this month", "个本月事件"}},
      {"search_events", {"search: kind, county, park, month", "搜索：类型、县、园区、月份"}},
      {"rows", {"rows", "行"}},
      {"events_word", {"events", "个事件"}},
      {"where", {"Where", "地点"}},
      {"count", {"Count", "次数"}},
      {"fork_here", {"Fork here", "从此处分叉"}},
      {"fork_tip",
       {"Start a steered branch at this month: it continues from the last checkpoint at or before it, "
        "then waits for your lever changes; this trace becomes the comparison.",
        "从本月开始一个可调控的分支：从本月或之前最近的检查点继续运行，然后等待您调整政策杠杆；当前轨迹作为对比基准。"}},
      {"fork_tip_steer",
       {"Start a steered branch at the month shown: it repeats this run up to that month, then waits for "
        "your lever changes; this run goes on unchanged to its end as the comparison.",
        "从所示月份开始一个可调控的分支：先重演本次运行到该月，然后等待您调整政策杠杆；本次运行保持不变继续到结束，作为对比基准。"}},
      {"no_checkpoint_before", {"no checkpoint at or before this month", "本月及之前没有检查点"}},
      {"checkpoints", {"checkpoints", "检查点"}},
      {"fork_of", {"fork at", "分叉于"}},
      {"second_trace", {"second trace (.h5)", "第二个轨迹文件"}},
      {"overlay", {"overlay", "叠加"}},
      {"difference", {"difference A − B", "差值 A − B"}},
      {"province_variable", {"province variable", "全省变量"}},
      {"no_compare", {"Open a second trace to compare scenarios.", "打开第二个轨迹文件以比较情景。"}},
      {"applies_next", {"changes apply at the next step boundary", "修改在下一步开始时生效"}},
      {"recorded", {"recorded interventions", "已记录的干预"}},
      {"pending", {"pending", "待生效"}},
      {"hover", {"hover for values", "悬停查看数值"}},
      {"no_data", {"no steps yet", "尚无数据"}},
      {"engine", {"engine", "引擎"}},
      {"frames", {"frame", "帧"}},
      {"error", {"error", "错误"}},
  };
  return t;
}

const std::map<std::string, Entry>& events_table() {
  static const std::map<std::string, Entry> t = {
      {"enclave_founded", {"enclave founded", "飞地设立"}},
      {"enclave_operating", {"enclave operating", "飞地运营"}},
      {"enclave_stalled", {"enclave stalled", "飞地停滞"}},
      {"enclave_resumed", {"enclave resumed", "飞地恢复"}},
      {"enclave_closed", {"enclave closed", "飞地关闭"}},
      {"firm_relocation", {"firm relocation", "企业迁入飞地"}},
      {"person_migration", {"person migration", "人口迁移"}},
      {"leader_turnover", {"leader turnover", "领导更替"}},
      {"renegotiation", {"renegotiation", "重新谈判"}},
      {"missed_payment", {"missed payment", "保底收益未付"}},
      {"village_left_weak", {"village left weak status", "村摘帽"}},
      {"village_joined_pool", {"village joined pool", "村入股"}},
      {"firm_spawned", {"graduate firm founded", "孵化企业产业化"}},
      {"intervention", {"intervention", "政策干预"}},
  };
  return t;
}

const Entry kKinds[] = {{"eco", "生态补偿"}, {"sci-tech", "科创"}, {"poverty", "消薄"}};
const Entry kStatus[] = {{"vacant", "未设立"}, {"building", "建设中"}, {"operating", "运营"}, {"stalled", "停滞"}, {"closed", "关闭"}};
const Entry kModes[] = {{"government", "政府主导"}, {"company", "公司运营"}, {"PPP", "PPP"}};

const char* pick(const Entry& e) { return g_lang == Lang::kZh ? e.zh : e.en; }

}  // namespace

void set_language(Lang l) { g_lang = l; }
Lang language() { return g_lang; }

const char* tr(const char* key) {
  const auto& t = table();
  const auto it = t.find(key);
  return it == t.end() ? key : pick(it->second);
}

std::vector<std::string> all_chinese_strings() {
  std::vector<std::string> out;
  for (const auto& [k, e] : table()) out.emplace_back(e.zh);
  for (const auto& [k, e] : events_table()) out.emplace_back(e.zh);
  for (const auto& e : kKinds) out.emplace_back(e.zh);
  for (const auto& e : kStatus) out.emplace_back(e.zh);
  for (const auto& e : kModes) out.emplace_back(e.zh);
  for (auto& s : units_chinese_strings()) out.push_back(std::move(s));
  return out;
}

const char* event_kind_name(const std::string& key) {
  const auto& t = events_table();
  const auto it = t.find(key);
  return it == t.end() ? key.c_str() : pick(it->second);
}

const char* enclave_kind_name(int kind) { return kind >= 0 && kind < 3 ? pick(kKinds[kind]) : "?"; }
const char* enclave_status_name(int status) { return status >= 0 && status < 5 ? pick(kStatus[status]) : "?"; }
const char* mode_name(int mode) { return mode >= 0 && mode < 3 ? pick(kModes[mode]) : "?"; }

}  // namespace feidi::viz
