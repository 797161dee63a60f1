//! One statement for every engine: [`query`] takes SQL written with SQLite's `?`
//! placeholders and values of a few plain types, and runs it on whichever engine the handle
//! holds, numbering the placeholders for PostgreSQL ([`crate::sql`]). Rows come back as
//! tuples or `#[derive(sqlx::FromRow)]` structs, which both engines decode.
//!
//! Why not sqlx's own `query`: its statements, arguments and rows are typed by engine, so a
//! store function would have to be written once per engine even where the SQL is the same;
//! and why not sqlx's `Any` driver: it drops the engines' own types (and PostgreSQL's binary
//! protocol for them) and cannot hold a transaction that spans several crates' tables the
//! way [`crate::Tx`] does. Values are copied into [`Value`] once per statement (a URL, a
//! few integers): nothing next to the network and disk work around each statement.

#[cfg(feature = "postgres")]
use sqlx::postgres::PgArguments;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, Sqlite};

use crate::{Conn, Connection, Db, Engine, Pool, Tx};

/// A value bound to a placeholder. Integers are 64-bit on both engines (`INTEGER`,
/// `BIGINT`); a flag is a boolean (`INTEGER` 0/1 in SQLite, `BOOLEAN` in PostgreSQL).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An integer, or NULL.
    Int(Option<i64>),
    /// A floating-point number, or NULL.
    Real(Option<f64>),
    /// A flag, or NULL.
    Bool(Option<bool>),
    /// Text, or NULL.
    Text(Option<String>),
    /// Bytes, or NULL.
    Bytes(Option<Vec<u8>>),
}

macro_rules! value_from {
    ($variant:ident: $($t:ty => $conv:expr),* $(,)?) => {
        $(
            impl From<$t> for Value {
                fn from(v: $t) -> Value {
                    #[allow(clippy::redundant_closure_call)]
                    Value::$variant(Some(($conv)(v)))
                }
            }
            impl From<Option<$t>> for Value {
                fn from(v: Option<$t>) -> Value {
                    #[allow(clippy::redundant_closure_call)]
                    Value::$variant(v.map($conv))
                }
            }
        )*
    };
}

value_from!(Int: i64 => |v| v, i32 => i64::from, u32 => i64::from, u16 => i64::from, u8 => i64::from);
value_from!(Real: f64 => |v| v, f32 => f64::from);
value_from!(Bool: bool => |v| v);
value_from!(Text: String => |v| v, &str => str::to_owned, &String => String::clone);
value_from!(Bytes: Vec<u8> => |v| v, &[u8] => <[u8]>::to_vec, &Vec<u8> => Vec::clone);

macro_rules! value_from_ref {
    ($($t:ty),* $(,)?) => {
        $(
            impl From<&Option<$t>> for Value {
                fn from(v: &Option<$t>) -> Value {
                    v.clone().into()
                }
            }
        )*
    };
}

value_from_ref!(i64, f64, bool, String, Vec<u8>);

impl From<&i64> for Value {
    fn from(v: &i64) -> Value {
        (*v).into()
    }
}

/// A row type both engines decode: a tuple of plain types, or a `#[derive(sqlx::FromRow)]`
/// struct of them.
#[cfg(feature = "postgres")]
pub trait Decode:
    for<'r> sqlx::FromRow<'r, SqliteRow>
    + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
    + Send
    + Unpin
{
}
#[cfg(feature = "postgres")]
impl<T> Decode for T where
    T: for<'r> sqlx::FromRow<'r, SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin
{
}

/// A row type both engines decode: a tuple of plain types, or a `#[derive(sqlx::FromRow)]`
/// struct of them.
#[cfg(not(feature = "postgres"))]
pub trait Decode: for<'r> sqlx::FromRow<'r, SqliteRow> + Send + Unpin {}
#[cfg(not(feature = "postgres"))]
impl<T> Decode for T where T: for<'r> sqlx::FromRow<'r, SqliteRow> + Send + Unpin {}

