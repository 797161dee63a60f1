#!/usr/bin/env python3
"""Build the held-out entity corpus: 16 realistic pages, labels.json, README.md.

How to run (from anywhere; writes only next to this file):

    pip install pycryptodome base58 phonenumbers publicsuffixlist
    python3 tests/entity-corpus-heldout/make_corpus.py

Everything is deterministic (fixed seeds).  The only material that cannot be
recomputed byte-for-byte is OpenPGP (gpg puts random salts/nonces into keys
and signatures); it lives in pgp_material.json.  If that file is missing, the
script makes throwaway keys with gpg in a temporary GNUPGHOME (apt-get install
-y gnupg if gpg is missing) and stores them, so every later run is
byte-identical.

Every positive is re-validated here by decoders that are written separately
from the encoders (base58 by hand, bech32 BIP-173/350 reference decoding,
EIP-55, Monero base58 + Keccak, CashAddr polymod, mod-97, the public suffix
list, libphonenumber, SHA3 onion checksum, OpenPGP packet parsing), every
registered negative is checked to be rejected, and finally each page is
scanned as a whole: every valid entity a plain regex finds outside
<script>/<style>/comments must be labelled, nothing valid may sit inside
them, and libphonenumber's matcher is run to list any unlabelled
phone-like text for review.  Per-kind counts are printed at the end.
"""
import base64
import hashlib
import html
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import textwrap
import unicodedata
import zlib
from pathlib import Path

import base58
import phonenumbers
from Crypto.Hash import keccak
from phonenumbers import PhoneNumberFormat
from publicsuffixlist import PublicSuffixList

HERE = Path(__file__).resolve().parent
PSL = PublicSuffixList(accept_unknown=False)

# ---------------------------------------------------------------- hashing ---

def sha256d(b):
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


def keccak256(b):
    k = keccak.new(digest_bits=256)
    k.update(b)
    return k.digest()


# ------------------------------------------------------------ base58check ---
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58check_encode(version, payload):
    """Encoder: the base58 package."""
    return base58.b58encode_check(bytes(version) + payload).decode()


def b58decode_indep(s):
    """Independent decoder (big integer), used for validation."""
    n = 0
    for ch in s:
        i = B58.find(ch)
        if i < 0:
            return None
        n = n * 58 + i
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(s) - len(s.lstrip("1"))
    return b"\x00" * pad + body


def b58check_decode_indep(s):
    raw = b58decode_indep(s)
    if raw is None or len(raw) < 5:
        return None
    if sha256d(raw[:-4])[:4] != raw[-4:]:
        return None
    return raw[:-4]


# ------------------------------------------ bech32 / bech32m (BIP-173/350) ---
# Reference code (Pieter Wuille, MIT), inlined.
CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32, BECH32M = 1, 2
BECH32M_CONST = 0x2BC830A3


def bech32_polymod(values):
    generator = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            chk ^= generator[i] if ((top >> i) & 1) else 0
    return chk


def bech32_hrp_expand(hrp):
    return [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]


def bech32_verify_checksum(hrp, data):
    const = bech32_polymod(bech32_hrp_expand(hrp) + data)
    if const == 1:
        return BECH32
    if const == BECH32M_CONST:
        return BECH32M
    return None


def bech32_create_checksum(hrp, data, spec):
    values = bech32_hrp_expand(hrp) + data
    const = BECH32M_CONST if spec == BECH32M else 1
    polymod = bech32_polymod(values + [0, 0, 0, 0, 0, 0]) ^ const
    return [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]


def bech32_encode(hrp, data, spec):
    combined = data + bech32_create_checksum(hrp, data, spec)
    return hrp + "1" + "".join([CHARSET[d] for d in combined])


def bech32_decode(bech):
    if any(ord(x) < 33 or ord(x) > 126 for x in bech) or (
        bech.lower() != bech and bech.upper() != bech
    ):
        return (None, None, None)
    bech = bech.lower()
    pos = bech.rfind("1")
    if pos < 1 or pos + 7 > len(bech) or len(bech) > 90:
        return (None, None, None)
    if not all(x in CHARSET for x in bech[pos + 1:]):
        return (None, None, None)
    hrp = bech[:pos]
    data = [CHARSET.find(x) for x in bech[pos + 1:]]
    spec = bech32_verify_checksum(hrp, data)
    if spec is None:
        return (None, None, None)
    return (hrp, data[:-6], spec)


def convertbits(data, frombits, tobits, pad=True):
    acc = 0
    bits = 0
    ret = []
    maxv = (1 << tobits) - 1
    max_acc = (1 << (frombits + tobits - 1)) - 1
    for value in data:
        if value < 0 or (value >> frombits):
            return None
        acc = ((acc << frombits) | value) & max_acc
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            ret.append((acc >> bits) & maxv)
    if pad:
        if bits:
            ret.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits or ((acc << (tobits - bits)) & maxv):
        return None
    return ret


def segwit_decode(hrp, addr):
    hrpgot, data, spec = bech32_decode(addr)
    if hrpgot != hrp:
        return (None, None)
    decoded = convertbits(data[1:], 5, 8, False)
    if decoded is None or len(decoded) < 2 or len(decoded) > 40:
        return (None, None)
    if data[0] > 16:
        return (None, None)
    if data[0] == 0 and len(decoded) != 20 and len(decoded) != 32:
        return (None, None)
    if data[0] == 0 and spec != BECH32 or data[0] != 0 and spec != BECH32M:
        return (None, None)
    return (data[0], decoded)


def segwit_encode(hrp, witver, witprog):
    spec = BECH32 if witver == 0 else BECH32M
    ret = bech32_encode(hrp, [witver] + convertbits(witprog, 8, 5), spec)
    assert segwit_decode(hrp, ret) != (None, None)
    return ret


# ------------------------------------------------------------------ EIP-55 ---

def eip55(addr20):
    h = addr20.hex()
    d = keccak256(h.encode()).hex()
    return "0x" + "".join(c.upper() if c.isalpha() and int(d[i], 16) >= 8 else c
                          for i, c in enumerate(h))


# ---------------------------------------------------------------- ed25519 ---
# Points are real curve points so the Monero keys / onion keys look genuine.
ED_P = 2 ** 255 - 19
ED_L = 2 ** 252 + 27742317777372353535851937790883648493
ED_D = -121665 * pow(121666, ED_P - 2, ED_P) % ED_P


def _ed_recover_x(y, sign):
    x2 = (y * y - 1) * pow(ED_D * y * y + 1, ED_P - 2, ED_P) % ED_P
    x = pow(x2, (ED_P + 3) // 8, ED_P)
    if (x * x - x2) % ED_P:
        x = x * pow(2, (ED_P - 1) // 4, ED_P) % ED_P
    if (x & 1) != sign:
        x = ED_P - x
    return x


_GY = 4 * pow(5, ED_P - 2, ED_P) % ED_P
_GX = _ed_recover_x(_GY, 0)
ED_G = (_GX, _GY, 1, _GX * _GY % ED_P)


def _ed_add(p, q):
    a = (p[1] - p[0]) * (q[1] - q[0]) % ED_P
    b = (p[1] + p[0]) * (q[1] + q[0]) % ED_P
    c = 2 * p[3] * q[3] * ED_D % ED_P
    d = 2 * p[2] * q[2] % ED_P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % ED_P, g * h % ED_P, f * g % ED_P, e * h % ED_P)


def ed_pub(scalar):
    q, p = (0, 1, 1, 0), ED_G
    while scalar:
        if scalar & 1:
            q = _ed_add(q, p)
        p = _ed_add(p, p)
        scalar >>= 1
    zi = pow(q[2], ED_P - 2, ED_P)
    x, y = q[0] * zi % ED_P, q[1] * zi % ED_P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


# ----------------------------------------------------------------- Monero ---
XMR_BLOCK = [0, 2, 3, 5, 6, 7, 9, 10, 11]


def xmr_b58encode(data):
    out = []
    for i in range(0, len(data), 8):
        blk = data[i:i + 8]
        n = int.from_bytes(blk, "big")
        s = ""
        for _ in range(XMR_BLOCK[len(blk)]):
            n, r = divmod(n, 58)
            s = B58[r] + s
        out.append(s)
    return "".join(out)


def xmr_b58decode(s):
    full, rem = divmod(len(s), 11)
    if rem not in XMR_BLOCK:
        return None
    out = b""
    chunks = [s[i * 11:(i + 1) * 11] for i in range(full)] + ([s[full * 11:]] if rem else [])
    for ch in chunks:
        nbytes = XMR_BLOCK.index(len(ch))
        n = 0
        for c in ch:
            i = B58.find(c)
            if i < 0:
                return None
            n = n * 58 + i
        if n >= 256 ** nbytes:
            return None
        out += n.to_bytes(nbytes, "big")
    return out


def xmr_encode(prefix, spend, view, payment_id=b""):
    body = bytes([prefix]) + spend + view + payment_id
    return xmr_b58encode(body + keccak256(body)[:4])


# --------------------------------------------------------------- CashAddr ---

def cash_polymod(values):
    c = 1
    for d in values:
        c0 = c >> 35
        c = ((c & 0x07FFFFFFFF) << 5) ^ d
        if c0 & 0x01:
            c ^= 0x98F2BC8E61
        if c0 & 0x02:
            c ^= 0x79B76D99E2
        if c0 & 0x04:
            c ^= 0xF33E5FB3C4
        if c0 & 0x08:
            c ^= 0xAE2EABE2A8
        if c0 & 0x10:
            c ^= 0x1E4F43E470
    return c ^ 1


def cash_prefix(prefix):
    return [ord(x) & 0x1F for x in prefix] + [0]


def cash_encode(kind, h160, prefix="bitcoincash"):
    payload = convertbits(bytes([kind << 3]) + h160, 8, 5)
    mod = cash_polymod(cash_prefix(prefix) + payload + [0] * 8)
    payload += [(mod >> 5 * (7 - i)) & 31 for i in range(8)]
    return prefix + ":" + "".join(CHARSET[d] for d in payload)


def cash_decode(addr, prefix="bitcoincash"):
    """Independent check: returns (type, hash) or None."""
    if ":" in addr:
        p, payload = addr.split(":", 1)
        if p.lower() != prefix:
            return None
    else:
        payload = addr
    if payload.lower() != payload and payload.upper() != payload:
        return None
    payload = payload.lower()
    if any(c not in CHARSET for c in payload):
        return None
    vals = [CHARSET.index(c) for c in payload]
    if cash_polymod(cash_prefix(prefix) + vals) != 0:
        return None
    data = convertbits(vals[:-8], 5, 8, False)
    if data is None or len(data) != 21 or data[0] & 0x07 != 0:
        return None
    return data[0] >> 3, bytes(data[1:])


# ------------------------------------------------------------------- onion ---

def onion_from_pub(pub, version=3):
    chk = hashlib.sha3_256(b".onion checksum" + pub + bytes([version])).digest()[:2]
    return base64.b32encode(pub + chk + bytes([version])).decode().lower() + ".onion"


def onion_valid(host):
    host = host.lower()
    m = re.fullmatch(r"([a-z2-7]{56})\.onion", host)
    if not m:
        return None
    raw = base64.b32decode(m.group(1).upper())
    pub, chk, ver = raw[:32], raw[32:34], raw[34]
    if ver != 3:
        return None
    if hashlib.sha3_256(b".onion checksum" + pub + bytes([ver])).digest()[:2] != chk:
        return None
    return host


# -------------------------------------------------------------------- IBAN ---
IBAN_LEN = dict(
    AD=24, AE=23, AL=28, AT=20, AZ=28, BA=20, BE=16, BG=22, BH=22, BR=29, BY=28,
    CH=21, CR=22, CY=28, CZ=24, DE=22, DK=18, DO=28, EE=20, EG=29, ES=24, FI=18,
    FO=18, FR=27, GB=22, GE=22, GI=23, GL=18, GR=27, GT=28, HR=21, HU=28, IE=22,
    IL=23, IQ=23, IS=26, IT=27, JO=30, KW=30, KZ=20, LB=28, LC=32, LI=21, LT=20,
    LU=20, LV=21, MC=27, MD=24, ME=22, MK=19, MR=27, MT=31, MU=30, NL=18, NO=15,
    PK=24, PL=28, PS=29, PT=25, QA=29, RO=24, RS=22, SA=24, SC=31, SE=24, SI=19,
    SK=24, SM=27, ST=25, SV=28, TL=23, TN=24, TR=26, UA=29, VA=22, VG=24, XK=20,
)


def iban_mod97(s):
    s = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97


def iban_valid(s):
    s = s.replace(" ", "")
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", s):
        return None
    if IBAN_LEN.get(s[:2]) != len(s):
        return None
    return s if iban_mod97(s) == 1 else None


def iban_make(cc, bban):
    chk = 98 - iban_mod97(cc + "00" + bban)
    return f"{cc}{chk:02d}{bban}"


def iban_spaced(s):
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


# ------------------------------------------------------------------- e-mail ---
EMAIL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


def email_valid(s):
    if not EMAIL_RE.fullmatch(s):
        return None
    dom = s.split("@", 1)[1].lower()
    suf = PSL.publicsuffix(dom)
    if suf is None or suf == dom:
        return None
    return s.lower()


def email_deobfuscate(s):
    t = s
    t = re.sub(r"\s*[\[\(]\s*(?:at|@)\s*[\]\)]\s*", "@", t, flags=re.I)
    t = re.sub(r"\s*[\[\(]\s*(?:dot|\.)\s*[\]\)]\s*", ".", t, flags=re.I)
    return t


# ------------------------------------------------------------------- phone ---
DIGIT_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
    "ноль": 0, "нуль": 0, "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5,
    "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    "cero": 0, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
}
PLUS_WORDS = {"plus", "плюс", "más", "mas"}


def phone_digits(s):
    s = re.sub(r"^(\s*(?:\+|＋|00)\s*\d{1,3}\s*)\(\s*0\s*\)", r"\1", s)
    out = []
    for tok in re.findall(r"\w+|\S", s):
        low = tok.lower()
        if low in DIGIT_WORDS:
            out.append(str(DIGIT_WORDS[low]))
        elif low in PLUS_WORDS:
            out.append("+")
        else:
            for ch in tok:
                if ch in "+＋":
                    out.append("+")
                elif unicodedata.category(ch) == "Nd":
                    out.append(str(unicodedata.digit(ch)))
    return "".join(out)


def phone_e164(written, region):
    """E.164 if `written` counts under the corpus rules, else None."""
    d = phone_digits(written)
    if d.startswith("00"):
        d = "+" + d[2:]
    try:
        if d.startswith("+"):
            if "+" in d[1:]:
                return None
            n = phonenumbers.parse(d, None)
        else:
            if not region:
                return None
            n = phonenumbers.parse(d, region)
            if phonenumbers.region_code_for_number(n) != region and n.country_code != phonenumbers.country_code_for_region(region):
                return None
            nat = re.sub(r"\D", "", phonenumbers.format_number(n, PhoneNumberFormat.NATIONAL))
            if nat != d:  # trunk-prefix rule
                return None
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(n):
        return None
    return phonenumbers.format_number(n, PhoneNumberFormat.E164)


def phone_any_valid(s, region):
    """For negatives: is s a valid number in any reading at all?"""
    d = phone_digits(s)
    cands = []
    if d.startswith("+"):
        cands.append((d, None))
    elif d.startswith("00"):
        cands.append(("+" + d[2:], None))
    elif region and d:
        cands.append((d, region))
    for c, r in cands:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(c, r)):
                return True
        except phonenumbers.NumberParseException:
            pass
    return False


# --------------------------------------------------------------------- PGP ---

def pgp_dearmor(block):
    lines = block.strip().splitlines()
    body, started = [], False
    for ln in lines[1:]:
        if not started:
            if ln.strip() == "":
                started = True
            continue
        if ln.startswith("-----END") or ln.startswith("="):
            break
        body.append(ln.strip())
    return base64.b64decode("".join(body))


def pgp_packets(data):
    i = 0
    while i < len(data):
        hdr = data[i]
        assert hdr & 0x80
        if hdr & 0x40:  # new format
            tag = hdr & 0x3F
            l0 = data[i + 1]
            if l0 < 192:
                ln, i = l0, i + 2
            elif l0 < 224:
                ln, i = ((l0 - 192) << 8) + data[i + 2] + 192, i + 3
            elif l0 == 255:
                ln, i = struct.unpack(">I", data[i + 2:i + 6])[0], i + 6
            else:
                raise ValueError("partial length")
        else:
            tag = (hdr >> 2) & 0x0F
            lt = hdr & 3
            n = {0: 1, 1: 2, 2: 4}[lt]
            ln = int.from_bytes(data[i + 1:i + 1 + n], "big")
            i += 1 + n
        yield tag, data[i:i + ln]
        i += ln


def pgp_key_fpr(block):
    tag, body = next(pgp_packets(pgp_dearmor(block)))
    assert tag == 6 and body[0] == 4
    return hashlib.sha1(b"\x99" + struct.pack(">H", len(body)) + body).hexdigest().upper()


def pgp_sig_issuer_fpr(signed):
    sig = signed[signed.index("-----BEGIN PGP SIGNATURE-----"):]
    tag, body = next(pgp_packets(pgp_dearmor(sig)))
    assert tag == 2 and body[0] == 4
    hlen = struct.unpack(">H", body[4:6])[0]
    sub = body[6:6 + hlen]
    j = 0
    while j < len(sub):
        l0 = sub[j]
        if l0 < 192:
            ln, j = l0, j + 1
        elif l0 < 255:
            ln, j = ((l0 - 192) << 8) + sub[j + 1] + 192, j + 2
        else:
            ln, j = struct.unpack(">I", sub[j + 1:j + 5])[0], j + 5
        st = sub[j] & 0x7F
        if st == 33:
            assert sub[j + 1] == 4
            return sub[j + 2:j + 22].hex().upper()
        j += ln
    raise ValueError("no issuer fingerprint")


# ---------------------------------------------------------------- validate ---

def validate(kind, s):
    """Independent validation; returns canonical value or None."""
    if kind in ("btc", "ltc", "trx"):
        if kind == "btc" and s.lower().startswith("bc1"):
            v, p = segwit_decode("bc", s)
            return s.lower() if v is not None else None
        if kind == "ltc" and s.lower().startswith("ltc1"):
            v, p = segwit_decode("ltc", s)
            return s.lower() if v is not None else None
        raw = b58check_decode_indep(s)
        if raw is None or len(raw) != 21:
            return None
        ok = {"btc": (0x00, 0x05), "ltc": (0x30, 0x32), "trx": (0x41,)}[kind]
        return s if raw[0] in ok else None
    if kind == "eth":
        if not re.fullmatch(r"0x[0-9a-fA-F]{40}", s):
            return None
        body = s[2:]
        cs = eip55(bytes.fromhex(body))
        if body == body.lower() or body == body.upper() or cs == s:
            return cs
        return None
    if kind == "xmr":
        raw = xmr_b58decode(s)
        if raw is None or len(raw) not in (69, 77):
            return None
        if keccak256(raw[:-4])[:4] != raw[-4:]:
            return None
        if (raw[0], len(raw)) not in ((18, 69), (42, 69), (19, 77)):
            return None
        return s
    if kind == "bch":
        r = cash_decode(s)
        if r is None:
            return None
        return "bitcoincash:" + s.split(":")[-1].lower()
    if kind == "iban":
        return iban_valid(s)
    if kind == "email":
        return email_valid(s)
    if kind == "onion":
        return onion_valid(s)
    raise ValueError(kind)


