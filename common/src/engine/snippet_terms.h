// What a hit's snippet highlights: the terms and phrases of a query's
// scoring leaves (not must_not ones), weighted by their idf, from the
// query's Weight.
#pragma once

#include "scry/search/weight.h"
#include "scry/snippet/snippet.h"

namespace scry {

// A term met in several leaves (the text and the title field) weighs its
// largest idf; a phrase, the sum of its terms' idf, once.
SnippetQuery snippet_terms(const Weight& weight);

}  // namespace scry
