// i18n.hpp — the viewer's words in Chinese and English (toggle at run time).
#pragma once

#include <string>
#include <vector>

namespace feidi::viz {

enum class Lang { kZh, kEn };

// Sets and reads the language in effect.
void set_language(Lang l);
Lang language();

// The text of a UI key ("play", "map", ...) in the current language; the key itself
// when unknown (so a missing translation is visible, not blank).
const char* tr(const char* key);

// Every Chinese UI string (for building font glyph ranges).
std::vector<std::string> all_chinese_strings();

// Names of event kinds and enclave kinds/statuses/modes in the current language.
const char* event_kind_name(const std::string& key);
const char* enclave_kind_name(int kind);
const char* enclave_status_name(int status);
const char* mode_name(int mode);

}  // namespace feidi::viz
