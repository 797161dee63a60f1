//! The database layout of a data directory: every crate's versioned migrations, applied in
//! one place, and the refusals that keep an upgrade from losing anything.
//!
//! Each crate owns its tables and their migrations (`migrations/sqlite/` beside its
//! `Cargo.toml`): the frontier versions 1000–1999 ([`frontier::schema`]), the archive
//! 2000–2999 ([`archive::schema`]), the daemon's own tables (seed log, API tokens, audit log,
//! export jobs) 3000–3999 (`SQLITE_MIGRATOR` here). They share sqlx's `_sqlx_migrations` table,
//! which records each applied version with the checksum of its SQL. The checks here are
//! SQLite's (its `user_version` stamp, a copy by `VACUUM INTO`); a second engine brings its
//! own, and [`crate::data`] calls the one for the engine it opens.
//!
//! Every time a database is opened, before anything is written:
//! - a database with a migration version (or a layout stamp) this build does not know was
//!   written by a newer nightjar and is refused, untouched (a downgrade never half-reads
//!   evidence it does not understand);
//! - a migration that failed midway, or whose SQL as applied differs from this build's
//!   (its checksum), is refused;
//! - a database from before versioned migrations must be nightjar 0.1.0's layout (3 in
//!   `PRAGMA user_version`); older layouts are refused as 0.1.0 refused them.
//!
//! When migrations are pending on an existing database:
//! - a command that does not hold the data directory's lock (`DATA/lock`) upgrades only if
//!   it can take that lock: never under a running nightjar;
//! - processes that start together take turns through a lock on `nightjar.db.upgrade-lock`:
//!   one upgrades, the others find it done;
//! - a copy is kept first (`nightjar.db.before-LAYOUT-TIME`, by `VACUUM INTO`, written under
//!   a temporary name, flushed and renamed, so a copy that exists is whole);
//! - `PRAGMA user_version` is set to [`MANAGED_LAYOUT`], which 0.1.0 does not know, so it
//!   refuses the database from then on, even if an upgrade stops midway;
//! - then the migrations run, each in its own transaction.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use sqlx::migrate::Migrator;
use sqlx::SqlitePool;

/// The daemon's own tables' migrations (versions 3000–3999).
pub(crate) static SQLITE_MIGRATOR: Migrator = Migrator {
    ignore_missing: true,
    ..sqlx::migrate!("./migrations/sqlite")
};

/// The daemon's own tables' migrations for PostgreSQL (the same versions as SQLite's).
#[cfg(feature = "postgres")]
pub(crate) static POSTGRES_MIGRATOR: Migrator = Migrator {
    ignore_missing: true,
    ..sqlx::migrate!("./migrations/postgres")
};

/// Brings a PostgreSQL database up to this build's layout: every crate's migrations, in
/// order, each in its own transaction (sqlx holds an advisory lock meanwhile, so nodes that
/// start together take turns). A database with a migration this build does not know was
/// written by a newer nightjar and is refused untouched, as on SQLite; one whose applied
/// SQL differs from this build's (its checksum) too. PostgreSQL keeps no file to copy first:
/// its operator's backups (pg_dump, base backups) do that.
#[cfg(feature = "postgres")]
pub(crate) async fn upgrade_postgres(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    let applied: Vec<(i64, bool, Vec<u8>)> = match sqlx::query_as(
        "SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(pool)
    .await
    {
        Ok(rows) => rows,
        // A new database: no migrations table yet.
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P01") => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let known: std::collections::BTreeMap<i64, &[u8]> = [
        &frontier::schema::POSTGRES_MIGRATOR,
        &archive::schema::POSTGRES_MIGRATOR,
        &POSTGRES_MIGRATOR,
    ]
    .into_iter()
    .flat_map(|m| m.iter().map(|mig| (mig.version, mig.checksum.as_ref())))
    .collect();
    for (version, success, checksum) in &applied {
        match known.get(version) {
            None => bail!(
                "the database has layout version {version}, which this nightjar does not know: \
                 a newer nightjar wrote it; run that version (nothing was changed)"
            ),
            Some(_) if !success => bail!(
                "migration {version} failed midway in this database; restore it from a backup \
                 (nothing was changed)"
            ),
            Some(sql) if *sql != checksum.as_slice() => bail!(
                "migration {version} in this database is not this build's; it was made by \
                 another build of nightjar (nothing was changed)"
            ),
            Some(_) => {}
        }
    }
    for m in [
        &frontier::schema::POSTGRES_MIGRATOR,
        &archive::schema::POSTGRES_MIGRATOR,
        &POSTGRES_MIGRATOR,
    ] {
        m.run(pool)
            .await
            .context("cannot bring the database up to date")?;
    }
    Ok(())
}

/// `PRAGMA user_version` of nightjar 0.1.0, the last layout before versioned migrations.
const LAYOUT_0_1_0: i64 = 3;

/// `PRAGMA user_version` of a database whose layout `_sqlx_migrations` records.
pub const MANAGED_LAYOUT: i64 = 4;

/// Every migrator, in the order they run (a crate's tables before those that refer to them).
fn migrators() -> [&'static Migrator; 3] {
    [
        &frontier::schema::SQLITE_MIGRATOR,
        &archive::schema::SQLITE_MIGRATOR,
        &SQLITE_MIGRATOR,
    ]
}

/// Every migration this build knows: version and checksum of its SQL.
fn known() -> std::collections::BTreeMap<i64, &'static [u8]> {
    migrators()
        .into_iter()
        .flat_map(|m| m.iter().map(|mig| (mig.version, mig.checksum.as_ref())))
        .collect()
}

