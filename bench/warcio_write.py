#!/usr/bin/env python3
"""Writes the records of a plain WARC to a .warc.gz with warcio, timing only the writes.

    python3 bench/warcio_write.py IN.warc OUT.warc.gz

Every record is read into memory first (WARC and HTTP headers parsed, the rest of the
block as bytes), then written with WARCWriter(gzip=True), one gzip member per record, as
warcio writes them. Prints {"records", "seconds", "bytes_out"} as JSON. Part of
`nightjar-bench archive`; figures only.
"""

import json
import os
import sys
import time
from io import BytesIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter


def load(path):
    records = []
    with open(path, "rb") as f:
        for r in ArchiveIterator(f):
            rest = r.raw_stream.read()
            records.append((r.rec_type, r.rec_headers, r.http_headers, r.content_type, r.length, rest))
    return records


def main():
    src, dst = sys.argv[1], sys.argv[2]
    loaded = load(src)
    # Fresh record objects over in-memory streams: the writer may read each stream once.
    records = [
        ArcWarcRecord("warc", t, h, BytesIO(rest), http, ct, length, payload_length=len(rest))
        for t, h, http, ct, length, rest in loaded
    ]
    with open(dst, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        start = time.perf_counter()
        for r in records:
            writer.write_record(r)
        out.flush()
        seconds = time.perf_counter() - start
    print(json.dumps({"records": len(records), "seconds": seconds, "bytes_out": os.path.getsize(dst)}))


if __name__ == "__main__":
    main()
