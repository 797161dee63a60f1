//! Chain of custody: proof that nothing was added, removed, reordered or altered since
//! capture, by whom the archive was written, and (optionally) when, by a third party.
//!
//! Three layers, each checkable with public tools:
//! - Every record appended to the archive extends a hash chain
//!   (`chain_n = SHA-256(chain_{n-1} ‖ record_digest_n)`, [`chain`]) over the SHA-256 of the
//!   *uncompressed* record, so recompressing a file (zstd to gzip for an export) keeps the
//!   evidence intact. The chain value of every record is in the index, and checkpoint
//!   `metadata` records write the running head into the WARC files themselves.
//! - When a file is closed, a seal is written next to it ([`seal`]): the file's SHA-256, its
//!   records and chain values, and the previous file's seal hash (so files chain too),
//!   signed with this node's Ed25519 key ([`key`]).
//! - A seal may carry an RFC 3161 timestamp token from a timestamping authority
//!   ([`timestamp`]). [`check`] verifies all of it; [`package`] checks an exported WACZ.

pub mod chain;
pub mod check;
pub mod heads;
pub mod key;
pub mod log;
pub mod package;
pub mod repairs;
pub mod rotation;
pub mod seal;
pub mod text;
pub mod timestamp;
