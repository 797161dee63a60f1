"""Crawl throughput of 1, 2, 3 ... nightjar nodes sharing one PostgreSQL database (issue 20).

The same fixture web (fixture.py, served by nginx on loopback) is crawled from scratch by
N `nightjar run` daemons on this machine, N = 1, 2, 3 by default, each time into a fresh
database on one throwaway PostgreSQL server (Debian's initdb and pg_ctl, in a temporary
directory). Two regimes, because they stop scaling for different reasons:

* `paced`: every host at `--rate` requests per second, each node holding at most
  `--max-hosts` hosts. One node's throughput is bounded by politeness (rate x hosts held),
  as it is when watching slow sites and onion services; more nodes hold more hosts at once.
* `unpaced`: no pacing (100,000 requests/s per host), the same host cap: bounded by CPU.
  On a machine with few cores, nodes compete for the same cores and the database.

Figures only (pages/s from the first capture to the last, by the captures' own times; wall
time including start-up; the nodes' CPU time from the kernel). A run counts only when the
shared index holds every page, image and redirect of the fixture, each captured once.

    python3 nodes.py --nightjar BIN --out nodes.json [--quick] [--nodes 1,2,3]

BIN must be built with PostgreSQL (`cargo build --release -p nightjar --features postgres`).
"""

import argparse
import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fixture  # noqa: E402
from crawl import completeness, free_port, nginx  # noqa: E402

PG_USER = "nightjar"


