// commands.hpp — the subcommands of feidi-sim.
#pragma once

#include <string>
#include <vector>

namespace feidi::cli {

int run_command(const std::vector<std::string>& args, const std::string& argv0);
int info_command(const std::vector<std::string>& args);
int resume_command(const std::vector<std::string>& args, const std::string& argv0);
int branch_command(const std::vector<std::string>& args, const std::string& argv0);
int validate_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int sensitivity_command(const std::vector<std::string>& args);
int calibrate_command(const std::vector<std::string>& args);

}  // namespace feidi::cli
