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
//! SQLite is the embedded default. PostgreSQL, the shared database of several nodes, is the
//! second variant of [`Pool`] and [`Conn`] (feature `postgres`, being given to the store
//! modules crate by crate). A store function writes a statement once for both engines with
//! [`query`]: SQL with SQLite's `?` placeholders and plain values, run on whichever engine
//! the handle holds, the placeholders numbered `$1`, `$2`, … for PostgreSQL ([`sql`]), rows
//! decoded into tuples or `sqlx::FromRow` structs. Where the engines' SQL differs (full-text
//! search, a few functions), the store function matches on the handle and spells each
//! engine's SQL (with [`sql`] where it still shares the placeholders). Each engine has
//! its migrations folder (`migrations/sqlite/`, `migrations/postgres/`) in each crate, and
//! its code for a full disk in [`is_disk_full`]; the callers change nothing.
//!
//! # Contents
//!
//! * [`Db`]: a cheaply cloned handle on the pool; [`Db::begin`] starts a [`Tx`];
//!   [`Db::write_turn`] queues the process's frequent writers for SQLite's one writer;
//! * [`Db::connection`]: a pooled [`Connection`] outside any transaction, for reads that need
//!   none; store functions that may run in either take `&mut impl` [`AsConn`];
//! * [`Pool`], [`Conn`]: what a store function matches on to reach its engine;
//! * [`query`], [`query_owned`]: one statement for every engine, run on an [`On`] (a
//!   [`Db`], a [`Tx`], a [`Connection`]);
//! * [`sql`], [`sql_owned`]: a statement's text as an engine takes it;
//! * [`is_disk_full`]: whether a database error means the volume is full, in each engine's
//!   terms;
//! * [`SERVER_NOTICES`]: the log target of the database server's notices;
//! * `testing` (feature `testing`): a throwaway PostgreSQL cluster for tests.

#![warn(missing_docs)]
#![warn(unreachable_pub)]

#[cfg(feature = "postgres")]
pub use sqlx::Postgres;
pub use sqlx::Sqlite;
#[cfg(feature = "postgres")]
use sqlx::{PgConnection, PgPool};
use sqlx::{SqliteConnection, SqlitePool};

mod query;
#[cfg(feature = "testing")]
pub mod testing;

pub use query::{query, query_owned, Decode, On, Query, Value};

/// The log target under which the driver reports the server's notices (PostgreSQL's
/// "relation … already exists, skipping" at every migration check, at INFO): a log filter
/// keeps it quieter by this name.
pub const SERVER_NOTICES: &str = "sqlx::postgres::notice";

/// A handle on the database: a connection pool of one engine. Cloning it is cheap and shares
/// the pool.
#[derive(Debug, Clone)]
pub struct Db {
    pool: Pool,
    node: std::sync::Arc<str>,
    /// Whose turn it is to write, among this process's frequent writers ([`Db::write_turn`]).
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// A writer's turn on a SQLite database ([`Db::write_turn`]); the next writer goes when it is
/// dropped.
#[must_use = "the turn ends when this is dropped"]
pub struct WriteTurn {
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

/// The pool behind a [`Db`], one variant per engine. Only store modules match on it.
#[derive(Debug, Clone)]
pub enum Pool {
    /// A SQLite pool.
    Sqlite(SqlitePool),
    /// A PostgreSQL pool.
    #[cfg(feature = "postgres")]
    Postgres(PgPool),
}

impl Db {
    /// A handle on an open SQLite pool (opening it, with its pragmas, and bringing its schema
    /// up to date is the daemon's `data` module's business).
    pub fn sqlite(pool: SqlitePool) -> Db {
        Db {
            pool: Pool::Sqlite(pool),
            node: "".into(),
            writer: Default::default(),
        }
    }

    /// A handle on an open PostgreSQL pool (its schema is brought up to date by the
    /// daemon's `data` module, as SQLite's).
    #[cfg(feature = "postgres")]
    pub fn postgres(pool: PgPool) -> Db {
        Db {
            pool: Pool::Postgres(pool),
            node: "".into(),
            writer: Default::default(),
        }
    }

    /// The same pool, for the node named `node`: several nodes share one PostgreSQL
    /// database, and what is a node's own (its WARC records, their hash chain, its custody
    /// log) is stored and read under its name. A single node's name is empty.
    pub fn for_node(self, node: &str) -> Db {
        Db {
            node: node.into(),
            ..self
        }
    }

