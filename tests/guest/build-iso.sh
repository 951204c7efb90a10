#!/bin/bash
# Bootable ISOs of the tiny test guest: OUTDIR/tiny.iso and OUTDIR/tiny-reboot.iso, made
# from OUTDIR/vmlinuz and OUTDIR/initramfs.img (build-guest.sh runs this at its end).
#
# isolinux boots the kernel at once (no prompt, no timeout) with the same command line as
# the tests' direct kernel boot; tiny-reboot.iso adds `hangar.reboot`, so the guest reboots
# once after READY, as an OS installer does at its end. `isohybrid` adds a partition table
# and an MBR: the same file boots as a CD-ROM and as a raw hard disk.
# See README.md beside this file.
set -euo pipefail

usage() { echo "usage: $0 OUTDIR" >&2; exit 2; }
[ $# -eq 1 ] || usage

die() { echo "build-iso: error: $*" >&2; exit 1; }
log() { echo "build-iso: $*" >&2; }

SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/build-iso.sh"
OUTDIR=$(cd "$1" && pwd)
VMLINUZ="$OUTDIR/vmlinuz"
INITRD="$OUTDIR/initramfs.img"
ISOLINUX_BIN=/usr/lib/ISOLINUX/isolinux.bin
LDLINUX=/usr/lib/syslinux/modules/bios/ldlinux.c32
VOLUME_ID=HANGAR_TINY_GUEST
CMDLINE="console=ttyS0 quiet panic=-1"

# name -> extra kernel arguments
declare -A ISOS=([tiny.iso]="" [tiny-reboot.iso]="hangar.reboot")

up_to_date() {
    local iso
    for iso in "${!ISOS[@]}"; do
        [ -s "$OUTDIR/$iso" ] && [ "$OUTDIR/$iso" -nt "$SCRIPT" ] &&
        [ "$OUTDIR/$iso" -nt "$VMLINUZ" ] && [ "$OUTDIR/$iso" -nt "$INITRD" ] || return 1
    done
}

[ -s "$VMLINUZ" ] && [ -s "$INITRD" ] || die "build the kernel and initramfs first"
if up_to_date; then
    exit 0
fi

exec 8>"$OUTDIR/.iso.lock"
if command -v flock >/dev/null 2>&1; then
    flock 8
    if up_to_date; then exit 0; fi
fi

for tool in xorriso isohybrid; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "'$tool' not found (packages xorriso and syslinux-utils)"
done
[ -f "$ISOLINUX_BIN" ] || die "missing $ISOLINUX_BIN (package isolinux)"
[ -f "$LDLINUX" ] || die "missing $LDLINUX (package syslinux-common)"

SCRATCH=$(mktemp -d "$OUTDIR/.iso-scratch.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

for iso in "${!ISOS[@]}"; do
    tree="$SCRATCH/${iso%.iso}"
    mkdir -p "$tree/isolinux" "$tree/boot"
    # Copies: -boot-info-table writes into isolinux.bin.
    cp "$ISOLINUX_BIN" "$LDLINUX" "$tree/isolinux/"
    cp "$VMLINUZ" "$tree/boot/vmlinuz"
    cp "$INITRD" "$tree/boot/initrd.img"
    args="$CMDLINE${ISOS[$iso]:+ ${ISOS[$iso]}}"
    # PROMPT 0 and TIMEOUT 0: boot the default at once, no menu.
    cat > "$tree/isolinux/isolinux.cfg" <<EOF
DEFAULT tiny
PROMPT 0
TIMEOUT 0
LABEL tiny
  KERNEL /boot/vmlinuz
  INITRD /boot/initrd.img
  APPEND $args
EOF
    tmp="$SCRATCH/$iso"
    # xorriso prints its banner even with -quiet: show its words only when it fails.
    xorriso -as mkisofs -quiet -V "$VOLUME_ID" -o "$tmp" \
        -b isolinux/isolinux.bin -c isolinux/boot.cat \
        -no-emul-boot -boot-load-size 4 -boot-info-table "$tree" 2>"$SCRATCH/xorriso.log" ||
        { cat "$SCRATCH/xorriso.log" >&2; die "xorriso failed for $iso"; }
    isohybrid "$tmp" || die "isohybrid failed for $iso"
    mv -f "$tmp" "$OUTDIR/$iso"
    log "wrote $OUTDIR/$iso ($(stat -c %s "$OUTDIR/$iso") bytes; kernel arguments: $args)"
done
