//! When a page is fetched again.
//!
//! Every URL has its own recrawl interval, adapted after each fetch the way StormCrawler's
//! AdaptiveScheduler does it: a page whose content changed comes back sooner, one that stayed
//! the same comes back later, always within the seed's bounds. The seed URL itself keeps the
//! seed's interval, so new pages are discovered on the operator's schedule whatever the
//! pages around it do. A seed that recrawls "never" gives its pages no due time at all.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::seed::SeedSpec;

/// How a fetch compared with the page's previous capture, as far as scheduling cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// The content changed (or the page came back): check it sooner.
    Changed,
    /// Same content: check it later.
    Unchanged,
    /// Not there (404/410): check it later; after a few such captures in a row the URL is
    /// retired (see `FrontierConfig::retire_after_gone`).
    Gone,
    /// Nothing to compare (first fetch, a failure): keep the interval.
    Unknown,
}

/// The factors an interval is multiplied by.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Adaptation {
    /// Applied when the content changed (below 1: sooner).
    pub changed_factor: f64,
    /// Applied when the content stayed the same (above 1: later).
    pub unchanged_factor: f64,
}

impl Default for Adaptation {
    fn default() -> Self {
        Adaptation {
            changed_factor: 0.5,
            unchanged_factor: 1.5,
        }
    }
}

impl Adaptation {
    /// Checks that the factors make sense.
    pub fn validate(&self) -> Result<(), String> {
        let ok = |f: f64| f.is_finite() && f > 0.0;
        if !ok(self.changed_factor) || self.changed_factor > 1.0 {
            return Err(format!(
                "changed_factor = {}: use a number above 0 and at most 1",
                self.changed_factor
            ));
        }
        if !ok(self.unchanged_factor) || self.unchanged_factor < 1.0 {
            return Err(format!(
                "unchanged_factor = {}: use a number of at least 1",
                self.unchanged_factor
            ));
        }
        Ok(())
    }
}

/// The interval after this fetch, in seconds; `None` when the seed never recrawls.
///
/// `current` is the page's interval before the fetch (`None`: never fetched, so the seed's).
pub fn next_interval(
    seed: &SeedSpec,
    is_seed_url: bool,
    current: Option<u64>,
    freshness: Freshness,
    adapt: &Adaptation,
) -> Option<u64> {
    let base = seed.recrawl_secs?;
    if is_seed_url {
        return Some(base);
    }
    let (min, max) = seed.recrawl_bounds()?;
    let cur = current.unwrap_or(base) as f64;
    let next = match freshness {
        Freshness::Changed => cur * adapt.changed_factor,
        Freshness::Unchanged | Freshness::Gone => cur * adapt.unchanged_factor,
        Freshness::Unknown => cur,
    };
    Some((next.round() as u64).clamp(min.as_secs(), max.as_secs()))
}

/// The longest wait before a seed's unreachable URL is tried again: what the daemon also
/// allows a host that is down (see `crawl.site_down_max`).
pub const SEED_RETRY_MAX: Duration = Duration::from_secs(3600);

/// How long a seed's own URL waits after a pass in which its site could not be reached,
/// the `failed_passes`-th such pass in a row before this one: `base`, doubling with each,
/// at most [`SEED_RETRY_MAX`] and never later than the seed's recrawl `interval` (seconds;
/// `None` is never, and the URL is still tried again: a seed that never answered has
/// nothing archived yet). A site that is briefly unreachable at start (no network yet, a
/// resolver outage) is then archived minutes later instead of a day later, and one that
/// stays down costs a request an hour.
pub fn seed_retry_wait(base: Duration, failed_passes: u32, interval: Option<u64>) -> Duration {
    let wait = base
        .saturating_mul(1u32 << failed_passes.min(20))
        .min(SEED_RETRY_MAX);
    match interval {
        Some(secs) => wait.min(Duration::from_secs(secs)),
        None => wait,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scope::ScopeKind;

    fn seed(base: Option<u64>, min: Option<u64>, max: Option<u64>) -> SeedSpec {
        SeedSpec {
            scope: ScopeKind::Host,
            max_depth: 3,
            max_pages: 10,
            recrawl_secs: base,
            recrawl_min_secs: min,
            recrawl_max_secs: max,
            ..SeedSpec::new("s", "http://a.test/")
        }
    }

    #[test]
    fn changed_pages_come_back_sooner_and_stable_ones_later_within_bounds() {
        let s = seed(Some(3600), Some(900), Some(4 * 3600));
        let a = Adaptation::default();
        let first = next_interval(&s, false, None, Freshness::Unknown, &a);
        assert_eq!(first, Some(3600), "a first fetch keeps the seed's interval");
        let mut i = first;
        let mut seen = vec![];
        for _ in 0..5 {
            i = next_interval(&s, false, i, Freshness::Changed, &a);
            seen.push(i.unwrap());
        }
        assert_eq!(
            seen,
            [1800, 900, 900, 900, 900],
            "halves down to the minimum"
        );
        let mut seen = vec![];
        for _ in 0..8 {
            i = next_interval(&s, false, i, Freshness::Unchanged, &a);
            seen.push(i.unwrap());
        }
        assert_eq!(
            seen,
            [1350, 2025, 3038, 4557, 6836, 10254, 14400, 14400],
            "grows by half each time up to the maximum"
        );
        assert!(seen.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn the_seed_url_keeps_the_seed_interval_and_never_means_never() {
        let s = seed(Some(600), Some(60), Some(6000));
        let a = Adaptation::default();
        assert_eq!(
            next_interval(&s, true, Some(60), Freshness::Changed, &a),
            Some(600)
        );
        let once = seed(None, None, None);
        assert_eq!(
            next_interval(&once, false, None, Freshness::Changed, &a),
            None
        );
    }

    #[test]
    fn bounds_default_around_the_interval_and_bad_factors_are_refused() {
        let s = seed(Some(100), None, None);
        let (min, max) = s.recrawl_bounds().unwrap();
        assert!(min <= Duration::from_secs(100) && max >= Duration::from_secs(100));
        assert!(Adaptation {
            changed_factor: 2.0,
            unchanged_factor: 1.5
        }
        .validate()
        .is_err());
        assert!(Adaptation {
            changed_factor: 0.5,
            unchanged_factor: 0.9
        }
        .validate()
        .is_err());
        assert!(Adaptation::default().validate().is_ok());
    }

    #[test]
    fn an_unreachable_seed_url_backs_off_doubling_within_an_hour_and_its_recrawl() {
        let base = Duration::from_secs(40);
        let wait = |n, i| seed_retry_wait(base, n, i).as_secs();
        assert_eq!(wait(0, Some(86_400)), 40);
        assert_eq!(wait(1, Some(86_400)), 80);
        assert_eq!(wait(3, Some(86_400)), 320);
        assert_eq!(wait(7, Some(86_400)), 3600);
        assert_eq!(wait(u32::MAX, Some(86_400)), 3600);
        // Never later than the seed would come back anyway.
        assert_eq!(wait(3, Some(60)), 60);
        // A seed crawled once is still tried again until it answers.
        assert_eq!(wait(2, None), 160);
    }
}