/// What the database says about its own layout.
struct Found {
    user_version: i64,
    has_tables: bool,
    /// (version, success, checksum) of each applied migration; `None` before versioned
    /// migrations.
    applied: Option<Vec<(i64, bool, Vec<u8>)>>,
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
            sqlx::query_as(
                "SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version",
            )
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

/// Who is opening the database: a process that holds the data directory's lock
/// (`DATA/lock`, the crawling daemon), or one that does not (a command beside it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Opener {
    /// Holds `DATA/lock`.
    LockHolder,
    /// Does not; it may upgrade only while no other process holds the lock.
    Other,
}

/// Checks that this build may open the database at `path`, keeps a copy when an upgrade is
/// due, and applies every pending migration.
pub(crate) async fn upgrade(pool: &SqlitePool, path: &Path, opener: Opener) -> anyhow::Result<()> {
    let found = inspect(pool).await?;
    if plan(&found, path)?.1.is_empty() {
        return mark_managed(pool, &found).await;
    }
    // Another process may be upgrading the same database: one upgrades, the others wait for
    // it and then find nothing left to do.
    let _upgrade_lock = upgrade_lock(path).await?;
    let found = inspect(pool).await?;
    let (applied, pending) = plan(&found, path)?;
    if pending.is_empty() {
        return mark_managed(pool, &found).await;
    }
    // Never change the layout under a running nightjar (an older one would misread it): a
    // command upgrades only while it can take the data directory's lock itself. Taken after
    // the upgrade lock and let go before it, so that a daemon that finds the data lock taken
    // can tell an upgrade in progress (see [`wait_for_upgrade`]) from another daemon.
    let _data_lock = match opener {
        Opener::LockHolder => None,
        Opener::Other => Some(data_lock(path)?),
    };
    let copy = if found.has_tables {
        let copy = keep_copy(pool, path, &applied).await?;
        tracing::info!(
            copy = %copy.display(),
            pending = ?pending,
            "upgrading the database layout; a copy of the old database is kept"
        );
        Some(copy)
    } else {
        None
    };
    // Stamped first: if an upgrade stops midway, nightjar 0.1.0 still refuses the database.
    mark_managed(pool, &found).await?;
    for migrator in migrators() {
        migrator.run(pool).await.with_context(|| {
            let back = match &copy {
                Some(c) => format!(
                    "stop nightjar and put {} back in place of the database to go back",
                    c.display()
                ),
                None => "the database was new: remove it and start again".to_string(),
            };
            format!(
                "cannot upgrade the database layout of {}: {back}",
                path.display()
            )
        })?;
    }
    Ok(())
}

