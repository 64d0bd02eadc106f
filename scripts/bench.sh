#!/usr/bin/env bash
# Benchmarks, each against the peer tool in the same run. Figures are printed as a
# Markdown block for BENCHMARKS.md (with the machine and the date).
#
#   scripts/bench.sh ingest     police.uk ingest: 1M and 6M synthetic rows (England and
#                               Wales extent), hotspot vs ogr2ogr (gdal-bin)
#   scripts/bench.sh stats      Gi* (1M and 100k cells, 250 m band on 50 m cells), 999
#                               permutations on 100k cells, KDE of 1M points over Ashfield;
#                               vs spdep::localG / localG_perm (r-cran-spdep) and QGIS
#                               Heatmap (qgis_process.bin) where installed
#   scripts/bench.sh evaluate   before/after evaluation: 1,000 interventions (sites drawn from
#                               the incidents) over the 6M-row file, hotspot evaluate
#                               --incidents ... --before 3 --after 3 (rest-of-data control)
#   scripts/bench.sh geocode    1M messy addresses against a 100k-address synthetic gazetteer
#                               plus all NG postcodes (Code-Point Open, ../shared/data)
#   scripts/bench.sh pip        6M points (the ingest 6M file) into ~7,000 polygons over
#                               England and Wales: hotspot geocode --lon/--lat --areas vs
#                               geopandas sjoin (python3-geopandas, installed if missing)
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

