"""The Scrapy side of the crawl benchmark: a minimal spider that follows every link and image
of the fixture web and archives each response as WARC with warcio, as a Scrapy user who
keeps evidence would. AutoThrottle and robots.txt are off; concurrency comes from the
command line (`-s CONCURRENT_REQUESTS=N`).

    scrapy runspider scrapy_spider.py -a start=URLS_FILE -a warc=OUT.warc.gz -s ...
"""

import io

import scrapy
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


class FixtureSpider(scrapy.Spider):
    name = "fixture"
    allowed_domains = ["bench.test"]
    custom_settings = {
        "ROBOTSTXT_OBEY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "DEPTH_LIMIT": 0,
    }

    def __init__(self, start, warc, **kw):
        super().__init__(**kw)
        with open(start) as f:
            self.start_urls = f.read().split()
        self.out = open(warc, "wb")
        self.writer = WARCWriter(self.out, gzip=True)

    def closed(self, reason):
        self.out.close()

    def archive(self, response):
        reason = response.status  # Scrapy keeps no reason phrase; the number stands in.
        headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, vs in response.headers.items()
            for v in vs
        ]
        http = StatusAndHeaders(f"{response.status} {reason}", headers, protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(response.body), http_headers=http
        )
        self.writer.write_record(record)

    def parse(self, response):
        self.archive(response)
        if not hasattr(response, "css"):
            return
        for href in response.css("a::attr(href), area::attr(href), img::attr(src)").getall():
            yield response.follow(href, callback=self.parse)
