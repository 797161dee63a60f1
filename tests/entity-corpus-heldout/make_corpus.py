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


def invalid_digits(prefix, length, region):
    """A digit string that is no valid phone number in `region` (for ids used as negatives)."""
    while True:
        d = prefix + "".join(str(NR.randrange(10)) for _ in range(length - len(prefix)))
        if not phone_any_valid(d, region) and not phone_any_valid("+" + d, None):
            return d


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

    def neg(self, cat, written):
        for k in CHECKED:
            for cand in {written, email_deobfuscate(written), written.replace(" ", "")}:
                assert validate(k, cand) is None, (self.name, cat, k, written)
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
    adid = invalid_digits("26873", 10, "DE")
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
 <div class="boxedarticle--details--full"><span id="viewad-extra-info"><i class="icon-calendar-gray-simple"></i><span>15.03.2024</span></span> · <span>{ng("ad id", "{adid}")}</span></div>
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
  USt-IdNr.: {ng("VAT id", "DE 298 114 736")} · Steuernummer: {ng("tax number", "27/815/08155")}<br>
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
 <div class="comment"><b>Anbieter</b> (15.03.2024, 08:02): Das war ein Tippfehler, richtig ist {e("iban", ib2)} (Postbank). Bitte Verwendungszweck „PV-{ng("reference number", "2024-0387")}“ angeben.</div>
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
<p>ترخيص وزارة الموارد البشرية والتوطين رقم {ng("licence number", "MOHRE-7734-2019")} · رخصة تجارية رقم {ng("trade licence number", "CN-1187765")}</p></header>
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
<a class="btn-call" href="tel:{c6.e164}">一键拨号</a> <span class="tip">（{c6.f("XXX-XXXX-XXXX")}）</span><br>
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
