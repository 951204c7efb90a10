#!/bin/sh
# libvirt-private.sh DIR
#
# Runs a libvirtd (qemu:///system) and its virtlogd for the benchmark only, in a
# private mount namespace: bench.py starts it as
#   unshare --mount --propagation private sh libvirt-private.sh DIR
# libvirt's state, cache, log and definition folders are fresh tmpfs mounts here,
# so nothing of the host's libvirt is read or changed and everything the bench
# defines vanishes with the daemon. DIR holds libvirtd.conf (the socket goes to
# DIR/sock, so virsh outside the namespace reaches it) and qemu.conf, which is
# mounted over /etc/libvirt/qemu.conf inside the namespace only.
#
# libvirtd ends up with the pid of this script (exec); virtlogd's pid goes to
# DIR/virtlogd.pid.
set -eu

dir=$1

# Only folders the libvirt packages made; none is created on the host.
for d in /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /etc/libvirt/qemu; do
    if [ ! -d "$d" ]; then
        echo "libvirt-private.sh: $d is missing: is libvirt-daemon-system installed?" >&2
        exit 1
    fi
    mount -t tmpfs -o mode=0755 hangar-bench "$d"
done
mount --bind "$dir/qemu.conf" /etc/libvirt/qemu.conf

virtlogd >"$dir/virtlogd.out" 2>&1 &
echo $! >"$dir/virtlogd.pid"

exec libvirtd -f "$dir/libvirtd.conf" -p "$dir/libvirtd.pid" >"$dir/libvirtd.out" 2>&1
