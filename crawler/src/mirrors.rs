//! Signed mirror lists and canaries: which onion addresses are the same site, said by the
//! site's own keys.
//!
//! Many markets and forums follow the Onion Mirror Guidelines: `/pgp.txt` holds the keys
//! allowed to announce mirrors, `/mirrors.txt` lists the mirrors (one `http://….onion` per
//! line) clear-signed by one of them, `/canary.txt` is clear-signed every 14 days with the
//! date and a recent Bitcoin block hash, and `/related.txt` names related sites. A phishing
//! clone serves the same files with its own addresses and its own key, so a key served by
//! the same host proves nothing: a list counts as verified only when it verifies against a
//! key the operator pinned for the site (`[seed.mirrors] keys`).
//!
//! This module judges one fetched file ([`examine`]); the crawl archives it like any other
//! capture, and records the judgement with it ([`crate::store::mirrors`]). A problem (a list
//! signed by another key, a bad signature, a late or unsigned canary) is an alert.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use pgp::composed::{CleartextSignedMessage, Deserializable, SignedPublicKey};
use pgp::types::KeyDetails;
use regex::Regex;
use serde::Serialize;
use sha2::Digest;
use url::Url;

use crate::onion::{self, OnionCheck};

/// Which of a site's mirror files a URL is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MirrorFile {
    /// `/pgp.txt`: the keys the site says may sign.
    Pgp,
    /// `/mirrors.txt`: the signed list of the site's addresses.
    Mirrors,
    /// `/canary.txt`: the signed statement, renewed every 14 days.
    Canary,
    /// `/related.txt`: related sites (signed, like the list).
    Related,
}

impl MirrorFile {
    /// The file a URL names, if it is one of them (at the root of its origin).
    pub fn of(url: &Url) -> Option<MirrorFile> {
        match url.path() {
            "/pgp.txt" => Some(MirrorFile::Pgp),
            "/mirrors.txt" => Some(MirrorFile::Mirrors),
            "/canary.txt" => Some(MirrorFile::Canary),
            "/related.txt" => Some(MirrorFile::Related),
            _ => None,
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MirrorFile::Pgp => "pgp",
            MirrorFile::Mirrors => "mirrors",
            MirrorFile::Canary => "canary",
            MirrorFile::Related => "related",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Option<MirrorFile> {
        [
            MirrorFile::Pgp,
            MirrorFile::Mirrors,
            MirrorFile::Canary,
            MirrorFile::Related,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }
}

/// What a check found of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckStatus {
    /// Signed by a pinned key, and the signature verifies (for `pgp.txt`: it lists a
    /// pinned key).
    Verified,
    /// Not a clear-signed message (for `pgp.txt`: no key in it).
    Unsigned,
    /// Signed, but by a key the operator did not pin (for `pgp.txt`: none of its keys is
    /// pinned).
    OtherKey,
    /// Names a pinned key as its signer, but the signature does not verify: the text was
    /// altered after signing, or the signature forged.
    BadSignature,
    /// No key is pinned for the site: nothing can be verified.
    NoPinnedKey,
    /// The site did not serve it (the HTTP status is in the problem).
    Missing,
}

impl CheckStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Verified => "verified",
            CheckStatus::Unsigned => "unsigned",
            CheckStatus::OtherKey => "other-key",
            CheckStatus::BadSignature => "bad-signature",
            CheckStatus::NoPinnedKey => "no-pinned-key",
            CheckStatus::Missing => "missing",
        }
    }
}

/// The judgement of one fetched mirror file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Checked {
    /// Which file.
    pub file: MirrorFile,
    /// What the check found.
    pub status: CheckStatus,
    /// The signer's fingerprint (upper-case hex), when the message names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// The signature's creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<DateTime<Utc>>,
    /// The onion addresses `mirrors.txt` or `related.txt` lists (checksum-valid v3 hosts,
    /// lower case): the site's own only when the status is verified. For `pgp.txt`, the
    /// fingerprints it serves.
    pub listed: Vec<String>,
    /// Lines of the list that are not valid onion addresses, each with why.
    pub refused: Vec<String>,
    /// For a canary: what it says, and whether it is late.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary: Option<Canary>,
    /// Why this is a problem, in words; `None` when it is not one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// SHA-256 of the payload (hex): the same file judged the same way alerts once.
    pub payload_sha256: String,
}

