#include "publish.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "errors.h"
#include "scry/format/shard_manifest.h"
#include "scry/index/publish.h"

namespace py = pybind11;

namespace scry::python {

namespace {

uint32_t shard_count(int64_t shards) {
  if (shards < 1 || shards > kMaxShards) throw py::value_error("shards: must be from 1 to 256");
  return static_cast<uint32_t>(shards);
}

// An IndexPublisher that Python can release early (close()): the temporary
// folder is removed and the lock released unless commit() succeeded.
class PyPublisher {
 public:
  PyPublisher(const std::string& target, bool wait) {
    PublishOptions options;
    options.wait = wait;
    std::optional<Result<std::unique_ptr<IndexPublisher>>> begun;
    {
      py::gil_scoped_release unlocked;  // begin() may wait for another writer.
      begun.emplace(IndexPublisher::begin(target, options));
    }
    if (!*begun) raise_status("BuildError", begun->status());
    publisher_ = std::move(*begun).value();
  }

  const std::string& temp_dir() { return publisher().temp_dir(); }

  void commit() {
    Status status = publisher().commit();
    if (!status.is_ok()) raise_status("BuildError", status);
  }

  void close() { publisher_.reset(); }

 private:
  IndexPublisher& publisher() {
    if (publisher_ == nullptr) throw py::value_error("publisher closed");
    return *publisher_;
  }

  std::unique_ptr<IndexPublisher> publisher_;
};

}  // namespace

void register_publish(py::module_& module) {
  py::class_<PyPublisher>(module, "_Publisher")
      .def(py::init<const std::string&, bool>(), py::arg("target"), py::arg("wait"))
      .def_property_readonly("temp_dir", &PyPublisher::temp_dir)
      .def("commit", &PyPublisher::commit)
      .def("close", &PyPublisher::close);
  module.def(
      "shard_of",
      [](const std::string& id, int64_t shards) { return shard_of(id, shard_count(shards)); },
      py::arg("id"), py::arg("shards"));
  module.def(
      "write_shard_manifest",
      [](const std::string& dir, int64_t shards) {
        ShardManifest manifest;
        manifest.shards = shard_count(shards);
        Status status = write_shard_manifest(dir, manifest);
        if (!status.is_ok()) raise_status("BuildError", status);
      },
      py::arg("dir"), py::arg("shards"));
}

}  // namespace scry::python
