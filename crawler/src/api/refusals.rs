//! Refused requests in the audit log, counted rather than listed.
//!
//! After an incident an auditor asks who probed the API: requests without a valid token
//! (401), with a token outside the route's roles (403), and reads of archived content without
//! a reason (400). Each of those goes on record. One audit entry per request would let a flood
//! fill the log (every entry is hashed into the chain and kept for good), so refusals are
//! counted per caller, kind and minute, and one entry per caller and kind is written once its
//! minute is over: `refused: 1234 requests, first GET /api/v1/captures`. An unknown token is
//! counted as `anonymous`: naming each would let a flood of made-up tokens make one entry each.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use super::Api;

/// Why a request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    /// No token, or one that is unknown or revoked (401).
    Unauthorized,
    /// A token whose role may not use the route (403).
    Forbidden,
    /// A read of archived content without a reason (400).
    ReasonRequired,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Unauthorized => "401 unauthorized",
            Kind::Forbidden => "403 forbidden",
            Kind::ReasonRequired => "400 reason_required",
        }
    }
}

/// Marks an error response as "a reason was missing" for the tally (set by
/// [`super::ApiError`]; the status alone, 400, does not tell).
#[derive(Clone, Copy)]
pub(super) struct ReasonMissing;

/// One caller's refusals of one kind in one minute.
struct Tally {
    minute: i64,
    count: u64,
    first: String,
}

/// The open tallies (at most one per caller and kind; closed ones are written and dropped).
#[derive(Default)]
pub(super) struct Refusals {
    open: Mutex<HashMap<(String, Kind), Tally>>,
}

/// A closed tally, to be written.
struct Closed {
    actor: String,
    role: &'static str,
    kind: Kind,
    minute: i64,
    count: u64,
    first: String,
}

fn minute_now() -> i64 {
    chrono::Utc::now().timestamp().div_euclid(60)
}

impl Refusals {
    /// Counts one refusal; returns the tallies whose minute is over.
    fn note(&self, actor: String, kind: Kind, what: String, now: i64) -> Vec<Closed> {
        let mut open = self.open.lock().expect("refusals lock");
        let closed = Self::take_due(&mut open, now);
        open.entry((actor, kind))
            .or_insert(Tally {
                minute: now,
                count: 0,
                first: what,
            })
            .count += 1;
        closed
    }

    /// Removes and returns the tallies of minutes before `now`.
    fn take_due(open: &mut HashMap<(String, Kind), Tally>, now: i64) -> Vec<Closed> {
        let due: Vec<(String, Kind)> = open
            .iter()
            .filter(|(_, t)| t.minute < now)
            .map(|(k, _)| k.clone())
            .collect();
        due.into_iter()
            .filter_map(|key| {
                let t = open.remove(&key)?;
                Some(Closed {
                    role: role_of(&key.0),
                    actor: key.0,
                    kind: key.1,
                    minute: t.minute,
                    count: t.count,
                    first: t.first,
                })
            })
            .collect()
    }

    /// Every tally of a minute before now (or every tally, at shutdown), removed.
    fn due(&self, all: bool) -> Vec<Closed> {
        let mut open = self.open.lock().expect("refusals lock");
        let now = if all { i64::MAX } else { minute_now() };
        Self::take_due(&mut open, now)
    }
}

fn role_of(actor: &str) -> &'static str {
    if actor.starts_with("token:") {
        "token"
    } else {
        "none"
    }
}

/// Writes closed tallies to the audit log.
async fn write(api: &Api, closed: Vec<Closed>) {
    for c in closed {
        let at = chrono::DateTime::from_timestamp(c.minute * 60, 0)
            .map(|t| t.format("%Y-%m-%dT%H:%MZ").to_string())
            .unwrap_or_default();
        let result = format!(
            "refused: {} request{} in the minute from {at}, first {}",
            c.count,
            if c.count == 1 { "" } else { "s" },
            c.first
        );
        let event = crate::audit::Event {
            actor: &c.actor,
            role: c.role,
            action: "api.refused",
            target: c.kind.as_str(),
            reason: "",
            result: &result,
        };
        if let Err(e) = crate::audit::append(api.crawler.db(), &event).await {
            tracing::error!("cannot write refused requests to the audit log: {e:#}");
        }
    }
}

/// The middleware: counts the refusals among the responses, and writes the tallies whose
/// minute is over.
pub(super) async fn tally(State(api): State<Arc<Api>>, req: Request, next: Next) -> Response {
    let what: String = format!("{} {}", req.method(), req.uri().path())
        .chars()
        .take(200)
        .collect();
    let authorization = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .cloned();
    let resp = next.run(req).await;
    let kind = match resp.status() {
        StatusCode::UNAUTHORIZED => Some(Kind::Unauthorized),
        StatusCode::FORBIDDEN => Some(Kind::Forbidden),
        StatusCode::BAD_REQUEST if resp.extensions().get::<ReasonMissing>().is_some() => {
            Some(Kind::ReasonRequired)
        }
        _ => None,
    };
    if let Some(kind) = kind {
        let actor = match kind {
            Kind::Unauthorized => "anonymous".to_string(),
            _ => caller_of(&api, authorization.as_ref())
                .await
                .unwrap_or_else(|| "anonymous".into()),
        };
        let closed = api.refusals.note(actor, kind, what, minute_now());
        write(&api, closed).await;
    }
    resp
}

/// The token's name, for a refusal that had a valid token.
async fn caller_of(api: &Api, header: Option<&axum::http::HeaderValue>) -> Option<String> {
    let token = header?
        .to_str()
        .ok()?
        .trim_start()
        .split_once(' ')?
        .1
        .trim();
    let caller = super::access::check(api.crawler.db(), token).await.ok()??;
    Some(format!("token:{}", caller.name))
}

/// Writes every tally, its minute over or not (at shutdown).
pub(super) async fn flush(api: &Api) {
    let closed = api.refusals.due(true);
    write(api, closed).await;
}

/// Writes the tallies of past minutes every half minute (so a refusal is on record within
/// about a minute and a half even if no other request comes).
pub(super) fn spawn_flusher(api: Arc<Api>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            let closed = api.refusals.due(false);
            write(&api, closed).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_counted_per_caller_kind_and_minute() {
        let r = Refusals::default();
        for _ in 0..1000 {
            assert!(r
                .note("anonymous".into(), Kind::Unauthorized, "GET /a".into(), 10)
                .is_empty());
        }
        assert!(r
            .note("token:x".into(), Kind::Forbidden, "GET /b".into(), 10)
            .is_empty());
        // The next minute closes the last one's tallies: one entry each.
        let mut closed = r.note("token:x".into(), Kind::Forbidden, "GET /c".into(), 11);
        closed.sort_by_key(|c| c.count);
        assert_eq!(closed.len(), 2);
        assert_eq!((closed[0].count, closed[0].first.as_str()), (1, "GET /b"));
        assert_eq!(closed[0].actor, "token:x");
        assert_eq!(closed[0].role, "token");
        assert_eq!(
            (closed[1].count, closed[1].actor.as_str()),
            (1000, "anonymous")
        );
        // What is open is written at shutdown.
        let rest = r.due(true);
        assert_eq!(rest.len(), 1);
        assert_eq!((rest[0].count, rest[0].first.as_str()), (1, "GET /c"));
    }
}
