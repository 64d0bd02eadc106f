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
Runner register_geocode(CLI::App& app);
Runner register_evaluate(CLI::App& app);
Runner register_grid(CLI::App& app);
Runner register_stat(CLI::App& app);
// The space-time methods of `stat` (emerging, near-repeat; cmd_spacetime.cpp), on the
// stat subcommand; the runner returns -1 when none of them was chosen.
Runner register_stat_spacetime(CLI::App& app);
Runner register_rank(CLI::App& app);    // cmd_rank.cpp
Runner register_export(CLI::App& app);  // cmd_export.cpp

}  // namespace hotspot::cli
