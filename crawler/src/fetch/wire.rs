//! HTTP over an established byte stream, shared by every route.
//!
//! The direct route hands this a TCP stream, the Tor route an arti `DataStream`; from here
//! on they are the same: TLS (rustls, with the certificate verdict recorded) for https, then
//! one request and one response with hyper over a [`Recorder`] that keeps the exact bytes.
//! One connection per exchange keeps the recorded bytes of one response apart from the next
//! (`Connection: close` on HTTP/1.1). For HTTP/1.1 the archived bytes are exactly the bytes
//! read from the (decrypted) stream. h2 sends binary frames that no WARC reader replays, so
//! for h2 the archived message is rebuilt in HTTP/1.1 form from the decoded head and the data
//! frames, and the records say `WARC-Protocol: h2` (what Browsertrix and warcprox do too).

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::{http1, http2};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use url::{Position, Url};

use super::recorder::{Recorder, Tape};
use super::tls::TlsBase;
use super::FetchError;
use crate::config::Config;

/// Limits of one exchange.
#[derive(Clone, Debug)]
pub(super) struct FetchLimits {
    /// Connection set-up (TCP or Tor circuit, plus TLS).
    pub connect_timeout: Duration,
    /// Request sent to response head.
    pub first_byte_timeout: Duration,
    /// Whole exchange.
    pub total_timeout: Duration,
    /// Body bytes kept.
    pub max_body: u64,
}

/// The request and response as they crossed the wire.
pub(super) struct Wire {
    pub request: Vec<u8>,
    pub response: Vec<u8>,
    pub truncated: Option<String>,
    pub first_byte: Duration,
    pub protocol: &'static str,
}

/// What one exchange over a stream produced.
pub(super) struct Completed {
    /// The bytes.
    pub wire: Wire,
    /// WARC-Protocol values, application protocol first (`http/1.1`, `tls/1.3`).
    pub protocols: Vec<String>,
    /// Negotiated cipher suite (IANA name).
    pub cipher: Option<String>,
    /// Certificate verdict for https.
    pub tls_verification: Option<Result<(), String>>,
    /// When the stream was ready for the request (TLS done).
    pub connected: Duration,
}

/// How the exchange travelled, as the route knows it.
pub(super) struct Route {
    /// `direct` or `tor`.
    pub via: &'static str,
    /// Peer address, when there is a meaningful one (never for Tor).
    pub ip_address: Option<String>,
    /// Extra metadata lines (onion service, isolation group, …).
    pub facts: Vec<(String, String)>,
}

impl Completed {
    /// The fetch result for the archive: bytes, route and timings.
    pub(super) fn into_fetched(
        self,
        url: &Url,
        date: chrono::DateTime<chrono::Utc>,
        started: Instant,
        route: Route,
    ) -> super::Fetched {
        super::Fetched {
            exchange: archive::Exchange {
                target_uri: url.to_string(),
                date,
                ip_address: route.ip_address,
                protocols: self.protocols,
                cipher_suite: self.cipher,
                request: self.wire.request,
                response: self.wire.response,
                truncated: self.wire.truncated,
                metadata: Vec::new(),
                previous: None,
                keep_duplicates: false,
                facts: None,
            },
            timings: super::Timings {
                connect: self.connected,
                first_byte: self.wire.first_byte,
                total: started.elapsed(),
            },
            via: route.via,
            route_facts: route.facts,
            tls_verification: self.tls_verification,
        }
    }
}

/// HTTP(S) client settings shared by the routes.
pub(super) struct HttpClient {
    tls: TlsBase,
    user_agent: String,
    pub(crate) limits: FetchLimits,
}

impl HttpClient {
    /// Settings from the config.
    pub(super) fn from_config(cfg: &Config) -> anyhow::Result<HttpClient> {
        Ok(HttpClient {
            tls: TlsBase::new(cfg.fetch.accept_invalid_certs)?,
            user_agent: cfg.crawl.user_agent.clone(),
            limits: FetchLimits {
                connect_timeout: cfg.fetch.connect_timeout,
                first_byte_timeout: cfg.fetch.first_byte_timeout,
                total_timeout: cfg.fetch.total_timeout,
                max_body: cfg.fetch.max_body_bytes,
            },
        })
    }

