"""Onion scale: one nightjar process crawls hundreds of onion services at once through its
embedded Tor client, on a private Tor network on 127.0.0.1; C tor clients driven by curl
fetch the same pages at the same parallelism.

The network is tests/tor/tornet.sh's (Debian's tor: three authorities, two exits, two
middles) with service tors of at most 50 services each: a tor that uploads hundreds of
descriptors at once stalls (../shared/tor-lab/RECIPE.md, "Scale"). Each service tor starts
with one service of its own and gets the others through its control port (ADD_ONION), 25
at a time, each batch once the previous batch's descriptors are stored, counted per onion
address from HS_DESC events. This process owns every tor (TAKEOWNERSHIP): however it ends,
they end with it. Every service forwards port 80 to one nginx, which serves each onion name
a site of its own: an index linking to --pages pages of 4-12 KB, every page different.

The network is built once, for the largest count of --services; each count is then crawled
on its first services, with fresh state (nightjar's data and arti's caches; new C tor
clients), by nightjar and then by curl. Slots are --per-service per service: nightjar's
[crawl] concurrency (and at most that many per service), and curl's --parallel-max summed
over its clients (one C tor client per 50 services, as a C tor client caps its pending
circuits at 32, and per 300 slots, curl's own cap), each client's URLs listed in turns over
its services so that curl, which starts them in order, keeps about as many per service.

Figures per count and crawler: pages/s over the crawl (first fetch start to last fetch end)
and over the process's wall time, fetch latency p50/p99 (nightjar: each capture's
fetch-total-ms; curl: time_total), CPU seconds per 1,000 pages and peak RSS (nightjar:
wait4; curl: wait4 of the curls plus the C tor clients' CPU and resident memory from /proc),
the fetches and services in flight over time (nightjar: from each capture's start,
WARC-Date, and duration), with the share of the slots busy while work was left, i.e.
from the first fetch's start to the last one's; and, to tell a crawl that waits on Tor from
one that waits on the CPU, the CPU seconds of the network's own tors (relays and services)
and the cores kept busy by the crawl (the crawler's and the network's CPU seconds per wall
second).

    python3 onions.py --nightjar BIN --out onions.json [--services 40,150,300 --pages 30]
"""

import argparse
import contextlib
import datetime
import faulthandler
import io
import json
import math
import os
import queue
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from warcio.archiveiterator import ArchiveIterator

from crawl import nginx  # noqa: E402 - the fixture server, with this part's own sites

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TORNET = os.path.join(ROOT, "tests", "tor", "tornet.sh")
# Services per service tor, and added to one tor at once (RECIPE.md, "Scale").
PER_TOR = 50
BATCH = 25
# HSDirs holding a descriptor of a service that make it ready: of the network's seven
# relays, as many as one replica's spread (tor's hsdir_spread_store, 4).
HSDIRS_READY = 4
# Service tors adding services at the same time: six at once on two cores starved each
# other's circuits, and their uploads never settled.
GROWING = 2
# How long one batch's descriptors may take to be stored.
BATCH_WITHIN = 300
# Sampling step of the in-flight timeline, seconds.
STEP = 0.05
# The shared random value changes every 24 voting intervals (tornet.sh's VOTING, 20 s), on
# the wall clock's multiples of that; then every service tor uploads all its descriptors
# again and stalls for about two minutes (../shared/tor-lab/RECIPE.md, "Scale"). A crawl
# that straddled such a change stopped with a thousand fetches failing (twice in six runs of 300 services). So a
# crawl of more than BATCH services starts only between SETTLE seconds after a change and
# CLEAR_BEFORE seconds before the next; if not, it waits for that window.
SRV_PERIOD = 24 * 20
CLEAR_BEFORE = 120
SETTLE = 150

