// "Did you mean" for a command line's unknown options, for the programs'
// Boost.Program_options parsers (header-only: the library itself does not
// link Boost.Program_options, the programs do).
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "scry/text/nearest_word.h"

namespace scry {

// Rethrows `e` as a po::error that also names the option of `options`
// nearest to the one given, when it was written --NAME and one is within
// two edits of it: "unrecognised option '--fromat': did you mean
// --format?"; else rethrows `e` as it is.
[[noreturn]] inline void rethrow_with_hint(
    const boost::program_options::unknown_option& e,
    const boost::program_options::options_description& options) {
  const std::string& given = e.get_option_name();
  if (given.size() > 2 && given.starts_with("--")) {
    std::vector<std::string> names;
    for (const auto& option : options.options()) {
      if (!option->long_name().empty()) names.push_back(option->long_name());
    }
    if (auto near = nearest_word(given.substr(2), names, 2)) {
      throw boost::program_options::error(std::string(e.what()) + ": did you mean --" + *near +
                                          "?");
    }
  }
  throw e;
}

}  // namespace scry
