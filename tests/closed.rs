//! Closed environments: forums and markets crawled without acting on them. Against real
//! servers on 127.0.0.1, with the real `nightjar` binary.

mod harness;

use harness::forum::{
    answer_captchas, api, assert_logouts_are_not_changes, classes_by_url, everything_written,
    forum_seed, open_tasks,
};
use harness::site::{Page, Site};
use harness::{plain_warc, stop_cleanly, wait_until, Workspace};

const HOST: &str = "forum.test";

/// A forum page: its own links, and on every page the links a member sees that act on the
/// site (log out, delete, report, vote, buy), by URL or only by their words.
fn forum_page(title: &str, links: &[(&str, &str)]) -> Page {
    let mut body = format!("<html><body><h1>{title}</h1>");
    for (href, text) in links {
        body.push_str(&format!("<a href=\"{href}\">{text}</a> "));
    }
    body.push_str(concat!(
        "<a href=\"/logout\">Sign off</a> ",
        "<a href=\"/ucp.php?mode=logout&amp;sid=42\">x</a> ",
        "<a href=\"/post/5?action=delete\">🗑</a> ",
        "<a href=\"/p/9/x\" title=\"Delete this post\"></a> ",
        "<a href=\"/p/10\">Remove</a> ",
        "<img src=\"/ucp.php?mode=logout&amp;from=sig\"> ",
        "<a href=\"/vote/up/3\">+1</a> ",
        "<a href=\"/cart/add?item=3\">Add</a> ",
        "<a href=\"/p/11\">Выйти</a> ",
        "<a href=\"/ban/7\">Ban user</a> ",
        "</body></html>"
    ));
    Page::html(body)
}

const ACTIONS: &[&str] = &[
    "/logout",
    "/ucp.php",
    "/post/5",
    "/p/9/x",
    "/p/10",
    "/vote/up/3",
    "/cart/add",
    "/p/11",
    "/ban/7",
];

/// Every path (with its query) the site was asked for.
fn requested(site: &Site) -> Vec<String> {
    site.request_times().into_iter().map(|(_, p)| p).collect()
}

fn forum() -> Site {
    let site = Site::start();
    site.put(
        "/",
        forum_page(
            "Board",
            &[
                ("/thread/1", "Selling documents, fast delivery"),
                ("/thread/2", "Rules"),
                ("/reports/annual", "Annual report"),
                ("/forum/buy-sell", "Buy & Sell"),
            ],
        ),
    );
    site.put(
        "/thread/1",
        forum_page("Thread 1", &[("/thread/2", "Next")]),
    );
    site.put("/thread/2", forum_page("Thread 2", &[]));
    site.put("/reports/annual", forum_page("Annual", &[]));
    site.put("/forum/buy-sell", forum_page("Market", &[]));
    for a in ACTIONS {
        site.put(a, Page::html("<html><body>done</body></html>"));
    }
    site
}

/// Links that would log the crawler out, delete, report, vote or buy are never requested,
/// whether their URL or only their words say so (in several languages); each capture's
/// metadata record lists them with the reason.
#[test]
fn links_that_act_on_the_site_are_never_followed_and_are_recorded() {
    let site = forum();
    let ws = Workspace::new("[politeness]\nrobots = \"ignore\"\nrate_per_sec = 100.0\n");
    ws.crawl(
        &site.url(HOST, "/"),
        &[site.resolve(HOST)],
        &["--depth", "3"],
    );
    for page in ["/", "/thread/1", "/thread/2"] {
        assert_eq!(site.hits(page), 1, "{page} crawled");
    }
    let asked = requested(&site);
    for a in ACTIONS {
        assert!(
            !asked.iter().any(|p| p.starts_with(a)),
            "{a} was requested: {asked:?}"
        );
    }
    // Sections whose names hold action words are pages: followed.
    assert_eq!(site.hits("/forum/buy-sell"), 1, "{asked:?}");
    assert_eq!(site.hits("/reports/annual"), 1, "{asked:?}");
    let text: String = ws
        .warc_files()
        .iter()
        .map(|f| std::fs::read_to_string(plain_warc(f)).unwrap_or_default())
        .collect();
    assert!(
        text.contains("action-link-not-followed: http://forum.test")
            && text.contains("/logout (its URL names an action (logout))"),
        "the metadata names the links not followed"
    );
    assert!(text.contains("its text \"Выйти\" names an action"));
}

