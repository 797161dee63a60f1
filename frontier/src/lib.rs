//! What nightjar fetches next, and when.
//!
//! The frontier turns seeds into a queue of URLs: canonical form and SURT keys ([`canon`]),
//! what a seed may reach and which URLs are traps ([`scope`]), robots.txt ([`robots`]),
//! per-host pacing ([`politeness`]), when each page is due again ([`schedule`]), and the queue
//! itself, kept in the database so that memory does not grow with the number of queued URLs
//! and a restarted daemon resumes where it stopped ([`queue`]). It never touches the network:
//! the crawler fetches and reports back.

pub mod canon;
mod lanes;
pub mod politeness;
pub mod queue;
pub mod robots;
pub mod schedule;
pub mod schema;
pub mod scope;
pub mod seed;

pub use queue::{Admission, Finished, Frontier, Lease, Next, UrlState};
pub use schedule::{Adaptation, Freshness};
pub use seed::{RobotsPolicy, Route, SeedSpec};
