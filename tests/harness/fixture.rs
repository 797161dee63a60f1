//! Local HTTP fixture for nightjar's integration tests.
//!
//! [`Fixture::start`] runs a small HTTP/1.1 server on `127.0.0.1` (random
//! port) that serves three virtual hosts — `site.test`, `other.test` and
//! `slow.test` — chosen by the request's `Host` header. The crawler under test
//! maps those names to `127.0.0.1` with its resolver override (see
//! [`Fixture::resolve_args`]), crawls, and the test then inspects what the
//! crawler asked for ([`Fixture::hits`]) and what it archived (compare with
//! [`Fixture::in_scope_pages`], [`big_body`], [`logo_png`]).
//!
//! The server is hand-written on `std::net::TcpListener` on purpose, rather
//! than built on an HTTP server library: the tests need control over the exact
//! bytes on the wire — chunk sizes and chunk extensions, a gzip body sent
//! regardless of `Accept-Encoding`, windows-1252 and invalid UTF-8 bytes,
//! relative and absolute `Location` headers, redirect loops — which a server
//! framework would normalise away. `httparse` only parses the request head.
//!
//! Protocol behaviour: one request per connection. The server reads one
//! request head (at most 64 KiB, else `431`), records it as a [`Hit`] *before*
//! answering (so once a client has a response, `hits()` includes its
//! request), writes the response with `Connection: close`, `Date`, a
//! `Content-Type` and a `Content-Length` (except `/chunked.html`, which is sent
//! with `Transfer-Encoding: chunked`), and closes. `HEAD` gets the same head
//! with no body; every other method is answered like `GET`. A request body is
//! never read as such (it is drained and dropped after the response). Each
//! connection is served on its own thread. Unknown hosts and unknown paths get
//! `404`.
//!
//! Site map of `site.test` (every link is written into the pages below):
//!
//! | path | response |
//! | --- | --- |
//! | `/robots.txt` | `User-agent: *` / `Disallow: /private/` |
//! | `/` | index; links every page below plus `http://other.test:PORT/`, `#top`, `mailto:` |
//! | `/a.html` | links `/` and `b/` |
//! | `/b/` | links `../a.html` and `c.html` |
//! | `/b/c.html`, `/base/sub/leaf.html` | plain pages |
//! | `/base/page.html` | `<base href="/base/sub/">` + `<a href="leaf.html">` |
//! | `/redirect/1` → `/2` → `/3` → `/final` | 302 (relative), 301 (absolute URL), 307 (relative), 200 |
//! | `/loop/a` ↔ `/loop/b` | 302 to each other, forever |
//! | `/gzip.html` | `Content-Encoding: gzip` always; links `/from-gzip.html` |
//! | `/chunked.html` | chunked, 4 chunks of different sizes, one with `;ext=1`; links `/from-chunked.html` |
//! | `/missing`, `/error` | 404 and 500 HTML |
//! | `/big.bin` | 10 MiB of [`big_body`] |
//! | `/latin1.html` | windows-1252 bytes, charset only in `<meta>`; links `/latin1-target.html` |
//! | `/broken.html` | malformed HTML with 0xff 0xfe bytes; unquoted `<a href=/from-broken.html>` |
//! | `/calendar/Y/M` | links next and previous month: an infinite crawler trap |
//! | `/private/secret.html` | disallowed by robots.txt |
//! | `/img/logo.png`, `/js/app.js`, `/css/style.css` | [`logo_png`], small script, small stylesheet |
//!
//! `other.test`: `/` links `/x.html`; any request to it means the crawler left
//! its scope. `slow.test`: `/robots.txt` says `Crawl-delay: 1`, `/` links
//! `/p1.html` … `/p4.html`.
//!
//! Only `127.0.0.1` is ever bound or connected to.

use std::borrow::Cow;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Every virtual host the fixture serves, in the order of
/// [`Fixture::resolve_args`].
pub const HOSTS: [&str; 3] = ["site.test", "other.test", "slow.test"];

/// Length of `/big.bin` on `site.test`: 10 MiB.
pub const BIG_LEN: usize = 10 * 1024 * 1024;

