//! The Tor route: streams from the embedded arti client, no external tor process.
//!
//! Host names are handed to arti as strings, so name resolution happens at the exit (or, for
//! onion services, not at all): nothing on this route ever calls the system resolver. Each
//! isolation group (one per site by default) gets its own arti isolation token, so a site's
//! requests share circuits and different sites never do. arti's errors are sorted into the
//! classes the crawl loop acts on: the site is down, the network had a transient problem, or
//! the address can never work.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use archive::index::FailureClass;
use arti_client::{BootstrapBehavior, ErrorKind, HasKind, IsolationToken, StreamPrefs, TorClient};
use chrono::Utc;
use tor_rtcompat::PreferredRuntime;

use super::wire::{HttpClient, Route};
use super::{FetchError, FetchFuture, FetchRequest, Fetched, Fetcher};
use crate::config::Config;
use crate::onion::{self, OnionCheck};

/// arti's version, recorded with every capture made through it.
pub(super) const ARTI_VERSION: &str = "arti-client 0.47";

/// Fetches through the embedded Tor client.
pub struct TorFetcher {
    client: Arc<TorClient<PreferredRuntime>>,
    http: HttpClient,
    connect_timeout: std::time::Duration,
    groups: Mutex<HashMap<String, IsolationToken>>,
}

impl TorFetcher {
    /// Creates the client and starts bootstrapping it in the background; requests made
    /// before it is ready fail as transient and are retried.
    pub fn start(cfg: &Config) -> anyhow::Result<TorFetcher> {
        let client = TorClient::builder()
            .config(super::arti_config::build(cfg)?)
            .bootstrap_behavior(BootstrapBehavior::Manual)
            .create_unbootstrapped()
            .map_err(|e| anyhow::anyhow!("cannot start the Tor client: {e}"))?;
        let booting = client.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            match booting.bootstrap().await {
                Ok(()) => tracing::info!(
                    secs = started.elapsed().as_secs_f64(),
                    "Tor client bootstrapped"
                ),
                Err(e) => tracing::error!(
                    "Tor client cannot bootstrap: {e}; onion seeds wait, direct seeds go on"
                ),
            }
        });
        let mut events = client.bootstrap_events();
        tokio::spawn(async move {
            use futures_util::StreamExt;
            let mut last = 0;
            while let Some(status) = events.next().await {
                let pct = (status.as_frac() * 100.0) as u32;
                if pct >= last + 10 || (pct == 100 && last != 100) {
                    tracing::info!(percent = pct, "Tor bootstrap: {status}");
                    last = pct;
                }
                if status.ready_for_traffic() {
                    break;
                }
            }
        });
        Ok(TorFetcher {
            client,
            http: HttpClient::from_config(cfg)?,
            connect_timeout: cfg.tor.connect_timeout,
            groups: Mutex::new(HashMap::new()),
        })
    }

    /// Bootstrap progress, 0–100 (100 only once it is ready for traffic).
    pub fn progress(&self) -> u32 {
        let status = self.client.bootstrap_status();
        if status.ready_for_traffic() {
            100
        } else {
            ((status.as_frac() * 100.0) as u32).min(99)
        }
    }

    fn token(&self, group: &str) -> IsolationToken {
        *self
            .groups
            .lock()
            .expect("groups lock")
            .entry(group.to_string())
            .or_insert_with(IsolationToken::new)
    }

    async fn run(&self, req: &FetchRequest) -> Result<Fetched, FetchError> {
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + self.http.limits.total_timeout;
        let date = Utc::now();
        let url = &req.url;
        let status = self.client.bootstrap_status();
        if !status.ready_for_traffic() {
            return Err(FetchError::NotReady(format!(
                "the Tor client is not ready yet ({status})"
            )));
        }
        let host = url.host_str().unwrap_or("").to_string();
        let port = url.port_or_known_default().unwrap_or(80);
        let mut prefs = StreamPrefs::new();
        prefs.set_isolation(self.token(&req.isolation));
        let onion = match onion::check(&host) {
            OnionCheck::V3 { service } => {
                prefs.connect_to_onion_services(arti_client::config::BoolOrAuto::Explicit(true));
                Some(service)
            }
            _ => None,
        };
        let connect = self
            .client
            .connect_with_prefs((host.as_str(), port), &prefs);
        let stream = match tokio::time::timeout(self.connect_timeout, connect).await {
            // An onion service that does not complete the set-up in that time (its
            // introduction points gone with its Tor process) is down; to a clearnet host
            // through an exit it is network trouble.
            Err(_) if onion.is_some() => {
                return Err(FetchError::SiteDown(format!(
                    "the onion service did not complete the stream set-up in {:?}",
                    self.connect_timeout
                )))
            }
            Err(_) => {
                return Err(FetchError::Timeout {
                    phase: "Tor stream set-up",
                    after: self.connect_timeout,
                })
            }
            Ok(Err(e)) => {
                let err = classify(&e, onion.is_some());
                if err.class() == FailureClass::Transient {
                    // Network trouble: the retry gets a fresh circuit (a new isolation token
                    // for this group), not the one that just failed.
                    self.groups
                        .lock()
                        .expect("groups lock")
                        .remove(&req.isolation);
                }
                return Err(err);
            }
            Ok(Ok(s)) => s,
        };
        let circuit = started.elapsed();
        let done = self.http.over(stream, url, req, started, deadline).await?;
        let mut facts = vec![
            ("tor-client".to_string(), ARTI_VERSION.to_string()),
            ("tor-isolation-group".to_string(), req.isolation.clone()),
            (
                "tor-circuit-ms".to_string(),
                circuit.as_millis().to_string(),
            ),
        ];
        if let Some(service) = onion {
            facts.insert(0, ("onion-service".to_string(), service));
        }
        Ok(done.into_fetched(
            url,
            date,
            started,
            Route {
                via: "tor",
                // The peer is a Tor relay or a rendezvous point: never write a guess.
                ip_address: None,
                facts,
            },
        ))
    }
}

