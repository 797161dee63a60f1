"""The fixture web the crawl benchmark crawls: static files for nginx, one folder per host.

Every host `sNN.bench.test` has PAGES/HOSTS HTML pages of 15-30 KB (or another size range: the
larger shape has pages of 60-150 KB, with a listing table in the text as market pages have). Page i links to pages
10i+1 .. 10i+10 of its own host (a tree, so every page is a few hops from `/`), plus ten
more: six random pages of its own host and four of other hosts, about twenty links in all.
One page in twenty shows an image (`/img/K.png`, 2-20 KB of random bytes), and each host has
two old addresses (`/old/K`) that nginx redirects (301) to a page. The PRNG is seeded, so a
given size always gives the same web.
"""

import json
import os
import random

WORDS = (
    "market vendor listing escrow shipping account review feedback price order stock "
    "bitcoin monero wallet contact message forum thread reply member profile verified "
    "secure private delivery worldwide discount quality trusted support policy refund"
).split()


def host_name(n):
    return f"s{n:02d}.bench.test"


def paragraph(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
    words[rng.randrange(len(words))] = str(rng.randint(1000, 999999))
    return "<p>" + " ".join(words) + ".</p>\n"


def table_rows(rng):
    rows = []
    for _ in range(rng.randint(5, 15)):
        cells = "".join(f"<td class=c>{rng.choice(WORDS)} {rng.randint(1, 9999)}</td>" for _ in range(5))
        rows.append(f"<tr>{cells}</tr>")
    return "<table class=listing>" + "\n".join(rows) + "</table>\n"


def generate(root, pages, hosts, port, seed=8, page_bytes=(15000, 30000)):
    """Writes the web under ROOT/www; returns the manifest of every URL a full crawl fetches.
    PAGE_BYTES is the range of an HTML page's size; past 50 KB, pages also carry tables."""
    rng = random.Random(seed)
    per_host = pages // hosts
    images_per_host = max(1, per_host // 20)
    manifest = {"pages": [], "images": [], "redirects": []}
    for h in range(hosts):
        name = host_name(h)
        base = f"http://{name}:{port}"
        site = os.path.join(root, "www", name)
        os.makedirs(os.path.join(site, "p"), exist_ok=True)
        os.makedirs(os.path.join(site, "img"), exist_ok=True)
        for k in range(images_per_host):
            with open(os.path.join(site, "img", f"{k}.png"), "wb") as f:
                f.write(b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(2000, 20000)))
            manifest["images"].append(f"{base}/img/{k}.png")
        for k in range(2):
            manifest["redirects"].append(f"{base}/old/{k + 1}")
        for i in range(per_host):
            path = "/" if i == 0 else f"/p/{i}.html"
            links = [f"/p/{c}.html" for c in range(10 * i + 1, min(10 * i + 11, per_host))]
            links += [f"/p/{rng.randrange(1, per_host)}.html" for _ in range(6)]
            links += [
                f"http://{host_name(rng.randrange(hosts))}:{port}/p/{rng.randrange(1, per_host)}.html"
                for _ in range(4)
            ]
            if i <= 2 and i > 0:
                links.append(f"/old/{i}")
            body = [f"<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>{name} page {i}</title></head>\n<body>\n"]
            body.append(f"<h1>Listing {i} on {name}</h1>\n")
            if i % 20 == 0:
                body.append(f'<img src="/img/{(i // 20) % images_per_host}.png" alt="photo">\n')
            target = rng.randint(*page_bytes)
            size = sum(map(len, body))
            li = 0
            while size < target:
                chunk = paragraph(rng)
                if page_bytes[0] > 50000 and rng.random() < 0.3:
                    chunk += table_rows(rng)
                if li < len(links):
                    chunk += f'<a href="{links[li]}">{rng.choice(WORDS)} {li}</a>\n'
                    li += 1
                body.append(chunk)
                size += len(chunk)
            body += [f'<a href="{link}">more</a>\n' for link in links[li:]]
            body.append("</body></html>\n")
            file = os.path.join(site, "index.html" if i == 0 else f"p/{i}.html")
            with open(file, "w") as f:
                f.write("".join(body))
            manifest["pages"].append(base + path)
    with open(os.path.join(root, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    return manifest


NGINX_CONF = """
worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    types {{ text/html html; image/png png; }}
    default_type application/octet-stream;
    client_body_temp_path {root}/tmp;
    proxy_temp_path {root}/tmp;
    fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp;
    scgi_temp_path {root}/tmp;
    server {{
        listen 127.0.0.1:{port};
        server_name ~^(?<site>s[0-9]+\\.bench\\.test)$;
        root {root}/www/$site;
        location /old/ {{ rewrite ^/old/([0-9]+)$ /p/$1.html permanent; }}
    }}
}}
"""


def nginx_conf(root, port):
    return NGINX_CONF.format(root=root, port=port)