impl Checked {
    /// Whether this check is worth an alert: a problem other than "no key pinned" (the
    /// operator chose not to verify) and "not served" (judged with the site's history:
    /// see [`Checked::alerts_when_missing`]).
    pub fn alerts(&self) -> bool {
        self.problem.is_some()
            && !matches!(self.status, CheckStatus::NoPinnedKey | CheckStatus::Missing)
    }

    /// Whether a file no longer served is an alert: a mirror list or canary that had
    /// verified before is (a site that never published one is not).
    pub fn alerts_when_missing(&self) -> bool {
        self.status == CheckStatus::Missing
            && matches!(self.file, MirrorFile::Mirrors | MirrorFile::Canary)
    }

    /// What the alert's deduplication compares: the file, the finding and the payload.
    pub fn alert_key(&self) -> String {
        format!(
            "mirrors:{}:{}:{}:{}",
            self.file.as_str(),
            self.status.as_str(),
            self.canary.as_ref().is_some_and(|c| c.late),
            self.payload_sha256
        )
    }
}

/// What a signed canary states.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Canary {
    /// The latest date written in it.
    pub date: Option<NaiveDate>,
    /// A Bitcoin block hash in it (64 hex digits starting with zeros), proving it was
    /// written after that block.
    pub block: Option<String>,
    /// Days between its date (or its signature, without one) and the check.
    pub age_days: Option<i64>,
    /// Older than the seed's `canary_max_age`.
    pub late: bool,
}

/// A seed's mirror check, ready to judge its files: its pinned keys parsed once.
#[derive(Clone, Debug)]
pub struct MirrorRules {
    /// The keys that may sign.
    pub keys: PinnedKeys,
    /// A canary older than this is late.
    pub canary_max_age: std::time::Duration,
}

impl MirrorRules {
    /// The rules of a seed's `[seed.mirrors]`. Its keys were checked when the seed was
    /// read; one that no longer parses is left out (and the checks say so).
    pub fn of(spec: &frontier::seed::MirrorSpec) -> MirrorRules {
        let keys = spec
            .keys
            .iter()
            .filter_map(|k| PinnedKeys::parse(&[k.as_str()]).ok())
            .fold(PinnedKeys::default(), |mut all, one| {
                all.keys.extend(one.keys);
                all
            });
        MirrorRules {
            keys,
            canary_max_age: std::time::Duration::from_secs(spec.canary_max_age_secs),
        }
    }

    /// [`examine`] with these rules.
    pub fn examine(
        &self,
        file: MirrorFile,
        status: u16,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Checked {
        examine(file, status, body, &self.keys, self.canary_max_age, now)
    }
}

/// The keys pinned for a site, parsed once.
#[derive(Clone, Debug, Default)]
pub struct PinnedKeys {
    keys: Vec<SignedPublicKey>,
}

impl PinnedKeys {
    /// Parses armored public keys (a file may hold several blocks).
    pub fn parse(armored: &[&str]) -> Result<PinnedKeys, String> {
        let mut keys = Vec::new();
        for text in armored {
            let blocks = key_blocks(text);
            if blocks.is_empty() {
                return Err("no armored OpenPGP public key in it \
                            (-----BEGIN PGP PUBLIC KEY BLOCK-----)"
                    .into());
            }
            for block in blocks {
                let (key, _) = SignedPublicKey::from_string(&block)
                    .map_err(|e| format!("not a readable OpenPGP public key: {e}"))?;
                key.verify_bindings().map_err(|e| {
                    format!(
                        "the key {:X} does not verify its own bindings: {e}",
                        key.fingerprint()
                    )
                })?;
                keys.push(key);
            }
        }
        Ok(PinnedKeys { keys })
    }

    /// The pinned primary keys' fingerprints.
    pub fn fingerprints(&self) -> Vec<String> {
        self.keys
            .iter()
            .map(|k| format!("{:X}", k.fingerprint()))
            .collect()
    }

    /// Whether none is pinned.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Whether `fingerprint` is a pinned primary key or one of its subkeys.
    fn knows(&self, fingerprint: &str) -> bool {
        self.keys.iter().any(|k| {
            format!("{:X}", k.fingerprint()) == fingerprint
                || k.public_subkeys
                    .iter()
                    .any(|s| format!("{:X}", s.key.fingerprint()) == fingerprint)
        })
    }

