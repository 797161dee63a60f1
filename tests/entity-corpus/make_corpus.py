#!/usr/bin/env python3
"""Generate the labelled test corpus for nightjar's entity extractor.

How to run (from any directory; everything is written next to this file):

    apt-get install -y gnupg                       # if gpg is missing
    pip install pycryptodome base58 phonenumbers publicsuffixlist
    python3 make_corpus.py                         # regenerate the corpus
    python3 make_corpus.py --regen-pgp             # also make new PGP test keys

What it makes:

    NN-topic.html / NN-topic.txt   18 pages: darknet market listing, forum thread,
                                   Russian escort ad, German classified ad, CSS-heavy
                                   page, order/invoice log, obfuscated contacts, PGP
                                   key page, Chinese USDT page, Japanese shop page,
                                   look-alike watchlist, exchange deposit page,
                                   ransom note, giveaway scam, BIP/EIP test-vector
                                   notes, UK forum, paste dump, French classified ad.
    labels.json                    for every page: its phone "region" (or null) and
                                   EVERY true entity in it, as {"kind", "value"}.
    negatives.json                 for every page: the hard negatives planted in it
                                   (category and text as written); informative only.
    pgp_test_keys.json             throwaway OpenPGP test keys (secret keys, no
                                   passphrase) used to make the armored blocks and the
                                   clear-signed messages. Made by gpg on the first run
                                   (or with --regen-pgp); later runs reuse it, so the
                                   output is byte-for-byte the same on every run.

Everything else is deterministic: each kind of value comes from its own
random.Random seeded with a fixed string. Every positive is checked with code
independent of the generator (the `base58` package for Base58Check, the BIP-350
reference decoder, keccak for EIP-55 and Monero, SHA3-256 for onions, mod-97 for
IBANs, the public suffix list for e-mails, libphonenumber for phones, OpenPGP
packet parsing and gpg for keys and signatures), and each page is scanned
afterwards with a reference scanner: anything valid it finds must be labelled,
and everything labelled must be found (spelled-out phone numbers excepted).
At the end a per-kind count of positives and negatives is printed.
"""

import argparse
import base64
import hashlib
import html
import json
import os
import random
import re
import shutil
import string
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import base58 as base58lib  # used only to check our own encoder
    import phonenumbers
    from Crypto.Hash import keccak
    from Crypto.PublicKey import ECC
    from phonenumbers import Leniency, PhoneNumberMatcher
    from phonenumbers import PhoneNumberFormat as PNF
    from publicsuffixlist import PublicSuffixList
except ImportError as e:  # pragma: no cover
    sys.exit(f"missing package ({e}); pip install pycryptodome base58 phonenumbers publicsuffixlist")

HERE = Path(__file__).resolve().parent
KINDS = ["btc", "eth", "xmr", "ltc", "bch", "trx", "iban", "email", "phone", "onion", "pgp"]

_RNGS = {}


def rng(name):
    """One fixed-seed generator per kind, so a change in one kind does not shift the others."""
    if name not in _RNGS:
        _RNGS[name] = random.Random("nightjar-entity-corpus/" + name)
    return _RNGS[name]


def rbytes(name, n):
    r = rng(name)
    return bytes(r.getrandbits(8) for _ in range(n))


# =============================================================== hashes
def sha256d(b):
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


def keccak256(b):
    return keccak.new(digest_bits=256, data=b).digest()


def ed25519_pub(name):
    """A real Ed25519 public key (32 bytes) from a seeded 32-byte seed."""
    return ECC.construct(curve="Ed25519", seed=rbytes(name, 32)).public_key().export_key(format="raw")


# =============================================================== Base58 / Base58Check
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(b):
    n = int.from_bytes(b, "big")
    s = ""
    while n:
        n, r = divmod(n, 58)
        s = B58[r] + s
    return "1" * (len(b) - len(b.lstrip(b"\0"))) + s


def b58check(version, payload):
    data = bytes([version]) + payload
    return b58encode(data + sha256d(data)[:4])


def b58check_decode(s):
    """Independent decoder (the `base58` package). Returns (version, payload) or None."""
    try:
        raw = base58lib.b58decode_check(s)
    except Exception:
        return None
    return raw[0], raw[1:]


# =============================================================== Monero base58 (8-byte blocks)
XMR_ENC = [0, 2, 3, 5, 6, 7, 9, 10, 11]  # encoded size of a block of n bytes


def xmr_b58encode(data):
    out = ""
    for i in range(0, len(data), 8):
        block = data[i:i + 8]
        n = int.from_bytes(block, "big")
        s = ""
        for _ in range(XMR_ENC[len(block)]):
            n, r = divmod(n, 58)
            s = B58[r] + s
        out += s
    return out


def xmr_b58decode(s):
    out = b""
    for i in range(0, len(s), 11):
        blk = s[i:i + 11]
        if len(blk) not in XMR_ENC:
            raise ValueError("bad block size")
        size = XMR_ENC.index(len(blk))
        n = 0
        for c in blk:
            n = n * 58 + B58.index(c)
        if n >= 1 << (8 * size):
            raise ValueError("block overflow")
        out += n.to_bytes(size, "big")
    return out


XMR_PREFIX = {"std": 18, "sub": 42, "int": 19}


def xmr_address(prefix, spend, view, payment_id=b""):
    data = bytes([prefix]) + spend + view + payment_id
    return xmr_b58encode(data + keccak256(data)[:4])


def xmr_check(s):
    """Returns the address type ('std'/'sub'/'int') of a valid mainnet address, else None."""
    if len(s) not in (95, 106) or any(c not in B58 for c in s):
        return None
    try:
        data = xmr_b58decode(s)
    except (ValueError, IndexError):
        return None
    body, chk = data[:-4], data[-4:]
    if keccak256(body)[:4] != chk:
        return None
    want = {18: ("std", 69), 42: ("sub", 69), 19: ("int", 77)}.get(data[0])
    if not want or len(data) != want[1]:
        return None
    return want[0]


# =============================================================== Bech32 / Bech32m (BIP-173, BIP-350 reference code)
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
    if (any(ord(x) < 33 or ord(x) > 126 for x in bech)) or (bech.lower() != bech and bech.upper() != bech):
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


def segwit_encode(hrp, witver, witprog, spec=None):
    """Like the reference encode(); `spec` can force the wrong checksum (for negatives)."""
    if spec is None:
        spec = BECH32 if witver == 0 else BECH32M
    return bech32_encode(hrp, [witver] + convertbits(witprog, 8, 5), spec)


# =============================================================== CashAddr (Bitcoin Cash)
def cashaddr_polymod(values):
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


def cashaddr_prefix_expand(prefix):
    return [ord(x) & 0x1F for x in prefix] + [0]


def cashaddr_encode(prefix, addr_type, hash20):
    payload = convertbits([addr_type << 3] + list(hash20), 8, 5)
    mod = cashaddr_polymod(cashaddr_prefix_expand(prefix) + payload + [0] * 8)
    checksum = [(mod >> 5 * (7 - i)) & 31 for i in range(8)]
    return prefix + ":" + "".join(CHARSET[d] for d in payload + checksum)


def cashaddr_check(s, default_prefix="bitcoincash"):
    """Canonical 'bitcoincash:<payload>' of a valid mainnet CashAddr (20-byte hash), else None."""
    if s.lower() != s and s.upper() != s:
        return None
    s = s.lower()
    prefix, _, payload = s.rpartition(":")
    prefix = prefix or default_prefix
    if prefix != "bitcoincash" or len(payload) != 42 or any(c not in CHARSET for c in payload):
        return None
    data = [CHARSET.index(c) for c in payload]
    if cashaddr_polymod(cashaddr_prefix_expand(prefix) + data) != 0:
        return None
    raw = convertbits(data[:-8], 5, 8, False)
    if raw is None or len(raw) != 21 or raw[0] not in (0x00, 0x08):
        return None
    return "bitcoincash:" + payload


# =============================================================== EIP-55
def eip55(addr):
    h = addr.lower().removeprefix("0x")
    digest = keccak256(h.encode()).hex()
    return "0x" + "".join(c.upper() if c in "abcdef" and int(digest[i], 16) >= 8 else c for i, c in enumerate(h))


def eth_check(s):
    """EIP-55 canonical form of a valid address, else None. All-lowercase (or all-uppercase)
    hex has no checksum and is accepted; mixed case must match the checksum exactly."""
    if not re.fullmatch(r"0x[0-9a-fA-F]{40}", s):
        return None
    body = s[2:]
    canon = eip55(s)
    if body == body.lower() or body == body.upper() or s == canon:
        return canon
    return None


# =============================================================== onion v3
def onion_address(pub, version=3):
    chk = hashlib.sha3_256(b".onion checksum" + pub + bytes([version])).digest()[:2]
    return base64.b32encode(pub + chk + bytes([version])).decode().lower() + ".onion"


def onion_check(s):
    m = re.fullmatch(r"([a-z2-7]{56})\.onion", s)
    if not m:
        return None
    raw = base64.b32decode(m.group(1).upper())
    pub, chk, ver = raw[:32], raw[32:34], raw[34]
    if ver != 3 or hashlib.sha3_256(b".onion checksum" + pub + bytes([ver])).digest()[:2] != chk:
        return None
    return s


# =============================================================== IBAN
# country: (length, BBAN structure from the SWIFT IBAN registry; n digits, a letters, c alnum)
IBAN_SPEC = {
    "AD": (24, "4n4n12c"), "AE": (23, "3n16n"), "AL": (28, "8n16c"), "AT": (20, "5n11n"),
    "AZ": (28, "4a20c"), "BA": (20, "3n3n8n2n"), "BE": (16, "3n7n2n"), "BG": (22, "4a4n2n8c"),
    "BH": (22, "4a14c"), "BR": (29, "8n5n10n1a1c"), "CH": (21, "5n12c"), "CR": (22, "4n14n"),
    "CY": (28, "3n5n16c"), "CZ": (24, "4n6n10n"), "DE": (22, "8n10n"), "DK": (18, "4n9n1n"),
    "DO": (28, "4c20n"), "EE": (20, "2n2n11n1n"), "EG": (29, "4n4n17n"), "ES": (24, "4n4n1n1n10n"),
    "FI": (18, "3n11n"), "FO": (18, "4n9n1n"), "FR": (27, "5n5n11c2n"), "GB": (22, "4a6n8n"),
    "GE": (22, "2a16n"), "GI": (23, "4a15c"), "GL": (18, "4n9n1n"), "GR": (27, "3n4n16c"),
    "GT": (28, "4c20c"), "HR": (21, "7n10n"), "HU": (28, "3n4n1n15n1n"), "IE": (22, "4a6n8n"),
    "IL": (23, "3n3n13n"), "IS": (26, "4n2n6n10n"), "IT": (27, "1a5n5n12c"), "JO": (30, "4a4n18c"),
    "KW": (30, "4a22c"), "KZ": (20, "3n13c"), "LB": (28, "4n20c"), "LI": (21, "5n12c"),
    "LT": (20, "5n11n"), "LU": (20, "3n13c"), "LV": (21, "4a13c"), "MC": (27, "5n5n11c2n"),
    "MD": (24, "2c18c"), "ME": (22, "3n13n2n"), "MK": (19, "3n10c2n"), "MR": (27, "5n5n11n2n"),
    "MT": (31, "4a5n18c"), "MU": (30, "4a2n2n12n3n3a"), "NL": (18, "4a10n"), "NO": (15, "4n6n1n"),
    "PK": (24, "4a16c"), "PL": (28, "8n16n"), "PS": (29, "4a21c"), "PT": (25, "4n4n11n2n"),
    "QA": (29, "4a21c"), "RO": (24, "4a16c"), "RS": (22, "3n13n2n"), "SA": (24, "2n18c"),
    "SE": (24, "3n16n1n"), "SI": (19, "5n8n2n"), "SK": (24, "4n6n10n"), "SM": (27, "1a5n5n12c"),
    "TN": (24, "2n3n13n2n"), "TR": (26, "5n1n16c"), "UA": (29, "6n19c"), "VG": (24, "4a16n"),
    "XK": (20, "4n10n2n"),
}
IBAN_BANK_LETTERS = {"NL": ["ABNA", "INGB", "RABO", "TRIO", "SNSB"], "GB": ["NWBK", "BARC", "LOYD", "MIDL", "HBUK"],
                     "IE": ["AIBK", "BOFI"], "RO": ["BTRL", "RNCB"], "BG": ["BNBG", "UNCR"], "LV": ["HABA", "PARX"]}


