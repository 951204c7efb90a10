#!/bin/bash
# Build the USB variant of the tiny test guest: OUTDIR/vmlinuz-usb + OUTDIR/initramfs-usb.img.
#
# The cloud kernel of the tiny guest has no USB at all. This variant boots Debian's full
# kernel (the concrete package linux-image-amd64 depends on) with the tiny guest's userland,
# and adds the modules a guest needs to enumerate a USB keyboard on QEMU's xHCI:
# xhci_pci and usbhid (with usbcore, xhci_hcd, hid, hid_generic). Like build-guest.sh it
# fetches the .deb with `apt-get download` into OUTDIR/cache/ and unpacks it with
# `dpkg-deb -x`; nothing is installed on the host. It needs OUTDIR/initramfs.img (the tiny
# guest, built first) and does nothing when its outputs are newer than that and itself.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
die() { echo "build-usb-guest: error: $*" >&2; exit 1; }
log() { echo "build-usb-guest: $*" >&2; }

SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/build-usb-guest.sh
OUTDIR=$(cd "$1" && pwd)
CACHE="$OUTDIR/cache"
TINY="$OUTDIR/initramfs.img"
VMLINUZ="$OUTDIR/vmlinuz-usb"
INITRD="$OUTDIR/initramfs-usb.img"
[ -s "$TINY" ] || die "no $TINY: build the tiny guest first"

if [ -s "$VMLINUZ" ] && [ -s "$INITRD" ] && [ "$INITRD" -nt "$TINY" ] &&
   [ "$INITRD" -nt "$SCRIPT" ] && [ "$VMLINUZ" -nt "$SCRIPT" ]; then
    exit 0
fi
exec 9>"$OUTDIR/.build-usb.lock"
flock 9
mkdir -p "$CACHE"

KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null |
       sed -n 's/^ *Depends: *\(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1 || true)
if [ -z "$KPKG" ]; then
    cached=$(ls -t "$CACHE"/linux-image-*[0-9]-amd64_*_amd64.deb 2>/dev/null | head -n1 || true)
    [ -n "$cached" ] || die "cannot resolve linux-image-amd64's kernel package"
    KPKG=${cached##*/}; KPKG=${KPKG%%_*}
fi
KVER=${KPKG#linux-image-}
KDEB=$(ls -t "$CACHE/${KPKG}"_*_amd64.deb 2>/dev/null | head -n1 || true)
if [ -z "$KDEB" ]; then
    log "downloading $KPKG"
    apt_opts=(-q)
    if [ "$(id -u)" -eq 0 ]; then apt_opts+=(-o APT::Sandbox::User=root); fi
    ( cd "$CACHE" && apt-get download "${apt_opts[@]}" "$KPKG" ) >&2 ||
        die "apt-get download $KPKG failed"
    KDEB=$(ls -t "$CACHE/${KPKG}"_*_amd64.deb | head -n1)
fi

SCRATCH=$(mktemp -d "$OUTDIR/.scratch-usb.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
log "unpacking ${KDEB##*/}"
dpkg-deb -x "$KDEB" "$SCRATCH/kernel"
MODDIR="$SCRATCH/kernel/lib/modules/$KVER"
[ -f "$SCRATCH/kernel/boot/vmlinuz-$KVER" ] || die "no boot/vmlinuz-$KVER in $KPKG"

ROOT="$SCRATCH/root"
mkdir -p "$ROOT"
( cd "$ROOT" && gzip -dc "$TINY" | cpio --quiet -id )
rm -f "$ROOT"/lib/modules/*.ko

declare -A MODPATH=()
while IFS= read -r -d '' f; do
    b=${f##*/}; b=${b%%.ko*}; b=${b//-/_}
    MODPATH[$b]=$f
done < <(find "$MODDIR" -name '*.ko' -o -name '*.ko.xz' | tr '\n' '\0')

declare -A SEEN=()
ORDER=()
add_module() {
    local name=${1//-/_} src dst deps d
    [ -z "${SEEN[$name]:-}" ] || return 0
    src=${MODPATH[$name]:-}
    if [ -z "$src" ]; then
        grep -q "/${name}\.ko\|/${name//_/-}\.ko" "$MODDIR/modules.builtin" 2>/dev/null ||
            die "module '$name' not found in $KPKG"
        SEEN[$name]=builtin; return 0
    fi
    SEEN[$name]=pending
    dst="$ROOT/lib/modules/$name.ko"
    case $src in
        *.ko)    cp "$src" "$dst" ;;
        *.ko.xz) xz -dc < "$src" > "$dst" ;;
    esac
    deps=$(tr '\0' '\n' < "$dst" | sed -n 's/^depends=//p' | head -n1)
    for d in ${deps//,/ }; do add_module "$d"; done
    ORDER+=("$name")
    SEEN[$name]=1
}

for m in button evdev; do add_module "$m"; done
printf '%s\n' "${ORDER[@]}" > "$ROOT/etc/modules.required"
ORDER=()
for m in virtio_pci virtio_blk virtio_net virtio_console xhci_pci usbhid hid_generic; do
    add_module "$m"
done
printf '%s\n' "${ORDER[@]}" > "$ROOT/etc/modules.optional"
echo "$KVER" > "$ROOT/etc/guest-kernel"
log "kernel $KVER; optional modules ${ORDER[*]}"

( cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort |
  cpio --quiet -o -H newc -R 0:0 --reproducible ) | gzip -9n > "$INITRD.tmp"
cp "$SCRATCH/kernel/boot/vmlinuz-$KVER" "$VMLINUZ.tmp"
mv -f "$VMLINUZ.tmp" "$VMLINUZ"
mv -f "$INITRD.tmp" "$INITRD"
log "wrote $VMLINUZ and $INITRD"
