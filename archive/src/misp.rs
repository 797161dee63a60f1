//! Entities as a MISP event: the JSON format that CTI teams and law-enforcement partners
//! load into MISP (and that `pymisp`'s `MISPEvent.load` reads).
//!
//! Mapping, by MISP's own types and object templates: Bitcoin and Monero addresses, and the
//! other coins by their symbol, become `coin-address` objects (`address`, `address-xmr` or
//! `address-crypto`, with `symbol`, `first-seen`, `last-seen`); IBANs `iban` and phone
//! numbers `phone-number` attributes (Financial fraud, Person), e-mail addresses `email`
//! (Social network), PGP keys `pgp-public-key` (the armored key where the archive holds it,
//! else the fingerprint; the fingerprint and user IDs in the comment), onion services `hostname`, handles `text`. Each carries its first and last
//! sighting in the selection and a comment naming the captures (`nightjar show ID`); the
//! pages they were seen on are `url` attributes. Nothing is marked for IDS: these are
//! observations, not detection rules. Distribution is "your organisation only" until an
//! analyst decides otherwise in MISP.

use serde_json::{json, Value};

use crate::ledger::EntityEvidence;

/// The template of MISP's `coin-address` object (misp-objects, version 7).
const COIN_ADDRESS_TEMPLATE: &str = "d0e6997e-78da-4815-a6a1-cfc1c1cb8a46";

/// An ISO 8601 time as MISP writes it, from an index time.
fn misp_time(t: &str) -> String {
    // Index times are `YYYY-MM-DDTHH:MM:SS.mmmZ`; MISP takes RFC 3339 with an offset.
    match t.strip_suffix('Z') {
        Some(base) => format!("{base}+00:00"),
        None => t.to_string(),
    }
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Where an entity was seen, for a comment.
fn seen(e: &EntityEvidence) -> String {
    let first = e.sightings.first();
    format!(
        "seen in {} captures on {} ({}); first in capture {} ({})",
        e.sightings_total,
        e.hosts.join(", "),
        e.kind,
        first.map(|s| s.capture_id).unwrap_or_default(),
        first.map(|s| s.url.as_str()).unwrap_or("")
    )
}

fn attribute(kind: &str, category: &str, value: &str, e: &EntityEvidence, comment: &str) -> Value {
    json!({
        "uuid": uuid(),
        "type": kind,
        "category": category,
        "value": value,
        "to_ids": false,
        "distribution": "5",
        "first_seen": misp_time(&e.first_seen),
        "last_seen": misp_time(&e.last_seen),
        "comment": comment,
    })
}

/// The MISP event of `entities`, named `info`.
pub fn event(info: &str, entities: &[EntityEvidence]) -> Value {
    let now = chrono::Utc::now();
    let mut attributes = Vec::new();
    let mut objects = Vec::new();
    // Per page: its captures with entities, and the first and last of them.
    let mut urls: std::collections::BTreeMap<String, (Vec<i64>, String, String)> =
        Default::default();
    for e in entities {
        for s in &e.sightings {
            let (ids, first, last) = urls
                .entry(s.url.clone())
                .or_insert_with(|| (vec![], s.seen_at.clone(), s.seen_at.clone()));
            if !ids.contains(&s.capture_id) {
                ids.push(s.capture_id);
            }
            if s.seen_at < *first {
                *first = s.seen_at.clone();
            }
            if s.seen_at > *last {
                *last = s.seen_at.clone();
            }
        }
        let comment = seen(e);
        let coin = match e.kind.as_str() {
            "btc" => Some(("address", "btc", "BTC")),
            "xmr" => Some(("address-xmr", "xmr", "XMR")),
            "eth" => Some(("address-crypto", "text", "ETH")),
            "ltc" => Some(("address-crypto", "text", "LTC")),
            "bch" => Some(("address-crypto", "text", "BCH")),
            "trx" => Some(("address-crypto", "text", "TRX")),
            _ => None,
        };
        if let Some((relation, kind, symbol)) = coin {
            let rel = |relation: &str, kind: &str, value: &str| {
                json!({
                    "uuid": uuid(),
                    "object_relation": relation,
                    "type": kind,
                    "category": "Financial fraud",
                    "value": value,
                    "to_ids": false,
                    "distribution": "5",
                    "disable_correlation": relation != "address" && relation != "address-xmr" && relation != "address-crypto",
                })
            };
            objects.push(json!({
                "uuid": uuid(),
                "name": "coin-address",
                "meta-category": "financial",
                "description": "An address used in a cryptocurrency",
                "template_uuid": COIN_ADDRESS_TEMPLATE,
                "template_version": "7",
                "distribution": "5",
                "comment": comment,
                "first_seen": misp_time(&e.first_seen),
                "last_seen": misp_time(&e.last_seen),
                "Attribute": [
                    rel(relation, kind, &e.value),
                    rel("symbol", "text", symbol),
                    rel("first-seen", "datetime", &misp_time(&e.first_seen)),
                    rel("last-seen", "datetime", &misp_time(&e.last_seen)),
                ],
            }));
            continue;
        }
        let a = match e.kind.as_str() {
            "iban" => attribute("iban", "Financial fraud", &e.value, e, &comment),
            "phone" => attribute("phone-number", "Person", &e.value, e, &comment),
            "email" => attribute("email", "Social network", &e.value, e, &comment),
            "pgp" => {
                let users = e
                    .detail
                    .as_ref()
                    .and_then(|d| d.get("user_ids"))
                    .and_then(|u| u.as_array())
                    .map(|u| {
                        u.iter()
                            .filter_map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .unwrap_or_default();
                let comment = if users.is_empty() {
                    format!("PGP key fingerprint {}; {comment}", e.value)
                } else {
                    format!(
                        "PGP key fingerprint {}, user IDs: {users}; {comment}",
                        e.value
                    )
                };
                // The key itself where a page published it; a signer seen only in
                // signatures is known by its fingerprint alone.
                let key = e
                    .detail
                    .as_ref()
                    .and_then(|d| d.get("armor"))
                    .and_then(|a| a.as_str())
                    .unwrap_or(&e.value);
                attribute("pgp-public-key", "Social network", key, e, &comment)
            }
            "onion" => attribute("hostname", "Network activity", &e.value, e, &comment),
            _ => attribute(
                "text",
                "Other",
                &e.value,
                e,
                &format!("{}; {comment}", e.kind),
            ),
        };
        attributes.push(a);
    }
    for (url, (mut ids, first, last)) in urls {
        ids.sort_unstable();
        let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
        attributes.push(json!({
            "uuid": uuid(),
            "type": "url",
            "category": "Network activity",
            "value": url,
            "to_ids": false,
            "distribution": "5",
            "first_seen": misp_time(&first),
            "last_seen": misp_time(&last),
            "comment": format!("archived by nightjar: captures {}", list.join(", ")),
        }));
    }
    json!({
        "Event": {
            "uuid": uuid(),
            "info": info,
            "date": now.format("%Y-%m-%d").to_string(),
            "timestamp": now.timestamp().to_string(),
            "threat_level_id": "4",
            "analysis": "0",
            "distribution": "0",
            "published": false,
            "Attribute": attributes,
            "Object": objects,
            "Tag": [{"name": "tlp:amber"}],
        }
    })
}
