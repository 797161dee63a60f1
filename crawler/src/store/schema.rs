//! The database layout of a data directory: every crate's versioned migrations, applied in
//! one place, and the refusals that keep an upgrade from losing anything.
//!
//! Each crate owns its tables and their migrations (`migrations/sqlite/` beside its
//! `Cargo.toml`): the frontier versions 1000–1999 ([`frontier::schema`]), the archive
//! 2000–2999 ([`archive::schema`]), the daemon's own tables (seed log, API tokens, audit log,
//! export jobs) 3000–3999 ([`MIGRATOR`]). They share sqlx's `_sqlx_migrations` table, which
//! records each applied version with the checksum of its SQL.
//!
//! At every start, before anything is written:
//! - a database with a version this build does not know was written by a newer nightjar and
//!   is refused, untouched (a downgrade never half-reads evidence it does not understand);
//! - a migration that failed midway, or whose SQL differs from the one applied, is refused;
//! - a database from before versioned migrations must be nightjar 0.1.0's layout (3 in
//!   `PRAGMA user_version`); older layouts are refused as 0.1.0 refused them;
//! - when an existing database has migrations pending, a copy is kept first
//!   (`nightjar.db.before-VERSION`, by `VACUUM INTO`), then the migrations run, each in its
//!   own transaction. Processes that start together (the daemon and a command) take turns
//!   through a lock on `nightjar.db.upgrade-lock`: one upgrades, the others find it done.
//!
//! `PRAGMA user_version` is then set to [`MANAGED_LAYOUT`], which 0.1.0 does not know: it
//! refuses the upgraded directory rather than misread it.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use sqlx::migrate::Migrator;
use sqlx::SqlitePool;

/// The daemon's own tables' migrations (versions 3000–3999).
pub static MIGRATOR: Migrator = Migrator {
    ignore_missing: true,
    ..sqlx::migrate!("./migrations/sqlite")
};

/// `PRAGMA user_version` of nightjar 0.1.0, the last layout before versioned migrations.
const LAYOUT_0_1_0: i64 = 3;

/// `PRAGMA user_version` of a database whose layout `_sqlx_migrations` records.
pub const MANAGED_LAYOUT: i64 = 4;

/// Every migrator, in the order they run (a crate's tables before those that refer to them).
fn migrators() -> [&'static Migrator; 3] {
    [
        &frontier::schema::MIGRATOR,
        &archive::schema::MIGRATOR,
        &MIGRATOR,
    ]
}

/// Every migration version this build knows.
pub fn known_versions() -> BTreeSet<i64> {
    migrators()
        .iter()
        .flat_map(|m| m.iter().map(|mig| mig.version))
        .collect()
}

/// What the database says about its own layout.
struct Found {
    user_version: i64,
    has_tables: bool,
    /// (version, success) of each applied migration; `None` before versioned migrations.
    applied: Option<Vec<(i64, bool)>>,
}

async fn inspect(pool: &SqlitePool) -> anyhow::Result<Found> {
    let user_version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(pool)
        .await?;
    let has_tables: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table'
                        AND name IN ('captures', 'urls', 'audit_log', 'seeds'))",
    )
    .fetch_one(pool)
    .await?;
    let tracked: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(pool)
    .await?;
    let applied = if tracked {
        Some(
            sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
                .fetch_all(pool)
                .await?,
        )
    } else {
        None
    };
    Ok(Found {
        user_version,
        has_tables,
        applied,
    })
}

/// Checks that this build may open the database at `path`, keeps a copy when an upgrade is
/// due, and applies every pending migration.
pub async fn upgrade(pool: &SqlitePool, path: &Path) -> anyhow::Result<()> {
    let found = inspect(pool).await?;
    if plan(&found, path)?.1.is_empty() {
        return mark_managed(pool, &found).await;
    }
    // Another process (the daemon and a command started together) may be upgrading the same
    // database: one upgrades, the others wait for it and then find nothing left to do.
    let lock = upgrade_lock(path).await?;
    let found = inspect(pool).await?;
    let (applied, pending) = plan(&found, path)?;
    if pending.is_empty() {
        return mark_managed(pool, &found).await;
    }
    if found.has_tables {
        let copy = backup_path(path, &applied);
        keep_copy(pool, &copy).await?;
        tracing::info!(
            copy = %copy.display(),
            pending = ?pending,
            "upgrading the database layout; a copy of the old database is kept"
        );
    }
    for migrator in migrators() {
        migrator.run(pool).await.with_context(|| {
            format!(
                "cannot upgrade the database layout of {}: restore the copy kept beside it \
                 (nightjar.db.before-*) to go back",
                path.display()
            )
        })?;
    }
    mark_managed(pool, &found).await?;
    drop(lock);
    Ok(())
}

/// The migrations already applied and those this build would apply, or why this build must
/// not touch the database.
fn plan(found: &Found, path: &Path) -> anyhow::Result<(BTreeSet<i64>, Vec<i64>)> {
    let known = known_versions();
    let newest_known = known.last().copied().unwrap_or(0);
    let applied: BTreeSet<i64> = match &found.applied {
        Some(rows) => {
            let unknown: Vec<i64> = rows
                .iter()
                .map(|(v, _)| *v)
                .filter(|v| !known.contains(v))
                .collect();
            if !unknown.is_empty() {
                bail!(
                    "{} was written by a newer nightjar (database migrations {unknown:?}; this \
                     build knows up to {newest_known}): run that version or a newer one on it. \
                     Nothing was changed",
                    path.display()
                );
            }
            if let Some((v, _)) = rows.iter().find(|(_, ok)| !ok) {
                bail!(
                    "{}: migration {v} failed midway in an earlier start. Restore the copy kept \
                     beside it (nightjar.db.before-*) or ask for help; nothing was changed",
                    path.display()
                );
            }
            rows.iter().map(|(v, _)| *v).collect()
        }
        None if found.has_tables && found.user_version != LAYOUT_0_1_0 => {
            bail!(
                "{} was written by a nightjar with database layout {}, which this one cannot \
                 upgrade (it upgrades layout {LAYOUT_0_1_0}, nightjar 0.1.0, and newer): start a \
                 new data directory (--data) for this version; the old WARC files stay valid and \
                 `nightjar verify DIR/warcs` still checks them",
                path.display(),
                found.user_version
            );
        }
        None => BTreeSet::new(),
    };
    let pending = known.difference(&applied).copied().collect();
    Ok((applied, pending))
}

