//! A members-only forum on 127.0.0.1, for the closed-environment tests.
//!
//! What the forums and markets nightjar watches do, on a small scale: a login form with a
//! CSRF token tied to a pre-login cookie; an image CAPTCHA whose answer a test reads from
//! [`Forum::captcha_answer`] (standing in for the person who reads the image); sessions that
//! end after a number of member pages or a time; a soft "Please log in" page, or the login
//! form in place of the page, answered with 200 to a visitor without a session; logout and delete links on every member page; and threads only
//! members see. Every request is kept (method, path, head and body) so that a test can prove
//! what nightjar did and did not ask for.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{plain_warc, Workspace};

/// The forum's only account.
pub const USER: &str = "agent-smith";
/// Its password.
pub const PASSWORD: &str = "Tr0ub4dor&3-horse";
/// The text members' pages show.
pub const MEMBER_TEXT: &str = "Logged in as";
/// The soft "not logged in" page's text.
pub const LOGGED_OUT_TEXT: &str = "Please log in";

/// One request as received.
#[derive(Clone, Debug)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// Path and query.
    pub path: String,
    /// The head, as text.
    pub head: String,
    /// The body.
    pub body: String,
}

#[derive(Default)]
struct State {
    requests: Vec<Request>,
    /// Pre-login cookie → (CSRF token, CAPTCHA answer).
    pre: HashMap<String, (String, String)>,
    /// Session cookie → (member pages left, when the session began).
    sessions: HashMap<String, (usize, Instant)>,
    /// Every cookie value the forum ever set.
    issued: Vec<String>,
    last_captcha: Option<String>,
    logins_ok: usize,
    logins_refused: usize,
    counter: u64,
}

/// The forum; stops serving when dropped.
pub struct Forum {
    port: u16,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    /// Threads `/thread/1` … `/thread/N`.
    pub threads: usize,
}

/// How the forum behaves.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// Threads members can read.
    pub threads: usize,
    /// A session ends after this many member pages.
    pub pages_per_session: usize,
    /// Whether the login form has a CAPTCHA.
    pub captcha: bool,
    /// A session also ends this long after its login, whatever was read.
    pub session_life: Option<Duration>,
    /// What a visitor who is not logged in gets for a members' page.
    pub logged_out: LoggedOut,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            threads: 2,
            pages_per_session: 100,
            captcha: false,
            session_life: None,
            logged_out: LoggedOut::PleaseLogIn,
        }
    }
}

/// The page a members' URL shows a visitor who is not logged in (both answered with 200).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoggedOut {
    /// "Please log in to read this board" and a link to the login page.
    PleaseLogIn,
    /// The login form itself, in place of the page, with no telling text.
    LoginForm,
}

