//! Per-host pacing: how many requests a host sees at once and how closely they follow.
//!
//! Each host (name and port) gets a governor rate limiter built from the seed's rate, slowed
//! further to robots.txt's Crawl-delay when that is longer, and a count of requests in flight
//! (one by default, as Heritrix does). This state lives in memory only: after a restart the
//! first request to a host simply waits one period.
//!
//! With one request in flight (the default), the period is also counted from the end of the
//! previous answer, as Heritrix counts its delay from the end of a fetch: the gap a *server*
//! sees between two of our requests is then never shorter than the period, whatever the
//! latency of the connection or the scheduling of either side. Counting from the start alone
//! keeps the promise only on our side of the wire: a request sent on time but delayed on its
//! way (a new connection, a busy machine) arrives closer to the next one than the period.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// Pacing of one host.
pub struct HostPace {
    rate_per_sec: f64,
    crawl_delay: Option<Duration>,
    limiter: DefaultDirectRateLimiter,
    period: Duration,
    in_flight: u32,
    max_in_flight: u32,
    /// The host is down: nothing is sent before this.
    held_until: Option<Instant>,
    /// The host asked us to wait (429, 503, `Retry-After`): nothing is sent before this,
    /// whatever other answers come meanwhile.
    throttled_until: Option<Instant>,
    /// One request at a time: the previous answer ended, so the next waits a period from
    /// then.
    rested_until: Option<Instant>,
    /// Consecutive site-down failures.
    down: u32,
    /// When the current run of site-down failures began.
    down_since: Option<Instant>,
}

/// Pacing of all hosts seen so far.
#[derive(Default)]
pub struct Politeness {
    hosts: HashMap<String, HostPace>,
    clock: DefaultClock,
}

/// Whether a host may be sent a request now.
#[derive(Debug, PartialEq, Eq)]
pub enum Gate {
    /// Go: a request slot is taken; call [`Politeness::release`] when done.
    Open,
    /// The host already has its maximum of requests in flight.
    Busy,
    /// Try again after this long.
    Wait(Duration),
}

fn period_for(rate_per_sec: f64, crawl_delay: Option<Duration>) -> Duration {
    let rate = if rate_per_sec.is_finite() && rate_per_sec > 0.0 {
        rate_per_sec
    } else {
        1.0
    };
    let base = Duration::from_secs_f64(1.0 / rate);
    base.max(crawl_delay.unwrap_or_default())
        .max(Duration::from_micros(1))
}

fn limiter(period: Duration) -> DefaultDirectRateLimiter {
    let quota = Quota::with_period(period)
        .expect("period is non-zero")
        .allow_burst(NonZeroU32::MIN);
    RateLimiter::direct(quota)
}

impl Politeness {
    /// Sets (or updates) a host's pacing. A changed period starts a fresh limiter whose first
    /// request still waits one period after now, so tightening never allows a burst.
    pub fn configure(
        &mut self,
        host: &str,
        rate_per_sec: f64,
        max_in_flight: u32,
        crawl_delay: Option<Duration>,
    ) {
        let period = period_for(rate_per_sec, crawl_delay);
        let max_in_flight = max_in_flight.max(1);
        match self.hosts.get_mut(host) {
            Some(pace) => {
                pace.max_in_flight = max_in_flight;
                pace.rate_per_sec = rate_per_sec;
                pace.crawl_delay = crawl_delay;
                if pace.period != period {
                    pace.period = period;
                    pace.limiter = limiter(period);
                    // Consume the fresh limiter's one cell: the next request waits a period.
                    let _ = pace.limiter.check();
                    // A rest begun under the old period lasts at most one new period.
                    let latest = Instant::now() + period;
                    pace.rested_until = pace.rested_until.map(|r| r.min(latest));
                }
            }
            None => {
                self.hosts.insert(
                    host.to_string(),
                    HostPace {
                        rate_per_sec,
                        crawl_delay,
                        limiter: limiter(period),
                        period,
                        in_flight: 0,
                        max_in_flight,
                        held_until: None,
                        throttled_until: None,
                        rested_until: None,
                        down_since: None,
                        down: 0,
                    },
                );
            }
        }
    }

    /// Applies a robots.txt Crawl-delay to a known host, keeping its rate; unknown hosts
    /// pick it up when first configured.
    pub fn set_crawl_delay(&mut self, host: &str, crawl_delay: Option<Duration>) {
        if let Some(pace) = self.hosts.get(host) {
            let (rate, max) = (pace.rate_per_sec, pace.max_in_flight);
            if pace.crawl_delay != crawl_delay {
                self.configure(host, rate, max, crawl_delay);
            }
        }
    }