/// A seed adds its own patterns and exempts URLs that only look like actions.
#[test]
fn a_seed_adds_patterns_and_exempts_urls() {
    let site = forum();
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\nrate_per_sec = 100.0\n[fetch]\nresolve = [\"{}\"]\n",
        site.resolve(HOST)
    ));
    ws.write_seeds(
        "forum.toml",
        format!(
            "[[seed]]\nlabel = \"forum\"\nurl = \"{}\"\nrecrawl = \"never\"\nmax_depth = 3\nnever_follow = [\"/thread/2$\"]\nalways_follow = [\"/vote/up/\"]\n",
            site.url(HOST, "/")
        ),
    )
    .unwrap();
    let bad = Workspace::new("");
    bad.write_seeds(
        "bad.toml",
        "[[seed]]\nlabel = \"b\"\nurl = \"http://forum.test/\"\nnever_follow_text = [\"(\"]\n",
    )
    .unwrap();
    let out = bad.run(&["seeds", "list"]);
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("never_follow_text: '('"), "{said}");

    let (child, log) = ws.spawn(&["run"]);
    wait_until(
        "the board crawled",
        std::time::Duration::from_secs(60),
        || site.hits("/thread/1") >= 1 && site.hits("/vote/up/3") >= 1,
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    stop_cleanly(child, &log);
    assert_eq!(site.hits("/thread/2"), 0, "the seed's never_follow");
    let asked = requested(&site);
    assert!(
        !asked
            .iter()
            .any(|p| p.starts_with("/logout") || p.starts_with("/cart")),
        "{asked:?}"
    );
    assert_eq!(site.hits("/vote/up/3"), 1, "the seed's always_follow");
}

