//! The frontier's tables (`seeds`, `urls`, `robots`, `host_leases`) and their versioned
//! migrations.
//!
//! Each crate owns its tables and ships the migrations that create and change them, one
//! folder per engine beside its `Cargo.toml` (`migrations/sqlite/`, `migrations/postgres/`,
//! with the same versions). All crates share one `_sqlx_migrations`
//! table, so each takes its own range of versions: the frontier 1000–1999. The daemon applies
//! every crate's migrations at start (and refuses a database that a newer nightjar wrote);
//! [`migrate`] is for callers that hold only a frontier, such as tests and benchmarks.

use db::{Db, Pool};
use sqlx::migrate::{MigrateError, Migrator};

/// The frontier's migrations for SQLite. They share the migrations table with other crates' ranges,
/// so versions this migrator does not know are left to their owners.
pub static SQLITE_MIGRATOR: Migrator = Migrator {
    ignore_missing: true,
    ..sqlx::migrate!("./migrations/sqlite")
};

/// The frontier's migrations for PostgreSQL (the same versions as SQLite's).
#[cfg(feature = "postgres")]
pub static POSTGRES_MIGRATOR: Migrator = Migrator {
    ignore_missing: true,
    ..sqlx::migrate!("./migrations/postgres")
};

/// Brings the frontier's tables up to this build's version.
pub async fn migrate(db: &Db) -> Result<(), MigrateError> {
    match db.pool() {
        Pool::Sqlite(pool) => SQLITE_MIGRATOR.run(pool).await,
        #[cfg(feature = "postgres")]
        Pool::Postgres(pool) => POSTGRES_MIGRATOR.run(pool).await,
    }
}
