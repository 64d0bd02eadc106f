#!/usr/bin/env bash
# Runs a command with a display: under xvfb-run (Mesa's software OpenGL) when there is
# one, else on $DISPLAY. When neither can start, runs it with HOTSPOT_NO_DISPLAY=1 so
# the screenshot tests skip with a message instead of failing. In sanitizer builds
# LeakSanitizer reads lsan.supp (Mesa/X11 driver allocations; harmless otherwise).
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
if command -v xvfb-run >/dev/null 2>&1; then
  # Mesa's llvmpipe: the same renderer on every machine; 24-bit colour.
  if xvfb-run -a -s "-screen 0 1920x1200x24" true >/dev/null 2>&1; then
    exec xvfb-run -a -s "-screen 0 1920x1200x24" env LIBGL_ALWAYS_SOFTWARE=1 "$@"
  fi
fi
if [ -n "${DISPLAY:-}" ]; then exec "$@"; fi
echo "with_display.sh: no display server could start (install xvfb and xauth); screenshot tests skip" >&2
exec env HOTSPOT_NO_DISPLAY=1 "$@"
