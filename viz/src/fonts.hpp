// fonts.hpp — the CJK font (fonts-wqy-microhei) with glyph ranges built from the
// strings the viewer shows (ImGui's "ChineseSimplifiedCommon" lacks e.g. 磐).
#pragma once

#include <string>
#include <vector>

namespace feidi::viz {

struct FontInfo {
  bool loaded = false;  // false: ImGui's default font (ASCII only)
  int glyphs = 0;       // glyphs in the atlas
  std::string path;
};

// Adds the font to ImGui's atlas at `size_px` with the glyphs of `strings` (plus
// ASCII and common punctuation). Call before the renderer builds the font texture.
FontInfo load_fonts(const std::vector<std::string>& strings, float size_px);

// Characters of `strings` that the current font cannot draw.
int missing_glyphs(const std::vector<std::string>& strings);

}  // namespace feidi::viz
