// What a hit's snippet highlights: the terms and phrases of a query's
// scoring leaves (not must_not ones), weighted by their idf, from the
// query's Weight.
#pragma once

#include "scry/search/weight.h"
#include "scry/snippet/snippet.h"

namespace scry {

// A term weighs its idf in the text field (the snippet's), or its largest
// idf in the title field when the query asks it there alone (title:word);
// a phrase, the sum of its terms' idf, once, the text field's first.
SnippetQuery snippet_terms(const Weight& weight);

}  // namespace scry
