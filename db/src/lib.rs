//! One handle on nightjar's database, whichever engine keeps it.
//!
//! Each crate owns its tables and is the only one that queries them, in its store modules:
//! `frontier::queue` (seeds, URLs, robots.txt), `archive::index` and `archive::changes`
//! (records, captures, changes, page text), and the daemon's `crawler::store` (audit log,
//! tokens, export jobs, seed log). Those modules take a [`Db`] (the pool) or a [`Tx`] (one
//! transaction, which may span several crates' tables, as indexing a capture does), never an
//! engine's own types; so the crawl loop, the CLI, the API and the actions never name the
//! engine. Only the daemon's `data` module, which opens it, and the SQLite upgrade checks
//! beside the migrations do (and tests that set up or tamper with rows directly, and the
//! benchmark binary, which fills a database in bulk).
//!
//! Today the engine is SQLite, the embedded default. A second engine (PostgreSQL, when several
//! nodes share one frontier) is one more variant of [`Pool`] and [`Conn`] and one more arm in
//! each store function, with its SQL beside SQLite's; every store function destructures the
//! handle, so the compiler lists each one that still lacks the new engine's SQL. What else
//! changes: the engine's own migrations folder beside `migrations/sqlite/` in each crate,
//! how the daemon's `data` module opens it and checks its layout (`crawler::store::schema`),
//! and its code for a full disk in [`is_disk_full`]; the callers do not.
//!
//! # Contents
//!
//! * [`Db`]: a cheaply cloned handle on the pool; [`Db::begin`] starts a [`Tx`];
//! * [`Db::connection`]: a pooled [`Connection`] outside any transaction, for reads that need
//!   none; store functions that may run in either take `&mut impl` [`AsConn`];
//! * [`Pool`], [`Conn`]: what a store function matches on to reach its engine;
//! * [`is_disk_full`]: whether a database error means the volume is full, in each engine's
//!   terms.

#![warn(missing_docs)]
#![warn(unreachable_pub)]

use sqlx::{Sqlite, SqliteConnection, SqlitePool};

/// A handle on the database: a connection pool of one engine. Cloning it is cheap and shares
/// the pool.
#[derive(Debug, Clone)]
pub struct Db {
    pool: Pool,
}

/// The pool behind a [`Db`], one variant per engine. Only store modules match on it.
#[derive(Debug, Clone)]
pub enum Pool {
    /// A SQLite pool.
    Sqlite(SqlitePool),
}

impl Db {
    /// A handle on an open SQLite pool (opening it, with its pragmas, and bringing its schema
    /// up to date is the daemon's `data` module's business).
    pub fn sqlite(pool: SqlitePool) -> Db {
        Db {
            pool: Pool::Sqlite(pool),
        }
    }

    /// The pool, for a store function to reach its engine.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Starts a transaction: everything done through it is committed together by
    /// [`Tx::commit`], or not at all (dropping it rolls back).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match &self.pool {
            Pool::Sqlite(pool) => Ok(Tx {
                inner: TxInner::Sqlite(pool.begin().await?),
            }),
        }
    }

    /// A pooled connection outside any transaction: each statement on it stands alone.
    pub async fn connection(&self) -> Result<Connection, sqlx::Error> {
        match &self.pool {
            Pool::Sqlite(pool) => Ok(Connection {
                inner: ConnectionInner::Sqlite(pool.acquire().await?),
            }),
        }
    }

    /// Closes the pool, waiting for its connections to be returned; later queries fail.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
        }
    }
}

/// One transaction, possibly over several crates' tables: store functions that write
/// together with others take `&mut Tx`, and the caller commits.
#[derive(Debug)]
pub struct Tx {
    inner: TxInner,
}

#[derive(Debug)]
enum TxInner {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
}

/// The connection of a [`Tx`] or a [`Connection`], one variant per engine. Only store
/// modules match on it.
#[derive(Debug)]
pub enum Conn<'t> {
    /// A SQLite connection.
    Sqlite(&'t mut SqliteConnection),
}