impl Forum {
    /// Starts the forum on a free port.
    pub fn start(rules: Rules) -> Forum {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let state: Arc<Mutex<State>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (s, flag) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let s = s.clone();
                        std::thread::spawn(move || serve(stream, &s, rules));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Forum {
            port,
            state,
            stop,
            threads: rules.threads,
        }
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The answer of the CAPTCHA image served last (the side channel standing in for a
    /// person reading it).
    pub fn captcha_answer(&self) -> Option<String> {
        self.state.lock().unwrap().last_captcha.clone()
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Every cookie value the forum set (session and pre-login cookies, CSRF tokens).
    pub fn secrets_issued(&self) -> Vec<String> {
        self.state.lock().unwrap().issued.clone()
    }

    /// Asserts that `written` holds no secret: not the password, nor any cookie value the
    /// forum set (CSRF tokens are in the login page itself, archived as served).
    pub fn assert_no_secret_in(&self, written: &str) {
        let cookies = self.secrets_issued();
        let secrets = cookies.iter().filter(|s| !s.starts_with("csrf"));
        for secret in std::iter::once(&PASSWORD.to_string()).chain(secrets) {
            assert!(
                !written.contains(secret.as_str()),
                "{secret} was written or said"
            );
        }
    }

    /// Logins taken and refused.
    pub fn logins(&self) -> (usize, usize) {
        let s = self.state.lock().unwrap();
        (s.logins_ok, s.logins_refused)
    }

    /// Ends every session now (as a site that restarts or logs everyone out).
    pub fn end_sessions(&self) {
        self.state.lock().unwrap().sessions.clear();
    }
}

impl Drop for Forum {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn cookie(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.trim().eq_ignore_ascii_case("cookie"))
        .flat_map(|(_, v)| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn form_field(body: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn page(title: &str, body: &str) -> String {
    format!("<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>")
}

fn login_page(csrf: &str, captcha: bool, note: &str) -> String {
    let captcha = if captcha {
        r#"<img src="/captcha.png" alt="captcha"> <input name="captcha" autocomplete="off">"#
    } else {
        ""
    };
    page(
        "Log in",
        &format!(
            r#"<h1>Log in</h1><p>{note}</p><form method="post" action="/login"><input type="hidden" name="csrf" value="{csrf}"><input name="user"><input type="password" name="pass">{captcha}<button type="submit" name="go" value="1">Log in</button></form>"#
        ),
    )
}

fn member_page(title: &str, links: &[(String, String)]) -> String {
    let mut body = format!("<h1>{title}</h1><p>{MEMBER_TEXT} {USER}.</p>");
    for (href, text) in links {
        body.push_str(&format!("<a href=\"{href}\">{text}</a> "));
    }
    body.push_str(concat!(
        "<a href=\"/logout\">Log out</a> ",
        "<a href=\"/post/delete?id=3\">Delete</a> ",
        "<a href=\"/report/7\">Report</a> "
    ));
    page(title, &body)
}

/// (status, extra headers, content type, body)
type Answer = (u16, Vec<(String, String)>, &'static str, Vec<u8>);

fn route(req: &Request, s: &mut State, rules: Rules) -> Answer {
    let html = |status: u16, headers: Vec<(String, String)>, body: String| -> Answer {
        (
            status,
            headers,
            "text/html; charset=utf-8",
            body.into_bytes(),
        )
    };
    s.counter += 1;
    let fresh = |s: &mut State, what: &str| {
        let v = format!(
            "{what}{:016x}",
            s.counter.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5bd1_e995
        );
        s.counter += 1;
        s.issued.push(v.clone());
        v
    };
    // The login page: a pre-login cookie tied to a fresh CSRF token and CAPTCHA code.
    let fresh_login = |s: &mut State| {
        let pre = fresh(s, "pre");
        let csrf = fresh(s, "csrf");
        let code = format!("{:05}", (s.counter * 7919) % 100_000);
        s.pre.insert(pre.clone(), (csrf.clone(), code));
        html(
            200,
            vec![("Set-Cookie".into(), format!("pre={pre}; Path=/; HttpOnly"))],
            login_page(&csrf, rules.captcha, ""),
        )
    };
    let path = req.path.split('?').next().unwrap_or("/");
    match (req.method.as_str(), path) {
        ("GET", "/login") => fresh_login(s),
        ("GET", "/captcha.png") => {
            let Some((_, code)) = cookie(&req.head, "pre").and_then(|p| s.pre.get(&p).cloned())
            else {
                return html(403, vec![], page("No", "no login under way"));
            };
            s.last_captcha = Some(code);
            (200, vec![], "image/png", super::fixture::logo_png())
        }
        ("POST", "/login") => {
            let pre = cookie(&req.head, "pre").and_then(|p| s.pre.remove(&p));
            let ok = pre.as_ref().is_some_and(|(csrf, code)| {
                form_field(&req.body, "csrf").as_deref() == Some(csrf)
                    && form_field(&req.body, "user").as_deref() == Some(USER)
                    && form_field(&req.body, "pass").as_deref() == Some(PASSWORD)
                    && (!rules.captcha || form_field(&req.body, "captcha").as_deref() == Some(code))
            });
            if !ok {
                s.logins_refused += 1;
                return html(
                    200,
                    vec![],
                    login_page("", rules.captcha, "Wrong user name, password or code."),
                );
            }
            s.logins_ok += 1;
            let sid = fresh(s, "sid");
            s.sessions
                .insert(sid.clone(), (rules.pages_per_session, Instant::now()));
            (
                302,
                vec![
                    ("Location".into(), "/".into()),
                    ("Set-Cookie".into(), format!("sid={sid}; Path=/; HttpOnly")),
                    ("Set-Cookie".into(), "pre=; Path=/; Max-Age=0".into()),
                ],
                "text/html",
                b"<html><body>Welcome</body></html>".to_vec(),
            )
        }
        ("GET", "/logout") | ("GET", "/post/delete") | ("GET", "/report/7") => {
            if let Some(sid) = cookie(&req.head, "sid") {
                s.sessions.remove(&sid);
            }
            html(200, vec![], page("Done", "done"))
        }
        ("GET", "/robots.txt") => (
            200,
            vec![],
            "text/plain",
            b"User-agent: *\nAllow: /\n".to_vec(),
        ),
        ("GET", p) if p == "/" || p.starts_with("/thread/") => {
            let member = cookie(&req.head, "sid").filter(|sid| match s.sessions.get_mut(sid) {
                Some((left, began))
                    if *left > 0
                        && rules.session_life.is_none_or(|life| began.elapsed() < life) =>
                {
                    *left -= 1;
                    true
                }
                _ => {
                    s.sessions.remove(sid);
                    false
                }
            });
            if member.is_none() {
                return match rules.logged_out {
                    LoggedOut::PleaseLogIn => html(
                        200,
                        vec![],
                        page("Members only", &format!("<p>{LOGGED_OUT_TEXT} to read this board.</p><a href=\"/login\">Log in</a>")),
                    ),
                    LoggedOut::LoginForm => fresh_login(s),
                };
            }
            let links: Vec<(String, String)> = (1..=rules.threads)
                .map(|n| (format!("/thread/{n}"), format!("Thread {n}")))
                .collect();
            match p.strip_prefix("/thread/") {
                None => html(200, vec![], member_page("Board", &links)),
                Some(n)
                    if n.parse::<usize>()
                        .is_ok_and(|n| (1..=rules.threads).contains(&n)) =>
                {
                    html(
                        200,
                        vec![],
                        member_page(&format!("Thread {n}: members' listing {n}"), &links[..1]),
                    )
                }
                Some(_) => html(404, vec![], page("Not found", "no such thread")),
            }
        }
        _ => html(404, vec![], page("Not found", "not found")),
    }
}

fn serve(mut stream: TcpStream, state: &Mutex<State>, rules: Rules) {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
        if raw.len() > 64 * 1024 {
            return;
        }
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    while raw.len() < head_end + length.min(64 * 1024) {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
    let mut first = head.lines().next().unwrap_or("").split(' ');
    let req = Request {
        method: first.next().unwrap_or("").to_string(),
        path: first.next().unwrap_or("/").to_string(),
        body: String::from_utf8_lossy(&raw[head_end..]).into_owned(),
        head,
    };
    let (status, headers, content_type, body) = {
        let mut s = state.lock().unwrap();
        s.requests.push(req.clone());
        route(&req, &mut s, rules)
    };
    let mut out = format!("HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&body);
}

// What the tests of closed environments share: the seed, the API calls a person makes.

/// The forum's seed with a form login: the credentials in a file of mode 600, and the
/// session's markers. Returns the workspace; the forum is reached as `host` (resolved to
/// 127.0.0.1 for a direct crawl, an onion name through Tor).
pub fn forum_seed(ws: &Workspace, root: &str, password: &str, session_keys: &str) {
    let markers =
        format!("logged_in_text = \"{MEMBER_TEXT}\"\nlogged_out_text = [\"{LOGGED_OUT_TEXT}\"]\n");
    forum_seed_marked(ws, root, password, &markers, session_keys)
}

/// [`forum_seed`] with the session's markers given (`logged_in_text = …` lines).
pub fn forum_seed_marked(
    ws: &Workspace,
    root: &str,
    password: &str,
    markers: &str,
    session_keys: &str,
) {
    ws.write_seeds("forum.cred", format!("{USER}\n{password}\n"))
        .unwrap();
    std::fs::set_permissions(
        ws.dir.path().join("seeds/forum.cred"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    ws.write_seeds(
        "forum.toml",
        format!(
            "[[seed]]\nlabel = \"forum\"\nurl = \"{root}\"\nrecrawl = \"never\"\nmax_depth = 1\n[seed.session]\naccount = \"watcher-1\"\nlogin_url = \"{root}login\"\ncredentials = \"forum.cred\"\nusername_field = \"user\"\npassword_field = \"pass\"\ncaptcha_field = \"captcha\"\n{markers}user_agent = \"Mozilla/5.0 (one steady visitor)\"\n{session_keys}"
        ),
    )
    .unwrap();
}

/// `GET` or `POST` on the API as `token`: status and JSON body.
pub fn api(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
) -> (u16, serde_json::Value) {
    let (status, _, body) = super::http_request(addr, method, path, Some(token), body);
    (
        status,
        serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
    )
}

/// The open tasks.
pub fn open_tasks(addr: &str, token: &str) -> Vec<serde_json::Value> {
    let (status, v) = api(addr, "GET", "/api/v1/tasks?state=open", token, None);
    assert_eq!(status, 200, "{v}");
    v["tasks"].as_array().cloned().unwrap_or_default()
}

/// Answers CAPTCHA tasks through the API, as the console does (the answer read from the
/// forum's side channel, standing in for the person), until `done` holds; returns how many
/// were answered. Each task's image is the archived one, a PNG.
pub fn answer_captchas(
    forum: &super::forum::Forum,
    addr: &str,
    token: &str,
    within: std::time::Duration,
    mut done: impl FnMut() -> bool,
) -> usize {
    let until = std::time::Instant::now() + within;
    let mut answered = 0;
    while !done() {
        assert!(
            std::time::Instant::now() < until,
            "not done after {answered} CAPTCHAs answered"
        );
        let tasks = open_tasks(addr, token);
        if let Some(t) = tasks.first() {
            assert_eq!(t["kind"], "captcha", "{t}");
            assert_eq!(t["account"], "watcher-1");
            let id = t["id"].as_str().unwrap();
            let (status, head, image) = super::http_request(
                addr,
                "GET",
                &format!("/api/v1/tasks/{id}/captcha"),
                Some(token),
                None,
            );
            assert_eq!(status, 200);
            assert!(head.contains("content-type: image/png"), "{head}");
            assert_eq!(image, super::fixture::logo_png(), "the archived image");
            let answer = forum.captcha_answer().expect("the forum served a CAPTCHA");
            let (status, v) = api(
                addr,
                "POST",
                &format!("/api/v1/tasks/{id}/answer"),
                token,
                Some(&format!("{{\"captcha\": \"{answer}\"}}")),
            );
            assert_eq!(status, 200, "{v}");
            assert_eq!(v["by"], "token:ops", "{v}");
            answered += 1;
            // A second answer to the same task is refused.
            let (again, _) = api(
                addr,
                "POST",
                &format!("/api/v1/tasks/{id}/answer"),
                token,
                Some("{\"captcha\": \"x\"}"),
            );
            assert_eq!(again, 409);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    answered
}

/// Every change class of each URL under `root`.
pub fn classes_by_url(ws: &Workspace) -> std::collections::BTreeMap<String, Vec<String>> {
    let rows = ws.query_text(
        "SELECT c.url || ' ' || ch.class FROM captures c JOIN changes ch ON ch.capture_id = c.id ORDER BY c.id",
    );
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for r in rows {
        let (u, c) = r.rsplit_once(' ').unwrap();
        out.entry(u.to_string()).or_default().push(c.to_string());
    }
    out
}

/// Asserts that no capture was counted as changed (a logout is not a change of every
/// page) and that a page served logged out was archived, as `logged-out`.
pub fn assert_logouts_are_not_changes(ws: &Workspace) {
    let classes = classes_by_url(ws);
    for (url, c) in &classes {
        assert!(
            !c.iter().any(|c| c == "changed"),
            "{url} counted as changed: {c:?}"
        );
    }
    assert!(
        classes.values().flatten().any(|c| c == "logged-out"),
        "the page served logged out is archived, as logged-out: {classes:?}"
    );
}

/// Everything nightjar wrote or said: the plain WARC files, the database, the log and the
/// given API answers.
pub fn everything_written(ws: &Workspace, log: &str, answers: &[String]) -> String {
    let mut all = log.to_string();
    for f in ws.warc_files() {
        super::warcio_accepts(&f);
        all.push_str(&String::from_utf8_lossy(
            &std::fs::read(plain_warc(&f)).unwrap(),
        ));
    }
    for entry in walkdir(&ws.data()) {
        if !entry.to_string_lossy().ends_with(".warc.zst") {
            all.push_str(&String::from_utf8_lossy(
                &std::fs::read(&entry).unwrap_or_default(),
            ));
        }
    }
    for a in answers {
        all.push_str(a);
    }
    all
}

pub fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}
