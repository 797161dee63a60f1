//! Sites: one site, several addresses. The seeds naming a site (their `site`, else their
//! label) and the addresses its verified mirror lists named, with the mirror checks over
//! time and the canary's state.

use std::collections::{BTreeMap, BTreeSet};

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

/// Everything about one site.
#[derive(Clone, Debug, Serialize)]
pub struct SiteReport {
    /// Its name.
    pub site: String,
    /// Its addresses: its seeds' hosts and every address its verified lists named.
    pub addresses: Vec<SiteAddress>,
    /// The newest canary check, if any.
    pub canary: Option<CheckRow>,
    /// Its checks, newest first (at most `limit`), each with what it lists.
    pub checks: Vec<CheckWithListed>,
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
        let host = url::Url::parse(&spec.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .unwrap_or_default();
        by_site
            .entry(spec.site().to_string())
            .or_default()
            .push((spec.label.clone(), host));
    }
    Ok(by_site)
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
        let canary = checks.iter().find(|c| c.file == "canary").cloned();
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
            canary,
            checks,
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