NGINX_CONF = """
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    keepalive_requests 1000000;
    types {{ text/html html; }}
    default_type application/octet-stream;
    client_body_temp_path {root}/tmp;
    proxy_temp_path {root}/tmp;
    fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp;
    scgi_temp_path {root}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {root}/www/$host;
    }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_base():
    """A port base whose ORPorts (base+1..7) and DirPorts (base+101..103) are free."""
    for attempt in range(200):
        base = 20000 + ((os.getpid() + attempt * 211) % 400) * 100
        ok = True
        for p in [*range(base + 1, base + 8), *range(base + 101, base + 104)]:
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    sys.exit("no free port range for the private Tor network")


def tornet(net, cmd, *args):
    out = subprocess.run(["bash", TORNET, cmd, net, *map(str, args)], capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    if out.returncode != 0:
        sys.exit(f"tornet.sh {cmd} failed: {out.stderr.strip()[-2000:]}")
    return out.stdout


class Control:
    """One tor's control socket, owned by this process: commands with their replies, and the
    HS_DESC events counted per onion address (started, stored, failed uploads)."""

    def __init__(self, path, events):
        deadline = time.monotonic() + 15
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.replies = queue.Queue()
        self.uploads = {}
        self.stored = set()
        self.failed = set()
        self.hsdirs = {}
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        self.command("AUTHENTICATE")
        self.command("TAKEOWNERSHIP")
        if events:
            self.command("SETEVENTS HS_DESC")

    def _read(self):
        for raw in self.sock.makefile("rb"):
            line = raw.decode(errors="replace").rstrip("\r\n")
            if line.startswith("650 HS_DESC "):
                words = line.split()
                if len(words) >= 4 and words[2] in ("UPLOAD", "UPLOADED", "FAILED"):
                    with self.lock:
                        u = self.uploads.setdefault(words[3], [0, 0, 0])
                        u[("UPLOAD", "UPLOADED", "FAILED").index(words[2])] += 1
                        started, stored, failed = u
                        if words[2] == "UPLOADED" and len(words) >= 6:
                            self.hsdirs.setdefault(words[3], set()).add(words[5])
                        # Ready at the first moment every upload started has ended, at
                        # least half of them stored (the test harness's rule: several
                        # HSDirs, current and next descriptor), or once HSDIRS_READY
                        # HSDirs hold a descriptor of it. Held from then on: services that
                        # re-upload often (new intro points, a busy network) are rarely all
                        # between uploads at the same moment.
                        settled = started > 0 and stored + failed >= started
                        if (settled and stored * 2 >= started) or len(self.hsdirs.get(words[3], ())) >= HSDIRS_READY:
                            self.stored.add(words[3])
                        elif settled and words[3] not in self.stored:
                            # Most uploads failed, and tor does not try again before its
                            # next descriptor: the service is replaced.
                            self.failed.add(words[3])
            elif not line.startswith("650"):
                self.replies.put(line)

    def command(self, line):
        self.sock.sendall((line + "\r\n").encode())
        lines = []
        while True:
            lines.append(self.replies.get(timeout=60))
            if lines[-1][3:4] == " ":
                break
        if not lines[-1].startswith("250"):
            raise RuntimeError(f"{line.split()[0]}: {lines[-1]}")
        return lines

    def ready(self, address):
        with self.lock:
            return address in self.stored

    def wait_ready(self, addresses, within, name):
        """Waits until each of `addresses` is ready or failed; returns the failed ones."""
        deadline = time.monotonic() + within
        report = time.monotonic() + 30
        while True:
            with self.lock:
                failed = [a for a in addresses if a in self.failed and a not in self.stored]
            pending = [a for a in addresses if not self.ready(a) and a not in failed]
            if not pending:
                return failed
            now = time.monotonic()
            if now > deadline:
                # Uploads that never answered (tor reports no FAILED for a lost connection,
                # and drops pending uploads when it re-uploads): replaced like failed ones.
                return failed + pending
            if now > report:
                with self.lock:
                    counts = {a[:8]: (self.uploads.get(a), len(self.hsdirs.get(a, ()))) for a in pending[:3]}
                print(f"  {name}: {len(pending)} onion services without stored descriptors; "
                      f"uploads (started, stored, failed), HSDirs: {counts}", file=sys.stderr)  # fmt: skip
                report = now + 30
            time.sleep(0.2)


class Network:
    """The private network with `count` onion services, all forwarding port 80 to `web`."""

    def __init__(self, work, count, web):
        self.dir = os.path.join(work, "net")
        self.started = time.monotonic()
        tors = math.ceil(count / PER_TOR)
        sizes = [count // tors + (1 if i < count % tors else 0) for i in range(tors)]
        specs = [f"hs{i}/first=80:{web}" for i in range(tors)]
        tornet(self.dir, "start", free_base(), os.getpid(), *specs)
        names = [line.split()[0] for line in open(os.path.join(self.dir, "pids"))]
        service_tors = [f"hs{i}" for i in range(tors)]
        self.controls = {n: Control(os.path.join(self.dir, n, "control"), n in service_tors) for n in names}
        tornet(self.dir, "wait-consensus", 150)
        tornet(self.dir, "wait-bootstrap", 150, "relays")
        for n in service_tors:
            # Uploads on a test network stall while the service tor builds its circuits:
            # the recipe's remedy.
            self.controls[n].command("SETCONF TestingDirConnectionMaxStall=600 DisableNetwork=0")
        tornet(self.dir, "wait-bootstrap", 150)
        self.onions = []
        errors = []

        growing = threading.Semaphore(GROWING)

        def grow(i):
            try:
                growing.acquire()
                ctl = self.controls[service_tors[i]]
                first = open(os.path.join(self.dir, service_tors[i], "first", "hostname")).read().strip()
                made = [first.removesuffix(".onion")]
                # A service whose uploads mostly failed is left out (the first one, from
                # the torrc, stays up unused; an added one is removed) and replaced.
                made = [a for a in made if a not in ctl.wait_ready(made, BATCH_WITHIN, service_tors[i])]
                while len(made) < sizes[i]:
                    batch = []
                    for _ in range(min(BATCH, sizes[i] - len(made))):
                        reply = ctl.command(f"ADD_ONION NEW:ED25519-V3 Flags=DiscardPK Port=80,127.0.0.1:{web}")
                        batch.append(next(l.split("=", 1)[1] for l in reply if l.startswith("250-ServiceID=")))
                    failed = ctl.wait_ready(batch, BATCH_WITHIN, service_tors[i])
                    for a in failed:
                        ctl.command(f"DEL_ONION {a}")
                    with lock:
                        replaced[0] += len(failed)
                        if replaced[0] > len(self.controls) + count // 4:
                            raise RuntimeError(f"{replaced[0]} onion services failed to publish: the network is not usable")
                    made += [a for a in batch if a not in failed]
                    print(f"  {service_tors[i]}: {len(made)} services ({len(failed)} replaced)", file=sys.stderr)
                by_tor[i] = made
            except BaseException as e:  # noqa: BLE001 - reported by the main thread
                errors.append(f"{service_tors[i]}: {e}")
            finally:
                growing.release()

        by_tor = [[] for _ in range(tors)]
        replaced = [0]
        lock = threading.Lock()
        threads = [threading.Thread(target=grow, args=(i,), daemon=True) for i in range(tors)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            sys.exit("the onion services did not come up: " + "; ".join(errors))
        # Interleaved across tors, so that the first N services spread over every tor.
        for k in range(max(sizes)):
            self.onions += [f"{made[k]}.onion" for made in by_tor if k < len(made)]
        self.ready_s = time.monotonic() - self.started
        self.replaced = replaced[0]
        self.arti = tornet(self.dir, "arti")

    def down(self):
        subprocess.run(["bash", TORNET, "down", self.dir], capture_output=True)


def make_sites(work, onions, pages):
    """Each onion name's site under work/www/NAME: index.html and pages p1..pN of 4-12 KB."""
    urls = []
    for s, onion in enumerate(onions):
        root = os.path.join(work, "www", onion)
        os.makedirs(root, exist_ok=True)
        links = "".join(f'<li><a href="/p{i}.html">page {i}</a></li>\n' for i in range(1, pages + 1))
        with open(os.path.join(root, "index.html"), "w") as f:
            f.write(f"<!doctype html><html><head><title>service {s}</title></head><body><ul>\n{links}</ul></body></html>\n")
        urls.append(f"http://{onion}/")
        for i in range(1, pages + 1):
            words = 500 + (s * 131 + i * 977) % 1300
            body = " ".join(f"w{(s * 7919 + i * 104729 + k * 31) % 50021}" for k in range(words))
            with open(os.path.join(root, f"p{i}.html"), "w") as f:
                f.write(f"<!doctype html><html><head><title>{s}/{i}</title></head><body><p>{body}</p></body></html>\n")
            urls.append(f"http://{onion}/p{i}.html")
    return urls


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, math.ceil(q / 100 * len(xs)) - 1))] if xs else 0.0


