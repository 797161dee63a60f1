//! What nightjar fetches next, and when.
//!
//! The frontier turns seeds into a queue of URLs: canonical form and SURT keys ([`canon`]),
//! what a seed may reach and which URLs are traps ([`scope`]), robots.txt ([`robots`]),
//! per-host pacing ([`politeness`]), when each page is due again ([`schedule`]), and the queue
//! itself, kept in the database so that memory does not grow with the number of queued URLs
//! and a restarted daemon resumes where it stopped ([`queue`]). It never touches the network:
//! the crawler fetches and reports back.
//!
//! The [`queue`] module (and [`schema`], which creates the tables) is the only code that
//! queries the frontier's tables. [`Frontier`] opens on a [`db::Db`]; the methods that write
//! together with the archive's index take a [`db::Tx`].
//!
//! # Contents
//!
//! Modules:
//! * [`canon`]: canonical, fetchable URLs ([`canon::canonicalize`], [`canon::resolve`]) and
//!   SURT index keys ([`canon::surt`]);
//! * [`scope`]: what a seed may reach ([`scope::Scope`], [`scope::ScopeKind`]) and the trap
//!   guards ([`scope::TrapGuard`]);
//! * [`robots`]: one host's robots.txt rules ([`robots::RobotsRules`]);
//! * [`politeness`]: per-host pacing in memory ([`politeness::Politeness`]);
//! * [`novelty`]: link farms, hosts whose new pages stop adding anything
//!   ([`novelty::Novelty`]);
//! * [`retry`]: what an error answer (429, 503, other 5xx, `Retry-After`) asks for
//!   ([`retry::RetryPolicy`]);
//! * [`schedule`]: adaptive recrawl intervals ([`schedule::next_interval`]);
//! * [`seed`]: a seed's rules as the config layer hands them over;
//! * [`actions`]: links that act on a site (log out, delete, vote, buy), not followed
//!   ([`actions::ActionPolicy`]);
//! * [`leases`]: several nodes on one frontier, each fetching from the hosts it holds a
//!   lease on ([`leases::Leasing`]);
//! * [`queue`]: the persisted queue ([`Frontier`], [`queue::FrontierConfig`]) and
//!   read-only helpers ([`queue::urls_per_seed`], [`queue::host_key`]);
//! * [`schema`]: the frontier's tables and their migrations ([`schema::SQLITE_MIGRATOR`]).
//!
//! Re-exported at the root, since the crawler uses them everywhere:
//! * from [`queue`]: [`Frontier`], [`Lease`], [`Next`], [`Admission`], [`Finished`],
//!   [`UrlState`];
//! * from [`schedule`]: [`Adaptation`], [`Freshness`];
//! * from [`seed`]: [`SeedSpec`], [`RobotsPolicy`], [`Route`].

#![warn(missing_docs)]
#![warn(unreachable_pub)]

pub mod actions;
pub mod canon;
mod lanes;
pub mod leases;
pub mod novelty;
pub mod politeness;
pub mod queue;
pub mod retry;
pub mod robots;
pub mod schedule;
pub mod schema;
pub mod scope;
pub mod seed;

pub use queue::{Admission, Finished, Frontier, Lease, Next, SeedRoot, UrlState};
pub use schedule::{Adaptation, Freshness};
pub use seed::{RobotsPolicy, Route, SeedSpec};