bench_stats() {
  local tests=$PWD/build/tests/hotspot_core_tests
  [ -x "$tests" ] || cmake --build build --target hotspot_core_tests >/dev/null
  echo "## Spatial statistics (scripts/bench.sh stats)"
  echo
  machine
  echo
  "$tests" --gtest_also_run_disabled_tests --gtest_filter='StatsBench.*' >"$data/stats-bench.txt" 2>&1
  local gi1m gi1mw gi1ms gi100k perm kde
  gi1m=$(awk '/BENCH gistar_1m_total/ {print $3}' "$data/stats-bench.txt")
  gi1mw=$(awk '/BENCH gistar_1m_weights/ {print $3}' "$data/stats-bench.txt")
  gi1ms=$(awk '/BENCH gistar_1m_stat/ {print $3}' "$data/stats-bench.txt")
  gi100k=$(awk '/BENCH gistar_100k_total/ {print $3}' "$data/stats-bench.txt")
  perm=$(awk '/BENCH perm999_100k/ {print $3}' "$data/stats-bench.txt")
  kde=$(awk '/BENCH kde_1m/ {print $3}' "$data/stats-bench.txt")
  # Peers on the same kinds of input (Poisson(2) counts on 50 m cells, 250 m band).
  local r_gi=NA r_perm=NA q_kde=NA
  if command -v Rscript >/dev/null && Rscript -e 'library(spdep)' >/dev/null 2>&1; then
    r_gi=$(Rscript -e 'suppressPackageStartupMessages(library(spdep)); set.seed(1);
      xy <- as.matrix(expand.grid(x = seq(25, by = 50, length.out = 316), y = seq(25, by = 50, length.out = 316)));
      x <- rpois(nrow(xy), 2); t0 <- Sys.time();
      lw <- nb2listw(include.self(dnearneigh(xy, 0, 250)), style = "B"); g <- localG(x, lw);
      cat(as.numeric(Sys.time() - t0, units = "secs"))' 2>/dev/null)
    r_perm=$(Rscript -e 'suppressPackageStartupMessages(library(spdep)); set.seed(1);
      xy <- as.matrix(expand.grid(x = seq(25, by = 50, length.out = 100), y = seq(25, by = 50, length.out = 100)));
      x <- rpois(nrow(xy), 2); lw <- nb2listw(include.self(dnearneigh(xy, 0, 250)), style = "B"); t0 <- Sys.time();
      g <- localG_perm(x, lw, nsim = 999); cat(as.numeric(Sys.time() - t0, units = "secs"))' 2>/dev/null)
  fi
  if command -v qgis_process.bin >/dev/null; then
    [ -s "$data/kde-1m.gpkg" ] || /usr/bin/python3 - "$data/kde-1m.csv" <<'PY'
import random, sys
random.seed(4)
with open(sys.argv[1], "w") as f:
    f.write("x,y\n")
    for k in range(1000000):
        if k % 2:
            f.write(f"{random.uniform(444000, 457000):.2f},{random.uniform(344000, 362000):.2f}\n")
        else:
            c = (k // 2) % 20
            f.write(f"{445000 + 600 * c + random.gauss(0, 300):.2f},{345000 + 800 * c + random.gauss(0, 300):.2f}\n")
PY
    [ -s "$data/kde-1m.gpkg" ] || ogr2ogr -f GPKG "$data/kde-1m.gpkg" "$data/kde-1m.csv" -oo X_POSSIBLE_NAMES=x \
      -oo Y_POSSIBLE_NAMES=y -a_srs EPSG:27700 -nln points
    local q0 q1
    q0=$(date +%s.%N)
    QT_QPA_PLATFORM=offscreen qgis_process.bin run qgis:heatmapkerneldensityestimation -- \
      INPUT="$data/kde-1m.gpkg|layername=points" RADIUS=500 PIXEL_SIZE=50 KERNEL=0 OUTPUT_VALUE=0 \
      OUTPUT="$data/kde-1m-qgis.tif" >/dev/null 2>&1 && q1=$(date +%s.%N) && q_kde=$(echo "$q1 - $q0" | bc)
  fi
  /usr/bin/python3 - "$gi1m" "$gi1mw" "$gi1ms" "$gi100k" "$perm" "$kde" "$r_gi" "$r_perm" "$q_kde" <<'PY'
import sys
gi1m, gi1mw, gi1ms, gi100k, perm, kde, r_gi, r_perm, q_kde = sys.argv[1:]
f = lambda s: float(s) if s not in ("", "NA") else None
def ratio(peer, ours):
    return f"**{peer / ours:.0f}x**" if peer and ours else "n/a"
print("| benchmark | hotspot | target | peer (same run) | ratio |")
print("|---|---:|---:|---:|---:|")
print(f"| Gi*, 1,000 x 1,000 cells, 250 m band on 50 m cells (80 neighbours): weights + Gi* | {f(gi1m):.3f} s ({f(gi1mw):.3f} + {f(gi1ms):.3f}) | <= 0.2 s | | |")
pg = f(r_gi)
print(f"| Gi*, 316 x 316 = 99,856 cells, same band: weights + Gi* | {f(gi100k):.3f} s | | spdep dnearneigh + localG: {pg:.1f} s | {ratio(pg, f(gi100k))} |" if pg else f"| Gi*, 99,856 cells | {f(gi100k):.3f} s | | spdep not installed | |")
pp = f(r_perm)
ours_per = f(perm) / 99856
print(f"| 999 permutations, 99,856 cells (both cores) | {f(perm):.2f} s | <= 5 s | spdep localG_perm on 10,000 cells: {pp:.1f} s | {ratio(pp / 10000, ours_per)} per cell |" if pp else f"| 999 permutations, 99,856 cells | {f(perm):.2f} s | <= 5 s | spdep not installed | |")
pq = f(q_kde)
print(f"| KDE, 1M points, Ashfield extent, 50 m cells, 500 m quartic | {f(kde):.3f} s | <= 1 s | QGIS 3.22 Heatmap (qgis_process.bin, whole run): {pq:.1f} s | {ratio(pq, f(kde))} |" if pq else f"| KDE 1M points | {f(kde):.3f} s | <= 1 s | QGIS not installed | |")
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
  /usr/bin/time -f '%M' -o "$data/.rss" "$hotspot" evaluate --incidents "$data/ew-6m.csv" --interventions "$iv" \
    --before 3 --after 3 --out "$data/evaluate-out" --json --quiet >"$data/evaluate.json"
  t1=$(date +%s.%N)
  /usr/bin/python3 - "$data/evaluate.json" "$(cat "$data/.rss")" "$t0" "$t1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); rss = int(sys.argv[2]) * 1024
wall = float(sys.argv[4]) - float(sys.argv[3])
t = j['timings']; c = j['counts']
print("| interventions | evaluated | incidents read | in windows | read | evaluate (geometry + locate + measures) | write | whole command | peak RSS |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
print(f"| {j['interventions']:,} | {j['evaluated']:,} | {j['ingest']['accepted']:,} | {c['incidents_considered']:,} | "
      f"{j['ingest']['seconds']:.2f} s | **{t['evaluate_s']:.2f} s** ({t['geometry_s']:.2f} + {t['locate_s']:.2f} + "
      f"{t['measures_s']:.2f}) | {t['write_s']:.2f} s | {wall:.2f} s | {rss/2**20:.0f} MiB |")
print()
print(f"Evaluation of 1,000 interventions over {j['ingest']['accepted']/1e6:.0f}M incidents: **{t['evaluate_s']:.2f} s** (target <= 2 s; reading the CSV is the ingest benchmark).")
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
  /usr/bin/time -f '%M' -o "$dir/run.rss" "$hotspot" geocode "$dir/messy.csv" --address address \
    --postcode postcode --uprn uprn --index "$dir/ng.hsgaz" --out "$dir/out.csv" --json --quiet >"$dir/run.json"
  /usr/bin/python3 - "$dir" "$(cat "$dir/build.rss")" "$(cat "$dir/run.rss")" <<'PY'
import csv, json, math, sys
d, build_rss, run_rss = sys.argv[1], int(sys.argv[2]) * 1024, int(sys.argv[3]) * 1024
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
import sys
import geopandas as gpd, numpy as np, pandas as pd, shapely
pts, out, bbox = sys.argv[1], sys.argv[2], [float(v) for v in sys.argv[3].split(",")]
df = pd.read_csv(pts, usecols=["Longitude", "Latitude"]).dropna().drop_duplicates()
seeds = df.sample(n=7000, random_state=20231)
g = gpd.GeoSeries(gpd.points_from_xy(seeds.Longitude, seeds.Latitude), crs=4326).to_crs(27700)
frame = shapely.box(*bbox)
cells = shapely.voronoi_polygons(shapely.MultiPoint(list(g.values)), extend_to=frame)
polys = [shapely.segmentize(c.intersection(frame), 200.0) for c in cells.geoms]
gdf = gpd.GeoDataFrame({"code": [f"P{i:05d}" for i in range(len(polys))]}, geometry=polys, crs=27700)
gdf.to_file(out, layer="polygons", driver="GPKG")
print(f"{len(gdf)} polygons, {sum(shapely.get_num_coordinates(p) for p in polys):,} vertices", file=sys.stderr)
PY
}

bench_pip() {
  [ -x /usr/bin/time ] || { echo "bench: installing GNU time" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
  if ! /usr/bin/python3 -c 'import geopandas' 2>/dev/null; then
    echo "bench: installing python3-geopandas" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-geopandas >/dev/null
  fi
  synth 6000000 "$data/ew-6m.csv"
  [ -s "$data/pip-polygons.gpkg" ] || make_pip_polygons "$data/ew-6m.csv" "$data/pip-polygons.gpkg"
  cat "$data/ew-6m.csv" >/dev/null
  echo "## Point in polygon (scripts/bench.sh pip)"
  echo
  machine
  echo
  /usr/bin/time -f '%M' -o "$data/pip.rss" "$hotspot" geocode "$data/ew-6m.csv" --lon Longitude --lat Latitude \
    --areas "$data/pip-polygons.gpkg" --area-code code --out "$data/pip-out.csv" --json --quiet >"$data/pip.json"
  rm -f "$data/pip-out.csv"
  # The peer: geopandas, the same points (WGS84 -> EPSG:27700) and polygons.
  /usr/bin/time -f '%M' -o "$data/gpd.rss" /usr/bin/python3 - "$data/ew-6m.csv" "$data/pip-polygons.gpkg" \
    >"$data/gpd.json" <<'PY'
import json, sys, time
import geopandas as gpd, pandas as pd
t0 = time.time()
df = pd.read_csv(sys.argv[1], usecols=["Longitude", "Latitude"])
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
  /usr/bin/python3 - "$data/pip.json" "$data/gpd.json" "$(cat "$data/pip.rss")" "$(cat "$data/gpd.rss")" <<'PY'
import json, sys
h, g = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
hr, gr = int(sys.argv[3]) * 1024, int(sys.argv[4]) * 1024
n = h["counts"]["rows"]
a = h["areas"]
print(f"{a['polygons']:,} polygons; {n:,} points ({h['counts']['located']:,} located).")
print()
print("| tool | point in polygon | points/s | whole job | peak RSS | assigned |")
print("|---|---:|---:|---:|---:|---:|")
print(f"| hotspot geocode --lon/--lat --areas ({h['threads']} threads) | {h['timings']['assign_s']:.2f} s | **{n/h['timings']['assign_s']/1e6:.1f} M** | {h['timings']['total_s']:.1f} s | {hr/2**20:.0f} MiB | {a['assigned']:,} |")
print(f"| geopandas sjoin (predicate within) | {g['join_s']:.1f} s | {g['rows']/g['join_s']/1e6:.2f} M | {g['total_s']:.1f} s | {gr/2**20:.0f} MiB | {g['assigned']:,} |")
print()
print(f"Ratio geopandas / hotspot: point in polygon **{g['join_s']/h['timings']['assign_s']:.0f}x**, whole job {g['total_s']/h['timings']['total_s']:.0f}x (target: >= 5 M points/s).")
print(f"hotspot whole job = read + transform ({h['timings']['locate_s']:.1f} s) + assign + write {n:,} rows ({h['timings']['write_s']:.1f} s);")
print(f"geopandas whole job = read_csv {g['read_s']:.1f} s + to_crs {g['reproject_s']:.1f} s + read polygons {g['polygons_s']:.1f} s + sjoin.")
PY
}

case "$what" in
  ingest) bench_ingest ;;
  stats) bench_stats ;;
  evaluate) bench_evaluate ;;
  geocode) bench_geocode ;;
  pip) bench_pip ;;
  *) echo "bench.sh: unknown benchmark '$what' (known: ingest, stats, evaluate, geocode, pip)" >&2; exit 2 ;;
esac
