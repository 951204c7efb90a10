#!/bin/bash
# run-headless.sh COMMAND [ARG...]: runs COMMAND on a private Xvfb screen.
#
# Xvfb picks a free display itself (-displayfd) and says which, so runs in several
# build folders at once never race for a display number as `xvfb-run -a` can.
# The screen is 1024x768x24, no window manager. Exits with COMMAND's status.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/hangar-xvfb-XXXXXX")
xvfb_pid=
cleanup () {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

mkfifo "$work/display"
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp -noreset \
  3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!

# Blocks until Xvfb writes its display number, or gives EOF if it dies first.
display=
read -r display <"$work/display" || true
if [ -z "$display" ]; then
  echo "run-headless: Xvfb did not start:" >&2
  cat "$work/xvfb.log" >&2
  exit 1
fi

unset WAYLAND_DISPLAY
status=0
DISPLAY=":$display" GDK_BACKEND=x11 "$@" || status=$?
exit "$status"