def timeline(fetches, slots):
    """Fetches and services in flight, sampled every STEP seconds from the fetches' (start,
    end, host) intervals; per second for the report, and the mean share of the slots busy
    from the first start to the last start (work was left for the whole of it)."""
    t0 = min(s for s, _, _ in fetches)
    last_start = max(s for s, _, _ in fetches)
    t_end = max(e for _, e, _ in fetches)
    events = sorted([(s, 1, h) for s, _, h in fetches] + [(e, -1, h) for _, e, h in fetches],
                    key=lambda x: (x[0], x[1]))  # fmt: skip
    per_host, in_flight, services, i = {}, 0, 0, 0
    samples = []
    t = t0
    while t <= t_end:
        while i < len(events) and events[i][0] <= t:
            _, d, h = events[i]
            before = per_host.get(h, 0)
            per_host[h] = before + d
            in_flight += d
            services += (before == 0 and d > 0) - (before + d == 0 and d < 0)
            i += 1
        samples.append((t - t0, in_flight, services))
        t += STEP
    busy = [n for at, n, _ in samples if at <= last_start - t0]
    per_s = {}
    for at, n, sv in samples:
        per_s.setdefault(int(at), []).append((n, sv))
    series = [{"s": k, "fetches": round(statistics.mean(n for n, _ in v), 1),
               "services": round(statistics.mean(sv for _, sv in v), 1)} for k, v in sorted(per_s.items())]  # fmt: skip
    mean_busy = statistics.mean(busy) if busy else 0.0
    return {
        "in_flight_mean": round(mean_busy, 1),
        "in_flight_max": max(n for _, n, _ in samples),
        "slots_busy": round(mean_busy / slots, 3),
        "services_in_flight_mean": round(statistics.mean(sv for at, _, sv in samples if at <= last_start - t0), 1),
        "per_second": series,
    }


