#!/bin/sh
# The hangar program does not link the console libraries: its console module does.
# $1: the hangar executable, $2: the console module.
set -eu
needed () { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
status=0
for lib in libspice-client-glib libvncclient libvte; do
  if needed "$1" | grep -q "^$lib"; then
    echo "not ok: $1 links $lib"; status=1
  fi
  if ! needed "$2" | grep -q "^$lib"; then
    echo "not ok: the module does not link $lib"; status=1
  fi
done
[ "$status" = 0 ] && echo "the program links none of the console libraries; the module all"
exit "$status"
