#pragma once
// The verbs of the `hotspot` command. Each registers its options on a CLI11
// subcommand and returns the function that runs it (returning the exit code).
// Exit codes (DESIGN.md): 0 success, 1 runtime failure, 2 bad usage, 3 bad input data.

#include <functional>

namespace CLI {
class App;
}

namespace hotspot::cli {

using Runner = std::function<int()>;

Runner register_ingest(CLI::App& app);
Runner register_synth(CLI::App& app);
Runner register_run(CLI::App& app);

}  // namespace hotspot::cli