def warc_date(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def nightjar_fetches(data):
    """(start, end, host) of every fetch: the metadata record of each capture holds its
    fetch-total-ms, its WARC-Date the fetch's start."""
    out = []
    warcs = os.path.join(data, "warcs")
    for name in sorted(os.listdir(warcs)):
        if not name.endswith((".warc", ".warc.zst")):
            continue
        # warcio reads gzip, not zstd: the zstd CLI decompresses (every frame, the
        # dictionary frame skipped).
        plain = subprocess.run(["zstd", "-dcq", os.path.join(warcs, name)], check=True, capture_output=True).stdout
        with io.BytesIO(plain) as f:
            for rec in ArchiveIterator(f):
                if rec.rec_type != "metadata":
                    continue
                fields = dict(
                    line.split(": ", 1) for line in rec.content_stream().read().decode().splitlines() if ": " in line
                )
                if "fetch-total-ms" in fields:
                    start = warc_date(rec.rec_headers.get_header("WARC-Date"))
                    uri = rec.rec_headers.get_header("WARC-Target-URI")
                    out.append((start, start + int(fields["fetch-total-ms"]) / 1000, uri.split("/")[2]))
    return out


def proc_cpu_s(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_mb(pid, field="VmRSS:"):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


class Load:
    """The CPU seconds the network's own tors (relays and services, not the clients) spent
    between `Load()` and `.done()`: with the crawler's own, it tells a crawl that waited on
    the network from one that waited on the CPU."""

    def __init__(self, net):
        self.net = net
        self.tors = self._tors()

    def _tors(self):
        total = 0.0
        for line in open(os.path.join(self.net.dir, "pids")):
            name, pid = line.split()
            if not name.startswith("c"):
                with contextlib.suppress(OSError, IndexError):
                    total += proc_cpu_s(int(pid))
        return total

    def done(self, m, wall):
        m["network_tors_cpu_s"] = round(self._tors() - self.tors, 2)
        # Cores kept busy by the crawl: the crawler (with its Tor client) and the network.
        m["cores_busy"] = round((m["cpu_s"] + m["network_tors_cpu_s"]) / wall, 2)
        return m


def clear_of_srv_change():
    """Waits, if need be, until the crawl is at least SETTLE seconds past the last
    shared-random-value change and CLEAR_BEFORE seconds before the next (see SRV_PERIOD).
    Returns the seconds waited."""
    into = time.time() % SRV_PERIOD
    if SETTLE <= into <= SRV_PERIOD - CLEAR_BEFORE:
        return 0.0
    wait = (SETTLE - into) % SRV_PERIOD
    print(f"  {into:.0f} s into the shared random value's period: waiting {wait:.0f} s", file=sys.stderr)
    time.sleep(wait)
    return wait


def crawl_nightjar(args, work, net, onions, urls, slots, per_service):
    run = os.path.join(work, f"nightjar-{len(onions)}")
    data = os.path.join(run, "data")
    os.makedirs(run)
    arti = "".join(
        f"[tor.arti.{line[1:-1]}]\n" if line.startswith("[") and line.endswith("]") else line + "\n"
        for line in net.arti.splitlines()
    )
    conf = os.path.join(run, "nightjar.toml")
    with open(conf, "w") as f:
        f.write(
            f'[data]\ndir = "{data}"\n[crawl]\nconcurrency = {slots}\n'
            f'[politeness]\nrate_per_sec = 100000.0\nmax_in_flight = {per_service}\nrobots = "ignore"\n'
            f"[traps]\nnovelty_window = 0\n"
            f'[tor]\nenabled = true\nconnect_timeout = "2m"\nmax_streams_per_onion = {per_service}\n{arti}'
        )
    env = dict(os.environ, NIGHTJAR_LOG="warn,tor_netdir=error")
    argv = [args.nightjar, "--config", conf, "crawl", "--depth", "1", "--max-pages", str(len(urls) * 2),
            *[f"http://{o}/" for o in onions]]  # fmt: skip
    load = Load(net)
    start = time.monotonic()
    with open(os.path.join(run, "nightjar.log"), "wb") as log:
        proc = subprocess.Popen(argv, cwd=run, env=env, stdout=log, stderr=subprocess.STDOUT)
        # A network that stops answering (RECIPE.md: services re-upload every descriptor at
        # each shared-random-value change, and some become unreachable) would keep the
        # crawl retrying its sites for up to an hour: stopped (SIGTERM, a clean stop) at
        # the limit, what it missed is reported.
        stopped = []

        def stop():
            stopped.append(True)
            proc.terminate()
            later = threading.Timer(30, proc.kill)  # a stop that hangs
            later.daemon = True
            later.start()

        limit = threading.Timer(args.crawl_limit, stop)
        limit.daemon = True
        limit.start()
        _, status, usage = os.wait4(proc.pid, 0)
        limit.cancel()
    wall = time.monotonic() - start
    tors = load.done({"cpu_s": usage.ru_utime + usage.ru_stime}, wall)
    if os.waitstatus_to_exitcode(status) != 0 and not stopped:
        sys.exit(f"nightjar exited with {status}:\n{open(os.path.join(run, 'nightjar.log')).read()[-2000:]}")
    db = sqlite3.connect(f"file:{data}/nightjar.db?mode=ro", uri=True)
    # A URL captured more than once (a failed attempt, then its retry): its 200 counts.
    seen = {u: s for u, s in db.execute("SELECT url, status FROM captures ORDER BY status = 200")}
    failed = db.execute("SELECT count(*) FROM captures WHERE status = 0").fetchone()[0]
    db.close()
    m = summary(urls, seen, nightjar_fetches(data), wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, slots)
    m["network_tors_cpu_s"], m["cores_busy"] = tors["network_tors_cpu_s"], tors["cores_busy"]
    m["failed_fetches"] = failed
    m["stopped_at_limit"] = bool(stopped)
    return m


def crawl_curl(args, work, net, onions, urls, slots):
    """The same URLs through C tor clients (one per PER_TOR services), one curl --parallel
    per client; a service's URLs all go through one client."""
    run = os.path.join(work, f"curl-{len(onions)}")
    os.makedirs(run)
    # curl runs at most 300 transfers at once, whatever --parallel-max says.
    clients = max(math.ceil(len(onions) / PER_TOR), math.ceil(slots / 300))
    ports = [free_port() for _ in range(clients)]
    names = [f"c{len(onions)}x{k}" for k in range(clients)]
    starting = [subprocess.Popen(["bash", TORNET, "client", net.dir, str(p), n], stderr=subprocess.PIPE, text=True)
                for p, n in zip(ports, names)]  # fmt: skip
    errors = [p.stderr.read()[-1000:] for p in starting if p.wait() != 0]
    if errors:
        sys.exit(f"a C tor client did not start: {errors[0]}")
    pids = {line.split()[0]: int(line.split()[1]) for line in open(os.path.join(net.dir, "pids"))}
    tor_pids = [pids[n] for n in names]
    # Each client's URLs taken in turn from its services (every index first, then every
    # first page, ...): curl starts them in this order, so with 2 slots per service on
    # average it is not 30 at once on a few services and none on the rest.
    by_service = {}
    for u in urls:
        by_service.setdefault(u.split("/")[2], []).append(u)
    groups = [[] for _ in range(clients)]
    for rank in range(max(len(v) for v in by_service.values())):
        for k, o in enumerate(onions):
            if rank < len(by_service[o]):
                groups[k % clients].append(by_service[o][rank])
    procs = []
    tor_cpu = sum(proc_cpu_s(p) for p in tor_pids)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = Load(net)
    start = time.monotonic()
    for k, group in enumerate(groups):
        cfg = os.path.join(run, f"urls{k}.txt")
        with open(cfg, "w") as f:
            f.writelines(f'url = "{u}"\noutput = "/dev/null"\n' for u in group)
        out = open(os.path.join(run, f"out{k}.txt"), "w")
        argv = ["curl", "--silent", "--parallel", "--parallel-immediate", "--parallel-max",
                str(max(1, slots // clients)), "--socks5-hostname", f"127.0.0.1:{ports[k]}",
                "--retry", "2", "--retry-all-errors", "--max-time", "120", "--config", cfg,
                "--write-out", "%{time_total} %{http_code} %{url_effective}\\n"]  # fmt: skip
        procs.append(subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL))
        out.close()
    rss, curl_hwm, stopped = 0.0, {}, False
    while any(p.poll() is None for p in procs):
        rss = max(rss, sum(proc_rss_mb(t) for t in tor_pids))
        for p in procs:
            with contextlib.suppress(OSError):
                curl_hwm[p.pid] = max(curl_hwm.get(p.pid, 0.0), proc_rss_mb(p.pid, "VmHWM:"))
        if time.monotonic() - start > args.crawl_limit and not stopped:
            stopped = True
            for p in procs:
                p.kill()
        time.sleep(0.2)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    cpu += sum(proc_cpu_s(p) for p in tor_pids) - tor_cpu
    # Peak resident memory: the C tor clients together, plus every curl's peak.
    rss += sum(curl_hwm.values())
    seen, latencies = {}, []
    for k in range(clients):
        for line in open(os.path.join(run, f"out{k}.txt")):
            parts = line.split()
            if len(parts) == 3:
                seen[parts[2]] = int(parts[1])
                latencies.append(float(parts[0]) * 1000)
    for p in tor_pids:
        with contextlib.suppress(OSError):
            os.kill(p, 15)
    m = summary(urls, seen, None, wall, cpu, rss, slots)
    load.done(m, wall)
    m["latency_ms_p50"] = round(percentile(latencies, 50), 1)
    m["latency_ms_p99"] = round(percentile(latencies, 99), 1)
    m["tor_clients"] = clients
    m["stopped_at_limit"] = stopped
    return m


def summary(urls, seen, fetches, wall, cpu, rss, slots):
    missing = [u for u in urls if seen.get(u) != 200]
    m = {"pages": len(urls) - len(missing), "missing": len(missing), "wall_s": round(wall, 2),
         "pages_per_s_wall": round((len(urls) - len(missing)) / wall, 1), "cpu_s": round(cpu, 2),
         "cpu_s_per_1000": round(cpu / max(1, len(urls) - len(missing)) * 1000, 2),
         "peak_rss_mb": round(rss, 1), "slots": slots}  # fmt: skip
    if missing:
        m["missing_examples"] = missing[:3]
    if fetches:
        t0 = min(s for s, _, _ in fetches)
        t1 = max(e for _, e, _ in fetches)
        m["crawl_s"] = round(t1 - t0, 2)
        m["pages_per_s"] = round(m["pages"] / max(t1 - t0, 0.001), 1)
        lat = [(e - s) * 1000 for s, e, _ in fetches]
        m["latency_ms_p50"] = round(percentile(lat, 50), 1)
        m["latency_ms_p99"] = round(percentile(lat, 99), 1)
        m["fetches"] = len(fetches)
        m.update(timeline(fetches, slots))
    else:
        m["pages_per_s"] = m["pages_per_s_wall"]
    return m


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nightjar", required=True, help="the nightjar binary")
    p.add_argument("--out", required=True, help="write the figures here as JSON")
    p.add_argument("--services", default="40,150,300", help="counts of onion services crawled at once")
    p.add_argument("--pages", type=int, default=30, help="pages per service, besides its index")
    p.add_argument("--per-service", type=int, default=2, help="slots per service (fetches in flight)")
    p.add_argument("--tools", default="nightjar,curl")
    p.add_argument("--crawl-limit", type=float, default=600, help="seconds a crawl may take before it is stopped")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    args = p.parse_args()
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1` prints where every thread is
    counts = sorted({int(x) for x in args.services.split(",")})
    for tool in ("tor", "nginx", "curl", "zstd"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: bench/run.sh --install-only installs it")
    work = tempfile.mkdtemp(prefix="nightjar-onions-")
    os.chmod(work, 0o755)  # nginx workers run as nobody
    web = free_port()
    result = {"pages_per_service": args.pages, "per_service": args.per_service, "runs": []}
    net = None
    try:
        with nginx(work, web, NGINX_CONF.format(root=work, port=web)):
            print(f"building a private Tor network with {counts[-1]} onion services ...", file=sys.stderr)
            net = Network(work, counts[-1], web)
            result["network_ready_s"] = round(net.ready_s, 1)
            result["service_tors"] = math.ceil(counts[-1] / PER_TOR)
            result["services_replaced"] = net.replaced
            print(f"  ready after {net.ready_s:.0f} s", file=sys.stderr)
            urls_all = make_sites(work, net.onions, args.pages)
            for n in counts:
                onions = net.onions[:n]
                chosen = set(onions)
                urls = [u for u in urls_all if u.split("/")[2] in chosen]
                slots = n * args.per_service
                run = {"services": n, "urls": len(urls), "slots": slots, "tools": {}}
                for tool in args.tools.split(","):
                    # A few services re-upload in moments (the quick size does not wait).
                    waited = clear_of_srv_change() if n > BATCH else 0.0
                    print(f"crawling {n} services ({len(urls)} pages, {slots} slots) with {tool} ...", file=sys.stderr)
                    if tool == "nightjar":
                        m = crawl_nightjar(args, work, net, onions, urls, slots, args.per_service)
                    else:
                        m = crawl_curl(args, work, net, onions, urls, slots)
                    m["waited_for_srv_change_s"] = round(waited)
                    run["tools"][tool] = m
                    print(f"  {tool}: {m['pages']} pages, {m['pages_per_s']} pages/s, "
                          f"{m.get('slots_busy', '-')} of the slots busy", file=sys.stderr)  # fmt: skip
                t = run["tools"]
                if "nightjar" in t and "curl" in t:
                    run["speedup_vs_curl"] = round(t["nightjar"]["pages_per_s"] / max(t["curl"]["pages_per_s"], 0.1), 2)
                result["runs"].append(run)
    finally:
        if net:
            net.down()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
