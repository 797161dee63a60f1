//! Sites: one site, several addresses. The seeds naming a site (their `site`, else their
//! label) and the addresses its verified mirror lists named, with the mirror checks over
//! time and the canary's state.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;

use super::{logged, ActionError, Actor, Ctx, Role};
use crate::store::mirrors::{self as store, CheckRow, ListedAddress};

/// A site in the list.
#[derive(Clone, Debug, Serialize)]
pub struct SiteSummary {
    /// Its name.
    pub site: String,
    /// Its seeds' labels.
    pub seeds: Vec<String>,
    /// Addresses its verified mirror lists named, ever.
    pub verified_mirrors: usize,
    /// The newest check of each mirror file.
    pub latest: Vec<CheckRow>,
    /// How many of those have a problem.
    pub problems: usize,
}

/// One address of a site.
#[derive(Clone, Debug, Serialize)]
pub struct SiteAddress {
    /// The host.
    pub host: String,
    /// A seed crawls it (its label).
    pub seed: Option<String>,
    /// When verified mirror lists named it, if they did.
    pub listed: Option<ListedAddress>,
    /// Named by the newest verified mirror list.
    pub listed_now: bool,
}

/// A host that looks like one of the site's.
#[derive(Clone, Debug, Serialize)]
pub struct LookalikeReport {
    /// What they share, and which host of the site it looks like.
    #[serde(flatten)]
    pub lookalike: archive::lookalike::Lookalike,
    /// `look-alike`, or `probable-phishing-clone` when it shows payment addresses or PGP
    /// keys the site never showed.
    pub verdict: &'static str,
    /// Its payment addresses and PGP keys the site never showed (`kind:value`).
    pub only_there: Vec<String>,
    /// The site's payment addresses and PGP keys it does not show.
    pub only_on_site: Vec<String>,
}

/// An onion address whose name imitates one of the site's.
#[derive(Clone, Debug, Serialize)]
pub struct Impersonation {
    /// The imitation.
    pub address: String,
    /// The site's address it imitates.
    pub like: String,
    /// Leading and trailing characters shared.
    #[serde(flatten)]
    pub affix: archive::lookalike::Affix,
}

/// Everything about one site.
#[derive(Clone, Debug, Serialize)]
pub struct SiteReport {
    /// Its name.
    pub site: String,
    /// Its addresses: its seeds' hosts and every address its verified lists named.
    pub addresses: Vec<SiteAddress>,
    /// The newest canary check of each of its addresses that has one.
    pub canaries: Vec<CheckRow>,
    /// Its checks, newest first (at most `limit`), each with what it lists.
    pub checks: Vec<CheckWithListed>,
    /// Hosts that serve what it serves without being its own.
    pub lookalikes: Vec<LookalikeReport>,
    /// Onion addresses named like its own that are not.
    pub impersonations: Vec<Impersonation>,
}

/// The kinds compared between a site and a look-alike: what it is paid to and signs with.
const PAID_AND_SIGNED: [entities::Kind; 7] = [
    entities::Kind::Btc,
    entities::Kind::Eth,
    entities::Kind::Xmr,
    entities::Kind::Ltc,
    entities::Kind::Bch,
    entities::Kind::Trx,
    entities::Kind::Pgp,
];

/// The look-alikes among `prints` (every host's newest fingerprints) of a site whose own
/// hosts are `own` and whose verified mirrors are `known`, each judged by the entities it
/// shows against the site's.
async fn lookalikes(
    ctx: &Ctx<'_>,
    prints: &[archive::lookalike::PrintRow],
    own: &[String],
    known: &HashSet<String>,
) -> anyhow::Result<Vec<LookalikeReport>> {
    let found = archive::lookalike::compare(own, known, prints);
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let mut hosts: Vec<String> = own.to_vec();
    hosts.extend(found.iter().map(|l| l.host.clone()));
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (host, kind, value) in archive::ledger::on_hosts(ctx.db, &hosts, &PAID_AND_SIGNED).await? {
        seen.entry(host)
            .or_default()
            .insert(format!("{kind}:{value}"));
    }
    let site: BTreeSet<String> = own
        .iter()
        .filter_map(|h| seen.get(h))
        .flatten()
        .cloned()
        .collect();
    Ok(found
        .into_iter()
        .map(|l| {
            let there = seen.get(&l.host).cloned().unwrap_or_default();
            let only_there: Vec<String> = there.difference(&site).cloned().collect();
            let only_on_site: Vec<String> = site.difference(&there).cloned().collect();
            LookalikeReport {
                verdict: if only_there.is_empty() {
                    "look-alike"
                } else {
                    "probable-phishing-clone"
                },
                lookalike: l,
                only_there,
                only_on_site,
            }
        })
        .collect())
}

