//! The data directory: the database, the WARC files, and who may write them.
//!
//! One process writes a data directory at a time (an exclusive lock on `DATA/lock`); readers
//! (`captures`, `show`, `index`, `verify`) open the database without taking it, so analysts
//! can read while the daemon crawls.

use std::fs::File;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{bail, Context};
use archive::custody::key::NodeKey;
use archive::{WarcWriter, WriterConfig};
use db::Db;
use frontier::queue::FrontierConfig;
use frontier::Frontier;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::Connection;

use crate::config::Config;

/// Opens the database of `cfg`'s data directory; `create` makes it if missing. For a
/// process that does not hold the data directory's lock (see [`crate::store::schema`] for
/// what that means to an upgrade). Commands open the database here and nowhere else, so that
/// where it lives (today a SQLite file in the data directory) is this module's business.
pub async fn open_db(cfg: &Config, create: bool) -> anyhow::Result<Db> {
    if let Some(url) = cfg.data.postgres_url() {
        no_sqlite_index_left(cfg)?;
        return Ok(open_postgres(url).await?.for_node(&cfg.node.name()));
    }
    if create {
        std::fs::create_dir_all(&cfg.data.dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create the data directory {}: {e}",
                cfg.data.dir.display()
            )
        })?;
    }
    open_db_file(&cfg.db_path(), create).await
}

/// On PostgreSQL, refuses a data directory that was the embedded default's: its captures
/// are indexed in nightjar.db, which the shared database does not hold. Going on would hide
/// them from every search and export, and the next crawl would write beside them.
fn no_sqlite_index_left(cfg: &Config) -> anyhow::Result<()> {
    if cfg.data.postgres_url().is_some() && cfg.db_path().exists() {
        bail!(
            "the data directory {} holds a SQLite index ({}), and data.database names a \
             PostgreSQL database: nightjar does not move an archive between engines. Give this \
             node a data directory of its own (data.dir), or leave data.database empty to go \
             on with the SQLite index",
            cfg.data.dir.display(),
            cfg.db_path().display()
        );
    }
    Ok(())
}

/// Whether a process (the daemon, a crawl) holds the data directory `dir` to write it:
/// asked with a shared lock, which the writer's exclusive lock refuses, and given back at once.
pub fn is_being_written(dir: &Path) -> bool {
    match File::open(dir.join("lock")) {
        Ok(f) => match f.try_lock_shared() {
            Ok(()) => {
                let _ = f.unlock();
                false
            }
            Err(_) => true,
        },
        Err(_) => false,
    }
}

/// Whether `cfg`'s data directory has a database yet (a PostgreSQL database is created by
/// its operator, and always counts as there).
pub fn db_exists(cfg: &Config) -> bool {
    cfg.data.postgres_url().is_some() || cfg.db_path().exists()
}

/// Opens the PostgreSQL database at `url` and brings its layout up to date
/// ([`crate::store::schema::upgrade_postgres`]).
#[cfg(feature = "postgres")]
async fn open_postgres(url: &str) -> anyhow::Result<Db> {
    // A server that does not answer within 5 s is "away": the crawl pauses and asks again
    // every second (a longer wait would hold the crawl loop, and its watchdog, meanwhile).
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await
        .with_context(|| format!("cannot connect to the database {}", redacted(url)))?;
    crate::store::schema::upgrade_postgres(&pool).await?;
    Ok(Db::postgres(pool))
}

/// Without the `postgres` feature there is no PostgreSQL driver: say how to get one.
#[cfg(not(feature = "postgres"))]
async fn open_postgres(url: &str) -> anyhow::Result<Db> {
    bail!(
        "data.database = '{}' is a PostgreSQL database, and this nightjar was built without \
         PostgreSQL: build it with `cargo build --release -p nightjar --features postgres`, \
         or leave data.database empty for the SQLite file in the data directory",
        redacted(url)
    )
}