    /// The node this handle reads and writes for (empty for a single node).
    pub fn node(&self) -> &str {
        &self.node
    }

    /// Whether the engine is PostgreSQL (for the few statements that differ).
    pub fn is_postgres(&self) -> bool {
        match self.pool {
            Pool::Sqlite(_) => false,
            #[cfg(feature = "postgres")]
            Pool::Postgres(_) => true,
        }
    }

    /// The pool, for a store function to reach its engine.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Waits for this process's turn to write, for the writers that write often (the crawl's
    /// indexing, its leases): each goes the moment the last one is done. SQLite has one
    /// writer at a time and, left to itself, makes the others sleep and poll (1, 2, 5,
    /// 10 ms…, up to 100 ms at a time): a lease waiting behind a large indexing transaction
    /// slept past its end, and the indexing behind a lease slept 5 to 10 ms for a write of a
    /// millisecond. PostgreSQL locks rows, not the database: there the turn is immediate.
    pub async fn write_turn(&self) -> WriteTurn {
        WriteTurn {
            _turn: match self.pool {
                Pool::Sqlite(_) => Some(self.writer.clone().lock_owned().await),
                #[cfg(feature = "postgres")]
                Pool::Postgres(_) => None,
            },
        }
    }

    /// Starts a transaction: everything done through it is committed together by
    /// [`Tx::commit`], or not at all (dropping it rolls back).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match &self.pool {
            Pool::Sqlite(pool) => Ok(Tx {
                inner: TxInner::Sqlite(pool.begin().await?),
                node: self.node.clone(),
                at_commit: Vec::new(),
            }),
            #[cfg(feature = "postgres")]
            Pool::Postgres(pool) => Ok(Tx {
                inner: TxInner::Postgres(pool.begin().await?),
                node: self.node.clone(),
                at_commit: Vec::new(),
            }),
        }
    }

    /// Starts a transaction that will write after reading: SQLite takes its write lock at
    /// once (`BEGIN IMMEDIATE`), so that two such transactions queue instead of both reading
    /// the same state; on PostgreSQL the caller locks what it reads (rows, or the table).
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match &self.pool {
            Pool::Sqlite(pool) => Ok(Tx {
                inner: TxInner::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
                node: self.node.clone(),
                at_commit: Vec::new(),
            }),
            #[cfg(feature = "postgres")]
            Pool::Postgres(pool) => Ok(Tx {
                inner: TxInner::Postgres(pool.begin().await?),
                node: self.node.clone(),
                at_commit: Vec::new(),
            }),
        }
    }

    /// A pooled connection outside any transaction: each statement on it stands alone.
    pub async fn connection(&self) -> Result<Connection, sqlx::Error> {
        match &self.pool {
            Pool::Sqlite(pool) => Ok(Connection {
                inner: ConnectionInner::Sqlite(pool.acquire().await?),
            }),
            #[cfg(feature = "postgres")]
            Pool::Postgres(pool) => Ok(Connection {
                inner: ConnectionInner::Postgres(pool.acquire().await?),
            }),
        }
    }

    /// Checks that the database answers (a pooled connection, pinged).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        use sqlx::Connection as _;
        match &self.pool {
            Pool::Sqlite(pool) => pool.acquire().await?.ping().await,
            #[cfg(feature = "postgres")]
            Pool::Postgres(pool) => pool.acquire().await?.ping().await,
        }
    }

    /// Closes the pool, waiting for its connections to be returned; later queries fail.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            #[cfg(feature = "postgres")]
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

/// One transaction, possibly over several crates' tables: store functions that write
/// together with others take `&mut Tx`, and the caller commits.
#[derive(Debug)]
pub struct Tx {
    inner: TxInner,
    node: std::sync::Arc<str>,
    /// Rows inserted when the transaction commits ([`Tx::insert_at_commit`]).
    at_commit: Vec<AtCommit>,
}

/// The rows of one `INSERT` gathered for the commit: `head`, then `row` once per row, then
/// `tail`.
#[derive(Debug)]
struct AtCommit {
    head: &'static str,
    row: &'static str,
    tail: &'static str,
    rows: Vec<Vec<Value>>,
}

/// The most values one gathered `INSERT` binds: SQLite takes up to 32,766, PostgreSQL
/// 65,535.
const BOUND_VALUES_MAX: usize = 30_000;

/// The largest power of two not above `n` (`n` ≥ 1).
fn prev_power_of_two(n: usize) -> usize {
    1 << (usize::BITS - 1 - n.max(1).leading_zeros())
}

