//! The nightjar crawler: configuration, seed lists, fetching, link extraction and the crawl
//! loop behind the `nightjar` command.
//!
//! Data flows one way: seeds go into the [`frontier`], leased URLs are fetched ([`fetch`]),
//! the exchange is archived ([`archive`]), and the links found ([`extract`]) go back to the
//! frontier; the page's visible text ([`text`]) goes to the change index, which [`monitor`]
//! shows analysts (changes, history, diff). [`engine`] runs that loop; [`recover`] mends
//! what a crash left behind.

pub mod actions;
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
pub mod monitor;
pub mod onion;
pub mod recover;
pub mod reload;
pub mod seed_admin;
pub mod seeds;
pub mod service;
pub mod status;
pub mod store;
pub mod text;
