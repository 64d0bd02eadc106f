#!/usr/bin/env bash
# The main job on the bundled Ashfield study: sets up if needed, generates the
# synthetic police.uk incidents (deterministic, into data/ashfield/incidents/),
# runs the study and prints where the outputs are.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
hotspot=build/hotspot
out=${1:-out/ashfield}

"$hotspot" synth --study data/ashfield/study.toml
"$hotspot" run data/ashfield/study.toml --out "$out"

cat <<TXT

Ashfield demo done. Outputs in $out/:
  $out/report.md          data quality, counts by category, top wards and LSOAs, monthly totals
  $out/study.gpkg         incidents + monthly_counts + district/wards/lsoas counts layers (EPSG:27700; open in QGIS)
  $out/geojson/           ward/LSOA counts as GeoJSON (WGS84) for web maps
  $out/tables/            the same tables as CSV
  $out/rejects.csv        every rejected row with file, line and reason
  $out/summary.json       the machine-readable summary
The synthetic input and what was planted in it: data/ashfield/incidents/ (truth.json).
TXT
