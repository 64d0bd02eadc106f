#!/usr/bin/env bash
# Installs what Hotspot needs from Debian (only the missing packages; as root or via
# sudo) and builds it. Idempotent: a second run only rebuilds what changed.
#
#   scripts/setup.sh              Release build in build/  (the hotspot command: build/hotspot)
#   scripts/setup.sh --sanitize   AddressSanitizer + UBSan build in build-asan/
#
# Extra CMake arguments: HOTSPOT_CMAKE_ARGS="-DHOTSPOT_WERROR=ON" scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=Release)
for arg in "$@"; do
  case "$arg" in
    --sanitize) build_dir=build-asan; cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOTSPOT_SANITIZE=ON) ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

# Build and test dependencies, all from Debian 12.
packages=(
  build-essential cmake ninja-build pkg-config
  libgdal-dev gdal-bin libgeos-dev libproj-dev proj-bin proj-data libsqlite3-dev sqlite3
  libboost-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libimgui-dev libstb-dev libglfw3-dev libgl-dev fonts-dejavu-core xvfb xauth libgl1-mesa-dri
  postgresql postgresql-15-postgis-3   # PostGIS export tests (a throw-away local server)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup.sh: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  for attempt in 1 2 3; do
    if $sudo apt-get update -qq && \
       DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
      break
    fi
    [ "$attempt" -eq 3 ] && { echo "setup.sh: apt-get failed" >&2; exit 1; }
    sleep 5
  done
fi

# shellcheck disable=SC2086
cmake -S . -B "$build_dir" -G Ninja "${cmake_args[@]}" ${HOTSPOT_CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
echo "setup.sh: built $build_dir/hotspot"
