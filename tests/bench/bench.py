#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hangar's benchmarks: Hangar, bare QEMU and libvirt side by side, in one run.

Run through meson (`meson test -C build --setup bench --suite bench`), or by hand:

    python3 tests/bench/bench.py --tool build/tests/bench/hangar-bench-tool \
        --engine build/engine/hangar-engine --hangarctl build/engine/hangarctl \
        --guest-dir /tmp/guest-out --libvirt-helper tests/bench/libvirt-private.sh

Everything that is timed is timed by hangar-bench-tool (C, CLOCK_MONOTONIC); this
script sets up, runs it, cleans up and prints the tables. See README.md for what
each figure means. Environment knobs:

    HANGAR_BENCH_N          boots per column (10)
    HANGAR_BENCH_START_N    Start calls per column (20)
    HANGAR_BENCH_LIST_N     list --all runs per column (20)
    HANGAR_BENCH_VMS        definitions for the list and memory figures (200)
    HANGAR_BENCH_LIBVIRT    "auto" (default) or "no"
    HANGAR_BENCH_BUDGET_S   wall-clock budget of the whole run (270)
    HANGAR_BENCH_KEEP       "1": keep the temporary folder (logs) afterwards
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from benchcommon import (HANGAR_XML, LIBVIRT_XML, LIBVIRTD_CONF, T_START, Unavailable, env_int,
                         log, rss_kib)

REAPER_MARK = "HANGAR_BENCH_UNDER_REAPER"

# /dev/kvm is root-only (0600) on these machines: as the default user
# (libvirt-qemu) libvirt finds KVM "no longer available" at every start and
# probes QEMU's capabilities again (seconds). Running QEMU as root keeps its
# capability cache valid, as on a host with a usable /dev/kvm.
QEMU_CONF = """# hangar bench: see bench.py
user = "root"
group = "root"
"""


