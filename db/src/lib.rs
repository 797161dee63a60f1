//! One handle on nightjar's database, whichever engine keeps it.
//!
//! Each crate owns its tables and is the only one that queries them, in its store modules:
//! `frontier::queue` (seeds, URLs, robots.txt), `archive::index` and `archive::changes`
//! (records, captures, changes, page text), and the daemon's `crawler::store` (audit log,
//! tokens, export jobs, seed log). Those modules take a [`Db`] (the pool) or a [`Tx`] (one
//! transaction, which may span several crates' tables, as indexing a capture does), never an
//! engine's own types; so the daemon, the CLI, the API and the tests never name the engine.
//!
//! Today the engine is SQLite, the embedded default. A second engine (PostgreSQL, when several
//! nodes share one frontier) is one more variant of [`Pool`] and [`Conn`] and one more arm in
//! each store function, with its SQL beside SQLite's; every store function destructures the
//! handle, so the compiler lists each one that still lacks the new engine's SQL, and no caller
//! changes. Each engine's schema comes from its own migrations folder (`migrations/sqlite/`
//! in each crate).
//!
//! # Contents
//!
//! * [`Db`]: a cheaply cloned handle on the pool; [`Db::begin`] starts a [`Tx`];
//! * [`Pool`], [`Conn`]: what a store function matches on to reach its engine;
//! * [`Backend`]: the closed set of engines, for messages and configuration.

#![warn(missing_docs)]
#![warn(unreachable_pub)]

use sqlx::{Sqlite, SqliteConnection, SqlitePool};

/// The engines nightjar can keep its tables in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, in one file in the data directory: the embedded default.
    Sqlite,
}

impl Backend {
    /// The engine's name, as messages and the configuration spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
        }
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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

    /// Which engine keeps the tables.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
        }
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

/// The transaction's connection, one variant per engine. Only store modules match on it.
#[derive(Debug)]
pub enum Conn<'t> {
    /// A SQLite connection inside the transaction.
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
        assert_eq!(db.backend().to_string(), "sqlite");
    }
}
