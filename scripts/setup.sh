#!/usr/bin/env bash
# Installs what scry needs from Debian's packages (only what is missing) and
# builds it with CMake.
#
#   scripts/setup.sh BUILD_DIR [cmake options...]
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-program-options-dev libzstd-dev libxxhash-dev catch2 libbenchmark-dev
  libutf8proc-dev libstemmer-dev libedit-dev libsimdjson-dev libstreamvbyte-dev zstd time
  # The static archives the programs link (SCRY_STATIC_LINK) come with the -dev packages
  # above, libedit's (libtinfo.a, libbsd.a, libmd.a) with these, which libedit-dev needs.
  libncurses-dev libbsd-dev libmd-dev
  python3-xapian clang clang-tidy clang-format man-db groff-base
  python3-dev pybind11-dev python3-pybind11 python3-pytest  # The Python package (docs/PYTHON.md), for /usr/bin/python3
  python3-distributed  # scry.cluster on Dask (docs/DISTRIBUTED.md)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_dir=$1
shift
# Ninja for a new build folder: it compiles a target's files while the
# libraries they link are still being built, where Make waits for them.
# A folder that CMake already configured keeps its generator.
generator=()
[ -f "$build_dir/CMakeCache.txt" ] || generator=(-G Ninja)
cmake -S "$(dirname "$0")/.." -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