def iban_numeric(s):
    return "".join(str(int(c, 36)) for c in s)


def iban_make(country, bban):
    check = 98 - int(iban_numeric(bban + country + "00")) % 97
    return f"{country}{check:02d}{bban}"


def iban_check(s):
    """Canonical (uppercase, no spaces) IBAN if the country is known, the length is right
    and mod-97 == 1; computed piecewise, unlike iban_make."""
    s = s.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+", s):
        return None
    spec = IBAN_SPEC.get(s[:2])
    if not spec or len(s) != spec[0]:
        return None
    rem = 0
    for c in s[4:] + s[:4]:
        for d in str(int(c, 36)):
            rem = (rem * 10 + int(d)) % 97
    return s if rem == 1 else None


def iban_print(s):
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


# =============================================================== OpenPGP: armor + v4 fingerprint (independent of gpg)
def crc24(data):
    crc = 0xB704CE
    for b in data:
        crc ^= b << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def dearmor(block):
    lines = block.strip().splitlines()
    i = 1
    while i < len(lines) and lines[i].strip():  # armor headers
        if ":" not in lines[i]:
            break
        i += 1
    body, crc = [], None
    for line in lines[i:]:
        line = line.strip()
        if not line or line.startswith("-----"):
            continue
        if line.startswith("=") and len(line) == 5:
            crc = line[1:]
            continue
        body.append(line)
    data = base64.b64decode("".join(body), validate=True)
    if crc is not None and base64.b64decode(crc) != crc24(data).to_bytes(3, "big"):
        raise ValueError("armor CRC mismatch")
    return data


def first_packet(data):
    tag_byte = data[0]
    if not tag_byte & 0x80:
        raise ValueError("not an OpenPGP packet")
    if tag_byte & 0x40:  # new format
        tag = tag_byte & 0x3F
        l0 = data[1]
        if l0 < 192:
            return tag, data[2:2 + l0]
        if l0 < 224:
            ln = ((l0 - 192) << 8) + data[2] + 192
            return tag, data[3:3 + ln]
        if l0 == 255:
            ln = int.from_bytes(data[2:6], "big")
            return tag, data[6:6 + ln]
        raise ValueError("partial length")
    tag, ltype = (tag_byte >> 2) & 0x0F, tag_byte & 3
    n = {0: 1, 1: 2, 2: 4}[ltype]
    ln = int.from_bytes(data[1:1 + n], "big")
    return tag, data[1 + n:1 + n + ln]


def pgp_fingerprint(block):
    """v4 fingerprint of the primary key of an armored PUBLIC KEY BLOCK: SHA-1 over
    0x99, a 2-byte length and the public-key packet body (RFC 4880 12.2)."""
    tag, body = first_packet(dearmor(block))
    if tag != 6 or body[0] != 4:
        raise ValueError("not a v4 public key")
    return hashlib.sha1(b"\x99" + len(body).to_bytes(2, "big") + body).hexdigest().upper()


PGP_BLOCK_RE = re.compile(r"-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----", re.S)


# =============================================================== PGP test keys via gpg
PGP_KEYS = [  # name, user id, primary algorithm, encryption subkey algorithm (or None)
    ("vendor", "Nordwind Pharma (Corvid vendor) <nordwind.pharma@protonmail.com>", "ed25519", "cv25519"),
    ("staff", "Corvid Market Staff (mirror signing) <staff@corvid-market.org>", "rsa2048", "rsa2048"),
    ("anna", "Anna Keller <anna.keller@posteo.de>", "rsa3072", "rsa3072"),
    ("security", "Lumen Studio Security <security@lumen-studio.co.uk>", "nistp256", "nistp256"),
    ("kurogane", "Kurogane Shop <pgp@kurogane-shop.co.jp>", "ed25519", "cv25519"),
    ("ghost", "Unpublished Signer <ghost@nowhere.invalid>", "ed25519", None),  # never published
]
KEY_TIME = "20240105T120000!"
SIG_TIME = "20240301T093000!"


class Pgp:
    """Throwaway keys in a temporary GNUPGHOME. Keys are cached in pgp_test_keys.json so
    that later runs (and the signatures, made with a frozen clock) are identical."""

    def __init__(self, cache, regen):
        if not shutil.which("gpg"):
            sys.exit("gpg not found: apt-get install -y gnupg")
        self.home = tempfile.mkdtemp(prefix="corpus-gnupg-")
        self.fpr = {}
        if regen or not cache.exists():
            self._generate(cache)
        self.cache = json.loads(cache.read_text())
        for name, armored in self.cache["secret_keys"].items():
            self.gpg("--import", stdin=armored)
            listing = self.gpg("--with-colons", "--import-options", "show-only", "--import", stdin=armored)
            self.fpr[name] = next(l.split(":")[9] for l in listing.splitlines() if l.startswith("fpr:"))

    def gpg(self, *args, stdin=None):
        cmd = ["gpg", "--homedir", self.home, "--batch", "--quiet", "--no-tty", "--pinentry-mode", "loopback",
               "--passphrase", "", *args]
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"gpg {' '.join(args)} failed:\n{p.stderr}")
        return p.stdout

    def _generate(self, cache):
        print("generating new PGP test keys with gpg ...")
        secret = {}
        for name, uid, algo, sub in PGP_KEYS:
            self.gpg("--faked-system-time", KEY_TIME, "--quick-gen-key", uid, algo, "sign,cert", "never")
            out = self.gpg("--with-colons", "--list-secret-keys", uid)
            fpr = next(l.split(":")[9] for l in out.splitlines() if l.startswith("fpr:"))
            if sub:
                self.gpg("--faked-system-time", KEY_TIME, "--quick-add-key", fpr, sub, "encr", "never")
            secret[name] = self.gpg("--armor", "--export-secret-keys", fpr)
            self.fpr[name] = fpr
        msg = self.gpg("--faked-system-time", SIG_TIME, "--trust-model", "always", "--armor", "--encrypt",
                       "-r", self.fpr["anna"],
                       stdin="Order 88213: 30x Modafinil 200mg. Ship to the packstation we agreed on.\n")
        cache.write_text(json.dumps({
            "note": "Throwaway OpenPGP keys for the nightjar test corpus only. No passphrase. Not anyone's keys.",
            "secret_keys": secret, "encrypted_message": msg}, indent=2) + "\n")
        shutil.rmtree(self.home)
        self.home = tempfile.mkdtemp(prefix="corpus-gnupg-")

    def public_block(self, name):
        block = self.gpg("--armor", "--export", self.fpr[name]).strip()
        assert pgp_fingerprint(block) == self.fpr[name], name  # our packet parser agrees with gpg
        return block

    def clearsign(self, name, text):
        return self.gpg("--faked-system-time", SIG_TIME, "--digest-algo", "SHA256", "--clearsign",
                        "-u", self.fpr[name], stdin=text).strip()

    def detached_signature(self, name, text):
        return self.gpg("--faked-system-time", SIG_TIME, "--digest-algo", "SHA256", "--armor",
                        "--detach-sign", "-u", self.fpr[name], stdin=text).strip()

    def signer_of(self, signed):
        """Primary-key fingerprint of the valid signature on a clear-signed message."""
        p = subprocess.run(["gpg", "--homedir", self.home, "--batch", "--status-fd", "1", "--verify"],
                           input=signed, capture_output=True, text=True)
        for line in p.stdout.splitlines():
            if line.startswith("[GNUPG:] VALIDSIG"):
                return line.split()[-1]
        raise RuntimeError("clear-signed message does not verify:\n" + p.stderr)

    def close(self):
        subprocess.run(["gpgconf", "--homedir", self.home, "--kill", "all"], capture_output=True)
        shutil.rmtree(self.home, ignore_errors=True)


# =============================================================== e-mail and phone helpers
PSL = PublicSuffixList()


def email_check(addr):
    """Lowercase address if the syntax is plain and the domain ends in a known public suffix."""
    m = re.fullmatch(r"([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)", addr)
    if not m or m.group(1).startswith(".") or m.group(1).endswith(".") or ".." in m.group(1):
        return None
    domain = m.group(2).lower()
    suffix = PSL.publicsuffix(domain, accept_unknown=False)
    if suffix is None or suffix == domain or suffix == "onion":
        return None
    return addr.lower()


OBF_AT = r"\s*[\[\(\{]\s*at\s*[\]\)\}]\s*"
OBF_DOT = r"\s*[\[\(\{]\s*dot\s*[\]\)\}]\s*"


def deobfuscate_email(s):
    s = html.unescape(s)
    s = re.sub(OBF_AT, "@", s, flags=re.I)
    return re.sub(OBF_DOT, ".", s, flags=re.I)


