#pragma once
// Runs script commands (script.hpp) against an AppState: the same actions the panels
// perform, so a script reproduces what an analyst clicks. `open` starts the loader;
// the caller waits until !state.loader.busy() before the next command (the headless
// frame loop in viewer/main.cpp does).
//
//   for (const ScriptCommand& c : commands)
//     if (std::string err = run_command(state, c, script_dir); !err.empty()) fail(err);

#include <filesystem>
#include <string>

#include "viewer/app/app_state.hpp"
#include "viewer/app/script.hpp"

namespace hotspot::viewer {

// Returns "" on success, else the reason (without the "file:line: error:" prefix).
std::string run_command(AppState& s, const ScriptCommand& command, const std::filesystem::path& base_dir);

}  // namespace hotspot::viewer