/// The migrations already applied and those this build would apply, or why this build must
/// not touch the database.
fn plan(found: &Found, path: &Path) -> anyhow::Result<(BTreeSet<i64>, Vec<i64>)> {
    let known = known();
    if found.user_version > MANAGED_LAYOUT {
        bail!(
            "{} was written by a newer nightjar (database layout {}; this build writes {}): run \
             that version or a newer one on it. Nothing was changed",
            path.display(),
            found.user_version,
            MANAGED_LAYOUT
        );
    }
    let applied: BTreeSet<i64> = match &found.applied {
        Some(rows) => {
            let unknown: Vec<i64> = rows
                .iter()
                .map(|(v, _, _)| *v)
                .filter(|v| !known.contains_key(v))
                .collect();
            if !unknown.is_empty() {
                bail!(
                    "{} was written by a newer nightjar (database migrations {unknown:?}; this \
                     build knows {:?}): run that version or a newer one on it. Nothing was \
                     changed",
                    path.display(),
                    known.keys().collect::<Vec<_>>()
                );
            }
            if let Some((v, _, _)) = rows.iter().find(|(_, ok, _)| !ok) {
                bail!(
                    "{}: migration {v} failed midway in an earlier start. Stop nightjar and put \
                     the copy kept beside it (nightjar.db.before-…) back in place of the \
                     database; nothing was changed now",
                    path.display()
                );
            }
            if let Some((v, _, _)) = rows
                .iter()
                .find(|(v, _, sum)| known.get(v).is_some_and(|k| *k != sum.as_slice()))
            {
                bail!(
                    "{}: migration {v} as applied to this database differs from this build's \
                     (its SQL was edited after release): this build cannot vouch for the \
                     layout. Nothing was changed",
                    path.display()
                );
            }
            rows.iter().map(|(v, _, _)| *v).collect()
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
    let pending = known
        .keys()
        .filter(|v| !applied.contains(v))
        .copied()
        .collect();
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

/// The data directory's lock (`DATA/lock`, beside the database), taken without waiting: a
/// running nightjar holds it, and then the database is not upgraded under it.
fn data_lock(db: &Path) -> anyhow::Result<File> {
    let path = db.with_file_name("lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    if file.try_lock().is_err() {
        bail!(
            "{} needs an upgrade of its database layout, and a running nightjar holds the data \
             directory: stop it (or start this version's daemon, which upgrades it), then run \
             this command again. Nothing was changed",
            db.display()
        );
    }
    Ok(file)
}

fn upgrade_lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".upgrade-lock");
    PathBuf::from(name)
}

/// For a daemon that found the data directory's lock taken: if a command holds it only to
/// upgrade the database at `db`, waits until that upgrade is over and says so (the daemon
/// then takes the lock); false if no upgrade is under way (another daemon holds it).
pub(crate) async fn wait_for_upgrade(db: &Path) -> anyhow::Result<bool> {
    let Ok(file) = File::open(upgrade_lock_path(db)) else {
        return Ok(false);
    };
    if file.try_lock().is_ok() {
        return Ok(false);
    }
    tracing::info!("a command is upgrading the database layout: waiting for it");
    tokio::task::spawn_blocking(move || file.lock()).await??;
    Ok(true)
}

/// Waits for, then holds, the exclusive lock on `DB.upgrade-lock` beside the database. The
/// file stays; only the lock on it matters.
async fn upgrade_lock(path: &Path) -> anyhow::Result<File> {
    let lock_path = upgrade_lock_path(path);
    let file = File::create(&lock_path)
        .with_context(|| format!("cannot create {}", lock_path.display()))?;
    tokio::task::spawn_blocking(move || file.lock().map(|()| file))
        .await?
        .with_context(|| format!("cannot lock {}", lock_path.display()))
}

/// Keeps a consistent copy of the whole database (SQLite's `VACUUM INTO`) before the first
/// migration changes anything, named by the layout it had and the time:
/// `nightjar.db.before-0.1.0-20261202T003000Z` (or `before-migration-N-…`). It is written
/// under a temporary name, flushed to disk and renamed, so a copy that exists is whole.
async fn keep_copy(
    pool: &SqlitePool,
    path: &Path,
    applied: &BTreeSet<i64>,
) -> anyhow::Result<PathBuf> {
    let from = match applied.last() {
        Some(v) => format!("migration-{v}"),
        None => "0.1.0".to_string(),
    };
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let with_suffix = |suffix: String| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let copy = with_suffix(format!(".before-{from}-{stamp}"));
    let partial = with_suffix(format!(".before-{from}-{stamp}.partial"));
    let _ = std::fs::remove_file(&partial);
    let target = partial
        .to_str()
        .with_context(|| format!("{} is not a UTF-8 path", partial.display()))?;
    let nothing_changed = || {
        format!(
            "cannot keep a copy of the database at {} before upgrading it (is the volume \
             full?); nothing was changed",
            copy.display()
        )
    };
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(pool)
        .await
        .with_context(nothing_changed)?;
    File::open(&partial)
        .and_then(|f| f.sync_all())
        .with_context(nothing_changed)?;
    std::fs::rename(&partial, &copy).with_context(nothing_changed)?;
    if let Some(dir) = copy.parent() {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .with_context(nothing_changed)?;
    }
    Ok(copy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_crate_keeps_to_its_range_of_versions() {
        let ranges = [
            (&frontier::schema::SQLITE_MIGRATOR, 1000..2000),
            (&archive::schema::SQLITE_MIGRATOR, 2000..3000),
            (&SQLITE_MIGRATOR, 3000..4000),
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

    /// The tests change and inspect the file directly, on the one engine they run on.
    fn sqlite(db: db::Db) -> SqlitePool {
        match db.pool() {
            db::Pool::Sqlite(pool) => pool.clone(),
            #[cfg(feature = "postgres")]
            _ => unreachable!("a SQLite test"),
        }
    }

    /// Every crate's PostgreSQL migrations on a real server: the layout is made, the audit
    /// log refuses changes, a second start changes nothing, and a database a newer nightjar
    /// wrote is refused.
    #[cfg(feature = "postgres")]
    #[tokio::test]
    async fn postgres_gets_every_table_and_refuses_a_newer_layout() {
        let server = db::testing::Postgres::start();
        let url = server.create_database("layout");
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        upgrade_postgres(&pool).await.unwrap();
        upgrade_postgres(&pool).await.unwrap();
        let tables = server.psql(
            "layout",
            "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables \
             WHERE schemaname = 'public'",
        );
        for t in [
            "alerts",
            "api_tokens",
            "audit_log",
            "capture_text",
            "captures",
            "changes",
            "entities",
            "export_jobs",
            "seeds",
            "text_search",
            "urls",
            "warc_records",
            "watches",
            "witnessed_heads",
        ] {
            assert!(
                tables.split(',').any(|x| x.trim() == t),
                "{t} missing: {tables}"
            );
        }
        let db = db::Db::postgres(pool.clone());
        for i in 0..3 {
            crate::audit::append(
                &db,
                &crate::audit::Event {
                    actor: "token:alice",
                    role: "analyst",
                    action: "capture.read",
                    target: &i.to_string(),
                    reason: "case 20",
                    result: "ok",
                },
            )
            .await
            .unwrap();
        }
        let report = crate::audit::verify(&db).await.unwrap();
        assert_eq!(
            (report.entries, report.findings.len()),
            (3, 0),
            "{report:?}"
        );
        for refused in [
            "UPDATE audit_log SET reason = 'changed'",
            "DELETE FROM audit_log WHERE seq = 3",
            "TRUNCATE audit_log",
        ] {
            let e = sqlx::query(refused).execute(&pool).await.unwrap_err();
            assert!(e.to_string().contains("append-only"), "{refused}: {e}");
        }
        // A guard dropped is found missing, and put back at the next start.
        sqlx::query("DROP TRIGGER audit_log_no_truncate ON audit_log")
            .execute(&pool)
            .await
            .unwrap();
        let report = crate::audit::verify(&db).await.unwrap();
        assert_eq!(report.findings.len(), 1, "{report:?}");
        assert!(
            report.findings[0].contains("audit_log_no_delete"),
            "{report:?}"
        );
        assert_eq!(
            crate::audit::restore_guards(&db).await.unwrap(),
            ["audit_log_no_delete"]
        );
        let report = crate::audit::verify(&db).await.unwrap();
        assert_eq!(
            (report.entries, report.findings.len()),
            (4, 0),
            "{report:?}"
        );
        let e = sqlx::query("TRUNCATE audit_log")
            .execute(&pool)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("append-only"), "{e}");
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (3999, 'from the future', TRUE, '\\x00', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        let newer = upgrade_postgres(&pool).await.unwrap_err();
        assert!(format!("{newer:#}").contains("newer nightjar"), "{newer:#}");
    }

    async fn fresh(dir: &Path) -> (PathBuf, SqlitePool) {
        let path = dir.join("nightjar.db");
        let pool = sqlite(crate::data::open_db_file(&path, true).await.unwrap());
        (path, pool)
    }

    /// A new database changed by `statements`, then opened again: the error it is refused
    /// with, and whether its bytes stayed as they were.
    async fn refused_after(statements: &[&str]) -> (String, bool) {
        let dir = tempfile::tempdir().unwrap();
        let (path, pool) = fresh(dir.path()).await;
        for stmt in statements {
            sqlx::query(sqlx::AssertSqlSafe(*stmt))
                .execute(&pool)
                .await
                .unwrap();
        }
        pool.close().await;
        let before = std::fs::read(&path).unwrap();
        let err = crate::data::open_db_file(&path, false)
            .await
            .unwrap_err()
            .to_string();
        (err, std::fs::read(&path).unwrap() == before)
    }

    #[tokio::test]
    async fn a_new_database_gets_every_migration_and_reopens_without_change() {
        let dir = tempfile::tempdir().unwrap();
        let (path, pool) = fresh(dir.path()).await;
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(applied, known().into_keys().collect::<Vec<_>>());
        pool.close().await;
        crate::data::open_db_file(&path, false)
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
        let (err, _) =
            refused_after(&["DROP TABLE _sqlx_migrations", "PRAGMA user_version = 2"]).await;
        assert!(err.contains("layout 2") && err.contains("--data"), "{err}");
    }

    #[tokio::test]
    async fn a_database_from_a_newer_nightjar_is_refused_and_left_as_it_was() {
        let (err, unchanged) = refused_after(&[
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (2999, 'from the future', 1, x'00', 0)",
        ])
        .await;
        assert!(
            err.contains("newer nightjar") && err.contains("2999"),
            "{err}"
        );
        assert!(err.contains("Nothing was changed"), "{err}");
        assert!(unchanged, "the database was modified");
    }

    #[tokio::test]
    async fn a_0_1_0_database_is_adopted_after_a_copy_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (path, pool) = fresh(dir.path()).await;
        as_0_1_0(&pool).await;
        sqlx::query("INSERT INTO seed_log (at, user, action, label, file, detail) VALUES ('t', 'u', 'add', 'l', 'f', 'd')")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let pool = sqlite(crate::data::open_db_file(&path, false).await.unwrap());
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
        let copies: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("nightjar.db.before-0.1.0-"))
            .collect();
        assert_eq!(
            copies.len(),
            1,
            "one whole copy of the 0.1.0 database: {copies:?}"
        );
        assert!(!copies[0].ends_with(".partial"), "{copies:?}");
    }

    #[test]
    fn released_migrations_never_change() {
        // A migration applied to somebody's database is history: its SQL (comments too, as
        // sqlx checksums the whole file) must never be edited. Change the layout with a new
        // migration instead; this pins the released ones.
        let released = [
            (1000, "bbdc147236d309d45569666a3ea55e8c320d46ba90a3f8379b90119d86276507b422b19ea054825ae1f03ed9c0cde076"),
            (2000, "67588a5cc1ed7145fb2ace7676262a89921e24d2413ff36cc5852715ad344c185c1096d30cd4b749ac3ee195f44fb775"),
            (3000, "a49ab0ab0f8bd9d1d409a3a454e00174bce0d3e5364527c70cb641d4a9a8cbcfc50f2b14acdb976e9928a9f38b6df034"),
        ];
        for (version, checksum) in released {
            let m = migrators()
                .into_iter()
                .flat_map(|m| m.iter())
                .find(|m| m.version == version)
                .unwrap_or_else(|| panic!("released migration {version} is gone"));
            assert_eq!(
                hex::encode(&m.checksum),
                checksum,
                "migration {version} was edited"
            );
        }
    }

    /// What 0.1.0 left: the same tables, no migrations table, layout 3.
    async fn as_0_1_0(pool: &SqlitePool) {
        // Whatever later migrations added goes: the objects 0.1.0's layout (the three
        // migrations that adopted it) does not have.
        let old = SqlitePool::connect("sqlite::memory:").await.unwrap();
        for sql in [
            include_str!("../../../frontier/migrations/sqlite/1000_frontier_layout_of_0.1.0.sql"),
            include_str!("../../../archive/migrations/sqlite/2000_archive_layout_of_0.1.0.sql"),
            include_str!("../../migrations/sqlite/3000_daemon_layout_of_0.1.0.sql"),
        ] {
            sqlx::raw_sql(sql).execute(&old).await.unwrap();
        }
        let names = "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'";
        let kept: Vec<(String, String)> = sqlx::query_as(names).fetch_all(&old).await.unwrap();
        let now: Vec<(String, String)> = sqlx::query_as(names).fetch_all(pool).await.unwrap();
        for (kind, name) in now {
            let later = !kept.iter().any(|(_, n)| *n == name) && name != "_sqlx_migrations";
            if later && matches!(kind.as_str(), "table" | "index") {
                let drop = format!("DROP {} IF EXISTS \"{name}\"", kind.to_uppercase());
                sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
                    .execute(pool)
                    .await
                    .unwrap();
            }
        }
        // Indexes a later migration made anew under an old name take their old form back.
        let forms = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";
        let old_forms: Vec<(String, String)> = sqlx::query_as(forms).fetch_all(&old).await.unwrap();
        let new_forms: Vec<(String, String)> = sqlx::query_as(forms).fetch_all(pool).await.unwrap();
        for (name, sql) in &old_forms {
            if new_forms.iter().any(|(n, s)| n == name && s != sql) {
                let reform = format!("DROP INDEX \"{name}\"; {sql};");
                sqlx::raw_sql(sqlx::AssertSqlSafe(reform))
                    .execute(pool)
                    .await
                    .unwrap();
            }
        }
        // And the columns later migrations added to 0.1.0's tables.
        for (kind, table) in &kept {
            if kind != "table" {
                continue;
            }
            let cols = format!("SELECT name FROM pragma_table_info('{table}')");
            let then: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(cols.clone()))
                .fetch_all(&old)
                .await
                .unwrap();
            let now: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(cols))
                .fetch_all(pool)
                .await
                .unwrap();
            for col in now.iter().filter(|c| !then.contains(c)) {
                let drop = format!("ALTER TABLE \"{table}\" DROP COLUMN \"{col}\"");
                sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
                    .execute(pool)
                    .await
                    .unwrap();
            }
        }
        sqlx::query("DROP TABLE _sqlx_migrations")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("PRAGMA user_version = 3")
            .execute(pool)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_command_does_not_upgrade_under_a_running_nightjar() {
        let dir = tempfile::tempdir().unwrap();
        let (path, pool) = fresh(dir.path()).await;
        as_0_1_0(&pool).await;
        pool.close().await;
        let before = std::fs::read(&path).unwrap();
        // The daemon (any version) holds the data directory's lock while it runs.
        let daemon = File::create(dir.path().join("lock")).unwrap();
        daemon.lock().unwrap();
        let err = crate::data::open_db_file(&path, false)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("running nightjar") && err.contains("Nothing was changed"),
            "{err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), before);
        drop(daemon);
        crate::data::open_db_file(&path, false)
            .await
            .unwrap()
            .close()
            .await;
    }

    #[tokio::test]
    async fn an_edited_migration_or_a_newer_stamp_is_refused() {
        let (err, unchanged) =
            refused_after(&["UPDATE _sqlx_migrations SET checksum = x'00' WHERE version = 2000"])
                .await;
        assert!(
            err.contains("migration 2000") && err.contains("differs"),
            "{err}"
        );
        assert!(unchanged);
        let (err, unchanged) = refused_after(&["PRAGMA user_version = 9"]).await;
        assert!(
            err.contains("newer nightjar") && err.contains("layout 9"),
            "{err}"
        );
        assert!(unchanged);
    }
}