/// Onion addresses known to the archive (crawled hosts, from `prints`, and onion addresses
/// seen in pages) whose names imitate one of the site's onion addresses.
async fn impersonations(
    ctx: &Ctx<'_>,
    prints: &[archive::lookalike::PrintRow],
    own_onions: &[String],
    known: &HashSet<String>,
) -> anyhow::Result<Vec<Impersonation>> {
    if own_onions.is_empty() {
        return Ok(Vec::new());
    }
    let mut candidates: BTreeSet<String> =
        archive::ledger::values_of(ctx.db, entities::Kind::Onion)
            .await?
            .into_iter()
            .collect();
    candidates.extend(
        prints
            .iter()
            .map(|p| p.host.clone())
            .filter(|h| h.ends_with(".onion")),
    );
    let mut out = Vec::new();
    for c in candidates {
        if known.contains(&c) || own_onions.contains(&c) {
            continue;
        }
        if let Some((like, affix)) = own_onions
            .iter()
            .filter_map(|o| archive::lookalike::shared_affix(&c, o).map(|a| (o, a)))
            .max_by_key(|(_, a)| a.prefix.max(a.suffix))
        {
            out.push(Impersonation {
                address: c.clone(),
                like: like.clone(),
                affix,
            });
        }
    }
    Ok(out)
}

/// A check and what its file lists.
#[derive(Clone, Debug, Serialize)]
pub struct CheckWithListed {
    /// The check.
    #[serde(flatten)]
    pub check: CheckRow,
    /// The addresses (or, for pgp.txt, fingerprints) it lists.
    pub listed: Vec<String>,
}

/// The seeds of each site, by site name: (label, host).
async fn seeds_by_site(ctx: &Ctx<'_>) -> anyhow::Result<BTreeMap<String, Vec<(String, String)>>> {
    let mut by_site: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for spec in frontier::queue::seed_specs(ctx.db).await? {
        let host = archive::changes::host_of(&spec.url);
        by_site
            .entry(spec.site().to_string())
            .or_default()
            .push((spec.label.clone(), host));
    }
    Ok(by_site)
}

/// The labels of site `name`'s seeds, to limit a listing (changes, entities) to the site;
/// an error naming `nightjar sites` when no seed names it.
pub async fn seeds_of(ctx: &Ctx<'_>, name: &str) -> Result<Vec<String>, ActionError> {
    let labels: Vec<String> = seeds_by_site(ctx)
        .await?
        .remove(name)
        .unwrap_or_default()
        .into_iter()
        .map(|(label, _)| label)
        .collect();
    if labels.is_empty() {
        return Err(ActionError::NotFound(format!(
            "no seed belongs to site '{name}': `nightjar sites` lists them (a seed's `site`, else its label)"
        )));
    }
    Ok(labels)
}

