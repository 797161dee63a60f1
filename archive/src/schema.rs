//! The archive's tables (`warc_records`, `captures`, `changes`, `capture_text`) and their
//! versioned migrations.
//!
//! Each crate owns its tables and ships the migrations that create and change them, in
//! `migrations/sqlite/` beside its `Cargo.toml`. All crates share one `_sqlx_migrations`
//! table, so each takes its own range of versions: the archive 2000–2999. The daemon applies
//! every crate's migrations at start (and refuses a database that a newer nightjar wrote);
//! [`migrate`] is for callers that hold only the archive, such as tests and benchmarks.

use db::{Db, Pool};
use sqlx::migrate::{MigrateError, Migrator};

/// The archive's migrations for SQLite. They share the migrations table with other crates' ranges,
/// so versions this migrator does not know are left to their owners.
pub static SQLITE_MIGRATOR: Migrator = Migrator {
    ignore_missing: true,
    ..sqlx::migrate!("./migrations/sqlite")
};

/// Brings the archive's tables up to this build's version.
pub async fn migrate(db: &Db) -> Result<(), MigrateError> {
    match db.pool() {
        Pool::Sqlite(pool) => SQLITE_MIGRATOR.run(pool).await,
    }
}
