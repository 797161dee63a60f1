//! RFC 3161 timestamps: a timestamping authority's signed statement that a seal existed at a
//! given time, independent of this node's clock.
//!
//! The request is built here byte by byte: it is one fixed DER structure (version, SHA-256
//! message imprint, nonce, certReq), and pulling in an ASN.1 stack for 60 bytes would add
//! more code to trust than it saves. The answer is stored as the TSA sent it. Checking a
//! token is left to `openssl ts -verify`, the reference implementation, given the TSA's CA
//! certificate.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A DER TimeStampReq for a SHA-256 `hash`, asking for the TSA's certificate in the token.
pub fn request_der(hash: &[u8; 32], nonce: u64) -> Vec<u8> {
    // AlgorithmIdentifier { id-sha256, NULL }
    const SHA256: [u8; 15] = [
        0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
    ];
    let mut imprint = vec![0x30, 15 + 2 + 32];
    imprint.extend(SHA256);
    imprint.extend([0x04, 32]);
    imprint.extend(hash);
    // A positive 8-byte INTEGER.
    let mut nonce_bytes = nonce.to_be_bytes();
    nonce_bytes[0] &= 0x7f;
    nonce_bytes[0] |= 0x01;
    let mut body = vec![0x02, 0x01, 0x01]; // version 1
    body.extend(&imprint);
    body.extend([0x02, 0x08]);
    body.extend(nonce_bytes);
    body.extend([0x01, 0x01, 0xff]); // certReq TRUE
    let mut der = vec![0x30, body.len() as u8];
    der.extend(body);
    der
}

/// Asks the TSA at `url` (http://) to timestamp `hash`; returns its DER TimeStampResp.
pub async fn fetch(url: &str, hash: &[u8; 32], timeout: Duration) -> anyhow::Result<Vec<u8>> {
    let u =
        url::Url::parse(url).with_context(|| format!("custody.tsa_url '{url}' is not a URL"))?;
    if u.scheme() != "http" {
        bail!("custody.tsa_url must be http:// (the token is signed; TLS adds nothing to it)");
    }
    let host = u.host_str().context("custody.tsa_url has no host")?;
    let port = u.port_or_known_default().unwrap_or(80);
    let nonce = rand_core::RngCore::next_u64(&mut rand_core::OsRng);
    let body = request_der(hash, nonce);
    let work = async {
        let mut s = tokio::net::TcpStream::connect((host, port)).await?;
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/timestamp-query\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            if u.path().is_empty() { "/" } else { u.path() },
            body.len()
        );
        s.write_all(head.as_bytes()).await?;
        s.write_all(&body).await?;
        let mut resp = Vec::new();
        s.read_to_end(&mut resp).await?;
        anyhow::Ok(resp)
    };
    let resp = tokio::time::timeout(timeout, work)
        .await
        .with_context(|| format!("the TSA at {url} did not answer within {timeout:?}"))??;
    let msg = crate::http::HttpMessage::parse_response(&resp)?;
    if msg.status != Some(200) {
        bail!("the TSA at {url} answered {:?}", msg.status);
    }
    if msg.payload.first() != Some(&0x30) {
        bail!("the TSA at {url} did not send a DER TimeStampResp");
    }
    Ok(msg.payload)
}

/// Checks a TimeStampResp against `hash` (hex) with `openssl ts -verify`, trusting `ca`.
pub fn verify(response: &[u8], hash_hex: &str, ca: &Path) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("token.tsr");
    std::fs::write(&file, response).map_err(|e| e.to_string())?;
    let out = std::process::Command::new("openssl")
        .args(["ts", "-verify", "-digest", hash_hex, "-in"])
        .arg(&file)
        .arg("-CAfile")
        .arg(ca)
        .output()
        .map_err(|e| format!("cannot run openssl to check a timestamp ({e}); install openssl"))?;
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    if out.status.success() && text.contains("Verification: OK") {
        Ok(())
    } else {
        Err(text
            .lines()
            .find(|l| l.contains("error") || l.contains("FAILED"))
            .unwrap_or("openssl ts -verify failed")
            .to_string())
    }
}

/// The time a TimeStampResp's token states (its `genTime`), as `openssl ts -reply -text`
/// reads it.
pub fn time_of(response: &[u8]) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("token.tsr");
    std::fs::write(&file, response).map_err(|e| e.to_string())?;
    let out = std::process::Command::new("openssl")
        .args(["ts", "-reply", "-text", "-in"])
        .arg(&file)
        .output()
        .map_err(|e| format!("cannot run openssl to read a timestamp ({e}); install openssl"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Time stamp:"))
        .ok_or_else(|| "the token states no time".to_string())?;
    // "Dec  2 11:59:58 2026 GMT", with fractions of a second when the TSA gives them.
    let t = line.trim().trim_end_matches("GMT").trim();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    chrono::NaiveDateTime::parse_from_str(&t, "%b %d %H:%M:%S%.f %Y")
        .map(|n| n.and_utc())
        .map_err(|e| format!("cannot read the token's time {line:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_the_der_openssl_writes() {
        let hash = [7u8; 32];
        let der = request_der(&hash, 0x0102_0304_0506_0708);
        assert_eq!(der.len(), 2 + 3 + 51 + 10 + 3);
        assert_eq!(&der[..2], &[0x30, 67]);
        // openssl parses it and reads back the imprint.
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("q.tsq");
        std::fs::write(&f, &der).unwrap();
        let out = std::process::Command::new("openssl")
            .args(["ts", "-query", "-in"])
            .arg(&f)
            .arg("-text")
            .output()
            .expect("openssl");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        assert!(text.contains("sha256"), "{text}");
        assert!(text.contains("07 07 07 07"), "{text}");
        assert!(text.contains("Certificate required: yes"), "{text}");
    }
}