    /// Runs one exchange for `url` over `stream` (TLS first for https). `started` is when
    /// the fetch began; `deadline` bounds the whole fetch.
    pub(super) async fn over<S>(
        &self,
        stream: S,
        url: &Url,
        req: &super::FetchRequest,
        started: Instant,
        deadline: tokio::time::Instant,
    ) -> Result<Completed, FetchError>
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let tape = Tape::default();
        let host = url.host_str().unwrap_or("");
        if url.scheme() != "https" {
            let connected = started.elapsed();
            let wire = self
                .exchange(
                    Recorder::new(stream, tape.clone()),
                    &tape,
                    url,
                    false,
                    req,
                    deadline,
                )
                .await?;
            return Ok(Completed {
                protocols: vec![wire.protocol.to_string()],
                wire,
                cipher: None,
                tls_verification: None,
                connected,
            });
        }
        let (tls_cfg, verdict) = self
            .tls
            .client_config()
            .map_err(|e| FetchError::Tls(e.to_string()))?;
        let name = ServerName::try_from(host.trim_matches(|c| c == '[' || c == ']').to_string())
            .map_err(|e| FetchError::Tls(format!("bad server name {host}: {e}")))?;
        let handshake = TlsConnector::from(tls_cfg).connect(name, stream);
        let stream = match timeout(self.limits.connect_timeout, handshake).await {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                let why = verdict.lock().expect("verdict").clone();
                return Err(FetchError::Tls(match why {
                    Some(Err(cert)) => format!("certificate rejected: {cert}"),
                    _ => e.to_string(),
                }));
            }
            Err(_) => {
                return Err(FetchError::Timeout {
                    phase: "TLS handshake",
                    after: self.limits.connect_timeout,
                })
            }
        };
        let connected = started.elapsed();
        let (_, conn) = stream.get_ref();
        let h2 = conn.alpn_protocol() == Some(b"h2");
        let tls_version = conn.protocol_version().map(tls_protocol_name);
        let cipher = conn
            .negotiated_cipher_suite()
            .map(|s| iana_cipher_name(s.suite()));
        let tls_verification = verdict.lock().expect("verdict").clone();
        let wire = self
            .exchange(
                Recorder::new(stream, tape.clone()),
                &tape,
                url,
                h2,
                req,
                deadline,
            )
            .await?;
        let mut protocols = vec![wire.protocol.to_string()];
        protocols.extend(tls_version);
        Ok(Completed {
            wire,
            protocols,
            cipher,
            tls_verification,
            connected,
        })
    }

    /// One request/response on an established stream.
    async fn exchange<S>(
        &self,
        io: Recorder<S>,
        tape: &Tape,
        url: &Url,
        h2: bool,
        req: &super::FetchRequest,
        deadline: tokio::time::Instant,
    ) -> Result<Wire, FetchError>
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let started = Instant::now();
        let authority = &url[Position::BeforeHost..Position::AfterPort];
        let target = &url[Position::BeforePath..Position::AfterQuery];
        let protocol_err = |e: hyper::Error| FetchError::Protocol(e.to_string());
        let method = if req.form.is_some() { "POST" } else { "GET" };
        let mut builder = http::Request::builder().method(method);
        builder = if h2 {
            builder.uri(url.as_str())
        } else {
            builder.uri(target).header("Host", authority)
        };
        builder = builder
            .header(
                "User-Agent",
                req.user_agent.as_deref().unwrap_or(&self.user_agent),
            )
            .header("Accept", "*/*")
            .header("Accept-Encoding", "gzip, deflate, br");
        for (k, v) in &req.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let body = Bytes::from(req.form.clone().unwrap_or_default());
        if req.form.is_some() {
            builder = builder
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Content-Length", body.len().to_string());
        }
        if !h2 {
            builder = builder.header("Connection", "close");
        }
        let request = builder
            .body(Full::new(body.clone()))
            .map_err(|e| FetchError::Protocol(e.to_string()))?;
        let request_head = h2.then(|| rebuild_request(&request, target, authority, &body));

        let io = TokioIo::new(io);
        let (response, conn_task) = if h2 {
            let (mut send, conn) = http2::Builder::new(TokioExecutor::new())
                .handshake(io)
                .await
                .map_err(protocol_err)?;
            let task = tokio::spawn(async move {
                let _ = conn.await;
            });
            (
                timeout(self.limits.first_byte_timeout, send.send_request(request)).await,
                task,
            )
        } else {
            let (mut send, conn) = http1::Builder::new()
                .title_case_headers(true)
                .handshake(io)
                .await
                .map_err(protocol_err)?;
            let task = tokio::spawn(async move {
                let _ = conn.await;
            });
            (
                timeout(self.limits.first_byte_timeout, send.send_request(request)).await,
                task,
            )
        };
        let response = match response {
            Err(_) => {
                conn_task.abort();
                return Err(FetchError::Timeout {
                    phase: "first byte",
                    after: self.limits.first_byte_timeout,
                });
            }
            Ok(r) => r.map_err(protocol_err)?,
        };
        let first_byte = started.elapsed();
        let response_head = h2.then(|| rebuild_response_head(&response));
        let mut body = response.into_body();
        let mut received: u64 = 0;
        let mut kept = Vec::new();
        let mut truncated = None;
        loop {
            match tokio::time::timeout_at(deadline, body.frame()).await {
                Err(_) => {
                    truncated = Some("time".to_string());
                    break;
                }
                Ok(None) => break,
                Ok(Some(Ok(frame))) => {
                    if let Some(data) = frame.data_ref() {
                        received += data.len() as u64;
                        if h2 {
                            kept.extend_from_slice(data);
                        }
                        if received > self.limits.max_body {
                            truncated = Some("length".to_string());
                            break;
                        }
                    }
                }
                Ok(Some(Err(e))) => {
                    if received == 0 {
                        conn_task.abort();
                        return Err(FetchError::Protocol(e.to_string()));
                    }
                    // The connection broke mid-body: keep what arrived, say so.
                    truncated = Some("disconnect".to_string());
                    break;
                }
            }
        }
        drop(body);
        conn_task.abort();
        let (sent, got) = tape.take();
        Ok(match (request_head, response_head) {
            (Some(req), Some(mut head)) => {
                head.extend_from_slice(&kept);
                Wire {
                    request: req,
                    response: head,
                    truncated,
                    first_byte,
                    protocol: "h2",
                }
            }
            _ => Wire {
                request: sent,
                response: got,
                truncated,
                first_byte,
                protocol: "http/1.1",
            },
        })
    }
}

