//! A web site on 127.0.0.1 whose pages a test edits between crawls.
//!
//! Monitoring tests need a site that changes under their control: a page's text edited, a
//! token rotated, a page deleted, the whole host down and back on the same port. [`Site`]
//! serves whatever pages the test has put (`put`, `remove`), answers `If-None-Match` with
//! `304` when a page has an ETag that matches, counts requests per path (a body holding
//! `{hits}` shows that count, so it changes every time), and can be stopped
//! and started again on the same port. Unknown paths get 404. One request per connection,
//! `Connection: close`, every response with `Content-Length`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One page as served.
#[derive(Clone, Debug)]
pub struct Page {
    /// Status code.
    pub status: u16,
    /// Content-Type.
    pub content_type: String,
    /// Body.
    pub body: Vec<u8>,
    /// ETag header, if any (enables 304 answers).
    pub etag: Option<String>,
    /// Location header, if any.
    pub location: Option<String>,
    /// Further headers (`Retry-After`, …).
    pub headers: Vec<(String, String)>,
}

impl Page {
    /// A 200 HTML page.
    pub fn html(body: impl Into<String>) -> Page {
        Page {
            status: 200,
            content_type: "text/html; charset=utf-8".into(),
            body: body.into().into_bytes(),
            etag: None,
            location: None,
            headers: Vec::new(),
        }
    }

    /// A 302 to `to`, with a fixed short body.
    pub fn redirect(to: &str) -> Page {
        Page {
            status: 302,
            content_type: "text/html".into(),
            body: b"<html><body>Moved</body></html>".to_vec(),
            etag: None,
            location: Some(to.to_string()),
            headers: Vec::new(),
        }
    }

    /// A page with another status.
    pub fn status(status: u16, body: &str) -> Page {
        Page {
            status,
            ..Page::html(body)
        }
    }

    /// The same page with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Page {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The same page with an ETag.
    pub fn with_etag(mut self, etag: &str) -> Page {
        self.etag = Some(format!("\"{etag}\""));
        self
    }
}

#[derive(Default)]
struct State {
    pages: HashMap<String, Page>,
    hits: HashMap<String, usize>,
    /// Request heads received, in order.
    requests: Vec<String>,
    /// When each request came, and for which path.
    times: Vec<(std::time::Instant, String)>,
    /// Pages served in turn: the first request gets the first, and so on; the last stays.
    sequences: HashMap<String, Vec<Page>>,
}

/// The site; stops serving when dropped.
pub struct Site {
    port: u16,
    state: Arc<Mutex<State>>,
    running: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl Site {
    /// Starts an empty site on a free port.
    pub fn start() -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let mut site = Site {
            port,
            state: Arc::default(),
            running: None,
        };
        site.serve(listener);
        site
    }

    /// A two-page ad board: `/` links to `/ad.html`, whose text is `ad`.
    pub fn board(ad: &str) -> Site {
        let site = Site::start();
        site.put(
            "/",
            Page::html("<html><body><h1>Board</h1><a href=\"/ad.html\">ad</a></body></html>"),
        );
        site.put(
            "/ad.html",
            Page::html(format!("<html><body>{ad}</body></html>")),
        );
        site
    }

    fn serve(&mut self, listener: TcpListener) {
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, state) = (stop.clone(), self.state.clone());
        let handle = std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let state = state.clone();
                        std::thread::spawn(move || answer(stream, &state));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        self.running = Some((stop, handle));
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://HOST:PORT/PATH` for a host name mapped to this site.
    pub fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }

    /// `--resolve` value mapping `host` to this site.
    pub fn resolve(&self, host: &str) -> String {
        format!("{host}:{}:127.0.0.1", self.port)
    }

    /// Serves `page` at `path` from now on.
    pub fn put(&self, path: &str, page: Page) {
        self.state
            .lock()
            .unwrap()
            .pages
            .insert(path.to_string(), page);
    }

    /// Serves `pages` at `path` one request each, in order; the last one stays.
    pub fn put_sequence(&self, path: &str, pages: Vec<Page>) {
        assert!(!pages.is_empty());
        let mut s = self.state.lock().unwrap();
        s.pages.remove(path);
        s.sequences.insert(path.to_string(), pages);
    }

    /// When each request came (since an arbitrary start), and for which path, in order.
    pub fn request_times(&self) -> Vec<(std::time::Instant, String)> {
        self.state.lock().unwrap().times.clone()
    }

    /// `path` answers 404 from now on.
    pub fn remove(&self, path: &str) {
        self.state.lock().unwrap().pages.remove(path);
    }

    /// Requests received for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .hits
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// Request heads received, in order.
    pub fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Takes the host down: the port refuses connections until [`Site::up`].
    pub fn down(&mut self) {
        if let Some((stop, handle)) = self.running.take() {
            stop.store(true, Ordering::SeqCst);
            handle.join().unwrap();
        }
    }

    /// Brings the host back on the same port.
    pub fn up(&mut self) {
        if self.running.is_some() {
            return;
        }
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("rebind the same port");
        self.serve(listener);
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.down();
    }
}

fn answer(mut stream: TcpStream, state: &Mutex<State>) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.set_nonblocking(false).unwrap();
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let path = text
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_string();
    let if_none_match = text.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("if-none-match")
            .then(|| v.trim().to_string())
    });
    let page = {
        let mut s = state.lock().unwrap();
        *s.hits.entry(path.clone()).or_insert(0) += 1;
        s.requests.push(text.clone());
        s.times.push((std::time::Instant::now(), path.clone()));
        let nth = s.hits[&path];
        match s.sequences.get(&path) {
            Some(seq) => seq.get(nth - 1).or(seq.last()).cloned(),
            None => s.pages.get(&path).cloned(),
        }
    };
    let page = page.unwrap_or(Page {
        status: 404,
        content_type: "text/html".into(),
        body: b"<html><body><p>Not found</p></body></html>".to_vec(),
        etag: None,
        location: None,
        headers: Vec::new(),
    });
    let mut page = page;
    // A page whose body holds `{hits}` changes with every request.
    let hits = state.lock().unwrap().hits[&path];
    if let Ok(text) = std::str::from_utf8(&page.body) {
        page.body = text.replace("{hits}", &hits.to_string()).into_bytes();
    }
    let not_modified = page.etag.is_some() && page.etag == if_none_match;
    let reason = match (not_modified, page.status) {
        (true, _) => "Not Modified",
        (_, 200) => "OK",
        (_, 404) => "Not Found",
        (_, 410) => "Gone",
        (_, 302) => "Found",
        (_, 429) => "Too Many Requests",
        (_, 500) => "Internal Server Error",
        (_, 503) => "Service Unavailable",
        _ => "Other",
    };
    let mut out = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nConnection: close\r\n",
        if not_modified { 304 } else { page.status },
        page.content_type
    );
    if let Some(e) = &page.etag {
        out.push_str(&format!("ETag: {e}\r\n"));
    }
    if let Some(l) = &page.location {
        out.push_str(&format!("Location: {l}\r\n"));
    }
    for (k, v) in &page.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    if not_modified {
        out.push_str("\r\n");
        let _ = stream.write_all(out.as_bytes());
        return;
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", page.body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&page.body);
    let _ = stream.write_all(&bytes);
}
