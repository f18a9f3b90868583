// scry._scry, the compiled half of the scry package (docs/PYTHON.md): the
// _Index class (index.h), build() (build.h) and the pieces of a sharded
// build from several processes (publish.h). The Python half,
// python/scry/, wraps them in the public API.
#include <pybind11/pybind11.h>

#include "build.h"
#include "index.h"
#include "publish.h"

PYBIND11_MODULE(_scry, module) {
  module.doc() = "scry's library: searching (_Index) and building (build) indexes";
  module.attr("__version__") = SCRY_VERSION;
  scry::python::register_index(module);
  scry::python::register_build(module);
  scry::python::register_publish(module);
}
