//! Which (seed, host) lines have URLs queued, and whose turn it is.
//!
//! Why this exists: choosing the next URL by grouping the whole queue in SQL costs time in
//! proportion to the queued URLs, for every fetch: fine at a thousand, hopeless at ten
//! million. Here each line of the queue (one seed's URLs on one host, a *lane*) is a small
//! entry in memory, so memory grows with hosts, not URLs, and choosing costs a few map
//! operations plus one indexed query for the lane's oldest URL.
//!
//! A lane is *ready* (its turn may come), *snoozed* until an instant (its host's pace says
//! wait, or its URLs wait for a retry time), or *parked* (its host has its maximum of requests
//! in flight; a finishing fetch un-parks it). Turns are as before: the seed served longest ago
//! first, then its host served longest ago. The set is a cache of the database: whatever may
//! have missed it, the queue rebuilds it from the database when it runs out of lanes.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};
use std::time::{Duration, Instant};

/// One seed's URLs on one host (`host:port`).
pub(crate) type Lane = (i64, String);

/// How long a lane that looked empty waits before it is looked at once more and dropped: a
/// URL admitted in a transaction not yet committed is invisible to the first look.
pub(crate) const EMPTY_RECHECK: Duration = Duration::from_millis(200);

#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    /// In its seed's ready set under this host turn key.
    Ready(u64),
    /// Back at this instant.
    Snoozed(Instant),
    Parked,
}

/// The lanes and their turns.
#[derive(Default)]
pub(crate) struct Lanes {
    tick: u64,
    seed_turn: HashMap<i64, u64>,
    host_turn: HashMap<String, u64>,
    /// Seeds with a ready lane, by their last turn (keyed as inserted).
    seeds: BTreeSet<(u64, i64)>,
    seed_key: HashMap<i64, u64>,
    /// Each seed's ready hosts, by their last turn.
    ready: HashMap<i64, BTreeSet<(u64, String)>>,
    state: HashMap<Lane, State>,
    timers: BinaryHeap<Reverse<(Instant, i64, String)>>,
    parked: HashMap<String, Vec<i64>>,
    /// Lanes that looked empty once since they last had something.
    probing: HashSet<Lane>,
    /// The set may be missing lanes: rebuild it from the database before choosing.
    pub(crate) stale: bool,
}

impl Lanes {
    /// A set that must be built from the database first.
    pub(crate) fn stale() -> Lanes {
        Lanes {
            stale: true,
            ..Lanes::default()
        }
    }

    /// Forgets every lane (before a rebuild); turns are kept.
    pub(crate) fn clear(&mut self) {
        self.seeds.clear();
        self.seed_key.clear();
        self.ready.clear();
        self.state.clear();
        self.timers.clear();
        self.parked.clear();
        self.probing.clear();
    }

    /// The lane has URLs queued (again): it becomes ready unless its host is busy.
    pub(crate) fn add(&mut self, seed: i64, host: &str) {
        let lane = (seed, host.to_string());
        self.probing.remove(&lane);
        match self.state.get(&lane) {
            Some(State::Ready(_)) | Some(State::Parked) => {}
            _ => self.make_ready(lane),
        }
    }

    /// The lane whose turn it is, if any is ready (first bringing back snoozed lanes whose
    /// time has come).
    pub(crate) fn front(&mut self, now: Instant) -> Option<Lane> {
        while let Some(Reverse((at, _, _))) = self.timers.peek() {
            if *at > now {
                break;
            }
            let Reverse((at, seed, host)) = self.timers.pop().expect("peeked");
            let lane = (seed, host);
            if let Some(State::Snoozed(until)) = self.state.get(&lane) {
                if *until == at {
                    self.make_ready(lane);
                }
            }
        }
        let &(_, seed) = self.seeds.first()?;
        let (_, host) = self.ready.get(&seed)?.first()?;
        Some((seed, host.clone()))
    }

