//! The direct route: a TCP connection from this machine, after the resolver has checked
//! that the address is one nightjar may reach.

use std::net::SocketAddr;
use std::time::Instant;

use chrono::Utc;
use tokio::net::TcpStream;
use tokio::time::timeout;

use super::resolve::Resolver;
use super::wire::{HttpClient, Route};
use super::{FetchError, FetchFuture, FetchRequest, Fetched, Fetcher};
use crate::config::{parse_resolve, Config};

/// Fetches over direct TCP connections.
pub struct DirectFetcher {
    resolver: Resolver,
    http: HttpClient,
}

impl DirectFetcher {
    /// A fetcher configured from `cfg`.
    pub fn from_config(cfg: &Config) -> anyhow::Result<DirectFetcher> {
        let overrides = cfg
            .fetch
            .resolve
            .iter()
            .map(|s| parse_resolve(s))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(DirectFetcher {
            resolver: Resolver::new(overrides),
            http: HttpClient::from_config(cfg)?,
        })
    }

    /// Tries each address in turn; the whole attempt shares one connect timeout.
    async fn connect(&self, addrs: &[SocketAddr]) -> Result<(TcpStream, SocketAddr), FetchError> {
        let limit = self.http.limits.connect_timeout;
        let deadline = tokio::time::Instant::now() + limit;
        let mut last = None;
        for addr in addrs {
            match tokio::time::timeout_at(deadline, TcpStream::connect(addr)).await {
                Ok(Ok(s)) => {
                    let _ = s.set_nodelay(true);
                    return Ok((s, *addr));
                }
                Ok(Err(e)) => {
                    last = Some(FetchError::Connect {
                        addr: addr.to_string(),
                        reason: e.to_string(),
                    })
                }
                Err(_) => {
                    last = Some(FetchError::Timeout {
                        phase: "connect",
                        after: limit,
                    })
                }
            }
        }
        Err(last.unwrap_or(FetchError::Connect {
            addr: "-".into(),
            reason: "no address".into(),
        }))
    }

    async fn run(&self, req: &FetchRequest) -> Result<Fetched, FetchError> {
        let started = Instant::now();
        // The total timeout covers everything from here: name, connection, TLS, exchange.
        let deadline = tokio::time::Instant::now() + self.http.limits.total_timeout;
        let date = Utc::now();
        let url = &req.url;
        let host = url
            .host_str()
            .ok_or_else(|| FetchError::Policy(format!("{url} has no host")))?;
        let port = url.port_or_known_default().unwrap_or(80);
        let limit = self.http.limits.connect_timeout;
        let addrs = timeout(limit, self.resolver.resolve(host, port))
            .await
            .map_err(|_| FetchError::Timeout {
                phase: "name resolution",
                after: limit,
            })??;
        let (tcp, peer) = self.connect(&addrs).await?;
        let done = self.http.over(tcp, url, req, started, deadline).await?;
        Ok(done.into_fetched(
            url,
            date,
            started,
            Route {
                via: "direct",
                ip_address: Some(peer.ip().to_string()),
                facts: Vec::new(),
            },
        ))
    }
}

impl Fetcher for DirectFetcher {
    fn fetch<'a>(&'a self, req: &'a FetchRequest) -> FetchFuture<'a> {
        Box::pin(self.run(req))
    }
}