    /// Verifies a clear-signed message: the pinned key (primary or bound subkey) that
    /// signed it, the signature, and the signed text.
    fn verify(&self, msg: &CleartextSignedMessage) -> Option<(String, Option<DateTime<Utc>>)> {
        for key in &self.keys {
            let primary = format!("{:X}", key.fingerprint());
            if let Ok(sig) = msg.verify(&key.primary_key) {
                return Some((primary, sig_time(sig)));
            }
            for sub in &key.public_subkeys {
                // A subkey counts only with its binding to the pinned primary key.
                if sub.verify_bindings(&key.primary_key).is_err() {
                    continue;
                }
                if let Ok(sig) = msg.verify(&sub.key) {
                    return Some((format!("{:X}", sub.key.fingerprint()), sig_time(sig)));
                }
            }
        }
        None
    }
}

fn sig_time(sig: &pgp::packet::Signature) -> Option<DateTime<Utc>> {
    sig.created()
        .and_then(|t| DateTime::from_timestamp(i64::from(t.as_secs()), 0))
}

static KEY_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----")
        .expect("regex")
});
static SIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)-----BEGIN PGP SIGNED MESSAGE-----.*?-----END PGP SIGNATURE-----")
        .expect("regex")
});
static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").expect("regex"));
static WORD_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})|([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))\b",
    )
    .expect("regex")
});
static BLOCK_HASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b0{8}[0-9a-fA-F]{56}\b").expect("regex"));

/// The armored key blocks in `text`, each with its lines' ends trimmed (`\r\n`, trailing
/// spaces). Not the entity extractor's reading (`entities`), which also trims the
/// indentation a web page adds: these are files, and a clear-signed text's leading spaces
/// are part of what was signed.
fn key_blocks(text: &str) -> Vec<String> {
    KEY_BLOCK
        .find_iter(text)
        .map(|m| tidy(m.as_str()))
        .collect()
}

fn tidy(block: &str) -> String {
    let mut s: String = block
        .lines()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    s.push('\n');
    s
}

/// Judges one fetched mirror file: `status` is the HTTP status, `body` the decoded
/// payload, `now` the capture's time.
pub fn examine(
    file: MirrorFile,
    status: u16,
    body: &[u8],
    keys: &PinnedKeys,
    canary_max_age: std::time::Duration,
    now: DateTime<Utc>,
) -> Checked {
    let mut out = Checked {
        file,
        status: CheckStatus::Missing,
        signer: None,
        signed_at: None,
        listed: Vec::new(),
        refused: Vec::new(),
        canary: None,
        problem: None,
        payload_sha256: hex::encode(sha2::Sha256::digest(body)),
    };
    if !(200..300).contains(&status) {
        out.problem = Some(format!("not served (HTTP {status})"));
        return out;
    }
    let text = String::from_utf8_lossy(body);
    if file == MirrorFile::Pgp {
        return served_keys(out, &text, keys);
    }
    let Some(armored) = SIGNED.find(&text).map(|m| tidy(m.as_str())) else {
        out.status = CheckStatus::Unsigned;
        out.problem = Some("not clear-signed: anyone could have written it".into());
        if file == MirrorFile::Canary {
            out.canary = Some(read_canary(&text, None, canary_max_age, now));
        }
        return out;
    };
    let msg = match CleartextSignedMessage::from_string(&armored) {
        Ok((msg, _)) => msg,
        Err(e) => {
            out.status = CheckStatus::Unsigned;
            out.problem = Some(format!("the signed message cannot be read: {e}"));
            return out;
        }
    };
    let issuers: Vec<String> = msg
        .signatures()
        .iter()
        .flat_map(|s| s.issuer_fingerprint())
        .map(|f| format!("{f:X}"))
        .collect();
    let signed_text = msg.signed_text().replace("\r\n", "\n");
    match keys.verify(&msg) {
        _ if keys.is_empty() => {
            out.status = CheckStatus::NoPinnedKey;
            out.signer = issuers.first().cloned();
            out.problem = Some(
                "no key is pinned for the site ([seed.mirrors] keys): the signature proves nothing"
                    .into(),
            );
        }
        Some((signer, at)) => {
            out.status = CheckStatus::Verified;
            out.signer = Some(signer);
            out.signed_at = at;
        }
        None if issuers.iter().any(|f| keys.knows(f)) => {
            out.status = CheckStatus::BadSignature;
            out.signer = issuers.first().cloned();
            out.problem = Some(format!(
                "names the pinned key {} as signer but the signature does not verify: altered after signing, or forged",
                issuers.first().map(String::as_str).unwrap_or("?")
            ));
        }
        None => {
            out.status = CheckStatus::OtherKey;
            out.signer = issuers.first().cloned();
            out.problem = Some(format!(
                "signed by {}, which is not a key pinned for the site (pinned: {})",
                if issuers.is_empty() {
                    "an unnamed key".to_string()
                } else {
                    issuers.join(", ")
                },
                keys.fingerprints().join(", ")
            ));
        }
    }
    match file {
        MirrorFile::Mirrors | MirrorFile::Related => {
            let (listed, refused) = onion_lines(&signed_text);
            if out.status == CheckStatus::Verified && listed.is_empty() {
                out.problem = Some("verified, but it lists no valid onion address".into());
            }
            out.listed = listed;
            out.refused = refused;
        }
        MirrorFile::Canary => {
            let canary = read_canary(&signed_text, out.signed_at, canary_max_age, now);
            if out.status == CheckStatus::Verified && out.problem.is_none() {
                if canary.late {
                    out.problem = Some(format!(
                        "the canary is late: {} days old, more than the {} allowed",
                        canary.age_days.unwrap_or(0),
                        canary_max_age.as_secs() / 86_400
                    ));
                } else if canary.date.is_none() && out.signed_at.is_none() {
                    out.problem = Some("the canary states no date".into());
                }
            }
            out.canary = Some(canary);
        }
        MirrorFile::Pgp => {}
    }
    out
}