#[derive(Debug)]
enum TxInner {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// The connection of a [`Tx`] or a [`Connection`], one variant per engine. Only store
/// modules match on it.
#[derive(Debug)]
pub enum Conn<'t> {
    /// A SQLite connection.
    Sqlite(&'t mut SqliteConnection),
    /// A PostgreSQL connection.
    #[cfg(feature = "postgres")]
    Postgres(&'t mut PgConnection),
}

impl Conn<'_> {
    /// Whether the engine is PostgreSQL (for the few statements that differ).
    pub fn is_postgres(&self) -> bool {
        match self {
            Conn::Sqlite(_) => false,
            #[cfg(feature = "postgres")]
            Conn::Postgres(_) => true,
        }
    }
}

impl Tx {
    /// The node of the [`Db`] the transaction began on ([`Db::node`]).
    pub fn node(&self) -> &str {
        &self.node
    }

    /// The connection, for a store function to reach its engine.
    pub fn conn(&mut self) -> Conn<'_> {
        match &mut self.inner {
            TxInner::Sqlite(tx) => Conn::Sqlite(&mut *tx),
            #[cfg(feature = "postgres")]
            TxInner::Postgres(tx) => Conn::Postgres(&mut *tx),
        }
    }

    /// Adds a row to an `INSERT` that runs when the transaction commits, one statement for
    /// every row given the same `head`, `row` and `tail`: `head`, then `row` for each row
    /// (comma-separated), then `tail`. `values` bind the row's placeholders.
    ///
    /// Why: each statement is a round trip to the engine (for SQLite, to its worker thread),
    /// and a crawl indexes its captures in groups, one transaction each. While the
    /// benchmark's 5,000-page crawl ran on its 2-core machine, a `SELECT 1` on the indexing
    /// connection took 110 µs on average (p90 290 µs), against about 40 µs of SQLite's own
    /// work for the average statement of a capture's eleven: the round trips were most of
    /// the 1.45 ms a capture's indexing took (issue 21). A row no statement of the
    /// transaction reads back (it is not there before the commit) can wait for the others
    /// of its kind: a group's WARC records are then a few statements, not one per capture.
    ///
    /// A row that cannot be inserted fails the commit, and with it the whole transaction,
    /// as it would have failed its own statement.
    pub fn insert_at_commit(
        &mut self,
        head: &'static str,
        row: &'static str,
        tail: &'static str,
        values: Vec<Value>,
    ) {
        let same = |a: &&mut AtCommit| a.head == head && a.row == row && a.tail == tail;
        match self.at_commit.iter_mut().find(same) {
            Some(a) => a.rows.push(values),
            None => self.at_commit.push(AtCommit {
                head,
                row,
                tail,
                rows: vec![values],
            }),
        }
    }

    /// Runs the `INSERT`s gathered by [`Tx::insert_at_commit`], in the order their first rows
    /// were given. Each runs in chunks of a power of two rows (13 rows: 8, 4, 1), as large as
    /// the engine's limit on bound values allows: a statement is prepared once per
    /// connection and kept, and a few shapes stay prepared where one per row count would
    /// crowd the others out of the connection's cache of 100.
    async fn insert_gathered(&mut self) -> Result<(), sqlx::Error> {
        for a in std::mem::take(&mut self.at_commit) {
            let width = a.rows.first().map_or(1, Vec::len).max(1);
            let most = prev_power_of_two((BOUND_VALUES_MAX / width).max(1));
            let mut rows = a.rows;
            while !rows.is_empty() {
                let take = prev_power_of_two(rows.len()).min(most);
                let rest = rows.split_off(take);
                let chunk = std::mem::replace(&mut rows, rest);
                let list = vec![a.row; chunk.len()].join(", ");
                // Only the caller's fixed parts and placeholders are spliced in.
                query_owned(format!("{} {list} {}", a.head, a.tail))
                    .bind_all(chunk.into_iter().flatten())
                    .execute(&mut *self)
                    .await?;
            }
        }
        Ok(())
    }

    /// Commits everything done in the transaction, after the rows gathered for the commit
    /// ([`Tx::insert_at_commit`]).
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        self.insert_gathered().await?;
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await,
            #[cfg(feature = "postgres")]
            TxInner::Postgres(tx) => tx.commit().await,
        }
    }

    /// Undoes everything done in the transaction.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.rollback().await,
            #[cfg(feature = "postgres")]
            TxInner::Postgres(tx) => tx.rollback().await,
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
    #[cfg(feature = "postgres")]
    Postgres(sqlx::pool::PoolConnection<Postgres>),
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
            #[cfg(feature = "postgres")]
            ConnectionInner::Postgres(c) => Conn::Postgres(&mut *c),
        }
    }
}

