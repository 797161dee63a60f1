"""Merges the benchmark parts into one JSON file and prints them as tables.

    python3 report.py PARTS_DIR OUT.json quick|full
"""

import json
import os
import platform
import subprocess
import sys


def version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "not found"


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "nightjar_commit": version(["git", "rev-parse", "--short", "HEAD"]),
        "wget": version(["wget", "--version"]),
        "nginx": version(["nginx", "-v"]),
        "scrapy": version([sys.executable, "-m", "scrapy", "version"]),
        "zstd": version(["zstd", "--version"]),
    }


def table(head, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    for r in [head, ["-" * w for w in widths], *rows]:
        print("  ".join(str(x).rjust(w) if i else str(x).ljust(w) for i, (x, w) in enumerate(zip(r, widths))))
    print()


def f(x, digits=1):
    return f"{x:,.{digits}f}"


def crawl(c):
    low, high = c.get("page_bytes", [15000, 30000])
    print(f"Crawl: {c['pages']:,} pages of {low // 1000}-{high // 1000} KB + {c['images']:,} images + "
          f"{c['redirects']} redirects over {c['hosts']} hosts, {c['concurrency']} connections; "
          f"nginx alone (wrk): {f(c['nginx_wrk_requests_per_s'], 0)} requests/s")  # fmt: skip
    rows = [
        [t, f"{m['wall_s']:.1f}", f(m["pages_per_s"]), f"{m['cpu_s_per_1000']:.2f}",
         f"{m.get('cores_busy', 0):.2f}", f"{m['peak_rss_mb']:.0f}", f(m["archive_bytes_per_page"], 0)]
        for t, m in c["tools"].items()
    ]  # fmt: skip
    table(["crawler", "wall s", "pages/s", "CPU s/1000 pages", "cores busy", "peak RSS MB", "archive B/page"],
          rows)  # fmt: skip
    for other in ("wget", "scrapy"):
        if f"speedup_vs_{other}" in c:
            print(f"nightjar/{other}: {c[f'speedup_vs_{other}']:.2f}x the pages/s, "
                  f"{c[f'cpu_ratio_vs_{other}']:.2f}x the CPU per page")  # fmt: skip
    print()


def onions(o):
    print(f"Onion services at scale: {o['pages_per_service']} pages + index per service, {o['per_service']} slots per "
          f"service; {o['service_tors']} service tors, network ready in {o['network_ready_s']:.0f} s")  # fmt: skip
    rows = []
    for r in o["runs"]:
        for t, m in r["tools"].items():
            rows.append([r["services"], t, f"{m['pages']:,}", m["slots"], f(m["pages_per_s"]),
                         f"{m['latency_ms_p50']:.0f}", f"{m['latency_ms_p99']:.0f}",
                         f"{m['in_flight_mean']:.0f}" if "in_flight_mean" in m else "-",
                         f"{m['slots_busy']:.2f}" if "slots_busy" in m else "-",
                         f"{m['cpu_s_per_1000']:.2f}", f"{m['peak_rss_mb']:.0f}", f"{m['cores_busy']:.2f}",
                         m["missing"]])  # fmt: skip
    table(["services", "client", "pages", "slots", "pages/s", "p50 ms", "p99 ms", "in flight", "slots busy",
           "CPU s/1000 pages", "peak RSS MB", "cores busy", "missing"], rows)  # fmt: skip
    for r in o["runs"]:
        if "speedup_vs_curl" in r:
            print(f"{r['services']} services: nightjar/curl {r['speedup_vs_curl']:.2f}x the pages/s")
    print()


def archive(a):
    print(f"Archive write path: {a['captures']:,} captures, {a['records']:,} WARC records, {a['warc_mb']:.1f} MB")
    rows = [[r["writer"], f(r["records_per_s"], 0), f(r["mb_per_s"]), f"{r['ratio']:.2f}"] for r in a["rows"]]
    table(["writer", "records/s", "MB/s", "ratio"], rows)
    print("nightjar MB/s / zstd CLI MB/s: " + ", ".join(f"level {k}: {v:.2f}" for k, v in a["nightjar_vs_zstd"].items()))
    print()


def frontier(q):
    print(f"Frontier: {q['queued']:,} URLs over {q['hosts']:,} hosts, then {q['dequeued']:,} dequeued")
    rows = [[k, v] for k, v in q.items() if k not in ("queued", "hosts", "dequeued")]
    table(["measure", "value"], [[k, f(v, 1) if isinstance(v, float) else f"{v:,}"] for k, v in rows])


def index(i):
    print(f"Index queries: {i['captures']:,} captures of {i['urls']:,} URLs, database {i['db_bytes'] / 1e6:.0f} MB")
    rows = [[q["query"], f"{q['median_ms']:.3f}", f"{q['p99_ms']:.3f}", f"{q['max_ms']:.3f}", f(q["mean_rows"])]
            for q in i["queries"]]  # fmt: skip
    table(["query", "median ms", "p99 ms", "max ms", "rows"], rows)


def leases(h):
    print(f"Host leases on one PostgreSQL: {h['hosts']:,} hosts, {h['nodes']} nodes running rounds at once")
    rows = [[k, v] for k, v in h.items() if k not in ("hosts", "nodes")]
    table(["measure", "value"], [[k, f(v, 1) if isinstance(v, float) else f"{v:,}"] for k, v in rows])


def nodes(n):
    print(f"Nodes on one PostgreSQL crawling {n['pages']:,} pages of {n['hosts']} hosts "
          f"({n['max_hosts_per_node']} hosts per node at once; paced: {n['rate_per_host']} requests/s per host)")
    rows = [[regime, r["nodes"], f(r["pages_per_s"]), f"{r['speedup']:.2f}", f(r["cpu_s_per_1000"], 2), f(r["db_cpu_s_per_1000"], 2), f(r["wall_s"])]
            for regime, g in n["regimes"].items() for r in g["runs"]]  # fmt: skip
    table(["regime", "nodes", "pages/s", "speedup", "nodes CPU s/1000", "PostgreSQL CPU s/1000", "wall s"], rows)
    for regime, g in n["regimes"].items():
        print(f"{regime}: stops scaling at {g['stops_scaling_at'] or 'no count measured'} nodes")
    print()


def main():
    parts, out, size = sys.argv[1:4]
    result = {"size": size, "machine": machine()}
    for name, show in (("crawl", crawl), ("crawl_large", crawl), ("onions", onions), ("archive", archive), ("frontier", frontier), ("index", index),
                       ("leases", leases), ("nodes", nodes)):
        path = os.path.join(parts, f"{name}.json")
        if os.path.exists(path):
            result[name] = json.load(open(path))
            show(result[name])
    with open(out, "w") as fh:
        json.dump(result, fh, indent=2)
    print(f"figures written to {out}")


if __name__ == "__main__":
    main()
