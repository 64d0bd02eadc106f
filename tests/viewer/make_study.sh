#!/usr/bin/env bash
# Builds the Ashfield-like study the viewer's screenshot tests open, with the real
# pipeline: `hotspot synth` (deterministic synthetic police.uk files inside the
# bundled Ashfield boundary) and `hotspot run` (incidents, monthly counts, ward /
# LSOA / district counts in study.gpkg). Usage: make_study.sh HOTSPOT SOURCE_DIR OUT_DIR
set -euo pipefail
hotspot=$1; src=$2; out=$3
b="$src/data/ashfield/boundaries"
rm -rf "$out"
mkdir -p "$out/incidents"
"$hotspot" synth --boundary "$b/ashfield_district_2022.geojson" --rows 20000 --months 2022-04:2025-03 \
  --seed 8 --lsoa "$b/ashfield_lsoa_2011.geojson" --lsoa-code LSOA11CD --lsoa-name LSOA11NM \
  --out "$out/incidents" --quiet
cat > "$out/study.toml" <<TOML
[study]
name = "Viewer test study"
period = { from = "2022-04", to = "2025-03" }
boundary = "district"

[boundaries.district]
path = "$b/ashfield_district_2022.geojson"
code = "district_code"
name = "district_name"

[boundaries.wards]
path = "$b/ashfield_wards_2024.geojson"
code = "WD24CD"
name = "WD24NM"

[[inputs]]
name = "synthetic police.uk"
format = "police-uk"
paths = ["incidents/*-street.csv"]

[rank]
units = ["wards"]
top = 10
TOML
"$hotspot" run "$out/study.toml" --out "$out/out" > /dev/null
test -s "$out/out/study.gpkg"
