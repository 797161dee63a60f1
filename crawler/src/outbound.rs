//! The daemon's own HTTP(S) calls to services it is configured to use: the alert webhook
//! and the co-signing witnesses. One request, one connection, a time limit and a size limit;
//! `https://` with the public web's roots (webpki-roots), plus a private CA when one is
//! configured (a witness node on an internal network with its own certificate).
//!
//! Not the crawler's fetch path: that archives the bytes on the wire and routes through Tor
//! by policy (`crate::fetch`); these calls go to addresses the operator wrote in the config.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;

/// Largest answer read (a witness's every head of a long-running log fits many times over).
const MAX_ANSWER: usize = 64 << 20;

/// One outbound request.
pub struct Call<'a> {
    /// `GET` or `POST`.
    pub method: hyper::Method,
    /// The full URL, `http://` or `https://`.
    pub url: &'a str,
    /// `Content-Type` of the body, if there is one.
    pub content_type: Option<&'a str>,
    /// `Authorization: Bearer …`, if set.
    pub bearer: Option<&'a str>,
    /// The body (empty for a GET).
    pub body: Vec<u8>,
    /// Extra trusted roots (PEM), beside the public ones.
    pub ca_file: Option<&'a Path>,
    /// The whole exchange's time limit.
    pub limit: Duration,
}

/// Sends the request; returns the status and the body of the answer.
pub async fn send(call: Call<'_>) -> anyhow::Result<(hyper::StatusCode, Bytes)> {
    let url = url::Url::parse(call.url).with_context(|| format!("'{}' is not a URL", call.url))?;
    let host = url
        .host_str()
        .with_context(|| format!("{} has no host", call.url))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = url.port_or_known_default().unwrap_or(80);
    let mut req = hyper::Request::builder()
        .method(call.method)
        .uri(&url[url::Position::BeforePath..])
        // Host and port only: `authority()` would carry any `user:password@`.
        .header(
            hyper::header::HOST,
            match url.port() {
                Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
                None => url.host_str().unwrap_or_default().to_string(),
            },
        )
        .header(
            hyper::header::USER_AGENT,
            concat!("nightjar/", env!("CARGO_PKG_VERSION")),
        );
    if let Some(t) = call.content_type {
        req = req.header(hyper::header::CONTENT_TYPE, t);
    }
    if let Some(t) = call.bearer {
        req = req.header(hyper::header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = req.body(Full::new(Bytes::from(call.body)))?;
    let tls = match url.scheme() {
        "http" => None,
        "https" => Some(client_config(call.ca_file)?),
        other => bail!("'{}': the scheme {other} is not http or https", call.url),
    };
    let exchange = async {
        let tcp = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .with_context(|| format!("cannot connect to {host} port {port}"))?;
        match tls {
            None => exchange(tcp, req).await,
            Some(cfg) => {
                let name = rustls::pki_types::ServerName::try_from(host.clone())?;
                let stream = tokio_rustls::TlsConnector::from(cfg)
                    .connect(name, tcp)
                    .await
                    .with_context(|| format!("TLS with {host} port {port} failed"))?;
                exchange(stream, req).await
            }
        }
    };
    tokio::time::timeout(call.limit, exchange)
        .await
        .map_err(|_| anyhow::anyhow!("{} did not answer within {:?}", call.url, call.limit))?
}

fn client_config(ca_file: Option<&Path>) -> anyhow::Result<Arc<rustls::ClientConfig>> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_file {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .with_context(|| format!("cannot read the CA file {}", path.display()))?
            .collect::<Result<_, _>>()
            .with_context(|| format!("{} is not PEM certificates", path.display()))?;
        if certs.is_empty() {
            bail!("the CA file {} holds no certificate", path.display());
        }
        for c in certs {
            roots.add(c).with_context(|| {
                format!("{} holds a certificate rustls cannot trust", path.display())
            })?;
        }
    }
    let cfg = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Arc::new(cfg))
}

async fn exchange<S>(
    io: S,
    req: hyper::Request<Full<Bytes>>,
) -> anyhow::Result<(hyper::StatusCode, Bytes)>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(io)).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let resp = sender.send_request(req).await?;
    let status = resp.status();
    let body = Limited::new(resp.into_body(), MAX_ANSWER)
        .collect()
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the answer: {e}"))?
        .to_bytes();
    Ok((status, body))
}
