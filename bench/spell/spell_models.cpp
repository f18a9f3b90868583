// spell_models: scry's spelling corrections of a list of words under several
// channel models, for bench/spell/crossval.sh (docs/RELEVANCE.md, "Spelling
// suggestions"), which picks a model on some pairs and scores it on others.
//
//   spell_models INDEX LAMBDA,TRANSPOSITION,DOUBLING ... < WORDS
//
// WORDS: one word (or query) a line. Prints, for each model given (numbered
// from 0 in the order given) and each line, MODEL<TAB>LINE<TAB>CORRECTION,
// the correction being the line itself when nothing is better (as
// `scry-search --suggest` prints it). The other constants keep scry's
// defaults (spell/channel.h). Exit 2 on a bad argument or index.
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/spell/channel.h"
#include "scry/spell/speller.h"
#include "scry/spell/word_table.h"

namespace {

bool parse_model(const std::string& arg, scry::ChannelModel* model) {
  std::istringstream in(arg);
  char comma1 = 0, comma2 = 0;
  in >> model->lambda >> comma1 >> model->transposition >> comma2 >> model->doubling;
  return in && comma1 == ',' && comma2 == ',' && in.peek() == EOF;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: spell_models INDEX LAMBDA,TRANSPOSITION,DOUBLING ... < WORDS\n");
    return 2;
  }
  std::vector<scry::ChannelModel> models;
  for (int i = 2; i < argc; ++i) {
    scry::ChannelModel model;
    if (!parse_model(argv[i], &model)) {
      std::fprintf(stderr, "spell_models: bad model '%s' (want LAMBDA,TRANSPOSITION,DOUBLING)\n",
                   argv[i]);
      return 2;
    }
    models.push_back(model);
  }
  auto index = scry::IndexReader::open(argv[1]);
  if (!index) {
    std::fprintf(stderr, "spell_models: %s\n", index.status().message().c_str());
    return 2;
  }
  auto words = scry::WordTable::load(**index);
  if (!words) {
    std::fprintf(stderr, "spell_models: %s\n", words.status().message().c_str());
    return 2;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(std::cin, line);) lines.push_back(line);
  for (size_t m = 0; m < models.size(); ++m) {
    scry::Speller speller(words->get(), (*index)->manifest().analyzer, models[m]);
    for (const std::string& line : lines) {
      std::printf("%zu\t%s\t%s\n", m, line.c_str(), speller.correct_query(line).c_str());
    }
  }
  return 0;
}