/// Whether a database error says the volume is full, as each engine reports it: SQLite's
/// `SQLITE_FULL` (13; extended codes keep it in the low byte), PostgreSQL's SQLSTATE `53100`
/// (`disk_full`). An error of any other kind is not "full".
pub fn is_disk_full(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = e else {
        return false;
    };
    if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
        return db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| c & 0xff == 13);
    }
    #[cfg(feature = "postgres")]
    if db
        .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        .is_some()
    {
        return db.code().as_deref() == Some("53100");
    }
    false
}

/// Whether an error says the database server cannot be reached now (its connection failed
/// or was cut, the pool found no live connection in time, the server is shutting down or
/// starting): a condition to wait out, not a fault in what was asked. PostgreSQL's SQLSTATE
/// class `08` (connection exception) and `57P01`–`57P03` (shutdown, crash, cannot connect
/// now). A SQLite file is never "unreachable": its errors are the statement's.
pub fn is_unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Tls(_) => true,
        #[cfg(feature = "postgres")]
        sqlx::Error::Database(db)
            if db
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .is_some() =>
        {
            let code = db.code().unwrap_or_default();
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03")
        }
        _ => false,
    }
}

/// An engine a statement can be written for (see [`sql`]).
pub trait Engine: sqlx::Database {
    /// The statement as this engine takes it.
    fn sql(text: &'static str) -> &'static str;
    /// A statement built at run time, as this engine takes it.
    fn sql_owned(text: String) -> String;
}

impl Engine for Sqlite {
    fn sql(text: &'static str) -> &'static str {
        text
    }
    fn sql_owned(text: String) -> String {
        text
    }
}

#[cfg(feature = "postgres")]
impl Engine for Postgres {
    fn sql(text: &'static str) -> &'static str {
        // Each distinct statement is numbered once and kept for the life of the process
        // (there are as many as the code has, a few hundred).
        use std::collections::HashMap;
        use std::sync::{Mutex, OnceLock};
        static NUMBERED: OnceLock<Mutex<HashMap<&'static str, &'static str>>> = OnceLock::new();
        let mut cache = NUMBERED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        cache
            .entry(text)
            .or_insert_with(|| Box::leak(numbered(text).into_boxed_str()))
    }
    fn sql_owned(text: String) -> String {
        numbered(&text)
    }
}

/// A statement written with SQLite's `?` placeholders, as engine `E` takes it: unchanged
/// for SQLite; for PostgreSQL with `$1`, `$2`, … in their place.
pub fn sql<E: Engine>(text: &'static str) -> &'static str {
    E::sql(text)
}

/// [`sql`] for a statement built at run time (from parts the code chose, never from input:
/// values are bound).
pub fn sql_owned<E: Engine>(text: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(E::sql_owned(text))
}

/// `?` placeholders numbered `$1`, `$2`, … in order (and SQLite's numbered `?NNN` as
/// `$NNN`), except inside string literals, quoted identifiers and comments. Written by hand: sqlx binds positionally with each engine's own
/// syntax and has no translation between them.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
fn numbered(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut n = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '?' => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    // SQLite's `?NNN` names its parameter: PostgreSQL's `$NNN`.
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    n += 1;
                    out.push_str(&n.to_string());
                }
            }
            '\'' | '"' => {
                // Up to the closing quote; a doubled quote inside is an escaped one.
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                out.push(c);
                let mut star = false;
                for d in chars.by_ref() {
                    out.push(d);
                    if star && d == '/' {
                        break;
                    }
                    star = d == '*';
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn db() -> Db {
        Db::sqlite(SqlitePool::connect("sqlite::memory:").await.unwrap())
    }

    fn sqlite_pool(db: &Db) -> &SqlitePool {
        match db.pool() {
            Pool::Sqlite(p) => p,
            #[cfg(feature = "postgres")]
            _ => unreachable!("a SQLite test"),
        }
    }

    fn sqlite_conn<'t>(c: Conn<'t>) -> &'t mut SqliteConnection {
        match c {
            Conn::Sqlite(c) => c,
            #[cfg(feature = "postgres")]
            _ => unreachable!("a SQLite test"),
        }
    }