class Bench:
    def __init__(self, args):
        self.args = args
        self.n = env_int("HANGAR_BENCH_N", 10)
        self.start_n = env_int("HANGAR_BENCH_START_N", 20)
        self.list_n = env_int("HANGAR_BENCH_LIST_N", 20)
        self.vms = env_int("HANGAR_BENCH_VMS", 200)
        self.budget = env_int("HANGAR_BENCH_BUDGET_S", 270)
        self.want_libvirt = os.environ.get("HANGAR_BENCH_LIBVIRT", "auto") != "no"
        self.ready_timeout_ms = 30000
        self.dir = tempfile.mkdtemp(prefix="hangar-bench-")
        os.chmod(self.dir, 0o755)
        self.procs = {}          # name -> Popen, to stop at the end
        self.env = dict(os.environ)
        self.libvirt_reason = None
        self.libvirt_uri = None
        self.libvirt_defined = set()
        self.hangar_ok = False
        self.results = {}
        self.notes = []
        self.qemu_argv_file = None
        self.rounds = []         # per boot round: column -> define → READY ms
        self.rounds_start = []   # per Start round: (Hangar Start, bare QEMU floor)

    # ---- helpers --------------------------------------------------------------

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def left(self):
        return self.budget - (time.monotonic() - T_START)

    def tool(self, *argv, check=True, timeout=120):
        """Runs hangar-bench-tool; returns its JSON lines."""
        proc = subprocess.run([self.args.tool, *map(str, argv)], env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=timeout)
        if proc.returncode != 0 and check:
            raise RuntimeError(f"hangar-bench-tool {argv[0]}: {proc.stderr.strip()}")
        return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]

    def run(self, argv, check=True, timeout=60, stdin=None):
        proc = subprocess.run(argv, env=self.env, stdin=stdin, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)}: {proc.stderr.strip()}")
        return proc

    def ctl(self, *argv, check=True):
        return self.run([self.args.hangarctl, *argv], check=check)

    def virsh(self, *argv, check=True, timeout=60, stdin=None):
        return self.run(["virsh", "-q", "-c", self.libvirt_uri, *argv], check=check,
                        timeout=timeout, stdin=stdin)

    def record(self, key, samples):
        self.results.setdefault(key, []).extend(samples)

    @staticmethod
    def cpu_ms(pid):
        """User + system CPU time of @pid so far (clock-tick resolution)."""
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) * 1e3 / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def daemon_cpu(self):
        out = {}
        if self.hangar_ok and "hangar-engine" in self.procs:
            out["hangar"] = self.cpu_ms(self.procs["hangar-engine"].pid)
        if self.libvirt_uri and "libvirtd" in self.procs:
            out["libvirt"] = self.cpu_ms(self.procs["libvirtd"].pid)
        return out

    rss_kib = staticmethod(rss_kib)

    # ---- set-up ---------------------------------------------------------------

    def setup_common(self):
        for name in ("vmlinuz", "initramfs.img"):
            src = os.path.join(self.args.guest_dir, name)
            if not os.path.exists(src):
                raise SystemExit(f"bench: no tiny guest at {src}: build the tiny_guest target "
                                 "or tests/guest/build-guest.sh first")
            # A copy of its own: libvirt relabels (chowns) what it boots.
            shutil.copy(src, self.path(name))
            os.chmod(self.path(name), 0o644)
        self.kernel = self.path("vmlinuz")
        self.initrd = self.path("initramfs.img")

        proc = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.procs["dbus-daemon"] = proc
        address = proc.stdout.readline().strip()
        if not address:
            raise SystemExit("bench: dbus-daemon did not start")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address

    def start_engine(self):
        for sub in ("config", "data", "run"):
            os.makedirs(self.path("hangar", sub), exist_ok=True)
        os.chmod(self.path("hangar", "run"), 0o700)
        self.env.update({
            "XDG_CONFIG_HOME": self.path("hangar", "config"),
            "XDG_DATA_HOME": self.path("hangar", "data"),
            "XDG_RUNTIME_DIR": self.path("hangar", "run"),
            "HANGAR_ACCEL": "tcg",
        })
        out = open(self.path("engine.log"), "a")
        self.procs["hangar-engine"] = subprocess.Popen([self.args.engine], env=self.env,
                                                       stdout=out, stderr=out)
        self.tool("wait-engine", 10000)
        self.hangar_ok = True
        log("hangar-engine up")

    def start_libvirt(self):
        if not self.want_libvirt:
            raise Unavailable("switched off (HANGAR_BENCH_LIBVIRT=no)")
        for program in ("libvirtd", "virtlogd", "virsh", "unshare"):
            if shutil.which(program) is None:
                raise Unavailable(f"{program} is not in PATH (Debian: apt-get install "
                                  "libvirt-daemon-system libvirt-clients)")
        if os.geteuid() != 0:
            raise Unavailable("the private qemu:///system daemon needs root")
        self.libvirt_instance = getattr(self, "libvirt_instance", 0) + 1
        lv = self.path(f"libvirt{self.libvirt_instance}")
        os.makedirs(os.path.join(lv, "sock"))
        with open(os.path.join(lv, "libvirtd.conf"), "w") as f:
            f.write(LIBVIRTD_CONF.format(sockdir=os.path.join(lv, "sock"), dir=lv))
        with open(os.path.join(lv, "qemu.conf"), "w") as f:
            f.write(QEMU_CONF)
        self.libvirt_uri = f"qemu:///system?socket={lv}/sock/libvirt-sock"
        # unshare and sh exec: the Popen pid is libvirtd's.
        self.procs["libvirtd"] = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", self.args.libvirt_helper, lv],
            env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(lv, "helper.err"), "w"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.procs["libvirtd"].poll() is not None:
                break
            if os.path.exists(os.path.join(lv, "sock", "libvirt-sock")) and \
                    self.virsh("version", check=False, timeout=30).returncode == 0:
                break
            time.sleep(0.05)
        else:
            raise Unavailable("libvirtd did not answer within 60 s")
        if self.procs["libvirtd"].poll() is not None:
            err = ""
            for name in ("helper.err", "libvirtd.out"):
                try:
                    err += open(os.path.join(lv, name)).read()
                except OSError:
                    pass
            raise Unavailable("libvirtd ended at start: " + (err.strip()[-300:] or "no message"))
        try:
            self.procs["virtlogd"] = int(open(os.path.join(lv, "virtlogd.pid")).read())
        except (OSError, ValueError):
            pass
        log("libvirtd up")

    # ---- measurements ----------------------------------------------------------

    def memory(self, key):
        entry = {}
        if self.hangar_ok:
            entry["hangar"] = self.rss_kib(self.procs["hangar-engine"].pid)
        if self.libvirt_uri:
            entry["libvirtd"] = self.rss_kib(self.procs["libvirtd"].pid)
            if "virtlogd" in self.procs:
                entry["virtlogd"] = self.rss_kib(self.procs["virtlogd"])
        self.results[key] = entry

    def lists(self, key):
        if self.hangar_ok:
            self.tool("cmd-time", 2, self.args.hangarctl, "list", "--all")   # warm-up
            self.record(f"{key}/hangar", [s["ms"] for s in
                        self.tool("cmd-time", self.list_n, self.args.hangarctl, "list", "--all")])
            mo = self.tool("managed-objects", self.list_n)
            self.record(f"{key}/hangar-mo", [s["ms"] for s in mo])
            self.results[f"{key}/hangar-mo-bytes"] = mo[-1]["bytes"]
        if self.libvirt_uri:
            argv = ["virsh", "-c", self.libvirt_uri, "list", "--all"]
            self.tool("cmd-time", 2, *argv)
            self.record(f"{key}/libvirt", [s["ms"] for s in
                        self.tool("cmd-time", self.list_n, *argv)])

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def start_returns(self):
        """Start → reply, QEMU running; the guest is killed at once each time."""
        xml = self.write("start-hangar.xml", HANGAR_XML.format(
            name="bench-start", kernel=self.kernel, initrd=self.initrd,
            log=self.path("start-hangar.log")))
        self.ctl("define", xml)
        # Hangar's own QEMU command line, for the bare QEMU column.
        self.ctl("start", "bench-start")
        running = self.our_qemus()
        self.ctl("destroy", "bench-start")
        if len(running) == 1:
            self.qemu_argv_file = self.bare_argv(running[0][1], self.path("start-hangar.log"))
        else:
            self.notes.append("bare QEMU skipped: could not find Hangar's QEMU to copy its argv")
        # Interleaved, so that all three see the same load: the D-Bus call, bare QEMU
        # (spawn → QMP answered, then killed), the hangarctl process.
        for i in range(self.start_n + 1):          # round 0 is the warm-up
            s = self.tool("start-loop", "bench-start", 1)[0]
            if self.qemu_argv_file:
                b = self.tool("qemu-boot", self.qemu_argv_file, self.path("bare", "qmp.sock"),
                              self.path("boot-bare.log"), 0)[0]
            ms = self.tool("cmd-time", 1, self.args.hangarctl, "start", "bench-start")[0]["ms"]
            self.ctl("destroy", "bench-start")
            if i > 0:
                self.record("start/hangar-dbus", [s["start_ms"]])
                self.record("forceoff/hangar-dbus", [s["force_off_ms"]])
                self.record("start/hangarctl", [ms])
                if self.qemu_argv_file:
                    self.record("start/bare", [b["handshake_ms"]])
                    self.record("qmp-greeting/bare", [b["greeting_ms"]])
                    self.rounds_start.append((s["start_ms"], b["handshake_ms"]))
        self.tool("force-off-delete", "bench-start")
        self.record("qemu-version", [s["ms"] for s in self.tool(
            "cmd-time", self.start_n, "qemu-system-x86_64", "-version")])
        log("Hangar start loops done")

        if self.libvirt_uri:
            xml = self.write("start-libvirt.xml", LIBVIRT_XML.format(
                name="bench-start", kernel=self.kernel, initrd=self.initrd,
                log=self.path("start-libvirt.log")))
            self.virsh("define", xml)
            self.libvirt_defined.add("bench-start")
            for i in range(self.start_n + 1):
                if self.left() < 120:
                    self.notes.append(f"virsh start loop cut short at {i} runs (time budget)")
                    break
                ms = self.tool("cmd-time", 1, "virsh", "-c", self.libvirt_uri,
                               "start", "bench-start")[0]["ms"]
                t0 = time.perf_counter()
                self.virsh("destroy", "bench-start")
                destroy_ms = (time.perf_counter() - t0) * 1e3
                if i > 0:
                    self.record("start/virsh", [ms])
                    self.record("forceoff/virsh", [destroy_ms])
            self.virsh("undefine", "bench-start")
            self.libvirt_defined.discard("bench-start")
            log("libvirt start loop done")

    def boot_hangar(self, record):
        log_path = self.path("boot-hangar.log")
        xml = self.write("boot-hangar.xml", HANGAR_XML.format(
            name="bench-boot", kernel=self.kernel, initrd=self.initrd, log=log_path))
        s = self.tool("hangar-boot", xml, log_path, self.ready_timeout_ms)[0]
        if record:
            self.rounds[-1]["hangar"] = s["ready_ms"]
            self.rounds[-1]["hangar-pre"] = s["define_ms"] + s["start_ms"]
            self.record("boot/hangar", [s["ready_ms"]])
            self.record("boot-guest/hangar", [s["start_to_ready_ms"]])
            self.record("boot-start/hangar", [s["start_ms"]])
            self.record("boot-define/hangar", [s["define_ms"]])

    def bare_argv(self, argv, hangar_log):
        """Hangar's exact QEMU argv, its runtime folder and serial log swapped for ours."""
        argv = [a for a in argv if a != ""]
        # Every path in the machine's runtime folder moves to a folder of our own.
        runtime = re.escape(self.path("hangar", "run", "hangar")) + r"/[^/,]+"
        bare_run = self.path("bare")
        os.makedirs(bare_run, exist_ok=True)
        out = [re.sub(runtime, bare_run, a).replace(hangar_log, self.path("boot-bare.log"))
               for a in argv]
        self.write("bare-qemu.argv", "\0".join(out) + "\0")
        self.write("bare-qemu.txt", " ".join(out) + "\n")
        return self.path("bare-qemu.argv")

    def boot_bare(self, record):
        s = self.tool("qemu-boot", self.qemu_argv_file, self.path("bare", "qmp.sock"),
                      self.path("boot-bare.log"), self.ready_timeout_ms)[0]
        if record:
            self.rounds[-1]["bare"] = s["ready_ms"]
            self.rounds[-1]["bare-pre"] = s["handshake_ms"]
            self.record("boot/bare", [s["ready_ms"]])
            self.record("boot-guest/bare", [s["ready_ms"] - s["handshake_ms"]])
            self.record("boot-start/bare", [s["handshake_ms"]])

    def boot_libvirt(self, record):
        log_path = self.path("boot-libvirt.log")
        xml = self.write("boot-libvirt.xml", LIBVIRT_XML.format(
            name="bench-boot", kernel=self.kernel, initrd=self.initrd, log=log_path))
        virsh = ["virsh", "-c", self.libvirt_uri]
        self.libvirt_defined.add("bench-boot")
        s = self.tool("cmd-boot", log_path, self.ready_timeout_ms,
                      "--cmd", *virsh, "define", xml, "--cmd", *virsh, "start", "bench-boot")[0]
        if not os.path.exists(self.path("libvirt-qemu.txt")):
            self.save_qemu_cmdline(self.path("libvirt-qemu.txt"))
        self.virsh("destroy", "bench-boot")
        self.virsh("undefine", "bench-boot")
        self.libvirt_defined.discard("bench-boot")
        if record:
            self.rounds[-1]["libvirt"] = s["ready_ms"]
            self.rounds[-1]["libvirt-pre"] = sum(s["cmd_ms"])
            self.record("boot/libvirt", [s["ready_ms"]])
            self.record("boot-guest/libvirt", [s["ready_ms"] - sum(s["cmd_ms"])])
            self.record("boot-define/libvirt", [s["cmd_ms"][0]])
            self.record("boot-start/libvirt", [s["cmd_ms"][1]])

    def our_qemus(self):
        """Pids and command lines of running QEMUs that boot files of this bench."""
        found = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                argv = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace")
            except OSError:
                continue
            if "qemu-system" in argv and self.dir in argv:
                found.append((int(pid), argv.split("\0")))
        return found

    def save_qemu_cmdline(self, path):
        """libvirt's QEMU command line, for comparison (kept with HANGAR_BENCH_KEEP=1)."""
        with open(path, "w") as f:
            for pid, argv in self.our_qemus():
                f.write(" ".join(argv) + "\n")

    def boots(self):
        columns = [("hangar", self.boot_hangar)]
        if self.qemu_argv_file:
            columns.append(("bare", self.boot_bare))
        if self.libvirt_uri:
            columns.append(("libvirt", self.boot_libvirt))
        round_s = None
        cpu0 = None
        for i in range(self.n + 1):           # round 0 is the warm-up
            t0 = time.monotonic()
            if i == 1:
                cpu0 = self.daemon_cpu()
            if round_s is not None and self.left() < round_s * 1.5 + 45:
                self.notes.append(f"boots cut short after {i - 1} of {self.n} rounds "
                                  "(time budget)")
                break
            if i > 0:
                self.rounds.append({})
            for name, boot in columns:
                try:
                    boot(record=i > 0)
                except Exception as e:        # one failed boot is a note, not the end
                    self.notes.append(f"boot {name} round {i}: {e}")
                    log(f"boot {name} round {i} failed: {e}")
            round_s = time.monotonic() - t0
            log(f"boot round {i} done ({round_s:.1f} s)")
        if cpu0 is not None and self.rounds:
            for who, before in cpu0.items():
                after = self.daemon_cpu().get(who)
                if before is not None and after is not None:
                    self.results[f"boot-cpu/{who}"] = (after - before) / len(self.rounds)

    def many(self):
        template = self.write("many-hangar.xml", HANGAR_XML.format(
            name="@NAME@", kernel=self.kernel, initrd=self.initrd, log=self.path("many.log")))
        s = self.tool("define-many", template, self.vms, "bench-", timeout=120)[0]
        self.results["define-many/hangar"] = s["total_ms"]
        if self.libvirt_uri:
            os.makedirs(self.path("many"), exist_ok=True)
            commands = []
            for i in range(self.vms):
                xml = self.path("many", f"bench-{i}.xml")
                with open(xml, "w") as f:
                    f.write(LIBVIRT_XML.format(name=f"bench-{i}", kernel=self.kernel,
                                               initrd=self.initrd, log=self.path("many.log")))
                commands.append(f"define {xml}\n")
                self.libvirt_defined.add(f"bench-{i}")
            batch = self.write("many-define.virsh", "".join(commands))
            t0 = time.perf_counter()
            with open(batch) as f:
                self.virsh(stdin=f, timeout=120)
            self.results["define-many/libvirt"] = (time.perf_counter() - t0) * 1e3
        log(f"{self.vms} definitions made")

    # ---- clean-up --------------------------------------------------------------

    def stop(self, name):
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        pid = proc if isinstance(proc, int) else proc.pid
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        if isinstance(proc, int):
            return  # not our child: the reaper collects it
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def stop_engine(self):
        """Deletes what the bench defined, stops the engine."""
        engine = self.procs.get("hangar-engine")
        if engine is not None and engine.poll() is None:
            for name in ("bench-boot", "bench-start"):
                self.tool("force-off-delete", name, check=False, timeout=30)
            self.tool("delete-many", self.vms, "bench-", check=False, timeout=120)
        self.stop("hangar-engine")

    def stop_libvirt(self):
        """Destroys and undefines what the bench defined, stops libvirtd and virtlogd."""
        libvirtd = self.procs.get("libvirtd")
        if libvirtd is not None and libvirtd.poll() is None and self.libvirt_defined:
            lines = []
            for name in sorted(self.libvirt_defined):
                if name in ("bench-boot", "bench-start"):
                    self.virsh("destroy", name, check=False)
                lines.append(f"undefine {name}\n")
            batch = self.write("cleanup.virsh", "".join(lines))
            with open(batch) as f:
                self.virsh(stdin=f, check=False, timeout=120)
            self.libvirt_defined.clear()
        self.stop("libvirtd")
        self.stop("virtlogd")

    def cleanup(self):
        self.stop_engine()
        self.stop_libvirt()
        self.stop("dbus-daemon")
        # Any QEMU of ours that survived (QEMU runs in a session of its own).
        for pid, argv in self.our_qemus():
            log(f"killing leftover QEMU {pid}")
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if os.environ.get("HANGAR_BENCH_KEEP") == "1":
            log(f"kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    # ---- report ----------------------------------------------------------------

    def report(self):
        r = self.results

        def stats(key):
            s = r.get(key)
            if not s:
                return None
            return statistics.median(s), min(s), max(s), len(s)

        def cell(key, missing="—"):
            st = stats(key)
            if st is None:
                return missing
            med, lo, hi, n = st
            return f"{med:8.1f} [{lo:.1f}–{hi:.1f}] n={n}"

        def med(key):
            st = stats(key)
            return st[0] if st else None

        lv_missing = "n/a (see below)" if self.libvirt_reason else "—"
        w0, w = 34, 31

        def table(title, rows, columns=("Hangar", "bare QEMU", "libvirt")):
            print(f"\n{title}")
            print(" " * w0 + "".join(f"{c:<{w}}" for c in columns))
            for label, cells in rows:
                print(f"{label:<{w0}}" + "".join(f"{c:<{w}}" for c in cells))

        def ratio(a, b):
            if a is None or b is None or b == 0:
                return "n/a"
            return f"{a / b:.2f}×"

        print()
        print("=" * 100)
        print(f"Hangar benchmarks  {datetime.datetime.now():%Y-%m-%d %H:%M}  "
              f"{self.qemu_version}, TCG, {os.cpu_count()} CPUs")
        print("times in ms: median [min–max] n=runs; memory: VmRSS in MiB")
        print("=" * 100)

        table("1. Start return time (call issued → reply; QEMU runs the guest)", [
            ("Start over D-Bus (in-process)", [cell("start/hangar-dbus"),
                                               cell("start/bare"), "—"]),
            ("CLI `start` (whole process)", [cell("start/hangarctl"), "—",
                                             cell("start/virsh", lv_missing)]),
            ("ForceOff / virsh destroy", [cell("forceoff/hangar-dbus"), "—",
                                          cell("forceoff/virsh", lv_missing)]),
        ])
        print("  bare QEMU column: spawn → QMP greeting + qmp_capabilities answered, "
              "what Hangar's Start waits for")
        print(f"  of that, QMP greeting (sent before machine init): {cell('qmp-greeting/bare')}")
        print(f"  `qemu-system-x86_64 -version` (exec + dynamic linking only): "
              f"{cell('qemu-version')}")
        d = med("start/hangar-dbus")
        if self.rounds_start:
            diffs = [h - b for h, b in self.rounds_start]
            print(f"  Hangar Start − bare QEMU floor, paired per round: "
                  f"{statistics.median(diffs):+.1f} ms [{min(diffs):+.1f} … {max(diffs):+.1f}] "
                  f"(the engine's own cost)")
        print(f"  virsh start / hangarctl start: {ratio(med('start/virsh'), med('start/hangarctl'))}")
        if d is not None:
            print(f"  target Hangar Start < 30 ms: {'MET' if d < 30 else 'MISSED'} ({d:.1f} ms)")

        table("2. define + start → HANGAR-GUEST-READY on the serial port", [
            ("define → READY (total)", [cell("boot/hangar"), cell("boot/bare"),
                                        cell("boot/libvirt", lv_missing)]),
            ("  of which define", [cell("boot-define/hangar"), "—",
                                   cell("boot-define/libvirt", lv_missing)]),
            ("  of which start returned", [cell("boot-start/hangar"), cell("boot-start/bare"),
                                           cell("boot-start/libvirt", lv_missing)]),
            ("start returned → READY (guest)", [cell("boot-guest/hangar"), cell("boot-guest/bare"),
                                                cell("boot-guest/libvirt", lv_missing)]),
        ])
        print("  Hangar: DefineMachine + Start over D-Bus; bare QEMU: fork+exec of Hangar's own "
              "argv; libvirt: `virsh define` + `virsh start` processes")
        ch, cl = r.get("boot-cpu/hangar"), r.get("boot-cpu/libvirt")
        if ch is not None:
            print(f"  daemon CPU time per boot (define, start, stop, undefine): hangar-engine "
                  f"{ch:.0f} ms" + (f", libvirtd {cl:.0f} ms" if cl is not None else ""))
        h, q, l = med("boot/hangar"), med("boot/bare"), med("boot/libvirt")
        def paired_list(a, b):
            return [x[a] - x[b] for x in self.rounds if a in x and b in x]

        def paired(a, b):
            d = paired_list(a, b)
            if not d:
                return "n/a"
            return (f"{statistics.median(d):+.1f} ms [{min(d):+.0f} … {max(d):+.0f}] "
                    f"over {len(d)} rounds")
        if h is not None and q is not None:
            print(f"  Hangar − bare QEMU: medians {h - q:+.1f} ms, ratio {ratio(h, q)}; "
                  f"paired per round {paired('hangar', 'bare')}")
            st = stats("boot-guest/bare")
            print(f"  guest boot jitter under TCG here (bare max−min): {st[2] - st[1]:.0f} ms, "
                  f"so READY medians cannot resolve 50 ms; what differs is the time until")
            print(f"  the guest runs: Hangar define+Start returned − bare spawn→QMP answered, "
                  f"paired: {paired('hangar-pre', 'bare-pre')}")
            pre = paired_list("hangar-pre", "bare-pre")
            if pre:
                verdict = "MET" if statistics.median(pre) <= 50 else "MISSED"
                print(f"  target Hangar READY ≤ bare + 50 ms: {verdict} on the time until the "
                      f"guest runs; {'MET' if h - q <= 50 else 'MISSED'} on READY medians")
        if h is not None and l is not None:
            print(f"  libvirt − Hangar: medians {l - h:+.1f} ms, ratio libvirt/Hangar "
                  f"{ratio(l, h)}; paired per round {paired('libvirt', 'hangar')}")
            print(f"  until the guest runs, libvirt − Hangar paired: "
                  f"{paired('libvirt-pre', 'hangar-pre')}")

        table(f"3. `list --all` wall time (process start to exit)", [
            ("0 machines defined", [cell("list0/hangar"), "—", cell("list0/libvirt", lv_missing)]),
            (f"{self.vms} machines defined", [cell("list200/hangar"), "—",
                                              cell("list200/libvirt", lv_missing)]),
            ("  engine's GetManagedObjects, 0", [cell("list0/hangar-mo"), "", ""]),
            (f"  engine's GetManagedObjects, {self.vms}", [cell("list200/hangar-mo"), "", ""]),
        ], columns=("hangarctl", "", "virsh"))
        if r.get("list200/hangar-mo-bytes"):
            print(f"  GetManagedObjects (what hangarctl's object manager asks first) is the "
                  f"engine's share; reply {r['list200/hangar-mo-bytes'] / 1024:.0f} KiB "
                  f"with {self.vms}")
        print(f"  virsh/hangarctl with {self.vms}: "
              f"{ratio(med('list200/libvirt'), med('list200/hangar'))}")
        dh, dl = r.get("define-many/hangar"), r.get("define-many/libvirt")
        if dh is not None:
            print(f"  defining {self.vms}: Hangar {dh:.0f} ms (one D-Bus client)"
                  + (f", libvirt {dl:.0f} ms (one virsh reading commands)" if dl else ""))

        def mib(key, who):
            v = r.get(key, {}).get(who)
            return f"{v / 1024:.1f}" if v is not None else "n/a"

        def mem_ratio(key):
            e = r.get(key, {})
            if e.get("hangar") and e.get("libvirtd"):
                return f"{e['libvirtd'] / e['hangar']:.2f}×"
            return "n/a"

        print("\n4. Daemon memory (VmRSS, MiB)")
        print(f"{'':<{w0}}{'hangar-engine':<{w}}{'libvirtd':<{w}}{'virtlogd':<{16}}libvirtd/engine")
        for key, label in (("mem/fresh", "fresh, 0 defined"),
                           ("mem/after-boots", "after sections 1–2, 0 defined"),
                           ("mem/fresh2", "restarted, 0 defined"),
                           ("mem/many", f"restarted + {self.vms} defined")):
            print(f"{label:<{w0}}{mib(key, 'hangar'):<{w}}{mib(key, 'libvirtd'):<{w}}"
                  f"{mib(key, 'virtlogd'):<{16}}{mem_ratio(key)}")

        if self.libvirt_reason:
            print(f"\nlibvirt column unavailable: {self.libvirt_reason}")
        else:
            print("\nlibvirt: private libvirtd 9 (qemu:///system) started by the bench, QEMU run "
                  "as root (see README.md)")
        for note in self.notes:
            print(f"note: {note}")
        print(f"total bench time: {time.monotonic() - T_START:.0f} s")

    def restart_daemons(self):
        if self.hangar_ok:
            self.stop_engine()
            self.start_engine()
        if self.libvirt_uri:
            self.stop_libvirt()
            try:
                self.start_libvirt()
            except Unavailable as e:
                self.libvirt_reason = f"second libvirtd did not start: {e}"
                self.libvirt_uri = None
        time.sleep(1.0)
        self.memory("mem/fresh2")

    # ---- main ------------------------------------------------------------------

    def main(self):
        failure = None
        self.qemu_version = "QEMU ?"
        try:
            self.setup_common()
            v = self.run(["qemu-system-x86_64", "--version"], check=False).stdout.splitlines()
            self.qemu_version = v[0] if v else "QEMU ?"
            self.start_engine()
            try:
                self.start_libvirt()
            except Unavailable as e:
                self.libvirt_reason = str(e)
                self.libvirt_uri = None
                log(f"libvirt unavailable: {e}")
            time.sleep(1.0)
            self.memory("mem/fresh")
            self.lists("list0")
            log("lists with 0 done")
            self.start_returns()
            self.boots()
            time.sleep(0.5)
            self.memory("mem/after-boots")
            # Fresh daemons for the definitions, so that their memory is theirs alone.
            self.restart_daemons()
            self.many()
            time.sleep(1.0)
            self.memory("mem/many")
            self.lists("list200")
            log(f"lists with {self.vms} done")
        except (Exception, SystemExit) as e:
            failure = e
            self.notes.append(f"RUN FAILED, figures are partial: {e}")
        finally:
            log("cleaning up")
            self.cleanup()
        self.report()
        if failure is not None:
            print(f"bench: failed: {failure}", file=sys.stderr)
            return 1
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tool", required=True)
    parser.add_argument("--engine", required=True)
    parser.add_argument("--hangarctl", required=True)
    parser.add_argument("--guest-dir", required=True)
    parser.add_argument("--libvirt-helper", required=True)
    args = parser.parse_args()
    for name in ("tool", "engine", "hangarctl", "libvirt_helper", "guest_dir"):
        setattr(args, name, os.path.abspath(getattr(args, name)))

    # Orphans (libvirt's QEMUs, libvirtd's probes) must be reaped at once: PID 1 here
    # takes about 2 s, which libvirt would wait for. Run under the tool's subreaper.
    if os.environ.get(REAPER_MARK) != "1":
        os.environ[REAPER_MARK] = "1"
        os.execv(args.tool, [args.tool, "reap", sys.executable, os.path.abspath(__file__),
                             *sys.argv[1:]])

    def on_term(signum, frame):
        raise SystemExit(f"bench: signal {signum}")
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    return Bench(args).main()


if __name__ == "__main__":
    sys.exit(main())
