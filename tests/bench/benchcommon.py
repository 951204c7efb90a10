"""benchcommon: what the engine and window benchmarks share.

The tiny guest's definitions for Hangar and for libvirt, and small helpers.
"""

import os
import sys
import time

T_START = time.monotonic()

HANGAR_XML = """<domain type='kvm'>
  <name>{name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{kernel}</kernel>
    <initrd>{initrd}</initrd>
    <cmdline>console=ttyS0 quiet panic=-1</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <devices>
    <serial type='file'><source path='{log}'/></serial>
  </devices>
</domain>
"""

# The same guest for libvirt: TCG, and none of the devices libvirt adds on its own
# (USB controller, balloon), so that both QEMUs emulate the same machine.
LIBVIRT_XML = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{kernel}</kernel>
    <initrd>{initrd}</initrd>
    <cmdline>console=ttyS0 quiet panic=-1</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <devices>
    <serial type='file'><source path='{log}'/></serial>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
"""


# A private libvirtd's configuration (see libvirt-private.sh).
LIBVIRTD_CONF = """# hangar bench: a private libvirtd, see tests/bench/libvirt-private.sh
unix_sock_dir = "{sockdir}"
unix_sock_rw_perms = "0700"
auth_unix_rw = "none"
log_outputs = "3:file:{dir}/libvirtd.log"
"""


class Unavailable(Exception):
    """A column that cannot be measured here; its reason is printed instead."""


def env_int(name, default):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def log(message):
    print(f"[{time.monotonic() - T_START:6.1f}s] {message}", file=sys.stderr, flush=True)


def rss_kib(pid):
    """VmRSS of @pid in KiB, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None
