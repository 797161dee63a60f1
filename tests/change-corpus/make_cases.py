#!/usr/bin/env python3
"""Generate tests/change-corpus/cases.json, the labelled fixture for the change classifier.

    python3 tests/change-corpus/make_cases.py           # write cases.json, print counts
    python3 tests/change-corpus/make_cases.py --check   # also run the reference check

Standard library only; deterministic (every random choice comes from a random.Random
seeded with the case's name), so every run writes the same bytes.

Each case is two captures (before/after) of one page. Pages come from 19 templates
(market listing, market category, vendor profile, phpBB, vBulletin, SMF, escort ad,
Spanish ad board, news article, clearnet shop, mirror list, link directory, Russian shop,
Russian forum, German classifieds, French forum, Chinese shop, Japanese job board,
Monero-only market). A capture is a template rendered from the page's *content* and the
capture's *noise state* (clock, relative times, counters, session ids, CSRF tokens,
nonces, cache-busters, rotating class names, hidden inputs and script values).

- cosmetic: same content, the noise state differs in the kinds the case names (plus the
  hidden input / script / meta values, which rotate in every case), or a widget that the
  case's seed ignores changes;
- changed: the content differs by one real edit, and the noise differs too.

`--check` runs a small reference classifier (visible text as crawler/src/text.rs reads
it, links, a volatile-token normalizer, the seed's ignore_text / ignore_selectors) over
the corpus. It is a sanity check of the fixture, not the product: it shows that every
label is reachable by a reasonable normalizer and lists the cases it gets wrong.
"""

import copy
import hashlib
import html
import json
import random
import re
import sys
from base64 import b32encode
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

HERE = Path(__file__).resolve().parent


def rng_for(*parts):
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return random.Random(int(h[:16], 16))


def e(s):
    return html.escape(str(s), quote=False)


def ea(s):
    return html.escape(str(s), quote=True)


# --------------------------------------------------------------------------------------
# Realistic identifiers: v3 onions, bech32 BTC, Monero, ETH, PGP fingerprints.
# --------------------------------------------------------------------------------------

def onion_v3(r):
    pub = bytes(r.getrandbits(8) for _ in range(32))
    chk = hashlib.sha3_256(b".onion checksum" + pub + b"\x03").digest()[:2]
    return b32encode(pub + chk + b"\x03").decode().lower()


def site_onion(name):
    return onion_v3(rng_for("onion", name)) + ".onion"


BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((top >> i) & 1) else 0
    return chk


def _convertbits(data, frm, to):
    acc = bits = 0
    out = []
    for v in data:
        acc = (acc << frm) | v
        bits += frm
        while bits >= to:
            bits -= to
            out.append((acc >> bits) & ((1 << to) - 1))
    if bits:
        out.append((acc << (to - bits)) & ((1 << to) - 1))
    return out


def btc_bech32(r):
    prog = bytes(r.getrandbits(8) for _ in range(20))
    data = [0] + _convertbits(prog, 8, 5)
    hrp = "bc"
    hx = [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]
    pm = _polymod(hx + data + [0] * 6) ^ 1
    chk = [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in data + chk)


def _rol64(a, n):
    return ((a >> (64 - (n % 64))) + (a << (n % 64))) % (1 << 64)


def _keccak_f(lanes):
    R = 1
    for _ in range(24):
        C = [lanes[x][0] ^ lanes[x][1] ^ lanes[x][2] ^ lanes[x][3] ^ lanes[x][4] for x in range(5)]
        D = [C[(x + 4) % 5] ^ _rol64(C[(x + 1) % 5], 1) for x in range(5)]
        lanes = [[lanes[x][y] ^ D[x] for y in range(5)] for x in range(5)]
        x, y = 1, 0
        cur = lanes[x][y]
        for t in range(24):
            x, y = y, (2 * x + 3 * y) % 5
            cur, lanes[x][y] = lanes[x][y], _rol64(cur, (t + 1) * (t + 2) // 2)
        for y in range(5):
            T = [lanes[x][y] for x in range(5)]
            for x in range(5):
                lanes[x][y] = T[x] ^ ((~T[(x + 1) % 5]) & T[(x + 2) % 5])
        for j in range(7):
            R = ((R << 1) ^ ((R >> 7) * 0x71)) % 256
            if R & 2:
                lanes[0][0] ^= 1 << ((1 << j) - 1)
    return lanes


def keccak256(data, suffix=0x01):
    rate = 136
    state = bytearray(200)
    msg = bytearray(data) + bytes([suffix])
    while len(msg) % rate:
        msg.append(0)
    msg[-1] |= 0x80
    for off in range(0, len(msg), rate):
        for i in range(rate):
            state[i] ^= msg[off + i]
        lanes = [[int.from_bytes(state[8 * (x + 5 * y):8 * (x + 5 * y) + 8], "little") for y in range(5)] for x in range(5)]
        lanes = _keccak_f(lanes)
        for x in range(5):
            for y in range(5):
                state[8 * (x + 5 * y):8 * (x + 5 * y) + 8] = lanes[x][y].to_bytes(8, "little")
    return bytes(state[:32])


assert keccak256(b"abc", 0x06) == hashlib.sha3_256(b"abc").digest()  # the sponge is right

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _xmr_b58(data):
    sizes = {8: 11, 7: 10, 6: 9, 5: 7, 4: 6, 3: 5, 2: 3, 1: 2}
    out = ""
    for i in range(0, len(data), 8):
        block = data[i:i + 8]
        num = int.from_bytes(block, "big")
        s = ""
        while num:
            num, rem = divmod(num, 58)
            s = B58[rem] + s
        out += s.rjust(sizes[len(block)], "1")
    return out


def xmr_address(r):
    body = bytes([18]) + bytes(r.getrandbits(8) for _ in range(64))
    return _xmr_b58(body + keccak256(body)[:4])


def eth_address(r):
    return "0x" + "".join(r.choice("0123456789abcdef") for _ in range(40))


def pgp_fp(r):
    h = "".join(r.choice("0123456789ABCDEF") for _ in range(40))
    return " ".join(h[i:i + 4] for i in range(0, 40, 4))


def hexs(r, n, upper=False):
    s = "".join(r.choice("0123456789abcdef") for _ in range(n))
    return s.upper() if upper else s


def b64url(r, n):
    return "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(n))


def uuid4(r):
    h = hexs(r, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


# --------------------------------------------------------------------------------------
# Dates, relative times and numbers in several languages.
# --------------------------------------------------------------------------------------

EN_MON = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
EN_DAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
RU_MON = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
          "сентября", "октября", "ноября", "декабря"]
DE_MON = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
          "September", "Oktober", "November", "Dezember"]
FR_MON = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]
ES_MON = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre"]
JA_DAY = "月火水木金土日"

# Formats that show no time of day: a clock in one of these needs a recapture a day later.
DATE_ONLY = {"d_mon_y", "month_d_y", "weekday_month_d_y", "ymd", "osc", "ru_date", "cjk_date", "de_date", "fr_date"}


def ftime(t, fmt):
    d, m, Y = t.day, t.month, t.year
    H, M, S = t.hour, t.minute, t.second
    h12 = H % 12 or 12
    ap = "AM" if H < 12 else "PM"
    mon, mon3 = EN_MON[m - 1], EN_MON[m - 1][:3]
    day, day3 = EN_DAY[t.weekday()], EN_DAY[t.weekday()][:3]
    ms = t.microsecond // 1000
    f = {
        "iso_z": f"{Y}-{m:02d}-{d:02d}T{H:02d}:{M:02d}:{S:02d}Z",
        "iso_ms": f"{Y}-{m:02d}-{d:02d}T{H:02d}:{M:02d}:{S:02d}.{ms:03d}Z",
        "iso_space": f"{Y}-{m:02d}-{d:02d} {H:02d}:{M:02d}:{S:02d}",
        "iso_space_utc": f"{Y}-{m:02d}-{d:02d} {H:02d}:{M:02d} UTC",
        "rfc2822": f"{day3}, {d:02d} {mon3} {Y} {H:02d}:{M:02d}:{S:02d} GMT",
        "us12": f"{m:02d}/{d:02d}/{Y} {h12}:{M:02d} {ap}",
        "eu_dot": f"{d:02d}.{m:02d}.{Y} {H:02d}:{M:02d}",
        "d_mon_y": f"{d} {mon3} {Y}",
        "month_d_y": f"{mon} {d}, {Y}",
        "weekday_month_d_y": f"{day}, {mon} {d}, {Y}",
        "smf": f"{mon} {d:02d}, {Y}, {h12:02d}:{M:02d}:{S:02d} {ap}",
        "ymd": f"{Y}-{m:02d}-{d:02d}",
        "syslog": f"{mon3} {d} {H:02d}:{M:02d}:{S:02d}",
        "hm": f"{H:02d}:{M:02d}",
        "hms_utc": f"{H:02d}:{M:02d}:{S:02d} UTC",
        "unix": str(int(t.timestamp())),
        "unix_ms": str(int(t.timestamp()) * 1000 + ms),
        "phpbb": f"{day3} {mon3} {d:02d}, {Y} {h12}:{M:02d} {ap.lower()}",
        "vb_time": f"{h12:02d}:{M:02d} {ap}",
        "osc": f"{day} {d:02d} {mon}, {Y}",
        "ru": f"{d} {RU_MON[m - 1]} {Y} г. в {H:02d}:{M:02d}",
        "ru_date": f"{d} {RU_MON[m - 1]} {Y} г.",
        "de": f"{d}. {DE_MON[m - 1]} {Y}, {H:02d}:{M:02d} Uhr",
        "de_date": f"{d}. {DE_MON[m - 1]} {Y}",
        "fr": f"{d} {FR_MON[m - 1]} {Y} à {H:02d}:{M:02d}",
        "fr_date": f"{d} {FR_MON[m - 1]} {Y}",
        "es": f"{d} de {ES_MON[m - 1]} de {Y}, {H:02d}:{M:02d}",
        "cjk": f"{Y}年{m}月{d}日 {H:02d}:{M:02d}",
        "cjk_date": f"{Y}年{m}月{d}日",
        "ja_slash": f"{Y}/{m:02d}/{d:02d}({JA_DAY[t.weekday()]}) {H:02d}:{M:02d}:{S:02d}",
        "iso_off": (t.astimezone(timezone(timedelta(hours=1)))).strftime("%Y-%m-%dT%H:%M:%S+01:00"),
    }
    return f[fmt]


def ru_plural(n, one, few, many):
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def rel_text(mins, lang, style="long", now=None, at=None):
    h, d = mins // 60, mins // 1440
    if lang == "en" and style == "dayat":
        if at.date() == now.date():
            return f"Today at {at:%H:%M}"
        if at.date() == (now - timedelta(days=1)).date():
            return f"Yesterday at {at:%H:%M}"
        return f"{(now.date() - at.date()).days} days ago"
    if lang == "en" and style == "vb":
        if at.date() == now.date():
            return f"Today, {ftime(at, 'vb_time')}"
        if at.date() == (now - timedelta(days=1)).date():
            return f"Yesterday, {ftime(at, 'vb_time')}"
        return f"{(now.date() - at.date()).days} days ago"
    if lang == "en" and style == "compact":
        if mins < 1:
            return "just now"
        if mins < 60:
            return f"{mins} min ago"
        if mins < 1440:
            return f"{h}h ago"
        return f"{d}d ago"
    if lang == "en":
        if mins < 1:
            return "just now"
        if mins < 60:
            return "1 minute ago" if mins == 1 else f"{mins} minutes ago"
        if mins < 120:
            return "an hour ago"
        if mins < 1440:
            return f"{h} hours ago"
        if mins < 2880:
            return "yesterday"
        return f"{d} days ago"
    if lang == "de":
        if mins < 1:
            return "gerade eben"
        if mins < 60:
            return "vor 1 Minute" if mins == 1 else f"vor {mins} Minuten"
        if mins < 120:
            return "vor einer Stunde"
        if mins < 1440:
            return f"vor {h} Stunden"
        if mins < 2880:
            return "gestern"
        return f"vor {d} Tagen"
    if lang == "ru":
        if mins < 1:
            return "только что"
        if mins < 60:
            return f"{mins} {ru_plural(mins, 'минуту', 'минуты', 'минут')} назад"
        if mins < 120:
            return "час назад"
        if mins < 1440:
            return f"{h} {ru_plural(h, 'час', 'часа', 'часов')} назад"
        if mins < 2880:
            return "вчера"
        return f"{d} {ru_plural(d, 'день', 'дня', 'дней')} назад"
    if lang == "fr":
        if mins < 1:
            return "à l'instant"
        if mins < 60:
            return "il y a 1 minute" if mins == 1 else f"il y a {mins} minutes"
        if mins < 120:
            return "il y a une heure"
        if mins < 1440:
            return f"il y a {h} heures"
        if mins < 2880:
            return "hier"
        return f"il y a {d} jours"
    if lang == "es":
        if mins < 1:
            return "hace un momento"
        if mins < 60:
            return "hace 1 minuto" if mins == 1 else f"hace {mins} minutos"
        if mins < 120:
            return "hace una hora"
        if mins < 1440:
            return f"hace {h} horas"
        if mins < 2880:
            return "ayer"
        return f"hace {d} días"
    if lang == "zh":
        if mins < 1:
            return "刚刚"
        if mins < 60:
            return f"{mins}分钟前"
        if mins < 1440:
            return f"{h}小时前"
        return f"{d}天前"
    if lang == "ja":
        if mins < 1:
            return "たった今"
        if mins < 60:
            return f"{mins}分前"
        if mins < 1440:
            return f"{h}時間前"
        return f"{d}日前"
    raise ValueError(lang)


def num(v, lang="en"):
    s = f"{v:,}"
    if lang in ("de", "es"):
        return s.replace(",", ".")
    if lang in ("fr", "ru"):
        return s.replace(",", " ")
    return s


# --------------------------------------------------------------------------------------
# The noise state of one capture.
# --------------------------------------------------------------------------------------

SESSION_PARAM = {"sid": "sid", "phpsessid": "PHPSESSID", "session": "session", "oscsid": "osCsid"}
KINDS = ["clock", "relative", "counter", "csrf", "session", "nonce", "cache", "markup"]
KIND_CATEGORY = {"clock": "clock", "relative": "relative-time", "counter": "counter", "csrf": "csrf",
                 "session": "session-id", "nonce": "nonce", "cache": "cache-buster"}