def selftest():
    assert ed_pub(1).hex() == "58" + "66" * 31
    assert validate("btc", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4") == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    # BIP-173-era v1 vector with a bech32 (not bech32m) checksum: invalid since BIP-350
    assert validate("btc", "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx") is None
    assert validate("btc", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7") is None
    assert eip55(bytes.fromhex("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")) == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    # CashAddr spec vector: 1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu
    h = b58check_decode_indep("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu")[1:]
    assert cash_encode(0, h) == "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"
    assert validate("trx", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    assert onion_valid("duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion")
    assert validate("iban", "GB82WEST12345698765432")
    assert validate("xmr", "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A")


# ================================================================ PGP material
PGP_FILE = HERE / "pgp_material.json"
PGP_KEYS = [  # name, user id, algorithm, creation time
    ("vendor", "NordLine Supply <nordline-pgp@tutanota.com>", "rsa3072", "20230911T101500"),
    ("paste", "dropmaster <dropmaster@cock.li>", "ed25519", "20220402T080000"),
    ("tgsigner", "Rabota Evropa admin <admin@rabota-evropa.info>", "ed25519", "20240105T120000"),
    ("forum", "Kurier77 <kurier77@proton.me>", "ed25519", "20210720T193000"),
]


def pgp_material(to_sign, to_encrypt):
    """to_sign: {name: (key, time, text)}, to_encrypt: {name: (key, time, text)}."""
    if PGP_FILE.exists():
        mat = json.loads(PGP_FILE.read_text())
        for name, (_k, _t, text) in {**to_sign, **to_encrypt}.items():
            stored = (mat["signed"] | mat["encrypted"])[name]["text"]
            assert stored == text, f"text of {name} changed: delete {PGP_FILE.name} to regenerate"
        return mat
    gpg = shutil.which("gpg")
    assert gpg, "gpg missing: apt-get install -y gnupg"
    home = tempfile.mkdtemp(prefix="heldout-gnupg-")
    os.chmod(home, 0o700)

    def run(args, t, inp=None):
        return subprocess.run(
            [gpg, "--homedir", home, "--batch", "--yes", "--pinentry-mode", "loopback",
             "--passphrase", "", "--faked-system-time", t + "!", *args],
            input=inp, capture_output=True, check=True, text=True).stdout

    mat = {"keys": {}, "signed": {}, "encrypted": {}}
    try:
        for name, uid, algo, t in PGP_KEYS:
            run(["--quick-gen-key", uid, algo, "sign,cert", "never"], t)
            cols = run(["--with-colons", "--list-keys", uid], t)
            fpr = [ln.split(":")[9] for ln in cols.splitlines() if ln.startswith("fpr:")][0]
            sub = "rsa3072" if algo.startswith("rsa") else "cv25519"
            run(["--quick-add-key", fpr, sub, "encr", "never"], t)
            mat["keys"][name] = {"uid": uid, "fpr": fpr,
                                 "armored": run(["--armor", "--export", fpr], t)}
        for name, (key, t, text) in to_sign.items():
            fpr = mat["keys"][key]["fpr"]
            mat["signed"][name] = {"key": key, "text": text,
                                   "armored": run(["--clearsign", "--local-user", fpr], t, text)}
        for name, (key, t, text) in to_encrypt.items():
            fpr = mat["keys"][key]["fpr"]
            mat["encrypted"][name] = {"key": key, "text": text, "armored": run(
                ["--armor", "--encrypt", "--trust-model", "always", "-r", fpr], t, text)}
    finally:
        shutil.rmtree(home, ignore_errors=True)
    PGP_FILE.write_text(json.dumps(mat, indent=1, ensure_ascii=False) + "\n")
    return mat


# ====================================================================== pools
R = random.Random(20240315)


def rb(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def rs():
    return R.randrange(1, ED_L)


BTC1 = [b58check_encode([0x00], rb(20)) for _ in range(8)]
BTC3 = [b58check_encode([0x05], rb(20)) for _ in range(5)]
BTCQ = [segwit_encode("bc", 0, rb(20)) for _ in range(7)]
BTCWSH = [segwit_encode("bc", 0, rb(32)) for _ in range(2)]
BTCP = [segwit_encode("bc", 1, ed_pub(rs())) for _ in range(3)]
ETH = [eip55(rb(20)) for _ in range(14)]
XMR = [xmr_encode(18, ed_pub(rs()), ed_pub(rs())) for _ in range(6)]
XMRI = [xmr_encode(19, ed_pub(rs()), ed_pub(rs()), rb(8)) for _ in range(2)]
XMRS = [xmr_encode(42, ed_pub(rs()), ed_pub(rs())) for _ in range(3)]
LTCL = [b58check_encode([0x30], rb(20)) for _ in range(3)]
LTCM = [b58check_encode([0x32], rb(20)) for _ in range(2)]
LTCQ = [segwit_encode("ltc", 0, rb(20)) for _ in range(3)]
BCHQ = [cash_encode(0, rb(20)) for _ in range(6)]
BCHP = [cash_encode(1, rb(20)) for _ in range(2)]
TRX = [b58check_encode([0x41], rb(20)) for _ in range(7)]
USDT_TRC20 = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"  # the real USDT contract on Tron
ONION = [onion_from_pub(ed_pub(rs())) for _ in range(10)]
DDG_ONION = "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion"

# look-alikes (negatives)
BTC_TESTNET = [b58check_encode([0x6F], rb(20)), b58check_encode([0xC4], rb(20)),
               segwit_encode("tb", 0, rb(20))]
DOGE = b58check_encode([0x1E], rb(20))
DASH = b58check_encode([0x4C], rb(20))
ZEC_T = b58check_encode([0x1C, 0xB8], rb(20))
BTC_V1_BECH32 = bech32_encode("bc", [1] + convertbits(rb(32), 8, 5), BECH32)   # v1 needs bech32m
BTC_V0_BECH32M = bech32_encode("bc", [0] + convertbits(rb(20), 8, 5), BECH32M)  # v0 needs bech32
XMR_TESTNET = xmr_encode(53, ed_pub(rs()), ed_pub(rs()))
XMR_STAGENET = xmr_encode(24, ed_pub(rs()), ed_pub(rs()))
BCH_TEST = cash_encode(0, rb(20), prefix="bchtest")
LTC_TESTNET = segwit_encode("tltc", 0, rb(20))
ONION_V2 = base64.b32encode(rb(10)).decode().lower() + ".onion"
NR = random.Random(777)


def bad(s, keep_prefix=4):
    """Change one character (same alphabet) so the checksum fails."""
    alpha = CHARSET if re.match(r"(bc|ltc|tb)1|bitcoincash:|[qp][02-9ac-hj-np-z]{41}$", s.lower()) else (
        "abcdefghijklmnopqrstuvwxyz234567" if s.endswith(".onion") else (
            "0123456789abcdef" if s.startswith("0x") else B58))
    for _ in range(100):
        i = NR.randrange(keep_prefix, len(s) - (7 if s.endswith(".onion") else 1))
        c = NR.choice(alpha)
        if s.startswith("0x"):
            c = c.upper() if s[i].isupper() else c
        if c != s[i] and c.lower() != s[i].lower():
            t = s[:i] + c + s[i + 1:]
            return t
    raise AssertionError


def eth_bad_case(s):
    """Flip the case of one letter: mixed case with a wrong EIP-55 checksum."""
    idx = [i for i, c in enumerate(s[2:], 2) if c.isalpha()]
    i = idx[len(idx) // 2]
    return s[:i] + s[i].swapcase() + s[i + 1:]


def luhn_complete(prefix, length):
    base = prefix + "".join(str(NR.randrange(10)) for _ in range(length - len(prefix) - 1))
    for d in "0123456789":
        s = base + d
        tot = 0
        for i, c in enumerate(reversed(s)):
            k = int(c) * (2 if i % 2 else 1)
            tot += k - 9 if k > 9 else k
        if tot % 10 == 0:
            return s
    raise AssertionError


def hexs(n, rng=NR):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def group(s, pattern):
    """Fill the X in pattern with the characters of s."""
    assert pattern.count("X") == len(s), (pattern, s)
    it = iter(s)
    return "".join(next(it) if c == "X" else c for c in pattern)


# ------------------------------------------------------------------ phones ---
PR = random.Random(4242)


class Num:
    def __init__(self, n):
        self.n = n
        self.e164 = phonenumbers.format_number(n, PhoneNumberFormat.E164)
        self.nat = re.sub(r"\D", "", phonenumbers.format_number(n, PhoneNumberFormat.NATIONAL))
        self.intl = phonenumbers.format_number(n, PhoneNumberFormat.INTERNATIONAL)
        self.natf = phonenumbers.format_number(n, PhoneNumberFormat.NATIONAL)

    def f(self, pattern):
        """'+'/'00' patterns are filled with the E.164 digits, others with national digits."""
        p = pattern.lstrip()
        if p.startswith("+") or p.startswith("00") or p.startswith("＋"):
            digits = self.e164[1:]
            if p.startswith("00"):
                pattern = pattern.replace("00", "", 1)
                return "00" + group(digits, pattern)
            return group(digits, pattern)
        return group(self.nat, pattern)


def mk(region, prefix, nsn_len):
    cc = phonenumbers.country_code_for_region(region)
    for _ in range(100000):
        nsn = prefix + "".join(str(PR.randrange(10)) for _ in range(nsn_len - len(prefix)))
        n = phonenumbers.parse(f"+{cc}{nsn}")
        if phonenumbers.is_valid_number(n) and phonenumbers.region_code_for_number(n) == region:
            return Num(n)
    raise AssertionError((region, prefix))


EN_WORDS = "zero one two three four five six seven eight nine".split()
RU_WORDS = "ноль один два три четыре пять шесть семь восемь девять".split()
ES_WORDS = "cero uno dos tres cuatro cinco seis siete ocho nueve".split()
FULLWIDTH = str.maketrans("0123456789+", "０１２３４５６７８９＋")
ARABIC_INDIC = str.maketrans("0123456789+", "٠١٢٣٤٥٦٧٨٩+")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def words(s, vocab, sep=" "):
    return sep.join(vocab[int(c)] if c.isdigit() else c for c in s if c.isdigit() or c == "+")


# ======================================================================= pages
KINDS = ["btc", "eth", "xmr", "ltc", "bch", "trx", "iban", "email", "phone", "onion", "pgp"]
CHECKED = ["btc", "eth", "xmr", "ltc", "bch", "trx", "iban", "email", "onion"]


class Page:
    def __init__(self, name, region):
        self.name, self.region = name, region
        self.labels = {}      # (kind, value) -> True, insertion ordered
        self.obfuscated = set()
        self.negs = []        # (category, text)

    def _add(self, kind, value, obf=False):
        self.labels[(kind, value)] = True
        if obf:
            self.obfuscated.add((kind, value))

    def ent(self, kind, written):
        v = validate(kind, written)
        assert v, (self.name, kind, written)
        self._add(kind, v)
        return written

    def phone(self, written):
        v = phone_e164(written, self.region)
        assert v, (self.name, written)
        self._add("phone", v, True)
        return written

    def email(self, written):
        plain = email_deobfuscate(written)
        v = email_valid(plain)
        assert v, (self.name, written)
        self._add("email", v, obf=(plain != written))
        return written

    def pgp_key(self, block):
        self._add("pgp", pgp_key_fpr(block))
        return block

    def pgp_signed(self, block):
        self._add("pgp", pgp_sig_issuer_fpr(block))
        return block

    def neg(self, cat, written, trunkless=False):
        """A hard negative.  It must fail every validator; and it must be no valid
        phone number in any reading, except that with trunkless=True a digit string
        that libphonenumber would accept as a national number *without* the trunk
        prefix is allowed (the corpus rules say such a form does not count)."""
        for k in CHECKED:
            for cand in {written, email_deobfuscate(written), written.replace(" ", "")}:
                assert validate(k, cand) is None, (self.name, cat, k, written)
        if trunkless:
            assert phone_e164(written, self.region) is None, (self.name, cat, written)
            assert not phone_any_valid(written, None), (self.name, cat, written)
            cat += " [parses as a national number without trunk prefix]"
        else:
            assert not phone_any_valid(written, self.region), (self.name, cat, written)
        self.negs.append((cat, written))
        return written


# ---------------------------------------------------------------- 01 forum RU
def phpbb_post(pid, user, when, body, posts, joined, place, sig=""):
    return f"""
<div id="p{pid}" class="post has-profile bg{2 if pid % 2 else 1}">
  <div class="inner">
  <dl class="postprofile" id="profile{pid}">
    <dt class="no-profile-rank no-avatar"><a href="./memberlist.php?mode=viewprofile&amp;u={pid * 7 % 9973}" class="username">{user}</a></dt>
    <dd class="profile-posts"><strong>Сообщения:</strong> <a href="./search.php?author_id={pid * 7 % 9973}&amp;sr=posts">{posts}</a></dd>
    <dd class="profile-joined"><strong>Зарегистрирован:</strong> {joined}</dd>
    <dd class="profile-custom-field profile-phpbb_location"><strong>Откуда:</strong> {place}</dd>
  </dl>
  <div class="postbody">
    <div id="post_content{pid}">
    <h3><a href="#p{pid}">Re: Работа в Германии без знания языка — кто ехал через «ЕвроСтарт»?</a></h3>
    <p class="author"><a class="unread" href="./viewtopic.php?p={pid}#p{pid}" title="Сообщение"><i class="icon fa-file fa-fw icon-lightgray icon-md" aria-hidden="true"></i><span class="sr-only">Сообщение</span></a> <span class="responsive-hide"><strong><a href="./memberlist.php?mode=viewprofile&amp;u={pid * 7 % 9973}" class="username">{user}</a></strong> &raquo; </span><time datetime="{when[0]}">{when[1]}</time></p>
    <div class="content">{body}</div>
    {('<div id="sig%d" class="signature">%s</div>' % (pid, sig)) if sig else ''}
    </div>
  </div>
  <div class="back2top"><a href="#top" class="top" title="Вернуться к началу"><i class="icon fa-chevron-circle-up fa-fw icon-gray" aria-hidden="true"></i><span class="sr-only">Вернуться к началу</span></a></div>
  </div>
</div>
<hr class="divider" />"""


def page01(mat):
    P = Page("01-forum-emigrant-ru.html", "RU")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    n1, n2, n3 = mk("RU", "916", 10), mk("RU", "925", 10), mk("RU", "903", 10)
    n4, n5, n6 = mk("RU", "800", 10), mk("UA", "67", 9), mk("RU", "977", 10)
    key = mat["keys"]["forum"]["armored"]
    card = luhn_complete("427638", 16)
    imei = luhn_complete("35", 15)
    q1 = f"""<blockquote><div><cite><a href="./viewtopic.php?p=41523#p41523">vika_1995 писал(а):</a> <span class="responsive-hide">12 мар 2024, 14:35</span></cite>
Просят предоплату 15&nbsp;000 руб. «за визу и страховку», перевод на карту {ng("bank card (Luhn-valid)", group(card, "XXXX XXXX XXXX XXXX"))} или биткоинами</div></blockquote>"""
    posts = [
        phpbb_post(41523, "vika_1995", ("2024-03-12T11:35:00+00:00", "12 мар 2024, 14:35"), f"""
Девочки, кто-нибудь ехал через агентство «ЕвроСтарт»? Обещают работу на складе в Германии (упаковка, Дюссельдорф), 2&nbsp;000&nbsp;€ в месяц на руки, жильё бесплатно, язык не нужен.<br>
Просят предоплату 15&nbsp;000 руб. «за визу и страховку», перевод на карту {ng("bank card (Luhn-valid)", group(card, "XXXX XXXX XXXX XXXX"))} или биткоинами.<br><br>
Контакты с их объявления на Авито:<br>
Тел. <a href="tel:{n1.e164}" class="postlink">{ph(n1.f("X (XXX) XXX-XX-XX"))}</a> (Марина, менеджер)<br>
WhatsApp/Viber: {ph(n2.f("+X XXX XXX-XX-XX"))}<br>
Почта: {em("evrostart.hr (at) mail (dot) ru")}<br>
Офис: г. Москва, ул. Тверская, д. 7, офис 412, индекс {ng("postal code", "125009")} (на Яндекс.Картах точка {ng("coordinates", "55.7558, 37.6173")})<br><br>
Ехать надо уже 25.03, автобус от м. Тёплый Стан в 06:30. Это нормально что паспорт говорят отдать водителю «для регистрации»?
""", "37", "05 ноя 2019, 21:14", "Тверь"),
        phpbb_post(41527, "Модератор_Сергей", ("2024-03-12T12:02:00+00:00", "12 мар 2024, 15:02"), f"""
{q1}
<span style="color:#BF0000"><strong>Не платите и паспорт никому не отдавайте!</strong></span><br>
Это та же контора, что в прошлом году была «ЕвроВорк». Люди писали, что с них брали «за билет» в биткоинах на адрес <code>{e("btc", BTC1[0])}</code>, а потом телефон {ph(n3.f("X-XXX-XXX-XX-XX"))} переставал отвечать.<br>
Проверить агентство можно по реестру: лицензия на трудоустройство за рубежом должна быть в перечне МВД. Горячая линия (бесплатно по РФ): {ph(n4.f("X-XXX-XXX-XX-XX"))}.<br>
Тему закрепляю.
""", "12 406", "14 янв 2011, 09:40", "Москва",
            sig='<span style="font-size:85%;line-height:116%">Правила раздела — <a href="./viewtopic.php?t=12" class="postlink">читать обязательно</a> | ICQ: ' + ng("ICQ number", "684-221-307") + '</span>'),
        phpbb_post(41530, "Dmitriy_Krd", ("2024-03-12T16:48:00+00:00", "12 мар 2024, 19:48"), f"""
<blockquote><div><cite>Модератор_Сергей писал(а):</cite>на адрес {BTC1[0]}</div></blockquote>
Подтверждаю. Мне в телеге скинули вот такой адрес: <code>{ng("btc address with a typo (bad checksum)", bad(BTC1[0]))}</code> — видимо переписывали руками, кошелёк даже не открылся.<br>
Потом «менеджер» попросил перевести в Monero, мол так быстрее:<br>
<code style="word-break:break-all">{e("xmr", XMR[0])}</code><br>
и дал ссылку на «личный кабинет» в торе: <a href="http://{e("onion", ONION[0])}/cabinet/login.php" class="postlink">{ONION[0][:12]}…onion/cabinet</a><br>
На звонки теперь отвечает другой номер, диктовали словами, чтоб «не спалили»: <em>{ph(words(n6.nat, RU_WORDS))}</em>.<br>
Телефон ихний, который дали на время дороги, кстати с номером IMEI {ng("IMEI (Luhn-valid)", group(imei, "XX-XXXXXX-XXXXXX-X"))} — на всякий случай сюда пишу, если кто будет писать заявление.
""", "214", "30 авг 2016, 11:02", "Краснодар"),
        phpbb_post(41534, "Kurier77", ("2024-03-13T07:15:00+00:00", "13 мар 2024, 10:15"), f"""
Собираю информацию по этой схеме для журналистов. Если есть переписка/чеки — пишите в личку, лучше шифровано. Мой ключ ниже, почта kurier77 at proton dot me (без пробелов, сами знаете).
<pre class="codebox" style="font-size:9px">
{P.pgp_key(key).strip()}
</pre>
Дата выдачи ключа: 20.07.2021.
""", "1 482", "02 фев 2015, 00:31", "Санкт-Петербург"),
        phpbb_post(41541, "Natali_UA", ("2024-03-13T19:20:00+00:00", "13 мар 2024, 22:20"), f"""
У меня похожее было, только звонили с украинского номера {ph(n5.f("+XXX XX XXX XX XX"))} и предлагали Польшу.<br>
Паспорт серия {ng("passport series/number", "45 12 345678")} — я его им сфоткала, дура. Теперь боюсь.<br>
<blockquote><div><cite>vika_1995 писал(а):</cite>Тел. {n1.f("X (XXX) XXX-XX-XX")}</div></blockquote>
Да, и этот номер тоже, он же был в объявлении «Работа для девушек за границей, 3&nbsp;000&nbsp;€» от 28.02.2024.
""", "9", "13 мар 2024, 22:05", "Харьков"),
    ]
    html_doc = f"""<!DOCTYPE html>
<html dir="ltr" lang="ru">
<head>
<meta charset="utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Работа в Германии без знания языка — кто ехал через «ЕвроСтарт»? - Форум «Эмигрант» • Работа за рубежом</title>
<link href="./styles/prosilver/theme/stylesheet.css?assets_version=412" rel="stylesheet">
<link href="./assets/css/font-awesome.min.css?assets_version=412" rel="stylesheet">
<!--[if lte IE 9]><link href="./styles/prosilver/theme/tweaks.css?assets_version=412" rel="stylesheet"><![endif]-->
</head>
<body id="phpbb" class="nojs notouch section-viewtopic ltr ">
<div id="wrap" class="wrap">
<a id="top" class="top-anchor" accesskey="t"></a>
<div id="page-header">
  <div class="headerbar" role="banner"><div class="inner">
    <div id="site-description" class="site-description">
      <a id="logo" class="logo" href="./index.php" title="Главная"><span class="site_logo"></span></a>
      <h1>Форум «Эмигрант»</h1><p>Жизнь, учёба и работа за границей</p>
    </div>
  </div></div>
  <div class="navbar" role="navigation"><ul id="nav-breadcrumbs" class="nav-breadcrumbs linklist navlinks" role="menubar">
    <li class="breadcrumbs"><span class="crumb"><a href="./index.php">Список форумов</a></span> <span class="crumb"><a href="./viewforum.php?f=17">Работа за рубежом</a></span> <span class="crumb"><a href="./viewforum.php?f=58">Чёрный список агентств</a></span></li>
  </ul></div>
</div>
<div id="page-body" class="page-body" role="main">
<h2 class="topic-title"><a href="./viewtopic.php?t=9902">Работа в Германии без знания языка — кто ехал через «ЕвроСтарт»?</a></h2>
<div class="action-bar bar-top">
  <div class="pagination">5 сообщений &bull; Страница <strong>1</strong> из <strong>1</strong></div>
</div>
<!-- topic 9902, generated in 0.041s, 14 queries, GZIP : Off -->
{''.join(posts)}
<div class="action-bar bar-bottom"><div class="pagination">5 сообщений &bull; Страница <strong>1</strong> из <strong>1</strong></div></div>
<div class="stat-block online-list"><h3>Кто сейчас на форуме</h3><p>Сейчас этот форум просматривают: нет зарегистрированных пользователей и 7 гостей</p></div>
</div>
<div id="page-footer" class="page-footer" role="contentinfo">
  <div class="copyright">Создано на основе <a href="https://www.phpbb.com/">phpBB</a>&reg; Forum Software &copy; phpBB Limited<br>Русская поддержка phpBB</div>
  <div class="copyright">Часовой пояс: <span title="Европа/Москва">UTC+03:00</span> · Время: 0.041s | 14 Queries | GZIP : Off</div>
</div>
</div>
<script src="./assets/javascript/jquery-3.6.0.min.js?assets_version=412"></script>
<script src="./assets/javascript/core.js?assets_version=412"></script>
<script>
  var phpbb = phpbb || {{}};
  phpbb.sessionId = "{hexs(32)}";
  phpbb.topic = {{id: 9902, forum: 58, lastPost: 41541, lastPostTime: 1710357600}};
</script>
</body>
</html>
"""
    return P, html_doc


# ---------------------------------------------------------- 02 classifieds UA
def page02(mat):
    P = Page("02-oholoshennia-robota-ua.html", "UA")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    a1, a2 = mk("UA", "67", 9), mk("UA", "63", 9)
    a3, a4 = mk("UA", "44", 9), mk("UA", "50", 9)
    a5 = mk("UA", "97", 9)
    ib1 = iban_make("UA", "305299" + "".join(str(NR.randrange(10)) for _ in range(19)))
    ib2 = iban_make("UA", "322001" + "00000" + "".join(str(NR.randrange(10)) for _ in range(14)))
    imei = luhn_complete("356", 15)
    ads = [
        ("812736409", "Робота в Польщі — пакувальник/ця на склад, Вроцлав. Житло безкоштовно", "від 32&nbsp;000 грн", "Сьогодні о 14:22", "Київ, Оболонський",
         f"""Терміново потрібні працівники на склад косметики (м. Вроцлав, Польща). Графік 10–12 год/день, 6 днів на тиждень.<br>
Ставка 24–27&nbsp;zł/год нетто, аванс щотижня. Житло безкоштовно, доїзд — від 2&nbsp;200 грн.<br>
Документи (біометрія, страховка) робимо самі, оплата після приїзду.<br><br>
Дзвоніть: <b>{ph(a1.f("XXX XXX XX XX"))}</b> (Viber, Telegram) або {ph(a2.f("+XX (XXX) XXX-XX-XX"))}<br>
Оголошення діє до 31.03.2024.""",
         a1.e164),
        ("812741077", "Догляд за літніми людьми у Німеччині, без знання мови", "2&nbsp;100 €", "Вчора о 23:05", "Київ, Печерський",
         f"""Агенція (ліцензія Мінекономіки №&nbsp;{ng("licence number", "1249-22")}) запрошує жінок 25–55 років на догляд за літніми людьми.<br>
Офіс: вул. Хрещатик, 22, Київ, {ng("postal code", "01001")}. Тел. офісу: {ph(a3.f("(XXX) XXX-XX-XX"))}<br>
Резюме надсилайте: {em("dogliad.de@ukr.net")}<br><br>
Оплата за оформлення документів (4&nbsp;500 грн) — на рахунок ФОП Ковальчук&nbsp;О.&nbsp;В., ЄДРПОУ/РНОКПП {ng("tax id (10 digits)", "3087412590")}:<br>
IBAN <span class="iban">{e("iban", iban_spaced(ib1))}</span>, МФО {ng("bank MFO code", "305299")}<br>
Призначення платежу: «Оплата послуг, без ПДВ».""",
         None),
        ("812750390", "Біометричний паспорт / віза терміново, без черг", "3&nbsp;800 грн", "14 березня 2024 р.", "Харків",
         f"""Оформлення біометричного паспорта за 3 дні, шенгенські візи (PL, CZ, DE).<br>
Пишіть на пошту {em("pasport.termin[at]i.ua")} або дзвоніть {ph(a4.f("+XXX XX XXX XXXX"))}.<br>
Оплата на картку або рахунок {e("iban", ib2)} (ТОВ «Віза-Сервіс»).<br>
Приймаємо також USDT (TRC-20): <code>{e("trx", TRX[0])}</code><br>
<small>Код ЄДРПОУ {ng("company id (8 digits)", "43871205")}</small>""",
         a4.e164),
        ("812766512", "Продам iPhone 12 64GB, стан ідеальний", "9&nbsp;500 грн", "13 березня 2024 р.", "Дніпро",
         f"""Продам iPhone 12, 64 GB, Black. Батарея 87%. Не ремонтувався, не розблокований, IMEI {ng("IMEI (Luhn-valid)", imei)}.<br>
Торг біля капоту. Можлива відправка Новою Поштою, номер ТТН надішлю ({ng("Nova Poshta waybill", "20450871236514")}).<br>
Телефон: {ph(a5.f("XXX-XXX-XX-XX"))}, Олександр.""",
         None),
    ]
    cards = []
    for ad_id, title, price, when, place, body, phone_attr in ads:
        btn = (f'<button class="css-show-phone" data-cy="ad-contact-phone" data-phone="{phone_attr}" type="button">Показати телефон</button>'
               if phone_attr else '<button class="css-show-phone" data-cy="ad-contact-phone" type="button" disabled>Телефон приховано</button>')
        cards.append(f"""
  <div class="css-1sw7q4x" data-cy="l-card" data-testid="l-card" id="{ad_id}">
    <a class="css-rc5s2u" href="/d/uk/obyavlenie/{ad_id}.html"><h6 class="css-16v5mdi er34gjf0">{title}</h6></a>
    <p data-testid="ad-price" class="css-10b0gli er34gjf0">{price}</p>
    <p data-testid="location-date" class="css-veheph er34gjf0">{place} - {when}</p>
    <div class="css-1t507yq er34gjf0" data-cy="ad_description">{body}</div>
    <div class="css-contact">{btn}</div>
    <p class="css-id">ID: {ng("ad id", ad_id)} · Переглядів: {NR.randrange(80, 4000)}</p>
  </div>""")
    doc = f"""<!DOCTYPE html>
<html lang="uk">
<head>
<meta charset="utf-8">
<title>Робота за кордоном - оголошення, Україна | Дошка оголошень</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="https://static.example-ads.ua/app/static/css/app.{hexs(8)}.css">
</head>
<body>
<header class="css-1k6pmts"><a href="/" class="css-logo">Дошка</a>
<nav><a href="/robota/">Робота</a> › <a href="/robota/robota-za-kordonom/">Робота за кордоном</a></nav></header>
<main>
<h1 data-testid="listing-count-msg">Ми знайшли 1&nbsp;204 оголошення</h1>
<div class="css-filters">Сортування: <select><option>Найновіші</option><option>Найдешевші</option></select> · Валюта: <label><input type="radio" name="c" checked> грн</label> <label><input type="radio" name="c"> $</label> <label><input type="radio" name="c"> €</label></div>
<div class="css-oukcj3" data-testid="listing-grid">{''.join(cards)}
</div>
<div class="css-pagination"><a href="?page=2">2</a> <a href="?page=3">3</a> … <a href="?page=25">25</a></div>
</main>
<footer class="css-footer"><p>Служба підтримки: пн–пт 09:00–18:00. © 2010–2024. Курс: 1 $ = 38,92 грн, 1 € = 42,31 грн (15.03.2024).</p></footer>
<script>window.__PRERENDERED_STATE__ = "{{\\"listing\\":{{\\"page\\":1,\\"total\\":1204,\\"ts\\":1710512525}}}}";</script>
</body>
</html>
"""
    return P, doc


# ----------------------------------------------------------- 03 ogłoszenia PL
def pl_bban(bank7):
    w = [3, 9, 7, 1, 3, 9, 7]
    chk = (10 - sum(int(a) * b for a, b in zip(bank7, w)) % 10) % 10
    return bank7 + str(chk) + "".join(str(NR.randrange(10)) for _ in range(16))


def page03(mat):
    P = Page("03-ogloszenia-praca-pl.html", "PL")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    m1, m2, m3 = mk("PL", "512", 9), mk("PL", "601", 9), mk("PL", "797", 9)
    l1, l2 = mk("PL", "22", 9), mk("PL", "71", 9)
    ib1 = iban_make("PL", pl_bban("1090101"))
    ib2 = iban_make("PL", pl_bban("1140200"))
    pesel = "85031512345"
    doc = f"""<!doctype html>
<html lang="pl">
<head><meta charset="utf-8"><title>Praca za granicą – Holandia, Niemcy, Belgia | Ogłoszenia – strona 1</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="preload" href="/static/fonts/inter-var.woff2" as="font" crossorigin>
<style>.ogl{{border-bottom:1px solid #e4e4e4;padding:12px 0}}.cena{{font-weight:700;color:#2c7a2c}}.promo{{background:#fff8d6}}</style>
</head>
<body>
<div id="top-bar">Ogłoszenia › Praca › <b>Praca za granicą</b> <span style="float:right">Zaloguj | Dodaj ogłoszenie</span></div>
<h1>Praca za granicą <small>(2&nbsp;318 ogłoszeń)</small></h1>

<article class="ogl promo" data-id="1048823117">
<h2><a href="/ogloszenie/praca-holandia-szklarnie-1048823117">PRACA HOLANDIA – szklarnie pomidorów, od zaraz, mieszkanie zapewnione!!!</a></h2>
<div class="cena">18,50 € brutto/h</div>
<p>Zatrudnimy od zaraz osoby do pracy przy zbiorze pomidorów (okolice Westland). Umowa holenderska, zakwaterowanie 95&nbsp;€/tydz. potrącane z wypłaty, transport busem z Wrocławia w każdą niedzielę (wyjazd godz. 6:00).
Nie wymagamy języka ani doświadczenia. Dokumenty załatwiamy na miejscu – paszport oddajesz koordynatorowi na czas rejestracji (BSN).</p>
<p>Kontakt: <strong>{ph(m1.f("XXX XXX XXX"))}</strong> (Pani Kasia, też WhatsApp) lub {ph(m2.f("+XX XXX-XXX-XXX"))}<br>
e-mail: {em("praca.holandia24@wp.pl")}<br>
Agencja Pracy EuroJob Sp. z o.o., ul. Świdnicka 8, {ng("postal code", "50-066")} Wrocław, KRS {ng("KRS number", "0000731245")}, NIP {ng("VAT id NIP", "897-18-45-210")}, REGON {ng("REGON", "021457328")}<br>
Nr wpisu do KRAZ: {ng("registry number", "21785")}</p>
<p class="meta">Dodane: 15 marca 2024, 09:12 · Nr ogłoszenia: {ng("ad number", "1048823117")} · Wyświetlenia: 3&nbsp;410</p>
</article>

<article class="ogl" data-id="1048790552">
<h2><a href="/ogloszenie/opiekunka-niemcy-1048790552">Opiekunka osób starszych – Niemcy (Bawaria), wyjazd 25.03.2024</a></h2>
<div class="cena">1&nbsp;700 – 2&nbsp;100 € netto</div>
<p>Szukamy opiekunek z podstawowym niemieckim. Zapewniamy przejazd, ubezpieczenie, zakwaterowanie u podopiecznej.
Biuro w Warszawie czynne pn–pt 8:00–16:00: tel. {ph(l1.f("XX XXX XX XX"))}, z zagranicy {ph(l1.f("00XX XX XXX XX XX"))}.<br>
CV prosimy wysyłać na adres {em("rekrutacja [at] opieka-de [dot] pl")} – w tytule numer oferty {ng("offer reference", "OP/2024/03/117")}.</p>
<p>Opłata rejestracyjna 350&nbsp;zł (zwracana po 3 miesiącach pracy), przelew na konto:<br>
<code>{e("iban", iban_spaced(ib1))}</code> (mBank/Santander, tytuł: imię, nazwisko, PESEL)<br>
Przykład tytułu przelewu: „Jan Kowalski {ng("PESEL", pesel)}”.</p>
<p class="meta">Dodane: 14.03.2024 r., godz. 17:40 · Wyświetlenia: 1&nbsp;022</p>
</article>

<article class="ogl" data-id="1048655004">
<h2><a href="/ogloszenie/kurs-niemieckiego-online-1048655004">Kurs niemieckiego dla opiekunek ONLINE – 4 tygodnie, certyfikat</a></h2>
<div class="cena">690 zł</div>
<p>Intensywny kurs przygotowujący do wyjazdu. Płatność przelewem na {e("iban", ib2)} lub kryptowalutą (Bitcoin Cash):
<a href="{BCHQ[0]}?amount=0.21" title="zapłać BCH">{e("bch", BCHQ[0])}</a>.<br>
Kontakt SMS/WhatsApp: <a href="https://wa.me/{m3.e164[1:]}">{ph(m3.f("XXX.XXX.XXX"))}</a>, biuro Wrocław: {ph(l2.f("XX-XXX-XX-XX"))}.<br>
<s>Stary nr konta (nieaktualny):</s> {ng("IBAN with a changed digit", iban_spaced(ib2[:-1] + str((int(ib2[-1]) + 3) % 10)))}</p>
<p class="meta">Dodane: wczoraj, 21:03 · Nr ogłoszenia: 1048655004</p>
</article>

<article class="ogl" data-id="1048611873">
<h2><a href="/ogloszenie/pokoj-dla-pracownika-1048611873">Pokój dla pracownika – Belgia/Antwerpia, 2 min od przystanku</a></h2>
<div class="cena">140 €/tydz.</div>
<p>Kaucja 300&nbsp;€, płatne z góry. Adres: Kerkstraat 14, {ng("Belgian postal code", "2060")} Antwerpen (GPS {ng("coordinates", "51.2194° N, 4.4025° E")}). Dostępny od 01/04/2024.
Kontakt tylko przez formularz. Kod promocyjny: {ng("promo code", "WIOSNA2024")}.</p>
<p class="meta">Dodane: 12 mar 2024 · Nr ogłoszenia: 1048611873</p>
</article>

<footer><p>© 2006-2024 Ogłoszenia. Regulamin · Polityka prywatności · Kursy walut NBP z dnia 15.03.2024: EUR 4,3110; USD 3,9472; GBP 5,0361</p></footer>
<script async src="/static/js/ads.bundle.{hexs(10)}.js"></script>
</body></html>
"""
    return P, doc


# ------------------------------------------------------------ 04 anunțuri RO
def page04(mat):
    P = Page("04-anunturi-strainatate-ro.html", "RO")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    r1, r2, r3 = mk("RO", "722", 9), mk("RO", "745", 9), mk("RO", "21", 9)
    r4 = mk("RO", "768", 9)
    ib1 = iban_make("RO", "BTRL" + "".join(NR.choice("0123456789") for _ in range(6)) + "CRT0" + "".join(NR.choice("0123456789ABCDEFGHJK") for _ in range(6)))
    ib2 = iban_make("RO", "RNCB" + "".join(NR.choice("0123456789") for _ in range(16)))
    cnp = "2850315400123"
    doc = f"""<!DOCTYPE html>
<html lang="ro">
<head>
<meta charset="UTF-8">
<title>Locuri de muncă în străinătate – anunțuri gratuite – pagina 1</title>
<meta name="robots" content="index,follow">
<link rel="stylesheet" href="/css/main.min.css?v=20240301">
</head>
<body class="listing">
<div class="header"><a href="/"><img src="/img/logo@2x.png" srcset="/img/logo.png 1x, /img/logo@2x.png 2x" alt="Anunțuri"></a>
<form action="/cauta/"><input type="search" name="q" placeholder="Caută în 412.553 anunțuri"></form></div>
<div class="crumbs"><a href="/">Acasă</a> » <a href="/locuri-de-munca/">Locuri de muncă</a> » Străinătate</div>

<div class="article-item" data-articleid="184305512">
 <h2 class="article-title"><a href="/anunt/munca-germania-abator-184305512.html">Muncă în Germania – abator, carmangerie. Cazare + transport GRATUIT</a></h2>
 <div class="article-price">2.200 € / lună</div>
 <div class="article-description">
 Angajăm bărbați și femei 18–55 ani pentru abator în zona Oldenburg. Program 8–10 ore, 5–6 zile. Avans la sosire 200&nbsp;€.
 Plecare în fiecare luni de la Autogara Militari, ora 07:00. Nu este necesară limba germană.<br>
 Informații la telefon <b>{ph(r1.f("XXXX XXX XXX"))}</b> (Dl. Marian) sau <a href="tel:{r2.e164}">{ph(r2.f("+XX XXX XXX XXX"))}</a> (WhatsApp).<br>
 E-mail: {em("munca.germania.oldenburg@yahoo.com")}
 </div>
 <div class="article-date">Publicat: 15.03.2024, ora 08:41 · ID anunț: {ng("ad id", "184305512")} · Vizualizări: 2.941</div>
</div>

<div class="article-item" data-articleid="184291177">
 <h2 class="article-title"><a href="/anunt/ingrijitoare-italia-184291177.html">Îngrijitoare bătrâni Italia (Napoli) – urgent!</a></h2>
 <div class="article-price">1.100 € + casă și masă</div>
 <div class="article-description">
 Agenția de plasare „Europa Muncă SRL”, CUI {ng("Romanian company id (CUI)", "RO 38125407")}, J40/{ng("trade register no.", "4512/2017")}, licență ITM nr. 1180/2018.
 Sediu: Str. Academiei 29, sector 1, București, cod poștal {ng("postal code", "010014")}. Tel. fix: {ph(r3.f("XXX XXX XX XX"))}, din străinătate {ph(r3.f("00XX XX XXX XX XX"))}.<br>
 Scrieți-ne la: {em("contact(at)europa-munca(dot)ro")}<br>
 Taxa de înscriere 450 lei se achită în contul <span class="iban">{e("iban", iban_spaced(ib1))}</span> (Banca Transilvania), detalii plată: nume + CNP (ex. {ng("CNP (personal numeric code)", cnp)}).
 </div>
 <div class="article-date">Publicat: 14 martie 2024, ora 19:12 · ID anunț: 184291177</div>
</div>

<div class="article-item promovat" data-articleid="184287090">
 <h2 class="article-title"><a href="/anunt/pachet-documente-184287090.html">Pachet acte pentru muncă UK (NIN, cont bancar, adresă) – plata și în crypto</a></h2>
 <div class="article-price">350 £</div>
 <div class="article-description">
 Vă ajutăm cu înregistrarea pentru National Insurance Number ({ng("UK NI number", "QQ 12 34 56 C")}), deschidere cont și adresă de corespondență.
 Plata: transfer în contul {e("iban", ib2)} sau în criptomonede:<br>
 LTC: <code>{e("ltc", LTCL[0])}</code><br>
 BCH: <code>{e("bch", BCHQ[1].split(":")[1])}</code> <small>(fără prefix)</small><br>
 Contact doar pe Telegram/Signal: {ph(r4.f("+XX-XXX-XXX-XXX"))}
 </div>
 <div class="article-date">Publicat: 13.03.2024 · ID anunț: 184287090 · Curs BNR: 1 EUR = 4,9738 lei</div>
</div>

<div class="article-item" data-articleid="184255400">
 <h2 class="article-title"><a href="/anunt/dacia-logan-184255400.html">Vând Dacia Logan 2012, 1.5 dCi, 218.000 km</a></h2>
 <div class="article-price">3.450 €</div>
 <div class="article-description">Serie șasiu {ng("VIN", "UU1LSDAAG48712366")}, nr. înmatriculare {ng("licence plate", "B 123 XYZ")}. ITP valabil până la 11/2025. Rog seriozitate.</div>
 <div class="article-date">Publicat: 11.03.2024 · ID anunț: 184255400</div>
</div>

<div class="footer">© 2024 Anunțuri gratuite · Contact: formular online · Linie suport (L–V, 9:00–17:00)</div>
<script>var dataLayer=[{{'pageType':'listing','category':'strainatate','items':[184305512,184291177,184287090,184255400]}}];</script>
</body>
</html>
"""
    return P, doc


# ------------------------------------------------------ signed / encrypted text
def tg_signed_text():
    return f"""Официальные контакты канала «Работа Европа | Вакансии 24/7»
(все остальные аккаунты — мошенники, проверяйте подпись!)

Менеджер: @rabota_evropa_manager
Почта: rabota.evropa24@proton.me
Зеркало сайта (Tor): http://{ONION[1]}/
Оплата консультаций: USDT TRC20 {TRX[2]}

Обновлено 15.03.2024
"""


def canary_text():
    return f"""NordLine Supply - warrant canary, 1 March 2024

1. We have not been served any warrant, subpoena or gag order.
2. Our signing key has not been compromised.
3. Official mirrors (only these two):
   http://{ONION[3]}/
   http://{ONION[4]}/
4. Latest Bitcoin block at time of signing: 832,514
   00000000000000000002a7c4c1e48d76c5a37902165a270156b7a8d72728a054

Next canary due: 2024-04-01
"""


def signed_texts():
    to_sign = {"tg": ("tgsigner", "20240315T142000", tg_signed_text()),
               "canary": ("vendor", "20240301T000500", canary_text())}
    to_encrypt = {"order": ("vendor", "20240314T211700",
                            "Order NL-48213\nItem: DE eSIM x2\nShip: digital\nPaid: XMR, tx see panel\n")}
    return to_sign, to_encrypt


# ------------------------------------------------------- 05 Kleinanzeigen DE
def page05(mat):
    P = Page("05-kleinanzeigen-pflege-de.html", "DE")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    g1, g2, g3 = mk("DE", "151", 11), mk("DE", "30", 10), mk("DE", "171", 10)
    g4, g5 = mk("DE", "176", 11), mk("DE", "89", 10)
    ib1 = iban_make("DE", "37040044" + "".join(str(NR.randrange(10)) for _ in range(10)))
    ib2 = iban_make("DE", "10010010" + "".join(str(NR.randrange(10)) for _ in range(10)))
    ib2_typo = ib2[:9] + str((int(ib2[9]) + 1) % 10) + ib2[10:]
    adid = "2687345123"
    doc = f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>24-Stunden-Pflegekraft / Haushaltshilfe gesucht – Unterkunft frei (Berlin) | Kleinanzeigen</title>
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="canonical" href="https://www.example-kleinanzeigen.de/s-anzeige/24-stunden-pflegekraft-gesucht/{adid}-236-3331">
<link rel="stylesheet" href="/static/css/vip.{hexs(8)}.css">
</head>
<body class="vip">
<header id="site-header"><a href="/" id="site-logo">Kleinanzeigen</a>
<nav class="breadcrump"><a href="/s-berlin/l3331">Berlin</a> › <a href="/s-jobs/berlin/c102l3331">Jobs</a> › <a href="/s-haushaltshilfe/berlin/c237l3331">Haushalt &amp; Pflege</a></nav></header>
<main id="viewad-main">
<article id="viewad-product" class="boxedarticle">
 <h1 id="viewad-title" class="boxedarticle--title">24-Stunden-Pflegekraft / Haushaltshilfe gesucht – Unterkunft frei</h1>
 <h2 id="viewad-price" class="boxedarticle--price">13,50 € / Std. (VB)</h2>
 <div id="viewad-locality" class="boxedarticle--details--locality">10115 Berlin - Mitte</div>
 <div class="boxedarticle--details--full"><span id="viewad-extra-info"><i class="icon-calendar-gray-simple"></i><span>15.03.2024</span></span> · <span>{ng("ad id", adid, trunkless=True)}</span></div>
 <div id="viewad-description"><p id="viewad-description-text" class="text-force-linebreak" itemprop="description">
Wir suchen für eine ältere Dame (Pflegegrad 3) in Berlin-Mitte eine zuverlässige Betreuungskraft, gerne aus Polen, Rumänien oder der Ukraine.<br>
Kost und Logis frei, eigenes Zimmer. Deutschkenntnisse nicht erforderlich, Vermittlung über unser Büro.<br>
Arbeitszeit: Mo–Fr 8–17 Uhr, am Wochenende nach Absprache. Start: ab 01.04.2024.<br><br>
<b>Kontakt:</b><br>
Mobil: {ph(g1.f("XXXX XXXXXXXX"))} (auch WhatsApp)<br>
Büro: {ph(g2.f("XXX/XXXXXXXX"))}<br>
Aus dem Ausland: {ph(g3.f("+XX (0)XXX XXXXXXX"))}<br>
E-Mail: {em("pflegejob.berlin (at) web (dot) de")}<br><br>
Die Vermittlungsgebühr von 390,00 € ist vorab zu überweisen an:<br>
Kontoinhaber: Schmidt Personalservice UG, IBAN: {e("iban", iban_spaced(ib1))}, BIC: {ng("BIC", "COBADEFFXXX")}<br>
(alte Bankverbindung BLZ {ng("old German bank code", "370 400 44")}, Kto. wird nicht mehr verwendet)
</p></div>
 <div id="viewad-details"><ul class="addetailslist">
  <li class="addetailslist--detail">Art<span class="addetailslist--detail--value">Pflege &amp; Betreuung</span></li>
  <li class="addetailslist--detail">Arbeitszeit<span class="addetailslist--detail--value">Vollzeit</span></li>
  <li class="addetailslist--detail">Standort<span class="addetailslist--detail--value" title="Koordinaten {ng("coordinates", "52.532614, 13.384740")}">Berlin-Mitte</span></li>
 </ul></div>
</article>

<section id="viewad-contact" class="contactbox">
 <h3>Anbieter</h3>
 <div class="userprofile-vip"><a href="/s-bestandsliste.html?userId=58812934">Schmidt Personalservice</a> · Gewerblicher Nutzer · Aktiv seit 12.06.2019</div>
 <a class="button" id="viewad-contact-phone" href="tel:{g1.e164}">Anrufen</a>
 <a class="button-secondary" href="mailto:info@pflege-vermittlung-schmidt.de?subject=Anzeige%20{adid}">Nachricht schreiben</a>
 <div class="impressum">
  <b>Impressum</b><br>
  Schmidt Personalservice UG (haftungsbeschränkt), Torstraße 112, {ng("postal code", "10119")} Berlin<br>
  Geschäftsführer: M. Schmidt · Amtsgericht Charlottenburg {ng("commercial register no.", "HRB 187654 B")}<br>
  USt-IdNr.: {ng("VAT id", "DE 298 114 736", trunkless=True)} · Steuernummer: {ng("tax number", "27/815/08155")}<br>
  E-Mail: {em("info@pflege-vermittlung-schmidt.de")} · Bewerbungen auch an {em("m.schmidt.vermittlung[@]gmx.de")}
 </div>
</section>

<section id="viewad-otherads">
 <h3>Weitere Anzeigen dieses Anbieters</h3>
 <ul>
  <li><a href="/s-anzeige/reinigungskraft-hotel-muenchen/2687011876">Reinigungskraft Hotel München – 2.100,00 € netto</a> · Tel. {ph(g5.f("XXX / XXX XXX XX"))}</li>
  <li><a href="/s-anzeige/erntehelfer-spargel/2686540023">Erntehelfer Spargel (Brandenburg) – ab 1.600 €</a> · WhatsApp {ph(g4.f("00XX XXX XXXXXXXX"))}</li>
  <li><a href="/s-anzeige/fahrer-kleintransporter/2686102217">Fahrer Kleintransporter gesucht (Führerschein B, Lieferungen PL–DE)</a></li>
 </ul>
</section>

<section id="viewad-comments"><h3>Fragen zur Anzeige (3)</h3>
 <div class="comment"><b>anna_k</b> (14.03.2024, 22:41): Ist die Vermittlungsgebühr normal? Auf der Überweisung steht bei mir eine andere IBAN: {ng("IBAN with one changed digit", ib2_typo)}</div>
 <div class="comment"><b>Anbieter</b> (15.03.2024, 08:02): Das war ein Tippfehler, richtig ist {e("iban", ib2)} (Postbank). Bitte Verwendungszweck „PV-{ng("reference number", "2024-0387", trunkless=True)}“ angeben.</div>
 <div class="comment"><b>oleg.b</b> (15.03.2024, 09:15): Vorsicht, gleiche Firma hat mir den Reisepass abgenommen. Melde mich bei der Beratungsstelle (Faire Mobilität).</div>
</section>
</main>
<footer class="site-footer"><p>© 2009-2024 Kleinanzeigen · Anzeige melden · Version {ng("version string", "web@4.218.1")}</p></footer>
<script>
 window.BelenConf = {{ universalAnalyticsOpts: {{ dimensions: {{ dimension1: "237", dimension2: "3331" }} }}, adId: "{adid}", ts: 1710489600 }};
</script>
</body>
</html>
"""
    return P, doc


# ----------------------------------------------------------- 06 anuncios ES
def es_dc(digits):
    w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]
    r = 11 - sum(int(d) * x for d, x in zip(digits, w)) % 11
    return {10: 1, 11: 0}.get(r, r)


def es_bban(bank, branch):
    acct = "".join(str(NR.randrange(10)) for _ in range(10))
    return f"{bank}{branch}{es_dc('00' + bank + branch)}{es_dc(acct)}{acct}"


def page06(mat):
    P = Page("06-anuncios-empleo-es.html", "ES")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    s1, s2, s3 = mk("ES", "612", 9), mk("ES", "91", 9), mk("ES", "655", 9)
    s4, s5 = mk("ES", "699", 9), mk("ES", "722", 9)
    ib = iban_make("ES", es_bban("2100", "0418"))
    ib2 = iban_make("ES", es_bban("0049", "1500"))
    dni_n = 48213577
    dni = f"{dni_n}{'TRWAGMYFPDXBNJZSQVHLCKE'[dni_n % 23]}"
    doc = f"""<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<title>Ofertas de empleo en el extranjero y Baleares - anuncios clasificados</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/css/ma.min.css?v=7.32.0">
</head>
<body>
<div class="ma-header"><a class="ma-logo" href="/">clasificados</a> <span class="ma-breadcrumb">Empleo › Hostelería › <b>Baleares y extranjero</b></span></div>
<div class="ma-content">
<h1>Empleo hostelería – 876 anuncios</h1>

<div class="ma-AdCard" data-ad-id="{ng("ad reference", "482135771")}">
 <h2 class="ma-AdCard-title">Camareras y ayudantes de cocina para temporada en Mallorca – alojamiento incluido</h2>
 <p class="ma-AdPrice">1.400 €/mes</p>
 <p class="ma-AdCard-description">Buscamos chicas de 18 a 30 años para temporada de verano (mayo–octubre) en hotel de Magaluf. No hace falta experiencia ni papeles, nosotros gestionamos todo.
 Alojamiento y comida incluidos (se descuentan 250&nbsp;€/mes). Viaje pagado, se devuelve con el primer sueldo.<br>
 Llamar o WhatsApp: <a href="https://wa.me/{s1.e164[1:]}?text=Hola%20anuncio%20camareras">{ph(s1.f("XXX XX XX XX"))}</a> (Sandra)<br>
 Oficina Madrid: {ph(s2.f("+XX XX XXX XX XX"))} · L–V de 10:00 a 14:00<br>
 Currículum con foto a {em("empleo.mallorca2024@hotmail.es")}</p>
 <p class="ma-AdCard-date">Publicado el 15/03/2024 a las 11:20 · 07001 Palma · Ref. 482135771</p>
</div>

<div class="ma-AdCard" data-ad-id="481990245">
 <h2 class="ma-AdCard-title">TRABAJO EN SUIZA Y AUSTRIA – limpieza de hoteles, 2.300 CHF</h2>
 <p class="ma-AdPrice">2.300 CHF</p>
 <p class="ma-AdCard-description">Empresa de selección ofrece contrato de 6 meses. Requisitos: DNI/NIE en vigor (ej. {ng("Spanish DNI", dni)}, {ng("Spanish NIE", "X1234567L")}), mayor de edad.
 Gastos de gestión 180&nbsp;€, ingreso en cuenta <span class="iban">{e("iban", iban_spaced(ib))}</span> (CaixaBank) indicando nombre completo.<br>
 Empresa: Trabajo Europa Selección S.L., CIF {ng("Spanish company id CIF", "B87654321")}, C/ Gran Vía 41, {ng("postal code", "28013")} Madrid.<br>
 Más información: {em("seleccion[at]trabajo-europa[dot]es")} o al {ph(s3.f("00XX XXX XXX XXX"))} (también Telegram).</p>
 <p class="ma-AdCard-date">Publicado el 14 de marzo de 2024 · Madrid</p>
</div>

<div class="ma-AdCard" data-ad-id="481777306">
 <h2 class="ma-AdCard-title">Se busca chica interna para cuidado de niños – Marbella</h2>
 <p class="ma-AdPrice">900 € + alojamiento</p>
 <p class="ma-AdCard-description">Familia busca interna, lunes a sábado. Llamar solo por la tarde.
 El teléfono lo escribo en letras porque la web borra los números: <i>{ph(words(s4.nat, ES_WORDS, ", "))}</i>.<br>
 Si no contesto, mandar SMS al {ph(s5.f("XXX-XXX-XXX"))}.</p>
 <p class="ma-AdCard-date">Publicado el 13/03/24 · 29602 Marbella</p>
</div>

<div class="ma-AdCard ma-AdCard--pro" data-ad-id="481500912">
 <h2 class="ma-AdCard-title">Gestoría: NIE, número de la Seguridad Social y cuenta bancaria en 48 h</h2>
 <p class="ma-AdPrice">120 €</p>
 <p class="ma-AdCard-description">Tramitamos NIE, NUSS ({ng("social security number", "28/12345678/40")}) y apertura de cuenta. Pago por transferencia a {e("iban", ib2)} o Bizum.
 Horario: 9:30–13:30 y 16:30–19:00. Nº de expediente de ejemplo: {ng("case number", "EXP-2024/00871")}.</p>
 <p class="ma-AdCard-date">Publicado el 12/03/2024 · Valencia · 46001</p>
</div>
</div>
<div class="ma-footer">© 2024 · Aviso legal · Cookies · Precios con IVA (21 %)</div>
<script type="text/javascript">
 var utag_data = {{"page_type":"listing","ad_ids":"482135771,481990245,481777306,481500912","list_total":"876"}};
</script>
</body>
</html>
"""
    return P, doc


# --------------------------------------------------------------- 07 Thai ads
def th_id(first12):
    s = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - s % 11) % 10)


def page07(mat):
    P = Page("07-thai-job-abroad.html", "TH")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    t1, t2, t3 = mk("TH", "81", 9), mk("TH", "89", 9), mk("TH", "95", 9)
    t4 = mk("TH", "2", 8)
    tid = th_id("110370234567")
    doc = f"""<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8">
<title>รับสมัครพนักงานนวดสปา ทำงานต่างประเทศ มาเลเซีย ดูไบ รายได้ดี มีที่พัก | ประกาศงาน</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link href="https://fonts.example-cdn.com/css2?family=Sarabun:wght@400;700&amp;display=swap" rel="stylesheet">
<style>body{{font-family:'Sarabun',sans-serif}} .hl{{color:#d40000;font-weight:bold}} .box{{border:2px dashed #f60;padding:8px}}</style>
</head>
<body>
<div class="top">หน้าแรก &gt; หางาน &gt; งานต่างประเทศ &gt; <b>นวด/สปา</b></div>
<h1 class="hl">🔥🔥 รับด่วน!! พนักงานนวดแผนไทย/สปา ไปทำงานต่างประเทศ (มาเลเซีย 🇲🇾 / ดูไบ 🇦🇪) 🔥🔥</h1>
<p>ลงประกาศเมื่อ: 15 มี.ค. 67 เวลา 10.42 น. · รหัสประกาศ {ng("ad id", "TJ-567-3381")} · ผู้ชม 4,812 ครั้ง</p>
<div class="box">
<p>✅ รายได้ 60,000 – 120,000 บาท/เดือน (ประมาณ ฿60,000 ขึ้นไป) ✅ มีที่พักฟรี ✅ ไม่ต้องมีประสบการณ์ สอนงานให้<br>
✅ อายุ 18–35 ปี ✅ ทำพาสปอร์ตให้ ออกค่าตั๋วเครื่องบินให้ก่อน หักจากเงินเดือนทีหลัง<br>
⏰ เวลาทำงาน 12.00–24.00 น. หยุด 2 วัน/เดือน</p>
<p>📞 สนใจติดต่อ พี่แนน <a href="tel:{t1.e164}">{ph(t1.f("XXX-XXX-XXXX"))}</a><br>
📞 สำรอง (จากต่างประเทศ) {ph(t2.f("+XX XX XXX XXXX"))}<br>
📞 เบอร์ใหม่ {ph(t3.f("XXX-XXX-XXXX").translate(THAI))} (โทรได้ทุกวัน)<br>
☎️ สำนักงานกรุงเทพฯ {ph(t4.f("XX-XXX-XXXX"))} (เวลาทำการ 09.00-17.00 น.)<br>
💬 Line ID: {ng("LINE id", "@spajob88")} หรือ {ng("LINE id", "nan.spa2024")}<br>
📧 อีเมล {em("thai.spa.jobs88@gmail.com")} / {em("jobs.malaysia (at) hotmail (dot) co.th")}</p>
</div>
<h2>เอกสารที่ต้องใช้</h2>
<ol>
<li>สำเนาบัตรประชาชน (ตัวอย่างเลข {ng("Thai national id", group(tid, "X-XXXX-XXXXX-XX-X"))})</li>
<li>พาสปอร์ต (ถ้ามี) เช่น {ng("passport number", "AA1234567")} – ถ้าไม่มี ทางเราทำให้ ค่าใช้จ่าย 3,500 บาท</li>
<li>รูปถ่ายหน้าตรง 2 รูป + รูปเต็มตัว 2 รูป</li>
</ol>
<h2>ค่าดำเนินการ</h2>
<p>ค่ามัดจำ 5,000 บาท โอนเข้าบัญชีกสิกรไทย เลขที่ {ng("Thai bank account number", "123-4-56789-0")} หรือโอนเป็นคริปโต:<br>
USDT (TRC20): <code>{e("trx", TRX[1])}</code><br>
USDT (ERC20): <code>{e("eth", ETH[0].lower())}</code><br>
หลังโอนแจ้งสลิปใน Line พร้อมเลขที่อ้างอิง {ng("transfer reference", "202403151422001234")}</p>
<p>สำนักงาน: 99/12 ถ.สุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพฯ {ng("postal code", "10110")} (พิกัด {ng("coordinates", "13.7367, 100.5605")})<br>
วันที่ 15/03/2567 · อัปเดตล่าสุด 15 มีนาคม 2567 เวลา 10:42 น.</p>
<div class="share">แชร์: <a href="https://social.example/share?u=%2Fjob%2F3381">Facebook</a> · <a href="https://line.example/R/msg/text/?%E0%B8%87%E0%B8%B2%E0%B8%99">LINE</a></div>
<script>var _adid = 3381; var _cat = "overseas-spa"; var _posted = "2024-03-15T03:42:00Z";</script>
</body>
</html>
"""
    return P, doc


# ------------------------------------------------------- 08 Arabic agency AE
def page08(mat):
    P = Page("08-maktab-istiqdam-ae.html", "AE")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    u1, u2, u3 = mk("AE", "50", 9), mk("AE", "55", 9), mk("AE", "52", 9)
    u4, u5, u6 = mk("AE", "56", 9), mk("SA", "55", 9), mk("AE", "4", 8)
    u7 = mk("AE", "58", 9)
    ib_ae = iban_make("AE", "033" + "".join(str(NR.randrange(10)) for _ in range(16)))
    ib_sa = iban_make("SA", "80" + "".join(str(NR.randrange(10)) for _ in range(18)))
    eid = luhn_complete("7841990", 15)
    doc = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>مكتب النور لاستقدام العمالة المنزلية – خادمات من الفلبين وإندونيسيا وإثيوبيا – دبي</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/themes/alnoor/rtl.css?ver=3.1.4">
</head>
<body class="rtl">
<header><h1>مكتب النور لاستقدام العمالة المنزلية</h1>
<p>ترخيص وزارة الموارد البشرية والتوطين رقم {ng("licence number", "MOHRE/DXB/0431")} · رخصة تجارية رقم {ng("trade licence number", "CN-1187765")}</p></header>
<nav><a href="/">الرئيسية</a> | <a href="/maids/">عاملات متوفرات</a> | <a href="/prices/">الأسعار</a> | <a href="/contact/">اتصل بنا</a></nav>
<section id="offers">
<h2>عاملات متوفرات للتنازل / استقدام فوري</h2>
<table class="maids" border="1">
<thead><tr><th>الرمز</th><th>الجنسية</th><th>العمر</th><th>الخبرة</th><th>الراتب الشهري</th><th>رسوم الاستقدام</th></tr></thead>
<tbody>
<tr><td>{ng("profile code", "PH-2291")}</td><td>الفلبين</td><td>٢٦</td><td>٣ سنوات (السعودية)</td><td>1,500 درهم</td><td>AED 12,500</td></tr>
<tr><td>ET-0877</td><td>إثيوبيا</td><td>٢٢</td><td>بدون خبرة</td><td>١٬٠٠٠ درهم</td><td>AED 7,900</td></tr>
<tr><td>ID-1450</td><td>إندونيسيا</td><td>٣١</td><td>٥ سنوات (الكويت)</td><td>1,200 AED</td><td>٩٬٥٠٠ درهم</td></tr>
<tr><td>UG-0311</td><td>أوغندا</td><td>٢٤</td><td>سنة واحدة</td><td>950 درهم</td><td>AED 6,800</td></tr>
</tbody></table>
<p>* الجواز يبقى مع الكفيل طوال مدة العقد. فترة التجربة ٦ أشهر. يوجد نقل كفالة.</p>
</section>
<section id="contact">
<h2>للتواصل والحجز</h2>
<ul>
<li>موبايل / واتساب: <a href="tel:{u1.e164}" dir="ltr">{ph(u1.f("XXX XXX XXXX"))}</a></li>
<li>من خارج الدولة: <span dir="ltr">{ph(u2.f("+XXX XX XXX XXXX"))}</span></li>
<li>رقم إضافي: <span dir="ltr">{ph(u3.f("XXX XXX XXXX").translate(ARABIC_INDIC))}</span></li>
<li>خط ساخن: <span dir="ltr">{ph(u7.f("+XXX XX XXX XXXX").translate(ARABIC_INDIC))}</span></li>
<li>فرع الشارقة (واتساب فقط): <span dir="ltr">{ph(u4.f("+XXX XX XXX XXXX").translate(PERSIAN))}</span></li>
<li>فرع الرياض – المملكة العربية السعودية: <span dir="ltr">{ph(u5.f("+XXX XX XXX XXXX"))}</span></li>
<li>هاتف المكتب (دبي – ديرة): <span dir="ltr">{ph(u6.f("XX XXX XXXX"))}</span> · ص.ب {ng("P.O. box", "12345")} دبي</li>
<li>البريد الإلكتروني: {em("info@alnoor-istiqdam.ae")} أو <span dir="ltr">{em("alnoor.maids[at]outlook[dot]com")}</span></li>
</ul>
<p>العنوان: ديرة، شارع الرقة، بناية رقم ٧، الطابق الثاني (الإحداثيات <span dir="ltr">{ng("coordinates", "25.2654, 55.3172")}</span>)</p>
</section>
<section id="payment">
<h2>طرق الدفع</h2>
<p>تحويل بنكي (بنك المشرق): <span dir="ltr">{e("iban", iban_spaced(ib_ae))}</span><br>
للعملاء في السعودية (مصرف الراجحي): <span dir="ltr">{e("iban", ib_sa)}</span><br>
أو USDT شبكة TRC20: <span dir="ltr"><code>{e("trx", TRX[3])}</code></span><br>
يرجى إرسال صورة الإيصال مع رقم الهوية الإماراتية (مثال: <span dir="ltr">{ng("Emirates ID (Luhn-valid)", group(eid, "XXX-XXXX-XXXXXXX-X"))}</span>).</p>
<p>آخر تحديث: ٥ رمضان ١٤٤٥ هـ الموافق 2024/03/15 – الساعة ١٠:٣٠ صباحاً. الأسعار شاملة ضريبة القيمة المضافة ٥٪ (الرقم الضريبي {ng("UAE TRN (tax number)", "100234567800003")}).</p>
</section>
<footer><p>© ٢٠٢٤ مكتب النور. جميع الحقوق محفوظة.</p></footer>
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"event":"page","lang":"ar","maids":4}});</script>
</body>
</html>
"""
    return P, doc


# ------------------------------------------------------------- 09 Chinese
def cn_id(first17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(d) * x for d, x in zip(first17, w)) % 11]


def page09(mat):
    P = Page("09-haiwai-zhaopin-cn.html", "CN")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    c1, c2, c3 = mk("CN", "139", 11), mk("CN", "138", 11), mk("CN", "10", 10)
    c4, c5, c6 = mk("CN", "137", 11), mk("CN", "21", 10), mk("CN", "186", 11)
    qq = None
    while qq is None or phone_any_valid(qq, "CN"):
        qq = str(NR.randrange(1, 3)) + "".join(str(NR.randrange(10)) for _ in range(9))
    qq2 = "28" + "".join(str(NR.randrange(10)) for _ in range(7))
    while phone_any_valid(qq2, "CN"):
        qq2 = "28" + "".join(str(NR.randrange(10)) for _ in range(7))
    sfz = cn_id("11010519900307123")
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>【高薪急聘】柬埔寨/迪拜 网络客服、打字员 月薪1.5万-3万 包吃包住 包机票 - 海外招聘信息网</title>
<meta name="keywords" content="海外招聘,柬埔寨招聘,迪拜客服,高薪">
<link rel="stylesheet" href="//static.example-zhaopin.cn/css/detail.css?v=20240301">
</head>
<body>
<div class="nav">首页 &gt; 海外招聘 &gt; 东南亚 &gt; <b>柬埔寨</b></div>
<div class="detail">
<h1>【高薪急聘】柬埔寨/迪拜 网络客服、打字员 月薪1.5万-3万 包吃包住 包机票</h1>
<div class="info">发布时间：2024年3月15日 14:22 &nbsp; 浏览：12,086次 &nbsp; 信息编号：{ng("listing id", "HW20240315-0871")}</div>
<div class="salary">薪资：¥15,000–30,000/月（美金结算 $2,100–4,200） 提成另计</div>
<div class="content">
<p>【岗位】网络客服、打字员、推广专员，会电脑打字即可，不需要外语。<br>
【待遇】包吃包住包机票，月休4天，工资月结，可用USDT结算。<br>
【要求】18–35岁，男女不限，护照没有的公司帮办，到了之后护照统一由公司保管。<br>
【注意】入职需交押金¥8,000，工作满一年退还。</p>
<p>联系人：王经理<br>
手机：{ph(c1.f("XXX XXXX XXXX"))}（同微信）<br>
海外请拨：{ph(c2.f("+XX XXX-XXXX-XXXX"))}<br>
座机：{ph(c3.f("XXX-XXXXXXXX"))}（北京办事处，工作日 9:00-18:00）<br>
备用：{ph(c4.f("XXX XXXX XXXX").translate(FULLWIDTH))}（防屏蔽，全角）<br>
上海面试点：{ph(c5.f("00XX XX XXXX XXXX"))}<br>
<a class="btn-call" href="tel:{ph(c6.e164)}">一键拨号</a> <span class="tip">（{ph(c6.f("XXX-XXXX-XXXX"))}）</span><br>
微信：{ng("WeChat id", "hr_global888")} &nbsp; QQ：{ng("QQ number", qq)} &nbsp; 群号：{ng("QQ group number", qq2)}<br>
邮箱：{em("hr_global888@163.com")} 或 {em(qq + "@qq.com")}</p>
<p>押金/机票款可转 USDT：<br>
TRC20：<code>{e("trx", TRX[4])}</code><br>
TRC20（备用）：<code>{e("trx", TRX[5])}</code><br>
ERC20：<code>{e("eth", ETH[1])}</code><br>
ERC20（旧地址，勿用）：<code>{ng("eth address with a wrong EIP-55 checksum", eth_bad_case(ETH[2]))}</code><br>
ERC20（新）：<code>{e("eth", ETH[3].lower())}</code><br>
BTC：<code>{e("btc", BTCQ[0])}</code></p>
<p>报名需提供：身份证（如 {ng("Chinese resident id", sfz)}）正反面照片、近照两张。<br>
公司统一社会信用代码：{ng("unified social credit code", "91110108MA01R2KX3B")} &nbsp; 邮编：{ng("postal code", "100080")}<br>
体检报告寄顺丰到付，单号例：{ng("SF Express tracking", "SF1426873390512")}</p>
</div>
<div class="report">⚠️ 本站提示：凡是要求先交押金、扣押护照的招聘均可能涉嫌诈骗或人口贩卖，请谨慎！举报电话见首页。</div>
</div>
<div class="foot">Copyright © 2012-2024 海外招聘信息网 京ICP备{ng("ICP licence number", "12034567")}号-1</div>
<script>
var _hmt = _hmt || [];
var pageInfo = {{ id: "HW20240315-0871", cat: 41, ts: 1710483720000 }};
</script>
</body>
</html>
"""
    return P, doc


# ---------------------------------------------------------- 10 Telegram dump
def page10(mat):
    P = Page("10-telegram-channel-dump.txt", None)
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    p_pl, p_de, p_hh = mk("PL", "513", 9), mk("DE", "157", 11), mk("DE", "40", 10)
    p_tr, p_md, p_gb = mk("TR", "532", 10), mk("MD", "69", 8), mk("GB", "7911", 10)
    p_ldn, p_ua, p_ca = mk("GB", "20", 10), mk("UA", "67", 9), mk("CA", "416", 10)
    p_us, p_ru = mk("US", "212", 10), mk("RU", "968", 10)
    ib_lt = iban_make("LT", "32500" + "".join(str(NR.randrange(10)) for _ in range(11)))
    ib_md = iban_make("MD", "AG" + "".join(str(NR.randrange(10)) for _ in range(18)))
    signed = mat["signed"]["tg"]["armored"]
    P.pgp_signed(signed)
    # written inside the clear-signed text (see tg_signed_text); TRX[2] is also repeated in #1523
    P.email("rabota.evropa24@proton.me")
    P.ent("onion", ONION[1])
    P.ent("trx", TRX[2])
    txid = hexs(64)
    doc = f"""Telegram channel export
Channel: Работа Европа | Вакансии 24/7 (@rabota_evropa_247)
Subscribers: 48 213 · Exported: 2024-03-16 02:14 UTC · messages #1519–#1528 · tool: tg-archiver 0.9.4
════════════════════════════════════════════════════════════════

#1519 · 14.03.2024 09:02 · 👁 8.1K · 🔁 112
🇵🇱 ПОЛЬША — завод бытовой техники (Лодзь)
💶 20–24 zł/час нетто, жильё 500 zł/мес, аванс после 2 недель
👥 Мужчины и женщины 18–50, можно семейные пары
📞 Viber/WhatsApp: {ph(p_pl.f("+XX XXX XXX XXX"))} (Ирина)
✉️ {em("praca.lodz (at) onet (dot) pl")}
💳 Оплата визового пакета (1 200 zł) на счёт: {e("iban", iban_spaced(ib_lt))} (Revolut, получатель UAB «Darbas LT»)
#польша #завод #безопыта

────────────────────────────────────────
#1520 · 14.03.2024 11:37 · 👁 6.4K · ↪️ Forwarded from: Vacancies EU 🇪🇺 (@vacancies_eu_official)
🇩🇪 GERMANY – warehouse / Lager, Hamburg
€13.50/h brutto · accommodation €350/month · start 01.04.
☎️ {ph(p_de.f("+XX XXX XXXXXXXX"))} (WhatsApp only)
☎️ office: {ph(p_hh.f("00XX XX XXXXXXXX"))}
📨 CV: {em("hr.hamburg[@]tutanota.com")}
Registration fee €150, pay in crypto:
  BTC → {e("btc", BTCQ[1])}
  ETH/USDT (ERC-20) → {e("eth", ETH[4].lower())}
  ETH (alt) → {e("eth", ETH[5])}

────────────────────────────────────────
#1521 · 14.03.2024 15:10 · 👁 9.9K · 📌 pinned
❗️ ВНИМАНИЕ! От нашего имени пишут мошенники. Настоящие контакты — только в подписанном сообщении ниже. Ключ канала опубликован на сайте.

{signed.strip()}

────────────────────────────────────────
#1522 · 14.03.2024 18:45 · 👁 5.2K
🇹🇷 ТУРЦИЯ — аниматоры и хостес в отели Анталии 🌴
💵 $800 + чаевые + проживание, контракт 6 мес.
👩 Девушки 18–28, фото в полный рост обязательно
📞 Турция: {ph(p_tr.f("+XX XXX XXX XX XX"))}
📞 Молдова (для граждан РМ): {ph(p_md.f("+XXX XX XXX XXX"))}
💰 Оформление 250 € — можно в Monero (анонимно):
{e("xmr", XMR[1])}
или с payment ID (integrated):
{e("xmr", XMRI[0])}
Для Молдовы — перевод на {e("iban", ib_md)} (Moldova Agroindbank)
Short payment ID старого образца не используем: {ng("xmr short payment id (16 hex)", hexs(16))}

────────────────────────────────────────
#1523 · 15.03.2024 08:20 · 👁 11.2K · 💬 ответ на #1520
Кто спрашивал «тестовый платёж» — НЕ отправляйте на {ng("btc testnet bech32", BTC_TESTNET[2])}, это тестнет, деньги не дойдут 😂
Правильные адреса:
  BTC (P2SH, для бирж): {e("btc", BTC3[0])}
  BTC (Taproot): {e("btc", BTCP[0])}
  BTC (старый кошелёк, тоже работает): {e("btc", BTC1[1])}
USDT — только TRC-20: {e("trx", TRX[2])}

────────────────────────────────────────
#1524 · 15.03.2024 10:05 · 👁 7.7K
🇬🇧 UK — care homes, £11.44/hr, visa sponsorship (Skilled Worker)
Call / WhatsApp {ph(p_gb.f("+XX XXXX XXXXXX"))} or London office {ph(p_ldn.f("00XX XX XXXX XXXX"))}
Email {em("uk.care.jobs(at)proton(dot)me")}
Deadline: Friday 22nd March 2024, 5pm GMT.

────────────────────────────────────────
#1525 · 15.03.2024 12:30 · 👁 4.9K
Принимаем также:
  LTC: {e("ltc", LTCL[1])}
  LTC (segwit): {e("ltc", LTCQ[0])}
  BCH: {e("bch", BCHQ[2])}
  BCH (без префикса): {e("bch", BCHP[0].split(":")[1])}
  XMR (subaddress): {e("xmr", XMRS[0])}
Новое зеркало в Tor: http://{e("onion", ONION[2])}/vacancies
Старое v2-зеркало больше не работает: {ng("onion v2 (deprecated, 16 chars)", ONION_V2)}

────────────────────────────────────────
#1526 · 15.03.2024 14:22 · 👁 3.3K
✅ Оплата получена, спасибо! txid {ng("bitcoin txid (64 hex)", txid)}
Sent 0.0124 BTC to {ng("truncated address", BTCQ[1][:8] + "…" + BTCQ[1][-6:])} · block 832,601 · 14:22:05 UTC
ETH tx: {ng("ethereum tx hash (0x + 64 hex)", "0x" + hexs(64))}

────────────────────────────────────────
#1527 · 15.03.2024 16:40 · 👁 2.8K · 🖼 Photo
[фото] Наши сотрудники в Варшаве 🥰 Довольны, работают уже 3-й месяц!
Вопросы — менеджеру @rabota_evropa_manager или по телефону {ph(p_ua.f("+XXX (XX) XXX XX XX"))}
Резюме можно на jobs at rabota-evropa dot info (пишите без пробелов)
Номер для смс диктую словами, бот удаляет цифры: {ph("плюс " + words(p_ru.e164[1:], RU_WORDS))}

────────────────────────────────────────
#1528 · 15.03.2024 19:03 · 👁 1.9K
🇨🇦🇺🇸 CANADA & USA — work & travel / seasonal farm work
Toronto: {ph(p_ca.f("+X (XXX) XXX-XXXX"))}
New York: {ph(p_us.f("+X XXX.XXX.XXXX"))}
Programme code {ng("programme code", "IEC-2024-WH-0871")} · fee CAD 350 / USD 260

════════════════════════════════════════════════════════════════
End of export · 10 messages · 0 errors
"""
    return P, doc


# ------------------------------------------------------------- 11 vendor shop
def page11(mat):
    P = Page("11-vendor-shop-mirror.html", None)
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    sig = mk("GB", "7458", 10)
    key = mat["keys"]["vendor"]["armored"]
    fpr = mat["keys"]["vendor"]["fpr"]
    canary = mat["signed"]["canary"]["armored"]
    encrypted = mat["encrypted"]["order"]["armored"]
    session_id = "05" + hexs(64)
    jsonld = json.dumps({
        "@context": "https://schema.org", "@type": "Product",
        "name": "Pre-registered eSIM (DE), 30 days",
        "sku": "NL-ESIM-DE-30", "gtin13": "4006381333931", "brand": {"@type": "Brand", "name": "NordLine"},
        "offers": {"@type": "Offer", "price": "45.00", "priceCurrency": "USD",
                   "availability": "https://schema.org/InStock", "priceValidUntil": "2024-12-31"},
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.8", "reviewCount": "1312"}},
        indent=2, ensure_ascii=False)
    doc = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>NordLine Supply — eSIMs, accounts &amp; VPN · official mirror</title>
<link rel="stylesheet" href="/static/css/shop.min.css?h={hexs(12)}">
<link rel="icon" href="/static/img/favicon@2x.png" sizes="64x64">
<script type="application/ld+json">
{jsonld}
</script>
<script src="/static/js/jquery@3.7.1.min.js" integrity="sha384-{base64.b64encode(hashlib.sha384(b'jq').digest()).decode()}"></script>
<script>
  window.__SHOP__ = {{
    build: "2024.03.11-{hexs(7)}",
    csrf: "{hexs(32)}",
    rates: {{ XMR_USD: 128.42, BTC_USD: 71234.5, LTC_USD: 86.1, ETH_USD: 3710.02 }},
    orderPrefix: "NL-", pollMs: 15000, confirmations: {{ btc: 2, xmr: 10, ltc: 6 }}
  }};
  function copyAddr(el) {{ navigator.clipboard.writeText(el.dataset.address); el.classList.add("copied"); }}
</script>
</head>
<body class="shop theme-dark">
<header class="topbar">
  <a class="brand" href="/"><img src="/static/img/logo.png" srcset="/static/img/logo.png 1x, /static/img/logo@2x.png 2x, /static/img/logo@3x.png 3x" alt="NordLine" width="140" height="32"></a>
  <nav><a href="/">Shop</a> <a href="/faq">FAQ</a> <a href="/pgp">PGP</a> <a href="/canary">Canary</a> <a href="/login">Login</a></nav>
  <div class="mirrors">Mirrors:
    <a href="http://{e("onion", ONION[3])}/" title="mirror 1">{ONION[3][:10]}…{ONION[3][-12:]}</a> ·
    <a href="http://{e("onion", ONION[4])}/?ref=mirrorlist" title="mirror 2">{ONION[4][:10]}…{ONION[4][-12:]}</a>
  </div>
</header>
<div class="notice">🆕 New backup mirror (bookmark it): <b>{e("onion", ONION[5])}</b> · dead mirror, do not use: {ng("onion with a bad checksum", bad(ONION[5], keep_prefix=10))}</div>

<main class="grid">
  <div class="card" data-sku="NL-ESIM-DE-30" data-price-usd="45.00" data-stock="214">
    <img src="/static/img/p/esim-de@2x.webp" alt="eSIM DE" loading="lazy">
    <h3>Pre-registered eSIM (DE), 30 days</h3><p class="price">$45.00 · ≈ 0.3504 XMR · ≈ 0.00063 BTC</p>
    <p class="meta">SKU {ng("SKU", "NL-ESIM-DE-30")} · EAN {ng("EAN-13", "4006381333931")} · 1,312 reviews ★4.8</p>
  </div>
  <div class="card" data-sku="NL-ESIM-UK-30" data-price-usd="49.00" data-stock="88">
    <img src="/static/img/p/esim-uk@2x.webp" alt="eSIM UK" loading="lazy">
    <h3>Pre-registered eSIM (UK), 30 days</h3><p class="price">£39.00 · $49.00 · €45.50</p>
    <p class="meta">SKU NL-ESIM-UK-30 · ships in 5 min · 640 reviews</p>
  </div>
  <div class="card" data-sku="NL-VPN-12M" data-price-usd="29.99" data-stock="999">
    <img src="/static/img/p/vpn@2x.webp" alt="VPN" loading="lazy">
    <h3>VPN account, 12 months (WireGuard)</h3><p class="price">$29.99 · 0.2335 XMR</p>
    <p class="meta">Config version v2.1.4 · port 51820 · key format base64</p>
  </div>
</main>

<section id="checkout" class="panel">
  <h2>Payment — order {ng("order number", "NL-48213")}</h2>
  <p>Total: <b>0.00063 BTC</b> (≈ $45.00) — expires in 29:41</p>
  <div class="pay-row" data-coin="btc" data-address="{e("btc", BTCQ[2])}">
    <img class="qr" alt="QR code" src="data:image/png;base64,{base64.b64encode(png_bytes(21, 21, 3)).decode()}">
    <a class="addr" href="bitcoin:{BTCQ[2]}?amount=0.00063&amp;label=NL-48213&amp;message=order%2048213">{BTCQ[2][:9]}…{BTCQ[2][-6:]}</a>
    <button onclick="copyAddr(this.parentNode)">Copy</button>
  </div>
  <p class="small">Legacy wallet? Use <code>{e("btc", BTC1[2])}</code>. Escrow (2-of-3 multisig, P2WSH): <code>{e("btc", BTCWSH[0])}</code></p>
  <p class="small">Testing our API? Testnet only: <code>{ng("btc testnet P2SH", BTC_TESTNET[1])}</code></p>
  <label>Monero (integrated address, no payment ID needed)
    <input type="text" class="mono" readonly value="{e("xmr", XMRI[1])}">
  </label>
  <p class="small">Or plain XMR: <span class="mono">{e("xmr", XMR[2])}</span></p>
  <p class="small">LTC: <abbr class="mono" title="{e("ltc", LTCM[0])}">{LTCM[0][:6]}…{LTCM[0][-4:]}</abbr> ·
     ETH/USDC: <a href="ethereum:{e("eth", ETH[6])}@1?value=1.2e16">pay with wallet</a></p>
</section>

<section id="pgp" class="panel">
  <h2>PGP</h2>
  <p>Fingerprint: <code>{" ".join(fpr[i:i + 4] for i in range(0, 40, 4))}</code>. Always verify mirrors with our canary.</p>
  <pre class="pgp">{P.pgp_key(key).strip()}</pre>
  <h3>Warrant canary</h3>
  <pre class="pgp">{P.pgp_signed(canary).strip()}</pre>
  <h3>How an encrypted order looks</h3>
  <pre class="pgp">{ng("PGP encrypted message (not a key)", encrypted.strip())}</pre>
</section>

<section id="contact" class="panel">
  <h2>Contact</h2>
  <ul>
    <li>Support: {em("nordline (at) tutanota (dot) com")} · disputes: {em("support@nordline.shop")}</li>
    <li>Signal (no calls): {ph(sig.f("+XX XXXX XXXXXX"))}</li>
    <li>Session: <code style="word-break:break-all">{ng("Session messenger id (66 hex)", session_id)}</code></li>
    <li>Tox: <code style="word-break:break-all">{ng("Tox id (76 hex)", hexs(76).upper())}</code></li>
  </ul>
</section>
<footer>© 2021–2024 NordLine Supply · build {hexs(7)} · all prices in USD unless stated · server time 2024-03-15 14:22:05 UTC</footer>
<!-- mirror check ok: 3/3 · render 38ms -->
</body>
</html>
"""
    return P, doc


# ------------------------------------------------------- 12 CSS-heavy FR page
def png_bytes(w, h, seed):
    rr = random.Random(seed)
    rows = b"".join(b"\x00" + bytes(rr.getrandbits(8) for _ in range(3 * w)) for _ in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def fr_bban():
    bank, branch = "30004", "0" + "".join(str(NR.randrange(10)) for _ in range(4))
    acct = "".join(str(NR.randrange(10)) for _ in range(11))
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acct)) % 97
    return f"{bank}{branch}{acct}{key:02d}"


def big_css():
    rr = random.Random(99)
    parts = [":root{--pink:#ff3366;--ink:#1a1a2e;--gold:#d4af37;--bg:#0f0f14;--muted:#9a9aa8cc}",
             "@font-face{font-family:'Playfair';font-style:normal;font-weight:400;font-display:swap;"
             "src:url(data:font/woff2;base64," + base64.b64encode(bytes(rr.getrandbits(8) for _ in range(2400))).decode()
             + ") format('woff2')}"]
    for i in range(160):
        c1 = "".join(rr.choice("0123456789abcdef") for _ in range(6))
        c2 = "".join(rr.choice("0123456789abcdef") for _ in range(8))
        parts.append(f".c-{i:03d},.card--v{i % 7}>.t{i % 5}{{color:#{c1};background:#{c2};"
                     f"border-radius:{rr.randrange(2, 24)}px;transition:all .{rr.randrange(1, 9)}s cubic-bezier(.4,0,.2,1);"
                     f"box-shadow:0 {rr.randrange(1, 9)}px {rr.randrange(4, 40)}px rgba(0,0,0,.{rr.randrange(1, 9)})}}")
        if i % 20 == 0:
            parts.append(f"@media (max-width:{rr.choice([480, 640, 768, 1024])}px){{.c-{i:03d}{{display:none}}}}")
        if i % 40 == 0:
            parts.append(f".bg-{i}{{background-image:url(data:image/png;base64,"
                         + base64.b64encode(png_bytes(12, 12, i)).decode() + ")}")
    parts.append(".hero{background:linear-gradient(135deg,#ff3366 0%,#1a1a2e 100%);min-height:60vh}")
    parts.append(".icon-phone{background:url(\"data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'><path fill='%23ff3366' d='M6.6 10.8c1.4 2.8 3.8 5.1 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1C10.6 21 3 13.4 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1L6.6 10.8z'/></svg>\") no-repeat}")
    return "\n".join(parts)


def page12(mat):
    P = Page("12-salon-massage-paris-fr.html", "FR")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    f1, f2, f3, f4 = mk("FR", "6", 9), mk("FR", "7", 9), mk("FR", "6", 9), mk("FR", "1", 9)
    ib = iban_make("FR", fr_bban())
    avatar = base64.b64encode(png_bytes(16, 16, 7)).decode()
    doc = f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Lotus Spa Paris 8e — massages relaxants, nouvelles hôtesses, ouvert 7j/7</title>
<style>
{big_css()}
</style>
</head>
<body class="c-001 hero">
<header class="c-002"><img class="logo" src="/img/lotus.png" srcset="/img/lotus@2x.png 2x, /img/lotus@3x.png 3x" alt="Lotus Spa">
<span class="icon-phone"></span> <a href="tel:{ph(f1.e164)}" class="c-003">{ph(f1.f("XX XX XX XX XX"))}</a></header>
<section class="c-010 bg-0">
<h1>Lotus Spa — Paris 8<sup>e</sup></h1>
<p>Massages relaxants par des hôtesses asiatiques et d’Europe de l’Est. Ouvert 7j/7 de 10h à 22h. Nouvelles hôtesses chaque semaine !</p>
<p>Adresse : 14 rue de Ponthieu, {ng("postal code", "75008")} Paris — métro Franklin D. Roosevelt (GPS {ng("coordinates", "48.8716, 2.3080")})</p>
</section>
<section class="c-020 tarifs">
<h2>Tarifs</h2>
<table class="c-021"><tr><th>Prestation</th><th>Durée</th><th>Prix</th></tr>
<tr><td>Massage relaxant</td><td>30 min</td><td>60 €</td></tr>
<tr><td>Massage relaxant</td><td>60 min</td><td>110 €</td></tr>
<tr><td>Massage « duo »</td><td>60 min</td><td>200 €</td></tr>
<tr><td>Forfait 5 séances</td><td>5 × 60 min</td><td>495,00 €</td></tr></table>
<p class="small">Paiement espèces uniquement sur place. Carte de fidélité n° {ng("loyalty card number", "LS-0048-2291")}.</p>
</section>
<section class="c-030 hotesses">
<h2>Nos hôtesses</h2>
<div class="card--v1"><img src="data:image/png;base64,{avatar}" alt="Mia" width="16" height="16"><span class="t1">Mia, 21 ans, arrivée le 12/03/2024</span></div>
<div class="card--v2"><img src="/img/h/lina@2x.jpg" alt="Lina"><span class="t2">Lina, 23 ans — nouvelle</span></div>
<div class="card--v3"><img src="/img/h/oksana@2x.jpg" alt="Oksana"><span class="t3">Oksana, 20 ans — parle russe/ukrainien</span></div>
</section>
<section class="c-040 recrutement">
<h2>Recrutement</h2>
<p>Nous recrutons des hôtesses (18–30 ans), logement fourni, papiers pas nécessaires. Avance pour le billet d’avion remboursable sur salaire.
Appelez Mme Chen au {ph(f2.f("XX.XX.XX.XX.XX"))} ou, depuis l’étranger, au {ph(f3.f("+XX X XX XX XX XX"))}.
Siège (Paris 1er) : {ph(f4.f("00XX X XX XX XX XX"))}.<br>
Candidatures : {em("lotus.recrutement [at] gmail [dot] com")} — photos obligatoires.</p>
<p>Frais de dossier 300 € à régler par virement : <span class="iban">{e("iban", iban_spaced(ib))}</span> (BNP Paribas, titulaire SAS LOTUS BIEN-ÊTRE).</p>
</section>
<footer class="c-050">
<p>SAS Lotus Bien-Être — SIRET {ng("SIRET", "812 945 671 00019")} — RCS Paris — TVA {ng("French VAT id", "FR 32 812945671")} — <a href="mailto:{em("contact@lotus-spa-paris.fr")}">contact</a></p>
<p>© 2024 · Mentions légales · Dernière mise à jour : vendredi 15 mars 2024 à 14h22</p>
</footer>
</body>
</html>
"""
    return P, doc


# ------------------------------------------------------------ 13 orders (US)
def page13(mat):
    P = Page("13-orders-export-admin.html", "US")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    u = [mk("US", "212", 10), mk("US", "646", 10), mk("US", "718", 10), mk("US", "305", 10), mk("US", "702", 10)]
    gb, mx, de = mk("GB", "7912", 10), mk("MX", "55", 10), mk("DE", "160", 10)
    imei1, imei2 = luhn_complete("35693803", 15), luhn_complete("35328511", 15)
    card = luhn_complete("4", 16)
    usps = luhn_complete("9400111899", 22)
    rows = [
        ("#100231", "2024-03-15T14:22:05Z", "Jessica M.", em("jessica.m1992@gmail.com"), ph(u[0].f("(XXX) XXX-XXXX")),
         f"New York, NY {ng('ZIP code', '10001')}", f"UPS {ng('UPS tracking number', '1Z999AA10123456784')}",
         "iPhone 13 Pro, IMEI " + ng("IMEI (Luhn-valid)", imei1), "$1,049.00", f"BTC <code>{e('btc', BTC1[3])}</code>", "Shipped"),
        ("#100232", "03/15/2024 9:14 AM", "Carlos R.", em("Carlos.Rivera@Outlook.com"), ph(u[1].f("XXX.XXX.XXXX")),
         f"Brooklyn, NY {ng('ZIP+4 code', '11201-3412')}", f"USPS {ng('USPS tracking number', group(usps, 'XXXX XXXX XXXX XXXX XXXX XX'))}",
         "Galaxy S23, IMEI " + ng("IMEI (Luhn-valid)", group(imei2, "XX XXXXXX XXXXXX X")), "$799.99", f"card {ng('masked card', '•••• 4242')}", "Delivered"),
        ("#100233", "Mar 14, 2024 11:02 PM", "Mike T.", ng("e-mail with a typo TLD", "mike.t@hotmail.con"), ph(u[2].f("XXX-XXX-XXXX")),
         "Queens, NY 11354", f"FedEx {ng('FedEx tracking number', '7732 1934 5521')}",
         "AirPods Pro (2nd gen)", "$249.00", f"ETH <code>{e('eth', '0x' + ETH[7][2:].upper())}</code>", "Refunded"),
        ("#100234", "2024/03/14", "Anna K.", em("anna.k+orders@proton.me"), ph(u[3].f("+X XXX XXX XXXX")),
         "Miami, FL 33101", "—", "Gift card $200 ×2", "€368.40", f"BTC <code>{e('btc', BTCQ[3])}</code>", "Flagged"),
        ("#100235", "14.03.2024 08:41", "Oleksandr P.", em("o.petrenko@ukr.net"), ph(mx.f("+XX XX XXXX XXXX")),
         "Tijuana, BC 22000, MX", "DHL JJD0099912345678", "Prepaid SIM ×20", "MX$4,250.00", f"LTC <code>{e('ltc', LTCQ[1])}</code>", "On hold"),
        ("#100236", "13 Mar 2024", "Tom W.", ng("e-mail without a public suffix", "tom@localhost"), ph(u[4].f("(XXX) XXX-XXXX")),
         "Las Vegas, NV 89101", "—", "Prepaid SIM ×50", "$1,750.00", f"card {ng('Luhn-valid card number', group(card, 'XXXX XXXX XXXX XXXX'))}", "Chargeback"),
        ("#100237", "1710326400", "Grace L.", em("GRACE.LIU@YAHOO.COM"), ph(gb.f("+XX XXXX XXXXXX")),
         "London W1D 3QF, UK", "Royal Mail " + ng("Royal Mail tracking", "AB123456785GB"), "Burner phone ×5", "£412.50", "bank transfer", "Shipped"),
        ("#100238", "2024-03-12 17:55:31 -0500", "Dieter S.", em("d.schulz@t-online.de"), ph(de.f("+XX XXX XXXXXXX")),
         "10115 Berlin, DE", "DHL 00340434161234567890", "eSIM ×3", "€135.00", "PayPal (F&amp;F)", "Shipped"),
        ("#100239", "Mar 12", "maria g.", ng("e-mail without TLD", "maria.g@gmail"), "n/a",
         "Houston, TX 77002", "—", "Gift card $100", "$100.00", f"SSN on file {ng('SSN-like number', '078-05-1120')}", "Cancelled"),
    ]
    trs = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    doc = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Orders · Admin — export 2024-03-15</title>
<link rel="stylesheet" href="/admin/assets/admin.css?v=1.9.2">
<style>table.orders td,table.orders th{{border:1px solid #ccc;padding:4px 6px;font:12px/1.3 monospace}} .Flagged{{background:#fde2e2}}</style>
</head>
<body>
<h1>Orders <small>(page 1 of 38 · filter: status ≠ draft · tz America/New_York)</small></h1>
<p>Exported by admin <b>kevin</b> on Friday, March 15, 2024 at 2:22:05 PM EDT. Support line for customers: <a href="tel:{ph(u[0].e164)}">call us</a>.
Escalations: {em("ops-escalations@fastprepaid.store")}.</p>
<table class="orders">
<thead><tr><th>Order</th><th>Date</th><th>Customer</th><th>Email</th><th>Phone</th><th>Ship to</th><th>Tracking</th><th>Items</th><th>Total</th><th>Payment</th><th>Status</th></tr></thead>
<tbody>
{trs}
</tbody>
<tfoot><tr><td colspan="8">Totals (9 orders)</td><td colspan="3">$4,748.99 + €503.40 + £412.50 + MX$4,250.00</td></tr></tfoot>
</table>
<p class="muted">Page generated in 0.18 s · rows 1–9 of 342 · build admin@1.9.2 · {ng("version string", "ops@2.0.1")}</p>
</body>
</html>
"""
    return P, doc


# ----------------------------------------------------------- 14 explorer page
USDT_ERC20 = "0xdAC17F958D2ee523a2206206994597C13D831ec7"  # the real USDT contract on Ethereum


def page14(mat):
    P = Page("14-block-explorer-tx.html", None)
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    txid, blk, merkle = hexs(64), "00000000000000000001" + hexs(44), hexs(64)
    eth_tx = "0x" + hexs(64)
    to_hex = ETH[9][2:].lower()
    calldata = "0xa9059cbb" + "0" * 24 + to_hex + f"{250_000_000:064x}"
    wpkh = segwit_decode("bc", BTCQ[4])[1]

    def addr_link(kind, a, short=True):
        shown = f"{a[:8]}…{a[-6:]}" if short else a
        return f'<a class="addr" href="/address/{e(kind, a)}" title="{a}">{shown}</a>'
    doc = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Transaction {txid[:16]}… | MultiChain Explorer</title>
<link rel="stylesheet" href="/css/explorer.css?v=5.2.0"></head>
<body>
<nav class="chains"><a href="/btc">Bitcoin</a> · <a href="/eth">Ethereum</a> · <a href="/trx">Tron</a> · <a href="/ltc">Litecoin</a> · <a href="/bch">Bitcoin Cash</a></nav>
<h1>Bitcoin transaction</h1>
<table class="kv">
<tr><th>Transaction ID</th><td class="mono">{ng("bitcoin txid", txid)}</td></tr>
<tr><th>Block</th><td><a href="/btc/block/832601">832,601</a> ({ng("block hash", blk)})</td></tr>
<tr><th>Merkle root</th><td class="mono">{ng("merkle root", merkle)}</td></tr>
<tr><th>Time</th><td>2024-03-15 14:22:05 UTC (<span class="ts">{ng("unix timestamp", "1710512525")}</span>)</td></tr>
<tr><th>Fee</th><td>0.00004218 BTC (21.4 sat/vB) · $3.01</td></tr>
<tr><th>Size / vsize / weight</th><td>394 B / 197 vB / 787 WU</td></tr>
</table>
<div class="io">
<div class="inputs"><h3>Inputs (2)</h3>
<ol><li>{addr_link("btc", BTC1[4])} 0.01520000 BTC</li>
<li>{addr_link("btc", BTC3[1])} 0.00910000 BTC</li></ol></div>
<div class="outputs"><h3>Outputs (4)</h3>
<ol><li>{addr_link("btc", BTCQ[4], short=False)} 0.01240000 BTC <span class="spk mono">scriptPubKey {ng("scriptPubKey hex (witness program)", "0014" + bytes(wpkh).hex())}</span></li>
<li>{addr_link("btc", BTCWSH[1])} 0.00500000 BTC</li>
<li>{addr_link("btc", BTCP[1])} 0.00600000 BTC <span class="tag">Taproot</span></li>
<li>{addr_link("btc", BTC3[1])} 0.00085782 BTC <span class="tag">change</span></li></ol></div>
</div>
<p class="note">OP_RETURN: <span class="mono">{ng("OP_RETURN data", "6a24aa21a9ed" + hexs(64))}</span></p>

<h1>Ethereum transaction</h1>
<table class="kv">
<tr><th>Transaction Hash</th><td class="mono">{ng("eth tx hash", eth_tx)}</td></tr>
<tr><th>Status</th><td>Success · Block 19441052 · 41 Block Confirmations</td></tr>
<tr><th>From</th><td class="mono">{e("eth", ETH[8])}</td></tr>
<tr><th>Interacted With (To)</th><td class="mono">Contract {e("eth", USDT_ERC20)} (Tether: USDT Stablecoin)</td></tr>
<tr><th>ERC-20 Tokens Transferred</th><td>From {ETH[8][:10]}…{ETH[8][-8:]} To <a href="/eth/address/{e("eth", ETH[9])}">{ETH[9][:10]}…{ETH[9][-8:]}</a> For 250 USDT ($250.00)</td></tr>
<tr><th>Value</th><td>0 ETH ($0.00)</td></tr>
<tr><th>Transaction Fee</th><td>0.000947912834 ETH ($3.52)</td></tr>
<tr><th>Gas Price</th><td>21.874213941 Gwei (0.000000021874213941 ETH)</td></tr>
<tr><th>Nonce</th><td>{ng("nonce", "4187")} · Position in block 112</td></tr>
<tr><th>Input Data</th><td class="mono" style="word-break:break-all">{ng("ERC-20 calldata containing a padded address", calldata)}</td></tr>
<tr><th>Also interacted</th><td class="mono">{e("eth", ETH[10].lower())} (Uniswap V3: Router, labelled by user)</td></tr>
</table>

<h1>Tron — TRC-20 transfers (USDT)</h1>
<table class="list"><thead><tr><th>Hash</th><th>Age</th><th>From</th><th>To</th><th>Amount</th><th>Token</th></tr></thead>
<tbody>
<tr><td class="mono">{ng("tron tx hash", hexs(64))[:12]}…</td><td>3 mins ago</td><td>{e("trx", TRX[6])}</td><td>{e("trx", TRX[2])}</td><td>1,200.00</td><td>USDT <span class="mono">({e("trx", USDT_TRC20)})</span></td></tr>
<tr><td class="mono">{hexs(12)}…</td><td>11 mins ago</td><td>{TRX[6]}</td><td>{ng("tron address with a bad checksum", bad(TRX[5]))}</td><td>85.50</td><td>USDT</td></tr>
</tbody></table>

<h1>Litecoin &amp; Bitcoin Cash</h1>
<table class="list"><thead><tr><th>Chain</th><th>Address</th><th>Balance</th><th>Tx count</th><th>First seen</th></tr></thead>
<tbody>
<tr><td>LTC</td><td>{addr_link("ltc", LTCL[2], short=False)}</td><td>14.20381 LTC</td><td>57</td><td>2023-11-02</td></tr>
<tr><td>LTC</td><td>{addr_link("ltc", LTCM[1], short=False)}</td><td>0.5 LTC</td><td>3</td><td>2024-02-28</td></tr>
<tr><td>BCH</td><td>{addr_link("bch", BCHP[1], short=False)}</td><td>2.0001 BCH</td><td>12</td><td>2023-08-19</td></tr>
<tr><td>BCH</td><td>{addr_link("bch", BCHQ[3], short=False)}</td><td>0 BCH</td><td>1</td><td>2024-03-01</td></tr>
<tr><td>BCH (testnet)</td><td>{ng("bch testnet address", BCH_TEST)}</td><td>—</td><td>—</td><td>—</td></tr>
</tbody></table>
<footer>Prices: BTC $71,234.50 · ETH $3,710.02 · TRX $0.1213 · LTC $86.10 · BCH $456.20 — updated 14:22 UTC · API v2 · © 2024</footer>
<script>var TX = {{chain:"btc", txid:"{txid}", height:832601, confirmed:true}};</script>
</body></html>
"""
    return P, doc


# --------------------------------------------------------- 15 price list GB
def page15(mat):
    P = Page("15-escrow-price-list-gb.html", "GB")
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    g1, g2, g3 = mk("GB", "7911", 10), mk("GB", "20", 10), mk("GB", "161", 10)
    g4, g5, ie = mk("GB", "7481", 10), mk("GB", "121", 10), mk("IE", "87", 9)
    ib = iban_make("GB", "NWBK" + "601613" + "".join(str(NR.randrange(10)) for _ in range(8)))
    ib_bad = ib[:12] + str((int(ib[12]) + 5) % 10) + ib[13:]
    imei = luhn_complete("01", 15)
    doc = f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Midlands Logistics — rates, escrow &amp; contact (updated 15/03/2024)</title>
<link rel="stylesheet" href="/assets/site.css"></head>
<body>
<h1>Midlands Logistics — rates &amp; escrow</h1>
<p><i>Last updated: Fri 15 Mar 2024, 2:22pm GMT (2024-03-15T14:22:05+00:00) · previous version 29/02/24 · ts {ng("unix timestamp", "1710512525")}</i></p>
<h2>Rate card</h2>
<table border="1" cellpadding="4">
<tr><th>Service</th><th>GBP</th><th>EUR</th><th>USD</th><th>Other</th></tr>
<tr><td>Airport pickup (LHR/MAN/BHX)</td><td>£85</td><td>€99,00</td><td>US$108</td><td>₽9 900 · ₴4 200</td></tr>
<tr><td>Room, per week (shared)</td><td>£140.00</td><td>163,50 €</td><td>$178</td><td>zł 705 · 3.500 lei</td></tr>
<tr><td>Documents package</td><td>£1,200</td><td>€1.400</td><td>USD 1,520</td><td>฿54,000 · ¥10,900 · AED 5,580</td></tr>
<tr><td>Crypto price</td><td colspan="4">0.0168 BTC · 8.9 XMR · 1,520 USDT · 14.6 LTC</td></tr>
</table>
<p>Exchange rates as at 15.03.2024 12:00: £1 = €1.1664 = $1.2741. VAT reg. no. {ng("UK VAT number", "GB 287 6541 30")} · Company no. {ng("Companies House number", "09871234")}.</p>

<h2>Contact</h2>
<ul>
<li>Dispatch (24/7): {ph(g1.f("XXXXX XXXXXX"))} — text first</li>
<li>London desk: {ph(g2.f("XXX XXXX XXXX"))}</li>
<li>Manchester: {ph(g3.f("XXXX XXX XXXX"))}</li>
<li>Birmingham (from abroad): {ph(g5.f("+XX (0)XXX XXX XXXX"))}</li>
<li>Drivers' WhatsApp: <a href="https://wa.me/{g4.e164[1:]}">{ph(g4.f("+XX XXXX XXX XXX"))}</a></li>
<li>Dublin partner: {ph(ie.f("+XXX XX XXX XXXX"))}</li>
<li>E-mail: {em("bookings@midlands-logistics.co.uk")} · accounts: {em("accounts[at]midlands-logistics[dot]co[dot]uk")}</li>
<li>Tor (for clients abroad): <a href="http://{e("onion", ONION[9])}/rates">{ONION[9]}</a></li>
</ul>
<p>Office: Unit 4, 27 Digbeth High St, Birmingham {ng("UK postcode", "B5 6DY")} (what3words ///index.home.raft · {ng("coordinates", "52.4751, -1.8867")}). Old address (closed): {ng("UK postcode", "SW1A 1AA")}.</p>

<h2>Payment</h2>
<p>Bank transfer: NatWest, sort code {ng("UK bank sort code", "60-16-13")}, account {ng("UK account number", "31926819")}, or by IBAN {e("iban", iban_spaced(ib))} (BIC NWBKGB2L).<br>
<b>Note:</b> the IBAN printed on our March invoices, {ng("IBAN with a changed digit", iban_spaced(ib_bad))}, has a typo — payments to it bounce.<br>
Crypto escrow: BTC {e("btc", BTC3[2])} · XMR <span style="word-break:break-all">{e("xmr", XMR[3])}</span></p>

<h2>Reference numbers you may see</h2>
<ul>
<li>Booking refs look like {ng("booking reference", "ML-240315-0042", trunkless=True)}; invoices {ng("invoice number", "INV/2024/0387")}.</li>
<li>Device IMEI for tracked phones: {ng("IMEI (Luhn-valid)", imei)}.</li>
<li>Barcodes on parcels (EAN-13): {ng("EAN-13 barcode", "5012345678900")}; Royal Mail {ng("Royal Mail tracking", "RN123456789GB")}.</li>
<li>NI numbers are never needed: ignore requests for e.g. {ng("UK NI number", "AB 12 34 56 C")}.</li>
<li>Opening hours 08:00–20:00 Mon–Sat, 10:00–16:00 Sun (BST from 31/03/2024).</li>
</ul>
<footer>© Midlands Logistics Ltd 2024 · registered in England &amp; Wales</footer>
</body></html>
"""
    return P, doc


# ----------------------------------------------------------- 16 pastebin dump
def be_bban():
    first = "".join(str(NR.randrange(10)) for _ in range(10))
    chk = int(first) % 97 or 97
    return f"{first}{chk:02d}"


def nl_bban():
    while True:
        acct = "".join(str(NR.randrange(10)) for _ in range(10))
        if sum(int(d) * (10 - i) for i, d in enumerate(acct)) % 11 == 0:
            return "INGB" + acct


def swap_adjacent(s, start):
    i = next(i for i in range(start, len(s) - 1) if s[i] != s[i + 1])
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


def page16(mat):
    P = Page("16-pastebin-wallets-contacts.txt", None)
    e, ph, em, ng = P.ent, P.phone, P.email, P.neg
    key = mat["keys"]["paste"]["armored"]
    n_gb, n_us, n_de = mk("GB", "7946", 10), mk("US", "917", 10), mk("DE", "172", 10)
    n_ru, n_pl, n_nl = mk("RU", "926", 10), mk("PL", "881", 9), mk("NL", "6", 9)
    ib_nl, ib_be = iban_make("NL", nl_bban()), iban_make("BE", be_bban())
    ib_ch = iban_make("CH", "00762" + "".join(str(NR.randrange(10)) for _ in range(12)))
    ib_kz = iban_make("KZ", "722" + "".join(NR.choice("0123456789ABCDEFGHKS") for _ in range(13)))
    doc = f"""pastebin-style dump — "exit scam" vendor data (unverified)
Title: dropmaster_wallets+contacts_FINAL(2).txt   |   Syntax: None   |   Expires: Never
Posted by: a guest on Mar 15th, 2024 · 2,114 views · 9.81 KB
=====================================================================

## [1] wallets they used (checked on explorers 15/03, see notes)

BTC   {e("btc", BTC1[5])}            legacy, most deposits
BTC   {e("btc", BTC1[6])}            2nd legacy
BTC   {e("btc", BTCQ[5])}    segwit
BTC   {e("btc", BTCQ[6].upper())}    (copied from their QR, that's why CAPS)
BTC   {e("btc", BTCP[2])}
BTC   {ng("btc p2pkh with a bad checksum", bad(BTC1[0]))}            <- from their old post, checksum fails (typo?)
BTC   {ng("btc testnet p2pkh", BTC_TESTNET[0])}            <- TESTNET (m/n prefix), ignore
BTC   {ng("segwit v1 encoded with bech32 instead of bech32m", BTC_V1_BECH32)}    <- invalid, v1 with bech32 checksum
BTC   {ng("segwit v0 encoded with bech32m", BTC_V0_BECH32M)}    <- invalid, v0 with bech32m checksum
BTC   {ng("mixed-case bech32", BTCQ[0][:20].upper() + BTCQ[0][20:])}    <- mixed case, invalid by BIP-173
ETH   {e("eth", ETH[11])}
ETH   {e("eth", "0x" + ETH[12][2:].upper())}   (all caps in their signature)
ETH   {e("eth", ETH[13].lower())}
ETH   {ng("eth mixed case, wrong EIP-55 checksum", eth_bad_case(ETH[0]))}   <- one letter case flipped = bad checksum
ETH   {ng("0x + 39 hex", ETH[12][:-1])}    <- 39 hex, truncated
ETH   vendor.eth (ENS name, resolves to the first ETH above)
XMR   {e("xmr", XMR[4])}
XMR   {e("xmr", XMR[5])}
XMR   {e("xmr", XMRS[1])}
XMR   {e("xmr", XMRS[2])}
XMR   {ng("monero testnet address", XMR_TESTNET)}   <- testnet (prefix 53)
XMR   {ng("monero stagenet address", XMR_STAGENET)}   <- stagenet
XMR   {ng("monero address with a bad checksum", bad(XMR[4], keep_prefix=20))}   <- one char off
LTC   {e("ltc", LTCQ[2])}
LTC   {ng("litecoin testnet bech32", LTC_TESTNET)}
BCH   {e("bch", BCHQ[4])}
BCH   {e("bch", BCHQ[5].split(":")[1])}
BCH   {ng("cashaddr with a bad checksum", bad(BCHQ[4], keep_prefix=14))}
TRX   {e("trx", TRX[6])}
DOGE  {ng("dogecoin address (not a labelled kind)", DOGE)}
DASH  {ng("dash address (not a labelled kind)", DASH)}
ZEC   {ng("zcash transparent address (not a labelled kind)", ZEC_T)}

## [2] their shops / mirrors
http://{e("onion", ONION[6])}/
http://{e("onion", ONION[7])}/login
{e("onion", ONION[8])} (forum)
{ng("onion v3 with a bad checksum", bad(ONION[7], keep_prefix=6))} (dead, checksum wrong - someone typed it)
{ng("onion v2 (16 chars)", ONION_V2)} (v2, dead since 2021)
search they recommend: https://{e("onion", DDG_ONION)}/

## [3] contacts
tel: {ph(n_gb.f("+XX XXXX XXXXXX"))} (UK burner)
"call me" number in their ad, spelled out: {ph("plus " + words(n_us.e164[1:], EN_WORDS))}
DE: {ph(n_de.f("00XX XXX XXXXXXX"))}
RU: {ph(n_ru.f("+X-XXX-XXX-XX-XX"))}
PL: {ph(n_pl.f("+XX XXX XXX XXX"))}
NL: {ph(n_nl.f("+XX X XXXX XXXX"))}
mail: {em("dropmaster@cock.li")}, {em("dropmaster.backup[at]onionmail[dot]org")}, {em("dm.support(@)tutanota(.)com")}
also: drops at protonmail dot com (written like that, no brackets)
junk that is NOT mail: {ng("not an e-mail (image file)", "banner@2x.png")}, {ng("not an e-mail (package version)", "lib@1.2.3")}, {ng("not an e-mail (no public suffix)", "admin@intranet.local")}, {ng("handle, not an e-mail", "@dropmaster_official")}
telegram: @dropmaster_official · jabber id lost · wickr: dropmaster77

## [4] bank accounts used for "refunds"
NL {e("iban", iban_spaced(ib_nl))}
BE {e("iban", ib_be)}
CH {e("iban", iban_spaced(ib_ch))}
KZ {e("iban", ib_kz)}
NL {ng("IBAN with two adjacent digits swapped", iban_spaced(swap_adjacent(ib_nl, 8)))}   <- digits swapped in their template
?? {ng("IBAN-like string with an unknown country code", "ZZ68 5390 0754 7034")} (template placeholder from their "refund form")

## [5] random stuff from the same dump (not addresses)
sha256 of dump: {ng("sha256 hex", hexs(64))}
md5: {ng("md5 hex", hexs(32))}
git commit: {ng("sha1 hex (40 hex, no 0x)", hexs(40))}
colour scheme: {ng("hex colour", "#deadbeef")} / #1a2b3c
build: {ng("version string", "v2.14.0-rc.1+20240315")}
IMEI of seized phone: {ng("IMEI (Luhn-valid)", luhn_complete("86", 15))}
card (test): {ng("Luhn-valid card number", "4111 1111 1111 1111")}
coords of stash: {ng("coordinates", "50.4501, 30.5234")}  /  {ng("coordinates (DMS)", "52°13′47″N 21°00′42″E")}
dates: 2024-03-15, 15/03/2024, 03/15/2024, 15.III.2024, 1710512525
amounts: 0.0045 BTC, 12.5 XMR, 1,520 USDT, ₿0.25, Ξ1.2

## [6] their PGP key (from the forum profile)
{P.pgp_key(key).strip()}

-- end of paste --
"""
    return P, doc


# ==================================================================== README
PAGE_NOTES = {
    "01": "Russian phpBB forum thread (black list of job agencies): quoted replies, signatures, PGP key in a post",
    "02": "Ukrainian classifieds listing (OLX-like cards, data-phone attributes)",
    "03": "Polish job/room classifieds (Gumtree-like)",
    "04": "Romanian classifieds (jobs abroad, paperwork for crypto)",
    "05": "German Kleinanzeigen ad detail page with Impressum and Q&A",
    "06": "Spanish job classifieds (wa.me links, number spelled in Spanish words)",
    "07": "Thai recruitment ad (Thai digits, Buddhist-era dates, LINE ids, USDT)",
    "08": "Arabic (RTL) maid-recruitment office, Dubai (Arabic-Indic and Persian digits, AED/SAR)",
    "09": "Chinese overseas-job ad (fullwidth digits, QQ/WeChat, USDT TRC20/ERC20)",
    "10": "Telegram channel export as plain text (emoji, forwards, clear-signed PGP message)",
    "11": "Vendor shop mirror: JSON-LD, inline scripts, data-*/value=/title= attributes, PGP key, canary, encrypted order",
    "12": "French massage-salon page with a ~33 KB <style> block, base64 data: URIs (PNG, woff2), @2x srcsets",
    "13": "Admin orders export table (US): emails, phones, tracking numbers, IMEIs, cards, mixed date formats",
    "14": "Block explorer: BTC/ETH/TRON/LTC/BCH transaction and address pages, hashes, calldata",
    "15": "UK price list / escrow page: many currencies, date formats, sort codes, VAT/company numbers, postcodes",
    "16": "Pastebin dump of a vendor's wallets and contacts: many look-alikes, testnets, other coins, PGP key",
}


def write_readme(results):
    counts = {k: 0 for k in KINDS}
    for P, _ in results:
        for k, _v in P.labels:
            counts[k] += 1
    rows = []
    for P, _ in results:
        c = {}
        for k, _v in P.labels:
            c[k] = c.get(k, 0) + 1
        ents = ", ".join(f"{k} {c[k]}" for k in KINDS if k in c)
        rows.append(f"| `{P.name}` | {P.region or '—'} | {PAGE_NOTES[P.name[:2]]} | {ents} |")
    negs = {}
    for P, _ in results:
        for cat, _w in P.negs:
            negs.setdefault(cat, set()).add(P.name[:2])
    neg_text = "; ".join(f"{cat} ({', '.join(sorted(pages))})" for cat, pages in sorted(negs.items(), key=lambda kv: kv[0].lower()))
    neg_lines = textwrap.wrap(neg_text, 100, break_on_hyphens=False)
    text = f"""# Held-out entity corpus

A second, independent labelled corpus for the entity extractor, written without
looking at the extractor or at `tests/entity-corpus/`. The pages imitate what
trafficking investigators watch: forum threads, classifieds in nine languages, a
Telegram dump, a vendor shop, an orders export, a block explorer, a pastebin.

Regenerate (deterministic; needs `pip install pycryptodome base58 phonenumbers
publicsuffixlist`):

    python3 tests/entity-corpus-heldout/make_corpus.py

OpenPGP keys, the clear-signed messages and the encrypted message are throwaway
test material kept in `pgp_material.json` so reruns are byte-identical; delete
that file to make new ones with gpg.

## Files

- `NN-*.html` / `NN-*.txt`: the pages.
- `labels.json`: for each page, `region` (ISO 3166 country whose national phone
  format the page uses, or null) and `entities`: every true entity on the page,
  each distinct `(kind, value)` once, value canonical.
- `make_corpus.py`: the generator. It re-validates every positive with decoders
  written apart from its encoders, checks every registered negative is rejected,
  and scans each whole page so that every valid entity a plain regex finds
  outside `<script>`, `<style>` and comments is labelled, and none sits inside them.

## Pages

| page | region | what it imitates | true entities |
| --- | --- | --- | --- |
{chr(10).join(rows)}

Totals (distinct per page, summed): {", ".join(f"{k} {counts[k]}" for k in KINDS)}; {sum(counts.values())} in all.

## Labelling rules used

- btc: Base58Check version 0x00/0x05 as written; bech32 v0 / bech32m v1+ on `bc`, lowercased
  (one all-uppercase bech32 address, as QR codes print them, is labelled in page 16).
- eth: `0x` + 40 hex; canonical EIP-55. All-lowercase and all-uppercase bodies are labelled
  (canonicalised); mixed case with a wrong checksum is not.
- xmr: main-network standard (18), integrated (19) and subaddress (42) with a valid Keccak checksum;
  keys are genuine ed25519 points.
- ltc: L…/M… and `ltc1`; bch: CashAddr, canonical `bitcoincash:` + lowercase payload, with or
  without the prefix on the page; trx: Base58Check 0x41.
- iban: country length and mod-97 (generated IBANs also follow each country's BBAN layout and,
  for DE/ES/FR/PL/NL/BE, the national check digits).
- email: domain must end in a public suffix. Obfuscations counted: `(at)`, `[at]`, `[@]`, `(@)`,
  `(dot)`, `[dot]`, `(.)`. `name at domain dot com` without brackets is not labelled.
- phone: E.164. `+CC`/`00CC` forms always (libphonenumber-valid); national forms only on a page
  whose region is set and only written with that country's trunk prefix (RU 8; UA, DE, GB, FR, RO, TH, AE and
  CN landlines 0; PL and ES have none; CN mobiles and US numbers are written without one). `tel:` links, digits spelled
  in English/Russian (and one in Spanish, see below), fullwidth, Arabic-Indic, Persian and Thai digits count.
- onion: v3 only, in text or as a link host. pgp: the v4 fingerprint of each armored public key
  block and the issuer fingerprint of each clear-signed message.
- Nothing valid is placed in `<script>`, `<style>` (JSON-LD included) or HTML comments.

## Hard negatives

{sum(len(P.negs) for P, _ in results)} registered look-alikes, by category (pages):

{chr(10).join(neg_lines)}

Besides these registered ones the pages carry many unregistered look-alikes: prices in
₽ ₴ zł lei € £ $ ¥ ฿ AED CHF MX$, dates and times in ISO, European, US, Buddhist-era, Hijri
and Chinese formats, unix timestamps, view counts, hex colours and base64 blobs in CSS,
`@2x`/`@3x` image names, `name@1.2.3` package versions, Telegram/LINE/WeChat handles.

## Judgement calls a reviewer may disagree with

- Page 06 has one phone number spelled out in Spanish words (`seis, nueve, nueve, …`). It is
  labelled (it is plainly a phone number), although the brief names only English and Russian
  spelled digits. Drop `+34699…` from page 06 if the extractor is not meant to read Spanish words.
- Page 16 has one bech32 address in all capitals (valid per BIP-173), labelled lowercased.
- Some identifiers on region pages are digit strings libphonenumber would accept as a *national
  number written without the trunk prefix* (German ad id, VAT id and payment reference on page 05,
  a booking reference on page 15). Under the rules they are not phones and are not labelled;
  they are listed above with the tag "[parses as a national number without trunk prefix]".
- Phone numbers that appear only inside `wa.me/` links (digits without `+`) are not relied on:
  each such number is also written in a counted form on the same page.
- Page 01: the PGP key's user id e-mail `kurier77@proton.me` is written on the page only as
  `kurier77 at proton dot me` (no brackets), so no e-mail is labelled for it.
- Page 11: the vendor's fingerprint is also printed in 4-hex groups next to its key block; it is
  the same pgp entity. The armored `PGP MESSAGE` (an encrypted order) is not a key and not labelled.
- Real public addresses appear as ordinary entities: the USDT contracts on Tron
  (`TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t`) and Ethereum, and the DuckDuckGo onion.
- Dedicated drama/test ranges were avoided where libphonenumber rejects them (e.g. UK 07700 900xxx);
  numbers are random within real mobile/landline ranges and valid in phonenumbers {phonenumbers.__version__}.
"""
    (HERE / "README.md").write_text(text, encoding="utf-8")


# ================================================================== checking
HIDDEN_RE = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->", re.S | re.I)
B58C = "1-9A-HJ-NP-Za-km-z"


def split_hidden(doc, is_html):
    if not is_html:
        return doc, ""
    hidden = "\n".join(m.group(0) for m in HIDDEN_RE.finditer(doc))
    visible = HIDDEN_RE.sub(" ", doc)
    return html.unescape(visible), html.unescape(hidden)


def scan(text):
    """Plain (non-deobfuscating) regex scan + validation of everything but phones."""
    found = set()
    for m in re.finditer(rf"(?<![{B58C}])[{B58C}]{{25,35}}(?![{B58C}])", text):
        raw = b58check_decode_indep(m.group(0))
        if raw and len(raw) == 21:
            k = {0x00: "btc", 0x05: "btc", 0x30: "ltc", 0x32: "ltc", 0x41: "trx"}.get(raw[0])
            if k:
                found.add((k, m.group(0)))
    for m in re.finditer(r"(?<![0-9A-Za-z])(bc|ltc)1[0-9a-z]{6,87}(?![0-9A-Za-z])", text, re.I):
        k = "btc" if m.group(1).lower() == "bc" else "ltc"
        v = validate(k, m.group(0))
        if v:
            found.add((k, v))
    for m in re.finditer(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])", text):
        v = validate("eth", m.group(0))
        if v:
            found.add(("eth", v))
    for m in re.finditer(rf"(?<![{B58C}])[{B58C}]{{95}}(?:[{B58C}]{{11}})?(?![{B58C}])", text):
        v = validate("xmr", m.group(0))
        if v:
            found.add(("xmr", v))
    for m in re.finditer(r"(?<![0-9A-Za-z])(?:bitcoincash:)?[qp][02-9ac-hj-np-z]{41}(?![0-9A-Za-z])", text):
        v = validate("bch", m.group(0))
        if v:
            found.add(("bch", v))
    for m in re.finditer(r"[a-z2-7]{56}\.onion", text, re.I):
        v = onion_valid(m.group(0))
        if v:
            found.add(("onion", v))
    for m in EMAIL_RE.finditer(text):
        v = email_valid(m.group(0))
        if v:
            found.add(("email", v))
    for m in re.finditer(r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,34})", text):
        st = m.group(1).replace(" ", "")
        n = IBAN_LEN.get(st[:2])
        if n and len(st) >= n and iban_valid(st[:n]):
            found.add(("iban", st[:n]))
    for m in re.finditer(r"-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----", text, re.S):
        found.add(("pgp", pgp_key_fpr(m.group(0))))
    for m in re.finditer(r"-----BEGIN PGP SIGNED MESSAGE-----.*?-----END PGP SIGNATURE-----", text, re.S):
        found.add(("pgp", pgp_sig_issuer_fpr(m.group(0))))
    return found


def phone_matches(text, region):
    out = set()
    for m in phonenumbers.PhoneNumberMatcher(text, region or "ZZ", leniency=phonenumbers.Leniency.VALID):
        out.add((phonenumbers.format_number(m.number, PhoneNumberFormat.E164), m.raw_string))
    return out


def check_page(P, doc):
    is_html = P.name.endswith(".html")
    visible, hidden = split_hidden(doc, is_html)
    problems, warnings = [], []
    fh = scan(hidden)
    if fh:
        problems.append(f"valid entities inside script/style/comment: {sorted(fh)}")
    fv = scan(visible)
    labels = set(P.labels)
    extra = fv - labels
    if extra:
        problems.append(f"unlabelled valid entities: {sorted(extra)}")
    nonphone = {l for l in labels if l[0] != "phone"}
    missing = nonphone - fv - P.obfuscated
    if missing:
        problems.append(f"labelled but not found by the scan: {sorted(missing)}")
    text = re.sub(r"<[^>]+>", " ", visible) if is_html else visible
    if is_html:
        text += "\n" + "\n".join(re.findall(r'(?:title|href|value|data-[\w-]+|alt|content)="([^"]*)"', visible))
    ph_labels = {v for k, v in labels if k == "phone"}
    for e164, raw in sorted(phone_matches(text, P.region)):
        if e164 not in ph_labels:
            warnings.append(f"libphonenumber matcher finds unlabelled {e164} in {raw!r}")
    for e164, raw in sorted(phone_matches(hidden, P.region)):
        warnings.append(f"matcher finds a number inside script/style/comment: {e164} {raw!r}")
    return problems, warnings


# ====================================================================== main
PAGES = [page01, page02, page03, page04, page05, page06, page07, page08,
         page09, page10, page11, page12, page13, page14, page15, page16]


def build():
    selftest()
    to_sign, to_encrypt = signed_texts()
    mat = pgp_material(to_sign, to_encrypt)
    for name, k in mat["keys"].items():
        assert pgp_key_fpr(k["armored"]) == k["fpr"], name
    for name, s in mat["signed"].items():
        assert pgp_sig_issuer_fpr(s["armored"]) == mat["keys"][s["key"]]["fpr"], name
    results = []
    failed = False
    for fn in PAGES:
        P, doc = fn(mat)
        problems, warnings = check_page(P, doc)
        for w in warnings:
            print(f"WARN {P.name}: {w}")
        for p in problems:
            print(f"FAIL {P.name}: {p}")
            failed = True
        results.append((P, doc))
    if failed:
        sys.exit(1)
    for old in HERE.iterdir():
        if re.match(r"\d\d-.*\.(html|txt)$", old.name):
            old.unlink()
    labels = {}
    for P, doc in results:
        (HERE / P.name).write_text(doc, encoding="utf-8")
        ents = sorted(P.labels, key=lambda kv: (KINDS.index(kv[0]), kv[1]))
        labels[P.name] = {"region": P.region,
                          "entities": [{"kind": k, "value": v} for k, v in ents]}
    (HERE / "labels.json").write_text(json.dumps(labels, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    write_readme(results)
    counts = {k: 0 for k in KINDS}
    for P, _ in results:
        for k, _v in P.labels:
            counts[k] += 1
    print(f"{len(results)} pages written to {HERE}")
    print("true entities per kind (distinct per page, summed):")
    for k in KINDS:
        print(f"  {k:6s} {counts[k]:4d}")
    print(f"  total  {sum(counts.values()):4d}")
    print(f"registered hard negatives: {sum(len(P.negs) for P, _ in results)}")
    return results


if __name__ == "__main__":
    build()
