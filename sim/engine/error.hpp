// error.hpp — the small family of named exceptions Feidi raises, and the
// assert macro for programmer errors.
//
// Bad input (config, data files, flags, paths) raises an InputError subclass
// that carries *where in the input* (file:line:column and key) and *where in
// the code* (std::source_location); the CLI prints what() on one line and
// exits with code 2. Anything else is an internal failure (exit code 1).
#pragma once

#include <source_location>
#include <stdexcept>
#include <string>

namespace feidi {

// Where in an input file a problem was found; line/column are 1-based, 0 = unknown.
struct InputLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key;  // dotted config key or column name; may be empty
  const char* key_label = "key";  // how to name `key` in messages ("key", "column")
};

// Base of every Feidi exception: what() is one line, ready for the user.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& msg,
                 std::source_location where = std::source_location::current())
      : std::runtime_error(msg), where_(where) {}
  // The place in the code that raised the error (for --verbose and logs).
  const std::source_location& where() const { return where_; }

 private:
  std::source_location where_;
};

// Bad input from the user: exit code 2.
class InputError : public Error {
 public:
  using Error::Error;
};

// A config file or --set override is malformed, unknown or out of range.
class ConfigError : public InputError {
 public:
  ConfigError(InputLocation loc, const std::string& problem,
              std::source_location where = std::source_location::current());
  const InputLocation& location() const { return loc_; }
  // The problem without the location prefix.
  const std::string& problem() const { return problem_; }

 private:
  InputLocation loc_;
  std::string problem_;
};

// A data file (CSV tables, division lists) is missing or malformed.
class DataError : public InputError {
 public:
  DataError(InputLocation loc, const std::string& problem,
            std::source_location where = std::source_location::current());
  const InputLocation& location() const { return loc_; }

 private:
  InputLocation loc_;
};

// A command-line flag or argument is wrong.
class UsageError : public InputError {
 public:
  using InputError::InputError;
};

// An output or input path cannot be used (missing directory, unreadable trace).
class PathError : public InputError {
 public:
  using InputError::InputError;
};

// A failure that is not the user's fault (HDF5 write failure, broken invariant).
class InternalError : public Error {
 public:
  using Error::Error;
};

// Formats "file:line:column: key 'k': problem" (parts omitted when unknown).
std::string format_location(const InputLocation& loc, const std::string& problem);

[[noreturn]] void assert_fail(const char* expr, const char* msg,
                              std::source_location where = std::source_location::current());

}  // namespace feidi

// Programmer-error check, always on (cheap checks only; never in hot loops).
#define FEIDI_ASSERT(expr, msg) \
  do {                          \
    if (!(expr)) ::feidi::assert_fail(#expr, msg); \
  } while (0)

// Expensive invariant checks: compiled out unless built with FEIDI_CHECKS=ON.
#ifdef FEIDI_ENABLE_CHECKS
#define FEIDI_CHECK(expr, msg) FEIDI_ASSERT(expr, msg)
#else
#define FEIDI_CHECK(expr, msg) \
  do {                         \
  } while (0)
#endif