DIGIT_WORDS = {w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine".split())}
DIGIT_WORDS |= {w: str(i) for i, w in enumerate("ноль один два три четыре пять шесть семь восемь девять".split())}
DIGIT_WORDS |= {"plus": "+", "плюс": "+"}


def despell(s):
    toks = re.findall(r"\w+|\+", s.lower())
    if not any(t in DIGIT_WORDS for t in toks):
        return s
    return "".join(DIGIT_WORDS[t] for t in toks if t in DIGIT_WORDS)


def phone_check(written, region):
    """E.164 of a written phone number that libphonenumber calls valid, else None."""
    s = despell(written.removeprefix("tel:"))
    try:
        n = phonenumbers.parse(s, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(n):
        return None
    return phonenumbers.format_number(n, PNF.E164)


# =============================================================== generators (true entities)
def new_btc(kind):
    if kind == "p2pkh":
        return b58check(0x00, rbytes("btc", 20))
    if kind == "p2sh":
        return b58check(0x05, rbytes("btc", 20))
    if kind == "p2wpkh":
        return segwit_encode("bc", 0, list(rbytes("btc", 20)))
    if kind == "p2wsh":
        return segwit_encode("bc", 0, list(rbytes("btc", 32)))
    if kind == "p2tr":
        return segwit_encode("bc", 1, list(rbytes("btc", 32)))
    raise ValueError(kind)


def new_eth():
    return eip55(rbytes("eth", 20).hex())


def new_xmr(kind):
    spend, view = ed25519_pub("xmr"), ed25519_pub("xmr")
    pid = rbytes("xmr", 8) if kind == "int" else b""
    return xmr_address(XMR_PREFIX[kind], spend, view, pid)


def new_ltc(kind):
    if kind == "L":
        return b58check(0x30, rbytes("ltc", 20))
    if kind == "M":
        return b58check(0x32, rbytes("ltc", 20))
    return segwit_encode("ltc", 0, list(rbytes("ltc", 20)))


def new_bch(kind="p2pkh"):
    return cashaddr_encode("bitcoincash", 0 if kind == "p2pkh" else 1, rbytes("bch", 20))


def new_trx():
    return b58check(0x41, rbytes("trx", 20))


def new_onion():
    return onion_address(ed25519_pub("onion"))


def _fr_rib_key(bank, branch, account):
    return 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97


def _es_dc(digits):
    w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]
    d = 11 - sum(int(c) * w[i] for i, c in enumerate(digits)) % 11
    return {11: 0, 10: 1}.get(d, d)


def new_iban(country):
    r = rng("iban")
    spec = IBAN_SPEC[country][1]
    parts = []
    for count, typ in re.findall(r"(\d+)([nac])", spec):
        count = int(count)
        if typ == "a" and count == 4 and country in IBAN_BANK_LETTERS and not parts:
            parts.append(r.choice(IBAN_BANK_LETTERS[country]))
        elif typ == "a":
            parts.append("".join(r.choice(string.ascii_uppercase) for _ in range(count)))
        else:  # digits also for 'c' fields, as most banks do
            parts.append("".join(r.choice(string.digits) for _ in range(count)))
    if country == "FR":  # RIB key
        parts[3] = f"{_fr_rib_key(parts[0], parts[1], parts[2]):02d}"
    if country == "BE":  # national check digits
        parts[2] = f"{(int(parts[0] + parts[1]) % 97) or 97:02d}"
    if country == "ES":  # DC digits
        parts[2] = str(_es_dc("00" + parts[0] + parts[1]))
        parts[3] = str(_es_dc(parts[4]))
    return iban_make(country, "".join(parts))


USED_PHONES = set()


def new_phone(region, template):
    """A libphonenumber-valid number of `region` following `template` ('x' = random digit)."""
    r = rng("phone")
    cc = phonenumbers.country_code_for_region(region)
    for _ in range(500):
        nsn = "".join(r.choice(string.digits) if c == "x" else c for c in template)
        n = phonenumbers.parse(f"+{cc}{nsn}")
        e = phonenumbers.format_number(n, PNF.E164)
        if phonenumbers.is_valid_number(n) and phonenumbers.region_code_for_number(n) == region \
                and e not in USED_PHONES:
            USED_PHONES.add(e)
            return n
    raise RuntimeError(f"no valid {region} number for template {template}")


def intl(n):
    return phonenumbers.format_number(n, PNF.INTERNATIONAL)


def natl(n):
    return phonenumbers.format_number(n, PNF.NATIONAL)


def e164(n):
    return phonenumbers.format_number(n, PNF.E164)


def nsn(n):
    return phonenumbers.national_significant_number(n)


def groups(digits, sizes, sep):
    out, i = [], 0
    for s in sizes:
        out.append(digits[i:i + s])
        i += s
    assert i == len(digits), (digits, sizes)
    return sep.join(out)


FULLWIDTH = str.maketrans("0123456789+-()", "０１２３４５６７８９＋－（）")


def fullwidth(s):
    return s.translate(FULLWIDTH)


EN_WORDS = "zero one two three four five six seven eight nine".split()
RU_WORDS = "ноль один два три четыре пять шесть семь восемь девять".split()


def spell(formatted, words, plus="plus"):
    """'8 916 123' -> 'eight, nine one six, one two three' (groups kept with commas)."""
    out = []
    for grp in re.findall(r"\+|\d+", formatted):
        out.append(plus if grp == "+" else " ".join(words[int(c)] for c in grp))
    return ", ".join(out)


# =============================================================== generators (hard negatives)
def mutate(s, alphabet, start, name="neg"):
    """Change one character (at index >= start) to another character of `alphabet`."""
    r = rng(name)
    while True:
        i = r.randrange(start, len(s))
        c = r.choice(alphabet)
        if c != s[i] and c.lower() != s[i].lower():
            return s[:i] + c + s[i + 1:]


def bad_b58(addr):
    return mutate(addr, B58, 1)


def bad_bech32(addr):
    pos = addr.rfind("1") + 2  # keep hrp, separator and witness version
    alpha = CHARSET.upper() if addr.isupper() else CHARSET
    return mutate(addr, alpha, pos)


def bad_eth_case(addr):
    """Flip the case of one letter in a checksummed address (still mixed case)."""
    r = rng("neg")
    letters = [i for i, c in enumerate(addr) if i >= 2 and c.isalpha()]
    while True:
        i = r.choice(letters)
        out = addr[:i] + addr[i].swapcase() + addr[i + 1:]
        body = out[2:]
        if body != body.lower() and body != body.upper():
            return out


def bad_iban(iban):
    r = rng("neg")
    digits = [i for i, c in enumerate(iban) if c.isdigit() and i >= 2]
    i = r.choice(digits)
    return iban[:i] + r.choice([d for d in string.digits if d != iban[i]]) + iban[i + 1:]


def b58_with_version(version, n=20):
    return b58check(version, rbytes("neg", n))


def wrong_version_like(first_char, right_version):
    """Base58Check, valid checksum, same first character as real addresses, wrong version."""
    for v in range(256):
        if v == right_version:
            continue
        a = b58check(v, rbytes("neg", 20))
        if a[0] == first_char and len(a) == 34:
            return a
    raise RuntimeError(first_char)


def onion_bad_checksum(onion=None):
    """A v3-length address with one character changed (so the checksum fails)."""
    o = (onion or new_onion())[:56]
    return mutate(o, "abcdefghijklmnopqrstuvwxyz234567", 10) + ".onion"


def onion_wrong_version():
    return onion_address(ed25519_pub("neg"), version=2)


def onion_v2():
    r = rng("neg")
    return "".join(r.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(16)) + ".onion"


def hexstr(n, name="neg"):
    return rbytes(name, (n + 1) // 2).hex()[:n]


def luhn_number(prefix, length=16):
    r = rng("neg")
    body = prefix + "".join(r.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def luhn_ok(s):
    digits = [int(c) for c in s if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# =============================================================== pages
class Page:
    def __init__(self, name, region):
        self.name, self.region = name, region
        self.pos = {}  # (kind, value) -> written forms
        self.negs = []  # (category, written)
        self.unscannable = set()  # positives the reference scanner is not expected to find
        self.text = None

    def p(self, kind, written, value=None, scannable=True):
        """Register a true entity exactly as written in the page; returns `written`."""
        value = value or canonical(kind, written, self.region)
        if value is None:
            raise AssertionError(f"{self.name}: {kind} {written!r} does not validate")
        self.pos.setdefault((kind, value), []).append(written)
        if not scannable:
            self.unscannable.add((kind, value))
        return written

    def n(self, category, written):
        """Register a hard negative exactly as written in the page; returns `written`."""
        self.negs.append((category, written))
        return written


def canonical(kind, written, region):
    """Independent validation of one written positive; returns the canonical value or None."""
    w = written
    if kind == "btc":
        if w.lower().startswith("bc1"):
            ver, _ = segwit_decode("bc", w)
            return w.lower() if ver is not None else None
        dec = b58check_decode(w)
        return w if dec and dec[0] in (0x00, 0x05) and len(dec[1]) == 20 else None
    if kind == "ltc":
        if w.lower().startswith("ltc1"):
            ver, _ = segwit_decode("ltc", w)
            return w.lower() if ver is not None else None
        dec = b58check_decode(w)
        return w if dec and dec[0] in (0x30, 0x32) and len(dec[1]) == 20 else None
    if kind == "trx":
        dec = b58check_decode(w)
        return w if dec and dec[0] == 0x41 and len(dec[1]) == 20 else None
    if kind == "xmr":
        return w if xmr_check(w) else None
    if kind == "bch":
        return cashaddr_check(w)
    if kind == "eth":
        return eth_check(w)
    if kind == "onion":
        return onion_check(w)
    if kind == "iban":
        return iban_check(w) if re.fullmatch(r"[A-Z0-9]{4}( ?[A-Z0-9]{1,4})*", w) else None
    if kind == "email":
        return email_check(deobfuscate_email(w.removeprefix("mailto:").split("?")[0]))
    if kind == "phone":
        return phone_check(w, region)
    if kind == "pgp":
        return pgp_fingerprint(w)
    raise ValueError(kind)


# ---------------------------------------------------------------------------- 01
def page_market(pgp):
    P = Page("01-market.html", None)
    seg, leg, tr = new_btc("p2wpkh"), new_btc("p2pkh"), new_btc("p2tr")
    x_std, x_sub, x_int = new_xmr("std"), new_xmr("sub"), new_xmr("int")
    l_leg, l_seg = new_ltc("L"), new_ltc("bech32")
    bch = new_bch()
    o1, o2, o3 = new_onion(), new_onion(), new_onion()
    key = pgp.public_block("vendor")
    fpr = pgp.fpr["vendor"]
    canary_text = (
        f"Corvid vendor canary - Nordwind Pharma - 2024-03-01\n\n"
        f"We are still in control of our keys and of these mirrors:\n"
        f"  http://{o1}/store/nordwind\n"
        f"  http://{o2}/store/nordwind\n\n"
        f"Refund address for cancelled orders: {seg}\n"
        f"Next canary due 2024-04-01. If it is late, assume we are compromised.\n")
    canary = pgp.clearsign("vendor", canary_text)
    assert pgp.signer_of(canary) == pgp.fpr["vendor"]
    phone = new_phone("NL", "6xxxxxxxx")
    return P, f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Corvid Market :: Listing #88213 :: Modafinil 200mg x 30 (EU stock)</title>
<link rel="canonical" href="http://{P.p('onion', o1)}/listing/88213">
<link rel="stylesheet" href="/static/css/market.css?v={P.n('hex-hash', hexstr(40))}">
</head>
<body>
<header class="top">
  <a class="logo" href="http://{o1}/"><img src="/static/{P.n('email-like-filename', 'corvid-logo@2x.png')}" alt="Corvid Market"></a>
  <nav>Mirrors:
    <a href="http://{o1}/">main</a> |
    <a href="http://{P.p('onion', o2)}/">mirror 2</a> |
    <a href="http://shop.{P.p('onion', o3)}/listing/88213">mirror 3 (shop subdomain)</a>
  </nav>
  <p class="warn">Old v2 mirror <code>{P.n('onion-v2', onion_v2())}</code> is dead since 2021.
  Phishing copy going around with a typo in the address: <code>{P.n('onion-bad-checksum', onion_bad_checksum(o1))}</code> - it is NOT ours.</p>
</header>

<main>
<h1>Modafinil 200mg x 30 tabs - EU stock - free tracked shipping</h1>
<table class="listing">
  <tr><th>Vendor</th><td>Nordwind Pharma (4.96/5, 1 288 sales)</td></tr>
  <tr><th>Price</th><td>{P.n('price', '$ 89.00')} / {P.n('price', '0.00142 BTC')} / 0.61 XMR</td></tr>
  <tr><th>Listing ID</th><td>{P.n('order-number', '#88213')} (added {P.n('date', '2024-02-11')})</td></tr>
  <tr><th>Ships from</th><td>Netherlands, to EU/UK, {P.n('misc-number', '2-4 days')}</td></tr>
  <tr><th>Escrow</th><td>multisig 2-of-3, auto-finalize after 14 days</td></tr>
</table>

<h2>Payment</h2>
<p>Pay to the address shown at checkout only. For direct deals (trusted buyers only):</p>
<ul class="pay">
  <li>BTC (segwit): <code>{P.p('btc', seg)}</code>
      <a class="qr" href="bitcoin:{seg}?amount=0.00142&amp;label=Order88213">open in wallet</a></li>
  <li>BTC (legacy wallets): <a href="bitcoin:{P.p('btc', leg)}?amount=0.00142">{leg}</a></li>
  <li>BTC (taproot): <span data-addr="{P.p('btc', tr)}">taproot address (copy from attribute)</span></li>
  <li>XMR (preferred): <code>{P.p('xmr', x_std)}</code></li>
  <li>XMR subaddress for this listing: <a href="monero:{P.p('xmr', x_sub)}?tx_amount=0.61&amp;tx_description=88213">pay 0.61 XMR</a></li>
  <li>XMR integrated (no payment ID needed): <code>{P.p('xmr', x_int)}</code></li>
  <li>LTC: <code>{P.p('ltc', l_leg)}</code> or <code>{P.p('ltc', l_seg)}</code></li>
  <li>BCH: <code>{P.p('bch', bch)}</code></li>
</ul>
<p class="small">Escrow test wallet (testnet, do not send real coins):
  <code>{P.n('testnet-address', segwit_encode('tb', 0, list(rbytes('neg', 20))))}</code> and
  <code>{P.n('testnet-address', b58_with_version(0x6F))}</code>.<br>
  Someone posted our segwit address with one wrong letter: <code>{P.n('bech32-flipped-char', bad_bech32(seg))}</code> - check every character.<br>
  Old XMR address with a copy/paste error in the forum post, do not use: <code>{P.n('xmr-bad-checksum', mutate(x_std, B58, 5))}</code></p>

<h2>Contact</h2>
<p>Signal / WhatsApp for wholesale only: <a href="tel:{e164(phone)}">{P.p('phone', intl(phone))}</a><br>
E-mail: <a href="mailto:{P.p('email', 'nordwind.pharma@protonmail.com')}?subject=Wholesale">nordwind.pharma@protonmail.com</a><br>
Order hash for disputes: <code>{P.n('hex-hash', hexstr(64))}</code></p>

<h2>Vendor PGP key</h2>
<p>Fingerprint: <code>{' '.join(fpr[i:i + 4] for i in range(0, 40, 4))}</code></p>
<pre class="pgp">
{P.p('pgp', key)}
</pre>

<h2>Canary</h2>
<pre class="pgp">
{canary}
</pre>
</main>
<footer>Corvid Market - {P.n('date', '15.03.2024')} {P.n('time', '12:30')} UTC - page generated in 0.042 s</footer>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 02
def page_forum():
    P = Page("02-forum-post.html", None)
    eth1, eth2 = new_eth(), new_eth()
    trx = new_trx()
    bch = new_bch("p2sh")
    x_sub = new_xmr("sub")
    l_m = new_ltc("M")
    sh, tr = new_btc("p2sh"), new_btc("p2tr")
    o1, o2 = new_onion(), new_onion()
    ph = new_phone("GB", "2079460xxx")
    ph2 = new_phone("UA", "67xxxxxxx")
    scam = bad_eth_case(eth1)
    placeholder = ("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n(paste your armored key here)\n"
                   "-----END PGP PUBLIC KEY BLOCK-----")
    return P, f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Re: Which mirrors are legit? (and donation addresses) - Page 3 - Hidden Wiki Talk</title></head>
<body>
<div class="thread" data-thread-id="{P.n('order-number', '1029384')}">

<article class="post" id="p1029385">
<header><a class="user" href="/u/cryptokitty">@cryptokitty</a> · <time datetime="2024-03-15T12:30:00Z">{P.n('date', '2024-03-15')} {P.n('time', '12:30')}</time></header>
<img class="avatar" src="/avatars/{P.n('email-like-filename', 'cryptokitty@2x.png')}" srcset="/avatars/{P.n('email-like-filename', 'cryptokitty@3x.webp')} 3x" alt="">
<p>Confirmed working today: <a href="http://{P.p('onion', o1)}/">{o1}</a> and the forum mirror
<code>{P.p('onion', o2)}</code>. Anything else with a similar prefix is phishing:
<code>{P.n('onion-wrong-version', onion_wrong_version())}</code> looks right but the version byte is wrong,
and <code>{P.n('onion-v2', onion_v2())}</code> is an old v2 address that Tor no longer supports.</p>
<p>To the guy asking for a PGP key format, paste yours like this:</p>
<pre>
{P.n('pgp-no-key', placeholder)}
</pre>
</article>

<article class="post" id="p1029391">
<header><a class="user" href="/u/deadbeef">@deadbeef</a> · {P.n('date', '2024-03-15')} {P.n('time', '14:05')}</header>
<blockquote>WARNING: the scammer's site shows <code>{P.n('eth-bad-checksum-case', scam)}</code>. It differs from the real one by
the case of ONE letter, so the EIP-55 checksum fails and MetaMask refuses it.</blockquote>
<p>The real one is <code>{P.p('eth', eth1)}</code>. The tx they showed as "proof" is
<code>{P.n('eth-wrong-length', '0x' + hexstr(64))}</code>, which is a transaction hash, not an address.
Also ignore <code>{P.n('eth-wrong-length', '0x' + hexstr(39))}</code>, that one is one character short.</p>
</article>

<article class="post" id="p1029402">
<header><a class="user" href="/u/olga_k">@olga_k</a></header>
<p>Running this mirror list costs money. Donations welcome:</p>
<ul>
<li>ETH / USDT (ERC-20): <a href="ethereum:{P.p('eth', eth2.lower())}@1?value=1e16">{eth2.lower()}</a></li>
<li>USDT (TRC-20): <code>{P.p('trx', trx)}</code></li>
<li>BCH: <code>{P.p('bch', bch.split(':')[1])}</code></li>
<li>XMR: <code>{P.p('xmr', x_sub)}</code></li>
<li>LTC: <code>{P.p('ltc', l_m)}</code></li>
<li>BTC: <code>{P.p('btc', sh)}</code> (multisig) or <a href="bitcoin:{P.p('btc', tr)}">taproot</a></li>
</ul>
<p>Not a donation address: <code>{P.n('base58-bad-checksum', bad_b58(trx))}</code> (typo'd copy from page 2).</p>
</article>

<footer class="sig">
-- olga_k · contact: {P.p('email', 'olga.k [at] riseup [dot] net')} ·
PGP on request · voice (UK office): <a href="tel:{e164(ph)}">{P.p('phone', intl(ph))}</a> ·
Kyiv: {P.p('phone', intl(ph2))}
</footer>
</div>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 03
def page_escort_ru():
    P = Page("03-escort-ru.html", "RU")
    m1 = new_phone("RU", "916xxxxxxx")
    m2 = new_phone("RU", "926xxxxxxx")
    m3 = new_phone("RU", "903xxxxxxx")
    m4 = new_phone("RU", "985xxxxxxx")
    m5 = new_phone("RU", "999xxxxxxx")
    m6 = new_phone("RU", "977xxxxxxx")
    land = new_phone("RU", "495xxxxxxx")
    kz = new_phone("KZ", "701xxxxxxx")
    spb = new_phone("RU", "921xxxxxxx")
    d4, d5 = nsn(m4), nsn(m5)
    d6, ds = nsn(m6), nsn(spb)
    return P, f"""<!DOCTYPE html>
<html lang="ru">
<head><meta charset="utf-8"><title>Лера, 23 года — индивидуалка, м. Белорусская — Досуг Москва</title></head>
<body>
<div class="anketa" data-id="{P.n('order-number', '458812')}">
<h1>Лера, 23 — апартаменты и выезд</h1>
<p class="params">Возраст: 23 · Рост: {P.n('size', '170 см')} · Вес: {P.n('size', '52 кг')} · Грудь: 3</p>
<table class="prices">
<tr><td>1 час</td><td>{P.n('price', '8 000 руб.')}</td></tr>
<tr><td>2 часа</td><td>{P.n('price', '15 000 ₽')}</td></tr>
<tr><td>Ночь</td><td>{P.n('price', '40 000 ₽')}</td></tr>
</table>
<p>Работаю с {P.n('time', '12:00')} до {P.n('time', '23:30')}, без выходных. Анкета обновлена {P.n('date', '15.03.2024')}.</p>

<h2>Контакты</h2>
<p>Телефон: <a href="tel:{e164(m1)}">{P.p('phone', intl(m1))}</a> (звонки и WhatsApp)</p>
<p>Второй номер: {P.p('phone', natl(m2))} — только SMS</p>
<p>Если не отвечаю, пишите: <b>{P.p('phone', fullwidth(groups('8' + nsn(m3), [1, 3, 3, 2, 2], ' ')))}</b></p>
<p class="obf">Номер для новых клиентов: {P.p('phone', groups('8' + d4, [1, 3, 3, 2, 2], '.'))}</p>
<p class="obf">Резервный: {P.p('phone', ' '.join('8' + d5))}</p>
<p class="obf">Звоните: {P.p('phone', spell(groups('8' + d6, [1, 3, 3, 2, 2], ' '), RU_WORDS), value=e164(m6), scannable=False)}</p>
<p>Салон (городской): <a href="tel:{groups(e164(land), [2, 3, 3, 2, 2], '-')}">{P.p('phone', groups(e164(land), [2, 3, 3, 2, 2], '-'))}</a></p>
<p>Филиал в Алматы: {P.p('phone', intl(kz))}</p>
<p>Питер (выезд): {P.p('phone', '+7-' + groups(ds, [3, 3, 2, 2], '-'))}</p>
<p>Telegram: @lera_vip_msk · Почта: <a href="mailto:{P.p('email', 'lera.vip@mail.ru')}">lera.vip@mail.ru</a> ·
бронь: {P.p('email', 'booking(at)yandex.ru')}</p>

<form class="callback">
  <input name="phone" placeholder="{P.n('phone-invalid', '+7 (___) ___-__-__')}">
  <input name="phone2" placeholder="{P.n('phone-invalid', '+7 (000) 000-00-00')}">
  <button>Перезвоните мне</button>
</form>
<p class="stats">Просмотров: {P.n('misc-number', '12 458')} · ID анкеты {P.n('order-number', '458812')} · отзывов: 37 ·
размещено {P.n('timestamp', '1710498600')}</p>
<p class="ad">Постоянным клиентам скидка {P.n('price', '5 000 ₽')}.</p>
</div>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 04
def page_classified_de():
    P = Page("04-classified-de.html", "DE")
    iban_de = new_iban("DE")
    iban_at = new_iban("AT")
    berlin = new_phone("DE", "30xxxxxxxx")
    mob = new_phone("DE", "151xxxxxxxx")
    munich = new_phone("DE", "89xxxxxxx")
    mob2 = new_phone("DE", "176xxxxxxxx")
    return P, f"""<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><title>Ecksofa Leder, anthrazit, wie neu – Kleinanzeigen Berlin-Mitte</title></head>
<body>
<article class="ad" data-ad-id="{P.n('order-number', '2613378451')}">
<h1>Ecksofa Leder, anthrazit, wie neu</h1>
<p class="price">{P.n('price', '€ 1 299,00')} VB <span class="old">(Neupreis {P.n('price', '3.450,00 €')})</span></p>
<p class="loc">{P.n('misc-number', '10115')} Berlin-Mitte · eingestellt am {P.n('date', '15.03.2024')} um {P.n('time', '18:42')}</p>
<ul class="details">
<li>Maße: {P.n('size', '220 x 95 cm')}, Sitzhöhe {P.n('size', '45 cm')}</li>
<li>Artikelnummer Hersteller: {P.n('order-number', 'KS-4471-0093')}</li>
<li>Abholung oder Versand per Spedition ({P.n('price', '89 €')})</li>
</ul>
<h2>Bezahlung</h2>
<p>Überweisung vorab, IBAN: <b>{P.p('iban', iban_print(iban_de))}</b> (Kontoinhaber M. Müller), BIC: {P.n('misc-number', 'COBADEFFXXX')}</p>
<p>Für Käufer aus Österreich gern auch auf mein Konto dort: {P.p('iban', iban_at)}</p>
<p class="note">Achtung, in der ersten Version der Anzeige war ein Tippfehler in der IBAN:
<s>{P.n('iban-bad-checksum', iban_print(bad_iban(iban_de)))}</s> – bitte nicht verwenden.</p>
<h2>Kontakt</h2>
<p>Tel.: <a href="tel:{e164(berlin)}">{P.p('phone', natl(berlin))}</a> (ab 17 Uhr)<br>
Mobil: {P.p('phone', groups('0' + nsn(mob), [4, 8], ' '))}<br>
Büro München: {P.p('phone', '+49 (0)' + groups(nsn(munich), [2, 7], ' '))}<br>
WhatsApp: {P.p('phone', groups('0' + nsn(mob2), [4, 3, 5], '/'))}<br>
E-Mail: <a href="mailto:{P.p('email', 'M.Mueller-Berlin@web.de')}">M.Mueller-Berlin@web.de</a> oder
{P.p('email', 'sofa.verkauf [at] gmx [dot] de')}</p>
<p class="legal">Privatverkauf, keine Garantie oder Rücknahme. USt-IdNr. des Händlers im Impressum: {P.n('misc-number', 'DE123456789')}</p>
</article>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 05
def page_css():
    P = Page("05-styles.html", None)
    seg = new_btc("p2wsh")
    eth = new_eth()
    luhn1, luhn2, luhn3 = luhn_number("4539"), luhn_number("5425"), luhn_number("4716")
    assert all(luhn_ok(x) for x in (luhn1, luhn2, luhn3))
    sha = hexstr(40)
    css = string.Template("""
:root {
  --brand: ${c1};
  --brand-dark: ${c2};
  --overlay: ${c3};
  --build: "${sha}";
}
@import url("/fonts/inter.css?v=${sha}");
@font-face { font-family: "Inter"; src: url("/fonts/inter-var.woff2?h=${h2}") format("woff2"); }
@media (max-width: ${res}) and (min-resolution: 2dppx) {
  .hero { background-image: url("/img/${retina}"); background-size: 100% auto; }
}
body { margin: 0; color: #3F3F3F; background: #fafafa; font: 16px/1.5 Inter, sans-serif; }
.promo-${luhn1} { display: none !important; }
.card[data-test="${luhn2}"]::after { content: "${luhn3spaced}"; color: ${c4}; }
.grid { display: grid; grid-template-columns: repeat(12, 1fr); gap: 24px; }
.modal { z-index: 2147483647; transform: matrix(1, 0, 0, 1, 0, 0); }
.icon-sprite { background: url("/img/${sprite}") no-repeat -48px -96px; }
.hash-${sha256} { animation: spin 1.2s linear infinite; }
""")
    style = css.substitute(
        c1=P.n("hex-colour", "#3F3F3F"), c2=P.n("hex-colour", "#1a1a1a"), c3=P.n("hex-colour", "#3f3f3f3f"),
        sha=P.n("hex-hash", sha), h2=P.n("hex-hash", hexstr(32)), res=P.n("size", "1920px"),
        retina=P.n("email-like-filename", "hero@2x.jpg"), luhn1=P.n("luhn-in-css", luhn1),
        luhn2=P.n("luhn-in-css", luhn2), luhn3spaced=P.n("luhn-in-css", groups(luhn3, [4, 4, 4, 4], " ")),
        c4=P.n("hex-colour", "#ffcc00"), sprite=P.n("email-like-filename", "sprite@3x.svg"),
        sha256=P.n("hex-hash", hexstr(64)))
    return P, f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Lumen Studio — Design System</title>
<style>{style}</style>
<style media="print">.no-print {{ display: none; }} a::after {{ content: " (" attr(href) ")"; }}</style>
</head>
<body class="theme-{P.n('hex-colour', '3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F3F')}">
<div class="hero" style="background: linear-gradient(90deg, #3F3F3F 0%, {P.n('hex-colour', '#00FF7F')} 100%); min-height: {P.n('size', '1080px')};">
  <h1 style="color:#FFF">Lumen Studio</h1>
  <p>Screens tuned for {P.n('size', '1920x1080')} and {P.n('size', '2560×1440')}.</p>
  <img src="/img/{P.n('email-like-filename', 'logo@2x.png')}" srcset="/img/logo@3x.png 3x" width="240" height="64" alt="Lumen">
</div>
<svg width="0" height="0"><path fill="#3F3F3F" d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2z"/></svg>
<p class="test-cards no-print">Stripe test cards used in the demo: {P.n('luhn-in-css', '4242 4242 4242 4242')} (Visa),
{P.n('luhn-in-css', '5555555555554444')} (Mastercard).</p>
<footer>
  <p>Questions about the design system: <a href="mailto:{P.p('email', 'webmaster@lumen-studio.co.uk')}">webmaster@lumen-studio.co.uk</a>.
  Tip jar: <a href="bitcoin:{P.p('btc', seg)}">{seg[:12]}…</a> · <span data-eth="{P.p('eth', eth)}">ETH</span></p>
  <p>Made with <span aria-hidden="true">&#9829;</span> and {P.n('at-handle', '@media')} queries. Follow {P.n('at-handle', '@lumenstudio')}.</p>
</footer>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 06
def page_orders():
    P = Page("06-orders.txt", None)
    sh = new_btc("p2sh")
    leg = new_btc("p2pkh")
    eth = new_eth()
    ltc = new_ltc("bech32")
    bch = new_bch()
    iban_nl, iban_es = new_iban("NL"), new_iban("ES")
    sup = new_phone("GB", "1134960xxx")
    rows = []
    r = rng("misc")
    statuses = ["paid", "shipped", "refunded", "pending", "delivered"]
    for i in range(12):
        day = r.randrange(1, 28)
        hh, mm, ss = r.randrange(24), r.randrange(60), r.randrange(60)
        order = P.n("order-number", f"Order #202311{day:02d}-{r.randrange(1000, 9999)}")
        date = P.n("date", f"2023-11-{day:02d}")
        time = P.n("time", f"{hh:02d}:{mm:02d}:{ss:02d}")
        ts = P.n("timestamp", str(1698796800 + r.randrange(0, 2_400_000)))
        price = P.n("price", r.choice([f"$12,{r.randrange(100, 999)}", f"€ 1 {r.randrange(100, 999)},00",
                                        f"£{r.randrange(10, 99)}.{r.randrange(10, 99)}", f"${r.randrange(10, 999)}.99"]))
        h = P.n("hex-hash", hexstr(40))
        rows.append(f"{order:<22} {date} {time}  ts={ts}  {price:<12} {r.choice(statuses):<9} sha1={h}")
    rows = "\n".join(rows)
    return P, f"""ACME Supplies Ltd - order export
Generated {P.n('date', '2024-03-15')} {P.n('time', '09:15')} (unix {P.n('timestamp', '1710494100')}, ms {P.n('timestamp', '1710494100123')})
==============================================================================

ORDER                  DATE       TIME      EPOCH          PRICE        STATUS    CHECKSUM
{rows}

Shipping
--------
UPS        {P.n('tracking-number', '1Z999AA10123456784')}
USPS       {P.n('tracking-number', '9400 1000 0000 0000 0000 00')}
DHL        {P.n('tracking-number', 'JD014600006251238701')}
Royal Mail {P.n('tracking-number', 'AB123456789GB')}
Parcel size {P.n('size', '40x30x20 cm')}, {P.n('size', '2.5 kg')}; sample bottle {P.n('size', '250 ml')}.

Catalogue items
---------------
Book "Applied Cryptography"  ISBN {P.n('isbn', '978-0-471-11709-4')}   {P.n('price', '$59.95')}
Book "Mastering Bitcoin"     ISBN {P.n('isbn', '9781491954386')}       {P.n('price', '€ 42,90')}
Old catalogue                ISBN-10 {P.n('isbn', '0-306-40615-2')}
EAN {P.n('misc-number', '4006381333931')} · UUID {P.n('misc-number', 'f47ac10b-58cc-4372-a567-0e02b2c3d479')}
Release {P.n('misc-number', 'v2.14.3')} build {P.n('hex-hash', hexstr(7))} (commit {P.n('hex-hash', hexstr(40))})
File digest sha256:{P.n('hex-hash', hexstr(64))}
MD5 {P.n('hex-hash', hexstr(32))}

Payment instructions (printed on every invoice)
-----------------------------------------------
SEPA (EUR): {P.p('iban', iban_nl)}  BIC INGBNL2A
SEPA (Spain office): {P.p('iban', iban_print(iban_es))}
Bitcoin: {P.p('btc', sh)}   (legacy: {P.p('btc', leg)})
Ethereum / USDC: {P.p('eth', eth)}
Litecoin: {P.p('ltc', ltc)}
Bitcoin Cash: {P.p('bch', bch)}
Questions: {P.p('email', 'billing@acme-supplies.co.uk')} or {P.p('phone', intl(sup))} (Mon-Fri {P.n('time', '9:00')}-{P.n('time', '17:30')})
"""


# ---------------------------------------------------------------------------- 07
def page_contacts():
    P = Page("07-contacts-obfuscated.html", "GB")
    lon, lds, man, bham, edi, glw = (new_phone("GB", t) for t in
                                     ("2079460xxx", "1134960xxx", "1614960xxx", "1214960xxx", "1314960xxx", "1414960xxx"))
    us = new_phone("US", "41555501xx")
    au = new_phone("AU", "491570156")  # ACMA's fictional-use mobile number
    iban_gb = new_iban("GB")
    return P, f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Contact — Velvet Rooms Agency, London</title></head>
<body>
<h1>Contact us</h1>
<p>To stop spam bots we don't publish clickable addresses. Replace the words in brackets.</p>
<ul class="emails">
  <li>Bookings: {P.p('email', 'bookings [at] velvet-rooms [dot] co [dot] uk')}</li>
  <li>Models' applications: {P.p('email', 'casting(at)velvet-rooms.co.uk')}</li>
  <li>Accounts: {P.p('email', 'accounts&#64;velvet-rooms.co.uk')}</li>
  <li>Press: <a href="mailto:{P.p('email', 'Press.Office+web@Velvet-Rooms.co.uk')}?subject=Press%20enquiry&amp;body=Hello">email the press office</a></li>
  <li>Complaints: {P.p('email', 'complaints {at} velvet-rooms {dot} com')}</li>
</ul>
<p class="fake">Please ignore auto-generated addresses such as {P.n('email-bad-suffix', 'noreply@velvet-rooms.invalidtld')},
{P.n('email-bad-suffix', 'root@localhost')} or {P.n('email-bad-suffix', 'booking@intranet.local')}.</p>

<h2>Phones</h2>
<ul class="phones">
  <li>London (24h): <a href="tel:{e164(lon)}">{P.p('phone', natl(lon))}</a></li>
  <li>Leeds: {P.p('phone', groups('0' + nsn(lds), [4, 3, 4], '.'))}</li>
  <li>Manchester: {P.p('phone', spell(groups('0' + nsn(man), [4, 3, 4], ' '), EN_WORDS), value=e164(man), scannable=False)}</li>
  <li>Birmingham: {P.p('phone', groups('0' + nsn(bham), [4, 3, 4], '-'))}</li>
  <li>Edinburgh: {P.p('phone', '+44 (0)' + groups(nsn(edi), [3, 3, 4], ' '))}</li>
  <li>Glasgow: <a href="{P.p('phone', 'tel:' + e164(glw))}">call Glasgow</a></li>
  <li>From the USA: {P.p('phone', '+1 (' + nsn(us)[:3] + ') ' + nsn(us)[3:6] + '-' + nsn(us)[6:])}</li>
  <li>Australia tour: {P.p('phone', spell(intl(au), EN_WORDS), value=e164(au), scannable=False)}</li>
</ul>
<p>Opening hours {P.n('time', '09:00')}–{P.n('time', '17:30')}, Sat {P.n('time', '10:00')}–{P.n('time', '14:00')}.
Company No. {P.n('misc-number', '09876543')} · VAT {P.n('misc-number', 'GB 123 4567 89')} · postcode {P.n('misc-number', 'SW1A 1AA')}.</p>
<p>Deposits by bank transfer to {P.p('iban', iban_print(iban_gb))} (sort code {P.n('misc-number', '20-00-00')}, account {P.n('misc-number', '12345678')}).</p>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 08
def page_pgp(pgp):
    P = Page("08-pgp-keys.html", None)
    o1, o2, o3 = new_onion(), new_onion(), new_onion()
    btc = new_btc("p2wpkh")
    xmr = new_xmr("std")
    mirror_text = (
        "Corvid Market - official mirror list - 2024-03-01\n\n"
        f"http://{o1}/\n"
        f"http://{o2}/\n"
        f"http://{o3}/\n\n"
        f"Market fee wallet (BTC): {btc}\n"
        f"Market fee wallet (XMR): {xmr}\n\n"
        "- Anything not on this list is a phishing site.\n")
    mirror = pgp.clearsign("staff", mirror_text)
    for kind, v in (("onion", o1), ("onion", o2), ("onion", o3), ("btc", btc), ("xmr", xmr)):
        P.p(kind, v)  # inside the signed text
    assert pgp.signer_of(mirror) == pgp.fpr["staff"]
    ghost_text = ("Moving to a new key. I will post the new public key later.\n"
                  "Until then only trust messages signed with this key.\n")
    ghost = pgp.clearsign("ghost", ghost_text)
    assert pgp.signer_of(ghost) == pgp.fpr["ghost"]
    detached = pgp.detached_signature("anna", "release-1.4.2.tar.gz\n")
    gf = pgp.fpr["ghost"]
    ssh_blob = base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + ed25519_pub("neg")).decode()
    blocks = {n: pgp.public_block(n) for n in ("staff", "anna", "security")}
    fp = {n: " ".join(pgp.fpr[n][i:i + 4] for i in range(0, 40, 4)) for n in blocks}
    return P, f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Keys and signed statements</title></head>
<body>
<h1>Public keys</h1>
<p>Verify the fingerprint out-of-band before trusting any of these.</p>

<h2>Market staff (mirror signing)</h2>
<p>Fingerprint {fp['staff']} · rsa2048</p>
<pre>
{P.p('pgp', blocks['staff'])}
</pre>

<h2>Anna Keller (release signing)</h2>
<p>Fingerprint {fp['anna']} · rsa3072 · contact <a href="mailto:{P.p('email', 'anna.keller@posteo.de')}">anna.keller@posteo.de</a></p>
<pre>
{P.p('pgp', blocks['anna'])}
</pre>

<h2>Security team</h2>
<p>Fingerprint {fp['security']} · nistp256 · report bugs to {P.p('email', 'security@lumen-studio.co.uk')}</p>
<pre>
{P.p('pgp', blocks['security'])}
</pre>

<h1>Signed mirror list</h1>
<pre>
{mirror}
</pre>

<h1>Statement from an old account</h1>
<p>The key that signed this is not published here, so it cannot be checked. Its claimed fingerprint:
<code>{P.n('pgp-no-key', ' '.join(gf[i:i + 4] for i in range(0, 40, 4)))}</code></p>
<pre>
{P.p('pgp', ghost, value=gf, scannable=False)}
</pre>

<h1>Detached signature of release-1.4.2.tar.gz</h1>
<pre>
{P.n('pgp-no-key', detached)}
</pre>

<h1>Encrypted order (for Anna)</h1>
<pre>
{P.n('pgp-no-key', pgp.cache['encrypted_message'].strip())}
</pre>
<p>SHA-256 of the tarball: {P.n('hex-hash', hexstr(64))}<br>SSH host key:
<code>{P.n('ssh-key', 'ssh-ed25519 ' + ssh_blob + ' deploy@build')}</code></p>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 09
def page_zh():
    P = Page("09-zh-usdt.html", "CN")
    t1, t2, t3 = new_trx(), new_trx(), new_trx()
    eth = new_eth()
    btc = new_btc("p2wpkh")
    m1, m2, m3 = new_phone("CN", "138xxxxxxxx"), new_phone("CN", "186xxxxxxxx"), new_phone("CN", "139xxxxxxxx")
    bj = new_phone("CN", "106xxxxxxx")
    x = new_xmr("std")
    return P, f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>USDT 快速兑换 · 承兑商 · 24小时在线</title></head>
<body>
<h1>USDT 承兑 · 汇率 {P.n('price', '7.25')} · 最低 100 USDT</h1>
<p>更新时间：{P.n('date', '2024年3月15日')} {P.n('time', '12:30')}（北京时间）</p>
<h2>收款地址</h2>
<p>USDT（TRC20）收款地址：{P.p('trx', t1)}。请核对前后四位！</p>
<p>备用地址（大额）：<code>{P.p('trx', t2)}</code></p>
<p>波场钱包直接打开：<a href="tronlink://send?address={P.p('trx', t3)}&amp;amount=100">点这里</a></p>
<p>USDT（ERC20）：{P.p('eth', eth.lower())}，手续费自理。</p>
<p>比特币：{P.p('btc', btc)}；门罗币：{P.p('xmr', x)}</p>
<p class="warn">注意：网上流传的假地址 {P.n('base58-bad-checksum', bad_b58(t1))} 不是我们的！
转账哈希示例：{P.n('hex-hash', hexstr(64))}</p>
<h2>联系方式</h2>
<p>客服手机：{P.p('phone', groups(nsn(m1), [3, 4, 4], ' '))}（微信同号）</p>
<p>国际：{P.p('phone', intl(m2))}</p>
<p>备用：<b>{P.p('phone', fullwidth(nsn(m3)))}</b></p>
<p>北京办公室：{P.p('phone', '010-' + groups(nsn(bj)[2:], [4, 4], '-'))}</p>
<p>邮箱：{P.p('email', 'usdt.kefu@163.com')}；备用邮箱：<a href="mailto:{P.p('email', 'otc_service@qq.com')}">otc_service@qq.com</a></p>
<p>QQ群：{P.n('misc-number', '872341156')} · 订单号 {P.n('order-number', '202403151230458812')} · 金额 {P.n('price', '¥ 72,500.00')}</p>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 10
def page_ja(pgp):
    P = Page("10-ja-shop.html", "JP")
    tokyo, osaka = new_phone("JP", "3xxxxxxxx"), new_phone("JP", "6xxxxxxxx")
    mob, mob2 = new_phone("JP", "90xxxxxxxx"), new_phone("JP", "80xxxxxxxx")
    eth, trx, btc = new_eth(), new_trx(), new_btc("p2tr")
    key = pgp.public_block("kurogane")
    return P, f"""<!DOCTYPE html>
<html lang="ja">
<head><meta charset="utf-8"><title>特定商取引法に基づく表記｜黒鉄ショップ</title></head>
<body>
<h1>特定商取引法に基づく表記</h1>
<table>
<tr><th>販売業者</th><td>黒鉄ショップ合同会社</td></tr>
<tr><th>所在地</th><td>{P.n('misc-number', '〒150-0001')} 東京都渋谷区神宮前1-2-3</td></tr>
<tr><th>電話番号</th><td><a href="tel:{e164(tokyo)}">{P.p('phone', natl(tokyo))}</a>（平日{P.n('time', '10:00')}～{P.n('time', '18:00')}）</td></tr>
<tr><th>大阪営業所</th><td>{P.p('phone', intl(osaka))}</td></tr>
<tr><th>携帯</th><td>{P.p('phone', fullwidth(groups('0' + nsn(mob), [3, 4, 4], '-')))}</td></tr>
<tr><th>担当者直通</th><td>{P.p('phone', groups('0' + nsn(mob2), [3, 4, 4], ' '))}</td></tr>
<tr><th>メール</th><td>{P.p('email', 'info@kurogane-shop.co.jp')}</td></tr>
<tr><th>販売価格</th><td>{P.n('price', '¥3,980（税込）')}、送料{P.n('price', '660円')}</td></tr>
<tr><th>JANコード</th><td>{P.n('misc-number', '4901234567894')}</td></tr>
<tr><th>更新日</th><td>{P.n('date', '2024年3月15日')}</td></tr>
</table>
<h2>暗号資産でのお支払い</h2>
<p>ETH：<code>{P.p('eth', eth)}</code>、USDT(TRC20)：<code>{P.p('trx', trx)}</code>、BTC：<a href="bitcoin:{P.p('btc', btc)}?amount=0.0009">{btc}</a></p>
<h2>PGP公開鍵</h2>
<pre>
{P.p('pgp', key)}
</pre>
<p>画像：<img src="/img/{P.n('email-like-filename', 'banner@2x.png')}" alt="">　型番 {P.n('order-number', 'KG-2024-0315')}</p>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 11
def page_lookalikes():
    P = Page("11-lookalikes.txt", None)
    btc = new_btc("p2wpkh")
    eth = new_eth()
    x = new_xmr("std")
    trx = new_trx()
    ltc = new_ltc("L")
    iban_ch = new_iban("CH")
    ph = new_phone("ES", "6xxxxxxxx")
    lines = []

    def pair(label, good, bads):
        lines.append(f"{label}")
        if good:
            lines.append(f"  reported OK : {good}")
        for cat, b in bads:
            lines.append(f"  look-alike  : {P.n(cat, b)}")

    pair("Genesis coinbase address", P.p("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
         [("base58-bad-checksum", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"),
          ("base58-bad-checksum", bad_b58("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"))])
    pair("BIP-13 P2SH example", P.p("btc", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
         [("base58-bad-checksum", bad_b58("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")),
          ("testnet-address", b58_with_version(0xC4))])
    pair("Segwit wallet", P.p("btc", btc),
         [("bech32-flipped-char", bad_bech32(btc)), ("bech32-flipped-char", bad_bech32(btc)),
          ("bech32-wrong-variant", segwit_encode("bc", 0, convertbits([CHARSET.index(c) for c in btc[4:-6]], 5, 8, False), BECH32M)),
          ("testnet-address", segwit_encode("tb", 1, list(rbytes("neg", 32)))),
          ("testnet-address", segwit_encode("bcrt", 0, list(rbytes("neg", 20)))),
          ("bech32-invalid-program", segwit_encode("bc", 0, list(rbytes("neg", 25))))])
    pair("Ethereum hot wallet", P.p("eth", eth),
         [("eth-bad-checksum-case", bad_eth_case(eth)), ("eth-bad-checksum-case", bad_eth_case(eth)),
          ("eth-wrong-length", eth[:-1]), ("eth-wrong-length", "0x" + hexstr(64)),
          ("hex-hash", eth[2:].lower() + hexstr(24))])
    pair("Monero", P.p("xmr", x),
         [("xmr-bad-checksum", mutate(x, B58, 3)), ("xmr-bad-checksum", mutate(x, B58, 60)),
          ("xmr-wrong-network", xmr_address(24, ed25519_pub("neg"), ed25519_pub("neg"))),
          ("xmr-wrong-network", xmr_address(53, ed25519_pub("neg"), ed25519_pub("neg"))),
          ("xmr-wrong-network", xmr_address(36, ed25519_pub("neg"), ed25519_pub("neg")))])
    pair("Tron", P.p("trx", trx),
         [("base58-bad-checksum", bad_b58(trx)), ("wrong-version-byte", wrong_version_like("T", 0x41)),
          ("base58-bad-checksum", trx[:-1])])
    pair("Litecoin", P.p("ltc", ltc),
         [("base58-bad-checksum", bad_b58(ltc)), ("wrong-version-byte", wrong_version_like("L", 0x30)),
          ("testnet-address", segwit_encode("tltc", 0, list(rbytes("neg", 20))))])
    pair("Bitcoin Cash (CashAddr spec example)", P.p("bch", "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"),
         [("cashaddr-bad-checksum", "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6b"),
          ("testnet-address", cashaddr_encode("bchtest", 0, rbytes("neg", 20))),
          ("cashaddr-bad-checksum", cashaddr_encode("bchtest", 0, rbytes("neg", 20)).split(":")[1])])
    pair("Other coins (not extracted)", None,
         [("wrong-version-byte", b58_with_version(0x1E)),  # Dogecoin D...
          ("wrong-version-byte", b58_with_version(0x4C)),  # Dash X...
          ("wrong-version-byte", b58check(0x80, rbytes("neg", 32) + b"\x01"))])  # WIF private key
    pair("IBAN (registry example)", P.p("iban", "GB82 WEST 1234 5698 7654 32"),
         [("iban-bad-checksum", "GB82 WEST 1234 5698 7654 33"), ("iban-bad-checksum", "GB28 WEST 1234 5698 7654 32"),
          ("iban-wrong-length", iban_make("GB", "WEST123456987654321")),
          ("iban-unknown-country", iban_make("ZZ", "WEST12345698765432"))])
    pair("IBAN (Swiss)", P.p("iban", iban_ch), [("iban-bad-checksum", bad_iban(iban_ch))])
    pair("DuckDuckGo onion", P.p("onion", "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion"),
         [("onion-bad-checksum", "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczaq.onion"),
          ("onion-v2", "3g2upl4pq6kufc4m.onion"), ("onion-wrong-version", onion_wrong_version())])
    pair("E-mail", P.p("email", "abuse@hetzner-support.de"),
         [("email-bad-suffix", "user@host.invalidtld"), ("email-like-filename", "image@2x.png"),
          ("email-bad-suffix", "lodash@4.17.21"), ("email-bad-suffix", "admin@router")])
    pair("Phone", P.p("phone", intl(ph)),
         [("phone-invalid", "+34 " + nsn(ph)[:8]), ("phone-invalid", "+999 123 456 789"),
          ("phone-invalid", "+1 (000) 555-0100")])
    body = "\n".join(lines)
    return P, f"""WATCHLIST EXPORT - addresses reported to the abuse desk, with look-alikes seen in the wild
Each block: the address as reported and the near-misses we found next to it.
Exported {P.n('date', '2024-03-15')} {P.n('time', '23:59:59')}

{body}

Hashes seen with these reports:
  sha1   {P.n('hex-hash', hexstr(40))}
  sha256 {P.n('hex-hash', hexstr(64))}
  colour {P.n('hex-colour', '3F3F3F3F')}
"""


# ---------------------------------------------------------------------------- 12
def page_exchange():
    P = Page("12-exchange-deposit.html", None)
    b1, b2, b3 = new_bch(), new_bch("p2sh"), new_bch()
    up = new_bch()
    l1, l2, l3 = new_ltc("L"), new_ltc("M"), new_ltc("bech32")
    trx = new_trx()
    eth = new_eth()
    xs, xi = new_xmr("std"), new_xmr("int")
    wsh, tr = new_btc("p2wsh"), new_btc("p2tr")
    onion = new_onion()
    iban_lu = new_iban("LU")
    # BIP-32 xpub: version 0488B21E, depth, parent fingerprint, child number, chain code, key
    xpub = b58check(0x04, bytes.fromhex("88b21e03") + rbytes("neg", 4) + bytes.fromhex("80000000")
                    + rbytes("neg", 32) + b"\x02" + rbytes("neg", 32))
    invoice = bech32_encode("lnbc2500u", [rng("neg").randrange(32) for _ in range(300)], BECH32)
    return P, f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Deposit — SwapNest Exchange</title></head>
<body>
<h1>Deposit addresses for account #{P.n('order-number', '55120437')}</h1>
<p>Only send the asset named on each row. Mirror for Tor users: <a href="http://{P.p('onion', onion)}/deposit">{onion}</a></p>
<table class="deposit">
<tr><td>Bitcoin Cash</td><td><code>{P.p('bch', b1)}</code></td></tr>
<tr><td>Bitcoin Cash (without prefix, as some wallets show it)</td><td><code>{P.p('bch', b2.split(':')[1])}</code></td></tr>
<tr><td>Bitcoin Cash QR</td><td><a href="{P.p('bch', b3)}?amount=0.25">pay 0.25 BCH</a></td></tr>
<tr><td>Bitcoin Cash (old app, upper case)</td><td><code>{P.p('bch', up.upper())}</code></td></tr>
<tr><td>Litecoin</td><td><code>{P.p('ltc', l1)}</code> · <code>{P.p('ltc', l2)}</code> ·
   <a href="litecoin:{P.p('ltc', l3)}?amount=1.5">{l3}</a></td></tr>
<tr><td>Tron / USDT-TRC20</td><td><code>{P.p('trx', trx)}</code></td></tr>
<tr><td>Ethereum / ERC-20</td><td><a href="ethereum:{P.p('eth', eth)}@1?value=2.5e17">{eth}</a></td></tr>
<tr><td>Monero</td><td><code>{P.p('xmr', xs)}</code></td></tr>
<tr><td>Monero (integrated, includes your account tag)</td><td><code>{P.p('xmr', xi)}</code></td></tr>
<tr><td>Bitcoin (segwit multisig)</td><td><code>{P.p('btc', wsh)}</code></td></tr>
<tr><td>Bitcoin (taproot)</td><td><a href="bitcoin:{P.p('btc', tr.upper())}?amount=0.01">{tr}</a></td></tr>
<tr><td>EUR (SEPA)</td><td>{P.p('iban', iban_print(iban_lu))} · reference {P.n('order-number', 'SN-55120437')}</td></tr>
</table>
<h2>Do NOT use</h2>
<ul>
<li>Test networks: <code>{P.n('testnet-address', cashaddr_encode('bchtest', 1, rbytes('neg', 20)))}</code>,
    <code>{P.n('testnet-address', segwit_encode('tltc', 0, list(rbytes('neg', 20))))}</code>,
    <code>{P.n('testnet-address', segwit_encode('tb', 0, list(rbytes('neg', 32))))}</code></li>
<li>Extended public keys are not deposit addresses: <code>{P.n('wrong-version-byte', xpub)}</code></li>
<li>Never paste a private key anywhere: <code>{P.n('wrong-version-byte', b58check(0x80, rbytes('neg', 32) + bytes([1])))}</code></li>
<li>Dogecoin is not supported: <code>{P.n('wrong-version-byte', b58_with_version(0x1E))}</code></li>
<li>Lightning invoices go to the Lightning page: <code>{P.n('lightning-invoice', invoice)}</code></li>
<li>Our BCH address with a typo: <code>{P.n('cashaddr-bad-checksum', mutate(b1, CHARSET, 14))}</code></li>
<li>Our LTC address with a typo: <code>{P.n('base58-bad-checksum', bad_b58(l1))}</code></li>
<li>The witness-v1 address from an old BIP-173 draft (bech32, not bech32m):
    <code>{P.n('bech32-wrong-variant', segwit_encode('bc', 1, list(rbytes('neg', 32)), BECH32))}</code></li>
</ul>
<p>Memo / destination tag: {P.n('misc-number', '104857')} · min deposit {P.n('price', '$12,500')} for OTC ·
support: <a href="mailto:{P.p('email', 'support@swapnest.io')}">support@swapnest.io</a></p>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 13
def page_ransom():
    P = Page("13-ransom-note.txt", None)
    btc = new_btc("p2pkh")
    x = new_xmr("std")
    onion = new_onion()
    tox = hexstr(76)
    return P, f"""!!! ALL YOUR FILES ARE ENCRYPTED !!!

Your documents, photos, databases and other important files have been encrypted
with AES-256 + RSA-4096. Your personal ID: {P.n('hex-hash', hexstr(64))}

To get the decryptor you must pay {P.n('price', '0.35 BTC')} (about {P.n('price', '$12,500')}) within 72 hours.
Deadline: {P.n('date', '2024-03-18')} {P.n('time', '23:59')} UTC (unix {P.n('timestamp', '1710806340')}).

1. Buy Bitcoin (BTC) on any exchange.
2. Send exactly 0.35 BTC to:  {P.p('btc', btc)}
   Monero gets a 15% discount: {P.p('xmr', x)}
3. Write to us with your ID and the transaction hash.

Contact (Tor Browser):  http://{P.p('onion', onion)}/chat?id=7731
E-mail:                 {P.p('email', 'Decryptor.Help@onionmail.org')}
Backup e-mail:          {P.p('email', 'restore-files@tutanota.com')}
qTox ID:                {P.n('tox-id', tox.upper())}

Do not rename the files (*.locked{P.n('hex-hash', hexstr(8))}). Do not use recovery tools.
Test decryption: send us 2 files up to {P.n('size', '3 MB')}.
"""


# ---------------------------------------------------------------------------- 14
def page_scam():
    P = Page("14-giveaway-scam.html", None)
    seg = new_btc("p2wpkh")
    eth1, eth2, eth3 = new_eth(), new_eth(), new_eth()
    trx = new_trx()
    bch = new_bch()
    return P, f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>OFFICIAL 5,000 BTC &amp; 100,000 ETH GIVEAWAY - LIVE NOW</title></head>
<body>
<div class="banner"><img src="/img/{P.n('email-like-filename', 'rocket@2x.png')}" alt=""> Live from the stage — ends in {P.n('time', '00:42:17')}</div>
<h1>Send 0.1 – 20 BTC, receive 2X back instantly!</h1>
<p>Send to: <code>{P.p('btc', seg)}</code> <a class="btn" href="bitcoin:{seg}?amount=0.1">open wallet</a></p>
<p>ETH participants: <code>{P.p('eth', eth1)}</code> or the backup wallet <code>{P.p('eth', eth2.lower())}</code></p>
<p>USDT on Tron: <code>{P.p('trx', trx)}</code> · BCH: <code>{P.p('bch', bch)}</code></p>
<p class="small">Previous event address (closed): <code>{P.n('eth-bad-checksum-case', bad_eth_case(eth3))}</code></p>
<table class="feed">
<tr><td>{P.n('hex-hash', '0x' + hexstr(64))}</td><td>+2.5 ETH</td><td>{P.n('time', '12:30')}</td></tr>
<tr><td>{P.n('hex-hash', hexstr(64))}</td><td>+0.4 BTC</td><td>{P.n('time', '12:31')}</td></tr>
<tr><td>Block {P.n('misc-number', '#834,112')}</td><td>+{P.n('price', '$12,500')}</td><td>{P.n('time', '12:33')}</td></tr>
</table>
<p>Follow {P.n('at-handle', '@elonmusk')} and {P.n('at-handle', '@VitalikButerin')} for more events! Support: <a href="mailto:{P.p('email', 'claims@x2-event-live.com')}">claims@x2-event-live.com</a></p>
<p class="legal">By participating you agree to our terms. Event id {P.n('order-number', 'EVT-20240315-5567')}.</p>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 15
BIP350_VALID_MAINNET = [
    "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
    "BC1SW50QGDZ25J",
    "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
]
BIP350_VALID_TESTNET = [
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
    "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
    "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
]
BIP173_VALID_NOW_INVALID = [  # valid under BIP-173, invalid since BIP-350 (v1+ with bech32)
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
    "BC1SW50QA3JX3S",
    "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
]
BIP350_INVALID = [
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
    "bc1pw5dgrnzv",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
    "bc1gmk9yu",
]
EIP55_VECTORS = [
    "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]


def page_vectors():
    P = Page("15-bip-vectors.txt", None)
    assert segwit_encode("bc", 1, list(bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6" * 2)), BECH32) == \
        BIP173_VALID_NOW_INVALID[0]
    valid = "\n".join(f"  {P.p('btc', a)}" for a in BIP350_VALID_MAINNET)
    testnet = "\n".join(f"  {P.n('testnet-address', a)}" for a in BIP350_VALID_TESTNET)
    old = "\n".join(f"  {P.n('bech32-wrong-variant', a)}" for a in BIP173_VALID_NOW_INVALID)
    invalid = "\n".join(f"  {P.n('bech32-invalid-vector', a)}" for a in BIP350_INVALID)
    eip = "\n".join(f"  {P.p('eth', a)}" for a in EIP55_VECTORS)
    eip_bad = "\n".join(f"  {P.n('eth-bad-checksum-case', bad_eth_case(a))}" for a in EIP55_VECTORS[4:])
    fresh = [new_btc("p2wpkh"), new_btc("p2tr")]
    fresh_s = "\n".join(f"  {P.p('btc', a)}" for a in fresh)
    wrong_v = [segwit_encode("bc", 0, list(rbytes("neg", 20)), BECH32M), segwit_encode("bc", 1, list(rbytes("neg", 32)), BECH32)]
    wrong_s = "\n".join(f"  {P.n('bech32-wrong-variant', a)}" for a in wrong_v)
    return P, f"""Developer notes: address test vectors (copied from the BIPs/EIPs, {P.n('date', '2024-03-15')})
==========================================================================

BIP-350, valid mainnet segwit addresses (bech32 for v0, bech32m for v1..v16):
{valid}

BIP-350, valid but TESTNET (must not be reported as mainnet):
{testnet}

BIP-173 "valid" vectors for witness v1+ that BIP-350 made invalid (bech32 checksum on v1+):
{old}

BIP-350, invalid addresses:
{invalid}

Freshly generated, valid:
{fresh_s}

Freshly generated with the wrong checksum variant (v0+bech32m, v1+bech32):
{wrong_s}

EIP-55 test vectors (all valid; the first four are all-caps / all-lower by chance):
{eip}

The same addresses with the case of one letter flipped (checksum must fail):
{eip_bad}
"""


# ---------------------------------------------------------------------------- 16
def page_uk_forum():
    P = Page("16-uk-forum.html", "GB")
    mob1, mob2 = new_phone("GB", "74xxxxxxxx"), new_phone("GB", "79xxxxxxxx")
    lon = new_phone("GB", "2079460xxx")
    man = new_phone("GB", "1614960xxx")
    iban_gb, iban_ie = new_iban("GB"), new_iban("IE")
    return P, f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>FS: Canyon Endurace CF SL 8, 56cm, 2022 — Classifieds — UK Road Cycling Forum</title></head>
<body>
<article class="post" id="post-{P.n('order-number', '884213')}">
<h1>FS: Canyon Endurace CF SL 8, {P.n('size', '56cm')}, 2022</h1>
<p>Asking {P.n('price', '£1,450 ono')}. Bought {P.n('date', '15/03/2022')}, about {P.n('size', '3,200 miles')}. Original
receipt ({P.n('order-number', 'Order #20231104-5567')}) available. Collection from {P.n('misc-number', 'M14 5RB')} or
courier at buyer's cost ({P.n('tracking-number', 'AB123456789GB')} was the last parcel I sent, for reference).</p>
<p>Call or text: {P.p('phone', natl(mob1))} or {P.p('phone', groups('0' + nsn(mob2), [5, 6], ' '))}. Work: <a href="tel:{e164(lon)}">{P.p('phone', '+44 (0)20 ' + groups(nsn(lon)[2:], [4, 4], ' '))}</a>.
Evenings: {P.p('phone', groups('0' + nsn(man), [4, 3, 4], ' '))}</p>
<p>Payment by bank transfer (UK: {P.p('iban', iban_print(iban_gb))}, sort code {P.n('misc-number', '40-47-84')}) or for
buyers in Ireland to {P.p('iban', iban_ie)}. PayPal friends &amp; family to {P.p('email', 'ride.more.bikes@gmail.com')}.</p>
</article>
<article class="reply">
<p><b>re:</b> Is it Di2? Also my PM box is full, mail me at {P.p('email', 'Pete_Cycles@btinternet.com')} (not
{P.n('email-bad-suffix', 'pete@btinternet')}, that bounces). Posted {P.n('date', '16/03/2024')} {P.n('time', '08:12')}</p>
</article>
</body>
</html>
"""


# ---------------------------------------------------------------------------- 17
def page_paste():
    P = Page("17-paste.txt", None)
    recs = []
    cc = [("UA", "67xxxxxxx"), ("NL", "6xxxxxxxx"), ("IT", "3xxxxxxxxx"), ("PL", "5xxxxxxxx"),
          ("BR", "119xxxxxxxx"), ("TR", "53xxxxxxxx")]
    ibans = [new_iban(c) for c, _ in cc[:4]]
    names = ["o.shevchenko", "j.devries", "m.rossi", "k.nowak", "lucas.souza", "ahmet.y"]
    domains = ["ukr.net", "ziggo.nl", "libero.it", "wp.pl", "uol.com.br", "yandex.com.tr"]
    kinds = ["p2pkh", "p2wpkh", "p2sh", "p2tr", "p2wpkh", "p2pkh"]
    for i in range(6):
        ph = new_phone(*cc[i])
        rec = {
            "id": P.n("order-number", str(100234 + i * 7)),
            "email": P.p("email", f"{names[i]}@{domains[i]}"),
            "phone": P.p("phone", e164(ph) if i % 2 == 0 else intl(ph)),
            "btc": P.p("btc", new_btc(kinds[i])),
            "pw_hash": P.n("misc-number", "$2b$12$" + base64.b64encode(rbytes("neg", 40)).decode()[:53].replace("+", ".")),
            "last_login": P.n("timestamp", str(1709251200 + i * 86400 + 3600)),
        }
        if i < 4:
            rec["iban"] = P.p("iban", ibans[i])
        if i in (1, 3):
            rec["eth"] = P.p("eth", new_eth())
        if i == 2:
            rec["xmr"] = P.p("xmr", new_xmr("sub"))
            rec["ltc"] = P.p("ltc", new_ltc("M"))
        if i == 4:
            rec["bch"] = P.p("bch", new_bch())
            rec["trx"] = P.p("trx", new_trx())
        if i == 5:
            rec["site"] = "http://" + P.p("onion", new_onion()) + "/login"
        recs.append(json.dumps(rec, ensure_ascii=False))
    body = "\n".join(recs)
    return P, f"""# dump from shop db, table customers, {P.n('date', '2024-03-01')}
# fields: id, email, phone, wallet(s), bcrypt, last_login (unix)
{body}
# end of dump, {P.n('misc-number', '6 rows')} -- md5 {P.n('hex-hash', hexstr(32))}
# fake row inserted by the seller to trace resales:
{{"id": "{P.n('order-number', '999999')}", "email": "{P.n('email-bad-suffix', 'canary@trace.invalidtld')}", "phone": "{P.n('phone-invalid', '+1 555 0100')}", "btc": "{P.n('base58-bad-checksum', bad_b58(new_btc('p2pkh')))}"}}
"""


# ---------------------------------------------------------------------------- 18
def page_fr():
    P = Page("18-fr-annonce.html", "FR")
    m1, m2 = new_phone("FR", "6xxxxxxxx"), new_phone("FR", "7xxxxxxxx")
    f1, f2 = new_phone("FR", "19900xxxx"), new_phone("FR", "19900xxxx")
    be = new_phone("BE", "47xxxxxxx")
    iban_fr, iban_be = new_iban("FR"), new_iban("BE")
    return P, f"""<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Vends scooter électrique Xiaomi Pro 2 – très bon état – Paris 11e</title></head>
<body>
<article class="annonce" data-ref="{P.n('order-number', '2658741236')}">
<h1>Scooter électrique Xiaomi Pro 2 – très bon état</h1>
<p class="prix">{P.n('price', '1 299,00 €')} <small>(prix neuf {P.n('price', '1.599,00 €')})</small></p>
<p>Publié le {P.n('date', '15/03/2024')} à {P.n('time', '12h30')} · {P.n('misc-number', '75011')} Paris · autonomie 45 km · batterie {P.n('size', '474 Wh')}</p>
<h2>Contact</h2>
<p>Portable : <a href="tel:{e164(m1)}">{P.p('phone', natl(m1))}</a><br>
SMS : {P.p('phone', groups('0' + nsn(m2), [2, 2, 2, 2, 2], '.'))}<br>
Fixe : {P.p('phone', '+33 (0)' + groups(nsn(f1), [1, 2, 2, 2, 2], ' '))} ou {P.p('phone', groups('0' + nsn(f2), [2, 2, 2, 2, 2], '-'))}<br>
Belgique : {P.p('phone', intl(be))}<br>
Mail : {P.p('email', 'scooter.paris11(at)orange.fr')} · <a href="mailto:{P.p('email', 'j.dupont@laposte.net')}">j.dupont@laposte.net</a></p>
<h2>Paiement</h2>
<p>Virement avant remise en main propre : IBAN {P.p('iban', iban_print(iban_fr))} (BIC {P.n('misc-number', 'BNPAFRPPXXX')}),
ou compte belge {P.p('iban', iban_be)}.</p>
<p class="note">Ancienne annonce avec erreur : IBAN {P.n('iban-bad-checksum', iban_print(bad_iban(iban_fr)))} (ne pas utiliser),
et {P.n('iban-wrong-length', iban_make('FR', '3000600001123456789018'))}.</p>
<p class="legal">Vendeur particulier. SIRET du réparateur : {P.n('misc-number', '732 829 320 00074')}.</p>
</article>
</body>
</html>
"""


# =============================================================== reference scanner
B58_RUN = re.compile(r"(?<![1-9A-HJ-NP-Za-km-z])[1-9A-HJ-NP-Za-km-z]{25,120}(?![1-9A-HJ-NP-Za-km-z])")
SEGWIT_RUN = re.compile(r"(?i)(?<![0-9a-z])(bc|ltc)1[0-9a-z]{6,87}(?![0-9a-z])")
CASHADDR_RUN = re.compile(r"(?i)(?<![0-9a-z:])(?:bitcoincash:)?[qp][0-9a-z]{41}(?![0-9a-z])")
ETH_RUN = re.compile(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])")
ONION_RUN = re.compile(r"(?<![a-z2-7])[a-z2-7]{56}\.onion(?![a-z0-9-])")
EMAIL_RUN = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|" + OBF_AT + r")[A-Za-z0-9-]+"
                       r"(?:(?:\.|" + OBF_DOT + r")[A-Za-z0-9-]+)+", re.I)
IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}")


