//! TLS for direct fetches: verify certificates, and remember the verdict.
//!
//! Evidence needs to say whether the server proved its identity, even when the operator chose
//! to fetch anyway (`fetch.accept_invalid_certs`). This verifier delegates to webpki with the
//! Mozilla roots and records the outcome for the capture's metadata record.

use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};

/// Shared, expensive parts: the provider and the webpki verifier over the root store.
#[derive(Clone)]
pub(super) struct TlsBase {
    provider: Arc<CryptoProvider>,
    webpki: Arc<WebPkiServerVerifier>,
    accept_invalid: bool,
}

/// The verdict of one handshake.
pub(super) type Verdict = Arc<Mutex<Option<Result<(), String>>>>;

#[derive(Debug)]
struct RecordingVerifier {
    webpki: Arc<WebPkiServerVerifier>,
    accept_invalid: bool,
    verdict: Verdict,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let r = self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        *self.verdict.lock().expect("verdict") =
            Some(r.as_ref().map(|_| ()).map_err(|e| e.to_string()));
        match r {
            Err(_) if self.accept_invalid => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

impl TlsBase {
    /// Builds the root store (Mozilla's, from webpki-roots) and the verifier once.
    pub(super) fn new(accept_invalid: bool) -> anyhow::Result<TlsBase> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()?;
        Ok(TlsBase {
            provider,
            webpki,
            accept_invalid,
        })
    }

    /// A client config for one connection, with its own verdict slot.
    pub(super) fn client_config(&self) -> anyhow::Result<(Arc<ClientConfig>, Verdict)> {
        let verdict: Verdict = Arc::default();
        let verifier = RecordingVerifier {
            webpki: self.webpki.clone(),
            accept_invalid: self.accept_invalid,
            verdict: verdict.clone(),
        };
        let mut cfg = ClientConfig::builder_with_provider(self.provider.clone())
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok((Arc::new(cfg), verdict))
    }
}