class Noise:
    """What changes from one capture to the next without the page's content changing."""

    def __init__(self, r, t, show, lang, opts):
        self.r = r
        self.t = t                      # the server clock
        self.show = set(show)           # which kinds the page displays
        self.lang = lang
        self.o = opts                   # formats: clock, rel style, session/token/cache param
        self.rel_now = t
        self.rel = [r.choice([0, 2, 3, 5, 8]), r.randint(11, 55), r.randint(70, 400),
                    r.randint(1500, 5000), r.randint(6000, 20000)]
        self.rel_at = [self.rel_now - timedelta(minutes=m) for m in self.rel]
        self.views = r.randint(150, 25000)
        self.views2 = r.randint(40, 3000)
        self.online = r.randint(14, 420)
        self.visitors = r.randint(100, 3000)
        self.hits = r.randint(10000, 900000)
        self._split_online()
        self.queries = r.randint(9, 60)
        self.gen = r.randint(8, 900) / 1000
        self.mem = r.randint(200, 950) / 100
        self.regen_session()
        self.regen_tok()
        self.regen_nonce()
        self.regen_cache()
        self.regen_cls()
        self.regen_hidden()

    def _split_online(self):
        r = self.r
        self.members = r.randint(2, max(3, self.online // 4))
        self.hidden_users = r.randint(0, 2)
        self.guests = self.online - self.members - self.hidden_users

    def regen_session(self):
        r = self.r
        self.sid = hexs(r, 32)
        self.phpsess = "".join(r.choice("0123456789abcdefghijklmnopqrstuv") for _ in range(26))
        self.jsess = hexs(r, 32, upper=True)
        self.sess_uuid = uuid4(r)
        self.vbs = hexs(r, 32)
        self.oscsid = hexs(r, 32)

    def regen_tok(self):
        r = self.r
        self.tok = b64url(r, 40)
        self.tok_hex = hexs(r, 32)
        self.wpnonce = hexs(r, 10)

    def regen_nonce(self):
        r = self.r
        self.req_id = hexs(r, 20)
        self.ray = hexs(r, 16) + "-" + r.choice(["AMS", "FRA", "LHR", "CDG", "WAW", "IAD"])
        self.trace = hexs(r, 32)
        self.pow_nonce = hexs(r, 24)

    def regen_cache(self):
        r = self.r
        self.cb_unix = int(self.t.timestamp()) - r.randint(0, 86400)
        self.cb_ms = self.cb_unix * 1000 + r.randint(0, 999)
        self.cb_hash = hexs(r, 8)
        self.cb_rand = str(r.randint(100000000, 999999999))

    def regen_cls(self):
        self.cls = "".join(self.r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(5))

    def regen_hidden(self):
        r = self.r
        self.hid = b64url(r, 43)
        self.snonce = b64url(r, 22)
        self.hts = int(self.t.timestamp()) + r.randint(0, 3)
        self.hrid = hexs(r, 12)
        self.hms = r.randint(20, 900)

    def after(self, r, vary, delta, rel_delta):
        a = copy.copy(self)
        a.r = r
        a.show = set(self.show)
        if "clock" in vary:
            a.t = self.t + delta
        if "relative" in vary:
            a.rel_now = self.rel_now + timedelta(minutes=rel_delta)
            a.rel = [m + rel_delta for m in self.rel]
        if "counter" in vary:
            a.views = self.views + r.randint(3, 400)
            a.views2 = self.views2 + r.randint(1, 60)
            a.online = self.online + r.choice([-1, 1]) * r.randint(1, max(2, self.online // 3))
            a.visitors = self.visitors + r.randint(5, 300)
            a.hits = self.hits + r.randint(20, 5000)
            a._split_online()
            a.queries = self.queries + r.choice([-1, 1]) * r.randint(1, 8)
            a.gen = r.randint(8, 900) / 1000
            while a.gen == self.gen:
                a.gen = r.randint(8, 900) / 1000
            a.mem = round(self.mem + r.choice([-1, 1]) * r.randint(1, 60) / 100, 2)
        if "session" in vary:
            a.regen_session()
        if "csrf" in vary:
            a.regen_tok()
        if "nonce" in vary:
            a.regen_nonce()
        if "cache" in vary:
            a.regen_cache()
        if "markup" in vary:
            a.regen_cls()
        a.regen_hidden()
        return a

    # ---- rendering helpers used by the templates ----
    def clock(self, fmt=None):
        return ftime(self.t, fmt or self.o.get("clock", "iso_space"))

    def relt(self, i, lang=None, style=None):
        lang = lang or self.lang
        style = style or self.o.get("rel", "long")
        return rel_text(self.rel[i], lang, style, now=self.rel_now, at=self.rel_at[i])

    def num(self, v, lang=None):
        return num(v, lang or self.lang)

    def href(self, path, role="nav"):
        url = path
        amp = "&amp;"
        if role in ("nav", "action") and "session" in self.show:
            st = self.o.get("sess", "sid")
            base, _, q = url.partition("?")
            if st == "jsessionid":
                url = f"{base};jsessionid={self.jsess}" + (f"?{q}" if q else "")
            elif st == "vb":
                url = f"{base}?s={self.vbs}" + (f"{amp}{q}" if q else "")
            else:
                val = {"sid": self.sid, "phpsessid": self.phpsess, "session": self.sess_uuid,
                       "oscsid": self.oscsid}[st]
                url = url + ("&amp;" if "?" in url else "?") + f"{SESSION_PARAM[st]}={val}"
        if role == "action" and "csrf" in self.show:
            name = self.o.get("tok", "token")
            val = self.wpnonce if name == "_wpnonce" else (self.tok_hex if name in ("csrf", "nonce") else self.tok)
            url = url + ("&amp;" if "?" in url else "?") + f"{name}={val}"
        if role == "asset" and "cache" in self.show:
            name = self.o.get("cb", "v")
            val = {"v": self.cb_unix, "_": self.cb_ms, "ver": self.cb_hash, "cb": self.cb_rand}[name]
            url = url + ("&amp;" if "?" in url else "?") + f"{name}={val}"
        return url


def doc(lang, title, body, n, css, head_extra="", tail_js=""):
    """A full document; the head (but the title) and the scripts are invisible."""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="csrf-token" content="{n.hid}">
{head_extra}<style nonce="{n.snonce}">
{css.strip()}
.r-{n.cls} {{ display: block; }}
</style>
<script nonce="{n.snonce}">window.__boot = {{"ts": {n.hts}, "rid": "{n.hrid}", "csrf": "{n.hid[:16]}"}};</script>
</head>
<body class="r-{n.cls}">
{body.strip()}
<script nonce="{n.snonce}">
(function () {{
  var renderedMs = {n.hms};
  var started = {n.hts}000;{tail_js}
  document.documentElement.dataset.render = String(renderedMs);
}})();
</script>
</body>
</html>
"""


def hidden_input(n, name="csrf_token"):
    return f'<input type="hidden" name="{name}" value="{n.hid}">'


# --------------------------------------------------------------------------------------
# Content pools.
# --------------------------------------------------------------------------------------

MARKETS = ["Bramble Market", "Tortuga Bazaar", "Mandrake Market", "Cobalt Exchange"]
VENDORS = ["NordicDocsNL", "GhostPrints", "CardKingEU", "Frostbyte", "PaperTrail_UK", "OldTownSupply",
           "BlackOrchid", "EuroPrintz", "Kr0nos", "MoneroMike", "SilentCourier", "VelvetTrade",
           "TheForger", "GreyMatterLab", "BalticExpress", "Sundial"]
ITEMS = [
    ("Amazon gift card 100 EUR", "Gift cards", "Delivered as a code by message within 2 hours of payment."),
    ("Netflix Premium, 12 months", "Accounts", "Private account, not shared. Full warranty for 30 days."),
    ("EU driving licence template (PSD)", "Documents", "Layered file, 600 dpi, all fonts included."),
    ("UK utility bill template", "Documents", "Editable PDF, any name and address, matches 2026 layout."),
    ("Verified exchange account (KYC passed)", "Accounts", "Comes with e-mail access and recovery codes."),
    ("Scan: EU passport, custom name", "Documents", "High resolution scan with matching selfie on request."),
    ("Prepaid debit card, 500 USD loaded", "Cards", "Shipped in a plain envelope, PIN sent by message."),
    ("Spotify Family, lifetime", "Accounts", "Upgrade on your own account, no password change needed."),
    ("Bank drop account (DE)", "Accounts", "Online banking login, debit card shipped separately."),
    ("VPN + RDP bundle, 3 months", "Services", "Dedicated IP in NL, setup guide included."),
]
COUNTRIES = ["Netherlands", "Germany", "United Kingdom", "Poland", "Spain", "Czech Republic", "Worldwide"]
FIRST = ["Alina", "Maria", "Sofia", "Nika", "Vika", "Lena", "Daria", "Ioana", "Kristina", "Bianca", "Elena", "Mila"]
UK_CITIES = [("London", "Paddington"), ("Manchester", "City Centre"), ("Birmingham", "Digbeth"),
             ("Leeds", "Headingley"), ("Bristol", "Clifton"), ("Glasgow", "West End")]
TG = ["@docs_nord", "@ghostprint_support", "@cardking_eu", "@frost_byte_shop", "@papertrail_uk", "@oldtown_sup",
      "@orchid_black", "@europrintz", "@kronos_vendor", "@mike_xmr", "@silent_courier", "@velvet_trade"]


def uk_mobile(r):
    return f"07{r.randint(100, 999)} {r.randint(100000, 999999)}"


def one_digit(s, r, skip=3):
    """The same string with one digit (not among the first `skip` digits) changed."""
    idx = [i for i, ch in enumerate(s) if ch.isdigit()][skip:]
    i = r.choice(idx)
    d = s[i]
    nd = str((int(d) + r.choice([1, 2, 3, 7])) % 10)
    return s[:i] + nd + s[i + 1:]


def nav(n, items, cls="nav"):
    lis = "\n".join(f'    <li><a href="{n.href(href, role)}">{label}</a></li>' for label, href, role in items)
    return f'  <nav class="{cls}">\n   <ul>\n{lis}\n   </ul>\n  </nav>'


# ======================================================================================
# Templates. Each: render(c, n) -> html; content(r) -> default content dict.
# ======================================================================================

# ---- 1. market listing (en) ----------------------------------------------------------

def market_item_content(r):
    title, cat, blurb = r.choice(ITEMS)
    vendor = r.choice(VENDORS)
    usd = r.choice([45, 60, 85, 120, 150, 180, 240, 320])
    return dict(
        market=r.choice(MARKETS), id=r.randint(1200, 9800), title=title, category=cat,
        price=f"${usd}.00", price_stamp=False, equiv=None,
        stock=r.randint(3, 40), vendor=vendor, vendor_level=f"Level {r.randint(2, 7)}",
        vendor_sales=r.randint(40, 2400), ships_from=r.choice(COUNTRIES[:-1]), ships_to="Worldwide",
        escrow="Yes (2-of-3 multisig)", payment="BTC, XMR",
        tiers=None,
        desc=[blurb, "Read my profile terms before ordering. No refunds after the code has been revealed.",
              "Questions? Message me here; I answer within 12 hours, every day except Sunday."],
        mirror=site_onion("mirror-" + vendor), notice=None, ad=None, featured=None, ticker=None,
    )


def market_item(c, n):
    k = n.cls
    top = []
    if "clock" in n.show:
        top.append(f'<span class="t-{k}">Server time: {n.clock()}</span>')
    if "counter" in n.show:
        top.append(f"<span>Users online: {n.online}</span>")
    meta = [f"<li>Category: {e(c['category'])}</li>", f"<li>Listing #{c['id']}</li>"]
    if "counter" in n.show:
        meta.append(f"<li>Views: {n.num(n.views)}</li>")
    if "relative" in n.show:
        meta.append(f"<li>Last restocked {n.relt(1)}</li>")
    price = f'<span class="price-{k}">{e(c["price"])}</span>'
    if c["equiv"]:
        price += f' <span class="equiv">(≈ {c["equiv"]} BTC)</span>'
    if c["price_stamp"] and "clock" in n.show:
        price += f' <small>· updated {n.clock("hm")}</small>'
    stock = c["stock"]
    stock_html = f"In stock: {stock}" if isinstance(stock, int) else e(stock)
    tiers = c["tiers"]
    if tiers is None:  # derived from a dollar price: a discount for 5 and for 10
        usd = int(float(c["price"].lstrip("$")))
        tiers = [("1 pc", f"${usd}"), ("5 pcs", f"${usd * 5 - usd // 2}"), ("10 pcs", f"${usd * 9}")]
    tiers = "\n".join(f"      <tr><td>{q}</td><td>{p}</td></tr>" for q, p in tiers)
    desc = "\n".join(f"    <p>{e(p)}</p>" for p in c["desc"])
    side = []
    if c["featured"]:
        fv, fl = c["featured"]
        side.append(f'  <aside id="sidebar-random">\n   <h4>Featured vendor</h4>\n   <p><a href="{n.href("/vendor/" + fv)}">{fv}</a> — {e(fl)}</p>\n  </aside>')
    if c["ticker"]:
        side.append(f'  <div id="ticker">{c["ticker"]}</div>')
    if c["ad"]:
        side.append(f'  <div class="ad">\n   <a href="{c["ad"][1]}">{e(c["ad"][0])}</a>\n  </div>')
    notice = f'  <div class="notice">{e(c["notice"])}</div>\n' if c["notice"] else ""
    foot = [f'Official mirror: <a href="http://{c["mirror"]}/">{c["mirror"]}</a>']
    if "nonce" in n.show:
        foot.append(f"Request ID: {n.req_id}")
    if "counter" in n.show:
        foot.append(f"Page generated in {n.gen} s · Queries: {n.queries}")
    foot_html = "\n".join(f"   <p>{f}</p>" for f in foot)
    body = f"""
<header class="top-{k}">
  <div class="brand"><a href="{n.href('/')}">{c['market']}</a></div>
  <div class="status">{' | '.join(top)}</div>
{nav(n, [("Home", "/", "nav"), ("Categories", "/categories", "nav"), ("Vendors", "/vendors", "nav"),
         ("Orders", "/orders", "nav"), ("Messages", "/messages", "nav"), ("Wallet", "/wallet", "nav"),
         ("Log out", "/logout", "action")])}
</header>
<main class="wrap">
{notice}  <article class="listing">
   <h1>{e(c['title'])}</h1>
   <ul class="meta">
    {chr(10).join('    ' + m for m in meta).strip()}
   </ul>
   <div class="buybox">
    <p>Price: {price}</p>
    <p class="stock">{stock_html}</p>
    <p>Vendor: <a href="{n.href('/vendor/' + c['vendor'])}">{c['vendor']}</a> ({c['vendor_level']}, {c['vendor_sales']} sales)</p>
    <p>Ships from: {c['ships_from']} · Ships to: {e(c['ships_to'])}</p>
    <p>Escrow: {c['escrow']} · Accepts: {c['payment']}</p>
    <form method="post" action="/cart/add/{c['id']}">
     {hidden_input(n)}
     <label>Quantity <input type="number" name="qty" value="1" min="1"></label>
     <button type="submit">Add to cart</button>
    </form>
    <p><a href="{n.href('/cart/watch/' + str(c['id']), 'action')}">Watch this listing</a></p>
   </div>
   <h2>Quantity pricing</h2>
   <table class="tiers">
     <tr><th>Quantity</th><th>Price</th></tr>
{tiers}
   </table>
   <h2>Description</h2>
{desc}
   <p><a href="{n.href('/static/pgp/' + c['vendor'].lower() + '.asc', 'asset')}">Vendor PGP key</a></p>
  </article>
{chr(10).join(side)}
</main>
<footer>
{foot_html}
   <p>Never pay outside escrow. Staff will never ask for your password.</p>
</footer>
"""
    css = """
body { background: #111; color: #ddd; }
.listing h1 { font-size: 1.4em; }
.tiers td, .tiers th { padding: 2px 8px; }
.ad { border: 1px dashed #555; }
"""
    return doc("en", f"{e(c['title'])} — {c['market']}", body, n, css,
               head_extra=f'<link rel="stylesheet" href="/static/market.css?v={n.hts}">\n',
               tail_js=f"\n  var views = {n.views}; var online = {n.online};")


# ---- 2. market category (en) ---------------------------------------------------------

def market_category_content(r):
    cat = r.choice(["Documents", "Accounts", "Gift cards", "Cards"])
    rows = []
    used = set()
    for i in range(r.randint(6, 9)):
        title, _, _ = r.choice(ITEMS)
        while title in used:
            title, _, _ = r.choice(ITEMS)
        used.add(title)
        cur = r.choice(["$", "€"])
        rows.append(dict(id=r.randint(1000, 9999), title=title, vendor=r.choice(VENDORS),
                         price=f"{cur}{r.randint(15, 400)}", stock=r.randint(0, 60), rel=i % 5))
    return dict(market=r.choice(MARKETS), cat=cat, rows=rows, stats=None, featured=None)


def market_category(c, n):
    k = n.cls
    rel = "relative" in n.show
    head = "<th>Listing</th><th>Vendor</th><th>Price</th><th>Stock</th>" + ("<th>Added</th>" if rel else "") + "<th></th>"
    trs = []
    for row in c["rows"]:
        st = row["stock"]
        st_html = "Out of stock" if st == 0 else str(st)
        added = f"<td>{n.relt(row['rel'])}</td>" if rel else ""
        trs.append(f'    <tr class="row-{k}"><td><a href="{n.href("/listing/" + str(row["id"]))}">{e(row["title"])}</a></td>'
                   f'<td>{row["vendor"]}</td><td>{row["price"]}</td><td>{st_html}</td>{added}'
                   f'<td><a href="{n.href("/listing/" + str(row.get("view", row["id"])))}">View</a> · '
                   f'<a href="{n.href("/watch/" + str(row["id"]), "action")}">Watch</a></td></tr>')
    status = []
    if "clock" in n.show:
        status.append(f"Last refresh: {n.clock()}")
    if "counter" in n.show:
        status.append(f"Users online: {n.online}")
    extra = ""
    if c["featured"]:
        extra += '  <section id="featured">\n   <h3>Featured</h3>\n' + "\n".join(
            f'   <div class="card"><a href="{n.href("/listing/" + str(i))}">{e(t)}</a> <span>{p}</span></div>'
            for i, t, p in c["featured"]) + "\n  </section>\n"
    if c["stats"]:
        extra += f'  <div id="stats">{c["stats"]}</div>\n'
    foot = []
    if "nonce" in n.show:
        foot.append(f"<p>Request ID: {n.req_id}</p>")
    if "counter" in n.show:
        foot.append(f"<p>Queries: {n.queries} · {n.gen} s</p>")
    body = f"""
<div class="topbar">
  <a class="logo" href="{n.href('/')}">{c['market']}</a>
  <span class="right">{' · '.join(status)}</span>
</div>
{nav(n, [("Home", "/", "nav"), ("Documents", "/c/documents", "nav"), ("Accounts", "/c/accounts", "nav"),
         ("Gift cards", "/c/gift-cards", "nav"), ("Cards", "/c/cards", "nav"), ("Support", "/support", "nav"),
         ("Log out", "/logout", "action")], cls="cats")}
<div class="content">
{extra}  <h1>{c['cat']}</h1>
  <form class="filter" method="get" action="/search">
   {hidden_input(n, "_csrf")}
   <input type="text" name="q" placeholder="Search {c['cat'].lower()}">
   <select name="sort"><option>Newest</option><option>Price</option><option>Vendor rating</option></select>
   <button>Filter</button>
  </form>
  <table class="listings">
   <thead><tr>{head}</tr></thead>
   <tbody>
{chr(10).join(trs)}
   </tbody>
  </table>
  <p><a href="{n.href('/export/' + c['cat'].lower().replace(' ', '-') + '.csv', 'asset')}">Export this list (CSV)</a></p>
</div>
<footer class="foot">
  {' '.join(foot)}
  <p>{c['market']} · escrow only · read the rules before you trade</p>
</footer>
"""
    css = """
table.listings { width: 100%; border-collapse: collapse; }
table.listings td { border-bottom: 1px solid #333; }
#featured .card { display: inline-block; width: 30%; }
"""
    return doc("en", f"{c['cat']} — {c['market']}", body, n, css)


# ---- 3. vendor profile (en) ----------------------------------------------------------

def vendor_profile_content(r):
    vendor = r.choice(VENDORS)
    listings = []
    for _ in range(r.randint(3, 5)):
        t, _, _ = r.choice(ITEMS)
        if t not in [x[1] for x in listings]:
            listings.append((r.randint(1000, 9999), t, f"${r.randint(20, 400)}"))
    contacts = [("Telegram", r.choice(TG)),
                ("Wickr", vendor.lower().replace("_", "") + str(r.randint(10, 99))),
                ("Session", "05" + hexs(r, 64)),
                ("E-mail", vendor.lower().replace("_", ".") + "@" + r.choice(["protonmail.com", "cock.li", "tutanota.com"]))]
    return dict(market=r.choice(MARKETS), vendor=vendor, level=r.randint(2, 8), since=f"{r.choice(EN_MON)} {r.randint(2021, 2025)}",
                status="Active", about=["Fast and discreet since day one. All orders are handled personally.",
                                        "I do not answer messages that are not encrypted with my key."],
                contacts=contacts, pgp=pgp_fp(r), btc=btc_bech32(r), xmr=xmr_address(r),
                mirror=site_onion("shop-" + vendor), listings=listings, feedback=f"{r.randint(950, 999) / 10}%")


def vendor_profile(c, n):
    k = n.cls
    stats = [f"<li>Member since: {c['since']}</li>", f"<li>Level: {c['level']}</li>",
             f"<li>Positive feedback: {c['feedback']}</li>", f"<li>Status: {e(c['status'])}</li>"]
    if "relative" in n.show:
        stats.append(f"<li>Last seen: {n.relt(1)}</li>")
    if "counter" in n.show:
        stats.append(f"<li>Profile views: {n.num(n.views)}</li>")
    contacts = "\n".join(f"     <li>{lab}: <code>{e(v)}</code></li>" for lab, v in c["contacts"])
    lst = "\n".join(f'     <li><a href="{n.href("/listing/" + str(i))}">{e(t)}</a> — {p}</li>' for i, t, p in c["listings"])
    about = "\n".join(f"    <p>{e(p)}</p>" for p in c["about"])
    clock = f'<p class="clock">Today is {n.clock()}</p>' if "clock" in n.show else ""
    foot = f"<p>Request ID: {n.req_id}</p>" if "nonce" in n.show else ""
    body = f"""
<header>
  <h2><a href="{n.href('/')}">{c['market']}</a></h2>
  {clock}
{nav(n, [("Market", "/", "nav"), ("Vendors", "/vendors", "nav"), ("Forum", "/forum", "nav"), ("Log out", "/logout", "action")])}
</header>
<section class="profile p-{k}">
  <h1>{c['vendor']}</h1>
  <ul class="stats">
   {chr(10).join('   ' + s for s in stats).strip()}
  </ul>
  <div class="about">
{about}
  </div>
  <div class="contact">
   <h3>Contact</h3>
   <ul>
{contacts}
   </ul>
   <p><a href="{n.href('/messages/new?to=' + c['vendor'], 'action')}">Send message</a> · <a href="{n.href('/report/vendor/' + c['vendor'], 'action')}">Report vendor</a></p>
  </div>
  <div class="pgp">
   <h3>PGP</h3>
   <p>Fingerprint: <code>{c['pgp'].replace(' ', '') if c.get('pgp_compact') else c['pgp']}</code></p>
   <p><a href="{n.href('/static/pgp/' + c['vendor'].lower() + '.asc', 'asset')}">Download public key</a></p>
  </div>
  <div class="pay">
   <h3>Direct deals (trusted buyers only)</h3>
   <p>BTC: <code>{c['btc']}</code></p>
   <p>XMR: <code>{c['xmr']}</code></p>
   <p>My shop mirror: <a href="http://{c['mirror']}/">{c['mirror']}</a></p>
  </div>
  <div class="listings">
   <h3>Listings</h3>
   <ul>
{lst}
   </ul>
  </div>
  <form method="post" action="/vendor/{c['vendor']}/follow">{hidden_input(n)}<button>Follow</button></form>
</section>
<footer>
  {foot}
  <p>{c['market']} — vendor pages are not endorsements.</p>
</footer>
"""
    css = """
.profile ul.stats { list-style: none; columns: 2; }
code { font-size: 0.9em; word-break: break-all; }
"""
    return doc("en", f"{c['vendor']} — vendor profile — {c['market']}", body, n, css)


# ---- 4. Monero-only market listing (en) ----------------------------------------------

def xmr_item_content(r):
    title, cat, blurb = r.choice(ITEMS)
    return dict(market="Cobalt (XMR only)", id=hexs(r, 8), title=title, price=f"{r.randint(30, 400) / 100:.2f} XMR",
                available=r.randint(4, 30), vendor=r.choice(VENDORS), vstatus="Vendor in good standing",
                deposit=xmr_address(r), mirrors=[("Mirror 1", site_onion("cobalt-1")), ("Mirror 2", site_onion("cobalt-2"))],
                blurb=blurb, queue=None)


def xmr_item(c, n):
    k = n.cls
    dbg = []
    if "csrf" in n.show:
        dbg.append(f"form csrf: {n.tok_hex}")
    if "nonce" in n.show:
        dbg.append(f"Trace ID: {n.trace}")
    if "counter" in n.show:
        dbg.append(f"Queries: {n.queries}")
    upd = f"<dt>Rendered</dt><dd>{n.clock()}</dd>" if "clock" in n.show else ""
    queue = f'<p class="queue">{c["queue"]}</p>' if c["queue"] else ""
    mirrors = " · ".join(f'<a href="http://{o}/">{lab}</a>' for lab, o in c["mirrors"])
    body = f"""
<div id="hdr">
  <b>{c['market']}</b>
  <a href="{n.href('/')}">listings</a> <a href="{n.href('/account')}">account</a> <a href="{n.href('/logout', 'action')}">logout</a>
</div>
{queue}
<div class="item i-{k}">
  <h1>{e(c['title'])}</h1>
  <dl>
   <dt>Price</dt><dd>{c['price']}</dd>
   <dt>Available</dt><dd>{c['available']}</dd>
   <dt>Vendor</dt><dd><a href="{n.href('/v/' + c['vendor'])}">{c['vendor']}</a> ({e(c['vstatus'])})</dd>
   {upd}
  </dl>
  <p>{e(c['blurb'])}</p>
  <h3>Pay</h3>
  <p>Send the exact amount to your order's deposit address:</p>
  <pre>{c['deposit']}</pre>
  <form method="post" action="/order/{c['id']}">
   {hidden_input(n, "csrf")}
   <button>Place order</button>
  </form>
</div>
<div id="ftr">
  <p>Mirrors: {mirrors}</p>
  <p class="dbg">{' · '.join(dbg)}</p>
</div>
"""
    css = """
#hdr a { margin-left: 1em; }
pre { background: #222; padding: 4px; }
.dbg { color: #666; font-size: 0.8em; }
"""
    return doc("en", f"{e(c['title'])} | {c['market']}", body, n, css)


# ---- 5. mirror list (en) -------------------------------------------------------------

def mirror_status_content(r):
    m = r.choice(MARKETS)
    mirrors = [(f"Mirror {i + 1}", site_onion(f"{m}-{i}-{r.randint(0, 9)}")) for i in range(r.randint(4, 6))]
    return dict(market=m, mirrors=mirrors, note="Bookmark these. Anything else is phishing.", mstatus=None,
                canary=f"Canary: we have not received any warrant or gag order. Signed {r.randint(1, 28)} {r.choice(EN_MON[8:11])} 2026.")


def mirror_status(c, n):
    k = n.cls
    lis = "\n".join(f'   <li><span class="lab-{k}">{lab}</span> <a href="http://{o}/">{o}</a></li>' for lab, o in c["mirrors"])
    chk = f"<p>Last checked: {n.clock()}</p>" if "clock" in n.show else ""
    pow_ = f"<p>Challenge nonce: {n.pow_nonce}</p>" if "nonce" in n.show else ""
    ms = f'<p class="mstatus">{c["mstatus"]}</p>' if c["mstatus"] else ""
    body = f"""
<h1>{c['market']} — official mirrors</h1>
<p>{c['note']}</p>
{chk}
{ms}
<ol class="mirrors">
{lis}
</ol>
<p><a href="{n.href('/mirrors.txt', 'asset')}">mirrors.txt</a> · <a href="{n.href('/mirrors.txt.asc', 'asset')}">signature</a></p>
<pre class="canary">{c['canary']}</pre>
<form method="post" action="/verify">{hidden_input(n)}<input name="address"><button>Verify an address</button></form>
{pow_}
<p class="small">If a link here does not work, wait ten minutes: mirrors rotate under load.</p>
"""
    return doc("en", f"{c['market']} mirrors", body, n, "ol.mirrors li { font-family: monospace; }")


# ---- 6. onion link directory (en) ----------------------------------------------------

DIR_ENTRIES = [
    ("Markets", [("Bramble Market", "Escrow market, BTC and XMR"), ("Tortuga Bazaar", "Multisig, invite only"),
                 ("Cobalt Exchange", "XMR only, no JS")]),
    ("Forums", [("Harbor Talk", "General discussion, English"), ("Перекрёсток", "Русскоязычный форум"),
                ("Le Comptoir", "Forum francophone")]),
    ("Services", [("PasteBay", "Anonymous paste, 30 day expiry"), ("MailBox", "Onion e-mail with PGP"),
                  ("Mixer Notes", "Guides, no service")]),
]


def link_dir_content(r):
    secs = []
    for name, entries in DIR_ENTRIES:
        secs.append([name, [[t, site_onion("dir-" + t), d, "", i] for i, (t, d) in enumerate(entries)]])
    return dict(title="Onion Links Index", secs=secs, mstatus=None, pick=None)


def link_dir(c, n):
    k = n.cls
    out = []
    for name, entries in c["secs"]:
        out.append(f'  <h2 id="{name.lower()}">{name}</h2>\n  <ul class="l-{k}">')
        for t, o, d, flag, ri in entries:
            chk = f' <small>checked {n.relt(ri % 5, style="compact")}</small>' if "relative" in n.show else ""
            fl = f' <b class="flag">{e(flag)}</b>' if flag else ""
            out.append(f'   <li><a href="http://{o}/">{e(t)}</a> — {e(d)}<br><code>{o}</code>{fl}{chk}</li>')
        out.append("  </ul>")
    top = []
    if "counter" in n.show:
        top.append(f"Hits: {n.num(n.hits)}")
    if "clock" in n.show:
        top.append(f"snapshot ts={n.clock(n.o.get('clock', 'unix'))}")
    ms = f'  <p class="mstatus">{c["mstatus"]}</p>\n' if c["mstatus"] else ""
    pick = f'  <div id="random-pick">Random pick: {c["pick"]}</div>\n' if c["pick"] else ""
    body = f"""
<header>
  <h1>{c['title']}</h1>
  <p>Curated, checked daily. Sites marked SCAM took money and ran.</p>
  <p class="meta">{' · '.join(top)}</p>
</header>
{ms}{pick}<main>
{chr(10).join(out)}
</main>
<footer>
  <p><a href="{n.href('/links.txt', 'asset')}">Plain text list</a> · <a href="{n.href('/submit')}">Submit a site</a></p>
  <form method="post" action="/report">{hidden_input(n)}<input name="url"><button>Report dead link</button></form>
</footer>
"""
    return doc("en", c["title"], body, n, "code { color: #8a8; } .flag { color: red; }")


# ---- 7. phpBB thread (en) ------------------------------------------------------------

def phpbb_content(r):
    city = r.choice(["Warsaw", "Vienna", "Milan", "Rotterdam", "Lisbon"])
    posts = [
        ("northwind", "Member", "Mon Nov 30, 2026 9:14 pm",
         [f"Anyone know the agency that recruits for hotel work in {city}? They offered my cousin a job, flights paid, "
          "passport kept 'for the visa'. Sounds off to me.",
          "They said she starts next week and the debt for the flight comes off her wages."]),
        ("m_kowal", "Regular", "Mon Nov 30, 2026 10:02 pm",
         ["Same people posted in the jobs section last month. Their contact was on Telegram only, no office address.",
          f"I would tell her to meet them in {city} in a public place and keep her own documents."]),
        ("quietbird", "Moderator", "Tue Dec 01, 2026 8:40 am",
         ["Please do not post full names here. Use the report button and we will forward it."]),
    ]
    return dict(board="Harbor Talk", forum="Work abroad › Europe", topic=f"Hotel jobs in {city} — legit?",
                topic_id=r.randint(2000, 9000), posts=posts, locked=False, quote=None, shout=None, city=city)


def phpbb(c, n):
    k = n.cls
    h = n.href
    posts = []
    for i, (au, rank, when, paras, *rest) in enumerate(c["posts"]):
        body = "\n".join(f"      <p>{e(p)}</p>" for p in paras)
        posts.append(f"""   <div class="post bg{i % 2 + 1}" id="p{1000 + i}">
    <dl class="postprofile"><dt><a href="{h('./memberlist.php?mode=viewprofile&amp;un=' + au)}">{au}</a></dt><dd>{rank}</dd></dl>
    <div class="postbody">
     <h3><a href="#p{1000 + i}">Re: {e(c['topic'])}</a></h3>
     <p class="author">by <strong>{au}</strong> » {when}</p>
     <div class="content">
{body}
     </div>
    </div>
   </div>""")
    online = ""
    if "counter" in n.show:
        online = (f'  <div class="stat-block online-list">\n   <h3>Who is online</h3>\n'
                  f"   <p>In total there are <strong>{n.online}</strong> users online :: {n.members} registered, "
                  f"{n.hidden_users} hidden and {n.guests} guests (based on users active over the past 5 minutes)</p>\n  </div>")
    clock = f'<p class="right">It is currently {n.clock("phpbb")}</p>' if "clock" in n.show else ""
    similar = ""
    if "relative" in n.show:
        similar = ("  <div class=\"similar\">\n   <h3>Similar topics</h3>\n   <ul>\n"
                   f"    <li><a href=\"{h('./viewtopic.php?t=' + str(c['topic_id'] - 17))}\">Cleaning jobs Oslo, free flat</a> — last post {n.relt(1, style='long')}</li>\n"
                   f"    <li><a href=\"{h('./viewtopic.php?t=' + str(c['topic_id'] - 40))}\">Agency took passport, what now</a> — last post {n.relt(3, style='long')}</li>\n"
                   "   </ul>\n  </div>")
    locked = ('  <p class="locked">This topic is locked, you cannot edit posts or make further replies.</p>\n'
              if c["locked"] else "")
    quote = f'  <div id="random-quote">{e(c["quote"])}</div>\n' if c["quote"] else ""
    shout = ""
    if c["shout"]:
        shout = '  <div class="shoutbox">\n' + "\n".join(f"   <p><b>{a}</b>: {e(m)}</p>" for a, m in c["shout"]) + "\n  </div>\n"
    dbg = f'<p class="copyright">Time: {n.gen}s | Queries: {n.queries} | Peak Memory Usage: {n.mem} MiB</p>' if "counter" in n.show else ""
    body = f"""
<div id="wrap" class="w-{k}">
 <div class="headerbar">
  <h1><a href="{h('./index.php')}">{c['board']}</a></h1>
  <p>Talk about work, travel and staying safe abroad</p>
 </div>
 <div class="navbar">
  <ul class="linklist">
   <li><a href="{h('./faq.php')}">FAQ</a></li>
   <li><a href="{h('./search.php')}">Search</a></li>
   <li><a href="{h('./ucp.php?mode=logout', 'action')}">Logout [ guest_4412 ]</a></li>
   <li><a href="{h('./index.php?mark=forums', 'action')}">Mark forums read</a></li>
  </ul>
  {clock}
 </div>
 <div id="page-body">
  <p class="breadcrumbs"><a href="{h('./index.php')}">Board index</a> » {e(c['forum'])}</p>
  <h2 class="topic-title"><a href="{h('./viewtopic.php?t=' + str(c['topic_id']))}">{e(c['topic'])}</a></h2>
{locked}{quote}{shout}  <div class="posts">
{chr(10).join(posts)}
  </div>
  <form method="post" action="./posting.php?mode=reply&amp;t={c['topic_id']}">
   {hidden_input(n, "form_token")}
   <input type="hidden" name="creation_time" value="{n.hts}">
   <textarea name="message"></textarea><button>Quick reply</button>
  </form>
{similar}
{online}
 </div>
 <div id="page-footer">
  <p>Powered by phpBB® Forum Software © phpBB Limited</p>
  {dbg}
 </div>
</div>
"""
    return doc("en-gb", f"{e(c['topic'])} - {c['board']}", body, n,
               ".post { border-bottom: 1px solid #ccc; } .bg1 { background: #eef; } .bg2 { background: #e1ebf2; }")


# ---- 8. vBulletin forum home (en) ----------------------------------------------------

def vb_content(r):
    forums = [(2, "Announcements", "Rules and news from the staff", 48, 311, "Rules update: no personal data", "admin"),
              (5, "Jobs & Travel", "Offers, warnings, experiences", 1204, 9930, "Bar work in Cyprus, anyone?", "lena_k"),
              (7, "Visas & Documents", "Paperwork questions", 733, 5102, "Schengen overstay — what happens", "dimitri77"),
              (9, "Marketplace", "Buy, sell, trade (no drugs)", 2210, 14022, "Selling: phone unlocked", "trader_joe"),
              (12, "Off topic", "Everything else", 3180, 40211, "What are you listening to", "sadie")]
    return dict(board="ExpatLounge Forums", forums=forums, online_list=None,
                announce="Reminder: recruitment posts must name the employer. Posts without one are removed.")


def vb(c, n):
    h = n.href
    rows = []
    for i, (fid, name, desc, threads, posts, last, by) in enumerate(c["forums"]):
        when = f"<br>{n.relt(i % 5, style='vb')}" if "relative" in n.show else ""
        rows.append(f"""  <tr>
   <td class="alt1"><a href="{h('forumdisplay.php?f=' + str(fid))}"><strong>{name}</strong></a><div class="smallfont">{desc}</div></td>
   <td class="alt2 smallfont"><a href="{h('showthread.php?t=' + str(fid * 1000 + 17) + '&amp;goto=newpost')}">{e(last)}</a><br>by {by}{when}</td>
   <td class="alt1">{num(threads)}</td><td class="alt2">{num(posts)}</td>
  </tr>""")
    active = ""
    if "counter" in n.show:
        active = (f"  <div class=\"whosonline\">Currently Active Users: {n.online} ({n.members} members and {n.guests + n.hidden_users} guests)</div>\n"
                  "  <div class=\"smallfont\">Most users ever online was 1,812, 11-03-2025 at 05:12 PM.</div>\n")
    if c["online_list"]:
        active += f'  <div id="online-list" class="smallfont">{", ".join(c["online_list"])}</div>\n'
    tnow = f"<div class=\"smallfont\" align=\"center\">All times are GMT +1. The time now is {n.clock('vb_time')}.</div>" if "clock" in n.show else ""
    body = f"""
<table class="tborder" width="100%">
 <tr><td class="alt1"><a href="{h('index.php')}"><img src="images/misc/logo.gif" alt="{c['board']}"></a></td>
     <td class="alt2 smallfont">Welcome, guest. <a href="{h('register.php')}">Register</a> | <a href="{h('login.php')}">Log in</a></td></tr>
</table>
<table class="tborder navbar">
 <tr>
  <td><a href="{h('usercp.php')}">User CP</a></td><td><a href="{h('faq.php')}">FAQ</a></td>
  <td><a href="{h('memberlist.php')}">Members List</a></td><td><a href="{h('calendar.php')}">Calendar</a></td>
  <td><a href="{h('search.php?do=getnew')}">New Posts</a></td>
 </tr>
</table>
<div class="announce"><b>Announcement:</b> {e(c['announce'])}</div>
<table class="tborder forums" width="100%">
 <thead><tr><th>Forum</th><th>Last Post</th><th>Threads</th><th>Posts</th></tr></thead>
 <tbody>
{chr(10).join(rows)}
 </tbody>
</table>
<div class="wgo">
  <h3>What's Going On?</h3>
{active}  <div class="smallfont">Threads: 7,375, Posts: 69,576, Members: 12,004</div>
</div>
<form action="{h('search.php?do=process')}" method="post">
 <input type="hidden" name="securitytoken" value="{n.hts}-{n.hid[:40]}">
 <input type="text" name="query"><input type="submit" value="Search">
</form>
{tnow}
<div class="smallfont" align="center">Powered by vBulletin® Version 3.8.11<br>Copyright ©2000 - 2026, vBulletin Solutions Inc.</div>
"""
    return doc("en", c["board"], body, n, "td.alt1 { background: #f5f5ff; } td.alt2 { background: #e1e4f2; }")


# ---- 9. SMF thread (en) --------------------------------------------------------------

def smf_content(r):
    posts = [("Brannock", "November 30, 2026, 09:14:22 PM",
              ["Got an offer for modelling work in Dubai through a guy on Instagram. He wants a copy of my passport before the contract.",
               "Pay is supposed to be 3,000 USD a month plus apartment."]),
             ("safe_travels", "November 30, 2026, 11:48:05 PM",
              ["Do not send the passport copy. Ask for the company name and check it with the consulate first.",
               "Real agencies give you a contract in your own language before anything else."]),
             ("Brannock", "December 01, 2026, 08:02:51 AM",
              ["Thanks. He stopped answering when I asked for the company name."])]
    return dict(forum="TravelSafe Community", board="Scams and warnings", topic="Modelling job in Dubai, passport copy first?",
                topic_id=r.randint(3000, 9000), posts=posts)


def smf(c, n):
    k = n.cls
    sess = "session" in n.show

    def L(q):  # SMF puts PHPSESSID first and separates with semicolons
        return f"index.php?PHPSESSID={n.phpsess};{q}" if sess else f"index.php?{q}"
    posts = []
    for i, (au, when, paras) in enumerate(c["posts"]):
        body = "<br><br>".join(e(p) for p in paras)
        posts.append(f"""  <div class="windowbg{'2' if i % 2 else ''}">
   <div class="poster"><h4><a href="{L('action=profile;u=' + str(100 + i))}">{au}</a></h4></div>
   <div class="postarea">
    <div class="keyinfo"><h5><a href="{L('topic=' + str(c['topic_id']) + '.msg' + str(5000 + i) + '#msg' + str(5000 + i))}">Re: {e(c['topic'])}</a></h5>
     <div class="smalltext">« {'Reply #' + str(i) + ' ' if i else ''}on: {when} »</div></div>
    <div class="post"><div class="inner">{body}</div></div>
   </div>
  </div>""")
    hdr = f'<span class="smalltext">{n.clock("smf")}</span>' if "clock" in n.show else ""
    read = f"(Read {n.views2} times)" if "counter" in n.show else ""
    created = f'<span class="smalltext">Page created in {n.gen} seconds with {n.queries} queries.</span>' if "counter" in n.show else ""
    body = f"""
<div id="header" class="h-{k}">
 <h1 class="forumtitle"><a href="{L('')[:-1] if not sess else L('')}">{c['forum']}</a></h1>
 {hdr}
</div>
<div id="main_menu">
 <ul>
  <li><a href="{L('action=home')}">Home</a></li>
  <li><a href="{L('action=help')}">Help</a></li>
  <li><a href="{L('action=search')}">Search</a></li>
  <li><a href="{L('action=login')}">Login</a></li>
  <li><a href="{L('action=register')}">Register</a></li>
 </ul>
</div>
<div class="navigate_section"><a href="{L('board=4.0')}">{c['board']}</a> » {e(c['topic'])}</div>
<div id="forumposts">
 <div class="cat_bar"><h3>Topic: {e(c['topic'])} {read}</h3></div>
 <form action="{L('action=quickmod2;topic=' + str(c['topic_id']) + '.0')}" method="post">
  <input type="hidden" name="sc" value="{n.hid[:32]}">
{chr(10).join(posts)}
 </form>
</div>
<div id="footer_section">
 <ul class="reset"><li class="copyright"><a href="https://www.simplemachines.org">SMF 2.0.19</a> | SMF © 2026, Simple Machines</li></ul>
 {created}
</div>
"""
    return doc("en", e(c["topic"]), body, n, ".windowbg { background: #ecedf3; } .windowbg2 { background: #f6f6f6; }")


# ---- 10. escort ad (en) --------------------------------------------------------------

def escort_ad_content(r):
    city, area = r.choice(UK_CITIES)
    name = r.choice(FIRST)
    return dict(site="VelvetBoard", ad_id=r.randint(100000, 999999), name=name, age=r.randint(20, 27),
                city=city, area=area, nationality=r.choice(["Romanian", "Ukrainian", "Brazilian", "Polish", "Thai"]),
                phone=uk_mobile(r), email=None, whatsapp=True,
                rates=[("30 min", f"£{r.choice([80, 90, 100])}"), ("1 hour", f"£{r.choice([150, 160, 180])}"),
                       ("Overnight", f"£{r.choice([700, 800, 900])}")],
                langs="English (basic), Russian", available="Available today",
                about=[f"Hi, I am {name}, new in {city} this week.", "Outcall only. Text first, no withheld numbers.",
                       "Booking through my manager, same number."])


def escort_ad(c, n):
    k = n.cls
    meta = [f"Ad #{c['ad_id']}"]
    if "relative" in n.show:
        meta.append(f"Posted {n.relt(2)}")
        meta.append(f"Last active {n.relt(0)}")
    if "counter" in n.show:
        meta.append(f"Ad views: {n.num(n.views)}")
    rates = "\n".join(f"     <tr><td>{d}</td><td>{p}</td></tr>" for d, p in c["rates"])
    about = "\n".join(f"    <p>{e(p)}</p>" for p in c["about"])
    contact = [f'<li>Phone: <a href="tel:{c["phone"].replace(" ", "")}">{c["phone"]}</a>{" (WhatsApp)" if c["whatsapp"] else ""}</li>']
    if c["email"]:
        contact.append(f"<li>E-mail: {e(c['email'])}</li>")
    foot = []
    if "clock" in n.show:
        foot.append(f"Last refreshed: {n.clock('eu_dot')}")
    if "nonce" in n.show:
        foot.append(f"Request ID: {n.req_id}")
    body = f"""
<header class="site">
  <a class="logo" href="{n.href('/')}">{c['site']}</a>
{nav(n, [("Escorts", "/escorts", "nav"), ("Massage", "/massage", "nav"), ("Post an ad", "/post", "nav"), ("Sign in", "/login", "nav")])}
</header>
<div class="crumbs"><a href="{n.href('/escorts')}">Escorts</a> › <a href="{n.href('/escorts/' + c['city'].lower())}">{c['city']}</a> › {c['name']}</div>
<article class="ad a-{k}">
  <h1>{c['name']}, {c['age']} — {c['city']}</h1>
  <p class="meta">{' · '.join(meta)}</p>
  <p class="avail">{e(c['available'])}</p>
  <table class="facts">
   <tr><th>Age</th><td>{c['age']}</td></tr>
   <tr><th>City</th><td>{c['city']}</td></tr>
   <tr><th>Area</th><td>{c['area']}</td></tr>
   <tr><th>Nationality</th><td>{c['nationality']}</td></tr>
   <tr><th>Languages</th><td>{c['langs']}</td></tr>
  </table>
  <h2>Rates</h2>
  <table class="rates">
{rates}
  </table>
  <h2>About</h2>
{about}
  <h2>Contact</h2>
  <ul>
   {chr(10).join('   ' + x for x in contact).strip()}
  </ul>
  <p><a href="{n.href('/report/' + str(c['ad_id']), 'action')}">Report this ad</a></p>
  <form method="post" action="/favourite/{c['ad_id']}">{hidden_input(n, "_token")}<button>Save</button></form>
</article>
<footer>
  <p>All advertisers confirmed they are over 18. {c['site']} is an advertising platform only.</p>
  <p class="small">{' · '.join(foot)}</p>
</footer>
"""
    return doc("en-GB", f"{c['name']}, {c['age']}, {c['city']} | {c['site']}", body, n,
               ".facts th { text-align: left; } .avail { color: green; }")


# ---- 11. Spanish ad board list (es) --------------------------------------------------

ES_CITIES = ["Madrid", "Barcelona", "Valencia", "Sevilla", "Málaga", "Bilbao", "Zaragoza"]


def es_list_content(r):
    ads = []
    names = r.sample(["Carla", "Lucía", "Valentina", "Camila", "Daniela", "Paula", "Andrea", "Yulia"], 5)
    for i, nm in enumerate(names):
        ads.append(dict(id=r.randint(40000, 99999), name=nm, edad=r.randint(20, 29), ciudad=r.choice(ES_CITIES),
                        tel=f"6{r.randint(10, 99)} {r.randint(100, 999)} {r.randint(100, 999)}",
                        tarifa=f"{r.choice([60, 80, 100, 120])} €/h", texto=r.choice([
                            "Recién llegada, discreta y simpática.", "Solo citas con cita previa.",
                            "Piso propio, zona centro.", "Atiendo hoteles y domicilios.", "Chica nueva, muy educada."]),
                        rel=i % 5))
    return dict(site="Tablón Rojo", region="Anuncios de contactos", ads=ads, vip=None)


def es_list(c, n):
    k = n.cls
    cards = []
    for a in c["ads"]:
        when = f'<span class="when">{n.relt(a["rel"], "es")}</span>' if "relative" in n.show else ""
        cards.append(f"""  <div class="anuncio c-{k}">
   <h3><a href="{n.href('/anuncio/' + str(a.get('link', a['id'])))}">{a['name']}, {a['edad']} años</a></h3>
   <p>{e(a['texto'])}</p>
   <ul><li>Edad: {a['edad']} años</li><li>Ciudad: {a['ciudad']}</li><li>Tarifa: {a['tarifa']}</li><li>Tel: {a['tel']}</li></ul>
   {when}
  </div>""")
    top = []
    if "counter" in n.show:
        top.append(f"Visitas: {n.num(n.visitors, 'es')}")
    if "clock" in n.show:
        top.append(f"Hora del servidor: {n.clock(n.o.get('clock', 'hm'))}")
    vip = ""
    if c["vip"]:
        vip = '  <div class="vip-carousel">\n' + "\n".join(
            f'   <a href="{n.href("/anuncio/" + str(i))}">VIP: {e(t)}</a>' for i, t in c["vip"]) + "\n  </div>\n"
    rid = f"<p>Request-ID: {n.req_id}</p>" if "nonce" in n.show else ""
    body = f"""
<header>
  <a href="{n.href('/')}" class="logo">{c['site']}</a>
  <span class="stats">{' · '.join(top)}</span>
{nav(n, [("Inicio", "/", "nav"), ("Publicar anuncio", "/publicar", "nav"), ("Mi cuenta", "/cuenta", "nav"), ("Salir", "/salir", "action")])}
</header>
<main>
  <h1>{c['region']}</h1>
{vip}  <form method="get" action="/buscar">{hidden_input(n, "_token")}<select name="ciudad"><option>Todas</option>{''.join('<option>' + x + '</option>' for x in ES_CITIES)}</select><button>Buscar</button></form>
{chr(10).join(cards)}
</main>
<footer>
  <p>Todos los anunciantes declaran ser mayores de edad.</p>
  {rid}
</footer>
"""
    return doc("es", f"{c['region']} — {c['site']}", body, n, ".anuncio { border: 1px solid #c33; margin: 6px; }")


# ---- 12. news article (en) -----------------------------------------------------------

def news_content(r):
    return dict(outlet="The Northern Ledger", section="Crime",
                headline="Police break up recruitment ring that moved workers through fake agencies",
                byline="By Anna K. Møller", pubdate="November 28, 2026",
                paras=["Police in three countries arrested four people on Thursday who are suspected of running a network "
                       "of fake employment agencies that recruited workers for farms and hotels.",
                       "Investigators say the group advertised on social media and on an onion forum, promised free housing, "
                       "and then charged each worker a debt of several thousand euros for travel and papers.",
                       "Prosecutors said at least 41 people were identified as victims so far. The agencies used "
                       "the names Nordlys Staffing and Baltic Crew Solutions.",
                       "A hearing is scheduled for next month. The suspects have not commented."],
                source=("the prosecutor's statement", "https://prosecutor.example.gov/press/2026/ring-statement"),
                tags=["trafficking", "labour", "Europe"], trending=None, weather=None, ad=None)


def news(c, n):
    k = n.cls
    dateline = ""
    if "clock" in n.show:
        f = n.o.get("clock", "weekday_month_d_y")
        dateline = f'<div class="dateline">{n.clock(f)}</div>' if f != "us12" else f'<div class="dateline">Page generated {n.clock(f)}</div>'
    views = f"<span>{n.num(n.views)} views</span>" if "counter" in n.show else ""
    paras = "\n".join(f"   <p>{e(p)}</p>" for p in c["paras"])
    side = ""
    if c["trending"]:
        side += '  <div class="trending">\n   <h4>Trending</h4>\n   <ol>\n' + "\n".join(
            f'    <li><a href="/news/{s}">{e(t)}</a></li>' for s, t in c["trending"]) + "\n   </ol>\n  </div>\n"
    if c["weather"]:
        side += f'  <div class="weather">{c["weather"]}</div>\n'
    if c["ad"]:
        side += f'  <div class="ad">{e(c["ad"])}</div>\n'
    foot = []
    if "counter" in n.show:
        foot.append(f"Generated in {n.gen} seconds")
    if "nonce" in n.show:
        foot.append(f"Ray ID: {n.ray}")
    tags = ", ".join(f'<a href="/tag/{t.lower()}">{t}</a>' for t in c["tags"])
    body = f"""
<div class="masthead m-{k}">
  <a href="/">{c['outlet']}</a>
  {dateline}
</div>
<nav class="sections">
  <a href="/world">World</a> <a href="/politics">Politics</a> <a href="/crime">Crime</a> <a href="/business">Business</a>
  <a href="{n.href('/wp-login.php?action=logout', 'action')}">Log out</a>
</nav>
<div class="layout">
 <article>
   <p class="kicker">{c['section']}</p>
   <h1>{e(c['headline'])}</h1>
   <p class="byline">{c['byline']} · {c['pubdate']} {views}</p>
{paras}
   <p>Read <a href="{c['source'][1]}">{e(c['source'][0])}</a>.</p>
   <p class="tags">Tags: {tags}</p>
   <p><a href="{n.href('/print/ring-article.pdf', 'asset')}">Download as PDF</a> · <a href="{n.href('/feed/crime.xml', 'asset')}">RSS</a></p>
   <form method="post" action="/comments">{hidden_input(n, "_wpnonce")}<textarea name="c"></textarea><button>Comment</button></form>
 </article>
 <aside>
{side}  <div class="newsletter">Get the morning briefing by e-mail.</div>
 </aside>
</div>
<footer>
  <p>© {c['outlet']}. All rights reserved.</p>
  <p class="small">{' · '.join(foot)}</p>
</footer>
"""
    head = f'<link rel="stylesheet" href="/wp-content/themes/ledger/style.css?ver={n.cb_hash}">\n'
    return doc("en", f"{e(c['headline'])} | {c['outlet']}", body, n, ".layout { display: flex; } aside { width: 30%; }",
               head_extra=head)


# ---- 13. clearnet shop product (en) --------------------------------------------------

def shop_content(r):
    p = r.choice([("USB-C charger 65 W GaN", 39.99), ("Refurbished phone, unlocked, 128 GB", 189.0),
                   ("Prepaid SIM, 30 days, no registration", 14.5), ("Burner phone bundle (2 units)", 59.99)])
    return dict(shop="Voltline Electronics", sku=f"VL-{r.randint(10000, 99999)}", name=p[0], price=f"${p[1]:.2f}",
                was=None, stock="In stock", img_id=r.randint(100, 999),
                desc=["Ships within one business day from our warehouse.", "30-day returns, original packaging required."],
                recs=None)


def shop(c, n):
    k = n.cls
    hdr = f'<div class="date">{n.clock("osc")}</div>' if "clock" in n.show else ""
    vis = []
    if "counter" in n.show:
        vis.append(f"Visitors today: {n.visitors}")
        vis.append(f"This product: {n.views2} views")
    price = f'<span class="price">{c["price"]}</span>'
    if c["was"]:
        price = f'<s>{c["was"]}</s> ' + price
    desc = "\n".join(f"   <p>{e(p)}</p>" for p in c["desc"])
    recs = ""
    if c["recs"]:
        recs = '<div class="recs">\n  <h3>Customers also bought</h3>\n' + "\n".join(
            f'  <a href="{n.href("/product_info.php?products_id=" + str(i))}">{e(t)}</a>' for i, t in c["recs"]) + "\n</div>"
    body = f"""
<div id="header" class="h-{k}">
  <a href="{n.href('/index.php')}"><img src="/images/store_logo.png" alt="{c['shop']}"></a>
  {hdr}
  <a href="{n.href('/shopping_cart.php')}">Cart (0 items)</a> | <a href="{n.href('/account.php')}">My account</a>
</div>
<div id="breadcrumb"><a href="{n.href('/index.php')}">Top</a> » <a href="{n.href('/index.php?cPath=3')}">Phones &amp; accessories</a> » {e(c['name'])}</div>
<div id="content">
  <a href="{n.href('/product_info.php?products_id=' + str(c['img_id']))}"><img src="/images/p{c['img_id']}.jpg" alt="{ea(c['name'])}"></a>
  <h1>{e(c['name'])}</h1>
  <p>Model: {c['sku']}</p>
  <p>Price: {price}</p>
  <p class="stock">{e(c['stock'])}</p>
{desc}
  <form name="cart_quantity" method="post" action="/product_info.php?action=add_product">
   {hidden_input(n, "formid")}
   <input type="hidden" name="products_id" value="{c['img_id']}">
   <button>Add to Cart</button>
  </form>
  <p><a href="{n.href('/wishlist/add/' + str(c['img_id']), 'action')}">Add to wishlist</a> · <a href="{n.href('/docs/' + c['sku'] + '.pdf', 'asset')}">Datasheet (PDF)</a></p>
  {recs}
  {f'<p class="banner"><a href="{n.href("/product_info.php?products_id=" + str(c["banner"]))}"><img src="/images/banner_{c["banner"]}.jpg" alt="New arrival"></a></p>' if c.get("banner") else ""}
</div>
<div id="footer">
  <p>{' · '.join(vis)}</p>
  <p>Copyright © 2026 {c['shop']} · Powered by osCommerce</p>
</div>
"""
    return doc("en", f"{e(c['name'])}, {c['shop']}", body, n, "#content h1 { font-size: 1.3em; } s { color: #999; }")


# ---- 14. Russian shop (ru) -----------------------------------------------------------

def ru_shop_content(r):
    return dict(shop="Полярная Лавка", id=r.randint(100, 999), name=r.choice([
                    "Аккаунт Telegram Premium (12 мес.)", "Подарочная карта маркетплейса, 5000 ₽",
                    "Виртуальный номер для регистрации (1 мес.)", "Скан-копия паспорта, шаблон"]),
                price=f"{r.choice([1, 2, 3, 4])} {r.choice([200, 500, 800])} ₽", stock=r.randint(3, 20),
                seller=r.choice(["Север", "Кот_Бегемот", "Лавочник", "Мастер_Док"]), seller_id=r.randint(100, 999),
                tg="@" + r.choice(["polar_lavka", "sever_shop", "lavochnik_bot", "doc_master_ru"]),
                jabber=r.choice(["lavka", "sever", "master"]) + "@jabber.ru",
                btc=btc_bech32(r), rate=None,
                others=[(r.randint(100, 999), "Аккаунт VK с историей", "900 ₽"),
                        (r.randint(100, 999), "Номер для WhatsApp (навсегда)", "1 500 ₽"),
                        (r.randint(100, 999), "Почта Gmail, 2019 г. рег.", "350 ₽")])


def ru_shop(c, n):
    k = n.cls
    info = [f"<li>Цена: <b>{c['price']}</b></li>",
            f"<li>В наличии: {c['stock']} шт.</li>" if isinstance(c["stock"], int) else f"<li>{e(c['stock'])}</li>",
            f"<li>Продавец: <a href=\"{n.href('/seller/' + str(c['seller_id']))}\">{e(c['seller'])}</a></li>"]
    if "relative" in n.show:
        info.append(f"<li>Продавец был в сети {n.relt(1, 'ru')}</li>")
    if "counter" in n.show:
        info.append(f"<li>Просмотров: {n.num(n.views2, 'ru')}</li>")
    upd = f'<p class="upd">Страница обновлена: {n.clock("ru")}</p>' if "clock" in n.show else ""
    online = f"<span>Сейчас на сайте: {n.online}</span>" if "counter" in n.show else ""
    rate = f'<div class="rate">{c["rate"]}</div>' if c["rate"] else ""
    others = "\n".join(f'   <li><a href="{n.href("/item/" + str(i))}">{e(t)}</a> — {p}</li>' for i, t, p in c["others"])
    body = f"""
<div class="top t-{k}">
  <a href="{n.href('/')}" class="logo">{c['shop']}</a> {online}
  {nav(n, [("Главная", "/", "nav"), ("Каталог", "/catalog", "nav"), ("Правила", "/rules", "nav"), ("Выход", "/logout", "action")])}
</div>
{rate}
<div class="card">
  <h1>{e(c['name'])}</h1>
  {upd}
  <ul class="info">
   {chr(10).join('   ' + x for x in info).strip()}
  </ul>
  <form method="post" action="/buy/{c['id']}">{hidden_input(n, "csrfmiddlewaretoken")}<input name="qty" value="1"><button>Купить</button></form>
  <h2>Оплата</h2>
  <p>Оплата только BTC. Адрес для оплаты:</p>
  <p><code>{c['btc']}</code></p>
  <p>После оплаты напишите в Telegram: {c['tg']} или Jabber: {c['jabber']}</p>
  <h2>Другие товары продавца</h2>
  <ul>
{others}
  </ul>
</div>
<div class="footer">
  <p>© {c['shop']}. Гарант сделок — администрация.</p>
</div>
"""
    return doc("ru", f"{e(c['name'])} — {c['shop']}", body, n, ".card { padding: 10px; } .rate { color: #999; }")


# ---- 15. Russian forum topic (ru) ----------------------------------------------------

def ru_forum_content(r):
    city, city_in = r.choice([("Дубай", "Дубае"), ("Стамбул", "Стамбуле"), ("Анталья", "Анталье"), ("Сеул", "Сеуле")])
    posts = [("Марина_В", "30 ноября 2026 г. в 21:14",
              [f"Девочки, кто-нибудь ездил по этому агентству в {city}? Обещают работу хостес, 2000$ в месяц, "
               "билеты и жильё за их счёт."]),
             ("alex_k", "30 ноября 2026 г. в 22:40",
              ["Если паспорт просят отдать «на оформление» — это развод. Никуда не езжай, пока нет контракта."]),
             ("Модератор", "1 декабря 2026 г. в 09:05",
              ["Контакты вербовщиков в теме не публикуем. Пишите в личку модераторам."])]
    return dict(forum="Форум Перекрёсток", section="Работа за границей", topic=f"Работа хостес в {city_in} — кто знает агентство?",
                tid=r.randint(1000, 9999), posts=posts)


def ru_forum(c, n):
    k = n.cls
    posts = []
    for i, (au, when, paras) in enumerate(c["posts"]):
        if "relative" in n.show:  # the age of the post instead of its date; the oldest first
            when = f'<span class="ago">{n.relt(4 - min(i, 2), "ru")}</span>'
        text = "\n".join(f"     <p>{e(p)}</p>" for p in paras)
        posts.append(f"""   <div class="msg m-{k}" id="post-{i + 1}">
    <div class="msg-head"><a href="{n.href('/profile/' + str(10 + i))}">{e(au)}</a> · Сообщение #{i + 1} · {when}</div>
    <div class="msg-body">
{text}
    </div>
   </div>""")
    clock = f"<p>Текущее время: {n.clock('ru')}</p>" if "clock" in n.show else ""
    stats = []
    if "counter" in n.show:
        stats.append(f"<p>Просмотров темы: {n.num(n.views, 'ru')}</p>")
        stats.append(f"<p>Сейчас на форуме: {n.online} (пользователей: {n.members}, гостей: {n.guests + n.hidden_users})</p>")
    gen = f"<p>Страница сгенерирована за {n.gen} сек. Запросов: {n.queries}</p>" if "counter" in n.show else ""
    body = f"""
<div class="header">
  <h1><a href="{n.href('/')}">{c['forum']}</a></h1>
  {clock}
  {nav(n, [("Форум", "/", "nav"), ("Поиск", "/search", "nav"), ("Пользователи", "/users", "nav"), ("Выход", "/logout", "action")])}
</div>
<div class="path"><a href="{n.href('/')}">Главная</a> » <a href="{n.href('/f/12')}">{c['section']}</a></div>
<h2>{e(c['topic'])}</h2>
<div class="topic" data-tid="{c['tid']}">
{chr(10).join(posts)}
</div>
<form method="post" action="/reply/{c['tid']}">{hidden_input(n, "sec_token")}<textarea name="text"></textarea><button>Ответить</button></form>
<div class="stats">
  {chr(10).join('  ' + s for s in stats).strip()}
</div>
<div class="footer">{gen}<p>Перекрёсток © 2019–2026</p></div>
"""
    return doc("ru", f"{e(c['topic'])} — {c['forum']}", body, n, ".msg { border: 1px solid #bbb; margin: 4px 0; }")


# ---- 16. German classifieds (de) -----------------------------------------------------

def de_content(r):
    city = r.choice([("Hamburg", "Wilhelmsburg", "21107"), ("Berlin", "Neukölln", "12043"), ("Köln", "Kalk", "51103"),
                     ("München", "Moosach", "80992")])
    return dict(site="Anzeigenbörse24", id=r.randint(1000000, 9999999),
                title="Zimmer für Saisonarbeiter, sofort frei", price=f"{r.choice([95, 110, 120, 140])} €",
                unit="pro Woche", city=city[0], district=city[1], plz=city[2],
                phone=f"+49 15{r.randint(1, 9)} {r.randint(1000, 9999)} {r.randint(1000, 9999)}",
                who="Privat", reserved=False,
                desc=["Mehrbettzimmer in Wohnung, Küche und Bad gemeinsam.",
                      "Arbeit auf dem Bau oder in der Reinigung kann vermittelt werden.",
                      "Miete wird direkt vom Lohn abgezogen. Ausweis bitte bei Einzug abgeben."])


def de_classified(c, n):
    k = n.cls
    meta = [f"Anzeigen-ID: {c['id']}"]
    if "relative" in n.show:
        meta.append(f"Zuletzt aktualisiert: {n.relt(1, 'de')}")
    if "counter" in n.show:
        meta.append(f"Aufrufe: {n.num(n.views, 'de')}")
    stand = f'<p class="stand">Stand: {n.clock("de")}</p>' if "clock" in n.show else ""
    desc = "\n".join(f"   <p>{e(p)}</p>" for p in c["desc"])
    res = '<span class="badge">Reserviert</span>' if c["reserved"] else ""
    body = f"""
<header class="kopf k-{k}">
  <a href="{n.href('/')}">{c['site']}</a>
  {nav(n, [("Startseite", "/", "nav"), ("Anzeige aufgeben", "/aufgeben", "nav"), ("Meine Anzeigen", "/meine", "nav"), ("Abmelden", "/logout", "action")])}
</header>
<main>
  <p class="pfad"><a href="{n.href('/immobilien')}">Immobilien</a> › <a href="{n.href('/immobilien/wg-zimmer')}">WG-Zimmer</a> › {c['city']}</p>
  <h1>{e(c['title'])} {res}</h1>
  <p class="meta">{' · '.join(meta)}</p>
  {stand}
  <section class="details">
   <p>Preis: <b>{c['price']}</b> {c['unit']}</p>
   <p>Ort: {c['plz']} {c['city']}-{c['district']}</p>
   <p>Anbieter: {c['who']}</p>
   <p>Telefon: {c['phone']}</p>
  </section>
  <section class="beschreibung">
   <h2>Beschreibung</h2>
{desc}
  </section>
  <form method="post" action="/nachricht/{c['id']}">{hidden_input(n, "_csrf")}<textarea name="t"></textarea><button>Nachricht senden</button></form>
</main>
<footer>
  <p>Impressum · Datenschutz · AGB</p>
</footer>
"""
    return doc("de", f"{e(c['title'])} in {c['city']} | {c['site']}", body, n, ".badge { background: orange; }")


# ---- 17. French forum topic, FluxBB style (fr) ---------------------------------------

def fr_content(r):
    posts = [("Nadia93", "30 novembre 2026 à 21:14",
              ["On m'a proposé un poste de serveuse à Marbella, logée nourrie, via un groupe Facebook. "
               "Ils veulent que je parte dimanche avec deux autres filles."]),
             ("Sylvain_L", "30 novembre 2026 à 23:02",
              ["Demande le nom du restaurant et l'adresse exacte. Si on te dit « tu verras sur place », ne pars pas."]),
             ("Mod_Comptoir", "1 décembre 2026 à 08:30",
              ["Merci de ne pas publier de numéros de téléphone ici. Contact privé : signal +33 6 12 48 90 17."])]
    return dict(forum="Le Comptoir", section="Travail à l'étranger", topic="Offre de serveuse à Marbella, arnaque ?",
                tid=r.randint(1000, 9999), posts=posts)


def fr_forum(c, n):
    k = n.cls
    posts = []
    for i, (au, when, paras) in enumerate(c["posts"]):
        text = "\n".join(f"      <p>{e(p)}</p>" for p in paras)
        posts.append(f"""  <div class="blockpost b-{k}" id="p{200 + i}">
   <h2><span><span class="conr">#{i + 1}</span> <a href="{n.href('viewtopic.php?pid=' + str(200 + i) + '#p' + str(200 + i))}">{when}</a></span></h2>
   <div class="box"><div class="postleft"><dl><dt><strong>{e(au)}</strong></dt></dl></div>
    <div class="postright"><div class="postmsg">
{text}
    </div></div></div>
  </div>""")
    clock = f"<p>Heure actuelle : {n.clock('fr')}</p>" if "clock" in n.show else ""
    vues = f"<p>Vues : {n.num(n.views, 'fr')}</p>" if "counter" in n.show else ""
    online = f"<p>Membres en ligne : {n.members + n.hidden_users} · Invités : {n.guests}</p>" if "counter" in n.show else ""
    gen = f"<p>[ Générée en {str(n.gen).replace('.', ',')} secondes, {n.queries} requêtes exécutées ]</p>" if "counter" in n.show else ""
    sim = ""
    if "relative" in n.show:
        sim = (f"<div class=\"similaires\"><h3>Sujets similaires</h3><ul>"
               f"<li><a href=\"{n.href('viewtopic.php?id=' + str(c['tid'] - 9))}\">Travail en Suisse, logement fourni</a> — dernier message {n.relt(2, 'fr')}</li>"
               f"<li><a href=\"{n.href('viewtopic.php?id=' + str(c['tid'] - 31))}\">Agence de mannequins à Dubaï</a> — dernier message {n.relt(3, 'fr')}</li></ul></div>")
    body = f"""
<div id="brdheader">
  <h1><a href="{n.href('index.php')}">{c['forum']}</a></h1>
  {clock}
  <div id="brdmenu"><ul>
   <li><a href="{n.href('index.php')}">Index</a></li><li><a href="{n.href('userlist.php')}">Liste des membres</a></li>
   <li><a href="{n.href('search.php')}">Rechercher</a></li><li><a href="{n.href('login.php?action=out&amp;id=2', 'action')}">Déconnexion</a></li>
  </ul></div>
</div>
<div class="linkst"><a href="{n.href('index.php')}">Index</a> » <a href="{n.href('viewforum.php?id=4')}">{e(c['section'])}</a> » {e(c['topic'])}</div>
<h2>{e(c['topic'])}</h2>
{vues}
{chr(10).join(posts)}
<form method="post" action="post.php?tid={c['tid']}">{hidden_input(n, "csrf_hash")}<textarea name="req_message"></textarea><button>Envoyer</button></form>
{sim}
<div id="brdstats">{online}</div>
<div id="brdfooter"><p>Propulsé par FluxBB</p>{gen}</div>
"""
    return doc("fr", f"{e(c['topic'])} / {c['forum']}", body, n, ".blockpost { margin: 8px 0; border: 1px solid #ddd; }")


# ---- 18. Chinese shop list (zh) ------------------------------------------------------

def zh_content(r):
    prods = [dict(id=r.randint(100, 999), name=n_, price=f"¥{p}", stock=r.randint(2, 30), rel=i % 5)
             for i, (n_, p) in enumerate([("实名微信号（满一年）", 120), ("海外手机号接码", 35), ("支付宝实名账户", 260),
                                          ("电报会员（12个月）", 150), ("虚拟信用卡（已充值）", 480)])]
    return dict(shop="东方小铺", prods=prods, wechat="dongfang_" + str(r.randint(1000, 9999)), tg="@dongfang_shop",
                usdt=eth_address(r))


def zh_shop(c, n):
    k = n.cls
    rows = []
    for p in c["prods"]:
        st = f"库存：{p['stock']}" if isinstance(p["stock"], int) else p["stock"]
        when = f"<td>{n.relt(p['rel'], 'zh')}</td>" if "relative" in n.show else ""
        rows.append(f'   <tr class="p-{k}"><td><a href="{n.href("/goods/" + str(p["id"]))}">{p["name"]}</a></td><td>价格：{p["price"]}</td><td>{st}</td>{when}</tr>')
    top = []
    if "counter" in n.show:
        top.append(f"浏览 {n.views}")
        top.append(f"在线人数：{n.online}")
    upd = f"<p>页面生成时间：{n.clock('cjk')}</p>" if "clock" in n.show else ""
    body = f"""
<div class="header">
  <h1><a href="{n.href('/')}">{c['shop']}</a></h1>
  <p class="stat">{' · '.join(top)}</p>
  {nav(n, [("首页", "/", "nav"), ("全部商品", "/goods", "nav"), ("订单查询", "/orders", "nav"), ("退出", "/logout", "action")])}
</div>
<div class="main">
  {upd}
  <table class="goods">
   <tr><th>商品</th><th>价格</th><th>库存</th>{'<th>更新</th>' if 'relative' in n.show else ''}</tr>
{chr(10).join(rows)}
  </table>
  <form method="post" action="/order">{hidden_input(n, "_token")}<input name="goods_id"><button>下单</button></form>
  <h2>联系方式</h2>
  <p>微信：{c['wechat']}</p>
  <p>Telegram：{c['tg']}</p>
  <p>USDT (ERC20) 收款地址：<code>{c['usdt']}</code></p>
</div>
<div class="footer"><p>本店所有商品仅供学习交流。</p></div>
"""
    return doc("zh-CN", f"{c['shop']} - 商品列表", body, n, "table.goods td { padding: 4px 10px; }")


# ---- 19. Japanese job board (ja) -----------------------------------------------------

def ja_content(r):
    jobs = [dict(id=r.randint(10000, 99999), title=t, loc=l, wage=w, line=ln, desc=d, rel=i % 5)
            for i, (t, l, w, ln, d) in enumerate([
                ("ホールスタッフ急募（寮完備）", "東京都新宿区", "時給 1,500円", "hall_staff_tokyo", "未経験OK、日払い可。"),
                ("海外リゾートでの接客", "海外（マカオ）", "月給 40万円", "resort_job_macau", "渡航費は会社負担、パスポートは会社で保管。"),
                ("工場内軽作業", "愛知県豊田市", "時給 1,300円", "toyota_koujou", "送迎あり、寮費は給与から天引き。"),
                ("モデル募集（撮影）", "大阪府大阪市", "日給 2万円", "model_osaka01", "18歳以上、面接は喫茶店で。")])]
    return dict(site="ワークナビ掲示板", jobs=jobs, pr=None)


def ja_board(c, n):
    k = n.cls
    items = []
    for j in c["jobs"]:
        when = f'<span class="when">{n.relt(j["rel"], "ja")}</span>' if "relative" in n.show else ""
        items.append(f"""  <div class="job j-{k}">
   <h3><a href="{n.href('/job/' + str(j['id']))}">{j['title']}</a></h3>
   <p>勤務地：{j['loc']}</p>
   <p>給与：{j['wage']}</p>
   <p>連絡先：LINE ID {j['line']}</p>
   <p>{j['desc']}</p>
   {when}
  </div>""")
    upd = f"<p>表示日時：{n.clock('cjk')}</p>" if "clock" in n.show else ""
    cnt = f"<p>閲覧数：{n.num(n.views, 'ja')}</p>" if "counter" in n.show else ""
    pr = ""
    if c["pr"]:
        pr = '  <div class="pr">\n' + "\n".join(f"   <p>PR：{t}</p>" for t in c["pr"]) + "\n  </div>\n"
    body = f"""
<div id="head">
  <h1><a href="{n.href('/')}">{c['site']}</a></h1>
  {nav(n, [("トップ", "/", "nav"), ("求人を探す", "/jobs", "nav"), ("求人を掲載", "/post", "nav"), ("ログアウト", "/logout", "action")])}
</div>
<div id="main">
  <h2>新着求人一覧</h2>
  {upd}
  {cnt}
{pr}{chr(10).join(items)}
  <form method="post" action="/search">{hidden_input(n, "authenticity_token")}<input name="q"><button>検索</button></form>
</div>
<div id="foot"><p>掲載内容の真偽は応募者ご自身でご確認ください。</p></div>
"""
    return doc("ja", f"新着求人一覧 | {c['site']}", body, n, ".job { border-bottom: 1px dotted #999; }")


TEMPLATES = {
    "market_item": dict(render=market_item, content=market_item_content, lang="en",
                        host=lambda c: site_onion(c["market"]), path=lambda c: f"/listing/{c['id']}",
                        kinds=["clock", "counter", "relative", "session", "csrf", "cache", "nonce", "markup"]),
    "market_category": dict(render=market_category, content=market_category_content, lang="en",
                            host=lambda c: site_onion(c["market"]), path=lambda c: "/c/" + c["cat"].lower().replace(" ", "-"),
                            kinds=["clock", "counter", "relative", "session", "csrf", "cache", "nonce", "markup"]),
    "vendor_profile": dict(render=vendor_profile, content=vendor_profile_content, lang="en",
                           host=lambda c: site_onion(c["market"]), path=lambda c: "/vendor/" + c["vendor"],
                           kinds=["clock", "counter", "relative", "session", "csrf", "cache", "nonce", "markup"]),
    "xmr_item": dict(render=xmr_item, content=xmr_item_content, lang="en",
                     host=lambda c: site_onion("cobalt-main"), path=lambda c: "/item/" + c["id"],
                     kinds=["clock", "counter", "csrf", "nonce", "session", "markup"]),
    "mirror_status": dict(render=mirror_status, content=mirror_status_content, lang="en",
                          host=lambda c: site_onion(c["market"] + "-mirrors"), path=lambda c: "/mirrors",
                          kinds=["clock", "nonce", "cache", "markup"]),
    "link_dir": dict(render=link_dir, content=link_dir_content, lang="en",
                     host=lambda c: site_onion("link-index"), path=lambda c: "/",
                     kinds=["relative", "counter", "clock", "cache", "markup"]),
    "phpbb": dict(render=phpbb, content=phpbb_content, lang="en", host=lambda c: site_onion("harbortalk"),
                  path=lambda c: f"/viewtopic.php?t={c['topic_id']}",
                  kinds=["clock", "counter", "relative", "session", "csrf", "markup"], opts=dict(sess="sid")),
    "vb": dict(render=vb, content=vb_content, lang="en", host=lambda c: "forum.expatlounge.example",
               path=lambda c: "/index.php", kinds=["clock", "counter", "relative", "session"],
               opts=dict(sess="vb", rel="vb")),
    "smf": dict(render=smf, content=smf_content, lang="en", host=lambda c: "travelsafe-community.example",
                path=lambda c: f"/index.php?topic={c['topic_id']}.0", kinds=["clock", "counter", "session", "markup"]),
    "escort_ad": dict(render=escort_ad, content=escort_ad_content, lang="en", host=lambda c: "velvetboard.example",
                      path=lambda c: f"/escorts/{c['city'].lower()}/{c['ad_id']}",
                      kinds=["relative", "counter", "clock", "session", "csrf", "nonce", "markup"],
                      opts=dict(sess="session", tok="nonce")),
    "es_list": dict(render=es_list, content=es_list_content, lang="es", host=lambda c: "tablonrojo.example",
                    path=lambda c: "/contactos/", kinds=["relative", "counter", "clock", "session", "csrf", "nonce", "markup"],
                    opts=dict(clock="hm")),
    "news": dict(render=news, content=news_content, lang="en", host=lambda c: "northernledger.example",
                 path=lambda c: "/crime/2026/11/28/recruitment-ring", kinds=["clock", "counter", "csrf", "cache", "nonce", "markup"],
                 opts=dict(tok="_wpnonce", cb="ver", clock="weekday_month_d_y")),
    "shop": dict(render=shop, content=shop_content, lang="en", host=lambda c: "voltline-electronics.example",
                 path=lambda c: f"/product_info.php?products_id={c['img_id']}",
                 kinds=["clock", "counter", "session", "csrf", "cache", "markup"], opts=dict(sess="oscsid", tok="_token", cb="cb")),
    "ru_shop": dict(render=ru_shop, content=ru_shop_content, lang="ru", host=lambda c: site_onion("polar-lavka"),
                    path=lambda c: f"/item/{c['id']}", kinds=["clock", "relative", "counter", "session", "csrf", "markup"]),
    "ru_forum": dict(render=ru_forum, content=ru_forum_content, lang="ru", host=lambda c: site_onion("perekrestok"),
                     path=lambda c: f"/t/{c['tid']}", kinds=["clock", "relative", "counter", "session", "markup"]),
    "de_classified": dict(render=de_classified, content=de_content, lang="de", host=lambda c: "anzeigenboerse24.example",
                          path=lambda c: f"/anzeige/{c['id']}", kinds=["clock", "relative", "counter", "session", "csrf", "markup"]),
    "fr_forum": dict(render=fr_forum, content=fr_content, lang="fr", host=lambda c: "lecomptoir-forum.example",
                     path=lambda c: f"/viewtopic.php?id={c['tid']}", kinds=["clock", "relative", "counter", "session", "csrf", "markup"]),
    "zh_shop": dict(render=zh_shop, content=zh_content, lang="zh", host=lambda c: site_onion("dongfang"),
                    path=lambda c: "/goods", kinds=["clock", "relative", "counter", "session", "markup"]),
    "ja_board": dict(render=ja_board, content=ja_content, lang="ja", host=lambda c: "worknavi-bbs.example",
                     path=lambda c: "/jobs/new", kinds=["clock", "relative", "counter", "session", "markup"]),
}


# ======================================================================================
# Building a case.
# ======================================================================================

KIND_WORDS = {"clock": "server clock", "relative": "relative times", "counter": "view/online counters and timings",
              "csrf": "CSRF tokens", "session": "session ids in links", "nonce": "request/trace ids",
              "cache": "cache-busters in links", "markup": "rotating class names"}
CLOCK_DELTAS = [7, 26, 93, 218, 611, 1503, 2951, 4337]
REL_DELTAS = [4, 9, 23, 47, 95, 190, 620, 1500]

CASES = []


def case(name, category, tpl, expected, vary, why=None, edit=None, base=None, seed=None, opts=None,
         show=(), delta=None, rel_delta=None):
    """One labelled pair. `base(c, r)` adjusts the page before both captures, `edit(c, r)` the
    after capture only; `vary` are the noise kinds that differ between the captures."""
    r = rng_for(name)
    T = TEMPLATES[tpl]
    c = T["content"](r)
    if base:
        base(c, r)
    ca = copy.deepcopy(c)
    if edit:
        edit(ca, r)
    t0 = datetime(2026, 12, r.randint(2, 27), r.randint(0, 23), r.randint(0, 59), r.randint(0, 59),
                  r.randint(0, 999) * 1000, tzinfo=timezone.utc)
    o = dict(T.get("opts", {}))
    o.update(opts or {})
    nb = Noise(r, t0, set(vary) | set(show), T["lang"], o)
    if delta is None:
        delta = r.choice(CLOCK_DELTAS)
        if o.get("clock") in DATE_ONLY:
            delta = 1440 * r.randint(1, 3) + r.randint(1, 600)
    rd = r.choice(REL_DELTAS)
    na = nb.after(r, set(vary), timedelta(minutes=delta), rel_delta or rd)
    before, after = T["render"](c, nb), T["render"](ca, na)
    if not why:
        why = "only " + ", ".join(KIND_WORDS[k] for k in vary) + " differ (and the hidden CSRF input and scripts)"
    d = dict(name=name, category=category, url=f"http://{T['host'](c)}{T['path'](c)}", before=before, after=after,
             expected=expected)
    if seed:
        d["seed"] = {"ignore_text": seed.get("ignore_text", []), "ignore_selectors": seed.get("ignore_selectors", [])}
    d["why"] = why
    d["_tpl"] = tpl
    d["_vary"] = sorted(vary)
    CASES.append(d)
    return d


def setk(**kw):
    """An edit that sets content keys."""
    def f(c, r):
        c.update(kw)
    return f


# ======================================================================================
# Reference check: visible text + links, a volatile-token normalizer, seed settings.
# ======================================================================================

HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "math", "object", "iframe"}
BLOCKS = {"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "fieldset",
          "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
          "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "td", "th", "title", "tr", "ul"}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "embed", "param", "track", "base"}


def _parse_sel(sel):
    parts = []
    for comp in sel.split():
        m = re.fullmatch(r"([a-z0-9]*)((?:[.#][\w-]+)*)(\[[\w-]+\])?", comp)
        if not m:
            raise ValueError("reference check cannot read selector " + sel)
        tag = m.group(1) or None
        ids = re.findall(r"#([\w-]+)", m.group(2))
        classes = re.findall(r"\.([\w-]+)", m.group(2))
        attr = m.group(3)[1:-1] if m.group(3) else None
        parts.append((tag, ids, classes, attr))
    return parts


def _match_one(part, el):
    tag, ids, classes, attr = part
    etag, eattrs = el
    if tag and tag != etag:
        return False
    if ids and eattrs.get("id") not in ids:
        return False
    ecls = (eattrs.get("class") or "").split()
    if any(x not in ecls for x in classes):
        return False
    if attr and attr not in eattrs:
        return False
    return True


def _matches(sel_parts, stack):
    if not _match_one(sel_parts[-1], stack[-1]):
        return False
    i = len(stack) - 2
    for part in reversed(sel_parts[:-1]):
        while i >= 0 and not _match_one(part, stack[i]):
            i -= 1
        if i < 0:
            return False
        i -= 1
    return True


class _Reader(HTMLParser):
    def __init__(self, base, selectors):
        super().__init__(convert_charrefs=True)
        self.base, self.sels = base, [_parse_sel(s) for s in selectors]
        self.lines, self.line, self.links = [], "", set()
        self.stack = []          # (tag, attrs, hidden_here, ignored_here)
        self.hidden = 0
        self.ignored = 0

    def flush(self):
        s = " ".join(self.line.split())
        if s:
            self.lines.append(s)
        self.line = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        path = [(t, at) for t, at, _, _ in self.stack] + [(tag, a)]
        ign = any(_matches(s, path) for s in self.sels)
        if tag == "a" and "href" in a and not self.ignored and not ign:
            self.links.add(urljoin(self.base, a["href"]))
        in_head = any(t == "head" for t, _, _, _ in self.stack)
        hid = tag in HIDDEN and not (tag == "title")
        if tag == "title" and in_head:
            self.flush()
        elif not self.hidden and not self.ignored and tag in BLOCKS:
            self.flush()
        if tag in VOID:
            return
        self.stack.append((tag, a, hid, ign))
        self.hidden += hid
        self.ignored += ign

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            t, a, hid, ign = self.stack.pop()
            self.hidden -= hid
            self.ignored -= ign
            if (not self.hidden and not self.ignored and t in BLOCKS) or t == "title":
                self.flush()
            if t == tag:
                break

    def handle_data(self, data):
        title = self.stack and self.stack[-1][0] == "title"
        if self.ignored or (self.hidden and not title):
            return
        if self.hidden and title:
            self.line += data
            return
        self.line += data


def read_page(html_text, url, selectors=()):
    rd = _Reader(url, selectors)
    rd.feed(html_text)
    rd.close()
    rd.flush()
    return "\n".join(rd.lines), rd.links


MON_EN = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
          r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
DAY_EN = r"(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)"
TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?(?:\s?(?:UTC|GMT|Uhr))?"
RULES = [
    # dates and times
    (r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2}|\s?UTC)?", "<DATE>"),
    (rf"\b{DAY_EN},?\s+(?=\d|{MON_EN})", ""),
    (rf"\b{DAY_EN}\b(?=\s*(?:<DATE>|\d{{1,2}}\s+{MON_EN}))", ""),
    (rf"\b\d{{1,2}}\s+{MON_EN}\.?,?\s+\d{{4}}", "<DATE>"),
    (rf"\b{MON_EN}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}", "<DATE>"),
    (rf"\b{MON_EN}\s+\d{{1,2}}\b(?=\s+\d{{1,2}}:)", "<DATE>"),
    (r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", "<DATE>"),
    (r"\b\d{4}/\d{2}/\d{2}(?:\([^)]{1,3}\))?", "<DATE>"),
    (r"\b\d{1,2}\.\d{1,2}\.\d{4}\b", "<DATE>"),
    (r"\b\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)\s+\d{4}(?:\s*г\.)?(?:,?\s*в)?", "<DATE>"),
    (r"\b\d{1,2}\.\s*(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s+\d{4}", "<DATE>"),
    (r"\b\d{1,2}(?:er)?\s+(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\s+\d{4}(?:\s+à)?", "<DATE>"),
    (r"\b\d{1,2}\s+de\s+(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\s+de\s+\d{4}", "<DATE>"),
    (r"\d{4}年\d{1,2}月\d{1,2}日", "<DATE>"),
    (TIME, "<TIME>"),
    (r"\b1[5-9]\d{8}(?:\d{3})?\b", "<TS>"),
    # relative times
    (r"\b(?:\d+|an?|one)\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b", "<AGO>"),
    (r"\b\d+\s*[smhdw]\s+ago\b", "<AGO>"),
    (r"(?i)\b(?:just now|today at|yesterday at|today,|yesterday,|yesterday|gerade eben|gestern|hier|ayer|hace un momento|à l'instant|только что|вчера)", "<AGO>"),
    (r"\bvor\s+(?:\d+|einer?|einem)\s+(?:Sekunden?|Minuten?|Stunden?|Tag(?:en)?|Wochen?|Monat(?:en)?)\b", "<AGO>"),
    (r"(?:\b\d+\s+)?(?:секунд\w*|минут\w*|час\w*|дн\w*|недел\w*)\s+назад", "<AGO>"),
    (r"\bil y a\s+(?:\d+|une?)\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois)\b", "<AGO>"),
    (r"\bhace\s+(?:\d+|una?)\s+(?:segundos?|minutos?|horas?|días?|semanas?|mes(?:es)?)\b", "<AGO>"),
    (r"\d+\s*(?:秒|分钟|小时|天|周)前|刚刚|昨天", "<AGO>"),
    (r"\d+\s*(?:秒|分|時間|日|週間)前|たった今|昨日", "<AGO>"),
    # counters and timings
    (r"(?i)\b(?:(?:ad |profile |page )?views?|visitors(?: today)?|users online|hits|queries|read|"
     r"currently active users|просмотров(?: темы)?|сейчас на (?:сайте|форуме)|пользователей|гостей|запросов|"
     r"aufrufe|vues|visitas|membres en ligne|invités)\s*[:：]?\s*\d[\d,.\u00a0\u202f ]*", "<N> "),
    (r"(?:浏览|在线人数[:：]?|閲覧数[:：]?)\s*\d[\d,]*", "<N>"),
    (r"(?i)\b\d[\d,.\u00a0\u202f]*\s*(?:views|members|guests|registered|hidden|users online|times|requêtes exécutées|queries)\b", "<N>"),
    (r"(?i)\b\d+[.,]?\d*\s*(?:s|ms|sec|seconds?|secondes|сек)\b\.?", "<SEC>"),
    (r"(?i)peak memory usage\s*:\s*[\d.]+\s*MiB", "<MEM>"),
    # tokens shown as text
    (r"(?i)\b(?:form csrf|csrf|token|challenge nonce|nonce|request[- ]id|trace id|ray id)\s*[:=]\s*[\w-]+", "<TOKEN>"),
]
RULES = [(re.compile(p), rep) for p, rep in RULES]
VOLATILE_PARAMS = {"sid", "phpsessid", "session", "sessionid", "oscsid", "zenid", "token", "csrf", "_token", "nonce",
                   "_wpnonce", "v", "_", "ver", "cb", "rnd"}


def norm_text(text, ignore_text=()):
    for p in ignore_text:
        text = re.sub(p, "", text)
    for rx, rep in RULES:
        text = rx.sub(rep, text)
    text = re.sub(r"<AGO>\s*<TIME>", "<AGO>", text)
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def norm_link(u):
    u = re.sub(r";jsessionid=[0-9A-Fa-f]+", "", u)
    base, _, q = u.partition("?")
    if not q:
        return base
    keep = []
    for part in re.split(r"[&;]", q):
        k, _, v = part.partition("=")
        if k.lower() in VOLATILE_PARAMS:
            continue
        if k == "s" and re.fullmatch(r"[0-9a-f]{32}", v):
            continue
        keep.append(part)
    return base + ("?" + "&".join(keep) if keep else "")


def reference_class(cs):
    seed = cs.get("seed", {})
    sels = seed.get("ignore_selectors", [])
    tb, lb = read_page(cs["before"], cs["url"], sels)
    ta, la = read_page(cs["after"], cs["url"], sels)
    same = (norm_text(tb, seed.get("ignore_text", [])) == norm_text(ta, seed.get("ignore_text", []))
            and {norm_link(x) for x in lb} == {norm_link(x) for x in la})
    return "cosmetic" if same else "changed"


# ======================================================================================
# The cases.
# ======================================================================================

def item(key, i, **kw):
    """An edit that updates the i-th dict of the list c[key]."""
    def f(c, r):
        c[key][i].update(kw)
    return f


def both(*fs):
    def f(c, r):
        for g in fs:
            g(c, r)
    return f


def repl(key, i, old, new, part=None):
    """Replace text in c[key][i] (a string, or part `part` of a tuple whose that part is a list of paragraphs)."""
    def f(c, r):
        if part is None:
            assert old in c[key][i], (key, i, old)
            c[key][i] = c[key][i].replace(old, new)
        else:
            t = list(c[key][i])
            paras = list(t[part])
            hit = [j for j, p in enumerate(paras) if old in p]
            assert hit, (key, i, old)
            paras[hit[0]] = paras[hit[0]].replace(old, new, 1)
            t[part] = paras
            c[key][i] = tuple(t)
    return f


def contact(i, value):
    def f(c, r):
        lab, _ = c["contacts"][i]
        c["contacts"][i] = (lab, value(c, r) if callable(value) else value)
    return f


C, X = "cosmetic", "changed"

# ---------------------------------------------------------------- cosmetic: clocks ----
case("market-item-server-time-rfc2822", "clock", "market_item", C, ["clock"], opts=dict(clock="rfc2822"),
     why="only the 'Server time' header in RFC 2822 form (Tue, 01 Dec 2026 14:03:07 GMT) moves")
case("market-item-server-time-iso-ms", "clock", "market_item", C, ["clock"], opts=dict(clock="iso_ms"),
     why="only the 'Server time' in ISO 8601 with milliseconds and Z moves")
case("market-category-refresh-iso-z", "clock", "market_category", C, ["clock"], opts=dict(clock="iso_z"),
     why="only 'Last refresh: <ISO 8601 with T and Z>' moves")
case("market-category-refresh-date-only", "clock", "market_category", C, ["clock"], opts=dict(clock="ymd"),
     why="only 'Last refresh: YYYY-MM-DD' moves to a later day")
case("vendor-profile-today-iso-offset", "clock", "vendor_profile", C, ["clock"], opts=dict(clock="iso_off"),
     why="only 'Today is <ISO 8601 with +01:00>' moves")
case("vendor-profile-today-d-mon-y", "clock", "vendor_profile", C, ["clock"], opts=dict(clock="d_mon_y"),
     why="only 'Today is 1 Dec 2026' moves to a later day")
case("phpbb-it-is-currently", "clock", "phpbb", C, ["clock"],
     why="only phpBB's 'It is currently Tue Dec 01, 2026 2:03 pm' moves")
case("smf-header-datetime", "clock", "smf", C, ["clock"],
     why="only SMF's header clock 'December 01, 2026, 02:03:07 PM' moves")
case("shop-oscommerce-header-date", "clock", "shop", C, ["clock"], opts=dict(clock="osc"),
     why="only osCommerce's header date 'Tuesday 01 December, 2026' moves to a later day")
case("news-page-generated-us", "clock", "news", C, ["clock"], opts=dict(clock="us12"),
     why="only 'Page generated 12/01/2026 2:03 PM' in the masthead moves")
case("news-masthead-month-day-year", "clock", "news", C, ["clock"], opts=dict(clock="weekday_month_d_y"),
     why="only the masthead date 'Tuesday, December 1, 2026' moves to a later day")
case("ru-shop-page-refreshed-ru-date", "clock", "ru_shop", C, ["clock"],
     why="only 'Страница обновлена: 1 декабря 2026 г. в 14:03' moves")
case("de-classified-stand-de-date", "clock", "de_classified", C, ["clock"],
     why="only 'Stand: 1. Dezember 2026, 14:03 Uhr' moves")
case("fr-forum-heure-actuelle", "clock", "fr_forum", C, ["clock"],
     why="only 'Heure actuelle : 1 décembre 2026 à 14:03' moves")
case("es-list-server-time-es-date", "clock", "es_list", C, ["clock"], opts=dict(clock="es"),
     why="only 'Hora del servidor: 1 de diciembre de 2026, 14:03' moves")
case("es-list-server-time-hm", "clock", "es_list", C, ["clock"], opts=dict(clock="hm"),
     why="only 'Hora del servidor: 14:03' (bare HH:MM) moves")
case("zh-shop-page-generated-cjk", "clock", "zh_shop", C, ["clock"],
     why="only '页面生成时间：2026年12月1日 14:03' moves")
case("xmr-item-rendered-syslog", "clock", "xmr_item", C, ["clock"], opts=dict(clock="syslog"),
     why="only 'Rendered: Dec 1 14:03:07' (syslog style, no year) moves")
case("mirror-status-checked-hms-utc", "clock", "mirror_status", C, ["clock"], opts=dict(clock="hms_utc"),
     why="only 'Last checked: 14:03:07 UTC' moves")
case("link-dir-snapshot-unix", "clock", "link_dir", C, ["clock"], opts=dict(clock="unix"),
     why="only 'snapshot ts=<10-digit Unix time>' moves")
case("link-dir-snapshot-unix-ms", "clock", "link_dir", C, ["clock"], opts=dict(clock="unix_ms"),
     why="only 'snapshot ts=<13-digit Unix time in ms>' moves")
case("escort-ad-refreshed-eu-dot", "clock", "escort_ad", C, ["clock"],
     why="only 'Last refreshed: 01.12.2026 14:03' in the footer moves")

# ------------------------------------------------------- cosmetic: relative times ----
case("market-category-added-ago", "relative-time", "market_category", C, ["relative"],
     why="only the 'Added' column ('just now', '2 hours ago', 'yesterday', '3 days ago') ages")
case("vendor-profile-last-seen-day-at", "relative-time", "vendor_profile", C, ["relative"], opts=dict(rel="dayat"), rel_delta=1500,
     why="only 'Last seen: Today at 14:03' becomes 'Yesterday at 14:03' (or 'N days ago')")
case("escort-ad-posted-ago", "relative-time", "escort_ad", C, ["relative"],
     why="only 'Posted 3 hours ago · Last active just now' age")
case("link-dir-checked-compact", "relative-time", "link_dir", C, ["relative"],
     why="only the compact 'checked 4 min ago' / '2h ago' / '1d ago' notes age")
case("de-classified-vor-minuten", "relative-time", "de_classified", C, ["relative"],
     why="only 'Zuletzt aktualisiert: vor 5 Minuten' ages")
case("ru-forum-nazad", "relative-time", "ru_forum", C, ["relative"],
     why="only the '(5 минут назад)' notes next to the posts age")
case("fr-forum-il-y-a", "relative-time", "fr_forum", C, ["relative"],
     why="only 'dernier message il y a 3 heures' in similar topics ages")
case("es-list-hace", "relative-time", "es_list", C, ["relative"],
     why="only 'hace 2 días' / 'hace 5 minutos' on the ads age")
case("zh-shop-fenzhong-qian", "relative-time", "zh_shop", C, ["relative"],
     why="only the update column ('3分钟前', '2小时前', '4天前') ages")
case("ja-board-fun-mae", "relative-time", "ja_board", C, ["relative"],
     why="only '3分前' / '5時間前' under the job ads age")

# ------------------------------------------------------------- cosmetic: counters ----
case("market-item-views-online", "counter", "market_item", C, ["counter"],
     why="only 'Users online', 'Views: 1,234' and 'Page generated in 0.042 s · Queries: 23' change")
case("phpbb-who-is-online", "counter", "phpbb", C, ["counter"],
     why="only phpBB's 'In total there are 37 users online :: …' and the debug footer (time, queries, memory) change")
case("smf-read-times-page-created", "counter", "smf", C, ["counter"],
     why="only '(Read 1234 times)' and 'Page created in 0.042 seconds with 23 queries.' change")
case("shop-visitors-today", "counter", "shop", C, ["counter"],
     why="only 'Visitors today: 512 · This product: 1234 views' changes")
case("ru-shop-prosmotrov", "counter", "ru_shop", C, ["counter"],
     why="only 'Просмотров: 120' and 'Сейчас на сайте: 37' change")
case("ru-forum-online-generated", "counter", "ru_forum", C, ["counter"],
     why="only topic views, 'Сейчас на форуме: 37 (…)' and 'Страница сгенерирована за 0.042 сек. Запросов: 23' change")
case("de-classified-aufrufe", "counter", "de_classified", C, ["counter"],
     why="only 'Aufrufe: 1.234' (German thousands separator) changes")
case("fr-forum-vues-membres", "counter", "fr_forum", C, ["counter"],
     why="only 'Vues : 1 234', members/guests online and FluxBB's 'Générée en 0,042 secondes, 23 requêtes exécutées' change")
case("zh-shop-liulan-zaixian", "counter", "zh_shop", C, ["counter"],
     why="only '浏览 1234 · 在线人数：37' changes")
case("news-views-generated", "counter", "news", C, ["counter"],
     why="only '1,234 views' in the byline and 'Generated in 0.12 seconds' change")
# ---------------------------------------------------------------- cosmetic: CSRF ----
case("market-item-logout-token", "csrf", "market_item", C, ["csrf"], opts=dict(tok="token"),
     why="only ?token= on the 'Log out' and 'Watch this listing' links rotates")
case("vendor-profile-csrf-links", "csrf", "vendor_profile", C, ["csrf"], opts=dict(tok="csrf"),
     why="only ?csrf=<hex> on 'Send message', 'Report vendor' and 'Log out' rotates")
case("news-wpnonce-logout", "csrf", "news", C, ["csrf"],
     why="only WordPress's _wpnonce on the 'Log out' link rotates")
case("shop-wishlist-underscore-token", "csrf", "shop", C, ["csrf"],
     why="only ?_token= on 'Add to wishlist' rotates")
case("xmr-item-form-csrf-text", "csrf", "xmr_item", C, ["csrf"],
     why="only the visible debug line 'form csrf: <hex>' and the token on the logout link rotate")
case("escort-ad-report-nonce-link", "csrf", "escort_ad", C, ["csrf"],
     why="only ?nonce= on the 'Report this ad' link rotates")
# ----------------------------------------------------------- cosmetic: session ids ----
case("phpbb-sid-links", "session-id", "phpbb", C, ["session"],
     why="only phpBB's &sid=<32 hex> on every internal link changes")
case("vb-s-param", "session-id", "vb", C, ["session"],
     why="only vBulletin's ?s=<32 hex> on every internal link changes (thread ids t= stay)")
case("smf-phpsessid-semicolon", "session-id", "smf", C, ["session"],
     why="only SMF's index.php?PHPSESSID=…;topic=… session in links changes")
case("shop-oscsid", "session-id", "shop", C, ["session"],
     why="only osCommerce's ?osCsid= on links changes")
case("shop-jsessionid", "session-id", "shop", C, ["session"], opts=dict(sess="jsessionid"),
     why="only the ;jsessionid=<hex> path parameter on links changes")
case("escort-ad-session-uuid", "session-id", "escort_ad", C, ["session"],
     why="only ?session=<uuid> on the site's links changes")
case("market-category-phpsessid", "session-id", "market_category", C, ["session"], opts=dict(sess="phpsessid"),
     why="only ?PHPSESSID= on listing, view and nav links changes")

# --------------------------------------------------------- cosmetic: cache-busters ----
case("news-ver-hash", "cache-buster", "news", C, ["cache"],
     why="only ?ver=<hash> on the PDF and RSS links changes")
case("vendor-profile-pgp-v-unix", "cache-buster", "vendor_profile", C, ["cache"], opts=dict(cb="v"),
     why="only ?v=<unix time> on the public-key download link changes")
case("link-dir-links-txt-underscore", "cache-buster", "link_dir", C, ["cache"], opts=dict(cb="_"),
     why="only ?_=<13-digit ms> on the links.txt link changes")
case("shop-datasheet-cb", "cache-buster", "shop", C, ["cache"],
     why="only ?cb=<random> on the datasheet link changes")
case("mirror-status-mirrors-txt-v", "cache-buster", "mirror_status", C, ["cache"], opts=dict(cb="v"),
     why="only ?v= on mirrors.txt and its signature link changes")

# ----------------------------------------------------------- cosmetic: nonces / ids ----
case("news-ray-id", "nonce", "news", C, ["nonce"],
     why="only the CDN footer 'Ray ID: <hex>-AMS' changes")
case("market-item-request-id", "nonce", "market_item", C, ["nonce"],
     why="only 'Request ID: 9f8a7b6c5d4e3f2a1b0c' in the footer changes")
case("xmr-item-trace-id", "nonce", "xmr_item", C, ["nonce"],
     why="only 'Trace ID: <32 hex>' in the debug line changes")
case("mirror-status-challenge-nonce", "nonce", "mirror_status", C, ["nonce"],
     why="only the anti-DDoS 'Challenge nonce: <hex>' changes")
case("es-list-request-id", "nonce", "es_list", C, ["nonce"],
     why="only 'Request-ID: <hex>' in the footer changes")

# ------------------------------------------------------------ cosmetic: combinations ----
case("market-item-all-noise", "combo", "market_item", C,
     ["clock", "counter", "relative", "session", "csrf", "cache", "nonce", "markup"], opts=dict(clock="rfc2822", sess="sid"),
     why="clock, online/views counters, restock age, sid, token, cache-buster, request id and class names all change; content does not")
case("phpbb-clock-online-sid", "combo", "phpbb", C, ["clock", "counter", "session", "relative", "markup"],
     why="phpBB clock, who-is-online, debug footer, sid links and similar-topic ages change together")
case("vb-clock-active-s", "combo", "vb", C, ["clock", "counter", "relative", "session"],
     why="vBulletin time now, active users, last-post times and ?s= change together")
case("ru-forum-clock-ago-counters", "combo", "ru_forum", C, ["clock", "relative", "counter", "session"],
     why="Russian clock, 'назад' ages, views/online/generated counters and sid links change together")
case("zh-shop-clock-ago-counter", "combo", "zh_shop", C, ["clock", "relative", "counter", "markup"],
     why="CJK clock, '分钟前' ages and 浏览/在线 counters change together")
case("de-classified-all-noise", "combo", "de_classified", C, ["clock", "relative", "counter", "session", "csrf"],
     why="Stand date, 'vor N Minuten', Aufrufe, sid and tokens change together")
case("escort-ad-all-noise", "combo", "escort_ad", C, ["relative", "counter", "clock", "csrf", "nonce", "session", "markup"],
     why="posted/active ages, ad views, refresh time, report nonce, request id and session change together")
case("news-all-noise", "combo", "news", C, ["clock", "counter", "csrf", "cache", "nonce", "markup"], opts=dict(clock="us12"),
     why="page-generation time, views, generation duration, _wpnonce, ?ver= and Ray ID change together")
case("fr-forum-all-noise", "combo", "fr_forum", C, ["clock", "relative", "counter", "session", "csrf"],
     why="French clock, 'il y a …' ages, Vues/membres/FluxBB timings, sid links and logout token change together")
case("ja-board-all-noise", "combo", "ja_board", C, ["clock", "relative", "counter", "session", "markup"],
     why="CJK clock, '分前/時間前' ages, 閲覧数 and sid links change together")

# ------------------------------------------------ cosmetic only with a seed setting ----
ADS = [("CleanCoin mixer — 0.5% fee, no logs", "http://" + site_onion("cleancoin") + "/"),
       ("Bulletproof hosting from $9/month", "http://" + site_onion("bphost") + "/"),
       ("Tortuga Bazaar — now with XMR multisig", "http://" + site_onion("Tortuga Bazaar") + "/")]
case("market-item-ad-banner", "rotating-ad", "market_item", C, ["clock", "csrf"], seed=dict(ignore_selectors=[".ad"]),
     base=setk(ad=ADS[0]), edit=setk(ad=ADS[1]),
     why="the .ad banner rotates to another advertiser (text and link); the seed ignores .ad")
case("market-item-featured-vendor", "rotating-ad", "market_item", C, ["counter"], seed=dict(ignore_selectors=["#sidebar-random"]),
     base=setk(featured=("GhostPrints", "templates, 99.1% positive")), edit=setk(featured=("BalticExpress", "fast EU shipping, 98.7% positive")),
     why="the random 'Featured vendor' sidebar shows another vendor; the seed ignores #sidebar-random")
case("market-item-btc-equivalent", "rotating-ad", "market_item", C, ["session"],
     seed=dict(ignore_text=[r"\(≈ [0-9.]+ BTC\)"]),
     base=setk(price="$120.00", equiv="0.00124"), edit=setk(equiv="0.00127"),
     why="the USD price stays $120.00; only the auto-converted '(≈ … BTC)' moves with the rate, which the seed ignores")
case("market-category-featured-carousel", "rotating-ad", "market_category", C, ["counter"],
     seed=dict(ignore_selectors=["#featured"]),
     base=setk(featured=[(5512, "Netflix Premium, 12 months", "$18"), (7120, "UK utility bill template", "€25")]),
     edit=setk(featured=[(6034, "Prepaid debit card, 500 USD loaded", "$310"), (4471, "VPN + RDP bundle, 3 months", "$45")]),
     why="the Featured carousel shows other listings; the seed ignores #featured")
case("market-category-stats-block", "rotating-ad", "market_category", C, ["clock"], seed=dict(ignore_selectors=["#stats"]),
     base=setk(stats="Vendors: 1,203 · Listings: 12,345 · Orders today: 834"),
     edit=setk(stats="Vendors: 1,204 · Listings: 12,361 · Orders today: 912"),
     why="the market-wide stats line moves; the seed ignores #stats (no listing on the page changed)")
case("phpbb-random-quote", "rotating-ad", "phpbb", C, ["session"], seed=dict(ignore_selectors=["#random-quote"]),
     base=setk(quote="“Trust, but verify.”"), edit=setk(quote="“If it sounds too good to be true, it is.”"),
     why="the random quote widget rotates; the seed ignores #random-quote")
case("vb-online-user-list", "rotating-ad", "vb", C, ["clock"], seed=dict(ignore_selectors=["#online-list"]),
     base=setk(online_list=["admin", "lena_k", "trader_joe", "sadie"]),
     edit=setk(online_list=["dimitri77", "sadie", "guest_friendly", "mo_b"]),
     why="the list of members online changes; the seed ignores #online-list")
case("news-trending-weather", "rotating-ad", "news", C, ["nonce"], seed=dict(ignore_selectors=[".trending", ".weather"]),
     base=setk(trending=[("a1", "Storm closes Baltic ferry routes"), ("a2", "Budget vote delayed")], weather="Oslo 2°C, light snow"),
     edit=setk(trending=[("a3", "Court frees two suspects on bail"), ("a1", "Storm closes Baltic ferry routes")], weather="Oslo -1°C, clear"),
     why="the Trending list and the weather widget change; the seed ignores .trending and .weather")
case("es-list-vip-carousel", "rotating-ad", "es_list", C, ["relative"], seed=dict(ignore_selectors=[".vip-carousel"]),
     base=setk(vip=[(51220, "Sara, 24, Madrid centro"), (60113, "Nuevas chicas en Valencia")]),
     edit=setk(vip=[(48810, "Masajes relajantes Sevilla"), (51220, "Sara, 24, Madrid centro")]),
     why="the paid VIP carousel rotates; the seed ignores .vip-carousel")
case("link-dir-mirror-status-text", "rotating-ad", "link_dir", C, ["relative"], seed=dict(ignore_text=[r"Mirror status: .*"]),
     base=setk(mstatus="Mirror status: 4/5 up, mirror 3 under DDoS"), edit=setk(mstatus="Mirror status: 5/5 up"),
     why="the site's own 'Mirror status: …' line changes; the seed ignores it")
case("ru-shop-btc-rate", "rotating-ad", "ru_shop", C, ["counter"], seed=dict(ignore_text=[r"Курс BTC: .*"]),
     base=setk(rate="Курс BTC: 9 120 450 ₽"), edit=setk(rate="Курс BTC: 9 087 300 ₽"),
     why="the BTC/RUB rate line moves; the seed ignores 'Курс BTC: …' (the RUB price is unchanged)")
case("xmr-item-queue-position", "rotating-ad", "xmr_item", C, ["nonce"], seed=dict(ignore_text=[r"Queue position: \d+ of \d+"]),
     base=setk(queue="You passed the queue. Queue position: 34 of 210"), edit=setk(queue="You passed the queue. Queue position: 7 of 96"),
     why="the anti-DDoS queue position changes; the seed ignores 'Queue position: N of M'")

# ------------------------------------------------------------------ changed: prices ----
case("market-item-price-next-to-clock", "price", "market_item", X, ["clock", "counter", "csrf"], opts=dict(clock="iso_z"),
     base=setk(price="$120.00", price_stamp=True), edit=setk(price="$125.00"),
     why="price $120.00 → $125.00, right next to an 'updated HH:MM' stamp that also moves")
case("market-item-price-btc", "price", "market_item", X, ["relative", "session"],
     base=setk(price="0.0021 BTC", tiers=[("1 pc", "0.0021 BTC"), ("5 pcs", "0.0100 BTC"), ("10 pcs", "0.0190 BTC")]),
     edit=setk(price="0.0025 BTC", tiers=[("1 pc", "0.0025 BTC"), ("5 pcs", "0.0100 BTC"), ("10 pcs", "0.0190 BTC")]),
     why="price 0.0021 BTC → 0.0025 BTC (and the 1-pc tier with it)")
case("market-item-tier-price", "price", "market_item", X, ["clock", "nonce", "cache"], opts=dict(clock="rfc2822"),
     base=setk(price="$90.00", tiers=[("1 pc", "$90"), ("5 pcs", "$430"), ("10 pcs", "$810")]),
     edit=setk(tiers=[("1 pc", "$90"), ("5 pcs", "$430"), ("10 pcs", "$760")]),
     why="only the 10-piece tier price changes, $810 → $760")
case("xmr-item-price-xmr", "price", "xmr_item", X, ["clock", "csrf", "nonce"], opts=dict(clock="syslog"),
     base=setk(price="0.85 XMR"), edit=setk(price="0.95 XMR"),
     why="price 0.85 XMR → 0.95 XMR while the 'Rendered' clock, csrf line and trace id move")
case("market-category-row-price", "price", "market_category", X, ["relative", "counter", "session"],
     opts=dict(sess="phpsessid"), edit=lambda c, r: c["rows"][2].update(price=c["rows"][2]["price"][0] + str(int(c["rows"][2]["price"][1:]) + 4)),
     why="one row's price goes up by 4 among rows whose 'added … ago' ages")
case("ru-shop-price-rub", "price", "ru_shop", X, ["clock", "relative", "counter"],
     base=setk(price="2 500 ₽"), edit=setk(price="2 700 ₽"),
     why="price 2 500 ₽ → 2 700 ₽ while the Russian clock, 'назад' and views change")
case("de-classified-preis", "price", "de_classified", X, ["relative", "counter"],
     base=setk(price="120 €"), edit=setk(price="150 €"),
     why="rent 120 € → 150 € pro Woche while 'vor N Minuten' and Aufrufe change")
case("zh-shop-price", "price", "zh_shop", X, ["clock", "counter"], edit=item("prods", 1, price="¥38"),
     why="one product's price ¥35 → ¥38")
case("shop-sale-price", "price", "shop", X, ["clock", "counter", "session"], opts=dict(clock="osc"),
     edit=lambda c, r: c.update(was=c["price"], price="$" + f"{float(c['price'][1:]) * 0.8:.2f}"),
     why="a sale: the old price is struck through and a new, lower price shown")
case("escort-ad-rate", "price", "escort_ad", X, ["relative", "counter"],
     base=lambda c, r: c.update(rates=[("30 min", "£90"), ("1 hour", "£150"), ("Overnight", "£800")]),
     edit=lambda c, r: c.update(rates=[("30 min", "£90"), ("1 hour", "£170"), ("Overnight", "£800")]),
     why="the 1-hour rate £150 → £170 ('30 min' and '1 hour' are durations, not times)")

# ------------------------------------------------------------------- changed: stock ----
case("market-item-stock-5-to-3", "stock", "market_item", X, ["clock", "counter", "nonce"],
     base=setk(stock=5), edit=setk(stock=3),
     why="'In stock: 5' → 'In stock: 3' while views, online users and the request id change")
case("market-item-sold-out", "stock", "market_item", X, ["relative", "session", "csrf"],
     base=setk(stock=2), edit=setk(stock="Sold out"),
     why="'In stock: 2' → 'Sold out'")
case("shop-only-left", "stock", "shop", X, ["counter", "session"],
     base=setk(stock="Only 3 left in stock"), edit=setk(stock="Only 2 left in stock"),
     why="'Only 3 left in stock' → 'Only 2 left in stock' while visitor counters change")
case("shop-back-in-stock", "stock", "shop", X, ["clock", "cache"], opts=dict(clock="osc"),
     base=setk(stock="Out of stock"), edit=setk(stock="In stock"),
     why="'Out of stock' → 'In stock'")
case("ru-shop-v-nalichii", "stock", "ru_shop", X, ["clock", "counter"],
     base=setk(stock=5), edit=setk(stock=3),
     why="'В наличии: 5 шт.' → '3 шт.' while 'Просмотров' changes")
case("zh-shop-sold-out", "stock", "zh_shop", X, ["relative", "counter"], edit=item("prods", 2, stock="已售罄"),
     why="one product goes from '库存：N' to '已售罄' (sold out)")
case("market-category-row-out-of-stock", "stock", "market_category", X, ["clock", "counter", "csrf"],
     base=item("rows", 1, stock=12), edit=item("rows", 1, stock=0),
     why="one row's stock 12 → 'Out of stock'")
case("xmr-item-available", "stock", "xmr_item", X, ["clock", "nonce", "counter"],
     base=setk(available=14), edit=setk(available=9),
     why="'Available 14' → '9' while the debug line (queries, trace id) changes")

# ---------------------------------------------------------------- changed: contacts ----
case("escort-ad-phone-one-digit", "contact", "escort_ad", X, ["relative", "counter", "clock"],
     edit=lambda c, r: c.update(phone=one_digit(c["phone"], r)),
     why="the advertised phone number differs in one digit (visible text and tel: link)")
case("vendor-profile-telegram", "contact", "vendor_profile", X, ["relative", "counter"],
     edit=contact(0, lambda c, r: r.choice([h for h in TG if h != c["contacts"][0][1]])),
     why="the vendor's Telegram handle changes")
case("vendor-profile-session-messenger", "contact", "vendor_profile", X, ["session", "nonce"],
     edit=contact(2, lambda c, r: "05" + hexs(r, 64)),
     why="the vendor's Session messenger ID (05 + 64 hex) changes, while session ids in links also rotate")
case("vendor-profile-pgp-fingerprint", "contact", "vendor_profile", X, ["nonce", "clock"], opts=dict(clock="iso_space"),
     base=setk(pgp_compact=True), edit=lambda c, r: c.update(pgp=pgp_fp(r)),
     why="the vendor's PGP fingerprint (40 hex, one word) is replaced while the 20-hex 'Request ID' also changes")
case("vendor-profile-email", "contact", "vendor_profile", X, ["cache", "counter"],
     edit=contact(3, lambda c, r: c["contacts"][3][1].replace("@", "2@")),
     why="the vendor's e-mail address changes")
case("ru-shop-telegram", "contact", "ru_shop", X, ["relative", "counter"],
     edit=lambda c, r: c.update(tg=c["tg"] + "_2"),
     why="the shop's Telegram contact changes")
case("de-classified-telefon", "contact", "de_classified", X, ["clock", "relative", "counter"],
     edit=lambda c, r: c.update(phone=one_digit(c["phone"], r, skip=5)),
     why="the phone number differs in one digit while Stand, 'vor …' and Aufrufe change")
case("es-list-tel", "contact", "es_list", X, ["relative", "counter"],
     edit=lambda c, r: c["ads"][1].update(tel=one_digit(c["ads"][1]["tel"], r)),
     why="one ad's phone number differs in one digit")
case("zh-shop-wechat", "contact", "zh_shop", X, ["clock", "relative"],
     edit=lambda c, r: c.update(wechat=c["wechat"][:-1] + str((int(c["wechat"][-1]) + 1) % 10)),
     why="the WeChat ID changes in its last digit")
case("ja-board-line-id", "contact", "ja_board", X, ["relative", "counter"], edit=item("jobs", 1, line="resort_macau_2"),
     why="one job ad's LINE contact ID changes")
case("fr-forum-signal-number", "contact", "fr_forum", X, ["clock", "counter"],
     edit=repl("posts", 2, "+33 6 12 48 90 17", "+33 6 12 48 90 71", part=2),
     why="the Signal number in the moderator's post changes (two digits swapped)")

# ---------------------------------------------------------- changed: listing added ----
case("market-category-new-row", "listing-added", "market_category", X, ["relative", "counter", "session"],
     edit=lambda c, r: c["rows"].insert(0, dict(id=9931, title="Scan: EU passport, custom name (bulk)", vendor="TheForger",
                                                price="$55", stock=20, rel=0)),
     why="a new listing row (link and text) appears at the top")
case("vendor-profile-new-listing", "listing-added", "vendor_profile", X, ["clock", "counter"],
     edit=lambda c, r: c["listings"].append((9044, "UK utility bill template, 2027 layout", "$30")),
     why="the vendor lists a new item (new link and text)")
case("es-list-new-ad", "listing-added", "es_list", X, ["relative", "clock"],
     edit=lambda c, r: c["ads"].insert(0, dict(id=99120, name="Irina", edad=22, ciudad="Málaga", tel="644 210 775",
                                              tarifa="100 €/h", texto="Recién llegada, discreta y simpática.", rel=0)),
     why="a new ad appears at the top of the list")
case("link-dir-new-entry", "listing-added", "link_dir", X, ["relative", "counter"],
     edit=lambda c, r: c["secs"][0][1].append(["Ostrich Market", site_onion("dir-ostrich"), "New, escrow, BTC only", "", 0]),
     why="a new market is added to the directory")
case("ja-board-new-job", "listing-added", "ja_board", X, ["relative", "counter"],
     edit=lambda c, r: c["jobs"].insert(0, dict(id=77120, title="キャバクラスタッフ（送迎・寮あり）", loc="福岡県福岡市",
                                               wage="日給 3万円", line="fk_night_job", desc="身分証は入店時にお預かりします。", rel=0)),
     why="a new job ad is posted at the top")
case("zh-shop-new-product", "listing-added", "zh_shop", X, ["clock", "relative"],
     edit=lambda c, r: c["prods"].append(dict(id=888, name="境外银行卡（带U盾）", price="¥900", stock=3, rel=0)),
     why="a new product row appears")

# -------------------------------------------------------- changed: listing removed ----
case("market-category-row-removed", "listing-removed", "market_category", X, ["clock", "counter"],
     edit=lambda c, r: c["rows"].pop(3), why="one listing row (link and text) disappears")
case("vendor-profile-listing-removed", "listing-removed", "vendor_profile", X, ["relative", "csrf"],
     edit=lambda c, r: c["listings"].pop(0), why="one of the vendor's listings disappears")
case("es-list-ad-removed", "listing-removed", "es_list", X, ["relative", "counter"],
     edit=lambda c, r: c["ads"].pop(2), why="one ad is taken down")
case("link-dir-entry-removed", "listing-removed", "link_dir", X, ["relative", "clock"],
     edit=lambda c, r: c["secs"][1][1].pop(1), why="a forum is dropped from the directory")
case("ja-board-job-removed", "listing-removed", "ja_board", X, ["clock", "counter"],
     edit=lambda c, r: c["jobs"].pop(1), why="the overseas resort job ad is removed")
case("zh-shop-product-removed", "listing-removed", "zh_shop", X, ["relative", "counter"],
     edit=lambda c, r: c["prods"].pop(2), why="one product row disappears")

# --------------------------------------------------------------- changed: text edits ----
case("phpbb-post-one-word", "text-edit", "phpbb", X, ["clock", "counter", "session"],
     edit=lambda c, r: repl("posts", 1, f"meet them in {c['city']}", "meet them in Gdansk", part=3)(c, r),
     why="a post is edited by one word: the meeting city")
case("smf-post-edit", "text-edit", "smf", X, ["clock", "counter", "session"],
     edit=repl("posts", 0, "plus apartment", "plus a hotel room", part=2),
     why="the job offer in the first post now says 'plus a hotel room' instead of 'plus apartment'")
case("news-article-arrests", "text-edit", "news", X, ["clock", "counter", "nonce"],
     edit=repl("paras", 0, "arrested four people", "arrested five people"),
     why="the article is corrected: four → five arrests")
case("news-article-victim-count", "text-edit", "news", X, ["counter", "cache"],
     edit=repl("paras", 2, "at least 41 people", "at least 44 people"),
     why="the number of identified victims in the article changes, 41 → 44, while '1,234 views' also changes")
case("ru-forum-post-edit", "text-edit", "ru_forum", X, ["clock", "relative", "counter"],
     edit=repl("posts", 0, "работу хостес", "работу официантки", part=2),
     why="the first post is edited: 'hostess' job becomes 'waitress' job")
case("fr-forum-post-edit", "text-edit", "fr_forum", X, ["relative", "counter"],
     edit=repl("posts", 0, "avec deux autres filles", "avec trois autres filles", part=2),
     why="the first post is edited: two other girls become three (a word, not a digit)")
case("escort-ad-about-edit", "text-edit", "escort_ad", X, ["relative", "counter"],
     edit=repl("about", 1, "Outcall only.", "Incall and outcall."),
     why="the ad text changes from outcall only to incall and outcall")
case("market-item-reply-time-hours", "text-edit", "market_item", X, ["clock", "relative"],
     edit=repl("desc", 2, "within 12 hours", "within 48 hours"),
     why="the vendor's promised answer time changes 12 → 48 hours (a duration, not a relative time)")

# ------------------------------------------------------------------ changed: vendors ----
case("market-item-vendor-renamed", "vendor", "market_item", X, ["clock", "counter"],
     base=setk(vendor="Frostbyte"), edit=setk(vendor="Frostbyte_EU"),
     why="the listing's vendor changes from Frostbyte to Frostbyte_EU (text and vendor link)")
case("market-category-row-vendor", "vendor", "market_category", X, ["relative", "session"],
     base=item("rows", 0, vendor="GhostPrints"), edit=item("rows", 0, vendor="GreyMatterLab"),
     why="one row is now sold by another vendor")
case("xmr-item-vendor", "vendor", "xmr_item", X, ["clock", "csrf"],
     base=setk(vendor="MoneroMike"), edit=setk(vendor="SilentCourier"),
     why="the listing's vendor changes")
case("ru-shop-seller", "vendor", "ru_shop", X, ["clock", "relative"],
     base=setk(seller="Лавочник"), edit=setk(seller="Лавочник_2"),
     why="the seller name changes")
case("vendor-profile-renamed", "vendor", "vendor_profile", X, ["counter", "nonce"],
     base=setk(vendor="Kr0nos"), edit=setk(vendor="Kr0nos_v2"),
     why="the vendor page now carries a new vendor name (title and heading)")

# ------------------------------------------------------------ changed: onion addresses ----
case("mirror-status-mirror-replaced", "onion-address", "mirror_status", X, ["clock", "nonce"], opts=dict(clock="hms_utc"),
     edit=lambda c, r: c["mirrors"].__setitem__(2, (c["mirrors"][2][0], onion_v3(r) + ".onion")),
     why="mirror 3's onion address is replaced by another")
case("link-dir-address-changed", "onion-address", "link_dir", X, ["relative", "counter"],
     edit=lambda c, r: c["secs"][0][1][1].__setitem__(1, onion_v3(r) + ".onion"),
     why="one directory entry now points to a different onion address (text and link)")
case("vendor-profile-shop-mirror", "onion-address", "vendor_profile", X, ["relative", "cache"],
     edit=lambda c, r: c.update(mirror=onion_v3(r) + ".onion"),
     why="the vendor's shop mirror changes")
case("market-item-official-mirror", "onion-address", "market_item", X, ["counter", "session", "csrf"],
     edit=lambda c, r: c.update(mirror=onion_v3(r) + ".onion"),
     why="the footer's 'Official mirror' address changes (possible phishing swap)")
case("xmr-item-mirror-link-only", "onion-address", "xmr_item", X, ["clock", "nonce"],
     edit=lambda c, r: c["mirrors"].__setitem__(1, ("Mirror 2", site_onion("cobalt-2-new"))),
     why="the 'Mirror 2' link points to another onion; its visible label is the same (a change in links only)")

# ----------------------------------------------------------- changed: crypto addresses ----
case("vendor-profile-btc-address", "crypto-address", "vendor_profile", X, ["clock", "counter"],
     edit=lambda c, r: c.update(btc=btc_bech32(r)), why="the vendor's BTC address changes")
case("vendor-profile-xmr-address", "crypto-address", "vendor_profile", X, ["relative", "nonce"],
     edit=lambda c, r: c.update(xmr=xmr_address(r)), why="the vendor's XMR address changes")
case("ru-shop-btc-address", "crypto-address", "ru_shop", X, ["clock", "counter"],
     edit=lambda c, r: c.update(btc=btc_bech32(r)), why="the payment BTC address changes")
case("zh-shop-usdt-address", "crypto-address", "zh_shop", X, ["relative", "counter"],
     edit=lambda c, r: c.update(usdt=eth_address(r)), why="the USDT (ERC20) receiving address changes")
case("xmr-item-deposit-address", "crypto-address", "xmr_item", X, ["clock", "csrf", "counter"],
     edit=lambda c, r: c.update(deposit=xmr_address(r)),
     why="the order deposit address changes while the visible csrf line and counters also change")

# -------------------------------------------------------------------- changed: status ----
case("vendor-profile-vacation", "status", "vendor_profile", X, ["relative", "counter"],
     edit=setk(status="On vacation, orders paused"), why="the vendor goes from Active to On vacation")
case("escort-ad-unavailable", "status", "escort_ad", X, ["relative", "counter", "clock"],
     edit=setk(available="Not available, ad paused"), why="the ad goes from 'Available today' to 'Not available'")
case("market-item-suspended", "status", "market_item", X, ["clock", "counter"],
     edit=setk(notice="This listing has been suspended by staff pending review."), why="a suspension notice appears")
case("phpbb-topic-locked", "status", "phpbb", X, ["clock", "counter", "session"],
     edit=setk(locked=True), why="the topic is locked")
case("link-dir-scam-flag", "status", "link_dir", X, ["relative", "counter"],
     edit=lambda c, r: c["secs"][0][1][2].__setitem__(3, "SCAM"), why="a market in the directory is flagged SCAM")
case("de-classified-reserviert", "status", "de_classified", X, ["relative", "counter"],
     edit=setk(reserved=True), why="the ad gets a 'Reserviert' badge")

# ---------------------------------------------------------------- changed: other edits ----
case("market-item-ships-to", "other-real", "market_item", X, ["clock", "counter"], opts=dict(clock="iso_space"),
     edit=setk(ships_to="EU only"), why="shipping destinations change from Worldwide to EU only")
case("market-item-payment-xmr-added", "other-real", "market_item", X, ["relative", "csrf"],
     base=setk(payment="BTC"), edit=setk(payment="BTC, XMR"), why="XMR is added to the accepted payments")
case("market-category-view-link-only", "other-real", "market_category", X, ["counter", "csrf"],
     edit=lambda c, r: c["rows"][3].update(view=c["rows"][3]["id"] + 7),
     why="a row's 'View' link now points to another listing page; the visible text is the same")
case("news-source-link-changed", "other-real", "news", X, ["clock", "nonce"],
     edit=lambda c, r: c.update(source=(c["source"][0], "https://prosecutor.example.gov/press/2026/ring-statement-corrected")),
     why="the link to the source statement points to a new document; the visible text is the same")
case("shop-image-link-new-product", "other-real", "shop", X, ["counter", "session"],
     edit=setk(banner=777), why="an image-only link to a new product page appears; the visible text is the same (links only)")
case("escort-ad-age", "other-real", "escort_ad", X, ["relative", "counter"],
     base=setk(age=21), edit=setk(age=19), why="the advertised age changes 21 → 19")
case("escort-ad-city", "other-real", "escort_ad", X, ["relative", "clock"],
     base=setk(city="London", area="Paddington"), edit=setk(city="Manchester", area="City Centre"),
     why="the advertised city moves from London to Manchester")
case("de-classified-ort", "other-real", "de_classified", X, ["clock", "counter"],
     base=setk(city="Hamburg", district="Wilhelmsburg", plz="21107"), edit=setk(district="Harburg", plz="21073"),
     why="the room's address moves to another district and postcode while Stand and Aufrufe change")

# ------------------------------------- changed although the seed ignores a widget ----
case("market-item-ad-and-price", "price", "market_item", X, ["clock", "csrf"], seed=dict(ignore_selectors=[".ad"]),
     base=setk(ad=ADS[2], price="$60.00"), edit=setk(ad=ADS[0], price="$65.00"),
     why="the ignored .ad rotates, but the price $60.00 → $65.00 is outside it")
case("phpbb-shoutbox-and-post-edit", "text-edit", "phpbb", X, ["counter"], seed=dict(ignore_selectors=[".shoutbox"]),
     base=setk(shout=[("kaz", "anyone up?")]),
     edit=both(setk(shout=[("quietbird", "reports go to mods please")]),
               repl("posts", 0, "passport kept", "passport and phone kept", part=3)),
     why="the ignored shoutbox changes, but the first post is also edited")
case("link-dir-mirror-status-and-onion", "onion-address", "link_dir", X, ["relative"], seed=dict(ignore_text=[r"Mirror status: .*"]),
     base=setk(mstatus="Mirror status: 5/5 up"),
     edit=lambda c, r: (c.update(mstatus="Mirror status: 3/5 up"), c["secs"][2][1][0].__setitem__(1, onion_v3(r) + ".onion")),
     why="the ignored 'Mirror status' line changes, and a listed onion address changes too")
case("news-trending-and-article-edit", "text-edit", "news", X, ["nonce"], seed=dict(ignore_selectors=[".trending"]),
     base=setk(trending=[("a1", "Storm closes Baltic ferry routes")]),
     edit=both(setk(trending=[("a4", "New border checks from Monday")]), repl("paras", 0, "farms and hotels", "farms and restaurants")),
     why="the ignored Trending box changes, and the article text is also edited")
case("es-list-vip-and-phone", "contact", "es_list", X, ["relative"], seed=dict(ignore_selectors=[".vip-carousel"]),
     base=setk(vip=[(51220, "Sara, 24, Madrid centro")]),
     edit=lambda c, r: (c.update(vip=[(60113, "Nuevas chicas en Valencia")]), c["ads"][0].update(tel=one_digit(c["ads"][0]["tel"], r))),
     why="the ignored VIP carousel rotates, and a regular ad's phone number changes")
case("shop-recs-and-stock", "stock", "shop", X, ["session"], seed=dict(ignore_selectors=[".recs"]),
     base=setk(recs=[(311, "Screen protector")], stock="In stock"),
     edit=setk(recs=[(402, "Car charger")], stock="Only 1 left in stock"),
     why="the ignored recommendations change, and the stock line too")
case("ru-shop-rate-and-price", "price", "ru_shop", X, ["counter"], seed=dict(ignore_text=[r"Курс BTC: .*"]),
     base=setk(rate="Курс BTC: 9 120 450 ₽", price="1 800 ₽"), edit=setk(rate="Курс BTC: 9 301 000 ₽", price="1 900 ₽"),
     why="the ignored rate line moves, and the RUB price 1 800 ₽ → 1 900 ₽")
case("vb-online-list-and-announcement", "text-edit", "vb", X, ["clock", "session"], seed=dict(ignore_selectors=["#online-list"]),
     base=setk(online_list=["admin", "sadie"]),
     edit=lambda c, r: c.update(online_list=["lena_k"], announce=c["announce"].replace("are removed", "are removed and the poster banned")),
     why="the ignored online list changes, and the staff announcement is edited")


# ======================================================================================
# Validate, write, count.
# ======================================================================================

CATEGORIES = ["clock", "relative-time", "counter", "csrf", "session-id", "cache-buster", "nonce", "rotating-ad", "combo",
              "price", "stock", "contact", "listing-added", "listing-removed", "text-edit", "vendor", "onion-address",
              "crypto-address", "status", "other-real"]
COSMETIC_CATS = set(CATEGORIES[:9])


def validate():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate names"
    for cs in CASES:
        nm = cs["name"]
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", nm), nm
        assert cs["category"] in CATEGORIES, nm
        assert (cs["category"] in COSMETIC_CATS) == (cs["expected"] == "cosmetic"), nm
        assert cs["before"] != cs["after"], nm
        for side in ("before", "after"):
            lines = cs[side].count("\n")
            assert 20 <= lines <= 200, (nm, side, lines)
            assert cs[side].startswith("<!DOCTYPE html>"), nm
        tb, lb = read_page(cs["before"], cs["url"])
        ta, la = read_page(cs["after"], cs["url"])
        assert tb != ta or lb != la, f"{nm}: visible text and links are identical; the case tests nothing"
        if "seed" in cs:
            plain = dict(cs)
            del plain["seed"]
            if cs["expected"] == "cosmetic":
                assert reference_class(plain) == "changed", f"{nm}: cosmetic even without its seed"


def main():
    validate()
    out = []
    for cs in CASES:
        d = {k: v for k, v in cs.items() if not k.startswith("_")}
        out.append(d)
    path = HERE / "cases.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    json.load(open(path, encoding="utf-8"))
    by_cat = {}
    for cs in CASES:
        by_cat[cs["category"]] = by_cat.get(cs["category"], 0) + 1
    labels = {"cosmetic": 0, "changed": 0}
    seeded = {"cosmetic": 0, "changed": 0}
    for cs in CASES:
        labels[cs["expected"]] += 1
        if "seed" in cs:
            seeded[cs["expected"]] += 1
    print(f"{len(CASES)} cases: {labels['cosmetic']} cosmetic ({seeded['cosmetic']} need their seed), "
          f"{labels['changed']} changed ({seeded['changed']} with a seed that does not cover the change)")
    for cat in CATEGORIES:
        print(f"  {cat:16} {by_cat.get(cat, 0):3}  {'cosmetic' if cat in COSMETIC_CATS else 'changed'}")
    if "--check" in sys.argv:
        wrong = [cs for cs in CASES if reference_class(cs) != cs["expected"]]
        acc = 100 * (len(CASES) - len(wrong)) / len(CASES)
        print(f"reference classifier: {len(CASES) - len(wrong)}/{len(CASES)} right ({acc:.1f} %)")
        for cs in wrong:
            print(f"  wrong: {cs['name']} (expected {cs['expected']})")


if __name__ == "__main__":
    main()
