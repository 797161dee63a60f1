#!/usr/bin/env python3
"""Build the held-out change corpus: tests/change-corpus-heldout/cases.json.

    python3 tests/change-corpus-heldout/make_cases.py            # write cases.json, validate
    python3 tests/change-corpus-heldout/make_cases.py --review   # also print what differs

Standard library only, deterministic (every random value comes from a seed made of the
case name), so reruns are byte-identical.

Each case is a pair of captures of one URL ("before", "after") and the class a careful
analyst wants for the recapture: "cosmetic" (only noise differs: clocks, relative times,
counters, render timings, tokens, session ids, cache-busters, a rotating widget the seed
names) or "changed" (a real edit, usually next to noise that changes too).

Every capture also carries invisible noise that differs between the two: a CSRF meta tag,
hidden form inputs, inline <script> state, a <style> build comment, data-* attributes.

The pages were written without looking at the classifier's rules or at the first corpus
(tests/change-corpus): this is a held-out check.

--review prints, per case, the visible-text lines and links that differ between the two
captures as a plain stdlib extractor sees them (no normalisation): a reading aid for
checking that a cosmetic pair differs only in noise and a changed pair in the edit.
"""
import base64
import hashlib
import json
import random
import re
import sys
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

HERE = Path(__file__).resolve().parent
CET = timezone(timedelta(hours=1))
# The moment of the "before" captures: Wednesday 2 December 2026, 14:03:07 CET.
BEFORE = datetime(2026, 12, 2, 14, 3, 7, tzinfo=CET)
T0 = int(BEFORE.timestamp())


def rng(*parts):
    return random.Random(hashlib.sha256("/".join(map(str, parts)).encode()).digest())


# ------------------------------------------------------------------ crypto ---
# Real-looking identifiers, valid as written (checksums right), made from seeds.

