//! The SQL that both backends run: one small interface over a connection or transaction
//! ([`Sql`]), rows read back as values ([`Row`]), and the few places where SQLite and
//! PostgreSQL spell a statement differently ([`Dialect`]).
//!
//! Statements are written once, with SQLite's numbered parameters (`?1`, `?2`); the
//! PostgreSQL backend renumbers them as `$1`, `$2`. Parameters are rusqlite's [`ToSql`] values
//! (`rusqlite::params![…]`), and a row is read with the same typed `get` either way, so the
//! logic of an ingest, a story assignment, a listing or a check exists once.

use rusqlite::types::{FromSql, Value, ValueRef};
use rusqlite::ToSql;

use crate::StoreError;

/// Which database a statement runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// The embedded SQLite store.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Dialect {
    /// A case-insensitive comparison of column `column` with parameter `param` (`?N`).
    pub fn same_text_nocase(self, column: &str, param: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{column} = {param} COLLATE NOCASE"),
            Dialect::Postgres => format!("lower({column}) = lower({param})"),
        }
    }
}

/// One row read back: its columns as values.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` as a Rust value, converted as rusqlite converts it.
    pub fn get<T: FromSql>(&self, i: usize) -> Result<T, StoreError> {
        let value = self.0.get(i).ok_or_else(|| StoreError::Database(format!("no column {i} in the row")))?;
        T::column_result(ValueRef::from(value)).map_err(|e| StoreError::Database(format!("column {i}: {e}")))
    }

    /// Column `i` as stored (for the codecs).
    pub fn value(&self, i: usize) -> ValueRef<'_> {
        self.0.get(i).map_or(ValueRef::Null, ValueRef::from)
    }
}

/// A connection or open transaction of either backend.
pub trait Sql {
    /// Which database this is.
    fn dialect(&self) -> Dialect;

    /// Runs a statement; returns the rows it changed.
    fn execute(&mut self, sql: &str, params: &[&dyn ToSql]) -> Result<usize, StoreError>;

    /// Runs a query; returns every row.
    fn query(&mut self, sql: &str, params: &[&dyn ToSql]) -> Result<Vec<Row>, StoreError>;

    /// Runs a query; returns its first row.
    fn query_row(&mut self, sql: &str, params: &[&dyn ToSql]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}

impl dyn Sql + '_ {
    /// The first column of the first row, when there is one and it is not null.
    pub fn query_value<T: FromSql>(
        &mut self,
        sql: &str,
        params: &[&dyn ToSql],
    ) -> Result<Option<T>, StoreError> {
        match self.query_row(sql, params)? {
            Some(row) => row.get::<Option<T>>(0),
            None => Ok(None),
        }
    }
}

/// Values as statement parameters.
pub fn params_of<T: ToSql>(values: &[T]) -> Vec<&dyn ToSql> {
    values.iter().map(|v| v as &dyn ToSql).collect()
}

/// `?1, ?2, …, ?n`: the parameters of an `IN (…)` list.
pub fn placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
}

/// A parameter's value, as rusqlite would bind it.
pub fn bound(param: &dyn ToSql) -> Result<Value, StoreError> {
    use rusqlite::types::ToSqlOutput;
    Ok(match param.to_sql().map_err(|e| StoreError::Database(e.to_string()))? {
        ToSqlOutput::Borrowed(v) => v.into(),
        ToSqlOutput::Owned(v) => v,
        other => {
            return Err(StoreError::Database(format!("a parameter of an unsupported kind: {other:?}")));
        }
    })
}

/// A SQLite connection (or transaction, through `Deref`) as [`Sql`].
pub struct Lite<'a>(pub &'a rusqlite::Connection);

impl Sql for Lite<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[&dyn ToSql]) -> Result<usize, StoreError> {
        Ok(self.0.prepare_cached(sql)?.execute(params)?)
    }

    fn query(&mut self, sql: &str, params: &[&dyn ToSql]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let n = stmt.column_count();
        let rows = stmt
            .query_map(params, |r| {
                (0..n).map(|i| r.get::<_, Value>(i)).collect::<Result<Vec<_>, _>>().map(Row)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

/// `?N` parameters renumbered as PostgreSQL's `$N` (statements hold no `?` otherwise).
pub fn numbered_dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_lists_number_their_parameters() {
        assert_eq!(placeholders(3), "?1, ?2, ?3");
        assert_eq!(params_of(&[1i64, 2]).len(), 2);
    }

    #[test]
    fn parameters_are_renumbered_for_postgres() {
        assert_eq!(numbered_dollars("SELECT ?1, ?12 WHERE a = ?2"), "SELECT $1, $12 WHERE a = $2");
        assert_eq!(numbered_dollars("SELECT '?' , x"), "SELECT '?' , x");
    }

    #[test]
    fn rows_read_with_typed_gets() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut lite = Lite(&conn);
        let sql: &mut dyn Sql = &mut lite;
        let row = sql.query_row("SELECT 7, 'zeven', NULL, x'00ff'", &[]).unwrap().unwrap();
        assert_eq!(row.get::<i64>(0).unwrap(), 7);
        assert_eq!(row.get::<String>(1).unwrap(), "zeven");
        assert_eq!(row.get::<Option<String>>(2).unwrap(), None);
        assert_eq!(row.get::<Vec<u8>>(3).unwrap(), vec![0, 255]);
        assert!(row.get::<i64>(1).is_err(), "text is not a number");
        assert_eq!(sql.query_value::<i64>("SELECT ?1 + 1", rusqlite::params![41]).unwrap(), Some(42));
    }
}