/// Sorts an arti error into the classes the crawl loop acts on.
///
/// For an onion service, what comes from the far side makes the *site* down: its
/// descriptor is not found, its introduction or rendezvous fails, or it refuses or ends the
/// stream (its backend is not running, the port is not mapped). Only failures of our own
/// circuits (a collapse, a network timeout, no path) are transient: a fresh circuit may
/// succeed at once. Through an exit to a clearnet host, a refused connection is the host's
/// answer, as on the direct route, and is transient as there.
fn classify(e: &arti_client::Error, onion: bool) -> FetchError {
    let text = format!("{e} ({:?})", e.kind());
    match e.kind() {
        ErrorKind::OnionServiceNotFound
        | ErrorKind::OnionServiceNotRunning
        | ErrorKind::OnionServiceConnectionFailed
        | ErrorKind::OnionServiceProtocolViolation => FetchError::SiteDown(text),
        ErrorKind::OnionServiceAddressInvalid
        | ErrorKind::InvalidStreamTarget
        | ErrorKind::ForbiddenStreamTarget
        | ErrorKind::OnionServiceMissingClientAuth
        | ErrorKind::OnionServiceWrongClientAuth => FetchError::Policy(text),
        // The service's own Tor answered our BEGIN with an END cell: it is there, but its
        // backend is not (or the port is not one it serves).
        ErrorKind::RemoteConnectionRefused
        | ErrorKind::RemoteStreamClosed
        | ErrorKind::RemoteStreamReset
        | ErrorKind::RemoteStreamError
        | ErrorKind::ExitPolicyRejected
        | ErrorKind::ExitTimeout
        | ErrorKind::RemoteNetworkFailed
            if onion =>
        {
            FetchError::SiteDown(text)
        }
        ErrorKind::RemoteConnectionRefused | ErrorKind::RemoteHostNotFound => FetchError::Connect {
            addr: "tor exit".into(),
            reason: text,
        },
        _ => FetchError::Connect {
            addr: "tor".into(),
            reason: text,
        },
    }
}

impl Fetcher for TorFetcher {
    fn fetch<'a>(&'a self, req: &'a FetchRequest) -> FetchFuture<'a> {
        Box::pin(self.run(req))
    }
}
