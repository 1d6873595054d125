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

float controls_height(const App& app) {
  const Mode mode = app.source ? app.source->mode() : Mode::kReplay;
  int rows = 2;  // title and exports; playback and timeline
  if (mode == Mode::kReplay && !app.data.checkpoint_steps.empty()) ++rows;  // Fork here
  if (!app.fork_error.empty()) ++rows;
  if (mode != Mode::kReplay) ++rows;  // live status, engine rate, Fork here
  const ImGuiStyle& st = ImGui::GetStyle();
  // The window's title bar, the rows, the padding above and below.
  return ImGui::GetFrameHeight() + static_cast<float>(rows) * ImGui::GetFrameHeightWithSpacing() + st.WindowPadding.y * 2 -
         st.ItemSpacing.y + 2;
}

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

  // One Play button: in replay and follow it plays the cursor through the months; while
  // steering it runs the engine (the cursor stays on the newest month), as the space key does.
  SteerSource* steer = app.steer();
  const bool running = steer ? steer->playing() : app.playing;
  if (ImGui::Button(running ? tr("pause") : tr("play"))) app.key("space");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(steer ? "play_engine_tip" : "play_tip"));
  if (steer) {
    ImGui::SameLine();
    if (ImGui::Button(tr("step"))) steer->step_once();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("step_tip"));
    ImGui::SameLine();
    if (ImGui::Button(tr("reset"))) {
      steer->reset();
      app.at_live = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("reset_tip"));
  }
  ImGui::SameLine();
  if (ImGui::ArrowButton("##back", ImGuiDir_Left)) app.key("left");
  ImGui::SameLine();
  if (ImGui::ArrowButton("##fwd", ImGuiDir_Right)) app.key("right");
  ImGui::SameLine();
  // The speed: of the cursor's playback, or of the engine (0 = as fast as it can).
  ImGui::SetNextItemWidth(56);
  if (steer) {
    float sp = static_cast<float>(steer->speed());
    if (ImGui::DragFloat("##speed", &sp, 0.2f, 0.0f, 200.0f, sp <= 0 ? "max" : "%.0f")) steer->set_speed(sp);
  } else {
    float speed = static_cast<float>(app.speed);
    if (ImGui::DragFloat("##speed", &speed, 0.2f, 0.5f, 240.0f, "%.0f")) app.speed = speed;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(steer ? "engine_speed_tip" : "speed_tip"));
  ImGui::SameLine();
  ImGui::TextUnformatted(tr("speed"));
  ImGui::SameLine();
  const int total = std::max(1, std::max(d.steps_total, d.steps));
  char count[32];
  std::snprintf(count, sizeof count, "%d/%d", app.has_data() ? app.cursor + 1 : 0, total);
  const float count_w = ImGui::CalcTextSize(count).x + ImGui::GetStyle().ItemSpacing.x;
  const float export_w = app.last_export.empty() ? 0 : ImGui::CalcTextSize(app.last_export.c_str()).x + 60;
  // The timeline takes the rest of the row (never scrolled off: the bar is as wide as the window).
  ImGui::SetNextItemWidth(std::max(120.0f, ImGui::GetContentRegionAvail().x - count_w - export_w));
  char label[64];
  std::snprintf(label, sizeof label, "%s", app.has_data() ? d.month(app.cursor).str().c_str() : tr("no_data"));
  int cur = app.cursor;
  if (ImGui::SliderInt("##time", &cur, 0, std::max(0, app.last_step()), label)) {
    app.cursor = cur;
    app.at_live = cur == app.last_step();
  }
  ImGui::SameLine();
  ImGui::TextUnformatted(count);
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
  if (steer) {
    ImGui::SameLine();
    ImGui::TextUnformatted("|");
    ImGui::SameLine();
    ImGui::Text("%s %.1f %s  (%d/%d)", tr("engine"), steer->engine_rate(), tr("speed"), steer->steps_available(),
                steer->steps_total());
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("fork_here"))) app.fork_here();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("fork_tip_steer"));
    if (app.can_show_unsteered()) {
      ImGui::SameLine();
      if (ImGui::SmallButton(tr("show_unsteered"))) app.show_unsteered();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("show_unsteered_tip"));
    }
    if (steer->fork_step() > 0) {
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.4f, 1), "%s %s", tr("fork_of"), d.month(steer->fork_step()).str().c_str());
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
