// The REPL of scry-search: on a terminal without a QUERY, a prompt with line
// editing and history (libedit) that answers each line as a query, and
// commands that change the session's settings (docs/SEARCHING.md, "The
// REPL"): :help, :k N, :offset N, :format F, :explain, :k1 X, :b X,
// :title W, :stats, :reopen, :quit.
//
// Thread safety: single-threaded; installs a SIGINT handler (Ctrl-C drops
// the line being typed) for as long as it runs.
#pragma once

#include <memory>
#include <string>

#include "cli.h"
#include "scry/engine/engine.h"

namespace scry {

// Where the REPL keeps its history: $XDG_STATE_HOME/scry/history when
// XDG_STATE_HOME is set to an absolute path, else
// $HOME/.local/state/scry/history; empty when neither is set.
std::string history_path();

// Runs the REPL until :quit or Ctrl-D (end of input). Returns kExitHit:
// query errors are printed and the session goes on; but a failed write to
// stdout ends it with kExitError (reported as output_ok() does).
// Takes the engine so that :reopen can replace it.
int run_repl(std::unique_ptr<Engine> engine, const RunOptions& options);

}  // namespace scry