def scan(text, region, is_html):
    """Every valid entity in `text` that a careful extractor should find."""
    t = html.unescape(text) if is_html else text
    found = set()
    for m in B58_RUN.finditer(t):
        s = m.group(0)
        if xmr_check(s):
            found.add(("xmr", s))
            continue
        dec = b58check_decode(s)
        if dec and len(dec[1]) == 20:
            kind = {0x00: "btc", 0x05: "btc", 0x30: "ltc", 0x32: "ltc", 0x41: "trx"}.get(dec[0])
            if kind:
                found.add((kind, s))
    for m in SEGWIT_RUN.finditer(t):
        hrp = m.group(1).lower()
        if segwit_decode(hrp, m.group(0))[0] is not None:
            found.add(("btc" if hrp == "bc" else "ltc", m.group(0).lower()))
    for m in CASHADDR_RUN.finditer(t):
        v = cashaddr_check(m.group(0))
        if v:
            found.add(("bch", v))
    for m in ETH_RUN.finditer(t):
        v = eth_check(m.group(0))
        if v:
            found.add(("eth", v))
    for m in ONION_RUN.finditer(t.lower()):
        if onion_check(m.group(0)):
            found.add(("onion", m.group(0)))
    for m in EMAIL_RUN.finditer(t):
        v = email_check(deobfuscate_email(m.group(0)))
        if v:
            found.add(("email", v))
    ok = set(string.ascii_uppercase + string.digits)
    for m in IBAN_START.finditer(t):
        spec = IBAN_SPEC.get(m.group(0)[:2])
        if not spec:
            continue
        chars, j = [], m.start()
        while j < len(t) and len(chars) < spec[0]:
            if t[j] in ok:
                chars.append(t[j])
            elif not (t[j] == " " and len(chars) % 4 == 0 and j + 1 < len(t) and t[j + 1] in ok):
                break
            j += 1
        if len(chars) == spec[0] and (j >= len(t) or not t[j].isalnum()):
            v = iban_check("".join(chars))
            if v:
                found.add(("iban", v))
    for m in PhoneNumberMatcher(t, region or "ZZ", leniency=Leniency.VALID, max_tries=10**7):
        found.add(("phone", e164(m.number)))
    for m in PGP_BLOCK_RE.finditer(t):
        try:
            found.add(("pgp", pgp_fingerprint(m.group(0))))
        except (ValueError, IndexError, KeyError):
            pass
    return found


