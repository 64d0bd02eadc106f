#!/usr/bin/env bash
# Dependencies flow one way: viewer -> layers -> core (DESIGN.md). Fails when a
# core/ file includes GDAL/OGR/SQLite/ImGui/GL headers or anything from layers/
# or viewer/, or when layers/ includes viewer/.
set -euo pipefail
root=${1:-$(dirname "$0")/..}
bad=0
if grep -rnE '#include\s*[<"](gdal|ogr|cpl_|sqlite3|imgui|GL/|GLFW|layers/|viewer/)' "$root/core"; then
  echo "core/ must stay headless: the includes above break the layering"; bad=1
fi
if grep -rnE '#include\s*[<"]viewer/' "$root/layers"; then
  echo "layers/ must not include viewer/"; bad=1
fi
if grep -rnE '#include\s*[<"](gdal|ogr_|ogrsf|cpl_|sqlite3)' "$root"/layers/*/*.hpp; then
  echo "GDAL/SQLite types must not appear in a layers/ public header"; bad=1
fi
[ $bad -eq 0 ] && echo "layering OK"
exit $bad
