// scry._scry's pieces for writing a sharded index from several processes
// (scry.cluster, docs/DISTRIBUTED.md): _Publisher, an IndexPublisher held
// by the coordinator (the target's lock, a temporary folder beside it into
// which the workers build the shards, one atomic commit), shard_of() (the
// routing of scry-index --shards) and write_shard_manifest() (SHARDS).
//
// Thread safety: a _Publisher is used by one thread (the coordinator's).
#pragma once

#include <pybind11/pybind11.h>

namespace scry::python {

// Registers _Publisher(target, wait) (.temp_dir, .commit(), .close()),
// shard_of(id, shards) and write_shard_manifest(dir, shards) in `module`.
// Failures raise BuildError with the library's message; a shard count
// outside 1..256 raises ValueError.
void register_publish(pybind11::module_& module);

}  // namespace scry::python