    /// Up to `n` ready lanes in about the order their turns come: the first ready host of
    /// each seed in the seeds' order, then the second of each, and so on. The front lane
    /// ([`Lanes::front`], which first brings back snoozed lanes) comes first. Nothing moves:
    /// the queue reads these lanes' URLs in one round (see `Frontier::round`).
    pub(crate) fn upcoming(&self, n: usize) -> Vec<Lane> {
        let mut per_seed: Vec<_> = self
            .seeds
            .iter()
            .take(n)
            .filter_map(|&(_, seed)| self.ready.get(&seed).map(|hosts| (seed, hosts.iter())))
            .collect();
        let mut out = Vec::new();
        while out.len() < n && !per_seed.is_empty() {
            per_seed.retain_mut(|(seed, hosts)| {
                if out.len() >= n {
                    return false;
                }
                match hosts.next() {
                    Some((_, host)) => {
                        out.push((*seed, host.clone()));
                        true
                    }
                    None => false,
                }
            });
        }
        out
    }

    /// The lane was served: it and its seed go to the back of their lines.
    pub(crate) fn served(&mut self, lane: &Lane) {
        self.tick += 1;
        self.seed_turn.insert(lane.0, self.tick);
        self.host_turn.insert(lane.1.clone(), self.tick);
        self.probing.remove(lane);
        if let Some(State::Ready(_)) = self.state.get(lane) {
            self.unready(lane);
            self.make_ready(lane.clone());
        }
    }

    /// Not before `until` (pace, or retry times).
    pub(crate) fn snooze(&mut self, lane: Lane, until: Instant) {
        self.unready(&lane);
        self.timers.push(Reverse((until, lane.0, lane.1.clone())));
        self.state.insert(lane, State::Snoozed(until));
    }

    /// The lane had nothing to hand out: looked at once more shortly, then dropped.
    pub(crate) fn looked_empty(&mut self, lane: Lane, now: Instant) {
        if self.probing.remove(&lane) {
            self.remove(&lane);
            return;
        }
        self.probing.insert(lane.clone());
        self.snooze(lane, now + EMPTY_RECHECK);
    }

    /// Its host has its maximum of requests in flight.
    pub(crate) fn park(&mut self, lane: Lane) {
        self.unready(&lane);
        self.parked.entry(lane.1.clone()).or_default().push(lane.0);
        self.state.insert(lane, State::Parked);
    }

    /// A request to `host` finished: its parked lanes are ready again.
    pub(crate) fn release(&mut self, host: &str) {
        for seed in self.parked.remove(host).unwrap_or_default() {
            let lane = (seed, host.to_string());
            if self.state.get(&lane) == Some(&State::Parked) {
                self.make_ready(lane);
            }
        }
    }

    /// Forgets a lane (empty, or its seed is no longer crawled).
    pub(crate) fn remove(&mut self, lane: &Lane) {
        self.unready(lane);
        self.state.remove(lane);
        self.probing.remove(lane);
    }

    /// When the next snoozed lane comes back, and whether any lane is parked.
    pub(crate) fn waiting(&self) -> (Option<Instant>, bool) {
        let soonest = self.timers.peek().map(|Reverse((at, _, _))| *at);
        (soonest, !self.parked.is_empty())
    }

    fn make_ready(&mut self, lane: Lane) {
        let (seed, host) = lane;
        let key = self.host_turn.get(&host).copied().unwrap_or(0);
        let set = self.ready.entry(seed).or_default();
        if set.is_empty() {
            let sk = self.seed_turn.get(&seed).copied().unwrap_or(0);
            self.seeds.insert((sk, seed));
            self.seed_key.insert(seed, sk);
        }
        set.insert((key, host.clone()));
        self.state.insert((seed, host), State::Ready(key));
    }

