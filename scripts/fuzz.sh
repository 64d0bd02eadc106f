#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, ASan + UBSan) and runs each for a bounded
# time with seed corpora made from tests/fixtures. Not part of CI (it needs minutes per
# target); run it before a release and after touching a parser.
#
#   scripts/fuzz.sh                 60 s per target, every target, one at a time
#   scripts/fuzz.sh 600             ten minutes per target
#   scripts/fuzz.sh 600 fuzz_csv    one target
#   FUZZ_JOBS=2 scripts/fuzz.sh 600 two targets at a time (nice'd)
#   HOTSPOT_FUZZ_BUILD=build-h3-fuzz scripts/fuzz.sh ...   another build folder
#   FUZZ_NO_BUILD=1 ...             run what is built, do not call ninja
#   FUZZ_MAX_LEN=4096 ...           shorter inputs, many more per second (default 65536)
#
# The corpora grow in $BUILD/corpus/<target>/ across runs; a crash leaves its input in
# $BUILD/artifacts/<target>/ (reproduce: $BUILD/fuzz/<target> FILE) and makes the
# script fail. Turn every crash into a regression test (tests/layers/robustness/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(fuzz_csv fuzz_address fuzz_osgrid fuzz_study)
build=${HOTSPOT_FUZZ_BUILD:-build-fuzz}
jobs=${FUZZ_JOBS:-1}
cc=$(command -v clang || command -v clang-14 || true)
cxx=$(command -v clang++ || command -v clang++-14 || true)
if [[ -z $cc || -z $cxx ]]; then
  echo "fuzz.sh: clang is needed: sudo apt-get install -y clang" >&2
  exit 2
fi

if [[ ! -f $build/build.ninja ]]; then
  CC=$cc CXX=$cxx cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHOTSPOT_FUZZ=ON -DHOTSPOT_BUILD_TESTS=OFF -DHOTSPOT_BUILD_VIEWER=OFF \
    $(command -v ccache >/dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# FUZZ_NO_BUILD=1: use the executables as they are (another build is running there).
[[ ${FUZZ_NO_BUILD:-0} == 1 ]] || nice ninja -C "$build" -j"$(nproc)" "${targets[@]}"

# Seed corpora: small real files and the bad-input corpus, refreshed every run.
seed() {  # seed TARGET FILE [PREFIX-BYTE]
  local dir=$build/corpus/$1 name
  mkdir -p "$dir"
  name=$(basename "$2")${3:+-$(printf '%s' "$3" | tr -dc '0-9')}
  if [[ -n ${3:-} ]]; then { printf "$3"; head -c 65536 "$2"; } > "$dir/seed-$name"
  else head -c 65536 "$2" > "$dir/seed-$name"; fi
}
for f in tests/fixtures/police-uk/*.csv tests/fixtures/geocode/*.csv tests/fixtures/bad/*.csv \
         tests/fixtures/bad/*.txt tests/fixtures/evaluate/*.csv; do
  [[ -f $f ]] || continue
  seed fuzz_csv "$f" '\000'
  seed fuzz_csv "$f" '\010'   # with a 64-byte record limit
done
i=0
while IFS= read -r line && ((i < 300)); do
  mkdir -p "$build/corpus/fuzz_address"
  printf '%s' "$line" > "$build/corpus/fuzz_address/seed-$i"
  i=$((i + 1))
done < <(cut -d, -f2- tests/fixtures/geocode/messy.csv tests/fixtures/geocode/gazetteer.csv | head -300)
mkdir -p "$build/corpus/fuzz_osgrid"
for g in "SK" "SK 52 58" "SK5258" "sk 5123 5876" "SK 51234 58765" "SK5123458765" "NN 166 712" \
         "TG 51409 13177" "HP 1 2" "SV0000000000" " SK 5 2 5 8" "IX 1234" "XX"; do
  printf '%s' "$g" > "$build/corpus/fuzz_osgrid/seed-$(printf '%s' "$g" | md5sum | cut -c1-8)"
done
for f in data/ashfield/study.toml tests/fixtures/bad/*.toml; do
  [[ -f $f ]] && seed fuzz_study "$f"
done

status=0
run_one() {
  local t=$1
  mkdir -p "$build/artifacts/$t" "$build/corpus/$t"
  echo "== $t: ${seconds}s" >&2
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a memory blow-up.
  nice "$build/fuzz/$t" "$build/corpus/$t" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-65536}" -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t/" > "$build/artifacts/$t.log" 2>&1
}
pids=()
names=()
for t in "${targets[@]}"; do
  run_one "$t" & pids+=($!); names+=("$t")
  if ((${#pids[@]} >= jobs)); then
    wait "${pids[0]}" || { echo "fuzz.sh: ${names[0]}: crash, see $build/artifacts/${names[0]}.log" >&2; status=1; }
    pids=("${pids[@]:1}"); names=("${names[@]:1}")
  fi
done
for k in "${!pids[@]}"; do
  wait "${pids[$k]}" || { echo "fuzz.sh: ${names[$k]}: crash, see $build/artifacts/${names[$k]}.log" >&2; status=1; }
done
for t in "${targets[@]}"; do
  grep -h "stat::number_of_executed_units\|stat::average_exec_per_sec\|stat::peak_rss_mb" "$build/artifacts/$t.log" | sed "s/^/$t: /" >&2 || true
done
exit $status