def _keccak_f(lanes):
    def rol(a, n):
        n %= 64
        return ((a << n) | (a >> (64 - n))) & 0xFFFFFFFFFFFFFFFF

    r = 1
    for _ in range(24):
        c = [lanes[x][0] ^ lanes[x][1] ^ lanes[x][2] ^ lanes[x][3] ^ lanes[x][4] for x in range(5)]
        d = [c[(x + 4) % 5] ^ rol(c[(x + 1) % 5], 1) for x in range(5)]
        lanes = [[lanes[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        x, y = 1, 0
        cur = lanes[x][y]
        for t in range(24):
            x, y = y, (2 * x + 3 * y) % 5
            cur, lanes[x][y] = lanes[x][y], rol(cur, (t + 1) * (t + 2) // 2)
        for y in range(5):
            row = [lanes[x][y] for x in range(5)]
            for x in range(5):
                lanes[x][y] = row[x] ^ ((~row[(x + 1) % 5]) & row[(x + 2) % 5])
        for j in range(7):
            r = ((r << 1) ^ ((r >> 7) * 0x71)) % 256
            if r & 2:
                lanes[0][0] ^= 1 << ((1 << j) - 1)
    return lanes


def _sponge(data, suffix, rate=136, out=32):
    state = bytearray(200)
    data = bytearray(data) + bytes([suffix])
    while len(data) % rate:
        data.append(0)
    data[-1] |= 0x80
    for off in range(0, len(data), rate):
        for i in range(rate):
            state[i] ^= data[off + i]
        lanes = [[int.from_bytes(state[8 * (x + 5 * y):8 * (x + 5 * y) + 8], "little")
                  for y in range(5)] for x in range(5)]
        lanes = _keccak_f(lanes)
        for x in range(5):
            for y in range(5):
                state[8 * (x + 5 * y):8 * (x + 5 * y) + 8] = lanes[x][y].to_bytes(8, "little")
    return bytes(state[:out])


def keccak256(data):
    return _sponge(data, 0x01)


assert _sponge(b"abc", 0x06) == hashlib.sha3_256(b"abc").digest()
assert keccak256(b"").hex().startswith("c5d2460186f7233c927e7db2dcc703c0")

# ed25519 (for Monero keys and onion v3 keys that are real curve points)
_P = 2 ** 255 - 19
_L = 2 ** 252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_I = pow(2, (_P - 1) // 4, _P)


def _xrecover(y):
    xx = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    x = pow(xx, (_P + 3) // 8, _P)
    if (x * x - xx) % _P:
        x = x * _I % _P
    return _P - x if x % 2 else x


_B = (_xrecover(4 * pow(5, _P - 2, _P) % _P), 4 * pow(5, _P - 2, _P) % _P)


def _edadd(p, q):
    (x1, y1), (x2, y2) = p, q
    t = _D * x1 * x2 * y1 * y2
    return ((x1 * y2 + x2 * y1) * pow(1 + t, _P - 2, _P) % _P,
            (y1 * y2 + x1 * x2) * pow(1 - t, _P - 2, _P) % _P)


def _edmul(k, p):
    q = (0, 1)
    while k:
        if k & 1:
            q = _edadd(q, p)
        p = _edadd(p, p)
        k >>= 1
    return q


def ed_point(seed):
    k = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "little") % _L
    x, y = _edmul(k, _B)
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58(data):
    n = int.from_bytes(data, "big")
    s = ""
    while n:
        n, m = divmod(n, 58)
        s = _B58[m] + s
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + s


def b58check(payload):
    return b58(payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4])


def xmr_address(seed):
    data = b"\x12" + ed_point(seed + "/spend") + ed_point(seed + "/view")
    data += keccak256(data)[:4]
    sizes = [0, 2, 3, 5, 6, 7, 9, 10, 11]
    out = ""
    for i in range(0, len(data), 8):
        block = data[i:i + 8]
        n = int.from_bytes(block, "big")
        s = ""
        while n:
            n, m = divmod(n, 58)
            s = _B58[m] + s
        out += s.rjust(sizes[len(block)], "1")
    assert len(out) == 95 and out[0] == "4"
    return out


def _bech32_polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (b >> i) & 1 else 0
    return chk


def btc_address(seed):
    prog = hashlib.sha256(seed.encode()).digest()[:20]
    data, acc, bits = [0], 0, 0
    for b in prog:
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    hrp = "bc"
    expand = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    pm = _bech32_polymod(expand + data + [0] * 6) ^ 1
    data += [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join("qpzry9x8gf2tvdw0s3jn54khce6mua7l"[d] for d in data)


def eth_address(seed):
    raw = keccak256(seed.encode())[-20:].hex()
    h = keccak256(raw.encode()).hex()
    return "0x" + "".join(c.upper() if c.isalpha() and int(h[i], 16) >= 8 else c
                          for i, c in enumerate(raw))


def trx_address(seed):
    return b58check(b"\x41" + hashlib.sha256(seed.encode()).digest()[:20])


def onion(seed):
    pub = ed_point("onion/" + seed)
    chk = hashlib.sha3_256(b".onion checksum" + pub + b"\x03").digest()[:2]
    return base64.b32encode(pub + chk + b"\x03").decode().lower() + ".onion"


def pgp_fpr(seed):
    h = hashlib.sha1(seed.encode()).hexdigest().upper()
    return " ".join(h[i:i + 4] for i in range(0, 40, 4))


def session_id(seed):
    return "05" + hashlib.sha256(seed.encode()).hexdigest()


def hexid(seed, n=32):
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


# ------------------------------------------------------------ page parts ---

class Noise:
    """Per-capture values that never show as text: tokens, build ids, timestamps."""

    def __init__(self, name, k):
        r = rng(name, "noise", k)
        self.csrf = "%032x" % r.getrandbits(128)
        self.nonce = base64.b64encode(r.randbytes(16)).decode().rstrip("=")
        self.build = "%08x" % r.getrandbits(32)
        self.ts = T0 + k * r.randint(2000, 9000) + r.randint(0, 59)
        self.ms = self.ts * 1000 + r.randint(0, 999)
        self.rid = str(uuid.UUID(int=r.getrandbits(128), version=4))
        self.form = "%016x" % r.getrandbits(64)


def linker(v):
    """Internal links, with the capture's session id if the site puts one in its URLs."""
    sess, jsess = v.get("sess"), v.get("jsess")

    def u(path):
        if jsess:
            p, _, q = path.partition("?")
            path = f"{p};jsessionid={jsess}" + (f"?{q}" if q else "")
        if sess:
            path += ("&amp;" if "?" in path else "?") + f"{sess[0]}={sess[1]}"
        return path

    return u


def shell(n, *, lang, title, body, css=(), js=(), head_extra="", dir_="ltr"):
    css_tags = "\n".join(f'<link rel="stylesheet" href="{h}">' for h in css)
    js_tags = "\n".join(f'<script src="{h}" defer></script>' for h in js)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}" dir="{dir_}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f'<meta name="csrf-token" content="{n.csrf}">',
        css_tags,
        f"<style>/* build {n.build} */",
        "body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#222}",
        "nav a{margin-right:.8em} footer{color:#777;font-size:13px} .hidden{display:none}",
        "</style>",
        f'<script nonce="{n.nonce}">window.__BOOT={{"t":{n.ts},"rid":"{n.rid}","v":"{n.build}"}};</script>',
        js_tags,
        head_extra,
        "</head>",
        f'<body data-rendered="{n.ts}">',
        body.strip("\n"),
        f'<script nonce="{n.nonce}">(function(){{var i=new Image();i.src="/px.gif?t={n.ms}&r={n.rid}";}})();</script>',
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def search_form(n, action, button, placeholder, name="q"):
    return (f'<form class="search" action="{action}" method="get">'
            f'<input type="hidden" name="_token" value="{n.csrf}">'
            f'<input type="hidden" name="fid" value="{n.form}">'
            f'<input type="search" name="{name}" placeholder="{placeholder}">'
            f'<button type="submit">{button}</button></form>')


def ul(items, cls=None):
    c = f' class="{cls}"' if cls else ""
    return f"<ul{c}>\n" + "\n".join(f"<li>{i}</li>" for i in items) + "\n</ul>"


def opt(text, tag="p", cls=None):
    """An element only if there is text for it."""
    if not text:
        return ""
    c = f' class="{cls}"' if cls else ""
    return f"<{tag}{c}>{text}</{tag}>"


# --------------------------------------------------------------- templates ---
# Each template takes the capture's invisible noise `n` and the page's values `v`.

def t_discourse(n, v):
    """Discourse topic page."""
    u = linker(v)
    aq = v.get("aq", "?v=4c1e2f9")
    topic = f"/t/{v['slug']}/{v['tid']}"
    posts = []
    for i, p in enumerate(v["posts"], 1):
        title = f' <span class="user-title">{p["utitle"]}</span>' if p.get("utitle") else ""
        posts.append(
            f'<article class="topic-post" id="post_{i}" data-post-id="{v["tid"] * 10 + i}">\n'
            f'<div class="topic-meta-data"><a class="username" href="{u("/u/" + p["user"])}">{p["user"]}</a>{title}\n'
            f'<a class="post-date" href="{u(f"{topic}/{i}")}" data-time="{n.ms}">{p["when"]}</a></div>\n'
            f'<div class="cooked">{p["body"]}</div>\n</article>')
    sugg = ul([f'<a href="{u(h)}">{t}</a>' for t, h in v["suggested"]])
    body = f"""<header class="d-header">
<a href="{u('/')}"><img src="/uploads/default/original/1X/logo.png" alt="{v['site']}"></a>
<nav><a href="{u('/latest')}">Latest</a> <a href="{u('/categories')}">Categories</a> <a href="{u('/faq')}">FAQ/Guidelines</a> <a href="{u('/login')}">Log In</a></nav>
{search_form(n, '/search', 'Search', 'search topics, posts, users')}
</header>
<main id="main-outlet">
<h1><a href="{u(topic)}">{v['title']}</a></h1>
<div class="topic-category"><a href="{u(f"/c/{v['cat_slug']}/{v['cat_id']}")}">{v['cat']}</a></div>
{chr(10).join(posts)}
<section class="topic-map">
<ul>
<li>created <span>{v['created']}</span></li>
<li>last reply <span>{v['last_reply']}</span></li>
<li>{v['replies']} replies</li>
<li>{v['views']}</li>
<li>{v['users']} users</li>
</ul>
</section>
<h3>Suggested Topics</h3>
{sugg}
</main>
<footer>
<p>{v['site']} · <a href="{u('/tos')}">Terms of Service</a> · <a href="{u('/privacy')}">Privacy</a></p>
{opt(v.get('foot'))}
<p>Powered by Discourse, best viewed with JavaScript enabled</p>
</footer>"""
    return shell(n, lang="en", title=f"{v['title']} - {v['cat']} - {v['site']}", body=body,
                 css=[f"/stylesheets/desktop_theme_4.css{aq}"], js=[f"/assets/discourse.js{aq}"])


def t_xenforo(n, v):
    """XenForo 2 thread (German board)."""
    u = linker(v)
    tok = v.get("xftoken")
    tq = f"?_xfToken={tok}" if tok else ""
    posts = []
    for i, p in enumerate(v["posts"], 1):
        posts.append(
            f'<article class="message message--post" id="js-post-{v["tid"] * 7 + i}" data-author="{p["user"]}">\n'
            f'<div class="message-user"><h4><a href="{u("/members/" + p["user"].lower() + "." + str(p["uid"]) + "/")}">{p["user"]}</a></h4>\n'
            f'<dl><dt>Registriert</dt><dd>{p["joined"]}</dd><dt>Beiträge</dt><dd>{p["msgs"]}</dd></dl></div>\n'
            f'<div class="message-main"><div class="message-attribution"><time datetime="{p["iso"]}">{p["when"]}</time> · #{i}</div>\n'
            f'<div class="bbWrapper">{p["body"]}</div></div>\n</article>')
    body = f"""<header class="p-header">
<a class="p-header-logo" href="{u('/')}"><img src="/styles/pflege/logo.svg" alt="{v['site']}"></a>
<nav class="p-nav"><a href="{u('/')}">Foren</a> <a href="{u('/whats-new/')}">Neue Beiträge</a> <a href="{u('/members/')}">Mitglieder</a> <a href="{u('/account/')}">Konto</a> <a href="/logout/{tq}">Abmelden</a></nav>
{search_form(n, '/search/search', 'Suchen', 'Suchen…', 'keywords')}
</header>
<div class="p-breadcrumbs"><a href="{u('/')}">Foren</a> › <a href="{u(v['forum_url'])}">{v['forum']}</a></div>
<main class="p-body">
<h1 class="p-title">{v['title']}</h1>
<div class="p-description">Themenstarter <a href="{u('/members/' + v['posts'][0]['user'].lower() + '.' + str(v['posts'][0]['uid']) + '/')}">{v['posts'][0]['user']}</a></div>
{chr(10).join(posts)}
<form action="/threads/{v['tid']}/add-reply" method="post"><input type="hidden" name="_xfToken" value="{n.ts},{n.csrf}"><input type="hidden" name="last_date" value="{n.ts}"><textarea name="message"></textarea><button>Antworten</button></form>
</main>
<aside class="p-sidebar">
<h3>Wer ist online?</h3>
<p>{v['online']}</p>
</aside>
<footer class="p-footer">
<p><a href="{u('/help/terms/')}">Nutzungsbedingungen</a> · <a href="{u('/help/privacy-policy/')}">Datenschutz</a> · <a href="{u('/misc/contact')}">Kontakt</a> · <a href="/misc/style?style_id=2{'&amp;_xfToken=' + tok if tok else ''}">Dunkles Design</a></p>
{opt(v.get('foot'))}
<p>Forum software by XenForo® © 2010-2026 XenForo Ltd.</p>
</footer>"""
    return shell(n, lang="de", title=f"{v['title']} | {v['site']}", body=body,
                 css=["/css.php?css=public%3Anormalize.css%2Cpublic%3Acore.less&s=2&l=2&d=1796000000"],
                 js=["/js/xf/preamble.min.js?_v=8a1c3e55"])


def t_mybb(n, v):
    """MyBB forum display (thread list), Polish board."""
    u = linker(v)
    rows = []
    for t in v["threads"]:
        rows.append(
            f'<tr class="inline_row"><td><a href="{u("showthread.php?tid=" + str(t["tid"]))}">{t["title"]}</a>'
            f'<div class="author">{t["author"]}</div></td>'
            f'<td>Odpowiedzi: {t["replies"]}</td><td>Wyświetleń: {t["views"]}</td>'
            f'<td class="lastpost">{t["last"]}</td></tr>')
    body = f"""<div id="container">
<div id="header"><a href="{u('index.php')}"><img src="images/logo.png" alt="{v['site']}"></a>
<nav><ul class="menu"><li><a href="{u('search.php')}">Szukaj</a></li><li><a href="{u('memberlist.php')}">Użytkownicy</a></li><li><a href="{u('misc.php?action=help')}">Pomoc</a></li><li><a href="{u('member.php?action=login')}">Zaloguj się</a></li></ul></nav>
</div>
<div class="navigation"><a href="{u('index.php')}">{v['site']}</a> › <span class="active">{v['forum']}</span></div>
<h2>{v['forum']}</h2>
<p class="description">{v['forum_desc']}</p>
<table class="tborder">
<thead><tr><th>Temat / Autor</th><th>Odpowiedzi</th><th>Wyświetleń</th><th>Ostatni post</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<form action="forumdisplay.php" method="get"><input type="hidden" name="fid" value="{v['fid']}"><input type="hidden" name="my_post_key" value="{n.csrf}"><select name="sortby"><option value="lastpost">Ostatni post</option></select><button>Sortuj</button></form>
<footer id="footer">
<p><a href="{u('contact.php')}">Kontakt</a> | <a href="{u('misc.php?action=syndication')}">RSS</a> | <a href="{u('index.php')}">Powrót na górę</a></p>
<p>Silnik forum: <a href="https://mybb.com">MyBB</a>, © 2002-2026 MyBB Group.</p>
{opt(v.get('debug'), 'div', 'debug')}
</footer>
</div>"""
    return shell(n, lang="pl", title=f"{v['site']} - {v['forum']}", body=body,
                 css=["cache/themes/theme3/global.css?t=1790000000"], js=["jscripts/general.js?ver=1836"])


def t_ips(n, v):
    """Invision Community topic (Brazilian Portuguese)."""
    u = linker(v)
    ck = v.get("csrf_key")
    ckq = f"?csrfKey={ck}" if ck else ""
    posts = []
    for i, p in enumerate(v["posts"], 1):
        posts.append(
            f'<article id="elComment_{v["tid"] * 3 + i}" class="ipsComment">\n'
            f'<aside class="cAuthorPane"><h3><a href="{u("/profile/" + str(p["uid"]) + "-" + p["user"].lower() + "/")}">{p["user"]}</a></h3>'
            f'<p>{p["rank"]}</p><p>{p["count"]}</p></aside>\n'
            f'<div class="ipsComment_content"><p class="ipsComment_meta">Postado {p["when"]}</p>\n'
            f'<div data-role="commentContent">{p["body"]}</div></div>\n</article>')
    body = f"""<header id="ipsLayout_header">
<a href="{u('/')}" id="elLogo"><img src="/uploads/monthly_2026_01/logo.png.8a7c.png" alt="{v['site']}"></a>
<nav><a href="{u('/forums/')}">Fóruns</a> <a href="{u('/discover/')}">Atividade</a> <a href="{u('/staff/')}">Equipe</a> <a href="{u('/guidelines/')}">Regras</a> <a href="/logout/{ckq}">Sair</a></nav>
{search_form(n, '/search/', 'Pesquisar', 'Pesquisar...')}
</header>
<nav class="ipsBreadcrumb"><a href="{u('/forums/')}">Início</a> › <a href="{u(v['forum_url'])}">{v['forum']}</a></nav>
<main>
<h1 class="ipsType_pageTitle">{v['title']}</h1>
<p>Por <a href="{u('/profile/' + str(v['posts'][0]['uid']) + '-' + v['posts'][0]['user'].lower() + '/')}">{v['posts'][0]['user']}</a>, em <a href="{u(v['forum_url'])}">{v['forum']}</a></p>
{chr(10).join(posts)}
<p><a href="/forums/{v['fid']}/?do=markRead{'&amp;csrfKey=' + ck if ck else ''}">Marcar fórum como lido</a></p>
</main>
<aside><h3>Usuários navegando neste tópico</h3><p>{v['online']}</p></aside>
<footer>
<ul><li><a href="{u('/privacy/')}">Política de privacidade</a></li><li><a href="{u('/contact/')}">Contato</a></li></ul>
{opt(v.get('foot'))}
<p>Powered by Invision Community</p>
</footer>"""
    return shell(n, lang="pt-BR", title=f"{v['title']} - {v['forum']} - {v['site']}", body=body,
                 css=["/uploads/css_built_1/framework.css?v=8a7c3f2e1d"], js=["/uploads/javascript_global/root_library.js?v=8a7c3f2e1d"])


def t_dread(n, v):
    """Dread-style onion forum post with comments and a sub sidebar."""
    u = linker(v)
    comments = []
    for c in v["comments"]:
        comments.append(
            f'<div class="comment"><div class="commentHead"><a class="username" href="{u("/u/" + c["user"])}">/u/{c["user"]}</a>'
            f' <span class="ago">{c["when"]}</span></div>\n<div class="commentBody">{c["body"]}</div></div>')
    mirrors = "\n".join(f'<li><a href="http://{m}/">{m}</a></li>' for m in v["mirrors"])
    rules = "\n".join(f"<li>{r}</li>" for r in v["rules"])
    body = f"""<nav class="navbar">
<a href="{u('/')}" class="logo">{v['site']}</a>
<a href="{u('/d/all')}">/d/all</a> <a href="{u('/d/' + v['sub'])}">/d/{v['sub']}</a> <a href="{u('/message')}">Messages</a> <a href="{u('/login')}">Login</a>
</nav>
<div class="container">
<div class="postBoard">
<div class="post">
<div class="postTitle"><a href="{u('/post/' + v['pid'])}">{v['title']}</a></div>
<div class="postMeta">posted by <a href="{u('/u/' + v['author'])}">/u/{v['author']}</a> in <a href="{u('/d/' + v['sub'])}">/d/{v['sub']}</a> <span class="ago">{v['posted']}</span></div>
<div class="postContent">{v['content']}</div>
</div>
<div class="comments">
{chr(10).join(comments)}
</div>
<form action="/post/{v['pid']}/comment" method="post"><input type="hidden" name="csrf_token" value="{n.csrf}"><input type="hidden" name="captcha_id" value="{n.form}"><textarea name="body"></textarea><button>Comment</button></form>
</div>
<div class="sidebar">
<h3>/d/{v['sub']}</h3>
<p>{v['sub_desc']}</p>
<h4>Rules</h4>
<ol>
{rules}
</ol>
<h4>Official mirrors</h4>
<ul>
{mirrors}
</ul>
{opt(v.get('tip'), 'div', 'random-tip')}
</div>
</div>
<footer class="footer">
<a href="{u('/d/dread')}">/d/dread</a> · <a href="{u('/canary')}">Canary</a> · <a href="{u('/faq')}">FAQ</a>
{opt(v.get('foot'))}
</footer>"""
    return shell(n, lang="en", title=f"{v['title']} - /d/{v['sub']} - {v['site']}", body=body,
                 css=["/css/main.css"])


def t_telegram(n, v):
    """Web mirror of a public Telegram channel (t.me/s/ layout)."""
    u = linker(v)
    msgs = []
    for m in v["messages"]:
        edited = f' <span class="tgme_widget_message_meta_edited">{v["edited_word"]}</span>' if m.get("edited") else ""
        msgs.append(
            f'<div class="tgme_widget_message" data-post="{v["channel"]}/{m["id"]}">\n'
            f'<div class="tgme_widget_message_text">{m["text"]}</div>\n'
            f'<div class="tgme_widget_message_footer"><span class="tgme_widget_message_views">{m["views"]}</span>{edited}'
            f' <a class="tgme_widget_message_date" href="https://t.me/{v["channel"]}/{m["id"]}"><time datetime="{m["iso"]}">{m["time"]}</time></a></div>\n</div>')
    body = f"""<header class="tgme_header">
<a href="{u('/')}" class="tgme_logo">{v['site']}</a>
<nav><a href="{u('/channels')}">{v['nav'][0]}</a> <a href="{u('/search')}">{v['nav'][1]}</a> <a href="{u('/about')}">{v['nav'][2]}</a></nav>
{search_form(n, '/search', '🔍', v['nav'][1])}
</header>
<section class="tgme_channel_info">
<img class="tgme_page_photo" src="/cdn/avatars/{v['channel']}.jpg" alt="">
<h1>{v['channel_title']}</h1>
<p><a href="https://t.me/{v['channel']}">@{v['channel']}</a></p>
<p class="tgme_channel_info_description">{v['description']}</p>
</section>
<section class="tgme_channel_history">
{chr(10).join(msgs)}
</section>
<footer>
{opt(v.get('foot'))}
<p>{v['disclaimer']}</p>
</footer>"""
    return shell(n, lang=v["lang"], title=f"{v['channel_title']} – {v['site']}", body=body,
                 css=["/css/telegram-widget.css?21"], js=["/js/widget-frame.js?64"])


# Classified-ad page in many languages: the labels of each site's language.
AD_LANG = {
    "ru": dict(nav=["Главная", "Подать объявление", "Сообщения", "Избранное", "Вход и регистрация"],
               search="Найти", ph="Поиск по объявлениям", price="Цена", loc="Адрес", desc="Описание",
               seller="Продавец", since="На сайте с", contact="Контакты", adid="Объявление №",
               report="Пожаловаться", promo="VIP-объявления", verified="Документы проверены",
               foot=["О компании", "Правила", "Конфиденциальность", "Помощь"]),
    "uk": dict(nav=["Головна", "Подати оголошення", "Повідомлення", "Обране", "Увійти"],
               search="Знайти", ph="Пошук оголошень", price="Ціна", loc="Розташування", desc="Опис",
               seller="Автор", since="На сайті з", contact="Контакти", adid="ID:",
               report="Поскаржитися", promo="ТОП-оголошення", verified="Перевірений профіль",
               foot=["Про нас", "Умови користування", "Конфіденційність", "Допомога"]),
    "de": dict(nav=["Startseite", "Anzeige aufgeben", "Nachrichten", "Merkliste", "Einloggen"],
               search="Finden", ph="Was suchst du?", price="Preis", loc="Ort", desc="Beschreibung",
               seller="Anbieter", since="Aktiv seit", contact="Kontakt", adid="Anzeigen-ID",
               report="Anzeige melden", promo="Top-Anzeigen", verified="Verifizierter Nutzer",
               foot=["Über uns", "Nutzungsbedingungen", "Datenschutz", "Hilfe"]),
    "fr": dict(nav=["Accueil", "Déposer une annonce", "Messages", "Favoris", "Se connecter"],
               search="Rechercher", ph="Que recherchez-vous ?", price="Prix", loc="Localisation",
               desc="Description", seller="Annonceur", since="Membre depuis", contact="Contact",
               adid="Réf. annonce", report="Signaler l'annonce", promo="Annonces à la une",
               verified="Profil vérifié", foot=["Qui sommes-nous", "CGU", "Vie privée", "Aide"]),
    "es": dict(nav=["Inicio", "Publicar anuncio", "Mensajes", "Favoritos", "Acceder"],
               search="Buscar", ph="¿Qué buscas?", price="Precio", loc="Ubicación", desc="Descripción",
               seller="Anunciante", since="Miembro desde", contact="Contacto", adid="Ref. anuncio",
               report="Denunciar anuncio", promo="Anuncios destacados", verified="Perfil verificado",
               foot=["Quiénes somos", "Condiciones de uso", "Privacidad", "Ayuda"]),
    "pl": dict(nav=["Strona główna", "Dodaj ogłoszenie", "Wiadomości", "Obserwowane", "Zaloguj się"],
               search="Szukaj", ph="Czego szukasz?", price="Cena", loc="Lokalizacja", desc="Opis",
               seller="Ogłoszeniodawca", since="Na portalu od", contact="Kontakt", adid="ID ogłoszenia",
               report="Zgłoś ogłoszenie", promo="Wyróżnione ogłoszenia", verified="Zweryfikowany użytkownik",
               foot=["O nas", "Regulamin", "Prywatność", "Pomoc"]),
    "it": dict(nav=["Home", "Inserisci annuncio", "Messaggi", "Preferiti", "Accedi"],
               search="Cerca", ph="Cosa cerchi?", price="Prezzo", loc="Zona", desc="Descrizione",
               seller="Inserzionista", since="Iscritto dal", contact="Contatti", adid="Rif. annuncio",
               report="Segnala annuncio", promo="Annunci in vetrina", verified="Utente verificato",
               foot=["Chi siamo", "Termini e condizioni", "Privacy", "Assistenza"]),
    "pt": dict(nav=["Início", "Publicar anúncio", "Mensagens", "Favoritos", "Entrar"],
               search="Pesquisar", ph="O que procura?", price="Preço", loc="Localização",
               desc="Descrição", seller="Anunciante", since="Membro desde", contact="Contacto",
               adid="ID do anúncio", report="Denunciar anúncio", promo="Anúncios em destaque",
               verified="Utilizador verificado", foot=["Sobre nós", "Termos de utilização", "Privacidade", "Ajuda"]),
    "ro": dict(nav=["Acasă", "Adaugă anunț", "Mesaje", "Favorite", "Intră în cont"],
               search="Caută", ph="Ce cauți?", price="Preț", loc="Localitate", desc="Descriere",
               seller="Publicat de", since="Membru din", contact="Contact", adid="ID anunț",
               report="Raportează anunțul", promo="Anunțuri promovate", verified="Cont verificat",
               foot=["Despre noi", "Termeni și condiții", "Confidențialitate", "Ajutor"]),
    "th": dict(nav=["หน้าแรก", "ลงประกาศ", "ข้อความ", "รายการโปรด", "เข้าสู่ระบบ"],
               search="ค้นหา", ph="ค้นหาประกาศ", price="ราคา", loc="ทำเลที่ตั้ง", desc="รายละเอียด",
               seller="ผู้ลงประกาศ", since="เป็นสมาชิกตั้งแต่", contact="ติดต่อ", adid="รหัสประกาศ",
               report="แจ้งประกาศไม่เหมาะสม", promo="ประกาศแนะนำ", verified="ยืนยันตัวตนแล้ว",
               foot=["เกี่ยวกับเรา", "ข้อตกลงการใช้งาน", "นโยบายความเป็นส่วนตัว", "ช่วยเหลือ"]),
    "vi": dict(nav=["Trang chủ", "Đăng tin", "Tin nhắn", "Tin đã lưu", "Đăng nhập"],
               search="Tìm kiếm", ph="Tìm kiếm tin đăng", price="Giá", loc="Khu vực", desc="Mô tả",
               seller="Người đăng", since="Tham gia từ", contact="Liên hệ", adid="Mã tin",
               report="Báo cáo tin", promo="Tin nổi bật", verified="Đã xác thực",
               foot=["Giới thiệu", "Điều khoản sử dụng", "Chính sách bảo mật", "Trợ giúp"]),
}


def t_ad(n, v):
    """Classified-ad detail page (Avito/Kleinanzeigen/Leboncoin/Milanuncios/OLX/Subito-like)."""
    L = AD_LANG[v["lang"]]
    u = linker(v)
    aq = v.get("aq", "?v=2.14.0")
    nav = " ".join(f'<a href="{u(h)}">{t}</a>' for t, h in zip(L["nav"], ["/", "/post", "/messages", "/favorites", "/login"]))
    crumbs = " › ".join(f'<a href="{u(h)}">{t}</a>' for t, h in v["crumbs"])
    attrs = "\n".join(f"<tr><th>{k}</th><td>{val}</td></tr>" for k, val in v.get("attrs", []))
    desc = "\n".join(f"<p>{p}</p>" for p in v["desc"])
    photos = "\n".join(f'<img src="{p}" alt="{v["title"]}" loading="lazy">' for p in v.get("photos", []))
    contacts = "\n".join(f"<li><b>{k}:</b> {val}</li>" for k, val in v.get("contacts", []))
    badge = f'<span class="badge verified">✔ {L["verified"]}</span>' if v.get("verified") else ""
    promo = ""
    if v.get("promo"):
        items = "\n".join(f'<li><a href="{u(h)}">{t}</a> <span>{p}</span></li>' for t, p, h in v["promo"])
        promo = f'<aside class="{v.get("promo_class", "promoted")}">\n<h3>{L["promo"]}</h3>\n<ul>\n{items}\n</ul>\n</aside>'
    cookie = ""
    if v.get("cookie"):
        cookie = (f'<div id="cookie-consent" class="cmp-banner" data-cmp-id="{n.rid}">'
                  f'<p>{v["cookie"]}</p><button>{v.get("cookie_ok", "OK")}</button></div>')
    foot_links = " · ".join(f'<a href="{u(h)}">{t}</a>' for t, h in zip(L["foot"], ["/about", "/terms", "/privacy", "/help"]))
    body = f"""<header class="site-header">
<a class="logo" href="{u('/')}"><img src="/static/img/logo.svg{aq}" alt="{v['site']}"></a>
<nav>{nav}</nav>
{search_form(n, '/search', L['search'], L['ph'])}
{opt(v.get('top'), 'div', 'topbar')}
</header>
<main class="ad-view" data-ad="{v['ad_id']}">
<div class="breadcrumbs">{crumbs}</div>
<h1>{v['title']}</h1>
{opt(v.get('meta'), 'div', 'ad-meta')}
<div class="price"><span>{L['price']}:</span> <strong>{v['price']}</strong></div>
<div class="gallery">
{photos}
</div>
<table class="params">
{attrs}
</table>
<h2>{L['desc']}</h2>
<div class="description">
{desc}
</div>
<h2>{L['loc']}</h2>
<p class="location">{v['location']}</p>
<section class="seller">
<h2>{L['seller']}</h2>
<p><a href="{u('/user/' + v['seller_id'])}">{v['seller']}</a> {badge}</p>
<p>{L['since']} {v['since']}</p>
<h3>{L['contact']}</h3>
<ul class="contacts">
{contacts}
</ul>
<form action="/messages/new" method="post"><input type="hidden" name="ad" value="{v['ad_id']}"><input type="hidden" name="csrf" value="{n.csrf}"><textarea name="text"></textarea><button>✉</button></form>
</section>
<p class="ad-id">{L['adid']} {v['ad_id']} · <a href="{u('/report?ad=' + v['ad_id'])}">{L['report']}</a></p>
</main>
{promo}
{cookie}
<footer>
<p>{foot_links}</p>
{opt(v.get('foot'))}
<p>© 2008–2026 {v['site']}</p>
</footer>"""
    return shell(n, lang=v["lang"], title=f"{v['title']} – {v['site']}", body=body,
                 css=[f"/static/css/main.css{aq}"], js=[f"/static/js/app.js{aq}"])


def t_craigslist(n, v):
    """Craigslist-like plain listing (US)."""
    u = linker(v)
    imgs = "\n".join(f'<img src="{p}" alt="">' for p in v["photos"])
    body = f"""<header class="global-header">
<a class="header-logo" href="{u('/')}">CL</a>
<nav><a href="{u('/')}">{v['city']}</a> &gt; <a href="{u('/search/hhh')}">housing</a> &gt; <a href="{u('/search/roo')}">rooms &amp; shares</a> · <a href="https://accounts.cityslist.example/login">account</a> · <a href="{u('/favorites')}">favorites</a></nav>
</header>
<section class="body">
<h1 class="postingtitle"><span id="titletextonly">{v['title']}</span> <span class="price">{v['price']}</span> <small>({v['hood']})</small></h1>
<div class="gallery">
{imgs}
</div>
<div class="mapAndAttrs"><p class="attrgroup">{" ".join(f"<span>{a}</span>" for a in v['attrs'])}</p></div>
<section id="postingbody">
{chr(10).join(f"<p>{p}</p>" for p in v['body'])}
</section>
<p class="reply"><a href="{u('/reply/' + v['pid'])}">reply</a> · <a href="{u('/flag/' + v['pid'])}">prohibited</a></p>
<div class="postinginfos">
<p class="postinginfo">post id: {v['pid']}</p>
<p class="postinginfo">posted: <time datetime="2026-11-29T09:14:00-0800">2026-11-29 09:14</time></p>
{opt(v.get('loaded'), 'p', 'postinginfo')}
</div>
<form action="/flag" method="post"><input type="hidden" name="cryptedStepCheck" value="{n.csrf}{n.form}"><input type="hidden" name="id" value="{v['pid']}"></form>
</section>
<footer>
<ul class="clfooter"><li>© 2026 cityslist</li><li><a href="{u('/about/help')}">help</a></li><li><a href="{u('/about/safety')}">safety</a></li><li><a href="{u('/about/privacy')}">privacy</a></li><li><a href="{u('/about/terms')}">terms</a></li></ul>
</footer>"""
    return shell(n, lang="en", title=f"{v['title']} - rooms &amp; shares - {v['city']}", body=body,
                 css=v.get("css", ["/static/www/cl-posting.css"]), js=v.get("js", ["/static/www/posting.js"]))


def t_job(n, v):
    """Recruitment-agency job offer page (English)."""
    u = linker(v)
    tq = v.get("track", "")
    sim = "\n".join(f'<li><a href="{h}{tq.format(i=i)}">{t}</a> – {loc}</li>' for i, (t, loc, h) in enumerate(v["similar"], 1))
    req = "\n".join(f"<li>{r}</li>" for r in v["requirements"])
    offer = "\n".join(f"<li>{r}</li>" for r in v["offer"])
    body = f"""<header>
<a href="{u('/')}" class="brand"><img src="/img/brand.png" alt="{v['agency']}"></a>
<nav><a href="{u('/jobs')}">Jobs</a> <a href="{u('/employers')}">For employers</a> <a href="{u('/about')}">About us</a> <a href="{u('/contact')}">Contact</a></nav>
</header>
<main class="job">
<p class="crumbs"><a href="{u('/jobs')}">Jobs</a> › <a href="{u('/jobs/' + v['sector_slug'])}">{v['sector']}</a></p>
<h1>{v['title']}</h1>
{opt(v.get('meta'), 'p', 'job-meta')}
<dl class="facts">
<dt>Location</dt><dd>{v['location']}</dd>
<dt>Salary</dt><dd>{v['salary']}</dd>
<dt>Contract</dt><dd>{v['contract']}</dd>
<dt>Start</dt><dd>{v['start']}</dd>
</dl>
<h2>About the job</h2>
<p>{v['about']}</p>
<h2>Requirements</h2>
<ul>
{req}
</ul>
<h2>We offer</h2>
<ul>
{offer}
</ul>
<p class="apply"><a class="btn" href="{v['apply_href']}">{v['apply_text']}</a></p>
<p>Questions? Call or WhatsApp {v['phone']} · {v['email']}</p>
<form action="/jobs/{v['ref']}/apply" method="post"><input type="hidden" name="authenticity_token" value="{n.csrf}"><input type="hidden" name="started" value="{n.ts}"><input type="email" name="email"><button>Send CV</button></form>
</main>
<aside>
<h3>Similar jobs</h3>
<ul>
{sim}
</ul>
</aside>
<footer>
<p>{v['agency']} · Ref. {v['ref']} · <a href="{u('/privacy')}">Privacy</a> · <a href="{u('/imprint')}">Imprint</a></p>
{opt(v.get('foot'))}
</footer>"""
    return shell(n, lang="en", title=f"{v['title']} – {v['agency']}", body=body,
                 css=["/assets/site.css"], js=["/assets/site.js"])


def t_rental(n, v):
    """Holiday-rental / hotel listing."""
    L = v["L"]
    u = linker(v)
    amen = "\n".join(f"<li>{a}</li>" for a in v["amenities"])
    rules = "\n".join(f"<li>{r}</li>" for r in v["rules"])
    body = f"""<header>
<a href="{u('/')}" class="logo"><img src="/img/logo.svg" alt="{v['site']}"></a>
<nav><a href="{u('/stays')}">{L['stays']}</a> <a href="{u('/host')}">{L['host_nav']}</a> <a href="{u('/help')}">{L['help']}</a> <a href="{u('/login')}">{L['login']}</a></nav>
</header>
<main class="listing" data-listing="{v['lid']}">
<h1>{v['title']}</h1>
<p class="addr">{v['area']}</p>
{opt(v.get('meta'), 'p', 'urgency')}
<div class="photos">
{chr(10).join(f'<img src="{p}" alt="">' for p in v['photos'])}
</div>
<div class="price">{v['price']}</div>
<p>{v['summary']}</p>
<h2>{L['amenities']}</h2>
<ul>
{amen}
</ul>
<h2>{L['rules']}</h2>
<ul>
{rules}
</ul>
<section class="host">
<h2>{L['host']}</h2>
<p><a href="{u('/users/' + v['host_id'])}">{v['host']}</a></p>
</section>
<form action="/book/{v['lid']}" method="post"><input type="hidden" name="token" value="{n.csrf}"><input type="hidden" name="quote_ts" value="{n.ts}"><input type="date" name="checkin"><button>{L['book']}</button></form>
</main>
<footer>
<p><a href="{u('/terms')}">{L['terms']}</a> · <a href="{u('/privacy')}">{L['privacy']}</a></p>
{opt(v.get('foot'))}
<p>© 2026 {v['site']}</p>
</footer>"""
    return shell(n, lang=v["lang"], title=f"{v['title']} – {v['site']}", body=body,
                 css=["/static/listing.css"], js=["/static/listing.js"])


def t_wiki(n, v):
    """MediaWiki page on an onion service (a link directory)."""
    u = linker(v)
    sections = []
    for title, entries in v["sections"]:
        lis = "\n".join(f'<li><a rel="nofollow" class="external text" href="http://{o}/">{name}</a> – {d}</li>' for name, o, d in entries)
        sections.append(f'<h2><span class="mw-headline">{title}</span></h2>\n<ul>\n{lis}\n</ul>')
    body = f"""<div id="mw-head">
<nav><a href="{u('/index.php?title=Special:UserLogin')}">Log in</a> <a href="{u('/index.php?title=' + v['page'] + '&amp;action=history')}">View history</a> <a href="{u('/index.php?title=' + v['page'] + '&amp;action=edit')}">Edit</a></nav>
</div>
<div id="mw-panel"><a class="mw-wiki-logo" href="{u('/wiki/Main_Page')}"></a>
<ul><li><a href="{u('/wiki/Main_Page')}">Main page</a></li><li><a href="{u('/wiki/Special:RecentChanges')}">Recent changes</a></li><li><a href="{u('/wiki/Special:Random')}">Random page</a></li></ul>
{search_form(n, '/index.php', 'Go', 'Search ' + v['site'], 'search')}</div>
<div id="content" class="mw-body">
<h1 id="firstHeading">{v['heading']}</h1>
<div id="mw-content-text">
<p>{v['intro']}</p>
{chr(10).join(sections)}
<p>{v['donate']}</p>
</div>
</div>
<footer id="footer">
<ul id="footer-info">
{opt(v.get('accessed'), 'li')}
{opt(v.get('foot'), 'li')}
<li>Content is available under <a href="{u('/wiki/Project:Copyright')}">Public Domain</a>.</li>
</ul>
<ul id="footer-places"><li><a href="{u('/wiki/Project:Privacy_policy')}">Privacy policy</a></li><li><a href="{u('/wiki/Project:About')}">About</a></li><li><a href="{u('/wiki/Project:General_disclaimer')}">Disclaimers</a></li></ul>
</footer>"""
    return shell(n, lang="en", title=f"{v['heading']} - {v['site']}", body=body,
                 css=["/load.php?lang=en&amp;modules=skins.vector.styles&amp;only=styles&amp;skin=vector"],
                 js=["/load.php?lang=en&amp;modules=startup&amp;only=scripts&amp;skin=vector"])


def t_wordpress(n, v):
    """WordPress news article."""
    u = linker(v)
    ver = v.get("ver", "6.7.1")
    nonce = v.get("wpnonce")
    paras = "\n".join(f"<p>{p}</p>" for p in v["paras"])
    comments = "\n".join(f'<li class="comment"><b>{a}</b> <span class="says">says:</span><p>{t}</p></li>' for a, t in v["comments"])
    logout = f'<a href="/wp-login.php?action=logout&amp;_wpnonce={nonce}">Log out</a>' if nonce else f'<a href="{u("/wp-login.php")}">Log in</a>'
    like = f'<a class="like" href="{u(v["path"])}?like=1&amp;_wpnonce={nonce}">Like</a>' if nonce else ""
    body = f"""<div class="top-bar">{v.get('datebar', '')}</div>
<header id="masthead" class="site-header">
<p class="site-title"><a href="{u('/')}" rel="home">{v['site']}</a></p>
<p class="site-description">{v['tagline']}</p>
<nav id="site-navigation"><a href="{u('/category/news/')}">News</a> <a href="{u('/category/investigations/')}">Investigations</a> <a href="{u('/about/')}">About</a> {logout}</nav>
</header>
<main id="primary">
<article id="post-{v['pid']}" class="post type-post">
<h1 class="entry-title">{v['title']}</h1>
<div class="entry-meta">By <a href="{u('/author/' + v['author_slug'] + '/')}">{v['author']}</a> · {v['date']}{' · ' + v['views'] if v.get('views') else ''}</div>
<img src="/wp-content/uploads/2026/11/{v['image']}" alt="">
<div class="entry-content">
{paras}
</div>
{like}
</article>
<section id="comments"><h2>{len(v['comments'])} thoughts on “{v['title']}”</h2>
<ol class="comment-list">
{comments}
</ol>
<form action="/wp-comments-post.php" method="post"><input type="hidden" name="comment_post_ID" value="{v['pid']}"><input type="hidden" name="akismet_comment_nonce" value="{n.csrf[:10]}"><input type="hidden" name="ak_js" value="{n.ms}"><textarea name="comment"></textarea><button>Post Comment</button></form>
</section>
</main>
<aside class="widget-area">{v.get('widget', '')}</aside>
<footer id="colophon">
<p>© 2026 {v['site']} · Proudly powered by WordPress</p>
</footer>"""
    return shell(n, lang="en", title=f"{v['title']} – {v['site']}", body=body,
                 css=[f"/wp-includes/css/dist/block-library/style.min.css?ver={ver}",
                      f"/wp-content/themes/newsup/style.css?ver={v.get('theme_ver', '2.4.1')}"],
                 js=[f"/wp-includes/js/jquery/jquery.min.js?ver=3.7.1", f"/wp-content/plugins/post-views-counter/js/frontend.js?ver={v.get('pvc_ver', '1.4.8')}"],
                 head_extra=f'<link rel="canonical" href="{v["path"]}">')


def t_drupal(n, v):
    """Drupal 10 news page of an NGO (French)."""
    u = linker(v)
    paras = "\n".join(f"<p>{p}</p>" for p in v["paras"])
    body = f"""<header role="banner">
<a href="{u('/')}" class="site-logo"><img src="/themes/custom/otr/logo.svg" alt="{v['site']}"></a>
<nav role="navigation"><a href="{u('/actualites')}">Actualités</a> <a href="{u('/ressources')}">Ressources</a> <a href="{u('/nous-contacter')}">Nous contacter</a> <a href="{u('/user/login')}">Connexion</a></nav>
{search_form(n, '/recherche', 'Rechercher', 'Rechercher sur le site', 'keys')}
</header>
<main role="main">
<article class="node node--type-article">
<h1 class="page-title">{v['title']}</h1>
<div class="node__meta">Publié par <a href="{u('/user/' + v['uid'])}">{v['author']}</a> le {v['date']}</div>
<div class="field--name-body">
{paras}
</div>
<div class="field--name-field-contact"><h2>Ligne d'écoute</h2><p>{v['hotline']}</p><p>{v['hours']}</p></div>
</article>
</main>
<aside class="layout-sidebar-second">
<div id="block-citation-du-jour" class="block block-views"><h2>Citation du jour</h2><blockquote>{v['quote']}</blockquote></div>
<div id="block-liens" class="block"><h2>Liens utiles</h2>
<ul><li><a href="https://www.service-public.fr/">Service-public.fr</a></li><li><a href="{u('/ressources/guide-victimes')}">Guide pour les victimes</a></li></ul></div>
</aside>
<footer role="contentinfo">
<p><a href="{u('/mentions-legales')}">Mentions légales</a> · <a href="{u('/plan-du-site')}">Plan du site</a></p>
{opt(v.get('foot'))}
</footer>
<script type="application/json" data-drupal-selector="drupal-settings-json">{{"path":{{"currentPath":"node/{v['nid']}"}},"ajaxPageState":{{"libraries":"{n.build}","theme":"otr"}},"csrf":"{n.csrf}"}}</script>"""
    return shell(n, lang="fr", title=f"{v['title']} | {v['site']}", body=body,
                 css=["/sites/default/files/css/css_Xa9fE2.css?delta=0&amp;language=fr&amp;theme=otr&amp;include=eJxLz"],
                 js=["/sites/default/files/js/js_Q2c7.js?scope=footer&amp;delta=0&amp;language=fr"])


def t_joomla(n, v):
    """Joomla 4 local news article (Italian)."""
    u = linker(v)
    paras = "\n".join(f"<p>{p}</p>" for p in v["paras"])
    body = f"""<header class="header container-header">
<div class="navbar-brand"><a href="{u('/')}"><img src="/images/logo-cronaca.png" alt="{v['site']}"></a></div>
{opt(v.get('top'), 'div', 'data-oggi')}
<nav class="container-nav"><ul class="mod-menu"><li><a href="{u('/cronaca')}">Cronaca</a></li><li><a href="{u('/politica')}">Politica</a></li><li><a href="{u('/lavoro')}">Lavoro</a></li><li><a href="{u('/contatti')}">Contatti</a></li></ul></nav>
</header>
<main>
<div class="com-content-article item-page">
<h1 itemprop="headline">{v['title']}</h1>
<dl class="article-info">
<dd class="createdby">Scritto da <span>{v['author']}</span></dd>
<dd class="category-name">Categoria: <a href="{u('/cronaca')}">Cronaca</a></dd>
<dd class="published">Pubblicato: {v['date']}</dd>
{opt(v.get('hits'), 'dd', 'hits')}
</dl>
<div itemprop="articleBody">
{paras}
</div>
</div>
</main>
<footer class="container-footer footer">
<p>{v['site']} – Testata registrata presso il Tribunale di Bergamo n. 12/2011 · <a href="{u('/privacy')}">Privacy</a></p>
{opt(v.get('foot'))}
</footer>
<form action="/index.php" method="post"><input type="hidden" name="option" value="com_users"><input type="hidden" name="{n.csrf}" value="1"><input type="hidden" name="return" value="{base64.b64encode(str(n.ts).encode()).decode()}"></form>"""
    return shell(n, lang="it", title=f"{v['title']} - {v['site']}", body=body,
                 css=["/media/templates/site/cassiopeia/css/template.min.css?4ab3c1"], js=["/media/system/js/core.min.js?4ab3c1"])


def t_status(n, v):
    """Status page of a market's mirrors."""
    u = linker(v)
    rows = "\n".join(f'<tr><td><a href="http://{h}/">{name}</a></td><td><code>{h}</code></td><td class="st">{st}</td></tr>'
                     for name, h, st in v["mirrors"])
    body = f"""<header><h1>{v['site']} status</h1>
<nav><a href="{u('/')}">Status</a> <a href="{u('/history')}">Incident history</a> <a href="{u('/pgp')}">Signed list</a> <a href="{u('/feed.xml')}">RSS</a></nav>
<form action="/subscribe" method="post"><input type="hidden" name="csrf" value="{n.csrf}"><input type="hidden" name="t" value="{n.ts}"><input type="email" name="email"><button>Subscribe to updates</button></form>
</header>
<main>
<p class="overall">{v['overall']}</p>
<table>
<thead><tr><th>Mirror</th><th>Address</th><th>State</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
{opt(v.get('checked'), 'p', 'checked')}
<h2>Past incidents</h2>
{ul(v['incidents'])}
<p>Always verify mirrors against the PGP-signed list. Never enter your credentials on an address that is not listed here.</p>
</main>
<footer>
{opt(v.get('foot'))}
<p>{v['site']} – independent mirror monitor</p>
</footer>"""
    return shell(n, lang="en", title=f"{v['site']} status", body=body, css=["/style.css"])


def t_paste(n, v):
    """Paste site page."""
    u = linker(v)
    body = f"""<div class="header">
<a href="{u('/')}" class="logo">{v['site']}</a>
<nav><a href="{u('/')}">+ new paste</a> <a href="{u('/archive')}">Archive</a> <a href="{u('/faq')}">FAQ</a> <a href="{u('/login')}">Login</a></nav>
</div>
<div class="content">
<div class="paste-info">
<h1>{v['title']}</h1>
<div class="details"><span>by <a href="{u('/u/' + v['author'])}">{v['author']}</a></span> · <span>{v['date']}</span> · <span>{v['syntax']}</span> · <span>Expires: Never</span></div>
{opt(v.get('stats'), 'div', 'stats')}
</div>
<div class="actions"><a href="{u('/raw/' + v['pid'])}">raw</a> <a href="{u('/dl/' + v['pid'])}">download</a> <a href="{u('/clone/' + v['pid'])}">clone</a> <a href="{u('/report/' + v['pid'])}">report</a></div>
<pre class="paste-body">{v['text']}</pre>
<form action="/comment/{v['pid']}" method="post"><input type="hidden" name="csrf" value="{n.csrf}"><input type="hidden" name="pow" value="{n.form}"><textarea name="c"></textarea><button>Add comment</button></form>
</div>
<footer class="footer">
<p><a href="{u('/tools')}">tools</a> · <a href="{u('/api')}">api</a> · <a href="{u('/dmca')}">dmca</a> · <a href="{u('/contact')}">contact</a></p>
{opt(v.get('foot'))}
</footer>"""
    return shell(n, lang="en", title=f"{v['title']} - {v['site']}", body=body,
                 css=["/themes/dark/css/style.css"], js=["/themes/dark/js/main.js"])


def t_linklist(n, v):
    """Onion link list ("uncensored directory")."""
    u = linker(v)
    cats = []
    for title, entries in v["cats"]:
        lis = "\n".join(
            f'<li><a href="http://{o}/">{name}</a> <span class="desc">{d}</span> {chk}</li>' for name, o, d, chk in entries)
        cats.append(f"<h2>{title}</h2>\n<ul>\n{lis}\n</ul>")
    spons = ""
    if v.get("sponsored"):
        name, o, d = v["sponsored"]
        spons = f'<div class="sponsored"><h3>Sponsored</h3><p><a href="http://{o}/">{name}</a> {d}</p></div>'
    body = f"""<div class="top">
<h1><a href="{u('/')}">{v['site']}</a></h1>
<p>{v['tagline']}</p>
<nav><a href="{u('/')}">Home</a> <a href="{u('/add')}">Add a link</a> <a href="{u('/rules')}">Rules</a> <a href="{u('/contact')}">Contact</a></nav>
{search_form(n, '/search', 'Search', 'search links')}
</div>
{spons}
<div class="main">
{chr(10).join(cats)}
</div>
<footer class="footer">
{opt(v.get('foot'))}
<p>Links are checked automatically. We do not host any content. Report scams to the contact page.</p>
</footer>"""
    return shell(n, lang="en", title=v["site"], body=body, css=["/s.css"])


def t_market(n, v):
    """Onion market product page."""
    u = linker(v)
    badge = f' <span class="badge verified">{v["badge"]}</span>' if v.get("badge") else ""
    body = f"""<nav class="topnav">
<a href="{u('/')}" class="brand">{v['site']}</a>
<a href="{u('/listings')}">Listings</a> <a href="{u('/vendors')}">Vendors</a> <a href="{u('/orders')}">Orders</a> <a href="{u('/wallet')}">Wallet</a> <a href="{u('/support')}">Support</a>
<a href="{u('/logout')}">Logout</a>
{opt(v.get('ticker'), 'span', 'ticker')}
</nav>
<div class="wrap">
<div class="crumbs"><a href="{u('/category/' + v['cat_id'])}">{v['cat']}</a></div>
<h1>{v['title']}</h1>
<div class="listing">
<img src="{v['img']}" alt="">
<table class="props">
<tr><th>Vendor</th><td><a href="{u('/vendor/' + v['vendor'])}">{v['vendor']}</a> ({v['vendor_level']}){badge}</td></tr>
<tr><th>Price</th><td>{v['price']}</td></tr>
<tr><th>Quantity available</th><td>{v['stock']}</td></tr>
<tr><th>Ships from</th><td>{v['from']}</td></tr>
<tr><th>Ships to</th><td>{v['to']}</td></tr>
<tr><th>Escrow</th><td>{v['escrow']}</td></tr>
</table>
</div>
<h2>Description</h2>
<div class="desc">{v['desc']}</div>
<form action="/cart/add" method="post"><input type="hidden" name="listing" value="{v['lid']}"><input type="hidden" name="csrf" value="{n.csrf}"><input type="number" name="qty" value="1"><button>Add to cart</button></form>
<h2>Feedback</h2>
{ul(v['feedback'])}
</div>
<footer class="footer">
<a href="{u('/canary')}">Warrant canary</a> · <a href="{u('/pgp')}">PGP</a> · <a href="{u('/mirrors')}">Mirrors</a>
{opt(v.get('foot'))}
</footer>"""
    return shell(n, lang="en", title=f"{v['title']} | {v['site']}", body=body, css=["/static/m.css"])


def t_vendor(n, v):
    """Onion vendor profile / shop page with contacts, keys and addresses."""
    u = linker(v)
    listings = "\n".join(f'<li><a href="{u("/listing/" + lid)}">{t}</a> – {p}</li>' for t, p, lid in v["listings"])
    mirrors = "\n".join(f'<li><a href="http://{m}/">{m}</a></li>' for m in v["mirrors"])
    contacts = "\n".join(f"<li>{c}</li>" for c in v["contacts"])
    body = f"""<div class="header">
<h1><a href="{u('/')}">{v['shop']}</a></h1>
<nav><a href="{u('/')}">Shop</a> <a href="{u('/faq')}">FAQ</a> <a href="{u('/pgp.txt')}">PGP</a> <a href="{u('/contact')}">Contact</a></nav>
</div>
<div class="main">
<section class="about">
<h2>About {v['vendor']}</h2>
<p>{v['about']}</p>
{opt(v.get('seen'), 'p', 'seen')}
</section>
<section class="listings">
<h2>Services</h2>
<ul>
{listings}
</ul>
</section>
<section class="contacts">
<h2>Contact</h2>
<ul>
{contacts}
</ul>
</section>
<section class="pay">
<h2>Payment</h2>
<p>BTC: <code>{v['btc']}</code></p>
<p>XMR: <code>{v['xmr']}</code></p>
<p>{v.get('pay_note', 'Send the exact amount, then message us with the TXID.')}</p>
</section>
<section class="pgp">
<h2>PGP</h2>
<p>Fingerprint: <code>{v['fpr']}</code></p>
<p>Always encrypt. Verify this fingerprint against /pgp.txt on every mirror.</p>
</section>
<section class="mirrors">
<h2>Mirrors</h2>
<ul>
{mirrors}
</ul>
</section>
<form action="/contact" method="post"><input type="hidden" name="csrf" value="{n.csrf}"><input type="hidden" name="captcha" value="{n.form}"><textarea name="msg"></textarea><button>Send</button></form>
</div>
<footer class="footer">
{opt(v.get('foot'))}
<p>© {v['shop']}</p>
</footer>"""
    return shell(n, lang="en", title=f"{v['shop']} – {v['vendor']}", body=body, css=["/style.css"])


# ------------------------------------------------------------------- cases ---

CASES = []


def case(name, category, url, tpl, expected, why, common, before=None, after=None, seed=None):
    vb = dict(common, **(before or {}))
    va = dict(common, **(after or {}))
    c = {
        "name": name,
        "category": category,
        "url": url,
        "before": tpl(Noise(name, 0), vb),
        "after": tpl(Noise(name, 1), va),
        "expected": expected,
    }
    if seed:
        c["seed"] = {"ignore_text": seed.get("ignore_text", []),
                     "ignore_selectors": seed.get("ignore_selectors", [])}
    c["why"] = why
    CASES.append(c)


def hexs(seed, n):
    return hexid(seed, n)


# Discourse ----------------------------------------------------------------

def disc(whens, body3="€450"):
    posts = [
        dict(user="mkowal_88", when=whens[0],
             body="<p>Has anyone dealt with <b>Nordline Staffing</b>? They advertise warehouse jobs near Tilburg, "
                  "€14.20/hour, housing included. They found me through a Facebook group.</p>"),
        dict(user="ana.r", utitle="Regular", when=whens[1],
             body="<p>My cousin went with them in March. Housing was 6 people in one room and they kept her ID card "
                  "“for the registration”. Be careful.</p>"),
        dict(user="mkowal_88", when=whens[2],
             body=f"<p>Thanks. They asked me for {body3} before the flight for “documents and transport”. "
                  "That alone sounds wrong to me.</p>"),
    ]
    return posts


DISC = dict(
    site="WorkAbroad Talk", title="Agency in Gdańsk promising warehouse jobs – anyone heard of it?",
    slug="agency-in-gdansk-promising-warehouse-jobs-anyone-heard-of-it", tid=4817,
    cat="Agencies &amp; Recruiters", cat_slug="agencies", cat_id=9, replies=2, users=2,
    suggested=[("Is “free housing” ever really free? Collecting stories", "/t/is-free-housing-ever-really-free/4790"),
               ("List of licensed agencies in NL (SNA register)", "/t/list-of-licensed-agencies-in-nl-sna-register/3112"),
               ("Recruiter kept my passport – what can I do?", "/t/recruiter-kept-my-passport-what-can-i-do/4655")],
)
DISC_URL = "http://forum.workabroad-talk.example/t/agency-in-gdansk-promising-warehouse-jobs-anyone-heard-of-it/4817"
REL0 = ["3 hours ago", "47 min ago", "5 min ago"]
REL1 = ["5 hours ago", "3 hours ago", "2 hours ago"]

case("discourse-relative-post-times", "relative-time", DISC_URL, t_discourse, "cosmetic",
     "only the relative post times and 'last reply' moved on (5 min ago -> 2 hours ago)",
     dict(DISC, views="1.2k views"),
     dict(posts=disc(REL0), created="3 hours ago", last_reply="5 min ago"),
     dict(posts=disc(REL1), created="5 hours ago", last_reply="2 hours ago"))

case("discourse-server-clock-dmy", "clock", DISC_URL, t_discourse, "cosmetic",
     "only the footer server clock (02/12/2026 14:03:07) differs",
     dict(DISC, views="1.2k views", posts=disc(["Nov 30", "Dec 1", "Dec 1"]), created="Nov 30", last_reply="Dec 1"),
     dict(foot="Server time: 02/12/2026 14:03:07"),
     dict(foot="Server time: 02/12/2026 15:47:51"))

case("discourse-post-edited-fee", "post-edited", DISC_URL, t_discourse, "changed",
     "the fee asked before the flight was edited from €450 to €650; relative times and views moved too",
     DISC,
     dict(posts=disc(REL0), created="3 hours ago", last_reply="5 min ago", views="1.2k views"),
     dict(posts=disc(REL1, body3="€650"), created="5 hours ago", last_reply="2 hours ago", views="1.3k views"))


# XenForo (German) --------------------------------------------------------

def xf_posts(phone="+49 1512 3456789"):
    return [
        dict(user="Jolanta_K", uid=4411, joined="12.03.2024", msgs="87", when="Gestern um 21:14",
             iso="2026-12-01T21:14:00+0100",
             body="Hallo zusammen, hat jemand Erfahrung mit der Agentur <b>Pflegeteam Ost</b>? Sie suchen Betreuerinnen "
                  "für 24-Stunden-Pflege in Bayern, 1.650 € netto, Unterkunft bei der Familie. Kontakt lief nur über "
                  f"WhatsApp: {phone}"),
        dict(user="Bernd_Pflege", uid=902, joined="05.11.2019", msgs="2.314", when="Heute um 08:02",
             iso="2026-12-02T08:02:00+0100",
             body="Die Agentur ist nicht im Handelsregister eingetragen. Frag nach dem Vertrag <i>vor</i> der Abreise "
                  "und gib deinen Pass niemandem."),
        dict(user="Jolanta_K", uid=4411, joined="12.03.2024", msgs="87", when="Heute um 12:40",
             iso="2026-12-02T12:40:00+0100",
             body="Danke! Sie wollen den Vertrag erst „bei Ankunft“ schicken. Ich melde mich, wenn ich mehr weiß."),
    ]


XF = dict(site="Pflegekräfte-Forum", title="Agentur „Pflegeteam Ost“ – Erfahrungen?", tid=2291,
          forum="Vermittlungsagenturen", forum_url="/forums/vermittlungsagenturen.14/", posts=xf_posts(),
          online="Benutzer online: 143 (Mitglieder: 12, Gäste: 131)")
XF_URL = "http://forum.pflege-ost.example/threads/agentur-pflegeteam-ost-erfahrungen.2291/"

case("xenforo-iso-refresh-stamp", "clock", XF_URL, t_xenforo, "cosmetic",
     "only the ISO 8601 'Zuletzt aktualisiert' stamp in the footer differs",
     XF,
     dict(foot="Zuletzt aktualisiert: 2026-12-02T14:03:07+01:00"),
     dict(foot="Zuletzt aktualisiert: 2026-12-02T16:21:40+01:00"))

case("xenforo-users-online", "counter", XF_URL, t_xenforo, "cosmetic",
     "only the users-online counter (members/guests) differs",
     dict(XF, online=None),
     dict(online="Benutzer online: 143 (Mitglieder: 12, Gäste: 131)"),
     dict(online="Benutzer online: 97 (Mitglieder: 9, Gäste: 88)"))

case("xenforo-xftoken-in-links", "token", XF_URL, t_xenforo, "cosmetic",
     "only the _xfToken CSRF parameter of the logout and style links differs",
     XF,
     dict(xftoken=f"{T0}%2C{hexs('xf0', 32)}"),
     dict(xftoken=f"{T0 + 7799}%2C{hexs('xf1', 32)}"))

case("xenforo-phone-one-digit", "phone", XF_URL, t_xenforo, "changed",
     "the agency's WhatsApp number in the first post changed in its last digit; the online counter moved too",
     XF,
     dict(posts=xf_posts("+49 1512 3456789"), online="Benutzer online: 143 (Mitglieder: 12, Gäste: 131)"),
     dict(posts=xf_posts("+49 1512 3456780"), online="Benutzer online: 97 (Mitglieder: 9, Gäste: 88)"))


# MyBB (Polish) -------------------------------------------------------------

def mybb_threads(views, new=False):
    t = [
        dict(tid=3301, title="Agencja „EuroWork Partner” – ktoś pracował?", author="marta_wro", replies=14, last="Dzisiaj, 11:52"),
        dict(tid=3296, title="Holandia – szklarnie, zakwaterowanie 90 € / tydzień", author="kuba1990", replies=31, last="Wczoraj, 22:10"),
        dict(tid=3288, title="Ostrzeżenie: fałszywe oferty w Niemczech (opieka)", author="Moderator_Ewa", replies=8, last="28.11.2026, 19:41"),
        dict(tid=88, title="Regulamin działu – przeczytaj przed napisaniem", author="Admin", replies=0, last="03.01.2025, 10:00"),
    ]
    for row, vw in zip(t, views):
        row["views"] = vw
    if new:
        t.insert(0, dict(tid=3307, title="Pilnie: praca w Dubaju dla kobiet, hostessy, wiza i lot gratis",
                         author="ewa_rekruter", replies=0, views="3", last="Dzisiaj, 13:58"))
    return t


MYBB = dict(site="Praca za Granicą – Forum", forum="Oferty pracy – Europa Zachodnia", fid=12,
            forum_desc="Dyskusje o agencjach i ofertach pracy za granicą. Ostrzeżenia mile widziane.")
MYBB_URL = "http://forum.praca-zagranica.example/forumdisplay.php?fid=12"
V0 = ["1 204", "4 518", "2 077", "15 902"]
V1 = ["1 261", "4 530", "2 081", "15 910"]
DBG0 = "Generated in 0.0412 seconds (89.32% PHP / 10.68% MySQL) · SQL Queries: 23 · Memory Usage: 4.12 MB"
DBG1 = "Generated in 0.1177 seconds (71.05% PHP / 28.95% MySQL) · SQL Queries: 27 · Memory Usage: 4.37 MB"

case("mybb-thread-view-counts", "counter", MYBB_URL, t_mybb, "cosmetic",
     "only the per-thread view counters (Wyświetleń) went up",
     dict(MYBB, debug=DBG0),
     dict(threads=mybb_threads(V0)), dict(threads=mybb_threads(V1)))

case("mybb-debug-generation-line", "generation-time", MYBB_URL, t_mybb, "cosmetic",
     "only MyBB's 'Generated in … SQL Queries … Memory Usage' footer differs",
     dict(MYBB, threads=mybb_threads(V0)),
     dict(debug=DBG0), dict(debug=DBG1))

case("mybb-new-recruitment-thread", "listing-added", MYBB_URL, t_mybb, "changed",
     "a new thread (Dubai hostess recruitment) appeared at the top of the list; view counters moved too",
     dict(MYBB, debug=DBG0),
     dict(threads=mybb_threads(V0)), dict(threads=mybb_threads(V1, new=True), debug=DBG1))


# Invision Community (Brazilian Portuguese) -------------------------------

def ips_posts(whens, fee="R$ 350", tg="vagas_europa_br"):
    return [
        dict(user="Rafaela_SP", uid=1842, rank="Membro", count="212 posts", when=whens[0],
             body=f"<p>Pessoal, uma agência de Lisboa ofereceu vaga de camareira em hotel no Algarve, € 900 por mês com "
                  f"alojamento. Pedem uma taxa de documentação de {fee} via Pix antes de enviar o contrato. Alguém conhece?</p>"
                  f'<p>O contato é pelo Telegram <a href="https://t.me/{tg}">@{tg}</a>.</p>'),
        dict(user="Thiago.M", uid=77, rank="Moderador", count="5.930 posts", when=whens[1],
             body="<p>Agência séria não cobra taxa do trabalhador. Peça o número de licença no IEFP e o NIF da empresa.</p>"),
        dict(user="Rafaela_SP", uid=1842, rank="Membro", count="212 posts", when=whens[2],
             body="<p>Pedi o NIF e a pessoa parou de responder. Vou manter vocês informados.</p>"),
    ]


IPS = dict(site="Vagas no Exterior", title="Agência em Lisboa cobra taxa de documentação", tid=2231, fid=14,
           forum="Golpes e alertas", forum_url="/forum/14-golpes-e-alertas/",
           online="3 usuários navegando: 1 membro, 2 visitantes")
IPS_URL = "http://comunidade.vagasnoexterior.example/topic/2231-agencia-em-lisboa-cobra-taxa-de-documentacao/"
PT0 = ["há 3 horas", "há 2 horas", "há 47 minutos"]
PT1 = ["há 5 horas", "há 4 horas", "há 2 horas"]

case("ips-relative-times-pt-br", "relative-time", IPS_URL, t_ips, "cosmetic",
     "only 'Postado há N horas/minutos' moved on",
     IPS, dict(posts=ips_posts(PT0)), dict(posts=ips_posts(PT1)))

case("ips-csrfkey-in-links", "token", IPS_URL, t_ips, "cosmetic",
     "only the csrfKey parameter of the logout and mark-read links differs",
     dict(IPS, posts=ips_posts(PT0)),
     dict(csrf_key=hexs("ips0", 32)), dict(csrf_key=hexs("ips1", 32)))

case("ips-fee-price-brl", "price", IPS_URL, t_ips, "changed",
     "the documentation fee in the first post went from R$ 350 to R$ 380; relative times moved too",
     IPS, dict(posts=ips_posts(PT0)), dict(posts=ips_posts(PT1, fee="R$ 380")))

case("ips-telegram-handle", "handle", IPS_URL, t_ips, "changed",
     "the agency's Telegram handle (text and t.me link) changed to @vagas_europa_br2; the browsing counter moved too",
     IPS,
     dict(posts=ips_posts(PT0)),
     dict(posts=ips_posts(PT0, tg="vagas_europa_br2"), online="5 usuários navegando: 1 membro, 4 visitantes"))


# Dread-style onion forum -------------------------------------------------

DREAD_HOST = onion("dread")
DREAD_RULES = ["No doxxing. No personal information of third parties.",
               "Vendors must link their verified market profile in every offer.",
               "No unsolicited DMs to new members.",
               "Report scams with proof (screenshots of PGP-signed messages)."]
DREAD = dict(
    site="Dread", sub="WorkVisa", pid="8f3a2c1d9b4e7a60", author="quietfox", posted="3 hours ago",
    title="Agency in Sharjah offering “hostess” contracts — anyone verified them?",
    sub_desc="Work visas, invitation letters, agencies. Scam reports go in the weekly thread.",
    content="<p>Got a DM offering a 6-month hostess contract in Sharjah, $2,000/month, flight and visa paid. They want a "
            "scan of my passport first and say the contract will be signed on arrival. Has anyone dealt with them?</p>",
    comments=[dict(user="mod_ember", when="2 hours ago",
                   body="Contract on arrival + passport scan first is the classic pattern. Do not send anything."),
              dict(user="lowtide", when="58 minutes ago",
                   body="Same people posted in /d/Jobs last month under another name. Reported.")],
    rules=DREAD_RULES, mirrors=[DREAD_HOST, onion("dread-m2")],
)
DREAD_URL = f"http://{DREAD_HOST}/post/8f3a2c1d9b4e7a60"
TIP0 = "Tip: never reuse your market password on Dread."
TIP1 = "Tip: check the canary before every login."

case("dread-ctime-server-clock", "clock", DREAD_URL, t_dread, "cosmetic",
     "only the ctime-style server clock in the footer differs",
     DREAD,
     dict(foot="Server time: Wed Dec  2 13:03:07 2026 UTC"),
     dict(foot="Server time: Wed Dec  2 15:40:12 2026 UTC"))

case("dread-random-tip-seed", "seed-selector", DREAD_URL, t_dread, "cosmetic",
     "only the rotating sidebar tip differs, and the seed names it in ignore_selectors",
     DREAD, dict(tip=TIP0), dict(tip=TIP1),
     seed=dict(ignore_selectors=[".random-tip"]))

case("dread-sub-rule-changed", "forum-rule", DREAD_URL, t_dread, "changed",
     "sub rule 2 now lets vendors post without a market profile; the ignored tip rotated too",
     DREAD,
     dict(tip=TIP0),
     dict(tip=TIP1, rules=[DREAD_RULES[0], "Vendors may post offers without a market profile if they have 10+ karma.",
                           DREAD_RULES[2], DREAD_RULES[3]]),
     seed=dict(ignore_selectors=[".random-tip"]))

case("dread-mirror-replaced", "onion-mirror", DREAD_URL, t_dread, "changed",
     "the second official mirror is a different onion address now; the server clock moved too",
     DREAD,
     dict(foot="Server time: Wed Dec  2 13:03:07 2026 UTC"),
     dict(foot="Server time: Wed Dec  2 15:40:12 2026 UTC", mirrors=[DREAD_HOST, onion("dread-m2-new")]))


# Telegram channel mirrors --------------------------------------------------

def tg_uk_msgs(times, salary="від 1200 €", edited=False):
    return [
        dict(id=1412, iso="2026-12-02T09:15:00+02:00", time=times[0], views="2,4K переглядів", edited=edited,
             text=f"<b>Польща, Вроцлав</b> — пакування косметики. Зарплата {salary} на руки. Житло безкоштовно, "
                  "проїзд компенсуємо. Документи оформлюємо на місці."),
        dict(id=1413, iso="2026-12-02T12:40:00+02:00", time=times[1], views="1,1K переглядів",
             text="<b>Німеччина</b> — доглядальниця для літньої пані, 1800 € + проживання. Вік 25–45, мова не обов'язкова."),
        dict(id=1414, iso="2026-12-02T15:55:00+02:00", time=times[2], views="860 переглядів",
             text="❗ Терміново: дівчата 20–30 років, робота хостес у Дубаї, віза та квиток за наш рахунок. Деталі в особисті."),
    ]


TG_UK = dict(site="TGArchive", lang="uk", edited_word="змінено", nav=["Канали", "Пошук", "Про сервіс"],
             channel="robota_yevropa_ua", channel_title="Робота в Європі 🇪🇺 Вакансії",
             description="Щоденні вакансії: Польща, Чехія, Німеччина. Безкоштовне житло. Пишіть менеджеру: @hr_oksana_eu",
             disclaimer="Архів публічних каналів. Ми не пов'язані з Telegram.")
TG_UK_URL = "http://tgarchive.example/s/robota_yevropa_ua"
TGT = ["09:15", "12:40", "15:55"]

case("telegram-mirror-sync-stamp-uk", "clock", TG_UK_URL, t_telegram, "cosmetic",
     "only the mirror's 'Дзеркало оновлено: 2 грудня 2026 о 14:03' stamp differs",
     dict(TG_UK, messages=tg_uk_msgs(TGT)),
     dict(foot="Дзеркало оновлено: 2 грудня 2026 о 14:03"),
     dict(foot="Дзеркало оновлено: 2 грудня 2026 о 16:45"))

case("telegram-relative-times-uk", "relative-time", TG_UK_URL, t_telegram, "cosmetic",
     "only the Ukrainian relative message times moved on (2 години тому -> 4 години тому …)",
     TG_UK,
     dict(messages=tg_uk_msgs(["5 годин тому", "2 години тому", "8 хвилин тому"])),
     dict(messages=tg_uk_msgs(["7 годин тому", "4 години тому", "2 години тому"])))

case("telegram-message-edited-salary-uk", "post-edited", TG_UK_URL, t_telegram, "changed",
     "message 1412 was edited: the salary went from 'від 1200 €' to 'від 900 €' and it is marked edited; the sync stamp moved too",
     TG_UK,
     dict(messages=tg_uk_msgs(TGT), foot="Дзеркало оновлено: 2 грудня 2026 о 14:03"),
     dict(messages=tg_uk_msgs(TGT, salary="від 900 €", edited=True), foot="Дзеркало оновлено: 2 грудня 2026 о 16:45"))


def tg_ru_msgs(addr, views):
    return [
        dict(id=877, iso="2026-12-01T18:20:00+03:00", time="1 дек., 18:20", views=views[0],
             text="📌 <b>Как оформить визу</b>: оформление рабочей визы — 150 USDT. Оплата только USDT (TRC20) на адрес "
                  f"<code>{addr}</code>. После оплаты пришлите скриншот менеджеру."),
        dict(id=879, iso="2026-12-02T11:05:00+03:00", time="11:05", views=views[1],
             text="Турция, Анталья: администраторы в отель, девушки 20–28 лет. Перелёт оплачивает работодатель."),
    ]


TG_RU = dict(site="TGArchive", lang="ru", edited_word="изменено", nav=["Каналы", "Поиск", "О сервисе"],
             channel="rabota_dubai_vip", channel_title="Работа за границей | Дубай | Турция",
             description="Вакансии для девушек: хостес, модели, администраторы. Оплата проезда. Менеджер: @manager_alina_job",
             disclaimer="Архив публичных каналов. Мы не связаны с Telegram.")

case("telegram-pinned-usdt-trc20-address", "crypto-address", "http://tgarchive.example/s/rabota_dubai_vip", t_telegram, "changed",
     "the USDT (TRC20) payment address in the pinned message is a different address now; view counters moved too",
     TG_RU,
     dict(messages=tg_ru_msgs(trx_address("tg-ru-0"), ["5,3K просмотров", "1,9K просмотров"])),
     dict(messages=tg_ru_msgs(trx_address("tg-ru-1"), ["5,6K просмотров", "2,2K просмотров"])))


# Classified ads ------------------------------------------------------------

# Avito-like (Russian): flat by the day
AV_FLAT = dict(
    lang="ru", site="Авизо", ad_id="2567011452",
    crumbs=[("Москва", "/moskva"), ("Недвижимость", "/moskva/nedvizhimost"), ("Квартиры посуточно", "/moskva/kvartiry/sdam/posutochno")],
    title="1-к. квартира, 38 м², посуточно", price="₽ 2 500 за сутки",
    attrs=[("Количество комнат", "1"), ("Общая площадь", "38 м²"), ("Этаж", "7 из 12"), ("Залог", "нет")],
    desc=["Чистая квартира у метро, заселение круглосуточно, отчётные документы.",
          "Возможна почасовая аренда. Без животных. Паспорт при заселении не требуется."],
    location="Москва, ул. Земляной Вал, 27, м. Курская (5 мин пешком)",
    seller="Светлана", seller_id="svetlana_kv", since="марта 2021",
    contacts=[("Телефон", "8 (916) 123-45-67"), ("WhatsApp", '<a href="https://wa.me/79161234567">написать</a>')],
    photos=["/img/2567011452/1.jpg", "/img/2567011452/2.jpg"],
)
AV_FLAT_URL = "http://avizo.example/moskva/kvartiry/1-k_kvartira_38m_posutochno_2567011452"
RU_VIEWS0 = "Просмотров: 812 (+14 сегодня)"
RU_VIEWS1 = "Просмотров: 845 (+47 сегодня)"

case("avito-ru-page-stamp-dek", "clock", AV_FLAT_URL, t_ad, "cosmetic",
     "only the footer stamp '2 дек. 2026, 14:03' differs (now past midnight)",
     dict(AV_FLAT, meta=RU_VIEWS0),
     dict(foot="Страница обновлена 2 дек. 2026, 14:03"),
     dict(foot="Страница обновлена 3 дек. 2026, 00:14"))

case("avito-ru-view-counter", "counter", AV_FLAT_URL, t_ad, "cosmetic",
     "only the views counter 'Просмотров: N (+M сегодня)' differs",
     AV_FLAT, dict(meta=RU_VIEWS0), dict(meta=RU_VIEWS1))

case("avito-ru-price-rub", "price", AV_FLAT_URL, t_ad, "changed",
     "the daily price went from ₽ 2 500 to ₽ 3 000; the views counter moved too",
     AV_FLAT, dict(meta=RU_VIEWS0), dict(meta=RU_VIEWS1, price="₽ 3 000 за сутки"))

case("avito-ru-metro-station", "location", AV_FLAT_URL, t_ad, "changed",
     "the address moved from Zemlyanoy Val / m. Kurskaya to Dubininskaya / m. Paveletskaya; the views counter moved too",
     AV_FLAT, dict(meta=RU_VIEWS0),
     dict(meta=RU_VIEWS1, location="Москва, ул. Дубининская, 11, м. Павелецкая (7 мин пешком)"))

# Avito-like (Russian): job ad with VIP block
AV_JOB = dict(
    lang="ru", site="Авизо", ad_id="2569901877", meta="Просмотров: 2 391",
    crumbs=[("Москва", "/moskva"), ("Работа", "/moskva/rabota"), ("Вакансии", "/moskva/vakansii")],
    title="Хостес в Дубай, жильё и виза за счёт компании", price="от 250 000 ₽ в месяц",
    attrs=[("График", "сменный"), ("Опыт работы", "не требуется"), ("Возраст", "20–30 лет")],
    desc=["Приглашаем девушек на работу хостес в ночной клуб в Дубае. Перелёт, виза и проживание оплачивает работодатель.",
          "Знание английского не обязательно. Собеседование по видеосвязи. Паспорт нужен для оформления визы."],
    location="Москва (собеседование онлайн), работа: Дубай, ОАЭ",
    seller="Global Star Agency", seller_id="gs_agency", since="октября 2026",
    contacts=[("Telegram", '<a href="https://t.me/gs_agency_hr">@gs_agency_hr</a>')],
    photos=["/img/2569901877/1.jpg"], promo_class="vip-ads",
)
AV_JOB_URL = "http://avizo.example/moskva/vakansii/hostes_v_dubai_zhile_i_viza_2569901877"

case("avito-ru-generation-time", "generation-time", AV_JOB_URL, t_ad, "cosmetic",
     "only 'Страница сгенерирована за N сек. Запросов к БД: M' differs",
     AV_JOB,
     dict(foot="Страница сгенерирована за 0,084 сек. Запросов к БД: 17"),
     dict(foot="Страница сгенерирована за 0,131 сек. Запросов к БД: 21"))

case("avito-ru-vip-block-rotates-seed", "seed-selector", AV_JOB_URL, t_ad, "cosmetic",
     "only the rotating VIP listings block differs (text and links), and the seed names it",
     AV_JOB,
     dict(promo=[("2-к. квартира у моря, Сочи", "₽ 4 200", "/sochi/kvartiry/2-k_kvartira_u_morya_2560011987"),
                 ("Массажист в SPA, Москва-Сити", "от 120 000 ₽", "/moskva/vakansii/massazhist_v_spa_2568812001")]),
     dict(promo=[("Администратор в караоке-бар", "от 90 000 ₽", "/moskva/vakansii/administrator_karaoke_2569100455"),
                 ("Студия 24 м², м. Бауманская", "₽ 2 100", "/moskva/kvartiry/studiya_24m_2566000231")]),
     seed=dict(ignore_selectors=[".vip-ads"]))

# Kleinanzeigen-like (German)
KM_ROOM = dict(
    lang="de", site="Kleinmarkt", ad_id="2931447051",
    crumbs=[("Berlin", "/s-berlin/l3331"), ("Immobilien", "/s-immobilien/c195"), ("Auf Zeit &amp; WG", "/s-auf-zeit-wg/c199")],
    title="Monteurzimmer für Arbeiter, Nähe Messe", price="1.299,00 € / Monat",
    attrs=[("Zimmer", "3"), ("Betten", "6"), ("Nebenkosten", "inklusive"), ("Verfügbar ab", "sofort")],
    desc=["Möblierte Zimmer für Arbeitskolonnen, Küche und Bad gemeinsam, WLAN.",
          "Vermietung nur an Firmen, Abrechnung wöchentlich möglich."],
    location="10115 Berlin – Mitte", seller="Zimmervermittlung Nowak", seller_id="nowak-zimmer",
    since="14.02.2022", verified=True, contacts=[("Telefon", "0151 23456789")],
    photos=["/api/v1/prod-ads/images/2931447051_1.jpg"],
)
KM_ROOM_URL = "http://kleinmarkt.example/s-anzeige/monteurzimmer-fuer-arbeiter-naehe-messe/2931447051-199-3331"

case("kleinanzeigen-stand-short-date", "clock", KM_ROOM_URL, t_ad, "cosmetic",
     "only the 'Stand: 02.12.26, 14:03 Uhr' stamp differs (next morning now)",
     KM_ROOM,
     dict(top="Stand: 02.12.26, 14:03 Uhr"), dict(top="Stand: 03.12.26, 08:15 Uhr"))

case("kleinanzeigen-cookie-consent-id", "cookie-banner", KM_ROOM_URL, t_ad, "cosmetic",
     "only the consent ID shown in the cookie banner differs",
     dict(KM_ROOM, cookie_ok="Alle akzeptieren"),
     dict(cookie="Wir und unsere 143 Partner verwenden Cookies. Ihre Einwilligungs-ID: 7a1f3c9e-2b4d-4e8f-9a0c-1d2e3f4a5b6c"),
     dict(cookie="Wir und unsere 143 Partner verwenden Cookies. Ihre Einwilligungs-ID: c41d88e0-93a7-4f12-b5e6-0e7f2a9d3c18"))

case("kleinanzeigen-price-eur-german-format", "price", KM_ROOM_URL, t_ad, "changed",
     "the monthly rent went from 1.299,00 € to 1.349,00 €; the Stand stamp moved too",
     KM_ROOM,
     dict(top="Stand: 02.12.26, 14:03 Uhr"),
     dict(top="Stand: 03.12.26, 08:15 Uhr", price="1.349,00 € / Monat"))

KM_MASSAGE = dict(
    lang="de", site="Kleinmarkt", ad_id="2933010877",
    crumbs=[("Berlin", "/s-berlin/l3331"), ("Dienstleistungen", "/s-dienstleistungen/c297"), ("Gesundheit &amp; Wellness", "/s-wellness/c237")],
    title="Thai-Massage Studio Lotus – Neueröffnung", price="ab 50 €",
    attrs=[("Art", "Thai-Massage, Öl-Massage"), ("Öffnungszeiten", "Mo–Sa 10:00–22:00 Uhr")],
    desc=["Neue Mitarbeiterinnen aus Thailand. Entspannung pur in diskreter Atmosphäre.",
          "Termine auch kurzfristig, Parkplätze im Hof."],
    location="12043 Berlin – Neukölln", seller="Studio Lotus", seller_id="studio-lotus", since="11.11.2026",
    contacts=[("Telefon", "030 12345678"), ("Threema", "7XK3M9PQ")],
    photos=["/api/v1/prod-ads/images/2933010877_1.jpg", "/api/v1/prod-ads/images/2933010877_2.jpg"],
)
KM_MASSAGE_URL = "http://kleinmarkt.example/s-anzeige/thai-massage-studio-lotus-neueroeffnung/2933010877-237-3331"

case("kleinanzeigen-relative-std", "relative-time", KM_MASSAGE_URL, t_ad, "cosmetic",
     "only 'Eingestellt vor 1 Std.' moved on to 'vor 3 Std.'",
     KM_MASSAGE, dict(meta="Eingestellt vor 1 Std."), dict(meta="Eingestellt vor 3 Std."))

case("kleinanzeigen-opening-hours", "hours", KM_MASSAGE_URL, t_ad, "changed",
     "opening hours went from Mo–Sa 10:00–22:00 to Mo–So 10:00–02:00; the relative posting time moved too",
     KM_MASSAGE,
     dict(meta="Eingestellt vor 1 Std."),
     dict(meta="Eingestellt vor 3 Std.", attrs=[("Art", "Thai-Massage, Öl-Massage"), ("Öffnungszeiten", "Mo–So 10:00–02:00 Uhr")]))

case("kleinanzeigen-threema-id", "handle", KM_MASSAGE_URL, t_ad, "changed",
     "the Threema ID changed in one character (7XK3M9PQ -> 7XK3M8PQ); the relative posting time moved too",
     KM_MASSAGE,
     dict(meta="Eingestellt vor 1 Std."),
     dict(meta="Eingestellt vor 3 Std.", contacts=[("Telefon", "030 12345678"), ("Threema", "7XK3M8PQ")]))

# Leboncoin-like (French): room
LBP = dict(
    lang="fr", site="LeBonPlan", ad_id="2871204455",
    crumbs=[("Rhône", "/recherche?locations=r_22"), ("Locations", "/c/locations"), ("Colocations", "/c/colocations")],
    title="Chambre meublée en colocation, idéal saisonniers", price="420 € / mois",
    attrs=[("Type", "Chambre"), ("Surface", "12 m²"), ("Meublé", "Oui"), ("Charges", "comprises")],
    desc=["Chambre dans appartement de 4 pièces, cuisine équipée, proche tram T2.",
          "Idéal travailleurs saisonniers, possibilité de bail court."],
    location="Lyon 7e Arrondissement (69007)", seller="Karim B.", seller_id="karim-b-5521", since="juin 2019",
    contacts=[("Téléphone", "06 39 98 12 34")], photos=["/img/ad/2871204455-1.jpg"],
)
LBP_URL = "http://lebonplan-annonces.example/ad/colocations/2871204455"

case("leboncoin-actualisation-14h03", "clock", LBP_URL, t_ad, "cosmetic",
     "only 'Dernière actualisation : aujourd'hui à 14h03' differs",
     LBP,
     dict(top="Dernière actualisation : aujourd'hui à 14h03"), dict(top="Dernière actualisation : aujourd'hui à 16h27"))

case("leboncoin-il-y-a", "relative-time", LBP_URL, t_ad, "cosmetic",
     "only 'Publiée il y a 2 min' moved on to 'il y a 3 h'",
     LBP, dict(meta="Publiée il y a 2 min"), dict(meta="Publiée il y a 3 h"))

case("leboncoin-arrondissement", "location", LBP_URL, t_ad, "changed",
     "the room moved from Lyon 7e to Lyon 3e; the relative posting time moved too",
     LBP,
     dict(meta="Publiée il y a 2 min"),
     dict(meta="Publiée il y a 3 h", location="Lyon 3e Arrondissement (69003)"))

# Vivastreet-like (French): massage ad
VIVA = dict(
    lang="fr", site="VivAnnonces", ad_id="308112457",
    crumbs=[("Lyon", "/lyon"), ("Services", "/lyon/services"), ("Massages et bien-être", "/lyon/massages")],
    title="Nouvelle à Lyon – massage relaxant", price="80 € / heure",
    desc=["Masseuse nouvelle dans la région, reçoit en appartement privé.", "Sur rendez-vous uniquement, pas de numéros masqués."],
    location="Lyon 3e, près de la Part-Dieu", seller="Mai", seller_id="mai-308112457", since="novembre 2026",
    contacts=[("Téléphone", "06 39 98 45 21")], photos=["/photos/308112457/a.jpg", "/photos/308112457/b.jpg"],
)


def viva_attrs(age):
    return [("Âge", age), ("Taille", "1,62 m"), ("Nationalité", "thaïlandaise"), ("Langues", "anglais, thaï")]


case("vivastreet-fr-age", "ad-attribute", "http://vivannonces.example/massages/lyon/nouvelle-a-lyon-massage-relaxant/308112457",
     t_ad, "changed",
     "the stated age went from 24 to 21; the 'Vue N fois' counter moved too",
     VIVA,
     dict(attrs=viva_attrs("24 ans"), meta="Vue 1 204 fois"),
     dict(attrs=viva_attrs("21 ans"), meta="Vue 1 377 fois"))

# Milanuncios-like (Spanish): massage ad
MIL_URL = "http://miltablon.example/masajes-en-madrid/masajista-nueva-en-madrid-centro-485521877.htm"


def mil_attrs(height="1,68 m", weight="54 kg", hours="de 10:00 a 22:00"):
    return [("Edad", "23 años"), ("Altura", height), ("Peso", weight), ("Horario", hours)]


def mil_contacts(wa="34612345678", wa_text="+34 612 345 678"):
    return [("Teléfono", "612 345 678"), ("WhatsApp", f'<a href="https://wa.me/{wa}">{wa_text}</a>')]


MIL = dict(
    lang="es", site="MilTablón", ad_id="485521877",
    crumbs=[("Madrid", "/anuncios-en-madrid/"), ("Servicios", "/servicios-en-madrid/"), ("Masajes", "/masajes-en-madrid/")],
    title="Masajista nueva en Madrid centro", price="60 € / hora",
    attrs=mil_attrs(),
    desc=["Chica latina recién llegada, masaje relajante en piso discreto.", "Solo con cita previa."],
    location="Madrid, Centro – Lavapiés", seller="Valeria", seller_id="valeria-485521877", since="noviembre 2026",
    contacts=mil_contacts(), photos=["/fotos/485521877/1.jpg", "/fotos/485521877/2.jpg"],
)

case("milanuncios-hace-minutos", "relative-time", MIL_URL, t_ad, "cosmetic",
     "only 'Publicado hace 5 minutos' moved on to 'hace 2 horas'",
     MIL, dict(meta="Publicado hace 5 minutos"), dict(meta="Publicado hace 2 horas"))

case("milanuncios-server-time-only", "clock", MIL_URL, t_ad, "cosmetic",
     "only the bare server time 'Hora del servidor: 14:03:07 (CET)' differs",
     MIL,
     dict(top="Hora del servidor: 14:03:07 (CET)"), dict(top="Hora del servidor: 16:52:31 (CET)"))

case("milanuncios-horario-24h", "hours", MIL_URL, t_ad, "changed",
     "the hours went from 'de 10:00 a 22:00' to '24 horas'; the relative posting time moved too",
     MIL,
     dict(meta="Publicado hace 5 minutos"),
     dict(meta="Publicado hace 2 horas", attrs=mil_attrs(hours="24 horas")))

case("milanuncios-whatsapp-number", "handle", MIL_URL, t_ad, "changed",
     "the WhatsApp contact (wa.me link and text) is another number now; the phone line stayed; relative time moved",
     MIL,
     dict(meta="Publicado hace 5 minutos"),
     dict(meta="Publicado hace 2 horas", contacts=mil_contacts("34622345678", "+34 622 345 678")))

case("milanuncios-height-weight", "ad-attribute", MIL_URL, t_ad, "changed",
     "the stated height and weight changed (1,68 m / 54 kg -> 1,74 m / 61 kg): likely another person; relative time moved",
     MIL,
     dict(meta="Publicado hace 5 minutos"),
     dict(meta="Publicado hace 2 horas", attrs=mil_attrs("1,74 m", "61 kg")))

# OLX-like (Polish): workers' rooms
OLX_PL = dict(
    lang="pl", site="OgłoszeniaPlus", ad_id="19kQxL",
    crumbs=[("Poznań", "/poznan/"), ("Nieruchomości", "/nieruchomosci/poznan/"), ("Stancje i pokoje", "/nieruchomosci/stancje-pokoje/poznan/")],
    title="Pokoje dla pracowników – rozliczenie tygodniowe", price="350 zł / tydzień",
    attrs=[("Rodzaj pokoju", "wieloosobowy"), ("Umeblowane", "Tak"), ("Media", "w cenie")],
    desc=["Kwatery pracownicze blisko strefy przemysłowej, 2–4 osoby w pokoju.", "Faktura VAT dla firm. Meldunek możliwy."],
    location="Poznań, Nowe Miasto", seller="Kwatery Marek", seller_id="kwatery-marek", since="kwietnia 2020",
    contacts=[("Telefon", "+48 512 345 678")], photos=["/img/19kQxL/1.webp"], meta="Dodane 28 listopada 2026",
)
OLX_PL_URL = "http://ogloszeniaplus.example/d/oferta/pokoje-dla-pracownikow-tygodniowo-CID3-ID19kQxL.html"

case("olx-pl-page-updated-stamp", "clock", OLX_PL_URL, t_ad, "cosmetic",
     "only 'Ostatnia aktualizacja strony: 2 grudnia 2026, 14:03' differs (next morning now)",
     OLX_PL,
     dict(top="Ostatnia aktualizacja strony: 2 grudnia 2026, 14:03"),
     dict(top="Ostatnia aktualizacja strony: 3 grudnia 2026, 09:12"))

case("olx-pl-phpsessid-links", "session-id", OLX_PL_URL, t_ad, "cosmetic",
     "only the PHPSESSID parameter on every internal link differs",
     OLX_PL,
     dict(sess=("PHPSESSID", hexs("pl0", 26))), dict(sess=("PHPSESSID", hexs("pl1", 26))))

case("olx-pl-price-zloty", "price", OLX_PL_URL, t_ad, "changed",
     "the weekly price went from 350 zł to 380 zł; the page stamp moved too",
     OLX_PL,
     dict(top="Ostatnia aktualizacja strony: 2 grudnia 2026, 14:03"),
     dict(top="Ostatnia aktualizacja strony: 3 grudnia 2026, 09:12", price="380 zł / tydzień"))

# Subito-like (Italian): hotel job
SUB = dict(
    lang="it", site="AnnunciSubito", ad_id="521008834",
    crumbs=[("Lombardia", "/annunci-lombardia/"), ("Milano", "/annunci-lombardia/milano/"), ("Offerte di lavoro", "/annunci-lombardia/milano/offerte-lavoro/")],
    title="Cameriera ai piani in hotel, vitto e alloggio", price="900 € al mese",
    attrs=[("Contratto", "stagionale"), ("Orario", "full time"), ("Alloggio", "incluso")],
    desc=["Cerchiamo ragazze 20–35 anni per hotel, anche senza esperienza.", "Alloggio in appartamento condiviso vicino all'hotel."],
    location="Milano, zona Loreto", seller="Hotel Stella Srl", seller_id="hotelstella", since="settembre 2025",
    contacts=[("Telefono", "+39 345 612 3478")], photos=["/images/521008834/1.jpg"],
)
SUB_URL = "http://annuncisubito.example/milano/offerte-lavoro/cameriera-ai-piani-vitto-alloggio-521008834.htm"

case("subito-jsessionid-path", "session-id", SUB_URL, t_ad, "cosmetic",
     "only the ;jsessionid= path parameter on every internal link differs",
     SUB,
     dict(jsess=hexs("it0", 32).upper()), dict(jsess=hexs("it1", 32).upper()))

case("subito-ora-del-server", "clock", SUB_URL, t_ad, "cosmetic",
     "only 'Ora del server: mercoledì 2 dicembre 2026, 14:03:07' differs",
     SUB,
     dict(top="Ora del server: mercoledì 2 dicembre 2026, 14:03:07"),
     dict(top="Ora del server: mercoledì 2 dicembre 2026, 15:38:44"))

case("subito-zona-changed", "location", SUB_URL, t_ad, "changed",
     "the job's zone moved from Loreto to Lambrate; the server clock moved too",
     SUB,
     dict(top="Ora del server: mercoledì 2 dicembre 2026, 14:03:07"),
     dict(top="Ora del server: mercoledì 2 dicembre 2026, 15:38:44", location="Milano, zona Lambrate"))

# OLX.pt-like (European Portuguese): live-in domestic worker
PT_AD = dict(
    lang="pt", site="CustoAnúncios", ad_id="ID9kQ2",
    crumbs=[("Lisboa", "/lisboa/"), ("Emprego", "/emprego/lisboa/"), ("Serviços domésticos", "/emprego/domesticos/lisboa/")],
    title="Empregada doméstica interna – Lisboa", price="750 € / mês",
    attrs=[("Tipo de contrato", "Interna"), ("Folgas", "1 dia por semana"), ("Experiência", "não necessária")],
    desc=["Família procura senhora para trabalho doméstico e para cuidar de idosa, alojamento e alimentação incluídos.",
          "Preferência por candidatas estrangeiras. Tratamos da documentação."],
    location="Lisboa, Alvalade", seller="Família Monteiro", seller_id="fmonteiro", since="outubro de 2026",
    contacts=[("Email", "contacto.lisboa.familia@gmail.com"), ("Telefone", "+351 912 345 678")],
    photos=[],
)
PT_AD_URL = "http://custoanuncios.example/anuncio/empregada-domestica-interna-lisboa-ID9kQ2.html"

case("olx-pt-ha-horas", "relative-time", PT_AD_URL, t_ad, "cosmetic",
     "only 'Publicado há 3 horas' moved on to 'há 5 horas'",
     PT_AD, dict(meta="Publicado há 3 horas"), dict(meta="Publicado há 5 horas"))

case("olx-pt-visto-vezes", "counter", PT_AD_URL, t_ad, "cosmetic",
     "only 'Este anúncio foi visto N vezes' differs",
     dict(PT_AD, meta="Publicado em 29 de novembro"),
     dict(foot="Este anúncio foi visto 1204 vezes"), dict(foot="Este anúncio foi visto 1377 vezes"))

case("olx-pt-contact-email", "email", PT_AD_URL, t_ad, "changed",
     "the contact e-mail is another address now (…familia2@gmail.com); the relative posting time moved too",
     PT_AD,
     dict(meta="Publicado há 3 horas"),
     dict(meta="Publicado há 5 horas", contacts=[("Email", "contacto.lisboa.familia2@gmail.com"), ("Telefone", "+351 912 345 678")]))

# Publi24-like (Romanian): job abroad
RO_AD = dict(
    lang="ro", site="Anunțuri24", ad_id="8a1c9e22", verified=True,
    crumbs=[("România", "/anunturi/"), ("Locuri de muncă", "/anunturi/locuri-de-munca/"), ("Străinătate", "/anunturi/locuri-de-munca/strainatate/")],
    title="Ajutor bucătar în Germania, cazare gratuită", price="1.800 € net / lună",
    attrs=[("Locație", "Germania (Stuttgart)"), ("Program", "8 ore/zi, 6 zile/săptămână"), ("Transport", "asigurat de firmă")],
    desc=["Căutăm personal pentru restaurant, nu este necesară experiența sau limba germană.",
          "Plecare săptămânal din București. Contractul se semnează la sosire."],
    location="București, Sector 3", seller="Agenția Euro Job Consult", seller_id="eurojobconsult", since="mai 2023",
    contacts=[("Telefon", "0722 123 456")], photos=["/img/8a1c9e22/1.jpg"],
)
RO_AD_URL = "http://anunturi24.example/anunturi/locuri-de-munca/strainatate/ajutor-bucatar-germania-cazare-gratuita/8a1c9e22.html"

case("publi24-ro-page-stamp", "clock", RO_AD_URL, t_ad, "cosmetic",
     "only 'Pagină actualizată: 2 decembrie 2026, ora 14:03' differs",
     RO_AD,
     dict(top="Pagină actualizată: 2 decembrie 2026, ora 14:03"),
     dict(top="Pagină actualizată: 2 decembrie 2026, ora 16:10"))

case("publi24-ro-acum-minute", "relative-time", RO_AD_URL, t_ad, "cosmetic",
     "only 'Publicat acum 5 minute' moved on to 'acum 2 ore'",
     RO_AD, dict(meta="Publicat acum 5 minute"), dict(meta="Publicat acum 2 ore"))

case("publi24-ro-job-country", "job-offer", RO_AD_URL, t_ad, "changed",
     "the job moved from Germany (Stuttgart) to Dubai (title and Locație); the relative time moved too",
     RO_AD,
     dict(meta="Publicat acum 5 minute"),
     dict(meta="Publicat acum 2 ore", title="Ajutor bucătar în Dubai, cazare gratuită",
          attrs=[("Locație", "Emiratele Arabe Unite (Dubai)"), ("Program", "8 ore/zi, 6 zile/săptămână"), ("Transport", "asigurat de firmă")]))

case("publi24-ro-verified-lost", "badge", RO_AD_URL, t_ad, "changed",
     "the agency lost its 'Cont verificat' badge; the relative time moved too",
     RO_AD,
     dict(meta="Publicat acum 5 minute"),
     dict(meta="Publicat acum 2 ore", verified=False))

# OLX.ua-like (Ukrainian): job abroad
UA_AD = dict(
    lang="uk", site="Дошка", ad_id="x8Lq2",
    crumbs=[("Київ", "/kiev/"), ("Робота", "/rabota/kiev/"), ("За кордоном", "/rabota/za-kordonom/")],
    title="Робота в Польщі для жінок, без досвіду", price="від 1200 €",
    attrs=[("Вид зайнятості", "повна"), ("Житло", "надається"), ("Вік", "18–45")],
    desc=["Пакування, прибирання готелів, догляд. Допомагаємо з документами.", "Виїзд щотижня з Києва та Львова."],
    location="Київ, Оболонський район", seller="Кадрове агентство «Європа Плюс»", seller_id="evropa-plus",
    since="лютого 2024", photos=["/img/x8Lq2/1.jpg"], meta="Опубліковано 29 листопада 2026 р.",
)

case("olx-ua-signal-username", "handle", "http://doshka.example/d/uk/obyavlenie/robota-v-polschi-dlya-zhinok-IDx8Lq2.html",
     t_ad, "changed",
     "the Signal username changed (olena.work.01 -> olena.work.02); the view counter moved too",
     UA_AD,
     dict(contacts=[("Телефон", "+380 67 123 4567"), ("Signal", "olena.work.01")], foot="Переглядів: 812"),
     dict(contacts=[("Телефон", "+380 67 123 4567"), ("Signal", "olena.work.02")], foot="Переглядів: 845"))

# Thai classifieds: monthly room
TH_AD = dict(
    lang="th", site="ขายดีดี", ad_id="412998877",
    crumbs=[("กรุงเทพฯ", "/bangkok"), ("อสังหาริมทรัพย์", "/bangkok/property"), ("ห้องเช่า", "/bangkok/property/rooms")],
    title="ห้องพักรายเดือน ใกล้ BTS อ่อนนุช", price="฿4,500 / เดือน",
    attrs=[("ขนาด", "24 ตร.ม."), ("เฟอร์นิเจอร์", "ครบ"), ("สัญญา", "ขั้นต่ำ 1 เดือน")],
    desc=["ห้องสะอาด มีแอร์ น้ำอุ่น อินเทอร์เน็ตฟรี", "รับเฉพาะผู้หญิงทำงาน ไม่ต้องวางเงินประกัน"],
    location="กรุงเทพฯ เขตสวนหลวง", seller="คุณนิด", seller_id="nid-rooms", since="2565",
    contacts=[("โทร", "081 234 5678"), ("LINE", "@roomnid88")], photos=["/img/412998877/1.jpg"],
)
TH_URL = "http://khaideedee.example/product-412998877"

case("thai-updated-buddhist-year", "clock", TH_URL, t_ad, "cosmetic",
     "only the 'อัปเดตล่าสุด: 2 ธ.ค. 2569 14:03 น.' stamp (Buddhist-era year) differs",
     TH_AD,
     dict(top="อัปเดตล่าสุด: 2 ธ.ค. 2569 14:03 น."), dict(top="อัปเดตล่าสุด: 2 ธ.ค. 2569 16:21 น."))

case("thai-relative-minutes", "relative-time", TH_URL, t_ad, "cosmetic",
     "only 'ลงประกาศเมื่อ 5 นาทีที่แล้ว' moved on to '2 ชั่วโมงที่แล้ว'",
     TH_AD, dict(meta="ลงประกาศเมื่อ 5 นาทีที่แล้ว"), dict(meta="ลงประกาศเมื่อ 2 ชั่วโมงที่แล้ว"))

# Chợ Tốt-like (Vietnamese): room
VI_AD = dict(
    lang="vi", site="Chợ Nhanh", ad_id="112233445",
    crumbs=[("TP Hồ Chí Minh", "/tp-ho-chi-minh"), ("Bất động sản", "/tp-ho-chi-minh/bat-dong-san"), ("Phòng trọ", "/tp-ho-chi-minh/thue-phong-tro")],
    title="Phòng trọ cho nữ đi làm, gần Lotte Quận 7", price="2.500.000 ₫/tháng",
    attrs=[("Diện tích", "18 m²"), ("Nội thất", "Đầy đủ"), ("Tiền cọc", "Không cần")],
    desc=["Phòng sạch sẽ, có máy lạnh, giờ giấc tự do.", "Ưu tiên nữ đi làm ca đêm, hỗ trợ giới thiệu việc làm."],
    location="Phường Tân Phong, Quận 7, TP Hồ Chí Minh", seller="Chị Hạnh", seller_id="chi-hanh-q7", since="03/2022",
    contacts=[("Điện thoại", "0912 345 678"), ("Zalo", "0912 345 678")], photos=["/img/112233445/1.jpg"],
)
VI_URL = "http://chonhanh.example/thue-phong-tro-quan-7/phong-tro-cho-nu-di-lam-gan-lotte-112233445.htm"

case("vietnamese-updated-stamp", "clock", VI_URL, t_ad, "cosmetic",
     "only 'Cập nhật lúc 14:03 ngày 02/12/2026' differs",
     VI_AD,
     dict(top="Cập nhật lúc 14:03 ngày 02/12/2026"), dict(top="Cập nhật lúc 16:45 ngày 02/12/2026"))

case("vietnamese-relative-phut", "relative-time", VI_URL, t_ad, "cosmetic",
     "only 'Đăng 5 phút trước' moved on to 'Đăng 2 giờ trước'",
     VI_AD, dict(meta="Đăng 5 phút trước"), dict(meta="Đăng 2 giờ trước"))

case("vietnamese-price-dong", "price", VI_URL, t_ad, "changed",
     "the rent went from 2.500.000 ₫ to 3.000.000 ₫ a month; the relative posting time moved too",
     VI_AD,
     dict(meta="Đăng 5 phút trước"),
     dict(meta="Đăng 2 giờ trước", price="3.000.000 ₫/tháng"))

case("vietnamese-phone-zalo-digit", "phone", VI_URL, t_ad, "changed",
     "the phone/Zalo number changed in its last digit (0912 345 678 -> 0912 345 679); relative time moved",
     VI_AD,
     dict(meta="Đăng 5 phút trước"),
     dict(meta="Đăng 2 giờ trước", contacts=[("Điện thoại", "0912 345 679"), ("Zalo", "0912 345 679")]))


# Craigslist-like ------------------------------------------------------------

CL = dict(
    city="SF bay area", title="Room for female worker, all utilities incl", price="$850", hood="mission district",
    attrs=["private room", "shared bath", "no smoking", "furnished"], pid="7801234567",
    body=["Room available now in a 4br flat. Looking for a young woman who works nights, no lease, cash weekly.",
          "Can help you find work in the neighborhood. Text only, no calls."],
    photos=["https://images.cityslist.example/00a0a_8Kd2fGh3JkL_600x450.jpg",
            "https://images.cityslist.example/00b0b_3xYz9QwErTy_600x450.jpg"],
)
CL_URL = "http://sfbay.cityslist.example/sfc/roo/d/san-francisco-room-for-female-worker/7801234567.html"

case("craigslist-loaded-pm-clock", "clock", CL_URL, t_craigslist, "cosmetic",
     "only 'page loaded 2:03:07 p.m.' differs",
     CL, dict(loaded="page loaded 2:03:07 p.m."), dict(loaded="page loaded 4:18:55 p.m."))

case("craigslist-hashed-assets", "cache-buster", CL_URL, t_craigslist, "cosmetic",
     "only the content-hashed CSS file name and the ?_= millisecond cache-buster on the script differ",
     CL,
     dict(css=["/static/www/cl-posting.8f3a2c1d.css"], js=[f"/static/www/posting.js?_={T0}123"]),
     dict(css=["/static/www/cl-posting.1b9e77aa.css"], js=[f"/static/www/posting.js?_={T0 + 7744}870"]))

case("craigslist-photo-replaced", "link-target", CL_URL, t_craigslist, "changed",
     "the second photo is a different image (new image id in its URL); the page-loaded clock moved too",
     CL,
     dict(loaded="page loaded 2:03:07 p.m."),
     dict(loaded="page loaded 4:18:55 p.m.",
          photos=["https://images.cityslist.example/00a0a_8Kd2fGh3JkL_600x450.jpg",
                  "https://images.cityslist.example/00c0c_7TrE4wQaZxC_600x450.jpg"]))


# Recruitment agency job page (English) ------------------------------------

JOB_REQ = ["Age 19–40", "Valid passport (at least 12 months)", "Able to start within 4 weeks"]
JOB_OFFER = ["Accommodation provided free of charge", "Flight ticket advanced by the agency", "Weekly cash advance on request"]
JOB = dict(
    agency="EuroBridge Staffing", title="Housekeeping staff (m/f) – 4* hotel", sector="Hospitality", sector_slug="hospitality",
    location="Rotterdam, Netherlands", salary="€1,800/month net", contract="6 months, extendable", start="January 2027",
    about="A partner hotel is looking for housekeeping staff. No experience or English needed; training on site.",
    requirements=JOB_REQ, offer=JOB_OFFER, apply_href="/jobs/4471/apply", apply_text="Apply now",
    phone="+31 6 12345678", email="eurobridge.staffing@gmail.com", ref="EB-4471",
    similar=[("Kitchen helper – Antwerp", "Belgium", "/jobs/hospitality/kitchen-helper-antwerp-4468"),
             ("Greenhouse worker – Westland", "Netherlands", "/jobs/agriculture/greenhouse-worker-westland-4455"),
             ("Hostess – Dubai Marina", "UAE", "/jobs/hospitality/hostess-dubai-marina-4402")],
)
JOB_URL = "http://careers.eurobridge-staffing.example/jobs/hospitality/housekeeping-staff-rotterdam-4471"
JM0 = "Posted 3 days ago · 14 people are viewing this job"
JM1 = "Posted 3 days ago · 6 people are viewing this job"

case("job-viewers-and-served-stamp", "combined", JOB_URL, t_job, "cosmetic",
     "only the 'N people are viewing this job' counter and the 'Page served' timestamp differ",
     JOB,
     dict(meta=JM0, foot="Page served 2026-12-02 14:03:07 CET"),
     dict(meta=JM1, foot="Page served 2026-12-02 16:48:30 CET"))

case("job-similar-utm-parameters", "tracking-param", JOB_URL, t_job, "cosmetic",
     "only the utm_* tracking parameters on the 'Similar jobs' links differ",
     dict(JOB, meta="Posted 3 days ago"),
     dict(track="?utm_source=jobpage&amp;utm_medium=similar&amp;utm_campaign=reco-20261202-1403&amp;utm_content=slot{i}"),
     dict(track="?utm_source=jobpage&amp;utm_medium=similar&amp;utm_campaign=reco-20261202-1648&amp;utm_content=slot{i}&amp;mc_eid=3f9a1c77e2"))

case("job-salary-changed", "job-offer", JOB_URL, t_job, "changed",
     "the salary went from €1,800 to €2,400 a month net; the viewers counter moved too",
     JOB, dict(meta=JM0), dict(meta=JM1, salary="€2,400/month net"))

case("job-location-changed", "job-offer", JOB_URL, t_job, "changed",
     "the workplace moved from Rotterdam, Netherlands to Doha, Qatar; the viewers counter moved too",
     JOB, dict(meta=JM0), dict(meta=JM1, location="Doha, Qatar"))

case("job-accommodation-now-deducted", "job-offer", JOB_URL, t_job, "changed",
     "free accommodation became €350/month deducted from salary; the viewers counter moved too",
     JOB, dict(meta=JM0),
     dict(meta=JM1, offer=["Accommodation: €350/month, deducted from salary"] + JOB_OFFER[1:]))

case("job-passport-retention-clause", "job-offer", JOB_URL, t_job, "changed",
     "a requirement was added: the employer keeps the passport during the contract; the viewers counter moved too",
     JOB, dict(meta=JM0),
     dict(meta=JM1, requirements=JOB_REQ + ["Your passport will be kept by the employer during the contract for visa processing"]))

case("job-apply-link-retargeted", "link-target", JOB_URL, t_job, "changed",
     "'Apply now' keeps its text but now points to a Telegram account instead of the agency's form; viewers moved",
     JOB, dict(meta=JM0), dict(meta=JM1, apply_href="https://t.me/eb_recruit_team"))


# Holiday rentals -------------------------------------------------------------

RENT_L = {
    "en": dict(stays="Stays", host_nav="Become a host", help="Help", login="Log in", amenities="What this place offers",
               rules="House rules", host="Hosted by", book="Reserve", terms="Terms", privacy="Privacy"),
    "pt": dict(stays="Alojamentos", host_nav="Anuncie o seu espaço", help="Ajuda", login="Entrar", amenities="O que este espaço oferece",
               rules="Regras da casa", host="Anfitrião", book="Reservar", terms="Termos", privacy="Privacidade"),
    "it": dict(stays="Alloggi", host_nav="Diventa host", help="Aiuto", login="Accedi", amenities="Servizi",
               rules="Regole della casa", host="Gestito da", book="Prenota", terms="Termini", privacy="Privacy"),
}
RENT_EN = dict(
    L=RENT_L["en"], lang="en", site="StaySnap", lid="58812044", title="Bright studio near the port, long stays welcome",
    area="Piraeus, Attica, Greece", price="€1,299 / week", photos=["/im/58812044/a.jpg", "/im/58812044/b.jpg"],
    summary="Self check-in with a key box. Suitable for groups of workers; invoices for companies.",
    amenities=["Wifi", "Kitchen", "Washer", "Air conditioning"], rules=["Check-in after 15:00", "No parties"],
    host="Nikos", host_id="nikos-2291",
)
RENT_EN_URL = "http://staysnap.example/rooms/58812044"

case("rental-people-looking", "counter", RENT_EN_URL, t_rental, "cosmetic",
     "only 'N people are looking at this place right now' differs",
     RENT_EN,
     dict(meta="12 people are looking at this place right now"), dict(meta="7 people are looking at this place right now"))

case("rental-weekly-price", "price", RENT_EN_URL, t_rental, "changed",
     "the weekly price went from €1,299 to €1,099; the 'people looking' counter moved too",
     RENT_EN,
     dict(meta="12 people are looking at this place right now"),
     dict(meta="7 people are looking at this place right now", price="€1,099 / week"))

RENT_PT = dict(
    L=RENT_L["pt"], lang="pt", site="AlojaJá", lid="3310", title="Quarto privado, ideal para trabalhadores",
    area="Lisboa, Arroios", price="35 € / noite", photos=["/fotos/3310/1.jpg"],
    summary="Quarto num apartamento partilhado, entrada autónoma. Estadias longas com desconto.",
    amenities=["Wi-Fi", "Cozinha partilhada", "Máquina de lavar"], rules=["Sem fumar", "Silêncio depois das 22h"],
    host="Sr. Ferreira", host_id="ferreira-3310",
)

case("rental-pt-district", "location", "http://alojaja.example/alojamento/quarto-arroios-3310", t_rental, "changed",
     "the listing moved from Arroios to Penha de França; the 'pessoas a ver' counter moved too",
     RENT_PT,
     dict(meta="3 pessoas estão a ver este alojamento"),
     dict(meta="5 pessoas estão a ver este alojamento", area="Lisboa, Penha de França"))

RENT_IT = dict(
    L=RENT_L["it"], lang="it", site="AffittiBrevi", lid="7720", title="Bilocale sui Navigli, anche a ore",
    area="Milano, Navigli", price="95 € / notte", photos=["/foto/7720/1.jpg", "/foto/7720/2.jpg"],
    summary="Check-in autonomo con codice, nessun contatto con l'host. Disponibile anche per soggiorni brevi.",
    amenities=["Wi-Fi", "Aria condizionata", "Lavatrice"], rules=["Niente feste", "Check-out entro le 11:00"],
    host="Appartamenti Sole Srl", host_id="app-sole",
)

case("rental-it-host-name", "name", "http://affittibrevi.example/annuncio/bilocale-navigli-7720", t_rental, "changed",
     "the managing company changed (Appartamenti Sole Srl -> Casa Vacanze Luna Srl, same profile URL); the price stamp moved",
     RENT_IT,
     dict(meta="Prezzi aggiornati alle 14:03 del 02/12/2026"),
     dict(meta="Prezzi aggiornati alle 16:21 del 02/12/2026", host="Casa Vacanze Luna Srl"))


# MediaWiki link directory on an onion ------------------------------------

WIKI_HOST = onion("hiddenindex")


def wiki_sections(global_hosts="globalhosts", papertrail=True):
    docs = [("VisaDesk", onion("visadesk"), "invitation letters, work permits")]
    if papertrail:
        docs.append(("PaperTrail", onion("papertrail"), "translations and apostilles"))
    return [
        ("Job boards", [("Tor Jobs Board", onion("torjobs"), "job offers, no registration"),
                        ("WorkAway Hidden", onion("workaway"), "seasonal work, EU"),
                        ("Global Hosts", onion(global_hosts), "hostess and model agencies")]),
        ("Documents and visas", docs),
    ]


WIKI = dict(site="The Hidden Index", page="Jobs_and_Travel", heading="Jobs and Travel", sections=wiki_sections(),
            intro="Onion services for work abroad, travel documents and relocation. Listing is not endorsement; check the scam list first.",
            donate=f"Keep the index alive: BTC {btc_address('wiki-donate-0')}")
WIKI_URL = f"http://{WIKI_HOST}/wiki/Jobs_and_Travel"
ACC0 = "This page has been accessed 18,233 times."
ACC1 = "This page has been accessed 18,301 times."

case("wiki-accessed-times", "counter", WIKI_URL, t_wiki, "cosmetic",
     "only MediaWiki's 'This page has been accessed N times.' differs",
     WIKI, dict(accessed=ACC0), dict(accessed=ACC1))

case("wiki-entry-onion-replaced", "onion-mirror", WIKI_URL, t_wiki, "changed",
     "'Global Hosts' keeps its name but links to a different onion address; the access counter moved too",
     WIKI, dict(accessed=ACC0), dict(accessed=ACC1, sections=wiki_sections(global_hosts="globalhosts-new")))

case("wiki-entry-removed", "listing-removed", WIKI_URL, t_wiki, "changed",
     "the 'PaperTrail' entry (text and link) was removed; the access counter moved too",
     WIKI, dict(accessed=ACC0), dict(accessed=ACC1, sections=wiki_sections(papertrail=False)))

case("wiki-donation-btc-address", "crypto-address", WIKI_URL, t_wiki, "changed",
     "the BTC donation address is a different address now; the access counter moved too",
     WIKI, dict(accessed=ACC0),
     dict(accessed=ACC1, donate=f"Keep the index alive: BTC {btc_address('wiki-donate-1')}"))


# WordPress news --------------------------------------------------------------

WP_PARAS = ["Police in central Poland said on Monday they had freed 14 workers from Ukraine and Moldova who were held in a "
            "locked hostel on a vegetable farm near Kutno.",
            "According to the prosecutor's office, the workers' passports were kept in a safe by the farm's manager and about "
            "40% of their wages were withheld for “accommodation and transport”.",
            "Two men aged 44 and 51 were detained. The investigation is led by the regional prosecutor in Łódź."]
WP = dict(
    site="Border Watch News", tagline="Labour rights and migration, from the ground", pid=18822,
    path="/2026/11/30/police-free-workers-from-farm-near-kutno/",
    title="Police free workers held on farm near Kutno", author="Anna Zielińska", author_slug="anna-zielinska",
    date="November 30, 2026", image="kutno-farm-1024x576.jpg", paras=WP_PARAS, views="1,204 views",
    comments=[("Marek", "Good job. This happens every season."), ("Olena K.", "My brother was offered work there in spring. Glad he refused.")],
    datebar="Wednesday, dec. 2, 2026",
)
WP_URL = "http://borderwatch-news.example/2026/11/30/police-free-workers-from-farm-near-kutno/"

case("wordpress-datebar-abbrev-month", "clock", WP_URL, t_wordpress, "cosmetic",
     "only the top date bar 'Wednesday, dec. 2, 2026' differs (next day now)",
     WP, dict(datebar="Wednesday, dec. 2, 2026"), dict(datebar="Thursday, dec. 3, 2026"))

case("wordpress-ver-cache-busters", "cache-buster", WP_URL, t_wordpress, "cosmetic",
     "only the ?ver= cache-busters of the theme and plugin assets differ",
     WP,
     dict(theme_ver=str(T0 - 86400), pvc_ver=str(T0 - 86400)),
     dict(theme_ver=str(T0 + 7744), pvc_ver=str(T0 + 7744)))

case("wordpress-wpnonce-links", "token", WP_URL, t_wordpress, "cosmetic",
     "only the _wpnonce of the logout and like links differs",
     WP, dict(wpnonce=hexs("wp0", 10)), dict(wpnonce=hexs("wp1", 10)))

case("wordpress-views-and-visitors", "counter", WP_URL, t_wordpress, "cosmetic",
     "only the article views and the 'Visitors today / Total visitors' widget differ",
     WP,
     dict(views="1,204 views", widget="<h3>Stats</h3><p>Visitors today: 3,402 · Total visitors: 1,203,554</p>"),
     dict(views="1,377 views", widget="<h3>Stats</h3><p>Visitors today: 3,588 · Total visitors: 1,203,740</p>"))

case("wordpress-article-number-corrected", "post-edited", WP_URL, t_wordpress, "changed",
     "the article now says 17 workers were freed, not 14; the date bar and views moved too",
     WP,
     dict(views="1,204 views"),
     dict(views="1,377 views", datebar="Thursday, dec. 3, 2026",
          paras=[WP_PARAS[0].replace("freed 14 workers", "freed 17 workers")] + WP_PARAS[1:]))


# Drupal NGO page (French) -------------------------------------------------

DR = dict(
    site="Observatoire de la traite", title="Une nouvelle ligne d'écoute pour les victimes d'exploitation",
    author="Claire Martin", uid="57", date="28 novembre 2026", nid="1842",
    paras=["Depuis le 1er décembre, une ligne d'écoute gratuite et anonyme est ouverte aux personnes victimes de travail "
           "forcé ou d'exploitation sexuelle, ainsi qu'à leurs proches.",
           "Les écoutants parlent français, anglais, roumain, bulgare et espagnol. Un interprète peut être mobilisé pour d'autres langues."],
    hotline="Numéro vert : 0 800 94 12 37 (appel gratuit)", hours="Permanence : du lundi au vendredi, 9h–18h",
    quote="« La liberté n'est pas un privilège, c'est un droit. »",
)
DR_URL = "http://observatoire-traite.example/actualites/nouvelle-ligne-decoute-pour-les-victimes-dexploitation"
Q1 = "« Nul ne sera tenu en esclavage ni en servitude. » – Art. 4 DUDH"
GEN0 = "Page générée en 0,213 s – 41 requêtes – mémoire max 12,5 Mo"
GEN1 = "Page générée en 0,087 s – 38 requêtes – mémoire max 11,9 Mo"

case("drupal-quote-of-the-day-seed", "seed-selector", DR_URL, t_drupal, "cosmetic",
     "only the 'Citation du jour' block rotated, and the seed names it in ignore_selectors",
     DR, None, dict(quote=Q1), seed=dict(ignore_selectors=["#block-citation-du-jour"]))

case("drupal-generation-time-fr", "generation-time", DR_URL, t_drupal, "cosmetic",
     "only 'Page générée en N s – M requêtes – mémoire max' differs",
     DR, dict(foot=GEN0), dict(foot=GEN1))

case("drupal-hotline-number-with-seed", "seed-scope", DR_URL, t_drupal, "changed",
     "the hotline number changed (…12 37 -> …12 73) outside the ignored quote block, which rotated too",
     DR, None, dict(quote=Q1, hotline="Numéro vert : 0 800 94 12 73 (appel gratuit)"),
     seed=dict(ignore_selectors=["#block-citation-du-jour"]))

case("drupal-hotline-hours", "hours", DR_URL, t_drupal, "changed",
     "the hotline hours went from weekdays 9h–18h to 7 days 8h–22h; the generation footer moved too",
     DR, dict(foot=GEN0), dict(foot=GEN1, hours="Permanence : 7 jours sur 7, 8h–22h"))


# Joomla local news (Italian) ---------------------------------------------

JO_PARAS = ["I carabinieri hanno arrestato tre uomini accusati di aver reclutato braccianti stranieri con false promesse di "
            "lavoro regolare.",
            "Secondo gli inquirenti, i lavoratori vivevano in un capannone e dovevano pagare 300 euro al mese per il posto letto.",
            "Le indagini sono coordinate dalla Procura di Bergamo."]
JO = dict(site="Cronaca di Bergamo", title="Sfruttamento del lavoro, arresti a Dalmine", author="Redazione",
          date="30 Novembre 2026", paras=JO_PARAS)
JO_URL = "http://cronacabergamo.example/cronaca/2291-sfruttamento-del-lavoro-arresti-a-dalmine"

case("joomla-visite-counter", "counter", JO_URL, t_joomla, "cosmetic",
     "only Joomla's hit counter 'Visite: N' differs",
     JO, dict(hits="Visite: 1204"), dict(hits="Visite: 1377"))

case("joomla-hits-relative-and-date", "combined", JO_URL, t_joomla, "cosmetic",
     "only the hit counter, 'Ultimo aggiornamento 5 minuti fa' and the 'Oggi è …, ore 14:03' bar differ",
     JO,
     dict(hits="Visite: 1204", foot="Ultimo aggiornamento 5 minuti fa", top="Oggi è mercoledì 2 dicembre 2026, ore 14:03"),
     dict(hits="Visite: 1377", foot="Ultimo aggiornamento 2 ore fa", top="Oggi è mercoledì 2 dicembre 2026, ore 16:10"))

case("joomla-article-three-to-four", "post-edited", JO_URL, t_joomla, "changed",
     "the article now says four men were arrested, not three; the hit counter moved too",
     JO,
     dict(hits="Visite: 1204"),
     dict(hits="Visite: 1377", paras=[JO_PARAS[0].replace("tre uomini", "quattro uomini")] + JO_PARAS[1:]))


# Mirror status page (onion) ------------------------------------------------

ST_HOST = onion("nexusstatus")


def st_mirrors(m2="Operational"):
    return [("Mirror 1", onion("nexus1"), "Operational"), ("Mirror 2", onion("nexus2"), m2), ("Mirror 3", onion("nexus3"), "Operational")]


ST = dict(site="Nexus Mirrors", mirrors=st_mirrors(), overall="All systems operational",
          incidents=["Nov 28, 2026 – Mirror 3 unreachable for 40 minutes (DDoS)", "Nov 19, 2026 – Scheduled maintenance, 02:00–03:00 UTC"])
ST_URL = f"http://{ST_HOST}/"
CHK0 = f"Last probe: {T0 * 1000 + 123} (checked 2 min ago)"
CHK1 = f"Last probe: {(T0 + 3600) * 1000 + 456} (checked 1 min ago)"

case("status-unix-ms-probe", "clock", ST_URL, t_status, "cosmetic",
     "only the last-probe Unix millisecond timestamp (and 'checked N min ago') differs",
     ST, dict(checked=CHK0), dict(checked=CHK1))

case("status-request-id-and-nonce", "token", ST_URL, t_status, "cosmetic",
     "only the visible 'Request ID: <uuid> · nonce: <hex>' footer differs",
     ST,
     dict(foot=f"Request ID: {uuid.UUID(hexs('st0', 32), version=4)} · nonce: {hexs('st0n', 24)}"),
     dict(foot=f"Request ID: {uuid.UUID(hexs('st1', 32), version=4)} · nonce: {hexs('st1n', 24)}"))

case("status-mirror-outage", "status", ST_URL, t_status, "changed",
     "Mirror 2 went from Operational to Major outage and the overall state changed; the probe stamp moved too",
     ST,
     dict(checked=CHK0),
     dict(checked=CHK1, mirrors=st_mirrors("Major outage"), overall="Partial outage – one mirror is down"))


# Paste site -------------------------------------------------------------------

def paste_text(session, xmr):
    return f"""== Euro Hosts Agency ==
Recruiting girls 20-28 for hostess / model work in UAE, Turkey, Cyprus.
Flights + visa paid, repaid from first salary.

Contact (no calls):
  Session:  {session}
  Telegram: @eurohosts_manager
  Email:    eurohosts.agency@proton.me

Deposit for visa processing (refunded on arrival):
  XMR: {xmr}
  BTC: {btc_address('paste-btc')}"""


PASTE = dict(site="PasteBox", title="contacts + wallets (updated)", author="anon_4471", date="Dec 1st, 2026", syntax="text",
             pid="Xk9fQ2aL", text=paste_text(session_id("paste-s0"), xmr_address("paste-x0")))
PASTE_URL = "http://pastebox.example/Xk9fQ2aL"
PS0 = "Views: 57 · Downloads: 12 · Last fetched 14:03:07 UTC"
PS1 = "Views: 61 · Downloads: 14 · Last fetched 16:41:52 UTC"

case("paste-views-downloads-fetched", "counter", PASTE_URL, t_paste, "cosmetic",
     "only the views/downloads counters and the 'Last fetched' time next to them differ",
     PASTE, dict(stats=PS0), dict(stats=PS1))

case("paste-cloudflare-ray-id", "token", PASTE_URL, t_paste, "cosmetic",
     "only the Cloudflare 'Ray ID' in the footer differs",
     PASTE,
     dict(foot=f"Ray ID: {hexs('ray0', 16)} · Performance &amp; security by Cloudflare"),
     dict(foot=f"Ray ID: {hexs('ray1', 16)} · Performance &amp; security by Cloudflare"))

case("paste-session-id-replaced", "handle", PASTE_URL, t_paste, "changed",
     "the Session messenger ID in the paste is another ID now; the counters moved too",
     PASTE,
     dict(stats=PS0),
     dict(stats=PS1, text=paste_text(session_id("paste-s1"), xmr_address("paste-x0"))))

case("paste-xmr-address-replaced", "crypto-address", PASTE_URL, t_paste, "changed",
     "the Monero deposit address in the paste is another address now; the counters moved too",
     PASTE,
     dict(stats=PS0),
     dict(stats=PS1, text=paste_text(session_id("paste-s0"), xmr_address("paste-x1"))))


# Onion link list ------------------------------------------------------------

LL_HOST = onion("onionlinks")


def ll_cats(checked, escrow="escrowjobs", added=False):
    jobs = [("Escrow Jobs Market", onion(escrow), "job offers with escrow", checked[0]),
            ("Nordic Work Visas", onion("nordicvisa"), "invitation letters", checked[1]),
            ("Club Hostess Recruit", onion("clubhostess"), "Dubai, Istanbul, Limassol", checked[2])]
    if added:
        jobs.append(("Au Pair Europe Direct", onion("aupair"), "au pair placements, no agency fee", "last checked 4 min ago"))
    return [("Jobs &amp; Relocation", jobs),
            ("Forums", [("Dread", onion("dread"), "Reddit-style forum", checked[3]),
                        ("Nexus Forum", onion("nexusforum"), "market forum", checked[4])])]


LL = dict(site="OnionLinks 2026", tagline="Uncensored list of working onion services")
LL_URL = f"http://{LL_HOST}/"
LC0 = ["last checked 5 min ago", "last checked 12 min ago", "last checked 7 min ago", "last checked 3 min ago", "last checked 9 min ago"]
LC1 = ["last checked 1 hour ago", "last checked 2 hours ago", "last checked 58 min ago", "last checked 1 hour ago", "last checked 2 hours ago"]

case("linklist-last-checked-relative", "relative-time", LL_URL, t_linklist, "cosmetic",
     "only the per-link 'last checked N min ago' times moved on",
     LL, dict(cats=ll_cats(LC0)), dict(cats=ll_cats(LC1)))

case("linklist-sponsored-slot-seed", "seed-selector", LL_URL, t_linklist, "cosmetic",
     "only the rotating sponsored link (text and onion) differs, and the seed names the box",
     dict(LL, cats=ll_cats(LC0)),
     dict(sponsored=("CryptoMixer Pro", onion("mixerpro"), "– 0.5% fee, no logs")),
     dict(sponsored=("Hidden Hosting", onion("hiddenhost"), "– offshore hosting, BTC/XMR")),
     seed=dict(ignore_selectors=[".sponsored"]))

case("linklist-entry-added", "listing-added", LL_URL, t_linklist, "changed",
     "a new entry 'Au Pair Europe Direct' (text and onion link) was added; the last-checked times moved too",
     LL, dict(cats=ll_cats(LC0)), dict(cats=ll_cats(LC1, added=True)))

case("linklist-link-retargeted", "link-target", LL_URL, t_linklist, "changed",
     "'Escrow Jobs Market' keeps its text but now links to a different onion; last-checked times moved too",
     LL, dict(cats=ll_cats(LC0)), dict(cats=ll_cats(LC1, escrow="escrowjobs-phish")))


# Onion market listing -------------------------------------------------------

MK_HOST = onion("nexusmarket")
MK = dict(
    site="Nexus", title="Work visa invitation letter – Poland (fast)", cat="Services › Documents", cat_id="services-documents",
    lid="7f3a2c91", img="/img/listings/7f3a2c91.jpg", vendor="NordicDocs", vendor_level="Level 4 · 312 sales",
    price="0.0042 BTC", stock="12", to="EU, UK", escrow="Yes (multisig)", **{"from": "Poland"},
    desc="<p>Invitation letter from a registered Polish company for a national D-visa. Delivered as PDF within 5 days. "
         "Put your full name and passport number in the order notes.</p>",
    feedback=["5/5 – fast, as described", "4/5 – took a week but worked"],
    ticker="1 BTC = 97,412.55 USD · 1 XMR = 184.21 USD",
)
MK_URL = f"http://{MK_HOST}/listing/7f3a2c91"
MF0 = "Rendered in 312 ms"
MF1 = "Rendered in 87 ms"

case("market-exchange-ticker-seed-text", "seed-text", MK_URL, t_market, "cosmetic",
     "only the BTC/XMR exchange-rate ticker differs, and the seed's ignore_text patterns remove it",
     MK, None, dict(ticker="1 BTC = 96,880.10 USD · 1 XMR = 181.77 USD"),
     seed=dict(ignore_text=[r"1 BTC = [0-9][0-9,]*(\.[0-9]+)? USD", r"1 XMR = [0-9][0-9,]*(\.[0-9]+)? USD"]))

case("market-sid-in-links", "session-id", MK_URL, t_market, "cosmetic",
     "only the sid= session parameter on every internal link differs",
     MK, dict(sess=("sid", hexs("mk0", 32))), dict(sess=("sid", hexs("mk1", 32))))

case("market-rendered-in-ms", "generation-time", MK_URL, t_market, "cosmetic",
     "only 'Rendered in N ms' differs",
     MK, dict(foot=MF0), dict(foot=MF1))

case("market-price-btc", "price", MK_URL, t_market, "changed",
     "the price went from 0.0042 BTC to 0.0045 BTC; the render timing moved too",
     MK, dict(foot=MF0), dict(foot=MF1, price="0.0045 BTC"))

case("market-stock-quantity", "stock", MK_URL, t_market, "changed",
     "the quantity available went from 12 to 3; the render timing moved too",
     MK, dict(foot=MF0), dict(foot=MF1, stock="3"))

case("market-ships-to-widened", "shipping", MK_URL, t_market, "changed",
     "'Ships to' went from EU, UK to EU, UK, US, Canada; the render timing moved too",
     MK, dict(foot=MF0), dict(foot=MF1, to="EU, UK, US, Canada"))

case("market-verified-badge-gained", "badge", MK_URL, t_market, "changed",
     "the vendor gained a 'Verified vendor' badge; the render timing moved too",
     MK, dict(foot=MF0), dict(foot=MF1, badge="✔ Verified vendor"))

MK2 = dict(MK, title="Seasonal work placement – Netherlands (greenhouse)", cat="Services › Jobs", cat_id="services-jobs",
           lid="8b1d04e7", img="/img/listings/8b1d04e7.jpg", vendor="FlexCrew", vendor_level="Level 2 · 41 sales",
           price="1.2 XMR", stock="20", to="Worldwide", **{"from": "Netherlands"},
           desc="<p>Placement with a greenhouse employer near Westland, 3 months, housing arranged. Price covers registration "
                "and transport to the site. Details after purchase.</p>",
           feedback=["5/5 – got the place, all good", "3/5 – housing crowded"])

case("market-price-xmr", "price", f"http://{MK_HOST}/listing/8b1d04e7", t_market, "changed",
     "the placement price went from 1.2 XMR to 1.4 XMR; the render timing moved too",
     MK2, dict(foot=MF0), dict(foot=MF1, price="1.4 XMR"))


# Vendor shop on an onion ------------------------------------------------------

VD_HOST = onion("nordicdocs")
VD_CONTACTS = ["Wickr: nordic_docs", "Email: nordicdocs@onionmail.org", "XMPP: nordicdocs@jabber.calyxinstitute.org"]
VD = dict(
    shop="NordicDocs Shop", vendor="NordicDocs",
    about="Documents for work and travel since 2021: invitation letters, employment contracts, translations. "
          "Orders via market escrow, or direct pay for trusted customers.",
    listings=[("Invitation letter – Poland (D-visa)", "0.0042 BTC", "7f3a2c91"),
              ("Employment contract – Czech Republic", "0.0061 BTC", "7f3a2d04"),
              ("Sworn translation, any EU language", "0.0015 BTC", "7f3a2e77")],
    contacts=VD_CONTACTS, btc=btc_address("vendor-btc-0"), xmr=xmr_address("vendor-xmr-0"),
    pay_note=f"ETH / USDT (ERC-20): <code>{eth_address('vendor-eth-0')}</code>",
    fpr=pgp_fpr("vendor-pgp-0"), mirrors=[VD_HOST, onion("nordicdocs-m2")],
)
VD_URL = f"http://{VD_HOST}/"
VS0 = dict(seen="Last seen: 5 minutes ago", foot="Server time: 2026-12-02 13:03:07 UTC")
VS1 = dict(seen="Last seen: 2 hours ago", foot="Server time: 2026-12-02 15:05:44 UTC")

case("vendor-last-seen-and-clock", "combined", VD_URL, t_vendor, "cosmetic",
     "only 'Last seen: N ago' (consistent with no new activity) and the server clock differ",
     VD, VS0, VS1)

case("vendor-pgp-fingerprint", "pgp", VD_URL, t_vendor, "changed",
     "the PGP fingerprint is a different key now; last-seen and server clock moved too",
     VD, VS0, dict(VS1, fpr=pgp_fpr("vendor-pgp-1")))

case("vendor-btc-address", "crypto-address", VD_URL, t_vendor, "changed",
     "the BTC payment address is a different address now; last-seen and server clock moved too",
     VD, VS0, dict(VS1, btc=btc_address("vendor-btc-1")))

case("vendor-eth-address", "crypto-address", VD_URL, t_vendor, "changed",
     "the ETH/USDT (ERC-20) address is a different address now; last-seen and server clock moved too",
     VD, VS0, dict(VS1, pay_note=f"ETH / USDT (ERC-20): <code>{eth_address('vendor-eth-1')}</code>"))

case("vendor-wickr-handle", "handle", VD_URL, t_vendor, "changed",
     "the Wickr handle changed (nordic_docs -> nordic_docs2); last-seen and server clock moved too",
     VD, VS0, dict(VS1, contacts=["Wickr: nordic_docs2"] + VD_CONTACTS[1:]))

case("vendor-mirror-replaced", "onion-mirror", VD_URL, t_vendor, "changed",
     "the second mirror (text and link) is another onion address now; last-seen and server clock moved too",
     VD, VS0, dict(VS1, mirrors=[VD_HOST, onion("nordicdocs-m3")]))

case("vendor-renamed", "name", VD_URL, t_vendor, "changed",
     "the vendor name changed from NordicDocs to NordicPapers (title and heading); last-seen and clock moved too",
     VD, VS0, dict(VS1, vendor="NordicPapers"))

case("vendor-contact-email", "email", VD_URL, t_vendor, "changed",
     "the contact e-mail is another address now (onionmail.org -> dnmx.org); last-seen and clock moved too",
     VD, VS0, dict(VS1, contacts=[VD_CONTACTS[0], "Email: nordicdocs@dnmx.org", VD_CONTACTS[2]]))


# ------------------------------------------------------- review and output ---

class _Extract(HTMLParser):
    """Visible text (one line per block) and links, roughly as the crawler reads them,
    without any normalisation; `skip` is a list of '.class' / '#id' selectors."""

    HIDDEN = {"script", "style", "noscript", "template", "head"}
    BLOCKS = {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "footer", "form", "h1", "h2",
              "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td",
              "th", "title", "tr", "ul", "br"}
    LINKS = {"a": "href", "img": "src", "link": "href", "script": "src", "iframe": "src", "source": "src"}
    VOID = {"meta", "link", "img", "input", "br", "hr", "source"}

    def __init__(self, base, skip=()):
        super().__init__(convert_charrefs=True)
        self.base, self.skip = base, list(skip)
        self.lines, self.cur, self.links = [], "", set()
        self.stack = []  # (tag, hides, skipped)
        self.hidden = 0
        self.skipped = 0  # inside an ignore_selectors element: neither text nor links
        self.in_title = False

    def _flush(self):
        t = " ".join(self.cur.split())
        if t:
            self.lines.append(t)
        self.cur = ""

    def _skipped(self, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        return any((s.startswith(".") and s[1:] in classes) or (s.startswith("#") and a.get("id") == s[1:])
                   for s in self.skip)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.LINKS and a.get(self.LINKS[tag]) and not self.skipped and not self._skipped(attrs):
            self.links.add(urljoin(self.base, a[self.LINKS[tag]]))
        if tag == "title":
            self.in_title = True
            self._flush()
            return
        if tag in self.VOID:
            if tag == "br":
                self._flush()
            return
        skipped = self._skipped(attrs)
        hides = tag in self.HIDDEN or skipped
        self.stack.append((tag, hides, skipped))
        if hides:
            self.hidden += 1
        if skipped:
            self.skipped += 1
        elif tag in self.BLOCKS and not self.hidden:
            self._flush()

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
            self._flush()
            return
        if tag in self.VOID:
            return
        while self.stack:
            t, hides, skipped = self.stack.pop()
            if hides:
                self.hidden -= 1
            if skipped:
                self.skipped -= 1
            if t == tag:
                break
        if tag in self.BLOCKS and not self.hidden:
            self._flush()

    def handle_data(self, data):
        if self.in_title or not self.hidden:
            self.cur += data


def extract(c, html_text):
    seed = c.get("seed", {})
    p = _Extract(c["url"], seed.get("ignore_selectors", []))
    p.feed(html_text)
    p.close()
    p._flush()
    lines = p.lines
    for pat in seed.get("ignore_text", []):
        lines = [" ".join(re.sub(pat, "", ln).split()) for ln in lines]
    return [ln for ln in lines if ln], p.links


def review(c):
    (ta, la), (tb, lb) = extract(c, c["before"]), extract(c, c["after"])
    out = [f"== {c['name']} [{c['category']}] -> {c['expected']}"]
    out += [f"   - {x}" for x in ta if x not in tb]
    out += [f"   + {x}" for x in tb if x not in ta]
    out += [f"   - link {x}" for x in sorted(la - lb)]
    out += [f"   + link {x}" for x in sorted(lb - la)]
    return out


def validate(cases):
    problems = []
    names = Counter(c["name"] for c in cases)
    problems += [f"duplicate name {n}" for n, k in names.items() if k > 1]
    for c in cases:
        n = c["name"]
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", n):
            problems.append(f"{n}: not kebab-case")
        if c["expected"] not in ("cosmetic", "changed"):
            problems.append(f"{n}: bad label")
        if not re.fullmatch(r"http://[a-z0-9.-]+/\S*", c["url"]):
            problems.append(f"{n}: bad url")
        if c["before"] == c["after"]:
            problems.append(f"{n}: before == after")
        for side in ("before", "after"):
            h = c[side]
            lines = h.count("\n")
            if not 20 <= lines <= 150:
                problems.append(f"{n}: {side} has {lines} lines")
            for must in ("<!DOCTYPE html>", "<head>", "<title>", "<body", "<nav", "<footer", "<script", "<style",
                         'type="hidden"'):
                if must not in h:
                    problems.append(f"{n}: {side} lacks {must}")
        seed = c.get("seed")
        if seed:
            for pat in seed["ignore_text"]:
                re.compile(pat)
            for sel in seed["ignore_selectors"]:
                token = sel[1:]
                if f'class="{token}"' not in c["before"] and f'id="{token}"' not in c["before"] \
                        and f' {token}"' not in c["before"] and f'"{token} ' not in c["before"]:
                    problems.append(f"{n}: selector {sel} matches nothing")
        # A changed pair must differ in what is compared; a cosmetic one in something at least.
        (ta, la), (tb, lb) = extract(c, c["before"]), extract(c, c["after"])
        if c["expected"] == "changed" and ta == tb and la == lb:
            problems.append(f"{n}: labelled changed but text and links are equal")
        if not c.get("why") or "\n" in c["why"]:
            problems.append(f"{n}: why must be one line")
    return problems


def main():
    cases = CASES
    problems = validate(cases)
    text = json.dumps(cases, ensure_ascii=False, indent=1) + "\n"
    loaded = json.loads(text)
    assert loaded == cases
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    (HERE / "cases.json").write_text(text, encoding="utf-8")
    if "--review" in sys.argv:
        for c in cases:
            print("\n".join(review(c)))
    by = Counter((c["category"], c["expected"]) for c in cases)
    cats = sorted({c["category"] for c in cases})
    print(f"{len(cases)} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(c['expected'] for c in cases).items())))
    for cat in cats:
        print(f"  {cat:16} cosmetic {by[(cat, 'cosmetic')]:2}  changed {by[(cat, 'changed')]:2}")


if __name__ == "__main__":
    main()
