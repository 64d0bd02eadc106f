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

Ashfield demo done. The tasking pack and the layers are in $out/:
  $out/report.html        the tasking pack (open in a browser; report.md is the same in Markdown):
                          key points, data quality, top-10 target wards and cells with their scores
                          and reasons, hot spot / density / emerging hot spot / target maps,
                          before/after results of the interventions, counts by category and month
  $out/maps/*.png         the maps (legend, scale bar, north arrow), ready for slides
  $out/study.gpkg         every layer with QGIS styles (EPSG:27700): incidents, counts by ward/LSOA,
                          grid_cells (Gi* bins, emerging categories), targets_wards, targets_cells,
                          evaluation_targets/buffers/controls
  $out/geojson/           counts, significant hot spot cells, emerging hot spots, targets (WGS84, RFC 7946)
  $out/kde.tif            the kernel density surface (GeoTIFF)
  $out/tables/            every table as CSV (grid_cells, rank_wards, rank_cells, evaluation_*, counts)
  $out/evaluation.json    the before/after evaluation (DESIGN.md contract)
  $out/rejects.csv        every rejected row with file, line and reason
  $out/summary.json       the machine-readable summary (what ran, what the cache reused)
Run it again: unchanged inputs and settings reuse $out/cache/ (ingest, hot spots, KDE, emerging).
The synthetic input and what was planted in it: data/ashfield/incidents/ (truth.json).
TXT
