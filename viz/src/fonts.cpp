#include "fonts.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <cstdlib>
#include <filesystem>

#ifndef FEIDI_FONT_PATH
#define FEIDI_FONT_PATH "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
#endif

namespace feidi::viz {

FontInfo load_fonts(const std::vector<std::string>& strings, float size_px) {
  FontInfo info;
  const char* env = std::getenv("FEIDI_FONT");
  info.path = env && *env ? env : FEIDI_FONT_PATH;
  ImGuiIO& io = ImGui::GetIO();
  if (!std::filesystem::exists(info.path)) {
    io.Fonts->AddFontDefault();
    return info;
  }
  static ImVector<ImWchar> ranges;  // must outlive the atlas build
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
  builder.AddText("→←↑↓–—·×−≥≤±…°²‰％，。：；（）、“”●★▲");
  for (const auto& s : strings) builder.AddText(s.c_str());
  ranges.clear();
  builder.BuildRanges(&ranges);
  ImFontConfig cfg;
  cfg.OversampleH = 1;
  cfg.OversampleV = 1;
  ImFont* font = io.Fonts->AddFontFromFileTTF(info.path.c_str(), size_px, &cfg, ranges.Data);
  if (!font) {
    io.Fonts->AddFontDefault();
    return info;
  }
  io.Fonts->Build();
  info.loaded = true;
  info.glyphs = font->Glyphs.Size;
  return info;
}

int missing_glyphs(const std::vector<std::string>& strings) {
  ImFont* font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
  if (!font) return -1;
  int missing = 0;
  for (const auto& s : strings) {
    const char* p = s.c_str();
    const char* end = p + s.size();
    while (p < end) {
      unsigned int c = 0;
      const int n = ImTextCharFromUtf8(&c, p, end);
      if (n <= 0) break;
      p += n;
      if (c < 0x20 || c == 0x20) continue;
      if (!font->FindGlyphNoFallback(static_cast<ImWchar>(c))) ++missing;
    }
  }
  return missing;
}

}  // namespace feidi::viz
