// scry._scry, the compiled half of the scry package (docs/PYTHON.md): the
// _Index class (index.h), build() (build.h), the pieces of a sharded
// build from several processes (publish.h) and of a search over shards held
// by several processes (cluster.h). The Python half,
// python/scry/, wraps them in the public API.
#include <pybind11/pybind11.h>

#include "build.h"
#include "cluster.h"
#include "index.h"
#include "publish.h"

PYBIND11_MODULE(_scry, module) {
  module.doc() = "scry's library: searching (_Index) and building (build) indexes";
  module.attr("__version__") = SCRY_VERSION;
  scry::python::register_index(module);
  scry::python::register_build(module);
  scry::python::register_publish(module);
  scry::python::register_cluster(module);
}
