//! What each seed is doing, in words an operator can act on: its last outcome, why, and
//! when it is tried next.
//!
//! A queue count ("failed 1") does not tell an operator that the one seed of a fresh
//! install cannot resolve its host, nor that the daemon will try again in ten minutes. The
//! facts are spread over three owners: the frontier knows where the seed's own URL stands
//! and when it is due ([`frontier::SeedRoot`]), the archive knows its last capture and how
//! it failed, and the daemon knows whether Tor is ready and whether a session was lost.
//! This module joins them into one [`SeedReport`] per seed, which the log prints at start
//! and whenever a seed's state changes, `nightjar status` lists, and the API and console
//! show.

use std::collections::{BTreeMap, HashSet};

use archive::index::FailureClass;
use db::Db;
use frontier::{Route, SeedRoot, UrlState};
use serde::{Deserialize, Serialize};

/// The note of a URL skipped because robots.txt disallows it.
pub const ROBOTS_DISALLOW: &str = "robots.txt disallows";
/// The note of a URL skipped because its host was stopped for the pass.
pub const HOST_STOPPED: &str = "host stopped for this pass";

/// Where a seed stands. A closed set: the console and scripts match on these names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeedState {
    /// Not crawled by this process (disabled, or removed from the seed lists).
    Disabled,
    /// Known, but its first pass has not begun.
    New,
    /// Queued, waiting for its turn (politeness, other seeds).
    Queued,
    /// Being fetched now.
    Fetching,
    /// Its URL failed in this pass and is tried again shortly.
    Retrying,
    /// Its route is Tor and the Tor client is not ready yet.
    WaitingForTor,
    /// Paused: its logged-in session was lost.
    SessionLost,
    /// Its URL was archived in the last pass.
    Archived,
    /// The site could not be reached (name, connection, timeout, site down).
    Unreachable,
    /// nightjar's own policy refused the fetch (address, scope, route): it will not change
    /// until the configuration or the seed does.
    Refused,
    /// The fetch failed in a way that retrying will not mend (a rejected certificate).
    Failed,
    /// robots.txt disallows the seed's URL.
    RobotsExcluded,
    /// Its host was stopped for the rest of the pass (a link farm, a fetch budget).
    HostStopped,
    /// Gone (404/410) so many times in a row that it is no longer fetched.
    Retired,
}

impl SeedState {
    /// Words for a person.
    pub fn describe(self) -> &'static str {
        match self {
            SeedState::Disabled => "disabled",
            SeedState::New => "not fetched yet",
            SeedState::Queued => "queued",
            SeedState::Fetching => "being fetched",
            SeedState::Retrying => "failed, retrying",
            SeedState::WaitingForTor => "waiting for Tor",
            SeedState::SessionLost => "paused, session lost",
            SeedState::Archived => "archived",
            SeedState::Unreachable => "site unreachable",
            SeedState::Refused => "refused by policy",
            SeedState::Failed => "failed",
            SeedState::RobotsExcluded => "excluded by robots.txt",
            SeedState::HostStopped => "host stopped for this pass",
            SeedState::Retired => "retired (gone)",
        }
    }
}

/// One seed's state, as the log, `nightjar status`, the API and the console show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedReport {
    /// The seed's label.
    pub seed: String,
    /// Where it stands.
    pub state: SeedState,
    /// Why: the last error, the route's progress, the skip reason.
    pub why: Option<String>,
    /// When it is tried next (RFC 3339); `None`: not scheduled (never recrawled, retired,
    /// disabled), or now.
    pub next_try: Option<String>,
    /// When its URL was last captured (RFC 3339), an error capture included.
    pub last_at: Option<String>,
    /// What came of that capture: `HTTP 200`, or `failed (class): error`.
    pub last: Option<String>,
    /// Passes in a row whose fetch of the seed's URL failed.
    pub failed_passes: u32,
}