/// A seed crawled logged in with cookies a person exported from a browser: every request
/// carries the session's cookies (and those the site sets on the way), no cookie value
/// reaches the archive or the log, and each capture's metadata names the account and
/// whether the page was served logged in.
#[test]
fn a_session_imported_from_cookies_is_carried_and_its_secrets_stay_out_of_the_archive() {
    const SECRET: &str = "S3CRET-COOKIE-VALUE-7f2a";
    const FRESH: &str = "N3W-SESSION-VALUE-91bc";
    let site = Site::start();
    site.put(
        "/",
        Page::html(
            "<html><body><p>Logged in as member-1</p><a href=\"/thread/1\">Offers</a></body></html>",
        ),
    );
    site.put(
        "/thread/1",
        Page::html(
            "<html><body><p>Logged in as member-1</p><a href=\"/thread/2\">More</a></body></html>",
        )
        .with_header("Set-Cookie", &format!("fresh={FRESH}; Path=/; HttpOnly")),
    );
    site.put(
        "/thread/2",
        Page::html("<html><body><p>Please log in to read this thread.</p></body></html>"),
    );
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\nrate_per_sec = 100.0\n[fetch]\nresolve = [\"{}\"]\n",
        site.resolve(HOST)
    ));
    let future = chrono::Utc::now().timestamp() + 86_400;
    ws.write_seeds(
        "forum.cookies.txt",
        format!("# Netscape HTTP Cookie File\n{HOST}\tFALSE\t/\tFALSE\t{future}\tsid\t{SECRET}\n"),
    )
    .unwrap();
    let cookies = ws.dir.path().join("seeds/forum.cookies.txt");
    let seed = format!(
        "[[seed]]\nlabel = \"forum\"\nurl = \"{}\"\nrecrawl = \"never\"\nmax_depth = 2\n[seed.session]\naccount = \"member-1\"\ncookies_file = \"forum.cookies.txt\"\nlogged_in_text = \"Logged in as\"\nlogged_out_text = [\"Please log in\"]\n",
        site.url(HOST, "/")
    );
    // A cookies file others may read is refused, naming the fix.
    std::fs::set_permissions(
        &cookies,
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    ws.write_seeds("forum.toml", &seed).unwrap();
    let out = ws.run(&["seeds", "list"]);
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("chmod 600"), "{said}");
    std::fs::set_permissions(
        &cookies,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();

    let (child, log) = ws.spawn(&["run"]);
    wait_until(
        "the thread crawled",
        std::time::Duration::from_secs(60),
        || site.hits("/thread/2") >= 1,
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    let logged = stop_cleanly(child, &log);

    let sent = site.requests();
    let to = |path: &str| {
        sent.iter()
            .find(|r| r.starts_with(&format!("GET {path} ")))
            .unwrap_or_else(|| panic!("no request for {path}: {sent:?}"))
            .clone()
    };
    assert!(to("/").contains(&format!("sid={SECRET}")), "{}", to("/"));
    let later = to("/thread/2");
    assert!(
        later.contains(&format!("sid={SECRET}")) && later.contains(&format!("fresh={FRESH}")),
        "the cookie the site set is carried: {later}"
    );

    // No secret in the archive, the database or the log; the WARC files are still sound.
    let mut everything = logged.clone();
    for f in ws.warc_files() {
        harness::warcio_accepts(&f);
        everything.push_str(&String::from_utf8_lossy(
            &std::fs::read(plain_warc(&f)).unwrap(),
        ));
    }
    everything.push_str(&String::from_utf8_lossy(&ws.database_bytes()));
    for secret in [SECRET, FRESH] {
        assert!(
            !everything.contains(secret),
            "{secret} reached the archive or the log"
        );
    }
    assert!(everything.contains("Cookie: sid=[redacted sha256:"));
    assert!(everything.contains("Set-Cookie: fresh=[redacted sha256:"));
    assert!(everything.contains("session-account: member-1"));
    assert!(everything.contains("session: logged-in"));
    assert!(everything.contains("session: lost: the page says \"Please log in\""));
    assert!(logged.contains("session lost"), "{logged}");
}

/// A page served while the session was lost is archived and marked, but it is not a change
/// of the members' page. The seed pauses (status says so, naming the cookies file) until a
/// person puts fresh cookies there; then the page is fetched again and compared with the last
/// one served logged in: the same page is `unchanged`, not "changed back".
#[test]
fn a_lost_session_pauses_its_seed_until_fresh_cookies_and_is_never_a_change() {
    let site = Site::start();
    let members = || {
        Page::html(
            "<html><body><p>Logged in as member-1</p><p>Listing 4411: documents</p></body></html>",
        )
    };
    site.put_sequence(
        "/",
        vec![
            members(),
            Page::html("<html><body><p>Please log in.</p><form>user pass</form></body></html>"),
            members(),
        ],
    );
    let (ws, future) = session_workspace(
        &site,
        "max_depth = 0\n",
        "logged_in_text = \"Logged in as\"\nlogged_out_text = [\"Please log in\"]\n",
    );
    let (child, log) = ws.spawn(&["run"]);
    wait_until(
        "the session lost",
        std::time::Duration::from_secs(60),
        || site.hits("/") >= 2,
    );
    // Paused: no request while the session is lost, although the page is due every 2 s.
    std::thread::sleep(std::time::Duration::from_secs(4));
    assert_eq!(site.hits("/"), 2, "a paused seed is not fetched");
    let status = ws.ok(&["status"]);
    assert!(
        status.contains("seeds paused, their logged-in session lost")
            && status.contains("forum since")
            && status.contains("forum.cookies.txt"),
        "{status}"
    );
    // A reload of the seeds (any edit in the seeds directory) does not resume it either.
    let seeds_file = ws.dir.path().join("seeds/forum.toml");
    let mut text = std::fs::read_to_string(&seeds_file).unwrap();
    text.push_str("# edited\n");
    std::fs::write(&seeds_file, text).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(4));
    assert_eq!(site.hits("/"), 2, "a reload does not resume a lost session");
    // A person logs in again and puts the new cookies in the file.
    ws.write_seeds(
        "forum.cookies.txt",
        format!("{HOST}\tFALSE\t/\tFALSE\t{future}\tsid\tdef\n"),
    )
    .unwrap();
    wait_until(
        "the crawl resumed",
        std::time::Duration::from_secs(60),
        || site.hits("/") >= 3,
    );
    std::thread::sleep(std::time::Duration::from_millis(700));
    assert!(
        site.requests()[2].contains("sid=def"),
        "the fresh cookies are used"
    );
    stop_cleanly(child, &log);
    let classes = ws.query_text("SELECT class FROM changes ORDER BY capture_id LIMIT 3");
    assert_eq!(classes, ["new", "logged-out", "unchanged"]);
}

