#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hangar's window benchmarks: hangar against virt-manager, and 1,000 machines.

Run through meson (`meson test -C build --setup bench --suite bench`), or by hand:

    python3 tests/bench/window/window.py --tool build/tests/bench/window/hangar-window-bench \
        --hangar build/ui/hangar --engine build/engine/hangar-engine \
        --hangarctl build/engine/hangarctl --guest-dir build/tests/guest \
        --session-conf tests/session.conf --libvirt-helper tests/bench/libvirt-private.sh

Everything timed is timed by hangar-window-bench (C, CLOCK_MONOTONIC); this script
sets up, runs it, cleans up and prints the tables. See README.md. Environment knobs:

    HANGAR_WBENCH_N         timed starts per column (10), after one warm-up each
    HANGAR_WBENCH_VMS       machines for section 2 (1000)
    HANGAR_WBENCH_POP_N     timed window runs with them (5), after one warm-up
    HANGAR_WBENCH_LIBVIRT   "auto" (default) or "no"
    HANGAR_WBENCH_BUDGET_S  wall-clock budget (240)
    HANGAR_WBENCH_KEEP      "1": keep the temporary folder (logs) afterwards
"""

import argparse
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
import uuid as uuidlib

# benchcommon lives one folder up, beside bench.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchcommon import (HANGAR_XML, LIBVIRT_XML, LIBVIRTD_CONF, T_START,  # noqa: E402
                         Unavailable, env_int, log, rss_kib)

QEMU_CONF = 'user = "root"\ngroup = "root"\n'

# Targets of issue 3.
TARGET_MAP_MS = 150
TARGET_RSS_MIB = 45

REAPER_MARK = "HANGAR_WBENCH_UNDER_REAPER"


def stats(samples):
    samples = [s for s in samples if s is not None]
    if not samples:
        return None
    return statistics.median(samples), min(samples), max(samples)


def fmt(samples, unit_div=1.0, digits=1):
    s = stats(samples)
    if s is None:
        return None
    med, lo, hi = (v / unit_div for v in s)
    return f"{med:.{digits}f} [{lo:.{digits}f}–{hi:.{digits}f}]"


class WindowBench:
    def __init__(self, args):
        self.args = args
        self.n = env_int("HANGAR_WBENCH_N", 10)
        self.vms = env_int("HANGAR_WBENCH_VMS", 1000)
        self.pop_n = env_int("HANGAR_WBENCH_POP_N", 5)
        self.budget = env_int("HANGAR_WBENCH_BUDGET_S", 240)
        self.want_libvirt = os.environ.get("HANGAR_WBENCH_LIBVIRT", "auto") != "no"
        self.dir = tempfile.mkdtemp(prefix="hangar-wbench-")
        os.chmod(self.dir, 0o755)
        self.pids = {}        # name -> pid of what we started and must end
        self.popen = {}       # name -> Popen
        self.env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
        self.engine_pid = None
        self.libvirt_uri = None
        self.vm_reason = None
        self.results = {}
        self.notes = []
        self.failed = {}      # column -> why it has no figures
        self.last_error = None

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def left(self):
        return self.budget - (time.monotonic() - T_START)

    def tool(self, *argv, check=True, timeout=60):
        proc = subprocess.run([self.args.tool, *map(str, argv)], env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=timeout)
        self.last_error = None
        if proc.returncode != 0:
            if check:
                raise RuntimeError(f"hangar-window-bench {argv[0]}: {proc.stderr.strip()}")
            self.last_error = (proc.stderr.strip().splitlines() or ["no message"])[-1][:300]
            log(f"hangar-window-bench {argv[0]}: {proc.stderr.strip()}")
        return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]

    def run(self, argv, check=True, timeout=60):
        proc = subprocess.run(argv, env=self.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)}: {proc.stderr.strip()}")
        return proc

    def ctl(self, *argv, check=True):
        return self.run([self.args.hangarctl, *argv], check=check)

    rss_kib = staticmethod(rss_kib)

    def record(self, key, value):
        self.results.setdefault(key, []).append(value)

    # ---- processes -------------------------------------------------------------

    def reap(self):
        """Reaps our own children that ended (the reaper above us takes orphans)."""
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return

    def end_pid(self, pid, timeout=5.0):
        """SIGTERM, then SIGKILL; waits for @pid to be gone (we reap it)."""
        if pid is None:
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                    if done == pid:
                        return
                except ChildProcessError:
                    if not os.path.exists(f"/proc/{pid}"):
                        return
                time.sleep(0.01)

    # ---- set-up ------------------------------------------------------------------

    def setup(self):
        for name in ("vmlinuz", "initramfs.img"):
            src = os.path.join(self.args.guest_dir, name)
            if not os.path.exists(src):
                raise SystemExit(f"window bench: no tiny guest at {src}")
            shutil.copy(src, self.path(name))
            os.chmod(self.path(name), 0o644)
        self.kernel, self.initrd = self.path("vmlinuz"), self.path("initramfs.img")

        # Xvfb, as tests/ui/run-headless.sh: a display it picks, 1024x768x24, no WM.
        rfd, wfd = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(wfd), "-screen", "0", "1024x768x24",
                                 "-nolisten", "tcp", "-noreset"], pass_fds=(wfd,),
                                stdout=open(self.path("xvfb.log"), "w"),
                                stderr=subprocess.STDOUT)
        os.close(wfd)
        self.pids["Xvfb"] = xvfb.pid
        display = b""
        with os.fdopen(rfd, "rb") as r:
            display = r.readline().strip()
        if not display:
            raise SystemExit("window bench: Xvfb did not start: " +
                             open(self.path("xvfb.log")).read()[-300:])

        bus = subprocess.Popen(["dbus-daemon", "--config-file=" + self.args.session_conf,
                                "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.pids["dbus-daemon"] = bus.pid
        address = bus.stdout.readline().strip()
        if not address:
            raise SystemExit("window bench: dbus-daemon did not start")

        for sub in ("config", "data", "run", "cache", "home"):
            os.makedirs(self.path("xdg", sub), exist_ok=True)
        os.chmod(self.path("xdg", "run"), 0o700)
        self.env.update({
            "DISPLAY": ":" + display.decode(),
            "GDK_BACKEND": "x11",
            "DBUS_SESSION_BUS_ADDRESS": address,
            "HOME": self.path("xdg", "home"),
            "XDG_CONFIG_HOME": self.path("xdg", "config"),
            "XDG_DATA_HOME": self.path("xdg", "data"),
            "XDG_CACHE_HOME": self.path("xdg", "cache"),
            "XDG_RUNTIME_DIR": self.path("xdg", "run"),
            "HANGAR_ACCEL": "tcg",
            # The same for both programs: settings in memory (no dconf service on this
            # bus), no accessibility bus, English.
            "GSETTINGS_BACKEND": "memory",
            "NO_AT_BRIDGE": "1",
            "GTK_A11Y": "none",
            "LC_ALL": "C.UTF-8",
            "LANGUAGE": "C",
        })
        if self.args.schema_dir:
            # Searched before the system's folders: virt-manager still finds its own.
            self.env["GSETTINGS_SCHEMA_DIR"] = self.args.schema_dir
        for var in ("G_DEBUG", "G_SLICE", "MALLOC_PERTURB_", "GSK_RENDERER", "GDK_DEBUG"):
            self.env.pop(var, None)   # meson's test environment: not what a user runs
        log(f"Xvfb on :{display.decode()}, private bus up")

    def start_engine(self, key=None):
        out = self.tool("spawn-engine", self.path("engine.log"), 30000, "--", self.args.engine,
                        timeout=60)[0]
        self.engine_pid = out["pid"]
        self.pids["hangar-engine"] = out["pid"]
        if key:
            self.record(f"{key}/load", out["ms"])
            time.sleep(1.0)
            self.record(f"{key}/rss", self.rss_kib(self.engine_pid))
        return out

    def stop_engine(self):
        self.end_pid(self.engine_pid)
        self.pids.pop("hangar-engine", None)
        self.engine_pid = None

    def start_libvirt(self):
        if not self.want_libvirt:
            raise Unavailable("switched off (HANGAR_WBENCH_LIBVIRT=no)")
        if shutil.which("virt-manager") is None:
            raise Unavailable("virt-manager is not installed (apt-get install virt-manager)")
        for program in ("libvirtd", "virtlogd", "virsh", "unshare"):
            if shutil.which(program) is None:
                raise Unavailable(f"{program} is not in PATH (apt-get install "
                                  "libvirt-daemon-system libvirt-clients)")
        if os.geteuid() != 0:
            raise Unavailable("the private qemu:///system daemon needs root")
        lv = self.path("libvirt")
        os.makedirs(os.path.join(lv, "sock"))
        with open(os.path.join(lv, "libvirtd.conf"), "w") as f:
            f.write(LIBVIRTD_CONF.format(sockdir=os.path.join(lv, "sock"), dir=lv))
        with open(os.path.join(lv, "qemu.conf"), "w") as f:
            f.write(QEMU_CONF)
        uri = f"qemu:///system?socket={lv}/sock/libvirt-sock"
        proc = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh",
             self.args.libvirt_helper, lv],
            env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(lv, "helper.err"), "w"))
        self.pids["libvirtd"] = proc.pid
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if "virtlogd" not in self.pids:
                try:
                    self.pids["virtlogd"] = int(open(os.path.join(lv, "virtlogd.pid")).read())
                except (OSError, ValueError):
                    pass
            if os.path.exists(os.path.join(lv, "sock", "libvirt-sock")):
                try:
                    if self.run(["virsh", "-c", uri, "version"], check=False,
                                timeout=max(1, deadline - time.monotonic())).returncode == 0:
                        break
                except subprocess.TimeoutExpired:
                    pass
            time.sleep(0.05)
        if proc.poll() is not None:
            raise Unavailable("libvirtd ended at start: " +
                              open(os.path.join(lv, "helper.err")).read()[-300:])
        if time.monotonic() >= deadline:
            raise Unavailable("libvirtd did not answer within 60 s")
        self.libvirt_uri = uri
        for i in range(2):
            xml = self.write(f"libvirt-{i}.xml", LIBVIRT_XML.format(
                name=f"bench-vm-{i}", kernel=self.kernel, initrd=self.initrd,
                log=self.path(f"libvirt-{i}.log")))
            self.run(["virsh", "-q", "-c", uri, "define", xml])
        log("private libvirtd up, 2 domains defined")

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    # ---- section 1: cold start to mapped, RSS -------------------------------------------

    def map_time(self, key, title_re, argv, env_extra=None):
        saved = dict(self.env)
        self.env.update(env_extra or {})
        try:
            out = self.tool("map-time", 1000, title_re, 30000, "--", *argv, check=False,
                            timeout=60)
        finally:
            self.env = saved
        return out[0] if out else None

    def section1(self):
        self.start_engine()
        for i in range(2):
            xml = self.write(f"hangar-{i}.xml", HANGAR_XML.format(
                name=f"bench-vm-{i}", kernel=self.kernel, initrd=self.initrd,
                log=self.path(f"hangar-{i}.log")))
            self.ctl("define", xml)
        self.stop_engine()
        self.start_engine("engine2")    # engine start with the 2 definitions, timed
        try:
            self.start_libvirt()
        except Unavailable as e:
            self.vm_reason = str(e)
            log(f"virt-manager column n/a: {e}")

        columns = [("hangar", "^Hangar$", [self.args.hangar], None),
                   ("hangar-cairo", "^Hangar$", [self.args.hangar], {"GSK_RENDERER": "cairo"}),
                   ("hangar-gl", "^Hangar$", [self.args.hangar], {"GSK_RENDERER": "gl"})]
        if self.args.floor:
            columns += [("floor", "^Floor$", [self.args.floor], None),
                        ("floor-nogl", "^Floor$", [self.args.floor], {"GDK_DEBUG": "gl-disable"})]
        if self.libvirt_uri:
            columns.append(("virt-manager", "^Virtual Machine Manager$",
                            ["virt-manager", "--no-fork", "--connect", self.libvirt_uri], None))
        for i in range(self.n + 1):        # round 0 is the warm-up (GL probe, caches)
            if self.left() < 110:
                self.notes.append(f"section 1 cut short after {i - 1} timed rounds (budget)")
                break
            for key, title_re, argv, extra in list(columns):
                s = self.map_time(key, title_re, argv, extra)
                if s is None:
                    # One failure drops the column: a window that does not come up
                    # once will not come up in the next rounds either.
                    self.failed[key] = self.last_error or "no window mapped"
                    self.notes.append(f"{key}: no window mapped in round {i}: "
                                      f"{self.failed[key]}")
                    columns = [c for c in columns if c[0] != key]
                    continue
                if i == 0:
                    self.results[f"{key}/warmup-map"] = s["map_ms"]
                    self.results[f"{key}/warmup-rss"] = s["rss_kib"]
                else:
                    self.record(f"{key}/map", s["map_ms"])
                    self.record(f"{key}/rss", s["rss_kib"])
                    self.record(f"{key}/cpu-map", s["cpu_at_map_ms"])
                    self.record(f"{key}/cpu-idle", s["idle_cpu_ms"])
            self.reap()
        log("section 1 done")

        # The same start in-process (hangar-window-bench populate, 2 machines), with its
        # steps; with GL as by default, and without.
        for i in range(4):
            for prefix, extra in (("steps2", {}), ("steps2-nogl", {"GDK_DEBUG": "gl-disable"})):
                out = self.populate(2, "-", extra)
                if out and i > 0:
                    for k, v in out.items():
                        self.record(f"{prefix}/{k}", v)

    def populate(self, count, path, env_extra):
        saved = dict(self.env)
        self.env.update(env_extra)
        try:
            out = self.tool("populate", count, path, 60000, check=False, timeout=90)
        finally:
            self.env = saved
        if not out or self.last_error:
            note = f"populate {count}: {self.last_error or 'no figures'}"
            if note not in self.notes:
                self.notes.append(note)
            if not out:
                self.failed["populate"] = self.last_error or "no figures"
        return out[0] if out else None

    # ---- section 2: 1,000 machines ------------------------------------------------------

    def section2(self):
        self.stop_engine()
        machines = self.path("xdg", "config", "hangar", "machines")
        stored = sorted(f for f in os.listdir(machines) if f.endswith(".xml"))
        if not stored:
            raise RuntimeError("no stored definition to copy")
        template = open(os.path.join(machines, stored[0])).read()
        old_uuid = stored[0][:-4]
        name_re = re.compile(r"<name>[^<]*</name>")
        log_re = re.compile(re.escape(self.dir) + r"/hangar-\d+\.log")
        for f in stored:
            os.unlink(os.path.join(machines, f))
        running_uuid = None
        for i in range(self.vms):
            u = str(uuidlib.uuid4())
            name = "aaa-running" if i == 0 else f"bench-{i:04d}"
            text = template.replace(old_uuid, u)
            text = name_re.sub(f"<name>{name}</name>", text, count=1)
            text = log_re.sub(self.path("logs", f"{name}.log"), text)
            with open(os.path.join(machines, u + ".xml"), "w") as fh:
                fh.write(text)
            if i == 0:
                running_uuid = u
        os.makedirs(self.path("logs"), exist_ok=True)
        log(f"{self.vms} definitions written")

        for i in range(3):                  # engine load, timed; the last one stays
            self.start_engine(f"engine{self.vms}")
            if i < 2:
                self.stop_engine()
        self.ctl("start", "aaa-running")
        # Let the guest finish booting (TCG keeps a CPU busy meanwhile), so that the
        # window runs on an idle machine; the guest then sits at its prompt.
        ready_log = self.path("logs", "aaa-running.log")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if b"HANGAR-GUEST-READY" in open(ready_log, "rb").read():
                    break
            except OSError:
                pass
            time.sleep(0.05)
        else:
            self.notes.append("the running guest did not print READY within 30 s; "
                              "section 2 ran while it booted")
        path = "/io/github/hangarvm/Hangar/machine/" + running_uuid.replace("-", "_")

        for i in range(self.pop_n + 1):       # run 0 is the warm-up
            if self.left() < 30:
                self.notes.append(f"section 2 cut short after {i - 1} timed runs (budget)")
                break
            for prefix, extra in (("pop", {}), ("pop-nogl", {"GDK_DEBUG": "gl-disable"})):
                out = self.populate(self.vms, path, extra)
                state = self.ctl("domstate", "aaa-running", check=False).stdout.strip()
                if state.lower().startswith("paused"):
                    self.ctl("resume", "aaa-running")
                if out and i > 0:
                    for k, v in out.items():
                        self.record(f"{prefix}/{k}", v)
                elif out:
                    self.results[f"{prefix}-warmup"] = out
        self.ctl("destroy", "aaa-running", check=False)
        log("section 2 done")

    # ---- clean-up ------------------------------------------------------------------

    def cleanup(self):
        if self.engine_pid:
            self.ctl("destroy", "aaa-running", check=False)
        for name in ("hangar-engine", "libvirtd", "virtlogd", "dbus-daemon", "Xvfb"):
            if name in self.pids:
                self.end_pid(self.pids.pop(name))
        # Anything of ours still running (a QEMU) has our folder in its command line.
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or int(pid) == os.getpid():
                continue
            try:
                cmd = open(f"/proc/{pid}/cmdline", "rb").read()
            except OSError:
                continue
            if self.dir.encode() in cmd:
                self.end_pid(int(pid))
        self.reap()
        if os.environ.get("HANGAR_WBENCH_KEEP") == "1":
            print(f"(kept {self.dir})")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    # ---- report ----------------------------------------------------------------------

    def report(self):
        r = self.results
        na = lambda reason: f"n/a ({reason})"
        out = []
        p = out.append
        p("")
        p("== Window benchmarks (issue 3) ==")
        p(f"Xvfb 1024x768x24, no window manager; private bus; {self.n} timed starts per column "
          "after one warm-up each, interleaved round by round.")
        vm_conn = (f"virt-manager --connect {self.libvirt_uri} (private libvirtd, 2 defined "
                   "domains)") if self.libvirt_uri else na(self.vm_reason)
        p(f"virt-manager: {vm_conn}")
        p("hangar: real engine on the private bus, 2 defined machines, HANGAR_ACCEL=tcg")
        p("")
        p("1. Cold start: exec → toplevel MapNotify (ms), and VmRSS 1 s after the map (MiB)")
        p("")
        p("| | exec → mapped (ms) | RSS (MiB) | CPU to the map (ms) | CPU in the idle second after (ms) | warm-up start: mapped / RSS |")
        p("|---|---|---|---|---|---|")
        cols = [("hangar", "hangar as started (no GPU device here: GL off, Cairo)"),
                ("hangar-cairo", "hangar, GSK_RENDERER=cairo (GL still initialised)"),
                ("hangar-gl", "hangar, GSK_RENDERER=gl (GTK's choice: Mesa llvmpipe here)"),
                ("floor", "floor: smallest libadwaita window (adw-floor.c)"),
                ("floor-nogl", "floor, GDK_DEBUG=gl-disable"),
                ("virt-manager", "virt-manager (GTK 3, cairo)")]
        for key, label in cols:
            m = fmt(r.get(f"{key}/map", []))
            rss = fmt(r.get(f"{key}/rss", []), 1024)
            wm = r.get(f"{key}/warmup-map")
            wr = r.get(f"{key}/warmup-rss")
            if m is None:
                reason = self.vm_reason if key == "virt-manager" and self.vm_reason else \
                    self.failed.get(key, "no window mapped")
                p(f"| {label} | {na(reason)} | {na(reason)} | | | |")
                continue
            warm = f"{wm:.1f} / {wr / 1024:.1f}" if wm is not None and wr else "—"
            cm = fmt(r.get(f"{key}/cpu-map", []), digits=0)
            ci = fmt(r.get(f"{key}/cpu-idle", []), digits=0)
            p(f"| {label} | {m} | {rss} | {cm} | {ci} | {warm} |")
        vm, vr = stats(r.get("virt-manager/map", [])), stats(r.get("virt-manager/rss", []))
        for key, label in (("hangar", "hangar as started"), ("hangar-gl", "hangar with GL")):
            hm, hr = stats(r.get(f"{key}/map", [])), stats(r.get(f"{key}/rss", []))
            if hm and vm:
                p(f"| virt-manager / {label} (medians) | {vm[0] / hm[0]:.2f}× | "
                  f"{(vr[0] / hr[0]) if hr and vr else float('nan'):.2f}× | | | |")
            elif hm:
                p(f"| virt-manager / {label} | n/a ({self.vm_reason}) | n/a | | | |")
        for key, floor, label in (("hangar", "floor-nogl", "hangar as started"),
                                  ("hangar-gl", "floor", "hangar with GL")):
            hm, hr = stats(r.get(f"{key}/map", [])), stats(r.get(f"{key}/rss", []))
            fm, fr = stats(r.get(f"{floor}/map", [])), stats(r.get(f"{floor}/rss", []))
            if hm and fm and hr and fr:
                p(f"| {label} − floor (medians: Hangar's own share) | {hm[0] - fm[0]:+.1f} | "
                  f"{(hr[0] - fr[0]) / 1024:+.1f} | | | |")
        for key, label in (("hangar", "hangar as started"), ("hangar-gl", "hangar with GL")):
            hm, hr = stats(r.get(f"{key}/map", [])), stats(r.get(f"{key}/rss", []))
            if hm:
                p(f"| target (issue 3), {label} | ≤ {TARGET_MAP_MS} → "
                  f"{'met' if hm[0] <= TARGET_MAP_MS else 'MISSED'} | ≤ {TARGET_RSS_MIB} → "
                  f"{'met' if hr and hr[0] / 1024 <= TARGET_RSS_MIB else 'MISSED'} | | | |")
        p("")
        p("   The same start in-process (hangar-window-bench populate, 2 machines), ms from exec:")
        p("")
        p("| step | hangar (GL) | hangar, gl-disable |")
        p("|---|---|---|")
        steps = [("main", "main() entered (exec + dynamic linking)"),
                 ("startup", "GApplication startup done (bus name, GTK + libadwaita init, "
                  "GL probe)"),
                 ("window", "window constructed (template built)"),
                 ("realized", "window realized (renderer made)"),
                 ("mapped", "window mapped"),
                 ("first_paint", "first frame painted"),
                 ("connected", "connection: connected"),
                 ("full", "list model has all machines"),
                 ("full_paint", "first frame painted after that")]

        def row(label, key, div=1.0, digits=1, prefixes=("steps2", "steps2-nogl")):
            vals = [fmt([x for x in r.get(f"{pre}/{key}", []) if x is not None and x >= 0],
                        div, digits) for pre in prefixes]
            why = "not measured" if not self.failed.get("populate") else self.failed["populate"]
            p(f"| {label} | " + " | ".join(v or na(why) for v in vals) + " |")

        for k, label in steps:
            row(label, f"{k}_ms")
        row("VmRSS 1 s after that frame (MiB)", "rss_kib", 1024)
        row("idle second after it: frames painted", "idle_frames", digits=0)
        row("idle second after it: CPU (ms)", "idle_cpu_ms", digits=0)
        p("")
        n = self.vms
        p(f"2. {n} defined machines")
        p("")
        p("| engine | figure |")
        p("|---|---|")
        v = fmt(r.get(f"engine{n}/load", []))
        p(f"| engine start → bus name owned, {n} definitions (ms) | {v or na('not measured')} |")
        v = fmt(r.get("engine2/load", []))
        p(f"| engine start → bus name owned, 2 definitions (ms) | {v or na('not measured')} |")
        v = fmt(r.get(f"engine{n}/rss", []), 1024)
        p(f"| engine VmRSS with {n}, 1 s after start (MiB) | {v or na('not measured')} |")
        v = fmt(r.get("engine2/rss", []), 1024)
        p(f"| engine VmRSS with 2 (MiB) | {v or na('not measured')} |")
        p("")
        p(f"| window, {n} machines (ms from exec unless said) | hangar (GL) | hangar, gl-disable |")
        p("|---|---|---|")
        pops = ("pop", "pop-nogl")
        for k, label in [("main", "main()"), ("window", "window constructed"),
                         ("mapped", "mapped"), ("first_paint", "first frame"),
                         ("full", f"list model has {n} items"),
                         ("connected", "connection: connected"),
                         ("full_paint", f"**first frame painted after {n} items**")]:
            row(label, f"{k}_ms", prefixes=pops)
        row(f"VmRSS 1 s after that frame (MiB)", "rss_kib", 1024, prefixes=pops)
        row("idle second after it: frames painted", "idle_frames", digits=0, prefixes=pops)
        row("idle second after it: CPU (ms)", "idle_cpu_ms", digits=0, prefixes=pops)
        row("mapped labels in the window (rows built: virtualised list)", "mapped_labels",
            digits=0, prefixes=pops)
        row("row update: Pause call → D-Bus reply", "pause_reply_ms", digits=2, prefixes=pops)
        row("row update: Pause call → a label reads \"Paused\"", "pause_label_ms", digits=2,
            prefixes=pops)
        row("row update: Pause call → frame painted with it", "pause_paint_ms", digits=2,
            prefixes=pops)
        if self.notes:
            p("")
            p("Notes:")
            for note in self.notes:
                p(f"- {note}")
        p("")
        p("Raw: " + json.dumps({k: v for k, v in r.items()}))
        print("\n".join(out), flush=True)


def main():
    parser = argparse.ArgumentParser()
    for opt in ("tool", "hangar", "engine", "hangarctl", "guest-dir", "session-conf",
                "libvirt-helper"):
        parser.add_argument("--" + opt, required=True)
    parser.add_argument("--floor", help="adw-floor: the smallest libadwaita application, "
                        "timed beside hangar as the toolkit's own floor")
    parser.add_argument("--schema-dir", help="folder of the compiled GSettings schema "
                        "(GSETTINGS_SCHEMA_DIR) of an uninstalled build")
    args = parser.parse_args()
    for tool in ("Xvfb", "dbus-daemon"):
        if shutil.which(tool) is None:
            print(f"window bench: {tool} is not installed; nothing measured")
            return 77
    # Orphans (the engine that spawn-engine leaves, libvirtd's capability probes, QEMU)
    # must be reaped at once: PID 1 here takes ~2 s, which libvirtd waits for.
    if os.environ.get(REAPER_MARK) != "1":
        os.environ[REAPER_MARK] = "1"
        os.execv(args.tool, [args.tool, "reap", sys.executable, os.path.abspath(__file__),
                             *sys.argv[1:]])
    bench = WindowBench(args)

    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    status = 0
    try:
        bench.setup()
        bench.section1()
        bench.section2()
    except (Exception, KeyboardInterrupt) as e:
        bench.notes.append(f"run ended early: {type(e).__name__}: {e}")
        log(f"failed: {e}")
        status = 1
    finally:
        bench.cleanup()
    bench.report()
    log("done")
    return status


if __name__ == "__main__":
    sys.exit(main())
