//! The daemon's own tables: the seed log, API tokens, the audit log, export jobs, watches
//! with their alerts, the co-signing witness's heads, the sites' mirror checks, and legal
//! holds and erasure requests.
//!
//! Each crate owns its tables and is the only one that queries them: the frontier its queue
//! (`frontier::queue`), the archive its record, capture and change index (`archive::index`,
//! `archive::changes`), and the daemon these four, here and nowhere else. Everything above
//! (the command line, the API, the crawl loop) calls these functions and never writes SQL;
//! the layout of every crate's tables is brought up to date by [`schema`].

pub mod audit_log;
pub mod export_jobs;
pub mod mirrors;
pub mod nodes;
pub mod retention;
pub mod schema;
pub mod seed_log;
pub mod tokens;
pub mod watches;
pub mod witness;
