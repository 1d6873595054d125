// panel_controls.cpp — the top bar: source and scenario, timeline (scrub), playback,
// live following (steps behind, jump to live), engine controls when steering, and
// the language toggle.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

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
  ImGui::SameLine(ImGui::GetWindowWidth() - 90);
  if (ImGui::SmallButton(tr("language"))) set_language(language() == Lang::kZh ? Lang::kEn : Lang::kZh);

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
