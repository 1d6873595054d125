// panel_controls.cpp — the top bar: source and scenario, timeline (scrub), playback,
// live following (steps behind, jump to live), engine controls when steering, and
// the language toggle.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "app.hpp"
#include "i18n.hpp"

namespace feidi::viz {

void draw_controls(App& app) {
  const auto& d = app.data;
  const Mode mode = app.source ? app.source->mode() : Mode::kReplay;
  const char* mode_keys[] = {"mode_replay", "mode_follow", "mode_steer"};
  ImGui::TextColored(ImVec4(0.55f, 0.8f, 1.0f, 1.0f), "[%s]", tr(mode_keys[static_cast<int>(mode)]));
  ImGui::SameLine();
  ImGui::TextUnformatted(d.title.c_str());
  ImGui::SameLine(ImGui::GetWindowWidth() - 190);
  if (ImGui::SmallButton("PNG")) app.key("p");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("export_png_tip"));
  ImGui::SameLine();
  if (ImGui::SmallButton("CSV")) app.key("c");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("export_csv_tip"));
  ImGui::SameLine();
  if (ImGui::SmallButton(tr("language"))) set_language(language() == Lang::kZh ? Lang::kEn : Lang::kZh);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("shortcuts_tip"));

  // Playback of the cursor.
  if (ImGui::Button(app.playing ? tr("pause") : tr("play"))) app.playing = !app.playing;
  ImGui::SameLine();
  if (ImGui::ArrowButton("##back", ImGuiDir_Left) && app.cursor > 0) {
    --app.cursor;
    app.at_live = false;
  }
  ImGui::SameLine();
  if (ImGui::ArrowButton("##fwd", ImGuiDir_Right) && app.cursor < app.last_step()) ++app.cursor;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(70);
  float speed = static_cast<float>(app.speed);
  if (ImGui::DragFloat("##speed", &speed, 0.2f, 0.5f, 240.0f, "%.0f")) app.speed = speed;
  ImGui::SameLine();
  ImGui::TextUnformatted(tr("speed"));
  ImGui::SameLine();
  const int total = std::max(1, std::max(d.steps_total, d.steps));
  ImGui::SetNextItemWidth(std::max(120.0f, ImGui::GetContentRegionAvail().x - 330));
  char label[64];
  std::snprintf(label, sizeof label, "%s", app.has_data() ? d.month(app.cursor).str().c_str() : tr("no_data"));
  int cur = app.cursor;
  if (ImGui::SliderInt("##time", &cur, 0, std::max(0, app.last_step()), label)) {
    app.cursor = cur;
    app.at_live = cur == app.last_step();
  }
  ImGui::SameLine();
  ImGui::Text("%d/%d", app.has_data() ? app.cursor + 1 : 0, total);
  if (!app.last_export.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s: %s", tr("saved"), app.last_export.c_str());
  }

  // Fork here: a replayed trace with checkpoints can branch at the cursor's month.
  if (mode == Mode::kReplay && !d.checkpoint_steps.empty()) {
    const bool ok = app.can_fork();
    ImGui::BeginDisabled(!ok);
    if (ImGui::SmallButton(tr("fork_here"))) app.fork_here();
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", ok ? tr("fork_tip") : tr("no_checkpoint_before"));
    ImGui::SameLine();
    std::string months;
    for (std::size_t i = 0; i < d.checkpoint_steps.size() && i < 6; ++i)
      months += (i ? ", " : "") + d.month(d.checkpoint_steps[i]).str();
    if (d.checkpoint_steps.size() > 6) months += ", … " + d.month(d.checkpoint_steps.back()).str();
    ImGui::TextDisabled("%s: %s", tr("checkpoints"), months.c_str());
  }
  if (!app.fork_error.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s: %s", tr("error"), app.fork_error.c_str());

  // Live following / steering: a third row.
  if (mode != Mode::kReplay) {
    const int behind = std::max(0, app.last_step() - app.cursor);
    if (behind > 0 || !app.at_live) {
      ImGui::TextColored(ImVec4(1, 0.7f, 0.3f, 1), "%d %s", behind, tr("steps_behind"));
      ImGui::SameLine();
      if (ImGui::SmallButton(tr("jump_live"))) {
        app.at_live = true;
        app.cursor = std::max(0, app.last_step());
      }
    } else {
      ImGui::TextColored(ImVec4(0.4f, 1, 0.4f, 1), "● %s", tr("live"));
    }
  }
  if (SteerSource* s = app.steer()) {
    ImGui::SameLine();
    ImGui::TextUnformatted("|");
    ImGui::SameLine();
    ImGui::TextUnformatted(tr("engine"));
    ImGui::SameLine();
    const bool on = s->playing();
    if (ImGui::SmallButton(on ? tr("pause") : tr("play"))) s->play(!on);
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("step"))) s->step_once();
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("reset"))) {
      s->reset();
      app.at_live = true;
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(60);
    float sp = static_cast<float>(s->speed());
    if (ImGui::DragFloat("##esp", &sp, 0.2f, 0.0f, 200.0f, sp <= 0 ? "max" : "%.0f")) s->set_speed(sp);
    ImGui::SameLine();
    ImGui::Text("%.1f %s  (%d/%d)", s->engine_rate(), tr("speed"), s->steps_available(), s->steps_total());
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("fork_here"))) app.fork_here();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("fork_tip_steer"));
    if (s->fork_step() > 0) {
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.4f, 1), "%s %s", tr("fork_of"), d.month(s->fork_step()).str().c_str());
    }
  }
  if (app.source) {
    const std::string err = app.source->error();
    if (!err.empty() && (mode != Mode::kFollow || !app.has_data())) {
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s: %s", tr("error"), err.c_str());
    }
  }
}

}  // namespace feidi::viz