/// A redirect to the site's login page (`login_url`) is a lost session too: archived as
/// `logged-out`, never followed to the login page, and the seed pauses.
#[test]
fn a_redirect_to_the_login_page_is_a_lost_session() {
    let site = Site::start();
    site.put_sequence(
        "/",
        vec![
            Page::html("<html><body><p>Logged in as member-1</p></body></html>"),
            Page::status(302, "").with_header("Location", "/login?next=/"),
        ],
    );
    site.put(
        "/login",
        Page::html("<html><body><form>user pass</form></body></html>"),
    );
    let login = format!("login_url = \"{}\"\n", site.url(HOST, "/login"));
    let (ws, _) = session_workspace(&site, "max_depth = 1\n", &login);
    let (child, log) = ws.spawn(&["run"]);
    wait_until("the redirect", std::time::Duration::from_secs(60), || {
        site.hits("/") >= 2
    });
    std::thread::sleep(std::time::Duration::from_secs(3));
    let status = ws.ok(&["status"]);
    stop_cleanly(child, &log);
    assert_eq!(site.hits("/"), 2, "paused after the redirect");
    assert!(
        !requested(&site).iter().any(|p| p.starts_with("/login")),
        "the login page is not followed"
    );
    assert!(status.contains("redirected to the login page"), "{status}");
    let classes = ws.query_text("SELECT class FROM changes ORDER BY capture_id LIMIT 2");
    assert_eq!(classes, ["new", "logged-out"]);
}

/// A workspace crawling `site` as the seed "forum" every 2 s, with `seed_keys` added to the
/// seed and `session_keys` to its session (account member-1, a cookie `sid=abc` in a file of
/// mode 600); also returns the cookie's expiry.
fn session_workspace(site: &Site, seed_keys: &str, session_keys: &str) -> (Workspace, i64) {
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\nrate_per_sec = 100.0\n[fetch]\nresolve = [\"{}\"]\n",
        site.resolve(HOST)
    ));
    let future = chrono::Utc::now().timestamp() + 86_400;
    ws.write_seeds(
        "forum.cookies.txt",
        format!("{HOST}\tFALSE\t/\tFALSE\t{future}\tsid\tabc\n"),
    )
    .unwrap();
    std::fs::set_permissions(
        ws.dir.path().join("seeds/forum.cookies.txt"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    ws.write_seeds(
        "forum.toml",
        format!(
            "[[seed]]\nlabel = \"forum\"\nurl = \"{}\"\nrecrawl = \"2s\"\nrecrawl_min = \"1s\"\n{seed_keys}[seed.session]\naccount = \"member-1\"\ncookies_file = \"forum.cookies.txt\"\n{session_keys}",
            site.url(HOST, "/")
        ),
    )
    .unwrap();
    (ws, future)
}

/// A workspace crawling `forum` directly (as forum.test) with the password `password`:
/// the workspace, the forum's root URL and an operator token (`ops`).
fn forum_direct(
    forum: &harness::forum::Forum,
    password: &str,
    session_keys: &str,
) -> (Workspace, String, String) {
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\nrate_per_sec = 20.0\n[fetch]\nresolve = [\"{HOST}:{}:127.0.0.1\"]\n",
        forum.port()
    ));
    let root = format!("http://{HOST}:{}/", forum.port());
    forum_seed(&ws, &root, password, session_keys);
    let token = ws
        .ok(&["token", "create", "--role", "operator", "--name", "ops"])
        .trim()
        .to_string();
    (ws, root, token)
}

