// panel_levers.cpp — steering: a slider (or choice) per policy lever. A change is
// queued and takes effect at the next step boundary; the engine records it in the
// trace's interventions group, listed below the sliders.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "app.hpp"
#include "i18n.hpp"
#include "units.hpp"
#include "config/config.hpp"

namespace feidi::viz {

namespace {

// Slider range for a lever (the registry's ranges are often far wider than useful).
void ui_range(const KeySpec& k, float& lo, float& hi) {
  const std::string key = k.dotted();
  lo = static_cast<float>(std::max(0.0, k.min));
  hi = static_cast<float>(k.max);
  if (key == "governments.mean_tenure_years") lo = 1, hi = 15;
  else if (key == "enclaves.guaranteed_return_rate") hi = 0.3f;
  else if (key == "enclaves.company_leverage" || key == "enclaves.ppp_leverage") hi = 5;
  else if (key == "land.provincial_award_mu_per_year") hi = 20000;
  else if (key == "land.host_quota_mu_per_year") hi = 5000;
  else if (key == "land.quota_trade_mu_per_year") hi = 3000;
  else if (key == "province.special_fund_yuan_per_year") hi = 1e10f;
  hi = std::min(hi, 1e12f);
}

}  // namespace

void draw_levers(App& app) {
  SteerSource* s = app.steer();
  if (!s) {
    ImGui::TextDisabled("--run CONFIG");
    return;
  }
  ImGui::TextDisabled("%s", tr("applies_next"));
  const auto specs = lever_specs();
  const auto values = s->lever_values();
  if (ImGui::BeginTable("levers", 2, ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, 280);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const KeySpec& k = *specs[i];
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(lever_label(k.dotted()).c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s [%s]", k.dotted().c_str(), k.doc.c_str(), k.unit.c_str());
      ImGui::TableSetColumnIndex(1);
      ImGui::SetNextItemWidth(-1);
      ImGui::PushID(static_cast<int>(i));
      const double v = values[i];
      if (k.type == KeyType::kEnum) {
        int choice = static_cast<int>(std::lround(v));
        if (ImGui::BeginCombo("##v", lever_text(k.dotted(), choice).c_str())) {
          for (std::size_t c = 0; c < k.choices.size(); ++c)
            if (ImGui::Selectable(lever_text(k.dotted(), static_cast<double>(c)).c_str(), static_cast<int>(c) == choice))
              s->change_lever(static_cast<int>(i), static_cast<double>(c));
          ImGui::EndCombo();
        }
      } else {
        float lo = 0, hi = 1;
        ui_range(k, lo, hi);
        float f = static_cast<float>(v);
        const bool big = hi > 1000;
        // The value with its unit (亿元/年, 亩/年 …) on the slider; '%' escaped for ImGui's format.
        std::string shown;
        for (char ch : lever_text(k.dotted(), f)) shown += ch == '%' ? std::string("%%") : std::string(1, ch);
        if (ImGui::SliderFloat("##v", &f, lo, hi, shown.c_str(), big ? ImGuiSliderFlags_Logarithmic : 0))
          s->change_lever(static_cast<int>(i), static_cast<double>(f));
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  ImGui::Separator();
  ImGui::TextUnformatted(tr("recorded"));
  const auto& d = app.data;
  for (auto it = d.interventions.rbegin(); it != d.interventions.rend(); ++it) {
    const std::string key = it->lever >= 0 && it->lever < static_cast<int>(d.levers.size()) ? d.levers[it->lever] : "?";
    ImGui::BulletText("%s  %s: %s → %s", d.month(it->step).str().c_str(), lever_label(key).c_str(),
                      lever_text(key, it->old_value).c_str(), lever_text(key, it->new_value).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", key.c_str());
  }
}

}  // namespace feidi::viz