impl SeedReport {
    /// One line: `label: state (why); last …; next try …`.
    pub fn line(&self) -> String {
        let mut out = format!("{}: {}", self.seed, self.state.describe());
        if let Some(why) = &self.why {
            out.push_str(&format!(" ({why})"));
        }
        if self.failed_passes > 1 {
            out.push_str(&format!("; failed {} passes in a row", self.failed_passes));
        }
        match (&self.last_at, &self.last) {
            // The error is already the why.
            (Some(at), Some(last)) if self.why.as_deref().is_some_and(|w| last.ends_with(w)) => {
                out.push_str(&format!("; last tried {at}"))
            }
            (Some(at), Some(last)) => out.push_str(&format!("; last capture {at}: {last}")),
            _ => {}
        }
        match &self.next_try {
            Some(at) => out.push_str(&format!("; next try {at}")),
            None if matches!(self.state, SeedState::Queued | SeedState::New) => {
                out.push_str("; next try now")
            }
            None => {}
        }
        out
    }
}

/// What the daemon knows beyond the frontier and the archive.
pub struct Context<'a> {
    /// The route each seed takes, by seed ID.
    pub routes: &'a BTreeMap<i64, Route>,
    /// The state of each route by name (`tor` → `ready`, `bootstrapping 40%`, `disabled`).
    pub route_states: &'a BTreeMap<String, String>,
    /// Labels of seeds whose logged-in session is lost.
    pub sessions_lost: &'a HashSet<String>,
}

/// The report of every seed the frontier knows.
pub async fn reports(
    db: &Db,
    roots: Vec<SeedRoot>,
    cx: &Context<'_>,
) -> anyhow::Result<Vec<SeedReport>> {
    let mut out = Vec::with_capacity(roots.len());
    for root in roots {
        let last = match &root.url {
            Some(url) => archive::index::last_capture_of(db, url).await?,
            None => None,
        };
        let last = last.map(|c| Last {
            at: c.captured_at,
            status: c.status,
            error: c.error,
            class: c.error_class,
        });
        out.push(report(root, last.as_ref(), cx));
    }
    Ok(out)
}

/// What the archive says of a seed URL's last capture.
struct Last {
    at: String,
    status: i64,
    error: Option<String>,
    class: Option<FailureClass>,
}