    #[tokio::test]
    async fn rows_gathered_for_the_commit_go_in_with_it_or_not_at_all() {
        let db = db().await;
        sqlx::query("CREATE TABLE t (v INTEGER UNIQUE, w TEXT)")
            .execute(sqlite_pool(&db))
            .await
            .unwrap();
        let count = "SELECT count(*) FROM t";
        let gather = |tx: &mut Tx, v: i64| {
            let w = format!("row {v}");
            tx.insert_at_commit(
                "INSERT INTO t (v, w) VALUES",
                "(?, ?)",
                "",
                vec![v.into(), w.into()],
            )
        };
        // 13 rows: in (8, 4 and 1 rows), in the order given, once the commit runs.
        let mut tx = db.begin().await.unwrap();
        for v in 0..13 {
            gather(&mut tx, v);
        }
        let before: i64 = query(count).scalar(&mut tx).await.unwrap();
        assert_eq!(before, 0, "not there before the commit");
        tx.commit().await.unwrap();
        let rows: Vec<(i64, String)> = query("SELECT v, w FROM t ORDER BY rowid")
            .fetch_all(&db)
            .await
            .unwrap();
        let want: Vec<(i64, String)> = (0..13).map(|v| (v, format!("row {v}"))).collect();
        assert_eq!(rows, want);
        // Rolled back: none of them.
        let mut tx = db.begin().await.unwrap();
        gather(&mut tx, 100);
        tx.rollback().await.unwrap();
        // One row that cannot go in fails the commit, and the transaction's other writes.
        let mut tx = db.begin().await.unwrap();
        query("INSERT INTO t (v, w) VALUES (200, 'direct')")
            .execute(&mut tx)
            .await
            .unwrap();
        gather(&mut tx, 101);
        gather(&mut tx, 5);
        assert!(tx.commit().await.is_err(), "v = 5 is there already");
        let after: i64 = query(count).scalar(&db).await.unwrap();
        assert_eq!(after, 13);
        assert_eq!(prev_power_of_two(1), 1);
        assert_eq!(prev_power_of_two(13), 8);
        assert_eq!(prev_power_of_two(64), 64);
    }

    #[tokio::test]
    async fn a_transaction_commits_or_rolls_back_as_a_whole() {
        let db = db().await;
        let pool = sqlite_pool(&db);
        sqlx::query("CREATE TABLE t (v INTEGER)")
            .execute(pool)
            .await
            .unwrap();
        for (v, keep) in [(1, true), (2, false)] {
            let mut tx = db.begin().await.unwrap();
            let conn = sqlite_conn(tx.conn());
            sqlx::query("INSERT INTO t VALUES (?)")
                .bind(v)
                .execute(&mut *conn)
                .await
                .unwrap();
            let conn = sqlite_conn(tx.conn());
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
        let conn = sqlite_conn(AsConn::conn(&mut c));
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

    /// [`query`] on an engine: values of every kind in, tuples and structs out, in a
    /// transaction and outside one.
    async fn statements_for_every_engine(db: &Db, ddl: &'static str) {
        query(ddl).execute(db).await.unwrap();
        let mut tx = db.begin().await.unwrap();
        for (id, name, flag) in [(1i64, "one", true), (2, "two ?", false)] {
            let n = query(
                "INSERT INTO q (id, name, flag, score, data, note) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(name)
            .bind(flag)
            .bind(id as f64 / 2.0)
            .bind(vec![id as u8; 3])
            .bind(None::<String>)
            .execute(&mut tx)
            .await
            .unwrap();
            assert_eq!(n, 1);
        }
        let seen: Option<i64> = query("SELECT id FROM q WHERE name = ?")
            .bind("two ?")
            .scalar_optional(&mut tx)
            .await
            .unwrap();
        assert_eq!(seen, Some(2));
        tx.commit().await.unwrap();

        #[derive(sqlx::FromRow, Debug, PartialEq)]
        struct Row {
            id: i64,
            name: String,
            flag: bool,
            score: f64,
            data: Vec<u8>,
            note: Option<String>,
        }
        let rows: Vec<Row> =
            query("SELECT id, name, flag, score, data, note FROM q WHERE id >= ? ORDER BY id")
                .bind(1u32)
                .fetch_all(db)
                .await
                .unwrap();
        assert_eq!(
            rows[1],
            Row {
                id: 2,
                name: "two ?".into(),
                flag: false,
                score: 1.0,
                data: vec![2; 3],
                note: None
            }
        );
        let flags: Vec<bool> = query("SELECT flag FROM q ORDER BY id")
            .scalars(db)
            .await
            .unwrap();
        assert_eq!(flags, [true, false]);
        let ids = ["?"; 2].join(", ");
        let n: i64 = query_owned(format!("SELECT COUNT(*) FROM q WHERE id IN ({ids})"))
            .bind(1i64)
            .bind(2i64)
            .scalar(&mut db.connection().await.unwrap())
            .await
            .unwrap();
        assert_eq!(n, 2);
        let none = query("SELECT id FROM q WHERE id = ?")
            .bind(9i64)
            .scalar::<i64>(db)
            .await
            .unwrap_err();
        assert!(matches!(none, sqlx::Error::RowNotFound), "{none:?}");
    }

    #[tokio::test]
    async fn one_statement_runs_on_sqlite() {
        statements_for_every_engine(
            &db().await,
            "CREATE TABLE q (id INTEGER PRIMARY KEY, name TEXT NOT NULL, flag BOOLEAN NOT NULL,
                score REAL NOT NULL, data BLOB NOT NULL, note TEXT)",
        )
        .await;
    }

    #[test]
    fn placeholders_are_numbered_outside_literals_identifiers_and_comments() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"
        );
        assert_eq!(
            numbered(
                "SELECT '?', 'it''s ?', \"odd?\" FROM t -- why?\nWHERE x = ? /* ? */ AND y = ?"
            ),
            "SELECT '?', 'it''s ?', \"odd?\" FROM t -- why?\nWHERE x = $1 /* ? */ AND y = $2"
        );
        assert_eq!(numbered("SELECT 1"), "SELECT 1");
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ?1 AND c < ?2 OR d = ?1"),
            "SELECT a FROM t WHERE b = $1 AND c < $2 OR d = $1"
        );
        assert_eq!(sql::<Sqlite>("SELECT ?"), "SELECT ?");
    }