/// Largest request head (request line plus headers) the server accepts.
const MAX_HEAD: usize = 64 * 1024;
/// Most request headers the server accepts.
const MAX_HEADERS: usize = 128;
/// How long a connection may stay silent while its request is read.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write may block (a client that stops reading `/big.bin`).
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long to wait for the client to close after the response was sent.
const LINGER: Duration = Duration::from_secs(1);

/// A running fixture server; dropping it stops the server.
pub struct Fixture {
    /// The port on `127.0.0.1` that every virtual host is served on.
    pub port: u16,
    log: Arc<Mutex<Vec<Hit>>>,
    shutdown: Arc<AtomicBool>,
    accept_thread: Option<JoinHandle<()>>,
}

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Hit {
    /// When the request head had been fully read.
    pub at: Instant,
    /// `Host` header without its port, lower-cased (`""` if absent). For an
    /// absolute-form request target (`GET http://h:p/x`), the target's host.
    pub host: String,
    /// Path and query exactly as requested (for an absolute-form target, the
    /// part from the first `/` after the authority on, or `/`).
    pub path: String,
    /// Request method as sent, e.g. `GET` or `HEAD`.
    pub method: String,
    /// Every request header in the order sent, names as sent (not
    /// case-folded), values decoded lossily as UTF-8.
    pub headers: Vec<(String, String)>,
}

impl Hit {
    /// First header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Fixture {
    /// Binds `127.0.0.1:0` and serves on a background thread, one thread per
    /// connection. Panics if the port cannot be bound.
    pub fn start() -> Fixture {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("fixture: bind 127.0.0.1:0");
        let port = listener
            .local_addr()
            .expect("fixture: local_addr of listener")
            .port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let shutdown = Arc::new(AtomicBool::new(false));
        let accept_thread = {
            let log = Arc::clone(&log);
            let shutdown = Arc::clone(&shutdown);
            thread::Builder::new()
                .name(format!("fixture-accept-{port}"))
                .spawn(move || accept_loop(listener, port, log, shutdown))
                .expect("fixture: spawn accept thread")
        };
        Fixture {
            port,
            log,
            shutdown,
            accept_thread: Some(accept_thread),
        }
    }

    /// Every request received so far, in arrival order.
    pub fn hits(&self) -> Vec<Hit> {
        lock(&self.log).clone()
    }

    /// The requests received so far for `host` (compared case-insensitively,
    /// without port), in arrival order.
    pub fn hits_for(&self, host: &str) -> Vec<Hit> {
        let host = strip_port(host);
        lock(&self.log)
            .iter()
            .filter(|hit| hit.host.eq_ignore_ascii_case(host))
            .cloned()
            .collect()
    }

    /// curl-style resolver overrides, `"HOST:PORT:127.0.0.1"`, one per entry
    /// of [`HOSTS`].
    pub fn resolve_args(&self) -> Vec<String> {
        HOSTS
            .iter()
            .map(|host| format!("{host}:{}:127.0.0.1", self.port))
            .collect()
    }

    /// `"http://HOST:PORT/path"`; a missing leading `/` on `path` is added.
    pub fn url(&self, host: &str, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("http://{host}:{}{slash}{path}", self.port)
    }

    /// Every path on `site.test` that a complete crawl of
    /// `http://site.test:PORT/` (scope: that host, depth >= 6, robots.txt
    /// obeyed) must capture: `/robots.txt`, every page, asset, redirect hop and
    /// loop hop, and the 404 and 500 responses. Left out: `/private/` (robots)
    /// and `/calendar/…` (an infinite trap bounded only by depth, which is
    /// tested separately).
    pub fn in_scope_pages() -> Vec<&'static str> {
        vec![
            "/robots.txt",
            "/",
            "/a.html",
            "/b/",
            "/b/c.html",
            "/base/page.html",
            "/base/sub/leaf.html",
            "/redirect/1",
            "/redirect/2",
            "/redirect/3",
            "/redirect/final",
            "/loop/a",
            "/loop/b",
            "/gzip.html",
            "/from-gzip.html",
            "/chunked.html",
            "/from-chunked.html",
            "/missing",
            "/error",
            "/big.bin",
            "/latin1.html",
            "/latin1-target.html",
            "/broken.html",
            "/from-broken.html",
            "/img/logo.png",
            "/js/app.js",
            "/css/style.css",
        ]
    }
}

