// options.hpp — what the subcommands of feidi-sim share: flag parsing with the
// project's usage errors, and the check of an output file's path.
#pragma once

#include <boost/program_options.hpp>

#include <string>
#include <vector>

namespace feidi::cli {

// Parses subcommand flags; throws UsageError "feidi-sim CMD: <Boost's message> (see --help)".
boost::program_options::variables_map parse(const std::vector<std::string>& args,
                                            const boost::program_options::options_description& opts,
                                            const boost::program_options::positional_options_description& pos,
                                            const char* cmd);

// Checks that `out` names a .h5 file in an existing folder (throws PathError otherwise);
// `kind` names the file in messages ("trace", "summary").
void check_h5_output(const std::string& out, const char* kind);

}  // namespace feidi::cli
