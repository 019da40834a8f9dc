#!/usr/bin/env python3
"""Crash soak: SIGKILLs `scimwatch run` at random moments while writers append and rotate its logs in
every mode the tailer supports, then checks that every line written was counted exactly once.

Run by hand, not in CI (it takes minutes):

    swift build -c release && scripts/soak-crash.py --kills 100

Two sources are tailed:
- `app` (`app.log*`): its writer rotates by rename, copytruncate, delete and recreate (only once the
  lines written so far are committed: lines in a file deleted unread are gone for everyone), and,
  while scimwatch is stopped, by copytruncate followed by more lines than the old offset;
- `linked` (`current.log`, a symlink): its writer swaps the link to a new file in `data/` (once
  scimwatch has committed a line of the current target: a target never seen through the link
  cannot be found by anyone).
Both writers sometimes leave a partial last line for a while, so kills land between its halves.
Half the kills come at a random moment, half right after the state database's write-ahead log
grows (that is, during or just after a checkpoint).

Prints the lines written, the lines counted (`scim_requests_total`, from the final run's /metrics),
and exits 1 when they differ.
"""
import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Writer(threading.Thread):
    """Appends native attempt lines with unique ids in batches and rotates between batches."""

    def __init__(self, name, directory, rng, soak):
        super().__init__(daemon=True)
        self.name, self.dir, self.rng, self.soak = name, directory, rng, soak
        self.written = 0
        self.rotations = {}
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.generation = 0
        self.segment_start = 0
        if name == "linked":
            os.makedirs(os.path.join(directory, "data"), exist_ok=True)
            self.path = self._new_segment()
            os.symlink(self.path, os.path.join(directory, "current.log"))
        else:
            self.path = os.path.join(directory, "app.log")
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def _new_segment(self):
        self.generation += 1
        return os.path.join(self.dir, "data", f"seg-{self.generation}.log")

    def line(self):
        self.written += 1
        n = self.written
        return (f'{{"id":"{self.name}-{n}","time":{1_763_280_000_000 + n},"tenant":"acme",'
                f'"target":"{self.name}-t{n % 5}","operation":"update","status":200}}\n').encode()

    def count(self, mode):
        self.rotations[mode] = self.rotations.get(mode, 0) + 1

    def append_batch(self, lines):
        data = b"".join(self.line() for _ in range(lines))
        if self.rng.random() < 0.2:
            # A partial last line left for a moment: a kill may come between the halves.
            cut = len(data) - self.rng.randint(1, 60)
            os.write(self.fd, data[:cut])
            time.sleep(self.rng.uniform(0.005, 0.05))
            os.write(self.fd, data[cut:])
        else:
            os.write(self.fd, data)

    def rotate(self):
        r = self.rng.random()
        if self.name == "linked":
            # A reader knows a link's targets only by looking through the link: a target that was
            # current only while scimwatch was down is out of anyone's sight. So the link moves on only
            # once a line of the current target is committed; lines after that may still be unread.
            if r < 0.03 and self.soak.wait_until_counted(self.name, self.segment_start + 1):
                self.segment_start = self.written
                os.close(self.fd)
                self.path = self._new_segment()
                self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                link = os.path.join(self.dir, "current.log")
                tmp = link + ".new"
                os.symlink(self.path, tmp)
                os.rename(tmp, link)
                self.count("symlink swap")
            return
        if r < 0.03:
            os.close(self.fd)
            self.generation += 1
            os.rename(self.path, f"{self.path}.{self.generation}")
            self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            self.count("rename")
        elif r < 0.05:
            self.generation += 1
            shutil.copyfile(self.path, f"{self.path}.ct{self.generation}")
            os.truncate(self.path, 0)
            self.count("copytruncate")
        elif r < 0.06 and self.soak.wait_until_counted(self.name, self.written):
            os.close(self.fd)
            os.unlink(self.path)
            self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            self.count("delete and recreate")

    def rewrite_while_stopped(self):
        """Copytruncate while scimwatch is down, then more lines than were in the file. Skipped when
        the writer is busy (waiting for scimwatch to catch up before a delete)."""
        if self.name != "app" or not self.lock.acquire(timeout=0.2):
            return
        try:
            size = os.path.getsize(self.path)
            self.generation += 1
            shutil.copyfile(self.path, f"{self.path}.ct{self.generation}")
            os.truncate(self.path, 0)
            while os.path.getsize(self.path) <= size:
                self.append_batch(200)
            self.count("truncation while stopped")
        finally:
            self.lock.release()

    def run(self):
        while not self.stopping.is_set():
            with self.lock:
                self.append_batch(200)
                self.rotate()
            time.sleep(0.01)
        os.close(self.fd)


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.dir = tempfile.mkdtemp(prefix="scimwatch-soak-")
        self.port = free_port()
        self.state = os.path.join(self.dir, "state.sqlite")
        self.config = os.path.join(self.dir, "scimwatch.yaml")
        with open(self.config, "w") as f:
            f.write(f"""listen: 127.0.0.1:{self.port}
state: {self.state}
sources:
  - name: app
    paths: ["{self.dir}/app.log*"]
    format: native
  - name: linked
    paths: ["{self.dir}/current.log"]
    format: native
tailer:
  poll_interval: 100ms
  checkpoint_interval: 500ms
""")
        self.writers = [Writer("app", self.dir, random.Random(self.rng.random()), self),
                        Writer("linked", self.dir, random.Random(self.rng.random()), self)]
        self.child = None
        self.log = open(os.path.join(self.dir, "scimwatch.log"), "ab")

    def total_written(self):
        return sum(w.written for w in self.writers)

    def start(self):
        self.child = subprocess.Popen([self.args.bin, "run", "--config", self.config],
                                      stdout=self.log, stderr=subprocess.STDOUT)

    def metrics(self, target_prefix=""):
        """Each metric's sum over its series (of requests to targets starting with the prefix)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=2) as r:
                text = r.read().decode()
        except OSError:
            return None
        sums = {}
        for line in text.splitlines():
            if line.startswith("#") or (target_prefix and f'target="{target_prefix}' not in line):
                continue
            name = line.split("{")[0].split(" ")[0]
            sums[name] = sums.get(name, 0) + float(line.rsplit(" ", 1)[1])
        return sums

    def counted(self, writer=""):
        m = self.metrics(writer + "-" if writer else "")
        return None if m is None else int(m.get("scim_requests_total", 0))

    def wait_until_counted(self, writer, n, timeout=30):
        """Whether the writer's first n lines are committed (scimwatch may be down for a moment)."""
        deadline = time.time() + timeout
        while time.time() < deadline and not self.writers[0].stopping.is_set():
            c = self.counted(writer)
            if c is not None and c >= n:
                return True
            time.sleep(0.05)
        return False

    def kill_after_checkpoint_write(self, limit):
        wal = self.state + "-wal"
        start = time.time()
        before = os.path.getsize(wal) if os.path.exists(wal) else 0
        while time.time() - start < limit:
            size = os.path.getsize(wal) if os.path.exists(wal) else 0
            if size != before:
                break
            time.sleep(0.001)
        self.child.send_signal(signal.SIGKILL)

    def run(self):
        for w in self.writers:
            w.start()
        for k in range(self.args.kills):
            self.start()
            time.sleep(self.rng.uniform(self.args.min_up, self.args.max_up))
            if k % 2:
                self.kill_after_checkpoint_write(self.args.max_up)
            else:
                self.child.send_signal(signal.SIGKILL)
            self.child.wait()
            if self.rng.random() < 0.1:
                self.writers[0].rewrite_while_stopped()
            if (k + 1) % 10 == 0:
                print(f"{k + 1} kills, {self.total_written()} lines written", flush=True)
        for w in self.writers:
            w.stopping.set()
        for w in self.writers:
            w.join()
        written = self.total_written()
        self.start()
        deadline = time.time() + self.args.catch_up
        counted, last, stable_since = None, None, time.time()
        while time.time() < deadline:
            counted = self.counted()
            if counted != last:
                last, stable_since = counted, time.time()
            if counted is not None and counted >= written and time.time() - stable_since > 2:
                break
            time.sleep(0.2)
        m = self.metrics() or {}
        self.child.send_signal(signal.SIGTERM)
        self.child.wait(timeout=30)
        rotations = {}
        for w in self.writers:
            for mode, n in w.rotations.items():
                rotations[mode] = rotations.get(mode, 0) + n
        print(f"kills: {self.args.kills}")
        print("rotations: " + ", ".join(f"{mode} {n}" for mode, n in sorted(rotations.items())))
        print(f"lines read: {int(m.get('scimwatch_log_lines_total', 0))}, "
              f"duplicates dropped: {int(m.get('scimwatch_events_duplicate_total', 0))}, "
              f"parse errors: {int(m.get('scimwatch_log_parse_errors_total', 0))}")
        print(f"written: {written}")
        print(f"counted: {counted}")
        if counted != written:
            print(f"MISMATCH: {written - (counted or 0)} lines lost (files and log kept in {self.dir})")
            return 1
        if not self.args.keep:
            shutil.rmtree(self.dir)
        print("exact")
        return 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kills", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--min-up", type=float, default=0.1, help="shortest run before a kill, seconds")
    p.add_argument("--max-up", type=float, default=1.0, help="longest run before a kill, seconds")
    p.add_argument("--catch-up", type=float, default=180, help="how long the last run may take to catch up")
    p.add_argument("--bin", default=os.path.join(ROOT, ".build/release/scimwatch"))
    p.add_argument("--keep", action="store_true", help="keep the files of a run that passed")
    args = p.parse_args()
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"{args.bin} not found: build it first (swift build -c release), or pass --bin")
    sys.exit(Soak(args).run())


if __name__ == "__main__":
    main()