/// The IANA name of a cipher suite. rustls names TLS 1.2 suites as IANA does but prefixes
/// TLS 1.3 suites with `TLS13_` (`TLS13_AES_128_GCM_SHA256` is IANA's `TLS_AES_128_GCM_SHA256`).
fn iana_cipher_name(suite: rustls::CipherSuite) -> String {
    let name = suite
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| format!("{suite:?}"));
    match name.strip_prefix("TLS13_") {
        Some(rest) => format!("TLS_{rest}"),
        None => name,
    }
}

fn tls_protocol_name(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "tls/1.3".into(),
        rustls::ProtocolVersion::TLSv1_2 => "tls/1.2".into(),
        other => format!("{other:?}").to_ascii_lowercase(),
    }
}

/// An h2 request written out in HTTP/1.1 form for the archive.
fn rebuild_request(
    req: &http::Request<Full<Bytes>>,
    target: &str,
    authority: &str,
    body: &[u8],
) -> Vec<u8> {
    let mut out = format!(
        "{} {target} HTTP/1.1\r\nHost: {authority}\r\n",
        req.method()
    );
    for (k, v) in req.headers() {
        out.push_str(&format!(
            "{}: {}\r\n",
            k,
            String::from_utf8_lossy(v.as_bytes())
        ));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// An h2 response head written out in HTTP/1.1 form for the archive.
fn rebuild_response_head<B>(resp: &http::Response<B>) -> Vec<u8> {
    let status = resp.status();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (k, v) in resp.headers() {
        out.extend_from_slice(k.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(v.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}
