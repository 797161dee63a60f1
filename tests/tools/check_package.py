#!/usr/bin/env python3
"""An independent check of a nightjar evidence package (WACZ), written from the package's
own `how_to_verify` list and the public specifications it names, sharing no code with
nightjar: Python's zipfile, zlib, hashlib and base64, and `cryptography` for Ed25519.

It checks, for every node whose captures the package holds (the signer's and each of
`other_nodes`):
  * the Ed25519 signature over SHA-256(datapackage.json) and the file hashes it lists;
  * every record listed in custody/custody.json: the gzip member at its package offset
    decompresses to bytes whose SHA-256 is its record digest, and its chain value is
    SHA-256(chain_before || digest);
  * its node's signed head: a C2SP signed note (checkpoint) whose Ed25519 signature verifies
    with that node's key, and whose size and root are the ones the report gives;
  * its RFC 6962 / RFC 9162 inclusion proof from leaf SHA-256(0x00 || digest) at index
    chain_seq - 1 to that root.
(The seals are nightjar's own JSON format, checked by `nightjar verify PACKAGE`.)

Usage: check_package.py PACKAGE.wacz. Prints a JSON summary on stdout and exits 0 when every
check passes; each failure is a line on stderr and the exit status is 1.
"""

import base64
import hashlib
import json
import sys
import zipfile
import zlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

failures = []


def fail(msg):
    failures.append(msg)


def label(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def unlabel(s):
    assert s.startswith("sha256:"), s
    return bytes.fromhex(s[len("sha256:"):])


def ed25519_ok(public_hex, message, signature):
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex)).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def gzip_member(data, offset):
    """The uncompressed bytes of the gzip member starting at `offset`."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data[offset:])
    if not d.eof:
        raise ValueError("truncated gzip member")
    return out


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def inclusion_ok(proof, size, root, index, leaf):
    """RFC 9162, 2.1.3.2: verifying an inclusion proof."""
    if index < 0 or index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def open_checkpoint(note, public_hex):
    """A C2SP signed note signed by `public_hex`: (origin, size, root bytes), or None."""
    text, sep, sigs = note.partition("\n\n")
    if not sep:
        return None
    body = (text + "\n").encode()
    lines = text.split("\n")
    origin = lines[0]
    key = bytes.fromhex(public_hex)
    key_id = hashlib.sha256(origin.encode() + b"\n\x01" + key).digest()[:4]
    for line in sigs.splitlines():
        if not line.startswith("\u2014 "):
            continue
        name, _, blob = line[2:].rpartition(" ")
        raw = base64.b64decode(blob)
        if name == origin and raw[:4] == key_id and ed25519_ok(public_hex, body, raw[4:]):
            return origin, int(lines[1]), base64.b64decode(lines[2])
    return None


def main(path):
    z = zipfile.ZipFile(path)
    dp = z.read("datapackage.json")
    digest = json.loads(z.read("datapackage-digest.json"))
    signer = digest["signedData"]["publicKey"]
    if digest["hash"] != label(dp):
        fail("datapackage.json does not hash to datapackage-digest.json's hash")
    if not ed25519_ok(signer, label(dp).encode(), bytes.fromhex(digest["signedData"]["signature"])):
        fail("the signature over datapackage.json does not verify")
    for r in json.loads(dp)["resources"]:
        b = z.read(r["path"])
        if label(b) != r["hash"] or len(b) != r["bytes"]:
            fail(f"{r['path']} does not match datapackage.json")

    custody = json.loads(z.read("custody/custody.json"))
    if custody["node_public_key"] != signer:
        fail("the custody report names another key than the signer's")
    warc = z.read("archive/data.warc.gz")
    nodes = {custody.get("node", ""): (signer, custody.get("log"))}
    for n in custody.get("other_nodes", []):
        if n["name"] in nodes:
            fail(f"node '{n['name']}' is listed twice")
            continue
        nodes[n["name"]] = (n["public_key"], n.get("log"))
    heads = {}
    for name, (key, log) in nodes.items():
        if log is None:
            fail(f"node '{name}': no signed head")
            continue
        opened = open_checkpoint(log["checkpoint"], key)
        if opened is None:
            fail(f"node '{name}': its checkpoint does not verify with its key")
            continue
        origin, size, root = opened
        # A nightjar log is named after its key: "nightjar/" and 16 hex digits of the key's
        # SHA-256.
        if origin != "nightjar/" + hashlib.sha256(bytes.fromhex(key)).hexdigest()[:16]:
            fail(f"node '{name}': its log '{origin}' is not the log of its key")
        if (origin, size, base64.b64encode(root).decode()) != (log["origin"], log["size"], log["root"]):
            fail(f"node '{name}': the checkpoint says another origin, size or root than the report")
        heads[name] = (size, root)

    summary = {name: {"records": 0, "captures": 0} for name in nodes}
    records = [r for c in custody["captures"] for r in c["records"]] + custody["warcinfo"]
    for c in custody["captures"]:
        summary.setdefault(c.get("node", ""), {"records": 0, "captures": 0})["captures"] += 1
    for r in records:
        name = r.get("node", "")
        rid = r["record_id"]
        summary.setdefault(name, {"records": 0, "captures": 0})["records"] += 1
        try:
            raw = gzip_member(warc, r["package_offset"])
        except (zlib.error, ValueError) as e:
            fail(f"{rid}: no record at offset {r['package_offset']} ({e})")
            continue
        if label(raw) != r["record_digest"]:
            fail(f"{rid}: the record hashes to {label(raw)}, not {r['record_digest']}")
        d = unlabel(r["record_digest"])
        if label(unlabel(r["chain_before"]) + d) != r["chain"]:
            fail(f"{rid}: its chain value does not follow from chain_before and its digest")
        if name not in heads:
            fail(f"{rid}: node '{name}' has no verified head")
            continue
        size, root = heads[name]
        proof = [base64.b64decode(p) for p in r.get("log_proof", [])]
        leaf = hashlib.sha256(b"\x00" + d).digest()
        if not inclusion_ok(proof, size, root, r["chain_seq"] - 1, leaf):
            fail(f"{rid}: its inclusion proof does not lead to node '{name}'s signed head")

    for f in failures:
        print(f, file=sys.stderr)
    for name, (key, _) in nodes.items():
        summary.setdefault(name, {"records": 0, "captures": 0})["key_fingerprint"] = label(bytes.fromhex(key))
    print(json.dumps({"signer": custody.get("node", ""), "nodes": summary, "failures": len(failures)}))
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1]))
    except (KeyError, ValueError, IndexError, AssertionError, zipfile.BadZipFile) as e:
        print(f"not a readable nightjar package: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