/// Every site: the seeds' sites and those with mirror checks.
pub async fn sites(ctx: &Ctx<'_>, actor: &Actor) -> Result<Vec<SiteSummary>, ActionError> {
    actor.authorize(&[Role::Analyst, Role::Operator])?;
    let outcome = async {
        let by_site = seeds_by_site(ctx).await?;
        let latest = store::latest(ctx.db).await?;
        let mut names: BTreeSet<String> = by_site.keys().cloned().collect();
        names.extend(latest.iter().map(|c| c.site.clone()));
        let mut out = Vec::new();
        for site in names {
            let latest: Vec<CheckRow> = latest.iter().filter(|c| c.site == site).cloned().collect();
            let verified_mirrors = store::verified_addresses(ctx.db, &site).await?.len();
            out.push(SiteSummary {
                problems: latest.iter().filter(|c| c.problem.is_some()).count(),
                seeds: by_site
                    .get(&site)
                    .map(|s| s.iter().map(|(l, _)| l.clone()).collect())
                    .unwrap_or_default(),
                site,
                verified_mirrors,
                latest,
            });
        }
        anyhow::Ok(out)
    }
    .await
    .map_err(ActionError::Failed);
    logged(ctx, actor, "sites.list", "", "", outcome, |r| {
        format!("ok: {} sites", r.len())
    })
    .await
}

/// One site: its addresses, canary and checks (the newest `limit`).
pub async fn site(
    ctx: &Ctx<'_>,
    actor: &Actor,
    name: &str,
    limit: i64,
) -> Result<SiteReport, ActionError> {
    actor.authorize(&[Role::Analyst, Role::Operator])?;
    let outcome = async {
        let by_site = seeds_by_site(ctx).await?;
        let checks = store::checks(ctx.db, name, limit.clamp(1, 100_000)).await?;
        let seeds = by_site.get(name).cloned().unwrap_or_default();
        if seeds.is_empty() && checks.is_empty() {
            return Err(ActionError::NotFound(format!(
                "no site '{name}': `nightjar sites` lists them (a seed's `site`, else its label)"
            )));
        }
        let ids: Vec<i64> = checks.iter().map(|c| c.id).collect();
        let mut listed: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (id, v) in store::listed(ctx.db, &ids).await? {
            listed.entry(id).or_default().push(v);
        }
        let newest_verified_list = checks
            .iter()
            .find(|c| c.file == "mirrors" && c.status == "verified")
            .map(|c| listed.get(&c.id).cloned().unwrap_or_default())
            .unwrap_or_default();
        let mut addresses: Vec<SiteAddress> = Vec::new();
        for a in store::verified_addresses(ctx.db, name).await? {
            addresses.push(SiteAddress {
                seed: seeds
                    .iter()
                    .find(|(_, h)| *h == a.address)
                    .map(|(l, _)| l.clone()),
                listed_now: newest_verified_list.contains(&a.address),
                host: a.address.clone(),
                listed: Some(a),
            });
        }
        for (label, host) in &seeds {
            if !addresses.iter().any(|a| a.host == *host) {
                addresses.push(SiteAddress {
                    host: host.clone(),
                    seed: Some(label.clone()),
                    listed: None,
                    listed_now: false,
                });
            }
        }
        let mut canaries: Vec<CheckRow> = Vec::new();
        for c in checks.iter().filter(|c| c.file == "canary") {
            if !canaries.iter().any(|k| k.host == c.host) {
                canaries.push(c.clone());
            }
        }
        let own: Vec<String> = seeds.iter().map(|(_, h)| h.clone()).collect();
        let known: HashSet<String> = addresses
            .iter()
            .filter(|a| a.listed.is_some())
            .map(|a| a.host.clone())
            .collect();
        // Every host's newest fingerprints, read once for both questions.
        let prints = archive::lookalike::latest(ctx.db).await?;
        let lookalikes = lookalikes(ctx, &prints, &own, &known).await?;
        let own_onions: Vec<String> = addresses
            .iter()
            .map(|a| a.host.clone())
            .filter(|h| h.ends_with(".onion"))
            .collect();
        let impersonations = impersonations(ctx, &prints, &own_onions, &known).await?;
        let checks = checks
            .into_iter()
            .map(|c| CheckWithListed {
                listed: listed.remove(&c.id).unwrap_or_default(),
                check: c,
            })
            .collect();
        Ok(SiteReport {
            site: name.to_string(),
            addresses,
            canaries,
            checks,
            lookalikes,
            impersonations,
        })
    }
    .await;
    logged(ctx, actor, "sites.show", name, "", outcome, |r| {
        format!(
            "ok: {} addresses, {} checks",
            r.addresses.len(),
            r.checks.len()
        )
    })
    .await
}