impl Drop for Fixture {
    /// Stops accepting and joins the accept thread; afterwards the port is
    /// closed and connecting to it is refused. Connections already accepted
    /// finish on their own threads (bounded by the read/write timeouts).
    fn drop(&mut self) {
        self.shutdown.store(true, Ordering::SeqCst);
        let Some(handle) = self.accept_thread.take() else {
            return;
        };
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        // `accept()` blocks; a throwaway connection wakes it so that it sees
        // the flag. Repeat until the thread is gone, in case a wake-up
        // connection was lost (e.g. a full backlog).
        while !handle.is_finished() {
            let _ = TcpStream::connect_timeout(&addr, Duration::from_millis(500));
            thread::sleep(Duration::from_millis(2));
        }
        // A panic on the accept thread is not re-raised from a destructor.
        let _ = handle.join();
    }
}

/// The body of `/big.bin`: [`BIG_LEN`] bytes of xorshift64 output.
///
/// The generator is `x ^= x << 13; x ^= x >> 7; x ^= x << 17`, starting from
/// `x = 42`; each step's new `x` contributes its 8 little-endian bytes.
pub fn big_body() -> Vec<u8> {
    big_static().to_vec()
}

fn big_static() -> &'static [u8] {
    static BIG: OnceLock<Vec<u8>> = OnceLock::new();
    BIG.get_or_init(|| {
        let mut out = Vec::with_capacity(BIG_LEN);
        let mut x: u64 = 42;
        while out.len() < BIG_LEN {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            out.extend_from_slice(&x.to_le_bytes());
        }
        out.truncate(BIG_LEN);
        out
    })
}

/// The body of `/img/logo.png`: a valid 1x1 RGBA PNG (signature, IHDR, IDAT,
/// IEND, with correct CRCs).
pub fn logo_png() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        let len = u32::try_from(data.len()).expect("PNG chunk fits u32");
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&1u32.to_be_bytes()); // width
    ihdr.extend_from_slice(&1u32.to_be_bytes()); // height
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8 bit, RGBA, deflate, no filter, no interlace
    chunk(&mut png, b"IHDR", &ihdr);
    // One scanline: filter type 0, then one RGBA pixel.
    let scanline = [0u8, 0x2e, 0x6b, 0x3c, 0xff];
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&scanline).expect("zlib into Vec");
    let idat = z.finish().expect("zlib into Vec");
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

// ---------------------------------------------------------------------------
// Server plumbing
// ---------------------------------------------------------------------------

