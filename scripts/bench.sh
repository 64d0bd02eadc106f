#!/usr/bin/env bash
# Benchmarks, each against the peer tool in the same run. Figures are printed as a
# Markdown block for BENCHMARKS.md (with the machine and the date).
#
#   scripts/bench.sh ingest     police.uk ingest: 1M and 6M synthetic rows (England and
#                               Wales extent), hotspot vs ogr2ogr (gdal-bin)
#   scripts/bench.sh stats      Gi* (1M and 100k cells, 250 m band on 50 m cells), 999
#                               permutations on 100k cells, KDE of 1M points over Ashfield,
#                               all through `hotspot stat` (phase wall + CPU from --json);
#                               vs spdep::localG / localG_perm (r-cran-spdep) and QGIS
#                               Heatmap (qgis_process.bin) where installed
#   scripts/bench.sh spacetime  emerging hot spots on 99,856 cells x 36 months; near repeat
#                               on 50,000 burglaries with 999 iterations (500 m and 1 km
#                               bands) vs the same Knox test in Python (scipy/numpy)
#   scripts/bench.sh evaluate   before/after evaluation: 1,000 interventions (sites drawn from
#                               the incidents) over the 6M-row file, hotspot evaluate
#                               --incidents ... --before 3 --after 3 (rest-of-data control)
#   scripts/bench.sh geocode    1M messy addresses against a 100k-address synthetic gazetteer
#                               plus all NG postcodes (Code-Point Open, ../shared/data)
#   scripts/bench.sh pip        6M points (the ingest 6M file) into ~7,000 polygons over
#                               England and Wales: hotspot geocode --lon/--lat --areas vs
#                               geopandas sjoin (python3-geopandas, installed if missing)
#   scripts/bench.sh e2e        hotspot run on a national study: 6M incidents (the ingest 6M
#                               file), 250 m cells, Gi* + KDE + ranking + GeoJSON of the
#                               significant cells (first run, then the cached rerun)
#
# Data is synthesized once into bench-data/ (not committed; about 1.6 GB for 6M rows).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-ingest}
# HOTSPOT_BIN=path/to/hotspot benchmarks an existing build (no setup.sh, no build/).
if [ -n "${HOTSPOT_BIN:-}" ]; then
  hotspot=$(realpath "$HOTSPOT_BIN")
else
  scripts/setup.sh >/dev/null
  hotspot=$PWD/build/hotspot
fi
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

# Statistics through the hotspot command (per-phase wall and CPU timings from its
# --json; GNU time for the whole process), on generated inputs kept in bench-data/:
# a 1,000 x 1,000 grid of 50 m cells (Poisson(2) counts, x,y,count CSV: the lattice
# is detected, so the 250 m band is applied as a stencil), a 316 x 316 grid, and 1M
# points over Ashfield's extent (half uniform, half in 20 clusters).
stats_grid() {  # side file seed
  [ -s "$2" ] && return 0
  /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import sys, numpy as np
side, out, seed = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rng = np.random.default_rng(seed)
c, r = np.meshgrid(np.arange(side), np.arange(side))
x = 400025 + 50 * c.ravel(); y = 300025 + 50 * r.ravel()
v = rng.poisson(2.0, side * side)
np.savetxt(out, np.column_stack([x, y, v]), fmt="%d", delimiter=",", header="x,y,count", comments="")
PY
}

# Prints "wall cpu" of a phase from a --json summary (keys: timings.K, cpu_timings.K).
phase() {  # json key
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); k = sys.argv[2]
print(sum(j["timings"][p] for p in k.split("+")), sum(j["cpu_timings"][p] for p in k.split("+")))
PY
}

