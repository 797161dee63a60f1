"""Crawl throughput on loopback: nightjar, wget and Scrapy crawl the same fixture web, served
by nginx, one after the other on the same machine; wrk measures what nginx alone serves.

Each crawler runs as one child process; its CPU time and peak RSS come from the kernel
(wait4's rusage), its wall time from a monotonic clock around it. A crawl counts only if it
fetched every page, image and redirect of the fixture: the script reads each archive back
(nightjar's capture index, warcio for the other two) and says what is missing.

    python3 crawl.py --nightjar BIN --out crawl.json [--pages 20000 --hosts 50 --concurrency 16]
                     [--page-bytes 60000-150000]
"""

import argparse
import contextlib
import gzip
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

from warcio.archiveiterator import ArchiveIterator

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fixture  # noqa: E402

HOSTS_MARK = "# nightjar-bench"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def hosts_file(names):
    """Maps the fixture's host names to 127.0.0.1 in /etc/hosts (wget, Scrapy and wrk resolve
    through it), and takes the lines out again however the run ends."""
    try:
        with open("/etc/hosts") as f:
            before = [l for l in f.read().splitlines() if HOSTS_MARK not in l]
        with open("/etc/hosts", "w") as f:
            f.write("\n".join(before + [f"127.0.0.1 {n} {HOSTS_MARK}" for n in names]) + "\n")
    except PermissionError:
        sys.exit("the crawl benchmark maps its host names in /etc/hosts: run it as root")
    try:
        yield
    finally:
        with open("/etc/hosts") as f:
            kept = [l for l in f.read().splitlines() if HOSTS_MARK not in l]
        with open("/etc/hosts", "w") as f:
            f.write("\n".join(kept) + "\n")


@contextlib.contextmanager
def nginx(root, port, conf_text=None):
    """nginx on 127.0.0.1:`port` with `conf_text` (default: the fixture web's), until the
    block ends."""
    conf = os.path.join(root, "nginx.conf")
    os.makedirs(os.path.join(root, "tmp"), exist_ok=True)
    with open(conf, "w") as f:
        f.write(conf_text or fixture.nginx_conf(root, port))
    proc = subprocess.Popen(["nginx", "-c", conf, "-g", "daemon off;"])
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.05)
        else:
            sys.exit(f"nginx did not start on 127.0.0.1:{port}; see {root}/nginx-error.log")
        yield
    finally:
        proc.terminate()
        proc.wait()


def run_measured(argv, cwd, env=None, log=None):
    """Runs one crawler; returns wall seconds, CPU seconds (user + system) and peak RSS (MB)."""
    start = time.monotonic()
    with open(log or os.devnull, "wb") as out:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = open(log, errors="replace").read()[-2000:] if log else ""
        sys.exit(f"{argv[0]} exited with {code}:\n{tail}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}


def warc_fetched(paths):
    """URL -> HTTP status of every response record in these WARC files (warcio reads them)."""
    seen = {}
    for path in paths:
        with open(path, "rb") as f:
            for rec in ArchiveIterator(f):
                if rec.rec_type == "response":
                    seen[rec.rec_headers.get_header("WARC-Target-URI")] = int(rec.http_headers.get_statuscode())
    return seen


def nightjar_fetched(data):
    db = sqlite3.connect(f"file:{data}/nightjar.db?mode=ro", uri=True)
    return {url: status for url, status in db.execute("SELECT url, status FROM captures")}


def completeness(name, seen, manifest):
    """Every page and image fetched with 200, every redirect with 301; else the run is void."""
    missing = [u for u in manifest["pages"] + manifest["images"] if seen.get(u) != 200]
    missing += [u for u in manifest["redirects"] if seen.get(u, 301) != 301]
    if missing:
        sys.exit(f"{name} did not fetch {len(missing)} URLs of the fixture, e.g. {missing[:3]}")
    return len(manifest["pages"]) + len(manifest["images"])


def dir_bytes(path, pattern=r""):
    total = 0
    for dirpath, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files if re.search(pattern, f))
    return total


def crawl_nightjar(args, work, manifest, port, starts):
    data = os.path.join(work, "nightjar")
    conf = os.path.join(work, "nightjar.toml")
    resolve = ", ".join(f'"{fixture.host_name(h)}:{port}:127.0.0.1"' for h in range(args.hosts))
    # The highest rate a seed may have (100,000 requests a second per host: no pacing at
    # the fixture's speeds), as the other crawlers run without a politeness delay. Link-farm
    # detection off, as the others have none: the fixture's generated pages draw on one
    # small vocabulary, and past a few hundred pages a host adds no new words.
    with open(conf, "w") as f:
        f.write(
            f'[data]\ndir = "{data}"\n[crawl]\nconcurrency = {args.concurrency}\n'
            f'[politeness]\nrate_per_sec = 100000.0\nmax_in_flight = {args.concurrency}\nrobots = "ignore"\n'
            f"[traps]\nnovelty_window = 0\n"
            f"[fetch]\nresolve = [{resolve}]\n"
        )
    env = dict(os.environ, NIGHTJAR_LOG="warn")
    argv = [args.nightjar, "--config", conf, "crawl", "--depth", "1000", "--max-pages", "1000000", *starts]
    m = run_measured(argv, work, env, os.path.join(work, "nightjar.log"))
    pages = completeness("nightjar", nightjar_fetched(data), manifest)
    m["archive_bytes"] = dir_bytes(os.path.join(data, "warcs"), r"\.warc")
    m["index_bytes"] = dir_bytes(data, r"^nightjar\.db")
    return pages, m