fn lock(log: &Mutex<Vec<Hit>>) -> MutexGuard<'_, Vec<Hit>> {
    // A panicking connection thread must not hide the log from the test.
    log.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn accept_loop(
    listener: TcpListener,
    port: u16,
    log: Arc<Mutex<Vec<Hit>>>,
    shutdown: Arc<AtomicBool>,
) {
    for conn in listener.incoming() {
        if shutdown.load(Ordering::SeqCst) {
            break;
        }
        match conn {
            Ok(stream) => {
                let log = Arc::clone(&log);
                // If the thread cannot be spawned the connection is dropped.
                let _ = thread::Builder::new()
                    .name(format!("fixture-conn-{port}"))
                    .spawn(move || serve(stream, port, &log));
            }
            // E.g. EMFILE or ECONNABORTED: back off briefly and go on.
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
    // `listener` is dropped here: the port is closed.
}

enum Incoming {
    Request(Hit),
    TooLarge,
    Malformed,
    Closed,
}

fn serve(mut stream: TcpStream, port: u16, log: &Mutex<Vec<Hit>>) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let (response, head_only) = match read_request(&mut stream) {
        Incoming::Request(hit) => {
            let head_only = hit.method.eq_ignore_ascii_case("HEAD");
            let response = route(&hit.host, &hit.path, port);
            lock(log).push(hit);
            (response, head_only)
        }
        Incoming::TooLarge => (
            html(431, page("431 Request Header Fields Too Large", "")),
            false,
        ),
        Incoming::Malformed => (html(400, page("400 Bad Request", "")), false),
        Incoming::Closed => return,
    };
    if write_response(&mut stream, &response, head_only).is_err() {
        return;
    }
    // Half-close, then read whatever the client still sends until it closes:
    // closing a socket with unread input would reset the connection and could
    // destroy the response before the client has read it.
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(LINGER));
    let mut sink = [0u8; 4096];
    let mut drained = 0usize;
    while drained < MAX_HEAD {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

fn read_request(stream: &mut TcpStream) -> Incoming {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let room = MAX_HEAD - buf.len();
        if room == 0 {
            return Incoming::TooLarge;
        }
        let want = room.min(chunk.len());
        let n = match stream.read(&mut chunk[..want]) {
            Ok(0) => return Incoming::Closed,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Incoming::Closed,
        };
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => return Incoming::Request(to_hit(&req)),
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => return Incoming::TooLarge,
            Err(_) => return Incoming::Malformed,
        }
    }
}

fn to_hit(req: &httparse::Request<'_, '_>) -> Hit {
    let at = Instant::now();
    let method = req.method.unwrap_or("").to_string();
    let target = req.path.unwrap_or("");
    let headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let header_host = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let (host, path) = match split_absolute_form(target) {
        Some((authority, path)) => (strip_port(authority).to_string(), path.to_string()),
        None => (strip_port(&header_host).to_string(), target.to_string()),
    };
    Hit {
        at,
        host: host.to_ascii_lowercase(),
        path,
        method,
        headers,
    }
}

/// For `http://authority/path?q` returns `(authority, "/path?q")`.
pub(crate) fn split_absolute_form(target: &str) -> Option<(&str, &str)> {
    let scheme_len = if target.len() >= 7 && target[..7].eq_ignore_ascii_case("http://") {
        7
    } else if target.len() >= 8 && target[..8].eq_ignore_ascii_case("https://") {
        8
    } else {
        return None;
    };
    let rest = &target[scheme_len..];
    match rest.find(['/', '?']) {
        Some(i) if rest.as_bytes()[i] == b'/' => Some((&rest[..i], &rest[i..])),
        Some(i) => Some((&rest[..i], "/")),
        None => Some((rest, "/")),
    }
}

/// `"h:80"` → `"h"`, `"[::1]:80"` → `"[::1]"`, `"h"` → `"h"`.
pub(crate) fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => &host[..=end],
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