/// The whole loop on a members-only forum reached directly: nightjar logs in through the
/// form (CSRF token carried over), a person answers the CAPTCHA through the API, the
/// members' threads are captured; the forum ends the session after five pages, nightjar sees
/// it (a soft "Please log in" page), pauses the seed, raises a task, and once it is answered
/// the crawl resumes: every thread captured logged in, none counted as changed because of
/// the logout, the logout and delete links never requested, the login the only POST, and
/// neither the password nor any cookie value in the archive, the database, the log or the
/// API's answers.
#[test]
fn a_members_only_forum_is_crawled_logged_in_with_a_person_answering_the_captcha() {
    use harness::forum::{Forum, Rules, PASSWORD, USER};
    let forum = Forum::start(Rules {
        threads: 6,
        pages_per_session: 5,
        captcha: true,
        ..Rules::default()
    });
    let (ws, root, token) = forum_direct(&forum, PASSWORD, "");
    let analyst = ws
        .ok(&["token", "create", "--role", "analyst", "--name", "ana"])
        .trim()
        .to_string();
    let (child, log) = ws.spawn(&["run"]);
    wait_until("the API", std::time::Duration::from_secs(30), || {
        ws.api_address().is_some()
    });
    let addr = ws.api_address().unwrap();
    let mut answers = Vec::new();
    // The first task: the status, the log and the metrics say a person is needed.
    wait_until("a task", std::time::Duration::from_secs(60), || {
        !open_tasks(&addr, &token).is_empty()
    });
    let mut status = String::new();
    wait_until(
        "the status names the task",
        std::time::Duration::from_secs(10),
        || {
            status = ws.ok(&["status"]);
            status.contains("tasks waiting for a person")
                && status.contains("site forum needs a login")
        },
    );
    let metrics = ws.api_address().map(|_| {
        let at = status
            .lines()
            .find_map(|l| l.strip_prefix("metrics: http://"))
            .and_then(|l| l.strip_suffix("/metrics"))
            .expect("the metrics address")
            .to_string();
        String::from_utf8_lossy(&harness::http_request(&at, "GET", "/metrics", None, None).2)
            .into_owned()
    });
    let metrics = metrics.unwrap_or_default();
    assert!(
        metrics.contains("nightjar_session_tasks_open 1")
            && metrics.contains("nightjar_logins_total{result=\"captcha\"} 1"),
        "{metrics}"
    );
    answers.push(metrics);
    let (code, analyst_view) = api(&addr, "GET", "/api/v1/tasks", &analyst, None);
    assert_eq!(code, 403, "tasks are the operators': {analyst_view}");
    answers.push(status);
    answers.push(serde_json::to_string(&open_tasks(&addr, &token)).unwrap());
    let thread_urls: Vec<String> = (1..=forum.threads)
        .map(|n| format!("{root}thread/{n}"))
        .collect();
    let all_members_pages = || {
        let classes = classes_by_url(&ws);
        thread_urls
            .iter()
            .chain([&root])
            .all(|u| classes.get(u).is_some_and(|c| c.iter().any(|c| c == "new")))
    };
    let answered = answer_captchas(
        &forum,
        &addr,
        &token,
        std::time::Duration::from_secs(120),
        all_members_pages,
    );
    answers.push(
        String::from_utf8_lossy(
            &harness::http_request(&addr, "GET", "/api/v1/status", Some(&token), None).2,
        )
        .into_owned(),
    );
    answers.push(
        String::from_utf8_lossy(
            &harness::http_request(
                &addr,
                "GET",
                &format!("/api/v1/captures?prefix={root}&limit=200"),
                Some(&analyst),
                None,
            )
            .2,
        )
        .into_owned(),
    );
    answers.push(
        String::from_utf8_lossy(
            &harness::http_request(&addr, "GET", "/api/v1/tasks", Some(&token), None).2,
        )
        .into_owned(),
    );
    let logged = stop_cleanly(child, &log);

    // Two sessions: the first ended after five pages, and a second login brought it back.
    assert!(answered >= 2, "the session's end raised a second task");
    let (ok, refused) = forum.logins();
    assert_eq!((ok, refused), (answered, 0));
    assert!(logged.contains("session lost"), "{logged}");
    // No page missed, none counted as changed because of the logout.
    assert_logouts_are_not_changes(&ws);
    // Never acted: no logout, delete or report; the login is the only POST; one
    // User-Agent throughout.
    let requests = forum.requests();
    for r in &requests {
        assert!(
            !["/logout", "/post/delete", "/report"]
                .iter()
                .any(|p| r.path.starts_with(p)),
            "{} was requested",
            r.path
        );
        assert!(
            r.method == "GET" || (r.method == "POST" && r.path == "/login"),
            "{} {}",
            r.method,
            r.path
        );
        assert!(
            r.head
                .contains("User-Agent: Mozilla/5.0 (one steady visitor)"),
            "{}",
            r.head
        );
    }
    let posts: Vec<_> = requests.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), answered);
    assert!(
        posts[0].body.contains("csrf=csrf"),
        "the CSRF token goes back: {}",
        posts[0].body
    );

    // No secret anywhere; the login is on record, its secret fields named.
    let all = everything_written(&ws, &logged, &answers);
    forum.assert_no_secret_in(&all);
    // The user name is on the members' pages as the site served them (archived as
    // received); nightjar itself never writes or says it.
    let said = answers.join("\n") + &logged;
    assert!(!said.contains(USER), "the user name was said");
    assert!(
        all.contains("user=%5Bredacted%5D&pass=%5Bredacted%5D&captcha="),
        "the login as archived"
    );
    assert!(all.contains("session-login-secret-fields: user, pass"));
    assert!(all.contains("session-login-captcha-by: token:ops"));
    assert!(all.contains("session-account: watcher-1"));
    assert!(all.contains("session: logged-in"));
    // Every step is in the audit log, and the log still verifies.
    let audit = ws
        .query_text("SELECT action || ' ' || actor || ' ' || result FROM audit_log ORDER BY seq")
        .join("\n");
    for needle in [
        "session.task.raised system:nightjar open: seed forum (captcha)",
        "session.task.answer token:ops answered: captcha",
        "task.captcha token:ops ok",
        "session.login system:nightjar ok: account watcher-1",
    ] {
        assert!(
            audit.contains(needle),
            "no '{needle}' in the audit log:\n{audit}"
        );
    }
    assert!(ws.ok(&["verify", "--audit"]).trim_end().ends_with("OK"));
}