    /// Configures a new host, or makes a known one at least as strict as these settings
    /// (lower rate, fewer in flight): seeds sharing a host never speed it up.
    pub fn tighten(
        &mut self,
        host: &str,
        rate_per_sec: f64,
        max_in_flight: u32,
        crawl_delay: Option<Duration>,
    ) {
        match self.hosts.get(host) {
            None => self.configure(host, rate_per_sec, max_in_flight, crawl_delay),
            Some(pace) => {
                let rate = pace.rate_per_sec.min(rate_per_sec);
                let max = pace.max_in_flight.min(max_in_flight.max(1));
                if rate != pace.rate_per_sec || max != pace.max_in_flight {
                    let delay = pace.crawl_delay;
                    self.configure(host, rate, max, delay);
                }
            }
        }
    }

    /// Asks to send one request to `host` now.
    pub fn try_acquire(&mut self, host: &str) -> Gate {
        let Some(pace) = self.hosts.get_mut(host) else {
            return Gate::Wait(Duration::ZERO);
        };
        let now = Instant::now();
        let mut wait = Duration::ZERO;
        for hold in [
            &mut pace.held_until,
            &mut pace.throttled_until,
            &mut pace.rested_until,
        ] {
            match *hold {
                Some(until) if until > now => wait = wait.max(until - now),
                Some(_) => *hold = None,
                None => {}
            }
        }
        if !wait.is_zero() {
            return Gate::Wait(wait);
        }
        if pace.in_flight >= pace.max_in_flight {
            return Gate::Busy;
        }
        match pace.limiter.check() {
            Ok(()) => {
                pace.in_flight += 1;
                Gate::Open
            }
            Err(not_until) => Gate::Wait(not_until.wait_time_from(self.clock.now())),
        }
    }

    /// Records that `host` is down and holds it: `base` × 1.5 per consecutive failure,
    /// capped at an hour, with ±20 % jitter so that many hosts do not return in step.
    /// Returns the hold.
    pub fn host_down(&mut self, host: &str, base: Duration) -> Duration {
        let Some(pace) = self.hosts.get_mut(host) else {
            return base;
        };
        pace.down += 1;
        let grown = base.as_secs_f64() * 1.5f64.powi(pace.down as i32 - 1);
        // Jitter from the clock's nanoseconds: unpredictable enough to spread hosts apart,
        // and no random-number crate for one multiplication.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let jitter = 0.8 + 0.4 * (nanos % 1000) as f64 / 1000.0;
        let hold = Duration::from_secs_f64((grown * jitter).min(3600.0));
        let until = Instant::now() + hold;
        pace.held_until = Some(pace.held_until.map_or(until, |u| u.max(until)));
        pace.down_since.get_or_insert_with(Instant::now);
        hold
    }

    /// Holds `host` for `hold` (the server asked us to wait): nothing is sent to it before
    /// then. A hold already longer stays.
    pub fn hold(&mut self, host: &str, hold: Duration) {
        let Some(pace) = self.hosts.get_mut(host) else {
            return;
        };
        let until = Instant::now() + hold;
        pace.throttled_until = Some(pace.throttled_until.map_or(until, |u| u.max(until)));
    }

    /// Makes `host` wait a full period before its next request (a host just taken over from
    /// another node, whose last request to it may have been a moment ago).
    pub fn rest(&mut self, host: &str) {
        if let Some(pace) = self.hosts.get_mut(host) {
            let until = Instant::now() + pace.period;
            pace.rested_until = Some(pace.rested_until.map_or(until, |r| r.max(until)));
        }
    }

    /// Records that `host` answered: the next failure starts the back-off afresh, and a
    /// held host is released at once (it answers again). Returns whether it was down.
    pub fn host_up(&mut self, host: &str) -> bool {
        let Some(pace) = self.hosts.get_mut(host) else {
            return false;
        };
        let was_down = pace.down > 0;
        pace.down = 0;
        pace.down_since = None;
        // A hold the server asked for (throttled_until) stands: one answer from a request in
        // flight meanwhile does not lift it.
        pace.held_until = None;
        was_down
    }

    /// How long `host` has been down without answering in between (site-down failures).
    pub fn down_for(&self, host: &str) -> Option<Duration> {
        self.hosts
            .get(host)
            .and_then(|p| p.down_since)
            .map(|since| since.elapsed())
    }

    /// Gives back a request slot taken by [`Politeness::try_acquire`], once the answer (or
    /// the failure) is over. A host taking one request at a time then rests a full period.
    pub fn release(&mut self, host: &str) {
        if let Some(pace) = self.hosts.get_mut(host) {
            pace.in_flight = pace.in_flight.saturating_sub(1);
            if pace.max_in_flight == 1 {
                pace.rested_until = Some(Instant::now() + pace.period);
            }
        }
    }

    /// Whether `host` is held now: down, or asked us to wait ([`Politeness::host_down`],
    /// [`Politeness::hold`]).
    pub fn held(&self, host: &str) -> bool {
        let now = Instant::now();
        self.hosts.get(host).is_some_and(|p| {
            [p.held_until, p.throttled_until]
                .into_iter()
                .flatten()
                .any(|until| until > now)
        })
    }