/// `pgp.txt`: the keys the site serves. Proof of nothing by itself; what matters is
/// whether the pinned key is still among them.
fn served_keys(mut out: Checked, text: &str, keys: &PinnedKeys) -> Checked {
    let served: Vec<SignedPublicKey> = key_blocks(text)
        .iter()
        .filter_map(|b| SignedPublicKey::from_string(b).ok().map(|(k, _)| k))
        .collect();
    out.listed = served
        .iter()
        .map(|k| format!("{:X}", k.fingerprint()))
        .collect();
    out.status = if served.is_empty() {
        out.problem = Some("no readable OpenPGP public key in it".into());
        CheckStatus::Unsigned
    } else if keys.is_empty() {
        out.problem = Some(
            "no key is pinned for the site ([seed.mirrors] keys): the served keys prove nothing"
                .into(),
        );
        CheckStatus::NoPinnedKey
    } else if out.listed.iter().any(|f| keys.knows(f)) {
        CheckStatus::Verified
    } else {
        out.problem = Some(format!(
            "serves {}, none of them pinned for the site (pinned: {}): the site's keys changed, or this is not the site",
            out.listed.join(", "),
            keys.fingerprints().join(", ")
        ));
        CheckStatus::OtherKey
    };
    out
}

/// The onion addresses of a list, one per line (`http://x.onion`, `x.onion`, with a path or
/// a trailing comment), checksum-checked; and the lines that name an address that cannot
/// exist.
fn onion_lines(text: &str) -> (Vec<String>, Vec<String>) {
    let mut listed = Vec::new();
    let mut refused = Vec::new();
    for line in text.lines() {
        let Some(token) = line
            .split_whitespace()
            .find(|t| t.to_ascii_lowercase().contains(".onion"))
        else {
            continue;
        };
        let with_scheme = if token.contains("://") {
            token.to_string()
        } else {
            format!("http://{token}")
        };
        let Some(host) = Url::parse(&with_scheme)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        else {
            refused.push(format!("{token}: not an address"));
            continue;
        };
        match onion::check(&host) {
            OnionCheck::V3 { .. } => {
                if !listed.contains(&host) {
                    listed.push(host);
                }
            }
            OnionCheck::V2 => refused.push(format!("{host}: a retired v2 address")),
            OnionCheck::Invalid(why) => refused.push(format!("{host}: {why}")),
            OnionCheck::Clearnet => refused.push(format!("{host}: not an onion address")),
        }
    }
    (listed, refused)
}

