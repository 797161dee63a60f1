//! Choosing the route of each request.
//!
//! `.onion` hosts always go through Tor; other hosts take the seed's route. A request meant
//! for Tor never falls back to the direct route: if Tor is off or not ready, it fails (and is
//! retried later) instead of leaving this machine in the clear.

use super::direct::DirectFetcher;
use super::tor::TorFetcher;
use super::{FetchError, FetchFuture, FetchRequest, Fetcher, Route};
use crate::onion::{self, OnionCheck};

/// Dispatches requests to the direct or the Tor fetcher.
pub struct Router {
    direct: DirectFetcher,
    tor: Option<TorFetcher>,
}

impl Router {
    /// A router; `tor` is `None` when the Tor client is disabled.
    pub fn new(direct: DirectFetcher, tor: Option<TorFetcher>) -> Self {
        Router { direct, tor }
    }
}

impl Fetcher for Router {
    fn routes(&self) -> Vec<(String, String)> {
        let tor = match &self.tor {
            None => "disabled".to_string(),
            Some(t) if t.progress() >= 100 => "ready".to_string(),
            Some(t) => format!("bootstrapping {}%", t.progress()),
        };
        vec![("direct".into(), "ready".into()), ("tor".into(), tor)]
    }

    fn fetch<'a>(&'a self, req: &'a FetchRequest) -> FetchFuture<'a> {
        let host = req.url.host_str().unwrap_or("");
        let via_tor = match onion::check(host) {
            OnionCheck::Clearnet => req.route == Route::Tor,
            OnionCheck::V3 { .. } => true,
            OnionCheck::V2 => {
                let e = FetchError::Policy(format!("{host} is a retired v2 onion address"));
                return Box::pin(async move { Err(e) });
            }
            OnionCheck::Invalid(why) => {
                let e = FetchError::Policy(why);
                return Box::pin(async move { Err(e) });
            }
        };
        match (via_tor, &self.tor) {
            (false, _) => self.direct.fetch(req),
            (true, Some(tor)) => tor.fetch(req),
            (true, None) => {
                let e = FetchError::Policy(format!(
                    "{host} must be fetched through Tor, and Tor is disabled (set tor.enabled = true)"
                ));
                Box::pin(async move { Err(e) })
            }
        }
    }
}
