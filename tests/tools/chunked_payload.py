"""Second opinion on payload digests of chunked responses, using warcio's own parser.

`warcio check` hashes the HTTP message body as stored, chunk framing included, so it
reports a payload-digest failure for every chunked response whose WARC-Payload-Digest
follows WARC 1.1 (the entity body, transfer-coding removed; RFC 2616 sec. 4.3, 7.2).
This script de-chunks those bodies with warcio's ChunkedDataReader and prints, for
each chunked response record, `OFFSET ok` when the header matches the de-chunked body
and `OFFSET bad` otherwise.

usage: python3 chunked_payload.py FILE.warc
"""
import base64
import hashlib
import sys

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader


def main(path):
    with open(path, "rb") as f:
        it = ArchiveIterator(f, check_digests=False)
        for rec in it:
            if rec.rec_type != "response" or rec.http_headers is None:
                continue
            te = (rec.http_headers.get_header("Transfer-Encoding") or "").lower()
            if "chunked" not in te:
                continue
            reader = ChunkedDataReader(rec.raw_stream, decomp_type=None)
            # read() without a size: sized reads may return b"" at a chunk boundary.
            digest = hashlib.sha256(reader.read())
            offset = it.get_record_offset()
            claimed = rec.rec_headers.get_header("WARC-Payload-Digest") or ""
            algo, _, value = claimed.partition(":")
            ours = digest.hexdigest()
            if algo.lower() == "sha256" and len(value) == 52:
                ours_cmp = base64.b32encode(digest.digest()).decode()
                ok = value.upper() == ours_cmp
            else:
                ok = value.lower() == ours
            print(offset, "ok" if ok else "bad")


if __name__ == "__main__":
    main(sys.argv[1])