/// A database URL with its password left out, for messages.
fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Whether the data directory `dir` (not necessarily the configured one: `verify DIR` reads
/// a copy) has a database.
pub fn has_db(dir: &Path) -> bool {
    dir.join(DB_FILE).exists()
}

/// Opens the database of the data directory `dir`, which must have one ([`has_db`]). Like
/// [`open_db`], without the lock.
pub async fn open_db_in(dir: &Path) -> anyhow::Result<Db> {
    open_db_file(&dir.join(DB_FILE), false).await
}

/// The database's file in a data directory.
pub(crate) const DB_FILE: &str = "nightjar.db";

/// Opens the SQLite database file at `path`; `create` makes it if missing.
pub(crate) async fn open_db_file(path: &Path, create: bool) -> anyhow::Result<Db> {
    open(path, create, crate::store::schema::Opener::Other).await
}

async fn open(
    path: &Path,
    create: bool,
    opener: crate::store::schema::Opener,
) -> anyhow::Result<Db> {
    if !create && !path.exists() {
        bail!(
            "no nightjar database at {}: crawl something first, or point --data at an existing data directory",
            path.display()
        );
    }
    let opts = SqliteConnectOptions::from_str("sqlite://")?
        .filename(path)
        .create_if_missing(create)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(30))
        // Rows come back from SQLite's thread in blocks of this many: sqlx's default of 50
        // made a 1,000-row `changes` page twenty thread hand-offs, and its slowest 1% two to
        // four times slower (nightjar-bench index, 200,000 captures).
        .row_buffer_size(1024);
    // The process that crawls copies the write-ahead log back into the database beside its
    // writes, not in them ([`checkpoints_beside`]); any other keeps SQLite's default.
    let opts = match opener {
        crate::store::schema::Opener::LockHolder => opts
            .pragma("wal_autocheckpoint", "0")
            // The commit after the log starts over cuts its file back to this size.
            .pragma("journal_size_limit", LOG_FILE_KEPT.to_string()),
        crate::store::schema::Opener::Other => opts,
    };
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(opts.clone())
        .await
        .with_context(|| format!("cannot open database {}", path.display()))?;
    crate::store::schema::upgrade(&pool, path, opener).await?;
    let db = Db::sqlite(pool.clone());
    if opener == crate::store::schema::Opener::LockHolder {
        let copier_opts = opts.busy_timeout(RESTART_WAIT);
        let copier = SqliteConnection::connect_with(&copier_opts)
            .await
            .with_context(|| format!("cannot open database {}", path.display()))?;
        tokio::spawn(checkpoints_beside(db.clone(), pool, copier_opts, copier));
    }
    Ok(db)
}

/// How often the crawling process copies the write-ahead log back into the database file.
/// At the crawl's pace (about 12 MB of log a second on the benchmark's 25 KB pages) the log
/// holds about 3 MB between two copies: what SQLite's default of 1,000 pages lets it hold.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// The log's length, in pages, past which the copying task also starts it over: 16 MB at
/// SQLite's 4 KB pages.
const RESTART_AT: i64 = 4096;

/// How long starting the log over waits for the readers of its older frames (the copying
/// connection's busy timeout): the crawl's writers wait meanwhile.
const RESTART_WAIT: Duration = Duration::from_millis(100);

/// The size the log's file is cut back to when it starts over (`journal_size_limit`).
const LOG_FILE_KEPT: i64 = 16 << 20;

