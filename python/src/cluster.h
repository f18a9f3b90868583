// scry._scry's pieces of a search over shards held by different processes
// (scry.cluster search, docs/DISTRIBUTED.md, "Search"): _Shard, one shard
// opened by a worker, answering the three steps of a dfs_query_then_fetch
// (Engine::record_statistics, search_shard, fetch_hits); and, for the
// coordinator, the sum of the shards' statistics, merge_top_k, and
// scry-search's own formatting (searcher/output.h) and option parsing
// (searcher/cli.h), so that the answers are printed byte for byte as
// scry-search prints them.
//
// Values cross processes as plain Python values: statistics as the bytes
// of encode_snapshot, hits as tuples, text (queries, ids, titles,
// snippets) as bytes, exactly as the library holds it. Options are a dict
// (query_options below). A step's failure is returned, not raised (Dask
// sends it back as a value): each step's result begins with `error`,
// None or (kind, message, position, reason), kind "syntax" (the query does
// not parse: the message as scry-search prints it, the byte position and
// the bare reason), "cancelled" (past its time limit) or "error".
//
// Thread safety: a _Shard's methods release the GIL while the library
// works and run one at a time (an Engine is not thread-safe); the
// functions are pure.
#pragma once

#include <pybind11/pybind11.h>

namespace scry::python {

// Registers _Shard(path) (.statistics, .search, .fetch), shard_paths,
// sum_statistics, merge_top_k, format_answer, format_count, format_no_terms,
// format_json_error, caret_message, query_column, parse_hits and parse_real
// in `module`.
void register_cluster(pybind11::module_& module);

}  // namespace scry::python