# =============================================================== main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--regen-pgp", action="store_true", help="make new PGP test keys (changes fingerprints)")
    args = ap.parse_args()

    # Self-tests of the encoders against published vectors.
    assert eip55("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    assert cashaddr_encode("bitcoincash", 0, b58check_decode("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu")[1]) == \
        "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"
    assert segwit_encode("bc", 0, list(bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6"))) == \
        BIP350_VALID_MAINNET[0].lower()
    assert b58check(0x00, bytes.fromhex("62e907b15cbf27d5425399ebf6f0fb50ebb88f18")) == "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
    for a in BIP350_VALID_MAINNET:
        assert segwit_decode("bc", a)[0] is not None, a
    for a in BIP350_INVALID + BIP173_VALID_NOW_INVALID:
        assert segwit_decode("bc", a)[0] is None, a

    pgp = Pgp(HERE / "pgp_test_keys.json", args.regen_pgp)
    try:
        builders = [lambda: page_market(pgp), page_forum, page_escort_ru, page_classified_de, page_css,
                    page_orders, page_contacts, lambda: page_pgp(pgp), page_zh, lambda: page_ja(pgp),
                    page_lookalikes, page_exchange, page_ransom, page_scam, page_vectors, page_uk_forum,
                    page_paste, page_fr]
        pages = []
        for build in builders:
            P, text = build()
            P.text = text
            pages.append(P)
    finally:
        pgp.close()

    # Checks: every written positive/negative is in its page; negatives alone find nothing;
    # the reference scan finds exactly the labels (spelled-out phones excepted).
    errors = []
    for P in pages:
        is_html = P.name.endswith(".html")
        for (kind, value), forms in P.pos.items():
            for w in forms:
                if w not in P.text:
                    errors.append(f"{P.name}: positive {kind} {w!r} not in page")
        for cat, w in P.negs:
            if w not in P.text:
                errors.append(f"{P.name}: negative {cat} {w!r} not in page")
            hit = scan(w, P.region, is_html)
            if hit:
                errors.append(f"{P.name}: negative {cat} {w!r} validates as {hit}")
        found = scan(P.text, P.region, is_html)
        labels = set(P.pos)
        for extra in sorted(found - labels):
            errors.append(f"{P.name}: scanner found unlabelled {extra}")
        for missing in sorted(labels - found - P.unscannable):
            errors.append(f"{P.name}: scanner did not find labelled {missing}")
    if errors:
        sys.exit("corpus check failed:\n  " + "\n  ".join(errors))

    # Write.
    for old in HERE.glob("[0-9][0-9]-*"):
        old.unlink()
    labels, negatives = {}, {}
    for P in pages:
        (HERE / P.name).write_text(P.text, encoding="utf-8")
        ents = sorted(P.pos, key=lambda kv: (KINDS.index(kv[0]), kv[1]))
        labels[P.name] = {"region": P.region, "entities": [{"kind": k, "value": v} for k, v in ents]}
        negatives[P.name] = [{"category": c, "text": w} for c, w in P.negs]
    (HERE / "labels.json").write_text(json.dumps(labels, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (HERE / "negatives.json").write_text(json.dumps(negatives, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    # Summary.
    print(f"wrote {len(pages)} pages, labels.json, negatives.json to {HERE}")
    print(f"{'kind':<7} {'labels':>6} {'distinct':>8}")
    total = 0
    for k in KINDS:
        n = sum(1 for P in pages for (kind, _) in P.pos if kind == k)
        d = len({v for P in pages for (kind, v) in P.pos if kind == k})
        total += n
        print(f"{k:<7} {n:>6} {d:>8}")
    print(f"{'total':<7} {total:>6}")
    cats = {}
    for P in pages:
        for c, _ in P.negs:
            cats[c] = cats.get(c, 0) + 1
    print(f"hard negatives: {sum(cats.values())}")
    for c in sorted(cats):
        print(f"  {c:<24} {cats[c]:>4}")
    print(f"phonenumbers metadata version: {phonenumbers.__version__}")


if __name__ == "__main__":
    main()