    #[tokio::test]
    async fn a_full_database_is_told_apart_from_other_errors() {
        let db = db().await;
        let pool = sqlite_pool(&db);
        let mut tx = db.begin().await.unwrap();
        let conn = sqlite_conn(tx.conn());
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

    /// The same handle, transactions and statements on a real PostgreSQL server.
    #[cfg(feature = "testing")]
    #[tokio::test]
    async fn postgres_transactions_statements_and_a_full_disk() {
        let server = testing::Postgres::start();
        let url = server.create_database("handle");
        let db = Db::postgres(PgPool::connect(&url).await.unwrap());
        statements_for_every_engine(
            &db,
            "CREATE TABLE q (id BIGINT PRIMARY KEY, name TEXT NOT NULL, flag BOOLEAN NOT NULL,
                score DOUBLE PRECISION NOT NULL, data BYTEA NOT NULL, note TEXT)",
        )
        .await;
        // Transactions commit or roll back as a whole.
        query("CREATE TABLE t (v BIGINT)")
            .execute(&db)
            .await
            .unwrap();
        for (v, keep) in [(1i64, true), (2, false)] {
            let mut tx = db.begin().await.unwrap();
            for w in [v, v * 10] {
                query("INSERT INTO t (v) VALUES (?)")
                    .bind(w)
                    .execute(&mut tx)
                    .await
                    .unwrap();
            }
            if keep {
                tx.commit().await.unwrap();
            } else {
                tx.rollback().await.unwrap();
            }
        }
        let kept: Vec<i64> = query("SELECT v FROM t ORDER BY v")
            .scalars(&db)
            .await
            .unwrap();
        assert_eq!(kept, [1, 10]);
        // The engine's own statements take the numbered text.
        let Pool::Postgres(pool) = db.pool() else {
            unreachable!("a PostgreSQL test")
        };
        let n: i64 = sqlx::query_scalar(sql::<Postgres>("SELECT COUNT(*) FROM t WHERE v > ?"))
            .bind(0i64)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(n, 2);
        // PostgreSQL's disk_full, raised by the server itself, and another error.
        let full = sqlx::query(
            "DO $$ BEGIN RAISE EXCEPTION 'no space' USING ERRCODE = 'disk_full'; END $$",
        )
        .execute(pool)
        .await
        .unwrap_err();
        assert!(is_disk_full(&full), "{full:?}");
        let other = sqlx::query("SELECT * FROM no_such_table")
            .execute(pool)
            .await
            .unwrap_err();
        assert!(!is_disk_full(&other), "{other:?}");
        db.close().await;
    }
}