/// Where a statement runs: on the pool (a statement of its own) or on a connection (in a
/// transaction, or a plain pooled connection).
pub enum On<'a> {
    /// A statement of its own on the pool.
    Pool(&'a Pool),
    /// On this connection.
    Conn(Conn<'a>),
}

impl<'a> From<&'a Db> for On<'a> {
    fn from(db: &'a Db) -> On<'a> {
        On::Pool(db.pool())
    }
}

impl<'a> From<&'a mut Tx> for On<'a> {
    fn from(tx: &'a mut Tx) -> On<'a> {
        On::Conn(tx.conn())
    }
}

impl<'a> From<&'a mut Connection> for On<'a> {
    fn from(c: &'a mut Connection) -> On<'a> {
        On::Conn(crate::AsConn::conn(c))
    }
}

impl<'a> From<Conn<'a>> for On<'a> {
    fn from(c: Conn<'a>) -> On<'a> {
        On::Conn(c)
    }
}

/// Runs `body` with the statement's text and arguments for the engine `on` holds, and
/// `exec` its pool or connection.
macro_rules! each_engine {
    ($query:ident, $on:expr, |$text:ident, $args:ident, $exec:ident| $body:expr) => {
        match $on {
            On::Pool(Pool::Sqlite($exec)) => {
                let ($text, $args) = ($query.text::<Sqlite>(), $query.args::<SqliteArguments>()?);
                $body
            }
            On::Conn(Conn::Sqlite($exec)) => {
                let ($text, $args) = ($query.text::<Sqlite>(), $query.args::<SqliteArguments>()?);
                $body
            }
            #[cfg(feature = "postgres")]
            On::Pool(Pool::Postgres($exec)) => {
                let ($text, $args) = (
                    $query.text::<sqlx::Postgres>(),
                    $query.args::<PgArguments>()?,
                );
                $body
            }
            #[cfg(feature = "postgres")]
            On::Conn(Conn::Postgres($exec)) => {
                let ($text, $args) = (
                    $query.text::<sqlx::Postgres>(),
                    $query.args::<PgArguments>()?,
                );
                $body
            }
        }
    };
}

enum Text {
    Static(&'static str),
    Owned(String),
}

/// A statement and its values (see [`query`]).
#[must_use = "a statement does nothing until it is run"]
pub struct Query {
    text: Text,
    values: Vec<Value>,
}

/// A statement written with `?` placeholders, for any engine.
pub fn query(sql: &'static str) -> Query {
    Query {
        text: Text::Static(sql),
        values: Vec::new(),
    }
}

/// [`query`] for a statement built at run time from parts the code chose (never from input:
/// values are bound).
pub fn query_owned(sql: String) -> Query {
    Query {
        text: Text::Owned(sql),
        values: Vec::new(),
    }
}

impl Query {
    /// Binds the next placeholder.
    pub fn bind(mut self, v: impl Into<Value>) -> Query {
        self.values.push(v.into());
        self
    }

    /// Binds the next placeholders, in order (a statement built at run time).
    pub fn bind_all(mut self, values: impl IntoIterator<Item = Value>) -> Query {
        self.values.extend(values);
        self
    }

    fn text<E: Engine>(&self) -> sqlx::SqlStr {
        use sqlx::SqlSafeStr;
        match &self.text {
            Text::Static(s) => E::sql(s).into_sql_str(),
            Text::Owned(s) => crate::sql_owned::<E>(s.clone()).into_sql_str(),
        }
    }

    /// The values as engine `A`'s arguments.
    fn args<A>(&self) -> Result<A, sqlx::Error>
    where
        A: Arguments,
        for<'t> Option<i64>: sqlx::Encode<'t, A::Database> + sqlx::Type<A::Database>,
        for<'t> Option<f64>: sqlx::Encode<'t, A::Database> + sqlx::Type<A::Database>,
        for<'t> Option<bool>: sqlx::Encode<'t, A::Database> + sqlx::Type<A::Database>,
        for<'t> Option<String>: sqlx::Encode<'t, A::Database> + sqlx::Type<A::Database>,
        for<'t> Option<Vec<u8>>: sqlx::Encode<'t, A::Database> + sqlx::Type<A::Database>,
    {
        let mut args = A::default();
        for v in &self.values {
            match v {
                Value::Int(x) => args.add(*x),
                Value::Real(x) => args.add(*x),
                Value::Bool(x) => args.add(*x),
                Value::Text(x) => args.add(x.clone()),
                Value::Bytes(x) => args.add(x.clone()),
            }
            .map_err(sqlx::Error::Encode)?;
        }
        Ok(args)
    }

    /// Runs it; returns how many rows it changed.
    pub async fn execute<'a>(self, on: impl Into<On<'a>>) -> Result<u64, sqlx::Error> {
        each_engine!(self, on.into(), |text, args, exec| Ok(sqlx::query_with(
            text, args
        )
        .execute(exec)
        .await?
        .rows_affected()))
    }

    /// Every row.
    pub async fn fetch_all<'a, T: Decode>(
        self,
        on: impl Into<On<'a>>,
    ) -> Result<Vec<T>, sqlx::Error> {
        each_engine!(self, on.into(), |text, args, exec| sqlx::query_as_with(
            text, args
        )
        .fetch_all(exec)
        .await)
    }

    /// The first row, if any.
    pub async fn fetch_optional<'a, T: Decode>(
        self,
        on: impl Into<On<'a>>,
    ) -> Result<Option<T>, sqlx::Error> {
        each_engine!(self, on.into(), |text, args, exec| sqlx::query_as_with(
            text, args
        )
        .fetch_optional(exec)
        .await)
    }

    /// The first row; [`sqlx::Error::RowNotFound`] when there is none.
    pub async fn fetch_one<'a, T: Decode>(self, on: impl Into<On<'a>>) -> Result<T, sqlx::Error> {
        self.fetch_optional(on)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// The first column of every row.
    pub async fn scalars<'a, T>(self, on: impl Into<On<'a>>) -> Result<Vec<T>, sqlx::Error>
    where
        (T,): Decode,
    {
        Ok(self
            .fetch_all::<(T,)>(on)
            .await?
            .into_iter()
            .map(|(v,)| v)
            .collect())
    }

    /// The first column of the first row, if any.
    pub async fn scalar_optional<'a, T>(
        self,
        on: impl Into<On<'a>>,
    ) -> Result<Option<T>, sqlx::Error>
    where
        (T,): Decode,
    {
        Ok(self.fetch_optional::<(T,)>(on).await?.map(|(v,)| v))
    }

    /// The first column of the first row; [`sqlx::Error::RowNotFound`] when there is none.
    pub async fn scalar<'a, T>(self, on: impl Into<On<'a>>) -> Result<T, sqlx::Error>
    where
        (T,): Decode,
    {
        Ok(self.fetch_one::<(T,)>(on).await?.0)
    }
}