class Postgres:
    """A throwaway server: initdb and pg_ctl in a temporary directory, on a loopback port,
    run as the `postgres` user when this runs as root (the server refuses root)."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            sys.exit("PostgreSQL's server binaries are missing: apt-get install postgresql")
        self.bin = os.path.dirname(found[-1])
        self.dir = tempfile.mkdtemp(prefix="nightjar-bench-pg-")
        self.port = free_port()
        self.ids = None
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            self.ids = (pw.pw_uid, pw.pw_gid)
            os.chown(self.dir, *self.ids)
        os.chmod(self.dir, 0o700)
        self.run("initdb", "-D", f"{self.dir}/data", "-U", PG_USER, "-A", "trust", "-E", "UTF8",
                 "--locale=C", "--no-sync")  # fmt: skip
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self.run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/server.log", "-w", "-t", "60",
                 "-o", opts, "start")  # fmt: skip

    def run(self, tool, *args):
        def drop():
            if self.ids:
                os.setgid(self.ids[1])
                os.setuid(self.ids[0])

        out = subprocess.run([os.path.join(self.bin, tool), *args], preexec_fn=drop,
                             capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))  # fmt: skip
        if out.returncode != 0:
            sys.exit(f"{tool} failed:\n{out.stdout}{out.stderr}")
        return out.stdout

    def create(self, name):
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", PG_USER, name)
        return f"postgres://{PG_USER}@127.0.0.1:{self.port}/{name}"

    def query(self, db, sql):
        return self.run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", PG_USER, "-d", db,
                        "-AtX", "-F", "\t", "-c", sql)  # fmt: skip

    def cpu_seconds(self):
        """CPU the server has used so far: the postmaster's own and its reaped children's
        (backends that have exited), and its live children's."""
        with open(f"{self.dir}/data/postmaster.pid") as f:
            master = int(f.readline())
        tick = os.sysconf("SC_CLK_TCK")
        total = sum(stat(master)[11:15]) / tick
        for pid in filter(str.isdigit, os.listdir("/proc")):
            with contextlib.suppress(OSError, IndexError):
                fields = stat(int(pid))
                if int(fields[1]) == master:
                    total += (fields[11] + fields[12]) / tick
        return total

    def close(self):
        with contextlib.suppress(SystemExit):
            self.run("pg_ctl", "-D", f"{self.dir}/data", "-w", "-m", "fast", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def stat(pid):
    """/proc/PID/stat after the command name: field 4 (ppid) is [1], utime [11], stime [12],
    cutime [13], cstime [14], in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        return [int(x) if x.lstrip("-").isdigit() else 0 for x in f.read().rsplit(")", 1)[1].split()]


def cpu_seconds(pid):
    """User + system CPU of a running process."""
    return sum(stat(pid)[11:13]) / os.sysconf("SC_CLK_TCK")


def crawl(args, pg, work, port, manifest, regime, n):
    rate = args.rate if regime == "paced" else 100000.0
    db = f"{regime}{n}"
    url = pg.create(db)
    resolve = ", ".join(f'"{fixture.host_name(h)}:{port}:127.0.0.1"' for h in range(args.hosts))
    seeds = "".join(
        f'[[seed]]\nlabel = "s{h}"\nurl = "http://{fixture.host_name(h)}:{port}/"\nscope = "host"\n'
        f'max_depth = 100\nmax_pages = 100000\nrecrawl = "never"\nrate_per_sec = {rate}\n'
        f"max_in_flight = 4\n\n"
        for h in range(args.hosts)
    )
    procs = []
    db_cpu = pg.cpu_seconds()
    start = time.monotonic()
    for i in range(n):
        home = os.path.join(work, f"{db}-n{i + 1}")
        os.makedirs(os.path.join(home, "seeds"))
        with open(os.path.join(home, "seeds", "web.toml"), "w") as f:
            f.write(seeds)
        conf = os.path.join(home, "nightjar.toml")
        with open(conf, "w") as f:
            f.write(
                f'[data]\ndir = "{home}/data"\ndatabase = "{url}"\n'
                f'[node]\nname = "n{i + 1}"\nlease = "6s"\nmax_hosts = {args.max_hosts}\n'
                f'[crawl]\nconcurrency = {args.concurrency}\nseeds_dir = "{home}/seeds"\n'
                f'[politeness]\nrobots = "ignore"\n[fetch]\nresolve = [{resolve}]\n'
                f'[api]\nlisten = "127.0.0.1:0"\n[metrics]\nlisten = "127.0.0.1:0"\n'
            )
        log = open(os.path.join(home, "nightjar.log"), "wb")
        env = dict(os.environ, NIGHTJAR_LOG="warn")
        procs.append(subprocess.Popen([args.nightjar, "--config", conf, "run"], stdout=log,
                                      stderr=subprocess.STDOUT, env=env))  # fmt: skip
    want = len(manifest["pages"]) + len(manifest["images"]) + len(manifest["redirects"])
    deadline = start + args.timeout
    done = 0
    try:
        while time.monotonic() < deadline:
            for p in procs:
                if p.poll() is not None:
                    sys.exit(f"a node exited ({p.returncode}); see {work}/{db}-n*/nightjar.log")
            with contextlib.suppress(SystemExit):
                done = int(pg.query(db, "SELECT count(DISTINCT url) FROM captures").strip() or 0)
            if done >= want:
                break
            time.sleep(0.25)
        wall = time.monotonic() - start
        cpu = sum(cpu_seconds(p.pid) for p in procs)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    time.sleep(1)  # the nodes' backends exit and are reaped
    db_cpu = pg.cpu_seconds() - db_cpu
    if done < want:
        sys.exit(f"{regime}, {n} nodes: {done} of {want} URLs captured after {args.timeout} s")
    seen = dict(
        (u, int(s))
        for u, s in (line.split("\t") for line in pg.query(db, "SELECT url, status FROM captures").splitlines())
    )
    fetched = completeness(f"{n} nodes ({regime})", seen, manifest)
    twice = int(pg.query(db, "SELECT count(*) FROM (SELECT url FROM captures GROUP BY url HAVING count(*) > 1) t").strip())
    span = pg.query(
        db,
        "SELECT EXTRACT(EPOCH FROM (max(captured_at::timestamptz) - min(captured_at::timestamptz))) FROM captures",
    ).strip()
    by_node = dict(
        line.split("\t") for line in pg.query(db, "SELECT node, count(*) FROM captures GROUP BY node").splitlines()
    )
    span = max(float(span or 0), 1e-3)
    return {
        "nodes": n,
        "captures": sum(int(c) for c in by_node.values()),
        "captured_twice": twice,
        "by_node": {k: int(v) for k, v in by_node.items()},
        "wall_s": round(wall, 2),
        "crawl_s": round(span, 2),
        "pages_per_s": round(fetched / span, 1),
        "cpu_s": round(cpu, 2),
        "cpu_s_per_1000": round(cpu / fetched * 1000, 2),
        "db_cpu_s": round(db_cpu, 2),
        "db_cpu_s_per_1000": round(db_cpu / fetched * 1000, 2),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nightjar", required=True, help="the nightjar binary, built with PostgreSQL")
    p.add_argument("--out", required=True, help="write the figures here as JSON")
    p.add_argument("--quick", action="store_true", help="a small web, for the test suite")
    p.add_argument("--nodes", default="1,2,3", help="node counts to run")
    p.add_argument("--regimes", default="paced,unpaced")
    p.add_argument("--hosts", type=int)
    p.add_argument("--pages", type=int, help="pages in all")
    p.add_argument("--rate", type=float, default=4.0, help="requests per second per host (paced)")
    p.add_argument("--max-hosts", type=int, default=4, help="hosts one node holds at once")
    p.add_argument("--concurrency", type=int, default=16, help="fetches in flight per node")
    p.add_argument("--timeout", type=float, default=900.0, help="seconds one crawl may take")
    args = p.parse_args()
    args.hosts = args.hosts or (6 if args.quick else 24)
    args.pages = args.pages or (60 if args.quick else 1440)
    counts = [int(c) for c in args.nodes.split(",")]
    work = tempfile.mkdtemp(prefix="nightjar-bench-nodes-")
    os.chmod(work, 0o755)  # nginx workers run as nobody
    port = free_port()
    manifest = fixture.generate(work, args.pages, args.hosts, port)
    result = {
        "hosts": args.hosts, "pages": len(manifest["pages"]), "images": len(manifest["images"]),
        "redirects": len(manifest["redirects"]), "rate_per_host": args.rate,
        "max_hosts_per_node": args.max_hosts, "concurrency_per_node": args.concurrency,
        "cores": os.cpu_count(), "regimes": {},
    }  # fmt: skip
    pg = Postgres()
    try:
        with nginx(work, port):
            for regime in args.regimes.split(","):
                runs = []
                for n in counts:
                    print(f"{regime}: {n} node(s) ...", file=sys.stderr)
                    r = crawl(args, pg, work, port, manifest, regime, n)
                    r["speedup"] = round(r["pages_per_s"] / runs[0]["pages_per_s"], 2) if runs else 1.0
                    runs.append(r)
                    print(f"  {r['pages_per_s']} pages/s, {r['cpu_s_per_1000']} CPU s per 1000", file=sys.stderr)
                # Where it stops scaling: the first count whose added node brings less than
                # half of what one node does alone.
                stops = next(
                    (b["nodes"] for a, b in zip(runs, runs[1:])
                     if b["pages_per_s"] - a["pages_per_s"] < 0.5 * runs[0]["pages_per_s"] * (b["nodes"] - a["nodes"])),
                    None,
                )  # fmt: skip
                result["regimes"][regime] = {"runs": runs, "stops_scaling_at": stops}
    finally:
        pg.close()
        shutil.rmtree(work, ignore_errors=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
