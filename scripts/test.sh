#!/usr/bin/env bash
# Sets up if needed (Debian packages, Release build with warnings as errors) and runs
# the whole test suite with ctest. CI runs exactly this (.ci/run).
#
#   scripts/test.sh              plain build, every test
#   scripts/test.sh --sanitize   the same suite under AddressSanitizer + UBSan (build-asan/)
#   scripts/test.sh -- -R Csv    extra ctest arguments after --
set -euo pipefail
cd "$(dirname "$0")/.."

setup_args=()
ctest_args=()
build_dir=build
while (($#)); do
  case "$1" in
    --sanitize) setup_args+=(--sanitize); build_dir=build-asan ;;
    --) shift; ctest_args=("$@"); break ;;
    *) echo "test.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

HOTSPOT_CMAKE_ARGS="-DHOTSPOT_WERROR=ON ${HOTSPOT_CMAKE_ARGS:-}" scripts/setup.sh "${setup_args[@]}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" "${ctest_args[@]}"
