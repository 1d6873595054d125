#include "engine/error.hpp"

#include <sstream>

namespace feidi {

std::string format_location(const InputLocation& loc, const std::string& problem) {
  std::ostringstream os;
  if (!loc.file.empty()) {
    os << loc.file;
    if (loc.line > 0) {
      os << ':' << loc.line;
      if (loc.column > 0) os << ':' << loc.column;
    }
    os << ": ";
  }
  if (!loc.key.empty()) os << loc.key_label << " '" << loc.key << "': ";
  os << problem;
  return os.str();
}

ConfigError::ConfigError(InputLocation loc, const std::string& problem, std::source_location where)
    : InputError(format_location(loc, problem), where), loc_(std::move(loc)), problem_(problem) {}

namespace {
InputLocation as_column(InputLocation loc) {
  loc.key_label = "column";
  return loc;
}
}  // namespace

DataError::DataError(InputLocation loc, const std::string& problem, std::source_location where)
    : InputError(format_location(as_column(loc), problem), where), loc_(as_column(std::move(loc))) {}

void assert_fail(const char* expr, const char* msg, std::source_location where) {
  std::ostringstream os;
  os << "internal error: " << msg << " (" << expr << ") at " << where.file_name() << ':'
     << where.line();
  throw InternalError(os.str(), where);
}

}  // namespace feidi