bench_stats() {
  [ -x /usr/bin/time ] || { echo "bench: installing GNU time" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
  local d=$data/stats
  mkdir -p "$d"
  stats_grid 1000 "$d/grid-1m.csv" 1
  stats_grid 316 "$d/grid-100k.csv" 2
  if [ ! -s "$d/kde-1m.csv" ]; then
    /usr/bin/python3 - "$d/kde-1m.csv" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(4)
n = 500000
ux, uy = rng.uniform(444000, 457000, n), rng.uniform(344000, 362000, n)
c = np.arange(n) % 20
cx, cy = 445000 + 600 * c + rng.normal(0, 300, n), 345000 + 800 * c + rng.normal(0, 300, n)
x = np.empty(2 * n); y = np.empty(2 * n)
x[0::2], y[0::2], x[1::2], y[1::2] = cx, cy, ux, uy
np.savetxt(sys.argv[1], np.column_stack([x, y]), fmt="%.2f", delimiter=",", header="x,y", comments="")
PY
  fi
  echo "## Spatial statistics (scripts/bench.sh stats)"
  echo
  machine
  echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  # hotspot: each command once, its --json has wall and CPU seconds per phase.
  /usr/bin/time -f '%e %U %S' -o "$d/gi1m.time" "$hotspot" stat gistar "$d/grid-1m.csv" --value count \
    --distance 250 --out "$d/gi1m-out.csv" --json --quiet >"$d/gi1m.json"
  /usr/bin/time -f '%e %U %S' -o "$d/gi100k.time" "$hotspot" stat gistar "$d/grid-100k.csv" --value count \
    --distance 250 --out "$d/gi100k-out.csv" --json --quiet >"$d/gi100k.json"
  /usr/bin/time -f '%e %U %S' -o "$d/perm.time" "$hotspot" stat gistar "$d/grid-100k.csv" --value count \
    --distance 250 --permutations 999 --seed 7 --fdr --out "$d/perm-out.csv" --json --quiet >"$d/perm.json"
  /usr/bin/time -f '%e %U %S' -o "$d/kde.time" "$hotspot" stat kde "$d/kde-1m.csv" --radius 500 --cell 50 \
    --extent 444000,344000,457000,362000 --out "$d/kde-1m.tif" --json --quiet >"$d/kde.json"
  # Peers on the same inputs, where installed.
  local r_gi=NA r_perm=NA q_kde=NA
  if command -v Rscript >/dev/null && Rscript -e 'library(spdep)' >/dev/null 2>&1; then
    r_gi=$(Rscript -e 'suppressPackageStartupMessages(library(spdep));
      d <- read.csv(commandArgs(TRUE)[1]); xy <- as.matrix(d[, c("x", "y")]); t0 <- Sys.time();
      lw <- nb2listw(include.self(dnearneigh(xy, 0, 250)), style = "B"); g <- localG(d$count, lw);
      cat(as.numeric(Sys.time() - t0, units = "secs"))' "$d/grid-100k.csv" 2>/dev/null || echo NA)
    r_perm=$(Rscript -e 'suppressPackageStartupMessages(library(spdep)); set.seed(1);
      d <- read.csv(commandArgs(TRUE)[1]); d <- d[d$x < 400025 + 50 * 100 & d$y < 300025 + 50 * 100, ];
      lw <- nb2listw(include.self(dnearneigh(as.matrix(d[, c("x", "y")]), 0, 250)), style = "B"); t0 <- Sys.time();
      g <- localG_perm(d$count, lw, nsim = 999); cat(as.numeric(Sys.time() - t0, units = "secs"))' \
      "$d/grid-100k.csv" 2>/dev/null || echo NA)
  fi
  if command -v qgis_process.bin >/dev/null; then
    [ -s "$d/kde-1m.gpkg" ] || ogr2ogr -f GPKG "$d/kde-1m.gpkg" "$d/kde-1m.csv" -oo X_POSSIBLE_NAMES=x \
      -oo Y_POSSIBLE_NAMES=y -a_srs EPSG:27700 -nln points
    local q0 q1
    q0=$(date +%s.%N)
    if QT_QPA_PLATFORM=offscreen qgis_process.bin run qgis:heatmapkerneldensityestimation -- \
      INPUT="$d/kde-1m.gpkg|layername=points" RADIUS=500 PIXEL_SIZE=50 KERNEL=0 OUTPUT_VALUE=0 \
      OUTPUT="$d/kde-1m-qgis.tif" >/dev/null 2>&1; then
      q1=$(date +%s.%N)
      q_kde=$(/usr/bin/python3 -c "print($q1 - $q0)")
    fi
  fi
  /usr/bin/python3 - "$d" "$r_gi" "$r_perm" "$q_kde" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
d, r_gi, r_perm, q_kde, load = sys.argv[1:]
f = lambda s: float(s) if s not in ("", "NA") else None
J = lambda n: json.load(open(f"{d}/{n}.json"))
def T(n):
    wall, user, sys_ = open(f"{d}/{n}.time").read().split()
    return float(wall), float(user) + float(sys_)
def ph(j, keys):
    return sum(j["timings"][k] for k in keys), sum(j["cpu_timings"][k] for k in keys)
def ratio(peer, ours):
    return f"**{peer / ours:.0f}x**" if peer and ours else "n/a"
g1, g100, pm, kd = J("gi1m"), J("gi100k"), J("perm"), J("kde")
print("Times are wall seconds of the phase (from `--json` timings) with its CPU seconds (user + sys, all")
print("threads) in brackets; the whole command (read CSV, write CSV/GeoTIFF) under GNU time.")
print()
print("| benchmark | hotspot: phase wall (CPU) | whole command wall (CPU) | target | peer (same run) | ratio |")
print("|---|---:|---:|---:|---:|---:|")
w, c = ph(g1, ["weights_s", "gistar_s"]); ww, wc = T("gi1m")
print(f"| Gi*, 1,000 x 1,000 cells, 250 m band on 50 m cells ({g1['weights']['max_neighbours']} neighbours): weights + Gi* "
      f"| **{w:.3f} s** ({c:.3f} s) | {ww:.2f} s ({wc:.2f} s) | <= 0.2 s | | |")
w100, c100 = ph(g100, ["weights_s", "gistar_s"]); ww, wc = T("gi100k")
pg = f(r_gi)
print(f"| Gi*, 316 x 316 = {g100['features']:,} cells, same band: weights + Gi* | {w100:.3f} s ({c100:.3f} s) | {ww:.2f} s ({wc:.2f} s) | "
      f"| " + (f"spdep dnearneigh + localG: {pg:.1f} s | {ratio(pg, w100)} |" if pg else "spdep not installed | |"))
w, c = ph(pm, ["permutations_s"]); ww, wc = T("perm")
pp = f(r_perm)
print(f"| 999 permutations, {pm['features']:,} cells (both cores) | **{w:.2f} s** ({c:.2f} s) | {ww:.2f} s ({wc:.2f} s) | <= 5 s | "
      + (f"spdep localG_perm, 10,000 cells: {pp:.1f} s | {ratio(pp / 10000, w / pm['features'])} per cell |" if pp else "spdep not installed | |"))
w, c = ph(kd, ["compute_s"]); ww, wc = T("kde")
pq = f(q_kde)
print(f"| KDE, {kd['points']:,} points, Ashfield extent, 50 m cells ({kd['columns']} x {kd['rows']}), 500 m quartic | **{w:.3f} s** ({c:.3f} s) | "
      f"{ww:.2f} s ({wc:.2f} s) | <= 1 s | " + (f"QGIS Heatmap (qgis_process.bin, whole run): {pq:.1f} s | {ratio(pq, ww)} whole command |" if pq else "QGIS not installed | |"))
print()
print(f"Load average after: {load}. On a loaded machine the wall times are inflated; the CPU seconds are")
print("the cost of the work (divide by the 2 cores for the wall time on a quiet machine when the phase is parallel).")
PY
}

# Space-time analyses through the hotspot command. EHSA: 1.2M incidents (x, y,
# month) over a 15.8 km square (316 x 316 = 99,856 cells of 50 m) and 36 months,
# with a block of cells rising over time; 250 m band, one month back, entire cube.
# Near repeat: 50,000 burglaries in one year over a 45 x 45 km force area (60% in
# 12 towns, 40% spread out; 8% planted near repeats within 200 m and 14 days of an
# earlier one), Manhattan distance, 999 iterations.
bench_spacetime() {
  [ -x /usr/bin/time ] || { echo "bench: installing GNU time" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
  local d=$data/spacetime
  mkdir -p "$d"
  if [ ! -s "$d/ehsa-incidents.csv" ]; then
    /usr/bin/python3 - "$d/ehsa-incidents.csv" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(5)
side, months = 316, 36
rows = []
for t in range(months):
    n = rng.poisson(side * side * 1.0 / 3)  # ~1/3 incident per cell and month
    x = rng.uniform(400000, 400000 + 50 * side, n); y = rng.uniform(300000, 300000 + 50 * side, n)
    # A 40 x 40 cell block (2 km square) rising from 0 to 1 extra incident per cell and month.
    m = rng.poisson(1600 * t / months)
    bx = rng.uniform(406000, 408000, m); by = rng.uniform(310000, 312000, m)
    x = np.concatenate([x, bx]); y = np.concatenate([y, by])
    rows.append(np.column_stack([x, y, np.full(len(x), t)]))
a = np.vstack(rows)
with open(sys.argv[1], "w") as f:
    f.write("x,y,month\n")
    for x, y, t in a:
        f.write(f"{x:.1f},{y:.1f},{2021 + int(t) // 12}-{int(t) % 12 + 1:02d}\n")
PY
  fi
  if [ ! -s "$d/burglaries-50k.csv" ]; then
    /usr/bin/python3 - "$d/burglaries-50k.csv" <<'PY'
import sys, datetime, numpy as np
rng = np.random.default_rng(2024)
n, x0, y0, side = 50000, 430000, 330000, 45000
towns = rng.uniform([x0 + 3000, y0 + 3000], [x0 + side - 3000, y0 + side - 3000], (12, 2))
sd = rng.uniform(1200, 3000, 12)
base = int(n * 0.92)
k = rng.integers(0, 12, base)
town = rng.random(base) < 0.6
x = np.where(town, towns[k, 0] + rng.normal(0, 1, base) * sd[k], rng.uniform(x0, x0 + side, base))
y = np.where(town, towns[k, 1] + rng.normal(0, 1, base) * sd[k], rng.uniform(y0, y0 + side, base))
day = rng.integers(0, 365, base)
rep = n - base  # near repeats: within 200 m and 1-14 days after an earlier burglary
src = rng.integers(0, base, rep)
ang, rad = rng.uniform(0, 2 * np.pi, rep), 200 * np.sqrt(rng.random(rep))
x = np.concatenate([x, x[src] + rad * np.cos(ang)]); y = np.concatenate([y, y[src] + rad * np.sin(ang)])
day = np.concatenate([day, np.minimum(364, day[src] + rng.integers(1, 15, rep))])
d0 = datetime.date(2023, 1, 1)
with open(sys.argv[1], "w") as f:
    f.write("x,y,date\n")
    for a, b, t in zip(x, y, day):
        f.write(f"{a:.0f},{b:.0f},{d0 + datetime.timedelta(days=int(t))}\n")
PY
  fi
  echo "## Space-time analyses (scripts/bench.sh spacetime)"
  echo
  machine
  echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  /usr/bin/time -f '%e %U %S' -o "$d/ehsa.time" "$hotspot" stat emerging "$d/ehsa-incidents.csv" --x x --y y \
    --date month --cell 50 --distance 250 --out "$d/ehsa-out.csv" --json --quiet >"$d/ehsa.json"
  local reach
  for reach in 500 1000; do
    local bands
    bands=$(/usr/bin/python3 -c "print(','.join(str(e) for e in range(100, $reach + 1, 100)))")
    /usr/bin/time -f '%e %U %S' -o "$d/nr$reach.time" "$hotspot" stat near-repeat "$d/burglaries-50k.csv" --x x --y y \
      --date date --space-bands "$bands" --time-bands 7,14,21,28 --iterations 999 --seed 1 \
      --out "$d/nr$reach-out.csv" --json --quiet >"$d/nr$reach.json"
  done
  # Peer: the same Knox test in Python (scipy cKDTree pairs, numpy per iteration),
  # 99 iterations timed and scaled to 999 (there is no scriptable Near Repeat
  # Calculator: it is a Windows GUI). For EHSA no peer is installed (R sfdep, ArcGIS).
  local py_nr=NA
  if /usr/bin/python3 -c 'import scipy, numpy' 2>/dev/null; then
    py_nr=$(/usr/bin/python3 - "$d/burglaries-50k.csv" <<'PY'
import sys, time, numpy as np
from scipy.spatial import cKDTree
d = np.genfromtxt(sys.argv[1], delimiter=",", names=True, dtype=None, encoding="utf-8")
xy = np.column_stack([d["x"], d["y"]]).astype(float)
day = np.array([np.datetime64(s) for s in d["date"]]).astype("datetime64[D]").astype(np.int64)
t0 = time.time()
pairs = cKDTree(xy).query_pairs(500, p=1, output_type="ndarray")
dist = np.abs(xy[pairs[:, 0]] - xy[pairs[:, 1]]).sum(1)
sb = np.searchsorted([0, 100, 200, 300, 400, 500], dist, side="left")
te = np.array([7, 14, 21, 28])
rng = np.random.default_rng(1)
R = 99
for r in range(R + 1):
    dd = day if r == 0 else rng.permutation(day)
    tb = np.searchsorted(te, np.abs(dd[pairs[:, 0]] - dd[pairs[:, 1]]), side="left")
    np.bincount(sb * 5 + tb, minlength=6 * 5)
t1 = time.time()
print((t1 - t0) / (R + 1) * 1000)  # seconds for 999 iterations, scaled
PY
)
  fi
  /usr/bin/python3 - "$d" "$py_nr" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
d, py_nr, load = sys.argv[1:]
J = lambda n: json.load(open(f"{d}/{n}.json"))
def T(n):
    wall, user, sys_ = open(f"{d}/{n}.time").read().split()
    return float(wall), float(user) + float(sys_)
e = J("ehsa"); ew, ec = T("ehsa")
print("| benchmark | hotspot: analysis wall (CPU) | whole command wall (CPU) | target | peer (same run) | ratio |")
print("|---|---:|---:|---:|---:|---:|")
a, c = e["timings"]["analysis_s"], e["cpu_timings"]["analysis_s"]
print(f"| Emerging hot spots, {e['cells']:,} cells x {e['periods']} months ({e['incidents']:,} incidents), 250 m band, 1 month back "
      f"| **{a:.2f} s** ({c:.2f} s) | {ew:.2f} s ({ec:.2f} s) | <= 3 s | no peer installed (sfdep, ArcGIS) | |")
for reach in (500, 1000):
    n = J(f"nr{reach}"); nw, nc = T(f"nr{reach}")
    a, c = n["timings"]["analysis_s"], n["cpu_timings"]["analysis_s"]
    peer = f"Python scipy/numpy Knox, 999 iterations (scaled from 99): {float(py_nr):.1f} s" if reach == 500 and py_nr not in ("", "NA") else ""
    rat = f"**{float(py_nr) / a:.0f}x**" if peer else ""
    print(f"| Near repeat, {n['incidents']:,} burglaries, bands to {reach} m x 28 days, 999 iterations ({n['close_pairs']:,} pairs within {reach} m) "
          f"| **{a:.2f} s** ({c:.2f} s) | {nw:.2f} s ({nc:.2f} s) | <= 10 s | {peer} | {rat} |")
print()
cats = e.get("categories", {})
if cats:
    top = ", ".join(f"{k} {v:,}" for k, v in sorted(cats.items(), key=lambda kv: -kv[1])[:5])
    print(f"EHSA categories: {top}.")
print(f"Load average after: {load}. Wall times are inflated on a loaded machine; CPU seconds (user + sys, all threads) are the cost of the work.")
PY
}

bench_evaluate() {
  [ -x /usr/bin/time ] || { echo "bench: installing GNU time" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
  synth 6000000 "$data/ew-6m.csv"
  # 1,000 sites where crimes happen: every 6,000th incident's location, types and
  # go-live months (2023-04 .. 2023-10) in rotation. Deterministic.
  local iv="$data/interventions-1000.csv"
  if [ ! -s "$iv" ]; then
    awk -F, 'BEGIN { split("cctv street_lighting alleygate alleyway_closure safe_space target_hardening other", t, " ");
                     print "id,type,name,start,lon,lat" }
             NR > 1 && (NR - 1) % 6000 == 0 { k = (NR - 1) / 6000;
               printf "S%04d,%s,Site %d,2023-%02d,%s,%s\n", k, t[(k % 7) + 1], k, 4 + (k % 7), $5, $6 }' \
      "$data/ew-6m.csv" >"$iv"
  fi
  cat "$data/ew-6m.csv" >/dev/null  # warm the page cache
  echo "## Evaluate (scripts/bench.sh evaluate)"
  echo
  machine
  echo
  echo "\`hotspot evaluate --incidents ew-6m.csv --interventions interventions-1000.csv --before 3 --after 3 --out DIR --json\`"
  echo "(both cores; targets and buffers of every site, control = every incident outside them)"
  echo
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M %U %S' -o "$data/evaluate.time" "$hotspot" evaluate --incidents "$data/ew-6m.csv" --interventions "$iv" \
    --before 3 --after 3 --out "$data/evaluate-out" --json --quiet >"$data/evaluate.json"
  t1=$(date +%s.%N)
  /usr/bin/python3 - "$data/evaluate.json" "$(cat "$data/evaluate.time")" "$t0" "$t1" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
rss_kb, user_s, sys_s = sys.argv[2].split()
rss = int(rss_kb) * 1024
wall = float(sys.argv[4]) - float(sys.argv[3])
t = j['timings']; c = j['counts']
print("| interventions | evaluated | incidents read | in windows | read | evaluate (geometry + locate + measures) | write | whole command | peak RSS |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
print(f"| {j['interventions']:,} | {j['evaluated']:,} | {j['ingest']['accepted']:,} | {c['incidents_considered']:,} | "
      f"{j['ingest']['seconds']:.2f} s | **{t['evaluate_s']:.2f} s** ({t['geometry_s']:.2f} + {t['locate_s']:.2f} + "
      f"{t['measures_s']:.2f}) | {t['write_s']:.2f} s | {wall:.2f} s | {rss/2**20:.0f} MiB |")
print()
print(f"Evaluation of 1,000 interventions over {j['ingest']['accepted']/1e6:.0f}M incidents: **{t['evaluate_s']:.2f} s** (target <= 2 s; reading the CSV is the ingest benchmark).")
if "evaluate_cpu_s" in t:
    print(f"CPU time (user + sys, all threads): evaluation {t['evaluate_cpu_s']:.2f} s, writing {t['write_cpu_s']:.2f} s; "
          f"whole command {float(user_s) + float(sys_s):.2f} s. Load average at the end: {sys.argv[5]}.")
PY
}

bench_geocode() {
  local src=${HOTSPOT_SHARED_DATA:-$PWD/../shared/data}
  local codepoint=$src/postcodes/codepoint_open_ng.csv
  [ -s "$codepoint" ] || { echo "bench: $codepoint missing (set HOTSPOT_SHARED_DATA)" >&2; exit 1; }
  [ -x /usr/bin/time ] || { echo "bench: installing GNU time" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
  local dir=$data/geocode
  mkdir -p "$dir"
  # A synthetic 100k-address gazetteer over the NG postcode area (real street names,
  # real postcodes) and 1M messy addresses drawn from it (the fixture's variants).
  if [ ! -s "$dir/messy.csv" ] || [ ! -s "$dir/gazetteer.csv" ]; then
    echo "generating the geocode bench data into $dir ..." >&2
    /usr/bin/python3 scripts/fixtures/make_geocode_fixture.py bench --src "$src" --addresses 100000 \
      --rows 1000000 --out "$dir" >&2
  fi
  cat "$dir/messy.csv" "$dir/gazetteer.csv" "$codepoint" >/dev/null
  echo "## Geocoding (scripts/bench.sh geocode)"
  echo
  machine
  echo
  rm -f "$dir/ng.hsgaz"
  /usr/bin/time -f '%M' -o "$dir/build.rss" "$hotspot" geocode --gazetteer "$dir/gazetteer.csv" \
    --postcodes "$codepoint" --save-index "$dir/ng.hsgaz" --json --quiet >"$dir/build.json"
  "$hotspot" geocode --index "$dir/ng.hsgaz" --json --quiet >"$dir/load.json"
  /usr/bin/time -f '%M %U %S' -o "$dir/run.time" "$hotspot" geocode "$dir/messy.csv" --address address \
    --postcode postcode --uprn uprn --index "$dir/ng.hsgaz" --out "$dir/out.csv" --json --quiet >"$dir/run.json"
  /usr/bin/python3 - "$dir" "$(cat "$dir/build.rss")" "$(cat "$dir/run.time")" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import csv, json, math, sys
d, build_rss = sys.argv[1], int(sys.argv[2]) * 1024
run_rss_kb, run_user_s, run_sys_s = sys.argv[3].split()
run_rss = int(run_rss_kb) * 1024
b = json.load(open(f"{d}/build.json")); l = json.load(open(f"{d}/load.json")); r = json.load(open(f"{d}/run.json"))
g = b["gazetteer"]
print(f"Gazetteer: {g['addresses']:,} addresses on {g['streets']:,} streets, {g['postcodes']:,} postcodes (all NG).")
print()
print("| step | time | rate | peak RSS |")
print("|---|---:|---:|---:|")
print(f"| build the index from the CSVs (and save it) | {g['load_s']:.2f} s | | {build_rss/2**20:.0f} MiB |")
print(f"| load the saved index ({g['bytes']/2**20:.1f} MiB) | {l['gazetteer']['load_s']*1000:.0f} ms | | |")
rows, t = r["counts"]["rows"], r["timings"]["locate_s"]
print(f"| geocode {rows:,} messy addresses (parse + match, {r['threads']} threads) | {t:.2f} s | **{rows/t/1e3:.0f}k addresses/s** | {run_rss/2**20:.0f} MiB |")
print(f"| the whole command (load, geocode, write {rows:,} rows) | {r['timings']['total_s']:.2f} s | {rows/r['timings']['total_s']/1e3:.0f}k rows/s | |")
print()
if "locate_cpu_s" in r["timings"]:
    c = r["timings"]["locate_cpu_s"]
    whole = float(run_user_s) + float(run_sys_s)
    print(f"CPU time (user + sys, all threads): parse + match {c:.2f} s = {rows/c/1e3:.0f}k addresses/s per core, "
          f"**{2*rows/c/1e3:.0f}k addresses/s on 2 cores** if both are free; whole command {whole:.2f} s. "
          f"Load average at the end: {sys.argv[4]}.")
    print()
h = r["hit_rate"]
print(f"Hit rate {100*h['rate']:.2f}% (target: >= 200k addresses/s on 2 cores).")
# Wrong matches against the generator's truth (street rows: distance to the segment).
wrong = matched = 0
with open(f"{d}/out.csv", newline="") as f:
    for row in csv.DictReader(f):
        if not row["x"] or not row["truth_x"]:
            continue
        matched += 1
        x, y, tx, ty = float(row["x"]), float(row["y"]), float(row["truth_x"]), float(row["truth_y"])
        if row["truth_kind"] == "street":
            x2, y2 = float(row["truth_x2"]), float(row["truth_y2"])
            dx, dy = x2 - tx, y2 - ty
            u = max(0.0, min(1.0, ((x - tx) * dx + (y - ty) * dy) / (dx * dx + dy * dy)))
            e = math.hypot(x - (tx + u * dx), y - (ty + u * dy))
        else:
            e = math.hypot(x - tx, y - ty)
        wrong += e > 100
print(f"Matches more than 100 m from the truth: {wrong:,} of {matched:,}.")
print()
print("| method | rows |")
print("|---|---:|")
for k, v in sorted(h["by_method"].items(), key=lambda kv: -kv[1]):
    print(f"| {k} | {v:,} |")
for k, v in sorted(h["by_reason"].items(), key=lambda kv: -kv[1]):
    print(f"| unmatched: {k} | {v:,} |")
PY
}

# ~7,000 polygons over England and Wales: a Voronoi partition seeded by 7,000 points
# drawn from the incidents themselves, so polygons are small where points are dense
# (as wards are: about equal populations), edges split every 200 m (~1.4M vertices).
make_pip_polygons() {  # points.csv out.gpkg
  /usr/bin/python3 - "$1" "$2" "$EW_BBOX" <<'PY'
# Works with Debian 12's Shapely 1.8 (no shapely.voronoi_polygons / segmentize there).
import sys
import geopandas as gpd, numpy as np, pandas as pd
from shapely.geometry import MultiPoint, Polygon, box
from shapely.ops import voronoi_diagram
pts, out, bbox = sys.argv[1], sys.argv[2], [float(v) for v in sys.argv[3].split(",")]
df = pd.read_csv(pts, usecols=["Longitude", "Latitude"]).dropna().drop_duplicates()
seeds = df.sample(n=7000, random_state=20231)
g = gpd.GeoSeries(gpd.points_from_xy(seeds.Longitude, seeds.Latitude), crs=4326).to_crs(27700)
frame = box(*bbox)
cells = voronoi_diagram(MultiPoint(list(g.values)), envelope=frame)

def densify(ring, step):  # a vertex at least every `step` metres along the ring
    c = np.asarray(ring.coords)
    out = []
    for (x0, y0), (x1, y1) in zip(c[:-1], c[1:]):
        n = max(1, int(np.ceil(np.hypot(x1 - x0, y1 - y0) / step)))
        t = np.arange(n) / n
        out.append(np.column_stack([x0 + t * (x1 - x0), y0 + t * (y1 - y0)]))
    out.append(c[-1:])
    return np.vstack(out)

polys = []
for c in cells.geoms:
    p = c.intersection(frame)
    if p.is_empty or p.geom_type != "Polygon":
        continue
    polys.append(Polygon(densify(p.exterior, 200.0), [densify(r, 200.0) for r in p.interiors]))
gdf = gpd.GeoDataFrame({"code": [f"P{i:05d}" for i in range(len(polys))]}, geometry=polys, crs=27700)
gdf.to_file(out, layer="polygons", driver="GPKG")
print(f"{len(gdf)} polygons, {sum(len(p.exterior.coords) for p in polys):,} vertices", file=sys.stderr)
PY
}

bench_pip() {
  [ -x /usr/bin/time ] || { echo "bench: installing GNU time" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
  if ! /usr/bin/python3 -c 'import geopandas, rtree' 2>/dev/null; then
    # rtree: geopandas 0.12's sjoin needs it (or pygeos, not in Debian 12); only recommended.
    echo "bench: installing python3-geopandas python3-rtree" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-geopandas python3-rtree >/dev/null
  fi
  synth 6000000 "$data/ew-6m.csv"
  [ -s "$data/pip-polygons.gpkg" ] || make_pip_polygons "$data/ew-6m.csv" "$data/pip-polygons.gpkg"
  cat "$data/ew-6m.csv" >/dev/null
  echo "## Point in polygon (scripts/bench.sh pip)"
  echo
  machine
  echo
  /usr/bin/time -f '%M %U %S' -o "$data/pip.rss" "$hotspot" geocode "$data/ew-6m.csv" --lon Longitude --lat Latitude \
    --areas "$data/pip-polygons.gpkg" --area-code code --out "$data/pip-out.csv" --json --quiet >"$data/pip.json"
  rm -f "$data/pip-out.csv"
  # The peer: geopandas, the same points (WGS84 -> EPSG:27700) and polygons. On a
  # shared machine PIP_PEER_ROWS=N joins only the first N points (rates are per point;
  # geopandas 0.12 with Shapely 1.8 needs minutes per million points); PIP_PEER_REUSE=1
  # keeps the peer's figures from the previous run (bench-data/gpd.json) instead.
  [ "${PIP_PEER_REUSE:-0}" = 1 ] && [ -s "$data/gpd.json" ] && [ -s "$data/gpd.rss" ] ||
  /usr/bin/time -f '%M %U %S' -o "$data/gpd.rss" /usr/bin/python3 - "$data/ew-6m.csv" "$data/pip-polygons.gpkg" \
    "${PIP_PEER_ROWS:-0}" >"$data/gpd.json" <<'PY'
import json, sys, time
import geopandas as gpd, pandas as pd
t0 = time.time()
nrows = int(sys.argv[3]) or None
df = pd.read_csv(sys.argv[1], usecols=["Longitude", "Latitude"], nrows=nrows)
t1 = time.time()
pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(df.Longitude, df.Latitude), crs=4326).to_crs(27700)
t2 = time.time()
polys = gpd.read_file(sys.argv[2], layer="polygons")
t3 = time.time()
joined = gpd.sjoin(pts, polys, how="left", predicate="within")
t4 = time.time()
print(json.dumps({"rows": len(df), "assigned": int(joined["code"].notna().sum()), "read_s": t1 - t0,
                  "reproject_s": t2 - t1, "polygons_s": t3 - t2, "join_s": t4 - t3, "total_s": t4 - t0}))
PY
  /usr/bin/python3 - "$data/pip.json" "$data/gpd.json" "$(cat "$data/pip.rss")" "$(cat "$data/gpd.rss")" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
h, g = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
(hr, hu, hs), (gr, gu, gs) = sys.argv[3].split(), sys.argv[4].split()
hr, gr = int(hr) * 1024, int(gr) * 1024
hcpu, gcpu = float(hu) + float(hs), float(gu) + float(gs)
n = h["counts"]["rows"]
a = h["areas"]
t = h["timings"]
print(f"{a['polygons']:,} polygons; {n:,} points ({h['counts']['located']:,} located); geopandas joined {g['rows']:,} of them.")
print()
print("| tool | point in polygon (wall) | points/s (wall) | whole job (wall) | whole job CPU | peak RSS | assigned |")
print("|---|---:|---:|---:|---:|---:|---:|")
print(f"| hotspot geocode --lon/--lat --areas ({h['threads']} threads) | {t['assign_s']:.2f} s | **{n/t['assign_s']/1e6:.1f} M** | {t['total_s']:.1f} s | {hcpu:.1f} s | {hr/2**20:.0f} MiB | {a['assigned']:,} |")
print(f"| geopandas sjoin (predicate within) | {g['join_s']:.1f} s | {g['rows']/g['join_s']/1e3:,.1f} k | {g['total_s']:.1f} s | {gcpu:.1f} s | {gr/2**20:.0f} MiB | {g['assigned']:,} |")
print()
if "assign_cpu_s" in t:
    c = t["assign_cpu_s"]
    print(f"Point in polygon CPU time (user + sys, all threads): {c:.2f} s = {n/c/1e6:.1f} M points/s per core, "
          f"**{2*n/c/1e6:.1f} M points/s on 2 cores** if both are free (target >= 5 M). Load average at the end: {sys.argv[5]}.")
    print()
hr_rate, gr_rate = n / t["assign_s"], g["rows"] / g["join_s"]
print(f"Ratio hotspot / geopandas, points per second of the join (wall): **{hr_rate/gr_rate:.0f}x**; "
      f"whole job per point: {(g['total_s']/g['rows'])/(t['total_s']/n):.0f}x.")
print(f"hotspot whole job = read + transform ({t['locate_s']:.1f} s) + assign + write {n:,} rows ({t['write_s']:.1f} s);")
print(f"geopandas whole job = read_csv {g['read_s']:.1f} s + to_crs {g['reproject_s']:.1f} s + read polygons {g['polygons_s']:.1f} s + sjoin.")
PY
}

# hotspot run on a national-scale study: the 6M-row file (England and Wales extent),
# 250 m cells with Gi* + FDR, a KDE surface, the cell ranking and the GeoJSON of the
# significant cells (the study below). Targets: <= 15 s and <= 2 GB peak memory.
bench_e2e() {
  [ -x /usr/bin/time ] || { echo "bench: installing GNU time" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
  synth 6000000 "$data/ew-6m.csv"
  mkdir -p "$data/e2e"
  cat >"$data/e2e/study.toml" <<'TOML'
[study]
name = "England and Wales, 6 million synthetic incidents"
[[inputs]]
name = "police.uk street-level crimes (synthetic)"
format = "police-uk"
paths = ["../ew-6m.csv"]
[grid]
cell_m = 250
boundary = "none"          # the cells holding incidents
[stats]
gistar = true
band_m = 750               # three cells
kde = true
kde_radius_m = 1000
kde_cell_m = 250
[rank]
units = ["cells"]
top = 20
[export]
gpkg = false               # the 6M incident points alone take ~13 s to write (ingest benchmark)
incidents = false
geojson = ["hotspots"]     # the significant cells, RFC 7946
maps = false
TOML
  cat "$data/ew-6m.csv" >/dev/null  # warm the page cache
  rm -rf "$data/e2e/out"
  echo "## End to end (scripts/bench.sh e2e)"
  echo
  machine
  echo
  echo "\`hotspot run bench-data/e2e/study.toml --out DIR --json\` (both cores): ingest 6M police.uk rows, 250 m"
  echo "cells, Gi* + FDR, KDE (250 m pixels, 1 km quartic), ranking of every cell, GeoJSON of the significant cells."
  echo
  echo "| run | cache | ingest | counts | hot spots | KDE | rank | write | total (wall) | CPU user+sys | peak RSS | load avg |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for run in first rerun; do
    /usr/bin/time -f '%M %U %S %e' -o "$data/e2e/$run.time" "$hotspot" run "$data/e2e/study.toml" --out "$data/e2e/out" \
      --json --quiet >"$data/e2e/$run.json"
    /usr/bin/python3 - "$data/e2e/$run.json" "$(cat "$data/e2e/$run.time")" "$run" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
rss_kb, user_s, sys_s, wall = sys.argv[2].split()
t = j['timings']
reused = ", ".join(j['cache']['reused']) or "none"
f = lambda k: f"{t.get(k, 0):.2f} s"
print(f"| {sys.argv[3]} | reused: {reused} | {f('ingest_s')} | {f('counts_s')} | {f('hotspots_s')} | {f('kde_s')} | "
      f"{f('rank_s')} | {f('write_s')} | **{float(wall):.2f} s** | {float(user_s) + float(sys_s):.2f} s | "
      f"**{int(rss_kb)/2**20:.2f} GiB** | {sys.argv[4]} |")
PY
  done
  /usr/bin/python3 - "$data/e2e/first.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
h = j['hotspots']
print()
print(f"{j['incidents']:,} incidents, {h['cells']:,} cells of {h['cell_m']:.0f} m, {h['hot_cells']:,} hot and "
      f"{h['cold_cells']:,} cold spot cells; KDE {j['kde']['columns']:,} x {j['kde']['rows']:,} pixels. Targets: <= 15 s, <= 2 GB.")
PY
}

case "$what" in
  ingest) bench_ingest ;;
  stats) bench_stats ;;
  spacetime) bench_spacetime ;;
  evaluate) bench_evaluate ;;
  geocode) bench_geocode ;;
  pip) bench_pip ;;
  e2e) bench_e2e ;;
  *) echo "bench.sh: unknown benchmark '$what' (known: ingest, stats, spacetime, evaluate, geocode, pip, e2e)" >&2; exit 2 ;;
esac