/// Copies the write-ahead log back into the database file every [`CHECKPOINT_EVERY`], on a
/// connection of its own (`copier`), until `pool` (`db`'s) is closed; starts the log
/// over once it is [`RESTART_AT`] pages long.
///
/// Why not SQLite's default: there, the commit that brings the log past 1,000 pages copies
/// it, inside that commit, and every capture indexed meanwhile waits for it: commits took
/// 1.5 ms on average, against 0.7 ms with the copying moved here (5,000-page crawl of the
/// benchmark's fixture), and indexing is the crawl's one serial stage. A `PASSIVE`
/// checkpoint is what SQLite's own is: it copies what no reader still needs and waits for
/// no one, so the writer goes on meanwhile, on the other core. What is committed is as
/// durable either way (the log is the database until it is copied).
///
/// Why the restart: the log starts over only when a write begins with all of it copied,
/// and beside a crawl that writes all the time it never is (a `PASSIVE` copy ends a few
/// frames behind the writer): the log grew to 450 MB for a 62 MB database in a 5,000-page
/// crawl. A `RESTART` copy takes the writers' place, copies the rest and waits for the
/// readers of the old frames, so that the next write starts at the log's beginning. It
/// takes the crawl's writing turn first ([`Db::write_turn`]), so the crawl's writers wait in
/// the process, not on SQLite's lock; a reader that holds on past [`RESTART_WAIT`] only
/// puts the restart off, for longer each time it is still there ([`Restarts`]).
async fn checkpoints_beside(
    db: Db,
    pool: sqlx::SqlitePool,
    opts: SqliteConnectOptions,
    mut copier: SqliteConnection,
) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut restarts = Restarts::default();
    // Failed copies in a row: the first is a warning, the ones after it (4 a second on a
    // database that stays broken, a full disk say) are debug lines until one succeeds.
    let mut failing = 0u64;
    loop {
        tick.tick().await;
        if pool.is_closed() {
            let _ = copier.close().await;
            return;
        }
        // (busy, pages in the log, pages copied)
        let copied = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&mut copier)
            .await;
        let done = match copied {
            Ok((_, log, _)) if log >= RESTART_AT && restarts.due(std::time::Instant::now()) => {
                let _turn = db.write_turn().await;
                let restarted =
                    sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(RESTART)")
                        .fetch_one(&mut copier)
                        .await;
                // Busy: a reader still needs the old frames (an export, a long query). The
                // wait counts from the restart's end, not from before its writing turn.
                restarts.tried(
                    std::time::Instant::now(),
                    matches!(restarted, Ok((0, _, _))),
                );
                restarted.map(|_| ())
            }
            other => other.map(|_| ()),
        };
        match done {
            Ok(()) => {
                if failing > 1 {
                    tracing::info!(
                        "copying the write-ahead log back works again after {failing} failed tries"
                    );
                }
                failing = 0;
            }
            // Another process's checkpoint or lock: the next tick tries again; the log
            // only waits longer to be copied.
            Err(e) if is_busy(&e) => tracing::debug!("write-ahead log not copied back yet: {e}"),
            // Anything else may have left the connection unusable: a new one for the
            // next tick (if that fails too, the one after tries again).
            Err(e) => {
                failing += 1;
                if failing == 1 {
                    tracing::warn!("copying the write-ahead log back failed: {e}; reconnecting (further failures in a row are logged at debug level)");
                } else {
                    tracing::debug!("copying the write-ahead log back failed again ({failing} in a row): {e}; reconnecting");
                }
                if let Ok(fresh) = SqliteConnection::connect_with(&opts).await {
                    let _ = std::mem::replace(&mut copier, fresh).close().await;
                }
            }
        }
    }
}

/// Whether `e` is SQLite's `SQLITE_BUSY` or `SQLITE_LOCKED` (primary codes 5 and 6).
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|c| c.parse::<i64>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

/// When the copying task next tries to start the log over.
///
/// A restart that finds a reader still on the old frames waits [`RESTART_WAIT`] with the
/// crawl's writers held, and fails: tried again every tick while an export reads for a
/// minute, it would hold the writers 100 ms in every 250. So each restart that finds a
/// reader doubles the wait before the next try, up to [`RESTART_BACKOFF_MAX`] (the writers
/// then lose under 1 % of their time), and one that succeeds ends the wait.
#[derive(Debug, Default)]
struct Restarts {
    /// Not before this instant (none: at the next tick that finds the log long).
    next: Option<std::time::Instant>,
    /// The wait after the next busy restart.
    backoff: Duration,
}

/// The longest wait between two restarts that found a reader.
const RESTART_BACKOFF_MAX: Duration = Duration::from_secs(16);

impl Restarts {
    /// Whether a restart may be tried at `now`.
    fn due(&self, now: std::time::Instant) -> bool {
        self.next.is_none_or(|next| now >= next)
    }

    /// Records a restart tried at `now`: `done` if it started the log over.
    fn tried(&mut self, now: std::time::Instant, done: bool) {
        if done {
            *self = Self::default();
            return;
        }
        self.backoff = (self.backoff * 2).clamp(CHECKPOINT_EVERY * 2, RESTART_BACKOFF_MAX);
        self.next = Some(now + self.backoff);
    }
}

