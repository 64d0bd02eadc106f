#!/usr/bin/env bash
# Benchmarks, each against the peer tool in the same run. Figures are printed as a
# Markdown block for BENCHMARKS.md (with the machine and the date).
#
#   scripts/bench.sh ingest     police.uk ingest: 1M and 6M synthetic rows (England and
#                               Wales extent), hotspot vs ogr2ogr (gdal-bin)
#
# Data is synthesized once into bench-data/ (not committed; about 1.6 GB for 6M rows).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-ingest}
scripts/setup.sh >/dev/null
hotspot=$PWD/build/hotspot
data=$PWD/bench-data
mkdir -p "$data"

# England and Wales, EPSG:27700 metres.
EW_BBOX=130000,10000,640000,660000

machine() {
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM," \
       "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(. /etc/os-release; echo "$PRETTY_NAME")."
  echo "Date: $(date -u +%Y-%m-%d). Commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)."
}

# police.uk-format rows over England and Wales: 750,000 anonymous map points as
# police.uk has, each crime snapped to one (so coordinates repeat as in real data).
synth() {  # rows file
  local rows=$1 file=$2
  [ -s "$file" ] && return 0
  echo "synthesizing $rows police.uk rows into $file ..." >&2
  "$hotspot" synth --bbox "$EW_BBOX" --rows "$rows" --months 2023-01:2023-12 --seed 20231 \
    --map-points 750000 --snap --force "Synthetic Constabulary" --out "$file" --quiet
}

json_field() {  # file jq-like path (a.b.c)
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split('.'):
    v = v[k]
print(v)
PY
}

peak_rss_kb() {  # command... -> prints max RSS of the command in KiB
  /usr/bin/time -f '%M' -o "$data/.rss" "$@" >/dev/null 2>&1 || return 1
  cat "$data/.rss"
}

bench_ingest() {
  command -v ogr2ogr >/dev/null || { echo "bench: ogr2ogr (gdal-bin) missing" >&2; exit 1; }
  [ -x /usr/bin/time ] || { echo "bench: installing GNU time" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
  synth 1000000 "$data/ew-1m.csv"
  synth 6000000 "$data/ew-6m.csv"
  # Warm the page cache so both tools read from memory.
  cat "$data/ew-1m.csv" "$data/ew-6m.csv" >/dev/null

  echo "## Ingest (scripts/bench.sh ingest)"
  echo
  machine
  echo
  # (a) parse + transform to EPSG:27700 + categorise into the IncidentTable, nothing
  # written (--check): rows/s from the --json timings, peak RSS from GNU time.
  echo "(a) read only: \`hotspot ingest FILE --check --json\` (both cores)"
  echo
  echo "| rows | read+transform+categorise | rows/s | peak RSS | table | cache misses |"
  echo "|---:|---:|---:|---:|---:|---:|"
  for n in 1m 6m; do
    /usr/bin/time -f '%M' -o "$data/c-$n.rss" "$hotspot" ingest "$data/ew-$n.csv" --check --json --quiet >"$data/c-$n.json"
    /usr/bin/python3 - "$data/c-$n.json" "$(cat "$data/c-$n.rss")" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); rss = int(sys.argv[2]) * 1024
rows = j['counts']['read']; t = j['timings']['read_s']
print(f"| {rows:,} | {t:.2f} s | **{rows/t/1e6:.2f} M** | {rss/2**20:.0f} MiB | {j['memory']['table_bytes']/2**20:.0f} MiB | {j['transform']['cache_misses']:,} |")
PY
  done
  /usr/bin/python3 - "$(cat "$data/c-1m.rss")" "$(cat "$data/c-6m.rss")" <<'PY'
import sys
# What each extra row costs beyond the fixed buffers: (RSS(6M) - RSS(1M)) / 5M rows.
# (The fixed part includes each worker's transform cache, bounded at 64 MiB, which
# grows between 1M and 6M rows: the figure is an upper bound on the per-row cost.)
r1, r6 = int(sys.argv[1]) * 1024, int(sys.argv[2]) * 1024
print()
print(f"Memory: (peak RSS 6M - peak RSS 1M) / 5M rows = **{(r6 - r1) / 5e6:.1f} bytes per row** (budget 48; the IncidentTable itself is 38).")
PY
  echo
  # (b) the whole job: read, write the GeoPackage (streamed while reading), index.
  echo "(b) whole job: \`hotspot ingest FILE --out x.gpkg\`"
  echo
  echo "| rows | total | peak RSS |"
  echo "|---:|---:|---:|"
  for n in 1m 6m; do
    rm -f "$data/h-$n.gpkg"
    /usr/bin/time -f '%M' -o "$data/.rss" "$hotspot" ingest "$data/ew-$n.csv" --out "$data/h-$n.gpkg" \
      --json --quiet >"$data/h-$n.json"
    /usr/bin/python3 - "$data/h-$n.json" "$(cat "$data/.rss")" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); rss = int(sys.argv[2]) * 1024
print(f"| {j['counts']['read']:,} | {j['timings']['total_s']:.2f} s | {rss/2**20:.0f} MiB |")
PY
  done
  echo
  # The peer: ogr2ogr reading the same CSV as points (WGS84) and writing a GeoPackage
  # in EPSG:27700 with its spatial index, as GDAL does by default.
  rm -f "$data/o-1m.gpkg"
  local o0 o1
  o0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$data/.rss" ogr2ogr -f GPKG -s_srs EPSG:4326 -t_srs EPSG:27700 \
    -oo X_POSSIBLE_NAMES=Longitude -oo Y_POSSIBLE_NAMES=Latitude -oo KEEP_GEOM_COLUMNS=NO \
    -nln incidents "$data/o-1m.gpkg" "$data/ew-1m.csv"
  o1=$(date +%s.%N)
  local orss
  orss=$(cat "$data/.rss")
  local ofeatures
  ofeatures=$(ogrinfo -ro -so "$data/o-1m.gpkg" incidents | awk -F: '/Feature Count/ {gsub(/ /,"",$2); print $2}')
  /usr/bin/python3 - "$o0" "$o1" "$orss" "$ofeatures" "$data/h-1m.json" <<'PY'
import json, sys
o0, o1, orss, feats, hj = sys.argv[1:]
o = float(o1) - float(o0)
h = json.load(open(hj))
ht = h['timings']['total_s']
print("| peer | features | time | peak RSS |")
print("|---|---:|---:|---:|")
print(f"| ogr2ogr -f GPKG -s_srs EPSG:4326 -t_srs EPSG:27700 (1M rows, X/Y from Longitude/Latitude) | {int(feats):,} | {o:.2f} s | {int(orss)/1024:.0f} MiB |")
print(f"| hotspot ingest 1M.csv --out x.gpkg | {h['counts']['accepted']:,} | {ht:.2f} s | |")
print()
print(f"Ratio ogr2ogr / hotspot on 1M rows: **{o/ht:.1f}x** (target >= 10x).")
PY
}

case "$what" in
  ingest) bench_ingest ;;
  *) echo "bench.sh: unknown benchmark '$what' (known: ingest)" >&2; exit 2 ;;
esac
