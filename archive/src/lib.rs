//! The evidence store of nightjar.
//!
//! Everything nightjar captures ends up here as WARC 1.1 records, each compressed as its own
//! zstd (or gzip) frame so that any record can be read back from its offset alone and so that
//! `zstd -dc` (or `gzip -dc`) turns a file into a plain WARC that public tools read. This crate
//! owns the bytes on disk and the capture index that points into them; it never decides what
//! to fetch. The crawler hands it finished exchanges; analysts read through [`index`] and
//! check everything with [`verify`].
//!
//! The index's and the change index's functions are the only ones that query the archive's
//! tables. They take a [`db::Db`] (or a [`db::Tx`], to index a capture in the same
//! transaction as the frontier's update), never an engine's own types; each matches on the
//! engine and holds that engine's SQL.
//!
//! # Contents
//!
//! Modules:
//! * [`writer`]: appending captures to WARC files ([`WarcWriter`], [`Exchange`]) and the
//!   revisit rules ([`writer::revisit_profile`], [`writer::response_facts`]);
//! * [`record`]: WARC 1.1 records written and parsed back ([`record::RecordType`],
//!   [`record::ParsedRecord`]);
//! * [`frames`]: one compressed frame per record ([`Compression`], [`frames::FrameWalker`],
//!   [`frames::read_frame_at`]);
//! * [`http`]: the archived HTTP message read back out of a block ([`http::HttpMessage`]);
//! * [`digest`]: digests in their one written form ([`digest::Sha256`],
//!   [`digest::sha256_label`]);
//! * [`files`]: the WARC file set of a directory, its names and serials ([`files::locate`],
//!   [`files::serial_of`]);
//! * [`index`]: the capture index ([`index::CaptureRow`], [`index::search`],
//!   [`index::cdxj`]);
//! * [`changes`]: the change index, each capture classed against the one before
//!   ([`changes::ChangeClass`], [`changes::record`], [`changes::feed`]);
//! * [`ledger`]: the entity ledger, each validated entity's sightings and first and last
//!   time seen per host ([`ledger::record`], [`ledger::list`], [`ledger::timeline`]);
//! * [`lookalike`]: host fingerprints, look-alike hosts and vanity onion names
//!   ([`lookalike::compare`], [`lookalike::shared_affix`]);
//! * [`misp`]: entities as a MISP event ([`misp::event`]);
//! * [`search`]: full-text search over every archived page's visible text
//!   ([`search::search`], [`search::SearchRequest`]);
//! * [`custody`]: the chain of custody: hash chain, node key, seals, timestamps and their
//!   checks ([`custody::seal::Seal`], [`custody::key::NodeKey`], [`custody::check::check`]);
//! * [`export`]: signed WACZ evidence packages ([`export::export`],
//!   [`export::ExportRequest`]);
//! * [`verify`]: re-reading the archive against the index and the custody
//!   ([`verify::verify`], [`verify::Report`]);
//! * [`erasure`]: erasing captures past retention or on request, with a signed erasure
//!   record and tombstones the chain still proves ([`erasure::Erasure`], [`erasure::blank`]);
//! * [`repair`]: mending `.open` files left by a crash ([`repair::repair_open_files`]);
//! * [`revisit`]: the revisit decision and its WARC profiles ([`revisit::revisit_profile`]);
//! * [`schema`]: the archive's tables and their migrations ([`schema::SQLITE_MIGRATOR`]).
//!
//! Re-exported at the root, since the crawler and the bench use them everywhere:
//! * from [`writer`]: [`WarcWriter`], [`WriterConfig`], [`Exchange`], [`StoredExchange`];
//! * from [`frames`]: [`Compression`].

#![warn(missing_docs)]
#![warn(unreachable_pub)]

pub mod changes;
pub mod custody;
pub mod digest;
pub mod erasure;
pub mod export;
pub mod files;
pub mod frames;
pub mod http;
pub mod index;
pub mod ledger;
pub mod lookalike;
pub mod misp;
pub mod record;
pub mod repair;
pub mod revisit;
pub mod schema;
pub mod search;
pub mod verify;
pub mod volatile;
pub mod writer;

pub use frames::Compression;
pub use writer::{Exchange, StoredExchange, WarcWriter, WriterConfig};