/// Stamps the layout as managed by migrations (what 0.1.0 refuses to open).
async fn mark_managed(pool: &SqlitePool, found: &Found) -> anyhow::Result<()> {
    if found.user_version != MANAGED_LAYOUT {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "PRAGMA user_version = {MANAGED_LAYOUT}"
        )))
        .execute(pool)
        .await?;
    }
    Ok(())
}

/// Waits for, then holds, the exclusive lock on `DB.upgrade-lock` beside the database. The
/// file stays; only the lock on it matters.
async fn upgrade_lock(path: &Path) -> anyhow::Result<File> {
    let mut name = path.as_os_str().to_owned();
    name.push(".upgrade-lock");
    let lock_path = PathBuf::from(name);
    let file = File::create(&lock_path)
        .with_context(|| format!("cannot create {}", lock_path.display()))?;
    tokio::task::spawn_blocking(move || file.lock().map(|()| file))
        .await?
        .with_context(|| format!("cannot lock {}", lock_path.display()))
}

/// Where the copy of a database about to be upgraded goes: named by the layout it had.
fn backup_path(path: &Path, applied: &BTreeSet<i64>) -> PathBuf {
    let from = match applied.last() {
        Some(v) => format!("migration-{v}"),
        None => "0.1.0".to_string(),
    };
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".before-{from}"));
    PathBuf::from(name)
}

/// A consistent copy of the whole database (SQLite's `VACUUM INTO`), taken before the first
/// migration changes anything. An existing copy of the same layout is kept as it is.
async fn keep_copy(pool: &SqlitePool, copy: &Path) -> anyhow::Result<()> {
    if copy.exists() {
        return Ok(());
    }
    let target = copy
        .to_str()
        .with_context(|| format!("{} is not a UTF-8 path", copy.display()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(pool)
        .await
        .with_context(|| {
            format!(
                "cannot keep a copy of the database at {} before upgrading it (is the volume \
                 full?); nothing was changed",
                copy.display()
            )
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_crate_keeps_to_its_range_of_versions() {
        let ranges = [
            (&frontier::schema::MIGRATOR, 1000..2000),
            (&archive::schema::MIGRATOR, 2000..3000),
            (&MIGRATOR, 3000..4000),
        ];
        for (m, range) in ranges {
            assert!(m.iter().count() > 0);
            for mig in m.iter() {
                assert!(
                    range.contains(&mig.version),
                    "migration {} ({}) is outside its crate's range {range:?}",
                    mig.version,
                    mig.description
                );
            }
        }
    }

    async fn fresh(dir: &Path) -> (PathBuf, SqlitePool) {
        let path = dir.join("nightjar.db");
        let pool = crate::data::open_db(&path, true).await.unwrap();
        (path, pool)
    }

    #[tokio::test]
    async fn a_new_database_gets_every_migration_and_reopens_without_change() {
        let dir = tempfile::tempdir().unwrap();
        let (path, pool) = fresh(dir.path()).await;
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(applied, known_versions().into_iter().collect::<Vec<_>>());
        pool.close().await;
        crate::data::open_db(&path, false)
            .await
            .unwrap()
            .close()
            .await;
        // A new database is no upgrade: no copy is kept.
        let copies = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(".before-")
            })
            .count();
        assert_eq!(copies, 0);
    }

    #[tokio::test]
    async fn a_database_of_an_older_layout_is_refused_with_advice() {
        let dir = tempfile::tempdir().unwrap();
        let (path, pool) = fresh(dir.path()).await;
        sqlx::query("DROP TABLE _sqlx_migrations")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("PRAGMA user_version = 2")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let err = crate::data::open_db(&path, false)
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("layout 2") && err.contains("--data"), "{err}");
    }

    #[tokio::test]
    async fn a_database_from_a_newer_nightjar_is_refused_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let (path, pool) = fresh(dir.path()).await;
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (2999, 'from the future', 1, x'00', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
        let before = std::fs::read(&path).unwrap();
        let err = crate::data::open_db(&path, false)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("newer nightjar") && err.contains("2999"),
            "{err}"
        );
        assert!(err.contains("Nothing was changed"), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the database was modified"
        );
    }

    #[tokio::test]
    async fn a_0_1_0_database_is_adopted_after_a_copy_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (path, pool) = fresh(dir.path()).await;
        // What 0.1.0 left: the same tables, no migrations table, layout 3.
        sqlx::query("DROP TABLE _sqlx_migrations")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("PRAGMA user_version = 3")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO seed_log (at, user, action, label, file, detail) VALUES ('t', 'u', 'add', 'l', 'f', 'd')")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let pool = crate::data::open_db(&path, false).await.unwrap();
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM seed_log")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(kept, 1);
        let version: i64 = sqlx::query_scalar("PRAGMA user_version")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(version, MANAGED_LAYOUT);
        let copy = dir.path().join("nightjar.db.before-0.1.0");
        assert!(copy.exists(), "no copy of the 0.1.0 database was kept");
    }
}
