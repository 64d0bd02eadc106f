#!/usr/bin/env bash
# Rebuilds data/ashfield/ boundaries and postcodes, and the police.uk test fixtures,
# from the public source files in ../shared/data (see data/README.md for licences).
# Needs gdal-bin (ogr2ogr). Idempotent; the results are committed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-$here/../shared/data}
dst=$here/data/ashfield
mkdir -p "$dst/boundaries" "$dst/postcodes" "$here/tests/fixtures/police-uk"

cp "$src/boundaries/ashfield_wards_2024.geojson" "$src/boundaries/ashfield_lsoa_2011.geojson" \
   "$dst/boundaries/"
# The district outline (study boundary), from the 2022 district layer.
rm -f "$dst/boundaries/ashfield_district_2022.geojson"
ogr2ogr -f GeoJSON -where "district_name = 'Ashfield'" -lco RFC7946=NO \
  -lco COORDINATE_PRECISION=7 "$dst/boundaries/ashfield_district_2022.geojson" \
  "$src/boundaries/nottinghamshire_districts_2022.gpkg" nottinghamshire_districts

# Postcodes: the Ashfield-area extract (with header) and the Ashfield rows
# (admin district E07000170) of OS Code-Point Open, unmodified (no header).
cp "$src/postcodes/ashfield_area_postcodes.csv" "$dst/postcodes/"
awk -F, '$9=="\"E07000170\""' "$src/postcodes/codepoint_open_ng.csv" \
  > "$dst/postcodes/codepoint_open_ashfield.csv"

# Real police.uk files as ingest fixtures.
cp "$src/police-uk/2022-02-nottinghamshire-street-first100.csv" "$here/tests/fixtures/police-uk/"
cp -r "$src/police-uk/city-of-london" "$here/tests/fixtures/police-uk/"
echo "data refreshed under $dst and tests/fixtures/police-uk"