    /// The period between requests to `host`.
    pub fn period(&self, host: &str) -> Option<Duration> {
        self.hosts.get(host).map(|p| p.period)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_in_flight_and_spacing() {
        let mut p = Politeness::default();
        p.configure("a:80", 20.0, 1, None);
        assert_eq!(p.try_acquire("a:80"), Gate::Open);
        assert_eq!(p.try_acquire("a:80"), Gate::Busy);
        p.release("a:80");
        match p.try_acquire("a:80") {
            Gate::Wait(d) => assert!(d > Duration::ZERO && d <= Duration::from_millis(50)),
            other => panic!("expected a wait, got {other:?}"),
        }
        std::thread::sleep(Duration::from_millis(55));
        assert_eq!(p.try_acquire("a:80"), Gate::Open);
    }

    #[test]
    fn one_at_a_time_rests_a_period_after_the_answer() {
        let mut p = Politeness::default();
        p.configure("a:80", 20.0, 1, None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(p.try_acquire("a:80"), Gate::Open);
        // A slow answer: the limiter alone would let the next request go at once.
        std::thread::sleep(Duration::from_millis(60));
        p.release("a:80");
        match p.try_acquire("a:80") {
            Gate::Wait(d) => assert!(d > Duration::from_millis(40), "waits only {d:?}"),
            other => panic!("expected a wait of about a period, got {other:?}"),
        }
        // Two in flight: the limiter's spacing of starts is the rule, and a release frees a slot.
        p.configure("b:80", 20.0, 2, None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(p.try_acquire("b:80"), Gate::Open);
        std::thread::sleep(Duration::from_millis(60));
        p.release("b:80");
        assert_eq!(p.try_acquire("b:80"), Gate::Open);
    }

    #[test]
    fn a_hold_the_server_asked_for_outlasts_other_answers() {
        let mut p = Politeness::default();
        p.configure("a:80", 1000.0, 2, None);
        p.hold("a:80", Duration::from_secs(60));
        // Another request in flight meanwhile got a 200: the host answers, the hold stands.
        p.host_up("a:80");
        assert!(matches!(p.try_acquire("a:80"), Gate::Wait(d) if d > Duration::from_secs(50)));
        // A site-down hold never shortens it either.
        p.host_down("a:80", Duration::from_millis(1));
        assert!(matches!(p.try_acquire("a:80"), Gate::Wait(d) if d > Duration::from_secs(50)));
        assert!(p.down_for("a:80").is_some());
        p.host_up("a:80");
        assert_eq!(p.down_for("a:80"), None);
    }

    #[test]
    fn a_down_host_backs_off_by_half_again_each_time() {
        let mut p = Politeness::default();
        p.configure("d:80", 100.0, 1, None);
        let base = Duration::from_secs(10);
        let holds: Vec<Duration> = (0..4).map(|_| p.host_down("d:80", base)).collect();
        for (i, h) in holds.iter().enumerate() {
            let expected = 10.0 * 1.5f64.powi(i as i32);
            let secs = h.as_secs_f64();
            assert!(
                secs >= expected * 0.8 && secs <= expected * 1.2,
                "hold {i}: {secs}s"
            );
        }
        assert!(matches!(p.try_acquire("d:80"), Gate::Wait(d) if d > Duration::from_secs(20)));
        p.host_up("d:80");
        assert_ne!(p.try_acquire("d:80"), Gate::Busy);
    }

    #[test]
    fn shared_hosts_take_the_strictest_settings() {
        let mut p = Politeness::default();
        p.tighten("c:80", 10.0, 2, None);
        p.tighten("c:80", 50.0, 4, None);
        assert_eq!(p.period("c:80"), Some(Duration::from_millis(100)));
        p.tighten("c:80", 2.0, 1, None);
        assert_eq!(p.period("c:80"), Some(Duration::from_millis(500)));
        // A tightened host starts a fresh period: no burst right after the change.
        match p.try_acquire("c:80") {
            Gate::Wait(d) => assert!(d > Duration::from_millis(400), "{d:?}"),
            other => panic!("expected a wait, got {other:?}"),
        }
    }

    #[test]
    fn crawl_delay_slows_a_fast_seed() {
        let mut p = Politeness::default();
        p.configure("b:80", 100.0, 1, Some(Duration::from_secs(2)));
        assert_eq!(p.period("b:80"), Some(Duration::from_secs(2)));
        assert_eq!(p.try_acquire("b:80"), Gate::Open);
        p.release("b:80");
        match p.try_acquire("b:80") {
            Gate::Wait(d) => assert!(d > Duration::from_millis(1900)),
            other => panic!("expected a wait, got {other:?}"),
        }
    }
}