fn rfc3339_ms(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// One seed's report from its facts.
fn report(root: SeedRoot, last: Option<&Last>, cx: &Context<'_>) -> SeedReport {
    let now_ms = chrono::Utc::now().timestamp_millis();
    let next_try = root.next_ms.filter(|&t| t > now_ms).and_then(rfc3339_ms);
    let last_text = last.map(|c| match (&c.error, c.class) {
        (Some(e), Some(class)) => format!("failed ({class}): {e}"),
        (Some(e), None) => format!("failed: {e}"),
        _ => format!("HTTP {}", c.status),
    });
    let tor_state = cx.route_states.get(Route::Tor.as_str());
    let via_tor = cx.routes.get(&root.seed_id) == Some(&Route::Tor)
        || root
            .url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .is_some_and(|u| u.host_str().is_some_and(|h| h.ends_with(".onion")));
    let (state, why) = if !root.active {
        (SeedState::Disabled, None)
    } else if cx.sessions_lost.contains(&root.label) {
        (SeedState::SessionLost, None)
    } else {
        match root.state {
            None => (SeedState::New, None),
            Some(UrlState::Inflight) => (SeedState::Fetching, None),
            Some(UrlState::Queued) if via_tor && tor_state.is_some_and(|s| s != "ready") => (
                SeedState::WaitingForTor,
                tor_state.map(|s| format!("Tor {s}")),
            ),
            Some(UrlState::Queued) if root.attempts > 0 => (SeedState::Retrying, root.note),
            Some(UrlState::Queued) if last.is_none() => (SeedState::New, None),
            Some(UrlState::Queued) => (SeedState::Queued, None),
            Some(UrlState::Done) => (SeedState::Archived, None),
            Some(UrlState::Failed) => {
                let state = match last.and_then(|c| c.class) {
                    Some(FailureClass::Policy) => SeedState::Refused,
                    Some(FailureClass::Permanent) => SeedState::Failed,
                    Some(_) => SeedState::Unreachable,
                    // An answer that was not an error capture: an internal error.
                    None => SeedState::Failed,
                };
                (state, root.note)
            }
            Some(UrlState::Skipped) => {
                let note = root.note.unwrap_or_default();
                let state = if note.starts_with(ROBOTS_DISALLOW) {
                    SeedState::RobotsExcluded
                } else {
                    SeedState::HostStopped
                };
                (state, Some(note).filter(|n| !n.is_empty()))
            }
            Some(UrlState::Retired) => (SeedState::Retired, root.note),
        }
    };
    SeedReport {
        seed: root.label,
        state,
        why,
        next_try: if state == SeedState::Disabled {
            None
        } else {
            next_try
        },
        last_at: last.map(|c| c.at.clone()),
        last: last_text,
        failed_passes: root.failed_passes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(state: Option<UrlState>, attempts: u32, note: Option<&str>) -> SeedRoot {
        SeedRoot {
            seed_id: 1,
            label: "s".into(),
            active: true,
            url: Some("http://s.test/".into()),
            state,
            attempts,
            note: note.map(str::to_string),
            next_ms: Some(chrono::Utc::now().timestamp_millis() + 60_000),
            failed_passes: 2,
        }
    }

    fn failure(class: FailureClass, error: &str) -> Last {
        Last {
            at: "2026-12-03T10:00:00Z".into(),
            status: 0,
            error: Some(error.into()),
            class: Some(class),
        }
    }

    #[test]
    fn a_failed_seed_says_how_it_failed_and_when_it_is_tried_again() {
        let routes = BTreeMap::new();
        let mut route_states = BTreeMap::new();
        route_states.insert("tor".to_string(), "bootstrapping 40%".to_string());
        let lost = HashSet::new();
        let cx = Context {
            routes: &routes,
            route_states: &route_states,
            sessions_lost: &lost,
        };
        let why = "cannot resolve s.test: no such host";
        let r = report(
            root(Some(UrlState::Failed), 3, Some(why)),
            Some(&failure(FailureClass::Transient, why)),
            &cx,
        );
        assert_eq!(r.state, SeedState::Unreachable);
        assert_eq!(r.why.as_deref(), Some(why));
        assert!(r.next_try.is_some());
        let line = r.line();
        assert!(
            line.starts_with("s: site unreachable (cannot resolve"),
            "{line}"
        );
        assert!(line.contains("failed 2 passes in a row"), "{line}");
        assert!(
            line.contains("; last tried 2026-12-03T10:00:00Z;"),
            "{line}"
        );
        assert!(line.contains("next try 20"), "{line}");

        let refused = "10.0.0.1 is a private address";
        let r = report(
            root(Some(UrlState::Failed), 1, Some(refused)),
            Some(&failure(FailureClass::Policy, refused)),
            &cx,
        );
        assert_eq!(r.state, SeedState::Refused);

        let r = report(
            root(Some(UrlState::Skipped), 1, Some(ROBOTS_DISALLOW)),
            None,
            &cx,
        );
        assert_eq!(r.state, SeedState::RobotsExcluded);

        // A Tor seed queued while Tor bootstraps waits for Tor, and says how far it got.
        let mut tor_routes = BTreeMap::new();
        tor_routes.insert(1, Route::Tor);
        let cx = Context {
            routes: &tor_routes,
            ..cx
        };
        let r = report(root(Some(UrlState::Queued), 0, None), None, &cx);
        assert_eq!(r.state, SeedState::WaitingForTor);
        assert_eq!(r.why.as_deref(), Some("Tor bootstrapping 40%"));
    }
}