/// What a canary states: its latest date, a block hash, and whether it is late at `now`.
fn read_canary(
    text: &str,
    signed_at: Option<DateTime<Utc>>,
    max_age: std::time::Duration,
    now: DateTime<Utc>,
) -> Canary {
    let mut dates: Vec<NaiveDate> = ISO_DATE
        .captures_iter(text)
        .filter_map(|c| {
            NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
        })
        .collect();
    for c in WORD_DATE.captures_iter(text) {
        let (day, month, year) = match (c.get(1), c.get(4)) {
            (Some(d), _) => (d.as_str(), &c[2], &c[3]),
            (None, Some(m)) => (&c[5], m.as_str(), &c[6]),
            _ => continue,
        };
        if let (Ok(d), Some(m), Ok(y)) = (day.parse(), month_number(month), year.parse()) {
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                dates.push(date);
            }
        }
    }
    // A date after the check is not believed (a canary dated ahead stays fresh for ever).
    let today = now.date_naive();
    let date = dates.into_iter().filter(|d| *d <= today).max();
    let block = BLOCK_HASH
        .find(text)
        .map(|m| m.as_str().to_ascii_lowercase());
    let since = date
        .map(|d| today.signed_duration_since(d).num_days())
        .or_else(|| signed_at.map(|t| (now - t).num_days()));
    let late = match since {
        Some(days) => days * 86_400 > max_age.as_secs() as i64,
        None => true,
    };
    Canary {
        date,
        block,
        age_days: since,
        late,
    }
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn list_lines_keep_valid_v3_addresses_only() {
        let good = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";
        let bad = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wie.onion";
        let text = format!(
            "Our mirrors:\nhttp://{good}/\n  {}  # main\nhttp://{bad}\nhttp://expyuzz4wqqyqhjn.onion\nnothing here\n",
            good.to_uppercase()
        );
        let (listed, refused) = onion_lines(&text);
        assert_eq!(listed, vec![good.to_string()]);
        assert_eq!(refused.len(), 2, "{refused:?}");
        assert!(refused[0].starts_with(bad));
        assert!(refused[1].contains("v2"));
    }

    #[test]
    fn a_canary_is_late_after_its_allowed_age_and_future_dates_are_not_believed() {
        let max = std::time::Duration::from_secs(14 * 86_400);
        let now = utc("2026-12-05T12:00:00Z");
        let block = "00000000000000000001a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";
        let fresh = read_canary(
            &format!("As of 2026-11-28 we have not been compromised.\nLatest block: {block}\n"),
            None,
            max,
            now,
        );
        assert_eq!(fresh.date, NaiveDate::from_ymd_opt(2026, 11, 28));
        assert_eq!(fresh.block.as_deref(), Some(block));
        assert_eq!(fresh.age_days, Some(7));
        assert!(!fresh.late);
        let late = read_canary("Signed on 3 November 2026.", None, max, now);
        assert_eq!(late.date, NaiveDate::from_ymd_opt(2026, 11, 3));
        assert!(late.late);
        assert_eq!(
            read_canary("November 30th, 2026", None, max, now).date,
            NaiveDate::from_ymd_opt(2026, 11, 30)
        );
        // Dated ahead: only the older date counts.
        let ahead = read_canary("2026-10-01 valid until 2027-01-01", None, max, now);
        assert_eq!(ahead.date, NaiveDate::from_ymd_opt(2026, 10, 1));
        assert!(ahead.late);
        // No date: the signature's time; neither: late.
        let by_sig = read_canary("all fine", Some(utc("2026-12-01T00:00:00Z")), max, now);
        assert_eq!(by_sig.age_days, Some(4));
        assert!(!by_sig.late);
        assert!(read_canary("all fine", None, max, now).late);
    }

    #[test]
    fn files_are_known_only_at_the_root() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            MirrorFile::of(&u("http://a.onion/mirrors.txt")),
            Some(MirrorFile::Mirrors)
        );
        assert_eq!(MirrorFile::of(&u("http://a.onion/x/mirrors.txt")), None);
        for f in [
            MirrorFile::Pgp,
            MirrorFile::Mirrors,
            MirrorFile::Canary,
            MirrorFile::Related,
        ] {
            assert_eq!(MirrorFile::parse(f.as_str()), Some(f));
        }
    }

    #[test]
    fn a_missing_or_unsigned_file_is_a_problem_and_nothing_is_listed() {
        let keys = PinnedKeys::default();
        let max = std::time::Duration::from_secs(14 * 86_400);
        let now = utc("2026-12-05T12:00:00Z");
        let gone = examine(MirrorFile::Mirrors, 404, b"", &keys, max, now);
        assert_eq!(gone.status, CheckStatus::Missing);
        assert!(gone.problem.unwrap().contains("404"));
        let plain = examine(
            MirrorFile::Mirrors,
            200,
            b"http://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion\n",
            &keys,
            max,
            now,
        );
        assert_eq!(plain.status, CheckStatus::Unsigned);
        assert!(plain.listed.is_empty());
        assert!(PinnedKeys::parse(&["no key here"]).is_err());
    }
}