pub(crate) enum Body {
    Full(Cow<'static, [u8]>),
    /// `(data, chunk extension)`; the terminating zero chunk is added.
    Chunked(Vec<(Vec<u8>, &'static str)>),
}

pub(crate) struct Response {
    pub(crate) status: u16,
    headers: Vec<(&'static str, String)>,
    pub(crate) body: Body,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        404 => "Not Found",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nDate: {}\r\nServer: nightjar-fixture\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        http_date(SystemTime::now()),
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match &response.body {
        Body::Full(bytes) => head.push_str(&format!("Content-Length: {}\r\n", bytes.len())),
        Body::Chunked(_) => head.push_str("Transfer-Encoding: chunked\r\n"),
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if head_only {
        return stream.flush();
    }
    match &response.body {
        Body::Full(bytes) => stream.write_all(bytes)?,
        Body::Chunked(chunks) => {
            for (data, ext) in chunks {
                stream.write_all(format!("{:x}{ext}\r\n", data.len()).as_bytes())?;
                stream.write_all(data)?;
                stream.write_all(b"\r\n")?;
                // Flush each chunk so that they leave as separate writes.
                stream.flush()?;
            }
            stream.write_all(b"0\r\n\r\n")?;
        }
    }
    stream.flush()
}

/// IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) fn http_date(t: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Days since 1970-01-01 → civil date (H. Hinnant's civil_from_days).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[((days + 4) % 7) as usize], // 1970-01-01 was a Thursday
        day,
        MONTHS[(month - 1) as usize],
        year,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
    )
}

// ---------------------------------------------------------------------------
// Content
// ---------------------------------------------------------------------------

const HTML: &str = "text/html; charset=utf-8";

fn respond(status: u16, content_type: &str, body: impl Into<Cow<'static, [u8]>>) -> Response {
    Response {
        status,
        headers: vec![("Content-Type", content_type.to_string())],
        body: Body::Full(body.into()),
    }
}

fn html(status: u16, body: String) -> Response {
    respond(status, HTML, body.into_bytes())
}

/// A complete UTF-8 HTML document with `body` inside `<body>`.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n{body}\n</body>\n</html>\n"
    )
}

/// A page without links.
fn plain(title: &str) -> Response {
    html(
        200,
        page(title, &format!("<p>This is {title}. It has no links.</p>")),
    )
}

fn not_found() -> Response {
    html(
        404,
        page("404 Not Found", "<p>Nothing lives at this address.</p>"),
    )
}

fn redirect(status: u16, location: String) -> Response {
    let mut response = html(
        status,
        page("Moved", "<p>This resource has moved (see Location).</p>"),
    );
    response.headers.push(("Location", location));
    response
}

fn route(host: &str, target: &str, port: u16) -> Response {
    let path = target.split('?').next().unwrap_or("");
    match host {
        "site.test" => site(path, port),
        "other.test" => other(path),
        "slow.test" => slow(path),
        // Reached through Tor: the onion service forwards here, and an exit reaches the
        // fixture by address (there is no DNS for test names at an exit).
        h if h.ends_with(".onion") => market(path),
        "127.0.0.1" => other(path),
        _ => not_found(),
    }
}

/// A small "market" served as an onion service: listings, a vendor page, a link to a
/// forged onion address (bad checksum) and to a retired v2 address, neither to be fetched.
fn market(path: &str) -> Response {
    match path {
        "/robots.txt" => not_found(),
        "/" => html(
            200,
            page(
                "Market",
                "<p><a href=\"/listing/1\">listing 1</a> <a href=\"/listing/2\">listing 2</a> \
                 <a href=\"/vendor/nightowl\">vendor</a> \
                 <a href=\"http://2gzyxb5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/\">forged</a> \
                 <a href=\"http://expyuzz4wqqyqhjn.onion/\">retired</a></p>",
            ),
        ),
        "/listing/1" | "/listing/2" => html(
            200,
            page("Listing", "<p>Contact: <a href=\"/vendor/nightowl\">nightowl</a></p>"),
        ),
        "/vendor/nightowl" => plain("Vendor nightowl"),
        _ => not_found(),
    }
}

fn site(path: &str, port: u16) -> Response {
    match path {
        "/robots.txt" => respond(
            200,
            "text/plain; charset=utf-8",
            &b"User-agent: *\nDisallow: /private/\n"[..],
        ),
        "/" => html(200, index_page(port)),
        "/a.html" => html(
            200,
            page(
                "Page A",
                "<p><a href=\"/\">home</a> and <a href=\"b/\">section b</a></p>",
            ),
        ),
        "/b/" => html(
            200,
            page(
                "Section B",
                "<p><a href=\"../a.html\">page a</a> and <a href=\"c.html\">page c</a></p>",
            ),
        ),
        "/b/c.html" => plain("Page C"),
        "/base/page.html" => html(
            200,
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<base href=\"/base/sub/\">\n<title>Base</title>\n</head>\n<body>\n<p><a href=\"leaf.html\">leaf (resolves against the base)</a></p>\n</body>\n</html>\n"
                .to_string(),
        ),
        "/base/sub/leaf.html" => plain("Leaf"),
        "/redirect/1" => redirect(302, "/redirect/2".to_string()),
        "/redirect/2" => redirect(301, format!("http://site.test:{port}/redirect/3")),
        "/redirect/3" => redirect(307, "/redirect/final".to_string()),
        "/redirect/final" => plain("Redirect target"),
        "/loop/a" => redirect(302, "/loop/b".to_string()),
        "/loop/b" => redirect(302, "/loop/a".to_string()),
        "/gzip.html" => gzip_page(),
        "/from-gzip.html" => plain("From gzip"),
        "/chunked.html" => chunked_page(),
        "/from-chunked.html" => plain("From chunked"),
        "/missing" => not_found(),
        "/error" => html(
            500,
            page("500 Internal Server Error", "<p>Something broke.</p>"),
        ),
        "/big.bin" => respond(200, "application/octet-stream", big_static()),
        "/latin1.html" => respond(200, "text/html", latin1_page()),
        "/latin1-target.html" => plain("Latin-1 target"),
        "/broken.html" => respond(200, HTML, broken_page()),
        "/from-broken.html" => plain("From broken"),
        "/private/secret.html" => plain("Secret (disallowed by robots.txt)"),
        "/img/logo.png" => respond(200, "image/png", logo_png()),
        "/js/app.js" => respond(
            200,
            "text/javascript; charset=utf-8",
            &b"document.documentElement.dataset.fixture = \"nightjar\";\n"[..],
        ),
        "/css/style.css" => respond(
            200,
            "text/css; charset=utf-8",
            &b"body { font-family: sans-serif; margin: 2em; }\nh1 { background: url(/img/logo.png) no-repeat; }\n"[..],
        ),
        _ => match path.strip_prefix("/calendar/") {
            Some(rest) => calendar(rest),
            None => not_found(),
        },
    }
}

fn index_page(port: u16) -> String {
    format!(
        "<!DOCTYPE html>
<html>
<head>
<meta charset=\"utf-8\">
<title>site.test</title>
<link rel=stylesheet href=\"/css/style.css\">
<script src=\"/js/app.js\"></script>
</head>
<body>
<h1 id=\"top\">site.test</h1>
<img src=\"/img/logo.png\" alt=\"logo\">
<ul>
<li><a href=\"a.html\">relative page</a></li>
<li><a href=\"/b/\">directory page</a></li>
<li><a href=\"/base/page.html\">page with a base href</a></li>
<li><a href=\"/redirect/1\">redirect chain</a></li>
<li><a href=\"/loop/a\">redirect loop</a></li>
<li><a href=\"/gzip.html\">gzip</a></li>
<li><a href=\"/chunked.html\">chunked</a></li>
<li><a href=\"/missing\">missing (404)</a></li>
<li><a href=\"/error\">error (500)</a></li>
<li><a href=\"/big.bin\">big download</a></li>
<li><a href=\"/latin1.html\">windows-1252 page</a></li>
<li><a href=\"/broken.html\">broken HTML</a></li>
<li><a href=\"/calendar/2026/01\">calendar</a></li>
<li><a href=\"/private/secret.html\">private</a></li>
<li><a href=\"http://other.test:{port}/\">another site</a></li>
<li><a href=\"#top\">back to top</a></li>
<li><a href=\"mailto:x@example.org\">mail</a></li>
</ul>
</body>
</html>
"
    )
}

fn gzip_page() -> Response {
    let body = page(
        "Gzip",
        "<p>Sent gzip-compressed. <a href=\"/from-gzip.html\">next</a></p>",
    );
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(body.as_bytes()).expect("gzip into Vec");
    let mut response = respond(200, HTML, z.finish().expect("gzip into Vec"));
    response
        .headers
        .push(("Content-Encoding", "gzip".to_string()));
    response
        .headers
        .push(("Vary", "Accept-Encoding".to_string()));
    response
}

/// Sizes of all but the last chunk of `/chunked.html`; the last takes the rest.
const CHUNK_SIZES: [usize; 3] = [16, 61, 200];
/// Index of the chunk that carries the `;ext=1` chunk extension.
const CHUNK_WITH_EXT: usize = 1;

fn chunked_page() -> Response {
    let filler = "<p>Filler paragraph so that the body spans several chunks.</p>\n".repeat(6);
    let body = page(
        "Chunked",
        &format!("{filler}<p><a href=\"/from-chunked.html\">next</a></p>"),
    )
    .into_bytes();
    let mut chunks = Vec::new();
    let mut rest = &body[..];
    for (i, size) in CHUNK_SIZES.iter().enumerate() {
        let (head, tail) = rest.split_at(*size);
        let ext = if i == CHUNK_WITH_EXT { ";ext=1" } else { "" };
        chunks.push((head.to_vec(), ext));
        rest = tail;
    }
    chunks.push((rest.to_vec(), ""));
    Response {
        status: 200,
        headers: vec![("Content-Type", HTML.to_string())],
        body: Body::Chunked(chunks),
    }
}

fn latin1_page() -> Vec<u8> {
    let mut body =
        b"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"windows-1252\">\n<title>caf".to_vec();
    body.push(0xe9);
    body.extend_from_slice(b"</title>\n</head>\n<body>\n<p>caf");
    body.push(0xe9); // é
    body.extend_from_slice(b" cr");
    body.push(0xe8); // è
    body.extend_from_slice(b"me, ");
    body.push(0x93); // “ (windows-1252 only; a C1 control in ISO-8859-1)
    body.extend_from_slice(b"quoted");
    body.push(0x94); // ”
    body.extend_from_slice(b", 5 ");
    body.push(0x80); // €
    body.extend_from_slice(
        b"</p>\n<p><a href=\"/latin1-target.html\">next</a></p>\n</body>\n</html>\n",
    );
    body
}

fn broken_page() -> Vec<u8> {
    let mut body = b"<html><head><title>Broken</title>\n<body>\n<div class=box id=main>\n<p>An <b>unclosed <i>paragraph\n</div></p></td>\n<p>Garbage bytes: ".to_vec();
    body.extend_from_slice(&[0xff, 0xfe]);
    body.extend_from_slice(
        b" in the text.\n<ul><li>item one<li>item two\n<a href=/from-broken.html>a link never closed\n<p align=center>trailing text with <em>open tags",
    );
    body
}

/// `rest` is `Y/M`: links to the next and the previous month.
pub(crate) fn calendar(rest: &str) -> Response {
    fn number(s: &str) -> Option<u32> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    }
    let mut parts = rest.split('/');
    let (Some(year), Some(month), None) = (parts.next(), parts.next(), parts.next()) else {
        return not_found();
    };
    let (Some(year), Some(month)) = (number(year), number(month)) else {
        return not_found();
    };
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
        return not_found();
    }
    let next = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let prev = if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    };
    let mut links = String::new();
    for ((y, m), label) in [(prev, "previous month"), (next, "next month")] {
        if (1..=9999).contains(&y) {
            links.push_str(&format!(
                "<p><a href=\"/calendar/{y}/{m:02}\">{label}</a></p>\n"
            ));
        }
    }
    html(200, page(&format!("Calendar {year}-{month:02}"), &links))
}

fn other(path: &str) -> Response {
    match path {
        "/" => html(
            200,
            page(
                "other.test",
                "<p>Out of scope. <a href=\"/x.html\">x</a></p>",
            ),
        ),
        "/x.html" => plain("other.test x"),
        _ => not_found(),
    }
}

fn slow(path: &str) -> Response {
    match path {
        "/robots.txt" => respond(
            200,
            "text/plain; charset=utf-8",
            &b"User-agent: *\nCrawl-delay: 1\n"[..],
        ),
        "/" => html(
            200,
            page(
                "slow.test",
                "<ul>\n<li><a href=\"/p1.html\">p1</a></li>\n<li><a href=\"/p2.html\">p2</a></li>\n<li><a href=\"/p3.html\">p3</a></li>\n<li><a href=\"/p4.html\">p4</a></li>\n</ul>",
            ),
        ),
        "/p1.html" => plain("slow.test p1"),
        "/p2.html" => plain("slow.test p2"),
        "/p3.html" => plain("slow.test p3"),
        "/p4.html" => plain("slow.test p4"),
        _ => not_found(),
    }
}
