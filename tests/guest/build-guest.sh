#!/bin/bash
# Build the tiny test guest: OUTDIR/vmlinuz + OUTDIR/initramfs.img, and its bootable
# ISOs OUTDIR/tiny.iso + OUTDIR/tiny-reboot.iso (build-iso.sh).
#
# The kernel is Debian's cloud kernel and the userland is busybox-static;
# both .debs are fetched with `apt-get download` into OUTDIR/cache/ and
# unpacked with `dpkg-deb -x` (nothing is installed on the host).
# See README.md beside this file.
set -euo pipefail

usage() { echo "usage: $0 OUTDIR" >&2; exit 2; }
[ $# -eq 1 ] || usage

die() { echo "build-guest: error: $*" >&2; exit 1; }
log() { echo "build-guest: $*" >&2; }

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCRIPT="$SRCDIR/build-guest.sh"
INIT="$SRCDIR/init"
[ -f "$INIT" ] || die "missing $INIT"

mkdir -p "$1"
OUTDIR=$(cd "$1" && pwd)
VMLINUZ="$OUTDIR/vmlinuz"
INITRD="$OUTDIR/initramfs.img"
CACHE="$OUTDIR/cache"

up_to_date() {
    [ -s "$VMLINUZ" ] && [ -s "$INITRD" ] &&
    [ "$VMLINUZ" -nt "$SCRIPT" ] && [ "$VMLINUZ" -nt "$INIT" ] &&
    [ "$INITRD" -nt "$SCRIPT" ] && [ "$INITRD" -nt "$INIT" ]
}

if up_to_date; then
    exec bash "$SRCDIR/build-iso.sh" "$OUTDIR"
fi

# Serialise concurrent builds into the same OUTDIR.
exec 9>"$OUTDIR/.build.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
    if up_to_date; then exec bash "$SRCDIR/build-iso.sh" "$OUTDIR" 9>&-; fi
fi

for tool in apt-cache apt-get dpkg-deb gzip; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (Debian host expected)"
done
ARCH=$(dpkg --print-architecture 2>/dev/null || echo unknown)
[ "$ARCH" = amd64 ] || die "host architecture is '$ARCH'; this guest needs amd64 packages"

mkdir -p "$CACHE"

# --- resolve package names / versions ---------------------------------------

APT_UPDATED=0
apt_update_once() {
    [ "$APT_UPDATED" -eq 0 ] || return 1
    APT_UPDATED=1
    if [ "$(id -u)" -ne 0 ]; then
        log "apt lists look empty and we are not root: cannot run apt-get update"
        return 1
    fi
    log "apt lists look empty: running apt-get update once"
    apt-get update -qq >&2 || return 1
}

# Concrete kernel package that the linux-image-cloud-amd64 metapackage depends on.
resolve_kernel_pkg() {
    apt-cache depends linux-image-cloud-amd64 2>/dev/null |
        sed -n 's/^ *Depends: *\(linux-image-[0-9][^ ]*-cloud-amd64\)$/\1/p' | head -n1 || true
}

declare -A CANDIDATE=()
# resolve_versions PKG... -> fills CANDIDATE[PKG] with apt's candidate versions
resolve_versions() {
    local pkg ver
    while read -r pkg ver; do
        [ "$ver" = "(none)" ] || CANDIDATE[$pkg]=$ver
    done < <(apt-cache policy "$@" 2>/dev/null |
             awk '/^[^ ].*:$/ { sub(/:$/, ""); p = $0 } /^ *Candidate:/ { print p, $2 }')
}

# deb_file PKG VERSION -> file name that apt-get download writes
deb_file() {
    local ver=${2//:/%3a}
    echo "$CACHE/${1}_${ver}_${ARCH}.deb"
}

# newest_cached PKG-GLOB -> newest .deb in the cache matching it (offline fallback)
newest_cached() {
    local f
    # shellcheck disable=SC2012,SC2086  # $1 is a glob
    f=$(ls -t "$CACHE"/$1_*_"$ARCH".deb 2>/dev/null | head -n1 || true)
    echo "$f"
}

# fetch PKG -> prints the path of the cached .deb (apt's candidate version)
fetch() {
    local pkg=$1 ver=${CANDIDATE[$1]:-} deb
    if [ -z "$ver" ]; then
        deb=$(newest_cached "$pkg")
        [ -n "$deb" ] || die "cannot resolve package '$pkg' with apt-cache and nothing cached"
        log "apt cannot resolve $pkg; using cached ${deb##*/}"
        echo "$deb"; return
    fi
    deb=$(deb_file "$pkg" "$ver")
    if [ ! -s "$deb" ]; then
        log "downloading $pkg=$ver"
        local apt_opts=(-q)
        # As root, apt drops to the _apt user for downloading and warns
        # ("Download is performed unsandboxed as root") when _apt cannot
        # write the cwd; download as root instead, which is what would
        # happen anyway, without the warning.
        if [ "$(id -u)" -eq 0 ]; then apt_opts+=(-o APT::Sandbox::User=root); fi
        ( cd "$CACHE" && apt-get download "${apt_opts[@]}" "$pkg=$ver" ) >&2 ||
            die "apt-get download $pkg=$ver failed"
        [ -s "$deb" ] || deb=$(newest_cached "$pkg")
        if [ -z "$deb" ] || [ ! -s "$deb" ]; then
            die "downloaded $pkg but cannot find its .deb in $CACHE"
        fi
    fi
    echo "$deb"
}

KPKG=$(resolve_kernel_pkg)
if [ -z "$KPKG" ] && apt_update_once; then KPKG=$(resolve_kernel_pkg); fi
if [ -z "$KPKG" ]; then
    cached=$(newest_cached "linux-image-*-cloud-amd64")
    [ -n "$cached" ] || die "cannot resolve linux-image-cloud-amd64's kernel package"
    KPKG=${cached##*/}; KPKG=${KPKG%%_*}
fi
KVER=${KPKG#linux-image-}

resolve_versions "$KPKG" busybox-static
if { [ -z "${CANDIDATE[$KPKG]:-}" ] || [ -z "${CANDIDATE[busybox-static]:-}" ]; } &&
   apt_update_once; then
    resolve_versions "$KPKG" busybox-static
fi

KDEB=$(fetch "$KPKG")
BDEB=$(fetch busybox-static)

# --- unpack -----------------------------------------------------------------

SCRATCH=$(mktemp -d "$OUTDIR/.scratch.XXXXXX")
TMP_INITRD="$OUTDIR/.initramfs.img.tmp"
TMP_VMLINUZ="$OUTDIR/.vmlinuz.tmp"
cleanup() { rm -rf "$SCRATCH" "$TMP_INITRD" "$TMP_VMLINUZ"; }
trap cleanup EXIT

log "unpacking ${KDEB##*/} and ${BDEB##*/}"
dpkg-deb -x "$KDEB" "$SCRATCH/kernel"
dpkg-deb -x "$BDEB" "$SCRATCH/busybox"

KIMAGE="$SCRATCH/kernel/boot/vmlinuz-$KVER"
MODDIR="$SCRATCH/kernel/lib/modules/$KVER"
BUSYBOX="$SCRATCH/busybox/bin/busybox"
[ -f "$KIMAGE" ] || die "no boot/vmlinuz-$KVER in $KPKG"
[ -d "$MODDIR" ] || die "no lib/modules/$KVER in $KPKG"
[ -x "$BUSYBOX" ] || die "no bin/busybox in busybox-static"

# --- modules ----------------------------------------------------------------
# The package ships no modules.dep (depmod runs at install time), so the
# dependencies are read from each module's .modinfo "depends=" string.

ROOT="$SCRATCH/root"
mkdir -p "$ROOT"/{bin,sbin,dev,proc,sys,tmp,run,var/log,var/run,etc/acpi/PWRF,lib/modules}

declare -A MODPATH=()   # module name -> path in the package
while IFS= read -r -d '' f; do
    b=${f##*/}; b=${b%%.ko*}; b=${b//-/_}
    MODPATH[$b]=$f
done < <(find "$MODDIR" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.gz' -o -name '*.ko.zst' | tr '\n' '\0')

unxz_tool() {
    if command -v xz >/dev/null 2>&1; then xz -dc; else "$BUSYBOX" unxz -c; fi
}

declare -A SEEN=()      # module name -> 1 once copied into the initramfs
ORDER=()                # load order, dependencies first

# add_module NAME: copy NAME (decompressed) and its deps, deps first.
add_module() {
    local name=${1//-/_} src dst deps d
    [ -z "${SEEN[$name]:-}" ] || return 0
    src=${MODPATH[$name]:-}
    if [ -z "$src" ]; then
        if grep -q "/${name}\.ko" "$MODDIR/modules.builtin" 2>/dev/null ||
           grep -q "/${name//_/-}\.ko" "$MODDIR/modules.builtin" 2>/dev/null; then
            SEEN[$name]=builtin; return 0
        fi
        die "module '$name' not found in $KPKG"
    fi
    SEEN[$name]=pending
    dst="$ROOT/lib/modules/$name.ko"
    case $src in
        *.ko)     cp "$src" "$dst" ;;
        *.ko.xz)  unxz_tool < "$src" > "$dst" ;;
        *.ko.gz)  gzip -dc < "$src" > "$dst" ;;
        *.ko.zst) command -v zstd >/dev/null 2>&1 || die "$src is zstd-compressed and zstd is missing"
                  zstd -dc < "$src" > "$dst" ;;
    esac
    deps=$(tr '\0' '\n' < "$dst" | sed -n 's/^depends=//p' | head -n1)
    for d in ${deps//,/ }; do add_module "$d"; done
    ORDER+=("$name")
    SEEN[$name]=1
}

# required: the READY line depends on these (ACPI power button -> acpid)
for m in button evdev; do add_module "$m"; done
REQUIRED=("${ORDER[@]}")
ORDER=()
# best effort: whatever virtio hardware the guest may be given
for m in virtio_pci virtio_blk virtio_net virtio_console; do add_module "$m"; done
OPTIONAL=("${ORDER[@]}")

printf '%s\n' "${REQUIRED[@]}" > "$ROOT/etc/modules.required"
printf '%s\n' ${OPTIONAL[@]+"${OPTIONAL[@]}"} > "$ROOT/etc/modules.optional"
log "kernel $KVER; modules: required ${REQUIRED[*]}; optional ${OPTIONAL[*]:-none}"

# --- userland ---------------------------------------------------------------

cp "$BUSYBOX" "$ROOT/bin/busybox"
for applet in $("$BUSYBOX" --list); do
    [ "$applet" = busybox ] && continue
    case $applet in
        init|linuxrc) continue ;;   # /init is ours
    esac
    ln -s busybox "$ROOT/bin/$applet"
done
for applet in poweroff reboot halt acpid insmod; do
    ln -s ../bin/busybox "$ROOT/sbin/$applet"
done

install -m 0755 "$INIT" "$ROOT/init"

# The QEMU guest agent with the libraries it links, taken from the host (Debian's
# qemu-guest-agent, which .ci/install-deps installs): what a machine's guest-agent
# channel talks to. init starts it when the machine has that channel.
QGA=$(command -v qemu-ga 2>/dev/null || echo /usr/sbin/qemu-ga)
[ -x "$QGA" ] || die "qemu-ga not found: install Debian's qemu-guest-agent"
command -v ldd >/dev/null 2>&1 || die "'ldd' not found"
install -m 0755 "$QGA" "$ROOT/sbin/qemu-ga"
ldd "$QGA" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
while read -r lib; do
    mkdir -p "$ROOT$(dirname "$lib")"
    cp -L "$lib" "$ROOT$lib"
done
cat > "$ROOT/etc/os-release" <<'EOF'
PRETTY_NAME="Hangar tiny test guest"
NAME="Hangar tiny guest"
ID=hangar-tiny
VERSION_ID=1
EOF

cat > "$ROOT/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
# ACPI power button (busybox acpid): power off at once.
echo "HANGAR-GUEST-POWEROFF" > /dev/console 2>/dev/null
poweroff -f
EOF
chmod 0755 "$ROOT/etc/acpi/PWRF/00000080"

echo "root:x:0:0:root:/root:/bin/sh" > "$ROOT/etc/passwd"
echo "root:x:0:" > "$ROOT/etc/group"
echo "$KVER" > "$ROOT/etc/guest-kernel"
mkdir -p "$ROOT/root"

# The kernel opens /dev/console before running /init; a node in the archive
# gives early output a place to go (init also reopens it after devtmpfs).
mknod -m 0600 "$ROOT/dev/console" c 5 1 2>/dev/null || true
mknod -m 0666 "$ROOT/dev/null" c 1 3 2>/dev/null || true

# --- archive ----------------------------------------------------------------

(
    cd "$ROOT"
    if command -v cpio >/dev/null 2>&1; then
        find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible
    else
        find . -mindepth 1 | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc
    fi
) | gzip -9n > "$TMP_INITRD"
cp "$KIMAGE" "$TMP_VMLINUZ"

mv -f "$TMP_VMLINUZ" "$VMLINUZ"
mv -f "$TMP_INITRD" "$INITRD"
log "wrote $VMLINUZ ($(stat -c %s "$VMLINUZ") bytes) and $INITRD ($(stat -c %s "$INITRD") bytes)"

bash "$SRCDIR/build-iso.sh" "$OUTDIR"