/// A wrong password never hammers the site: at most `max_logins_per_hour` attempts, backing
/// off between them, then a task asks a person; a retry is refused while the hour's attempts
/// are spent, and cookies a person pastes (from their own browser login) resume the crawl.
#[test]
fn a_wrong_password_is_tried_within_the_limits_then_a_person_is_asked() {
    use harness::forum::{Forum, Rules, PASSWORD, USER};
    let forum = Forum::start(Rules {
        threads: 2,
        pages_per_session: 100,
        captcha: false,
        ..Rules::default()
    });
    let (ws, root, token) = forum_direct(
        &forum,
        "not-the-password",
        "relogin_backoff = \"1s\"\nmax_logins_per_hour = 2\n",
    );
    let (child, log) = ws.spawn(&["run"]);
    wait_until("the API", std::time::Duration::from_secs(30), || {
        ws.api_address().is_some()
    });
    let addr = ws.api_address().unwrap();
    wait_until("a task", std::time::Duration::from_secs(60), || {
        !open_tasks(&addr, &token).is_empty()
    });
    // Several back-offs later: still two attempts.
    std::thread::sleep(std::time::Duration::from_secs(5));
    assert_eq!(forum.logins(), (0, 2));
    let task = open_tasks(&addr, &token).remove(0);
    assert_eq!(task["kind"], "login-failed", "{task}");
    let id = task["id"].as_str().unwrap().to_string();
    let answer = |body: &str| {
        api(
            &addr,
            "POST",
            &format!("/api/v1/tasks/{id}/answer"),
            &token,
            Some(body),
        )
    };
    let (code, v) = answer("{\"retry\": true}");
    assert_eq!(code, 409, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("logins this hour are spent"),
        "{v}"
    );
    let (code, _) = answer("{\"captcha\": \"1\"}");
    assert_eq!(code, 409, "no CAPTCHA is waiting");
    let (code, v) = answer("{\"cookies\": \"not cookies\"}");
    assert_eq!(code, 400, "{v}");
    // A person logs in with a browser (here, by hand) and pastes the session's cookie.
    let login = harness::http_request(
        &format!("127.0.0.1:{}", forum.port()),
        "GET",
        "/login",
        None,
        None,
    );
    let pre = login
        .1
        .split("set-cookie: pre=")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = String::from_utf8_lossy(&login.2).into_owned();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", forum.port())).unwrap();
    let body = format!("csrf={csrf}&user={USER}&pass={}", url_encode(PASSWORD));
    std::io::Write::write_all(&mut s, format!("POST /login HTTP/1.1\r\nHost: {HOST}\r\nCookie: pre={pre}\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes()).unwrap();
    let mut reply = String::new();
    std::io::Read::read_to_string(&mut s, &mut reply).unwrap();
    let sid = reply
        .split("Set-Cookie: sid=")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let future = chrono::Utc::now().timestamp() + 3600;
    let cookies = format!("{HOST}\\tFALSE\\t/\\tFALSE\\t{future}\\tsid\\t{sid}\\n");
    let (code, v) = answer(&format!("{{\"cookies\": \"{cookies}\"}}"));
    assert_eq!(code, 200, "{v}");
    assert_eq!(v["state"], "done");
    wait_until("the threads", std::time::Duration::from_secs(60), || {
        let c = classes_by_url(&ws);
        (1..=2).all(|n| {
            c.get(&format!("{root}thread/{n}"))
                .is_some_and(|c| c.contains(&"new".to_string()))
        })
    });
    let tasks = String::from_utf8_lossy(
        &harness::http_request(&addr, "GET", "/api/v1/tasks", Some(&token), None).2,
    )
    .into_owned();
    let logged = stop_cleanly(child, &log);
    assert_eq!(forum.logins(), (1, 2), "the person's login only");
    let all = everything_written(&ws, &logged, &[tasks]);
    assert!(!all.contains(&sid), "the pasted cookie was written or said");
    assert!(!all.contains("not-the-password"));
    assert!(logged.contains("login failed"), "{logged}");
}

/// A session the site ends after a time, with pages that say nothing when it has: the login
/// form shown in place of the page is the sign (there is no "Please log in" to match), and a
/// `logged_in_selector` (the logout link only members' pages have) confirms each member's
/// page. With no CAPTCHA nightjar logs in again by itself; every thread is captured logged in,
/// the pages served logged out are archived as such, and none is counted as changed.
#[test]
fn a_session_ended_by_time_is_seen_by_the_login_form_in_place_of_the_page() {
    use harness::forum::{forum_seed_marked, Forum, LoggedOut, Rules, PASSWORD};
    let forum = Forum::start(Rules {
        threads: 6,
        session_life: Some(std::time::Duration::from_secs(2)),
        logged_out: LoggedOut::LoginForm,
        ..Rules::default()
    });
    // Two requests a second: a session lasts three or four pages.
    let ws = Workspace::new(&format!(
        "[politeness]\nrobots = \"ignore\"\nrate_per_sec = 2.0\n[fetch]\nresolve = [\"{HOST}:{}:127.0.0.1\"]\n",
        forum.port()
    ));
    let root = format!("http://{HOST}:{}/", forum.port());
    forum_seed_marked(
        &ws,
        &root,
        PASSWORD,
        "logged_in_selector = \"a[href='/logout']\"\n",
        "max_logins_per_hour = 10\n",
    );
    let (child, log) = ws.spawn(&["run"]);
    wait_until("the API", std::time::Duration::from_secs(30), || {
        ws.api_address().is_some()
    });
    let members_pages: Vec<String> = std::iter::once(root.clone())
        .chain((1..=forum.threads).map(|n| format!("{root}thread/{n}")))
        .collect();
    wait_until(
        "every members' page captured logged in",
        std::time::Duration::from_secs(120),
        || {
            let classes = classes_by_url(&ws);
            members_pages
                .iter()
                .all(|u| classes.get(u).is_some_and(|c| c.iter().any(|c| c == "new")))
        },
    );
    let logged = stop_cleanly(child, &log);
    let (ok, refused) = forum.logins();
    assert!(
        ok >= 2,
        "the session ended by time and nightjar logged in again: {ok}"
    );
    assert_eq!(refused, 0);
    assert!(
        logged.contains("the page shows the login form"),
        "the reason is said: {logged}"
    );
    assert_logouts_are_not_changes(&ws);
    for r in forum.requests() {
        assert!(r.path != "/logout", "the logout link was followed");
        assert!(
            r.method == "GET" || (r.method == "POST" && r.path == "/login"),
            "{} {}",
            r.method,
            r.path
        );
    }
    let all = everything_written(&ws, &logged, &[]);
    forum.assert_no_secret_in(&all);
    assert!(all.contains("session: lost"));
}

fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
