#include "cli/options.hpp"

#include <filesystem>

#include "engine/error.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace feidi::cli {

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& opts,
                        const po::positional_options_description& pos, const char* cmd) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string("feidi-sim ") + cmd + ": " + e.what() + " (see --help)");
  }
  return vm;
}

void check_h5_output(const std::string& out, const char* kind) {
  const fs::path p(out);
  if (fs::is_directory(p))
    throw PathError(out + ": is a directory; give a file name such as " + out + "/" + kind + ".h5");
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  if (!fs::is_directory(dir)) throw PathError(out + ": folder " + dir.string() + " does not exist");
  if (p.extension() != ".h5") throw PathError(out + ": the " + std::string(kind) + " file name must end in .h5");
}

}  // namespace feidi::cli