/// Everything a crawling process holds.
pub struct Store {
    /// The database.
    pub db: Db,
    /// The queue.
    pub frontier: Arc<Frontier>,
    /// The WARC writer.
    pub writer: Arc<Mutex<WarcWriter>>,
    /// This node's signing key.
    pub key: Arc<NodeKey>,
    /// The exclusive lock on the data directory; dropping it lets another process in.
    pub lock: File,
    /// This node among several sharing a PostgreSQL database (`None` on SQLite).
    pub node: Option<Arc<Node>>,
}

/// A node sharing a PostgreSQL database: what it says of itself at each heartbeat, and its
/// claim on its name, held as long as this lives.
pub struct Node {
    /// What the heartbeat registers (the API's address is known once it is bound).
    pub info: Mutex<crate::store::nodes::NodeInfo>,
    #[cfg(feature = "postgres")]
    _claim: crate::store::nodes::NameClaim,
}

/// This machine's name, for WARC file names (only characters safe in a file name).
pub fn hostname(cfg: &Config) -> String {
    let raw = if cfg.archive.hostname.is_empty() {
        nix::unistd::gethostname()
            .ok()
            .and_then(|h| h.into_string().ok())
            .unwrap_or_else(|| "localhost".into())
    } else {
        cfg.archive.hostname.clone()
    };
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The extra warcinfo lines: operator, User-Agent, and the robots policy, naming the seeds
/// that opted out of robots.txt.
pub fn warcinfo_fields(cfg: &Config, robots_ignored_by: &[String]) -> Vec<(String, String)> {
    let mut info = Vec::new();
    if !cfg.archive.operator.is_empty() {
        info.push(("operator".to_string(), cfg.archive.operator.clone()));
    }
    info.push(("isPartOf".to_string(), "nightjar".to_string()));
    info.push((
        "http-header-user-agent".to_string(),
        cfg.crawl.user_agent.clone(),
    ));
    info.push((
        "robots".to_string(),
        cfg.politeness.robots.as_str().to_string(),
    ));
    if !robots_ignored_by.is_empty() {
        info.push((
            "robots-ignored-by-seeds".to_string(),
            robots_ignored_by.join(", "),
        ));
    }
    info
}

/// Whether a nightjar process (the daemon, a crawl) holds the data directory now.
pub fn in_use(cfg: &Config) -> bool {
    match File::open(cfg.data.dir.join("lock")) {
        Ok(lock) => lock.try_lock().is_err(),
        Err(_) => false,
    }
}

/// Opens the data directory for crawling: takes the lock, opens the database and the queue,
/// repairs what a crash left, and prepares the writer.
pub async fn open_for_crawl(cfg: &Config) -> anyhow::Result<Store> {
    let dir = &cfg.data.dir;
    no_sqlite_index_left(cfg)?;
    std::fs::create_dir_all(cfg.warc_dir())
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    // Writable now, not at the first capture: READY must mean the archive can take one.
    tempfile::tempfile_in(cfg.warc_dir()).with_context(|| {
        format!(
            "the archive directory {} is not writable by this user",
            cfg.warc_dir().display()
        )
    })?;
    let lock = File::create(dir.join("lock"))?;
    // A command holds the lock for a moment while it upgrades the database: wait for it.
    // (PostgreSQL's upgrades take turns through the server's own lock.)
    let taken = lock.try_lock().is_ok()
        || (cfg.data.postgres_url().is_none()
            && crate::store::schema::wait_for_upgrade(&cfg.db_path()).await?
            && lock.try_lock().is_ok());
    if !taken {
        bail!(
            "{} is in use by another nightjar process; stop it first or use another --data directory",
            dir.display()
        );
    }
    // A node's name is claimed before anything is done under it: opening the frontier
    // takes back the URLs the node had in flight.
    #[cfg(feature = "postgres")]
    let claim = match cfg.data.postgres_url() {
        Some(url) => Some(
            crate::store::nodes::claim_name(url, &cfg.node.name())
                .await
                .with_context(|| format!("cannot start as node '{}'", cfg.node.name()))?,
        ),
        None => None,
    };
    let db = match cfg.data.postgres_url() {
        Some(url) => open_postgres(url).await?.for_node(&cfg.node.name()),
        None => {
            open(
                &cfg.db_path(),
                true,
                crate::store::schema::Opener::LockHolder,
            )
            .await?
        }
    };
    let frontier = Arc::new(
        Frontier::open(
            db.clone(),
            FrontierConfig {
                user_agent: cfg.crawl.user_agent.clone(),
                traps: cfg.traps.clone(),
                robots_max_age: cfg.politeness.robots_max_age,
                adapt: cfg.recrawl.adaptation(),
                retire_after_gone: cfg.recrawl.retire_after_gone,
                seed_retry: seed_retry_base(&cfg.crawl),
                leasing: db.is_postgres().then(|| frontier::leases::Leasing {
                    node: cfg.node.name(),
                    period: cfg.node.lease,
                    max_hosts: cfg.node.max_hosts,
                }),
            },
        )
        .await?,
    );
    finish_key_rotation(cfg, &db).await?;
    let key = NodeKey::load_or_create(&cfg.key_path())?;
    let node = match db.is_postgres() {
        false => None,
        true => {
            let info = crate::store::nodes::NodeInfo {
                name: cfg.node.name(),
                host: nix::unistd::gethostname()
                    .ok()
                    .and_then(|h| h.into_string().ok())
                    .unwrap_or_default(),
                pid: i64::from(std::process::id()),
                key_fingerprint: key.fingerprint(),
                data_dir: std::path::absolute(dir)
                    .unwrap_or_else(|_| dir.clone())
                    .display()
                    .to_string(),
                // Set once the API is bound (`nightjar crawl` serves none).
                api: None,
                started_at: archive::index::index_time(&chrono::Utc::now()),
            };
            crate::store::nodes::heartbeat(&db, &info).await?;
            crate::store::nodes::record_key(
                &db,
                &info.name,
                &info.key_fingerprint,
                &info.started_at,
            )
            .await?;
            crate::peers::ensure_token(&db, dir, &info.name).await?;
            Some(Arc::new(Node {
                info: Mutex::new(info),
                #[cfg(feature = "postgres")]
                _claim: claim.expect("claimed on PostgreSQL"),
            }))
        }
    };
    let warcinfo = warcinfo_fields(cfg, &[]);
    let writer = WarcWriter::new(WriterConfig {
        dir: cfg.warc_dir(),
        prefix: cfg.archive.prefix.clone(),
        hostname: hostname(cfg),
        compression: cfg.compression(),
        max_file_size: cfg.archive.max_file_mib.saturating_mul(1024 * 1024),
        warcinfo,
        checkpoint_every: cfg.custody.checkpoint_every,
        node_fingerprint: Some(key.fingerprint()),
    })?;
    Ok(Store {
        db,
        frontier,
        writer: Arc::new(Mutex::new(writer)),
        key: Arc::new(key),
        lock,
        node,
    })
}

/// Finishes a key rotation a crash cut short (see `Crawler::rotate_key`): the new key waits
/// in `node.key.next` until the rotation record naming it is in the archive. With that record
/// in the newest files, the new key takes over now; without it, the rotation never happened
/// and the waiting key is removed.
/// The first wait before a seed's unreachable URL is tried again in a new pass: the retry
/// back-off goes on doubling where the pass's own retries stopped
/// (`retry_backoff` × 2^`retries`: 20 s with the defaults).
fn seed_retry_base(crawl: &crate::config::CrawlConfig) -> std::time::Duration {
    crawl
        .retry_backoff
        .saturating_mul(1u32 << crawl.retries.min(16))
}

async fn finish_key_rotation(cfg: &Config, db: &Db) -> anyhow::Result<()> {
    use archive::custody::key;
    let next = key::next_path(&cfg.key_path());
    if !next.exists() {
        return Ok(());
    }
    let Ok(waiting) = NodeKey::load(&next) else {
        // Cut short while it was written: the rotation record (written after it) cannot
        // name it.
        std::fs::remove_file(&next).with_context(|| format!("cannot remove {}", next.display()))?;
        tracing::warn!(
            "removed the unreadable {}: a key rotation was interrupted while making its key, so the node key did not change",
            next.display()
        );
        return Ok(());
    };
    match archive::custody::rotation::newest_in(&cfg.warc_dir())? {
        Some((id, r)) if r.new_key == waiting.public_hex() && r.check().is_ok() => {
            archive::index::insert_key_rotation(db, &id, &r).await?;
            key::promote_next(&cfg.key_path())?;
            crate::audit::append(
                db,
                &crate::audit::Event {
                    actor: "system:nightjar",
                    role: "system",
                    action: crate::actions::custody::ROTATE_ACTION,
                    target: &format!("{} -> {}", r.old_fingerprint(), r.new_fingerprint()),
                    reason: &r.reason,
                    result: "finished on start, after an interruption",
                },
            )
            .await?;
            tracing::warn!(
                new = %waiting.fingerprint(),
                "finished a key rotation that was interrupted after its record was written: the new key is the node key now"
            );
        }
        _ => {
            std::fs::remove_file(&next)
                .with_context(|| format!("cannot remove {}", next.display()))?;
            tracing::warn!(
                "removed {}: a key rotation was interrupted before its record was written, so the node key did not change",
                next.display()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema::Opener;

    fn sqlite(db: &Db) -> sqlx::SqlitePool {
        match db.pool() {
            db::Pool::Sqlite(pool) => pool.clone(),
            #[cfg(feature = "postgres")]
            _ => unreachable!("a SQLite file"),
        }
    }

    /// The log size, in pages, at which a commit copies the log back (0: never).
    async fn autocheckpoint(db: &Db) -> i64 {
        sqlx::query_scalar("PRAGMA wal_autocheckpoint")
            .fetch_one(&sqlite(db))
            .await
            .unwrap()
    }

    /// Commits `transactions` of `bytes` of blobs each, one after another, each in the
    /// crawl's writing turn, on a table of the test's own.
    async fn write(db: &Db, transactions: usize, bytes: usize) {
        let pool = sqlite(db);
        sqlx::query("CREATE TABLE IF NOT EXISTS filler (b BLOB)")
            .execute(&pool)
            .await
            .unwrap();
        for _ in 0..transactions {
            let _turn = db.write_turn().await;
            let mut tx = pool.begin().await.unwrap();
            for _ in 0..bytes / 65_536 {
                sqlx::query("INSERT INTO filler (b) VALUES (randomblob(65536))")
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_log_starts_over_though_the_crawl_writes_all_the_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crawl.db");
        let db = open(&path, true, Opener::LockHolder).await.unwrap();
        let wal = dir.path().join("crawl.db-wal");
        // Commits of 1 MB with no pause, until the log's file is cut back: copied only,
        // never started over, it would only grow, holding all of them. However slowly the
        // copying task gets its turns, 400 MB is far past the 16 MB at which it starts the
        // log over.
        let (mut largest, mut commits) = (0, 0);
        let cut = loop {
            write(&db, 1, 1 << 20).await;
            commits += 1;
            let log = std::fs::metadata(&wal).unwrap().len();
            if log < largest {
                break Some(largest);
            }
            largest = log;
            if commits == 400 {
                break None;
            }
        };
        assert!(
            cut.is_some(),
            "400 MB committed, the write-ahead log grew to {} MB and never started over",
            largest >> 20
        );
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM filler")
            .fetch_one(&sqlite(&db))
            .await
            .unwrap();
        assert_eq!(rows, commits * 16, "every committed row is there");
    }

    #[test]
    fn a_restart_that_finds_a_reader_waits_longer_each_time_and_one_that_succeeds_ends_the_wait() {
        let t0 = std::time::Instant::now();
        let mut r = Restarts::default();
        assert!(r.due(t0), "the first long log is restarted at once");
        // A reader holds on: the tries come at 0.5, 1, 2, 4, 8, 16, 16, ... s apart.
        let mut at = t0;
        let mut gaps = Vec::new();
        for _ in 0..8 {
            r.tried(at, false);
            let mut next = at;
            while !r.due(next) {
                assert!(next - at <= RESTART_BACKOFF_MAX, "never more than the cap");
                next += Duration::from_millis(250);
            }
            gaps.push((next - at).as_millis());
            at = next;
        }
        assert_eq!(gaps, [500, 1000, 2000, 4000, 8000, 16000, 16000, 16000]);
        // 100 ms of held writers per try: under 1 % once the wait is at its longest.
        assert!(RESTART_WAIT.as_secs_f64() / RESTART_BACKOFF_MAX.as_secs_f64() < 0.01);

        // The reader is gone, the log starts over: the next long log is restarted at once.
        r.tried(at, true);
        assert!(r.due(at));
        r.tried(at, false);
        assert!(!r.due(at + Duration::from_millis(250)));
        assert!(
            r.due(at + Duration::from_millis(500)),
            "the wait starts short again"
        );
    }

    #[tokio::test]
    async fn a_long_reader_does_not_stop_the_log_being_copied_or_the_writers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crawl.db");
        let db = open(&path, true, Opener::LockHolder).await.unwrap();
        write(&db, 1, 1 << 20).await;
        // An export's read: a snapshot held open on a connection of its own.
        let mut reader = SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        sqlx::query("BEGIN").execute(&mut reader).await.unwrap();
        let before: i64 = sqlx::query_scalar("SELECT count(*) FROM filler")
            .fetch_one(&mut reader)
            .await
            .unwrap();
        // Past the restart length while the reader holds on: every restart finds it.
        write(&db, 40, 1 << 20).await;
        tokio::time::sleep(CHECKPOINT_EVERY * 8).await;
        let t = std::time::Instant::now();
        write(&db, 8, 64 << 10).await;
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "the writers were held {:?} for 8 small commits",
            t.elapsed()
        );
        // The reader still sees its snapshot; once it ends, the log starts over.
        let still: i64 = sqlx::query_scalar("SELECT count(*) FROM filler")
            .fetch_one(&mut reader)
            .await
            .unwrap();
        assert_eq!(still, before, "the reader's snapshot is unchanged");
        sqlx::query("COMMIT").execute(&mut reader).await.unwrap();
        reader.close().await.unwrap();
        let log = path.with_extension("db-wal");
        let mut restarted = false;
        for _ in 0..160 {
            write(&db, 1, 64 << 10).await;
            tokio::time::sleep(CHECKPOINT_EVERY).await;
            if std::fs::metadata(&log).unwrap().len() <= LOG_FILE_KEPT as u64 {
                restarted = true;
                break;
            }
        }
        assert!(
            restarted,
            "the log started over within 40 s of the reader ending"
        );
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM filler")
            .fetch_one(&sqlite(&db))
            .await
            .unwrap();
        assert!(rows > before, "every commit is there");
    }

    /// The database file's size once the write-ahead log has had `wait` to be copied back.
    async fn main_file_after(path: &Path, wait: Duration) -> u64 {
        tokio::time::sleep(wait).await;
        std::fs::metadata(path).unwrap().len()
    }

    #[tokio::test]
    async fn the_crawling_process_copies_the_log_back_beside_its_writes() {
        let dir = tempfile::tempdir().unwrap();
        let (crawling, other) = (dir.path().join("crawl.db"), dir.path().join("other.db"));
        let db = open(&crawling, true, Opener::LockHolder).await.unwrap();
        let before = std::fs::metadata(&crawling).unwrap().len();
        write(&db, 1, 8 << 20).await;
        // Copied back by the task within a few of its ticks, while the pool stays open.
        let mut size = before;
        for _ in 0..40 {
            size = main_file_after(&crawling, CHECKPOINT_EVERY).await;
            if size >= 8 << 20 {
                break;
            }
        }
        assert!(
            size >= 8 << 20,
            "8 MB committed, the database file still {size} bytes after 10 s"
        );

        // A command's connection copies it in its commits, SQLite's way: the task is the
        // crawling process's alone, and it alone turns the commit's copying off.
        let other = open(&other, true, Opener::Other).await.unwrap();
        assert_eq!(autocheckpoint(&other).await, 1000);
        let crawling = open(&crawling, false, Opener::LockHolder).await.unwrap();
        assert_eq!(autocheckpoint(&crawling).await, 0);
    }
}
