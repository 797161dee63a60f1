//! Fetching one URL and handing back exactly what crossed the wire.
//!
//! A [`Fetcher`] turns a URL into an [`archive::Exchange`]: the request bytes sent and the
//! response bytes received, with how they travelled (address, protocol, TLS). The direct
//! fetcher speaks HTTP over TCP, the Tor fetcher the same over arti streams, and the crawl
//! loop cannot tell them apart. Failures are classified so the loop knows whether to retry.
//!
//! The whole surface is re-exported here: the [`Fetcher`] trait with its request, result and
//! error ([`FetchRequest`], [`Fetched`], [`FetchError`]), the two routes ([`DirectFetcher`],
//! [`TorFetcher`]) and the [`Router`] that picks one per request. How they work stays
//! inside: recording the bytes (`recorder`), HTTP on a recorded stream (`wire`), TLS
//! (`tls`), and the resolver policy that keeps onion names and internal addresses away
//! from DNS and from direct connections (`resolve`).

mod arti_config;
mod direct;
mod recorder;
mod resolve;
mod router;
mod tls;
mod tor;
mod wire;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use archive::index::FailureClass;
use url::Url;

pub use arti_config::check as check_arti_config;
pub use direct::DirectFetcher;
pub use frontier::Route;
pub use router::Router;
pub use tor::TorFetcher;

/// What to fetch.
#[derive(Clone, Debug)]
pub struct FetchRequest {
    /// The URL (canonical).
    pub url: Url,
    /// Extra request headers.
    pub headers: Vec<(String, String)>,
    /// The route the seed asks for (`.onion` hosts go through Tor whatever it says).
    pub route: Route,
    /// Circuit isolation group for Tor (streams in one group may share circuits).
    pub isolation: String,
    /// A form to POST (`application/x-www-form-urlencoded`): a session's login, the only
    /// request that is not a GET.
    pub form: Option<Vec<u8>>,
    /// The User-Agent, when not the crawl's (a session's own).
    pub user_agent: Option<String>,
}

/// How long each phase took.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    /// DNS (or override) plus TCP plus TLS.
    pub connect: Duration,
    /// Request sent to response head.
    pub first_byte: Duration,
    /// Whole exchange.
    pub total: Duration,
}

/// A completed exchange.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// Bytes and facts for the archive.
    pub exchange: archive::Exchange,
    /// Phase timings.
    pub timings: Timings,
    /// Route taken (`direct` or `tor`).
    pub via: &'static str,
    /// What the route adds to the metadata record (onion service, isolation group, …).
    pub route_facts: Vec<(String, String)>,
    /// For https: `Ok(())` if the certificate verified, else why not.
    pub tls_verification: Option<Result<(), String>>,
}

/// Why a fetch produced no response.
#[derive(Clone, Debug, thiserror::Error)]
pub enum FetchError {
    /// Refused by policy before any traffic (private address, onion without Tor).
    #[error("{0}")]
    Policy(String),
    /// Name resolution failed.
    #[error("cannot resolve {host}: {reason}")]
    Dns {
        /// The host.
        host: String,
        /// Resolver message.
        reason: String,
    },
    /// TCP connection failed.
    #[error("cannot connect to {addr}: {reason}")]
    Connect {
        /// Address tried.
        addr: String,
        /// OS message.
        reason: String,
    },
    /// A phase took too long.
    #[error("{phase} timed out after {after:?}")]
    Timeout {
        /// `connect` or `first byte`.
        phase: &'static str,
        /// The limit.
        after: Duration,
    },
    /// TLS handshake failed (including certificate rejection).
    #[error("TLS failed: {0}")]
    Tls(String),
    /// The server spoke broken HTTP.
    #[error("HTTP error: {0}")]
    Protocol(String),
    /// The route is not ready yet (the Tor client is still bootstrapping): the request
    /// waits, and this is not counted as an attempt.
    #[error("{0}")]
    NotReady(String),
    /// The site itself is unreachable (onion descriptor not found, service not running).
    #[error("site down: {0}")]
    SiteDown(String),
}

impl FetchError {
    /// `transient` failures are retried; `permanent` and `policy` are not.
    pub fn class(&self) -> FailureClass {
        match self {
            FetchError::Policy(_) => FailureClass::Policy,
            FetchError::Tls(_) => FailureClass::Permanent,
            FetchError::SiteDown(_) => FailureClass::SiteDown,
            FetchError::NotReady(_) => FailureClass::Waiting,
            // A name that does not resolve now may resolve later (resolver outage, DNS
            // change); like Heritrix, retry it rather than write the site off.
            FetchError::Dns { .. }
            | FetchError::Connect { .. }
            | FetchError::Timeout { .. }
            | FetchError::Protocol(_) => FailureClass::Transient,
        }
    }
}

/// A boxed fetch future (object-safe trait without extra crates).
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Fetched, FetchError>> + Send + 'a>>;

/// Something that can fetch a URL.
pub trait Fetcher: Send + Sync {
    /// Fetches `req`.
    fn fetch<'a>(&'a self, req: &'a FetchRequest) -> FetchFuture<'a>;

    /// The state of each route, for the status file (`tor` → `ready`, `bootstrapping 36%`).
    fn routes(&self) -> Vec<(String, String)> {
        vec![("direct".into(), "ready".into())]
    }
}
