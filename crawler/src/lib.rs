//! The nightjar crawler and daemon: configuration, seed lists, fetching, link extraction, the
//! crawl loop, the analysts' actions and API, and the service around them; the `nightjar`
//! command (`src/main.rs`, `src/cli/`) is built on this library.
//!
//! Data flows one way: seeds go into the [`frontier`], leased URLs are fetched ([`fetch`]),
//! the exchange is archived ([`archive`]), and the links found ([`extract`]) go back to the
//! frontier; the page's visible text ([`text`]) goes to the change index, which [`monitor`]
//! shows analysts (changes, history, diff), and with the links to the entity ledger and the
//! full-text index (the `entities` crate validates what is found). [`engine`] runs that
//! loop; [`recover`] mends what a crash left behind; [`reindex`] builds the ledger and the
//! text index for captures archived before them.
//!
//! # Contents
//!
//! * The crawl: [`engine`] (the loop, [`engine::Crawler`]), [`fetch`] (the direct and Tor
//!   routes behind [`fetch::Fetcher`]), [`extract`], [`text`] and [`decode`] (what a response
//!   holds), [`onion`] (onion address checks), [`recover`] (crash recovery), [`custody`]
//!   (seals as files close), [`reindex`] (the entity and text backfill), [`mirrors`] (a
//!   site's signed mirror list and canary, checked against pinned keys).
//! * Configuration and seeds: [`config`], [`seeds`] (reading seed lists), [`seed_admin`]
//!   (editing them), [`data`] (opening a data directory).
//! * What people do: [`actions`] (reading, searching, diffing, exporting, tokens; authorized
//!   and audited for both front ends), [`api`] (the HTTP API), [`console`] (the web console),
//!   [`audit`] (the hash-chained audit log), [`monitor`] (diffs and their rendering).
//! * The daemon's tables: [`store`] (seed log, tokens, audit log, export jobs, and the
//!   migrations of every crate). Like the frontier's and the archive's store functions, the
//!   four tables' functions take a [`db::Db`], never an engine's own types. [`data`] opens
//!   the one engine there is today (SQLite) and hands out the handle; the layout checks it
//!   runs first ([`store::schema`]) are SQLite's, and take its pool.
//! * Watches: [`watch`] (what analysts want to be told about, matched as captures are
//!   indexed) and [`alerts`] (the log, audit, metrics and the webhook and command sinks).
//! * The service: [`service`] (systemd, signals, disk space), [`reload`] (live reloads),
//!   [`status`] (the status file), [`metrics`] (Prometheus).

#![warn(missing_docs, unreachable_pub)]
// A daemon path never panics on a value it could not get: it says why, or recovers.
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

pub mod actions;
pub mod alerts;
pub mod api;
pub mod audit;
pub mod config;
pub mod console;
pub mod custody;
pub mod data;
pub mod decode;
pub mod engine;
pub mod extract;
pub mod fetch;
pub mod metrics;
pub mod mirrors;
pub mod monitor;
pub mod nodes;
pub mod onion;
pub mod outbound;
pub mod peers;
pub mod recover;
pub mod reindex;
pub mod reload;
pub mod retention;
pub mod seed_admin;
pub mod seed_state;
pub mod seeds;
pub mod service;
pub mod session;
pub mod status;
pub mod store;
pub mod text;
pub mod watch;
pub mod witness;