def crawl_wget(args, work, manifest, port, starts):
    out = os.path.join(work, "wget")
    os.makedirs(out)
    argv = [
        "wget", "--recursive", "--level=inf", "--span-hosts", "--domains=bench.test",
        "-e", "robots=off", "--no-verbose", "--directory-prefix", out,
        "--warc-file", os.path.join(work, "wget-archive"), "--no-warc-keep-log", *starts,
    ]  # fmt: skip
    m = run_measured(argv, work, log=os.path.join(work, "wget.log"))
    warc = os.path.join(work, "wget-archive.warc.gz")
    pages = completeness("wget", warc_fetched([warc]), manifest)
    m["archive_bytes"] = os.path.getsize(warc)
    return pages, m


def crawl_scrapy(args, work, manifest, port, starts):
    urls = os.path.join(work, "scrapy-starts.txt")
    with open(urls, "w") as f:
        f.write("\n".join(starts))
    warc = os.path.join(work, "scrapy.warc.gz")
    argv = [
        sys.executable, "-m", "scrapy", "runspider", os.path.join(HERE, "scrapy_spider.py"),
        "-a", f"start={urls}", "-a", f"warc={warc}",
        "-s", f"CONCURRENT_REQUESTS={args.concurrency}",
        "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={args.concurrency}",
    ]  # fmt: skip
    m = run_measured(argv, work, log=os.path.join(work, "scrapy.log"))
    pages = completeness("Scrapy", warc_fetched([warc]), manifest)
    m["archive_bytes"] = os.path.getsize(warc)
    return pages, m


def ceiling(args, port):
    """What nginx serves to wrk on the same number of connections: the loopback ceiling."""
    url = f"http://{fixture.host_name(0)}:{port}/p/1.html"
    secs = 3 if args.pages < 5000 else 10
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(args.concurrency), "-d", f"{secs}s", url],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nightjar", required=True, help="the nightjar binary")
    p.add_argument("--out", required=True, help="write the figures here as JSON")
    p.add_argument("--pages", type=int, default=20000)
    p.add_argument("--hosts", type=int, default=50)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--page-bytes", default="15000-30000", help="range of an HTML page's size (LOW-HIGH)")
    p.add_argument("--tools", default="nightjar,wget,scrapy")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="nightjar-bench-")
    os.chmod(work, 0o755)  # nginx workers run as nobody
    port = free_port()
    print(f"generating {args.pages} pages over {args.hosts} hosts in {work} ...", file=sys.stderr)
    low, high = (int(x) for x in args.page_bytes.split("-"))
    manifest = fixture.generate(work, args.pages, args.hosts, port, page_bytes=(low, high))
    starts = [f"http://{fixture.host_name(h)}:{port}/" for h in range(args.hosts)]
    runners = {"nightjar": crawl_nightjar, "wget": crawl_wget, "scrapy": crawl_scrapy}
    result = {"pages": len(manifest["pages"]), "images": len(manifest["images"]),
              "redirects": len(manifest["redirects"]), "hosts": args.hosts,
              "concurrency": args.concurrency, "page_bytes": [low, high], "tools": {}}  # fmt: skip
    try:
        with hosts_file(fixture.host_name(h) for h in range(args.hosts)), nginx(work, port):
            result["nginx_wrk_requests_per_s"] = ceiling(args, port)
            for tool in args.tools.split(","):
                print(f"crawling with {tool} ...", file=sys.stderr)
                fetched, m = runners[tool](args, work, manifest, port, starts)
                m["fetched"] = fetched
                m["pages_per_s"] = fetched / m["wall_s"]
                m["cpu_s_per_1000"] = m["cpu_s"] / fetched * 1000
                # Cores kept busy on average (CPU seconds per wall second).
                m["cores_busy"] = m["cpu_s"] / m["wall_s"]
                m["archive_bytes_per_page"] = m["archive_bytes"] / fetched
                result["tools"][tool] = m
                print(f"  {tool}: {fetched} fetched in {m['wall_s']:.1f} s", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    tools = result["tools"]
    if "nightjar" in tools:
        for other in ("wget", "scrapy"):
            if other in tools:
                result[f"speedup_vs_{other}"] = tools["nightjar"]["pages_per_s"] / tools[other]["pages_per_s"]
                result[f"cpu_ratio_vs_{other}"] = tools["nightjar"]["cpu_s_per_1000"] / tools[other]["cpu_s_per_1000"]
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