impl Tx {
    /// The connection, for a store function to reach its engine.
    pub fn conn(&mut self) -> Conn<'_> {
        match &mut self.inner {
            TxInner::Sqlite(tx) => Conn::Sqlite(&mut *tx),
        }
    }

    /// Commits everything done in the transaction.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await,
        }
    }

    /// Undoes everything done in the transaction.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.rollback().await,
        }
    }
}

/// A pooled connection outside any transaction (from [`Db::connection`]); it goes back to
/// the pool when dropped.
#[derive(Debug)]
pub struct Connection {
    inner: ConnectionInner,
}

#[derive(Debug)]
enum ConnectionInner {
    Sqlite(sqlx::pool::PoolConnection<Sqlite>),
}

/// What a store function can run statements on: a [`Tx`] or a [`Connection`].
pub trait AsConn {
    /// The engine's connection.
    fn conn(&mut self) -> Conn<'_>;
}

impl AsConn for Tx {
    fn conn(&mut self) -> Conn<'_> {
        Tx::conn(self)
    }
}

impl AsConn for Connection {
    fn conn(&mut self) -> Conn<'_> {
        match &mut self.inner {
            ConnectionInner::Sqlite(c) => Conn::Sqlite(&mut *c),
        }
    }
}

/// Whether a database error says the volume is full, as each engine reports it: SQLite's
/// `SQLITE_FULL` (13; extended codes keep it in the low byte). A second engine adds its own
/// code here (PostgreSQL's is `53100`); an error of an engine not listed is not "full".
pub fn is_disk_full(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = e else {
        return false;
    };
    match db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
        Some(_) => db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| c & 0xff == 13),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn db() -> Db {
        Db::sqlite(SqlitePool::connect("sqlite::memory:").await.unwrap())
    }

    #[tokio::test]
    async fn a_transaction_commits_or_rolls_back_as_a_whole() {
        let db = db().await;
        let Pool::Sqlite(pool) = db.pool();
        sqlx::query("CREATE TABLE t (v INTEGER)")
            .execute(pool)
            .await
            .unwrap();
        for (v, keep) in [(1, true), (2, false)] {
            let mut tx = db.begin().await.unwrap();
            let Conn::Sqlite(conn) = tx.conn();
            sqlx::query("INSERT INTO t VALUES (?)")
                .bind(v)
                .execute(&mut *conn)
                .await
                .unwrap();
            let Conn::Sqlite(conn) = tx.conn();
            sqlx::query("INSERT INTO t VALUES (?)")
                .bind(v * 10)
                .execute(conn)
                .await
                .unwrap();
            if keep {
                tx.commit().await.unwrap();
            } else {
                tx.rollback().await.unwrap();
            }
        }
        let kept: Vec<i64> = sqlx::query_scalar("SELECT v FROM t ORDER BY v")
            .fetch_all(pool)
            .await
            .unwrap();
        assert_eq!(kept, vec![1, 10]);

        // Outside a transaction, each statement stands alone.
        let mut c = db.connection().await.unwrap();
        let Conn::Sqlite(conn) = AsConn::conn(&mut c);
        sqlx::query("INSERT INTO t VALUES (3)")
            .execute(conn)
            .await
            .unwrap();
        drop(c);
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(n, 3);
        assert!(!is_disk_full(&sqlx::Error::RowNotFound));
    }

    #[tokio::test]
    async fn a_full_database_is_told_apart_from_other_errors() {
        let db = db().await;
        let Pool::Sqlite(pool) = db.pool();
        let mut tx = db.begin().await.unwrap();
        let Conn::Sqlite(conn) = tx.conn();
        // One connection: the page limit holds for the statements that follow.
        sqlx::query("CREATE TABLE big (b BLOB)")
            .execute(&mut *conn)
            .await
            .unwrap();
        sqlx::query("PRAGMA max_page_count = 8")
            .execute(&mut *conn)
            .await
            .unwrap();
        let full = sqlx::query("INSERT INTO big VALUES (zeroblob(1000000))")
            .execute(&mut *conn)
            .await
            .unwrap_err();
        assert!(is_disk_full(&full), "{full:?}");
        drop(tx);
        let other = sqlx::query("SELECT * FROM no_such_table")
            .execute(pool)
            .await
            .unwrap_err();
        assert!(!is_disk_full(&other), "{other:?}");
    }
}
