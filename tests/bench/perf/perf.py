#!/usr/bin/env python3
"""perf.py: the UI's CPU time with graphs on screen (issue 7; see README.md).

Prints, for the real window (hangar-perf-bench runs Hangar's HangarApplication
in-process) against a real engine and tiny guests under TCG, the UI process's
CPU seconds per minute:

  1. the machine list, N defined, none running (the floor: nothing changes);
  2. a running guest's Performance tab (four graphs, 1 min);
  3. the host overview with the same guest running;
  4. the machine list with K running guests, every row (and sparkline) in view.

Figures, not assertions. Knobs: HANGAR_PBENCH_DEFINED (50), HANGAR_PBENCH_RUNNING
(10: K), HANGAR_PBENCH_SECONDS (60), HANGAR_PBENCH_WARMUP_S (5),
HANGAR_PBENCH_RENDERER (unset: GTK's default; "cairo", "gl", ...),
HANGAR_PBENCH_KEEP=1 keeps the temporary folder.
"""

import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchcommon import HANGAR_XML, env_int, log  # noqa: E402

WIDTH, HEIGHT = 1200, 2900          # the screen: 50 rows of the list in view at once
NORMAL = (1000, 700)                # the window for the other figures


class PerfBench:
    def __init__(self, args):
        self.args = args
        self.defined = env_int("HANGAR_PBENCH_DEFINED", 50)
        self.running = env_int("HANGAR_PBENCH_RUNNING", 10)
        self.seconds = env_int("HANGAR_PBENCH_SECONDS", 60)
        self.warmup = env_int("HANGAR_PBENCH_WARMUP_S", 5)
        self.dir = tempfile.mkdtemp(prefix="hangar-pbench-")
        self.env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
        self.procs = []
        self.started = []
        self.results = []

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def ctl(self, *argv, check=True):
        proc = subprocess.run([self.args.hangarctl, *argv], env=self.env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        if check and proc.returncode != 0:
            raise RuntimeError(f"hangarctl {' '.join(argv)}: {proc.stderr.strip()}")
        return proc

    def setup(self):
        for name in ("vmlinuz", "initramfs.img"):
            shutil.copy(os.path.join(self.args.guest_dir, name), self.path(name))
        rfd, wfd = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(wfd), "-screen", "0",
                                 f"{WIDTH + 24}x{HEIGHT + 24}x24", "-nolisten", "tcp",
                                 "-noreset"], pass_fds=(wfd,),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(wfd)
        self.procs.append(xvfb)
        with os.fdopen(rfd, "rb") as r:
            display = r.readline().strip().decode()
        if not display:
            raise SystemExit("perf bench: Xvfb did not start")
        bus = subprocess.Popen(["dbus-daemon", "--config-file=" + self.args.session_conf,
                                "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.procs.append(bus)
        address = bus.stdout.readline().strip()
        for sub in ("config", "data", "run", "cache", "home"):
            os.makedirs(self.path("xdg", sub))
        os.chmod(self.path("xdg", "run"), 0o700)
        self.env.update({
            "DISPLAY": ":" + display, "GDK_BACKEND": "x11",
            "DBUS_SESSION_BUS_ADDRESS": address,
            "HOME": self.path("xdg", "home"),
            "XDG_CONFIG_HOME": self.path("xdg", "config"),
            "XDG_DATA_HOME": self.path("xdg", "data"),
            "XDG_CACHE_HOME": self.path("xdg", "cache"),
            "XDG_RUNTIME_DIR": self.path("xdg", "run"),
            "HANGAR_ACCEL": "tcg", "GSETTINGS_BACKEND": "memory",
            "GSETTINGS_SCHEMA_DIR": self.args.schema_dir,
            "NO_AT_BRIDGE": "1", "GTK_A11Y": "none", "LC_ALL": "C.UTF-8", "LANGUAGE": "C",
        })
        for var in ("G_DEBUG", "G_SLICE", "MALLOC_PERTURB_", "GSK_RENDERER", "GDK_DEBUG"):
            self.env.pop(var, None)
        if os.environ.get("HANGAR_PBENCH_RENDERER"):
            self.env["GSK_RENDERER"] = os.environ["HANGAR_PBENCH_RENDERER"]
        engine = subprocess.Popen([self.args.engine], env=self.env,
                                  stdout=open(self.path("engine.log"), "w"),
                                  stderr=subprocess.STDOUT)
        self.procs.append(engine)
        deadline = time.monotonic() + 30
        while self.ctl("list", "--all", check=False).returncode != 0:
            if time.monotonic() > deadline or engine.poll() is not None:
                raise SystemExit("perf bench: the engine did not come up")
            time.sleep(0.1)
        for i in range(self.defined):
            name = f"pbench-{i:02d}"
            xml = self.path(f"{name}.xml")
            with open(xml, "w") as f:
                f.write(HANGAR_XML.format(name=name, kernel=self.path("vmlinuz"),
                                          initrd=self.path("initramfs.img"),
                                          log=self.path(f"{name}.log")))
            self.ctl("define", xml)
        log(f"Xvfb :{display} {WIDTH + 24}x{HEIGHT + 24}, engine up, {self.defined} defined")

    def start(self, count):
        while len(self.started) < count:
            name = f"pbench-{len(self.started):02d}"
            self.ctl("start", name)
            self.started.append(name)
        # Let the guests boot (READY on the serial log) so that they idle as guests do.
        deadline = time.monotonic() + 120
        for name in self.started:
            while time.monotonic() < deadline:
                try:
                    if "HANGAR-GUEST-READY" in open(self.path(f"{name}.log"),
                                                    errors="replace").read():
                        break
                except OSError:
                    pass
                time.sleep(0.5)
        log(f"{len(self.started)} running")

    def measure(self, label, mode, running, machine=None, size=NORMAL):
        argv = [self.args.tool, mode, str(size[0]), str(size[1]), str(running), str(self.warmup),
                str(self.seconds)] + ([machine] if machine else [])
        proc = subprocess.run(argv, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=self.seconds + self.warmup + 120)
        out = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        if proc.returncode != 0 or not out:
            raise RuntimeError(f"{mode}: {proc.stderr.strip()[-400:]}")
        out[0]["label"] = label
        out[0]["size"] = f"{size[0]}x{size[1]}"
        self.results.append(out[0])
        log(f"{label}: {out[0]['cpu_s_per_min']:.2f} CPU s/min, {out[0]['frames']} frames")
        return out[0]

    def cleanup(self):
        for name in self.started:
            self.ctl("destroy", name, check=False)
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        # Any QEMU still running with our folder in its command line, by pid.
        for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
            try:
                if self.dir.encode() in open(cmdline, "rb").read():
                    os.kill(int(cmdline.split("/")[2]), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        if os.environ.get("HANGAR_PBENCH_KEEP") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            log(f"kept {self.dir}")

    def report(self):
        by = {r["label"]: r for r in self.results}
        print()
        print("UI process CPU time (user + system), Hangar's window in-process, "
              f"{self.seconds} s each after {self.warmup} s, statistics every 1 s, "
              f"renderer {self.env.get('GSK_RENDERER', 'as hangar starts (Cairo without a GPU)')}")
        print()
        print("| what is on screen | window | running guests | CPU s per minute | % of one core "
              "| frames | CPU ms per frame | samples filed |")
        print("|---|---|---|---|---|---|---|---|")
        for r in self.results:
            per_frame = r["cpu_s"] * 1000 / r["frames"] if r["frames"] else 0
            print(f"| {r['label']} | {r['size']} | {r['running']} | {r['cpu_s_per_min']:.2f} "
                  f"| {r['cpu_s_per_min'] / 60 * 100:.2f} | {r['frames']} | {per_frame:.1f} "
                  f"| {r['samples']} |")
        one = by.get("list, 1 running in view")
        many = by.get("list, all running in view")
        if one and many and many["running"] > 1:
            per_row = (many["cpu_s_per_min"] - one["cpu_s_per_min"]) / (many["running"] - 1)
            print()
            print("The Statistics signal is one message a second for all machines, so the "
                  "list repaints once a second however many rows change: the cost is per "
                  "frame (the window's size and the renderer), plus a little per row.")
            print(f"Per further running row in view: {per_row:+.3f} CPU s/min (between "
                  f"{one['running']} and {many['running']} running; noise included).")
            if many["running"] >= 50:
                print(f"50 running rows in view, measured: {many['cpu_s_per_min']:.2f} CPU s/min "
                      f"({many['cpu_s_per_min'] / 60 * 100:.1f} % of one core).")
            else:
                est = many["cpu_s_per_min"] + (50 - many["running"]) * max(per_row, 0)
                print(f"Extrapolated to 50 running rows in view (linear from these two, not "
                      f"measured: {many['running']} guests ran): {est:.2f} CPU s/min "
                      f"({est / 60 * 100:.1f} % of one core).")


def main():
    parser = argparse.ArgumentParser()
    for name in ("tool", "engine", "hangarctl", "guest-dir", "session-conf", "schema-dir"):
        parser.add_argument("--" + name, required=True)
    args = parser.parse_args()
    bench = PerfBench(args)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    try:
        bench.setup()
        bench.measure("list, none running", "list", 0, size=(WIDTH, HEIGHT))
        bench.start(1)
        bench.measure("Performance tab, 1 guest", "performance", 1, "pbench-00")
        bench.measure("host overview, 1 guest", "host", 1)
        bench.measure("list, 1 running in view", "list", 1, size=(WIDTH, HEIGHT))
        bench.start(bench.running)
        bench.measure("list, all running in view", "list", bench.running, size=(WIDTH, HEIGHT))
        bench.report()
    finally:
        bench.cleanup()


if __name__ == "__main__":
    main()
