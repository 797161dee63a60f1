//! The evidence store of nightjar.
//!
//! Everything nightjar captures ends up here as WARC 1.1 records, each compressed as its own
//! zstd (or gzip) frame so that any record can be read back from its offset alone and so that
//! `zstd -dc` (or `gzip -dc`) turns a file into a plain WARC that public tools read. This crate
//! owns the bytes on disk and the capture index that points into them; it never decides what
//! to fetch. The crawler hands it finished exchanges; analysts read through [`index`] and
//! check everything with [`verify`].

pub mod changes;
pub mod custody;
pub mod digest;
pub mod export;
pub mod files;
pub mod frames;
pub mod http;
pub mod index;
pub mod record;
pub mod repair;
pub mod schema;
pub mod verify;
pub mod writer;

pub use frames::Compression;
pub use writer::{Exchange, StoredExchange, WarcWriter, WriterConfig};