    fn unready(&mut self, lane: &Lane) {
        let Some(State::Ready(key)) = self.state.get(lane).copied() else {
            return;
        };
        let seed = lane.0;
        let Some(set) = self.ready.get_mut(&seed) else {
            return;
        };
        set.remove(&(key, lane.1.clone()));
        let sk = self.seed_key.get(&seed).copied().unwrap_or(0);
        self.seeds.remove(&(sk, seed));
        if set.is_empty() {
            self.ready.remove(&seed);
            self.seed_key.remove(&seed);
        } else {
            // The seed's place in line follows its latest turn.
            let now_key = self.seed_turn.get(&seed).copied().unwrap_or(0);
            self.seeds.insert((now_key, seed));
            self.seed_key.insert(seed, now_key);
        }
        self.state.remove(lane);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lane(seed: i64, host: &str) -> Lane {
        (seed, host.to_string())
    }

    #[test]
    fn seeds_take_turns_then_their_hosts() {
        let mut l = Lanes::default();
        let now = Instant::now();
        l.add(1, "a:80");
        l.add(1, "b:80");
        l.add(2, "c:80");
        let mut order = Vec::new();
        for _ in 0..6 {
            let f = l.front(now).expect("a ready lane");
            l.served(&f);
            order.push(f.1);
        }
        // Seed 1 and seed 2 alternate; seed 1's hosts alternate among themselves.
        assert_eq!(order, ["a:80", "c:80", "b:80", "c:80", "a:80", "c:80"]);
    }

    #[test]
    fn snoozed_lanes_come_back_on_time_and_parked_ones_on_release() {
        let mut l = Lanes::default();
        let now = Instant::now();
        l.add(1, "a:80");
        l.add(1, "b:80");
        l.snooze(lane(1, "a:80"), now + Duration::from_secs(1));
        l.park(lane(1, "b:80"));
        assert_eq!(l.front(now), None);
        assert_eq!(l.waiting(), (Some(now + Duration::from_secs(1)), true));
        l.release("b:80");
        assert_eq!(l.front(now), Some(lane(1, "b:80")));
        l.remove(&lane(1, "b:80"));
        assert_eq!(l.front(now + Duration::from_secs(2)), Some(lane(1, "a:80")));
    }

    #[test]
    fn upcoming_lanes_follow_the_turns_without_moving_them() {
        let mut l = Lanes::default();
        let now = Instant::now();
        l.add(1, "a:80");
        l.add(1, "b:80");
        l.add(2, "c:80");
        l.add(3, "d:80");
        l.snooze(lane(3, "d:80"), now + Duration::from_secs(1));
        let first = l.front(now).expect("a ready lane");
        let round = l.upcoming(10);
        assert_eq!(round[0], first);
        // Each seed's first host, then the second: the snoozed lane is not among them.
        assert_eq!(round, [lane(1, "a:80"), lane(2, "c:80"), lane(1, "b:80")]);
        assert_eq!(l.upcoming(2), [lane(1, "a:80"), lane(2, "c:80")]);
        // Asking moved nothing.
        assert_eq!(l.front(now), Some(first));
        // Parked lanes are not upcoming either.
        l.park(lane(2, "c:80"));
        assert_eq!(l.upcoming(10), [lane(1, "a:80"), lane(1, "b:80")]);
    }

    #[test]
    fn an_empty_lane_is_dropped_on_its_second_empty_look_unless_refilled() {
        let mut l = Lanes::default();
        let now = Instant::now();
        l.add(1, "a:80");
        l.looked_empty(lane(1, "a:80"), now);
        let later = now + EMPTY_RECHECK;
        assert_eq!(l.front(later), Some(lane(1, "a:80")));
        l.looked_empty(lane(1, "a:80"), later);
        assert_eq!(l.front(later + EMPTY_RECHECK), None);
        assert!(l.state.is_empty());
        // Refilled between the two looks: it stays.
        l.add(1, "a:80");
        l.looked_empty(lane(1, "a:80"), now);
        l.add(1, "a:80");
        assert_eq!(l.front(now), Some(lane(1, "a:80")));
    }
}
