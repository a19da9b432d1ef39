//! Nightly state: what earlier runs saw, in one SQLite file (bundled SQLite, nothing to
//! install).
//!
//! It holds the articles seen (by id and by content hash, with their text compressed so
//! they can be read again when the rules change), their claims in compact form, the
//! blocking keys that tie tonight's articles to stored ones, the entities learned, and
//! every conflict reported with the runs that first and last found it.
//!
//! A run works inside one exclusive transaction: a second run waits for it (up to a
//! limit) and then stops with a clear message; a run killed at any point leaves the state
//! as the last completed run left it, because SQLite rolls the unfinished transaction
//! back. The schema is versioned and migrated forward on open
//! (`tests/fixtures/state-v1.sqlite` is a file written by schema version 1).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 2;

/// Schema version 1: articles, keys, claims, conflicts, runs.
const SCHEMA_V1: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs(
    run_id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    version TEXT NOT NULL,
    articles INTEGER NOT NULL DEFAULT 0,
    conflicts INTEGER NOT NULL DEFAULT 0,
    new_conflicts INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS articles(
    article_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    published TEXT,
    day INTEGER,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    text BLOB NOT NULL,
    run_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS article_keys(key TEXT NOT NULL, article_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS article_keys_key ON article_keys(key);
CREATE INDEX IF NOT EXISTS article_keys_article ON article_keys(article_id);
CREATE TABLE IF NOT EXISTS claims(
    claim_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS claims_article ON claims(article_id);
CREATE TABLE IF NOT EXISTS conflicts(
    conflict_key TEXT PRIMARY KEY,
    conflict_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    a_claim_id TEXT NOT NULL,
    b_claim_id TEXT NOT NULL,
    a_article_id TEXT NOT NULL,
    b_article_id TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    first_run INTEGER NOT NULL,
    last_run INTEGER NOT NULL);
";

/// Schema version 2 adds the entities learned, with their aliases.
const SCHEMA_V2: &str = "
CREATE TABLE IF NOT EXISTS entities(
    entity_id TEXT PRIMARY KEY,
    canonical TEXT NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    last_run INTEGER NOT NULL);
";

/// An article kept in the state.
#[derive(Clone, Debug)]
pub struct StoredArticle {
    /// Id.
    pub id: String,
    /// Outlet.
    pub source: String,
    /// Publication date (YYYY-MM-DD) or empty.
    pub published: String,
    /// Headline.
    pub title: String,
    /// Body.
    pub body: String,
    /// Link.
    pub url: String,
}

/// A conflict as the state records it.
#[derive(Clone, Debug)]
pub struct ConflictSeen {
    /// Identity: the two claim ids (sorted) and the kind.
    pub key: String,
    /// Conflict id in the report.
    pub conflict_id: String,
    /// Kind.
    pub kind: String,
    /// Claim and article ids of both sides.
    pub a_claim: String,
    /// Side B claim id.
    pub b_claim: String,
    /// Side A article id.
    pub a_article: String,
    /// Side B article id.
    pub b_article: String,
}

/// The open state, inside the run's transaction. The connection sits behind a mutex so
/// the pipeline may consult the state from its worker pool.
pub struct State {
    conn: Mutex<Connection>,
    path: PathBuf,
    run_id: i64,
    today: String,
}

/// Counts for `crosscheck state stats`.
#[derive(Debug, serde::Serialize)]
pub struct Stats {
    /// Schema version of the file.
    pub schema_version: i64,
    /// Runs recorded.
    pub runs: i64,
    /// Articles stored.
    pub articles: i64,
    /// Claims stored.
    pub claims: i64,
    /// Conflicts recorded.
    pub conflicts: i64,
    /// Entities learned.
    pub entities: i64,
    /// Date of the last run.
    pub last_run: Option<String>,
    /// Oldest and newest publication date stored.
    pub published_range: (Option<String>, Option<String>),
}

fn state_err(path: &Path, message: impl Into<String>) -> Error {
    Error::State {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseBusy => state_err(
            path,
            "another crosscheck run is using this state file; wait for it to finish or pass --state-wait SECONDS",
        ),
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
            state_err(path, "not a crosscheck state file (not an SQLite database)")
        }
        e => state_err(path, e.to_string()),
    }
}

/// Creates the file with user-only permissions when it does not exist yet, so the state
/// (which holds article texts) is not readable by other users.
fn create_private(path: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Opens a connection, creating and migrating the schema.
fn connect(path: &Path, wait: Duration) -> Result<Connection> {
    create_private(path)?;
    let conn = Connection::open(path).map_err(sql(path))?;
    conn.busy_timeout(wait).map_err(sql(path))?;
    conn.execute_batch("PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;")
        .map_err(sql(path))?;
    Ok(conn)
}

/// Brings a database to the current schema version, inside the caller's transaction.
fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);")
        .map_err(sql(path))?;
    let version: i64 = conn
        .query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| {
            r.get::<_, String>(0)
        })
        .optional()
        .map_err(sql(path))?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if version > SCHEMA_VERSION {
        return Err(state_err(
            path,
            format!("written by a newer crosscheck (schema {version}, this build reads up to {SCHEMA_VERSION})"),
        ));
    }
    if version < 1 {
        conn.execute_batch(SCHEMA_V1).map_err(sql(path))?;
    }
    if version < 2 {
        conn.execute_batch(SCHEMA_V2).map_err(sql(path))?;
    }
    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?1)",
        params![SCHEMA_VERSION.to_string()],
    )
    .map_err(sql(path))?;
    Ok(())
}

fn compress(title: &str, body: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Title and body separated by a NUL byte, which neither holds (ingest removes NULs).
    let _ = enc.write_all(title.as_bytes());
    let _ = enc.write_all(b"\0");
    let _ = enc.write_all(body.as_bytes());
    enc.finish().unwrap_or_default()
}

fn decompress(bytes: &[u8]) -> (String, String) {
    let mut s = String::new();
    let _ = flate2::read::GzDecoder::new(bytes).read_to_string(&mut s);
    match s.split_once('\0') {
        Some((t, b)) => (t.to_string(), b.to_string()),
        None => (String::new(), s),
    }
}

impl State {
    /// Opens (or creates) the state for a run: takes the run's exclusive transaction,
    /// waiting up to `wait` for another run to finish, and starts a run record dated
    /// `today` (YYYY-MM-DD).
    pub fn open(path: &Path, wait: Duration, today: &str, version: &str) -> Result<State> {
        let conn = connect(path, wait)?;
        conn.execute_batch("BEGIN EXCLUSIVE").map_err(sql(path))?;
        migrate(&conn, path)?;
        conn.execute(
            "INSERT INTO runs(started, version) VALUES(?1, ?2)",
            params![today, version],
        )
        .map_err(sql(path))?;
        let run_id = conn.last_insert_rowid();
        Ok(State {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            run_id,
            today: today.to_string(),
        })
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        // A poisoned lock only means another thread panicked while holding it; the
        // connection itself is still usable (the transaction decides what is kept).
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// This run's number.
    pub fn run_id(&self) -> i64 {
        self.run_id
    }

    /// True when an article with this id or this content hash was stored by an earlier run.
    pub fn seen(&self, id: &str, content_hash: &str) -> Result<bool> {
        let db = self.db();
        let n: i64 = db
            .query_row(
                "SELECT COUNT(*) FROM articles WHERE article_id = ?1 OR content_hash = ?2",
                params![id, content_hash],
                |r| r.get(0),
            )
            .map_err(sql(&self.path))?;
        Ok(n > 0)
    }

    /// Stored articles that share a blocking key with tonight's articles and were
    /// published within that key's window of days (undated ones always), excluding
    /// `exclude` (tonight's ids), read back with their text. Cost: one indexed lookup per
    /// key, so it grows with tonight's keys and the recent articles they touch, not with
    /// the archive.
    pub fn related(
        &self,
        keys: &[(String, Option<(i32, i32)>)],
        exclude: &std::collections::HashSet<String>,
    ) -> Result<Vec<StoredArticle>> {
        let db = self.db();
        let mut ids: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        let mut stmt = db
            .prepare_cached(
                "SELECT k.article_id FROM article_keys k JOIN articles a ON a.article_id = k.article_id
                 WHERE k.key = ?1 AND (a.day IS NULL OR a.day BETWEEN ?2 AND ?3)",
            )
            .map_err(sql(&self.path))?;
        for (k, days) in keys {
            let (lo, hi) = days.unwrap_or((i32::MIN, i32::MAX));
            let rows = stmt
                .query_map(params![k, lo, hi], |r| r.get::<_, String>(0))
                .map_err(sql(&self.path))?;
            for id in rows {
                let id = id.map_err(sql(&self.path))?;
                if !exclude.contains(&id) {
                    ids.insert(id);
                }
            }
        }
        let mut out = Vec::with_capacity(ids.len());
        let mut get = db
            .prepare_cached(
                "SELECT source, COALESCE(published, ''), title, url, text FROM articles WHERE article_id = ?1",
            )
            .map_err(sql(&self.path))?;
        for id in ids {
            let row = get
                .query_row(params![id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Vec<u8>>(4)?,
                    ))
                })
                .optional()
                .map_err(sql(&self.path))?;
            if let Some((source, published, title, url, text)) = row {
                let (_, body) = decompress(&text);
                out.push(StoredArticle {
                    id,
                    source,
                    published,
                    title,
                    body,
                    url,
                });
            }
        }
        Ok(out)
    }

    /// Stores an article of tonight with its blocking keys and claims (compact JSON).
    #[allow(clippy::too_many_arguments)]
    pub fn store_article(
        &self,
        article: &StoredArticle,
        content_hash: &str,
        day: Option<i32>,
        keys: &[String],
        claims: &[(String, String)],
    ) -> Result<()> {
        let db = self.db();
        let published = (!article.published.is_empty()).then_some(article.published.as_str());
        db
            .execute(
                "INSERT OR REPLACE INTO articles(article_id, content_hash, source, published, day, title, url, text, run_id)
                 VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    article.id,
                    content_hash,
                    article.source,
                    published,
                    day,
                    article.title,
                    article.url,
                    compress(&article.title, &article.body),
                    self.run_id
                ],
            )
            .map_err(sql(&self.path))?;
        let mut ins = db
            .prepare_cached("INSERT INTO article_keys(key, article_id) VALUES(?1, ?2)")
            .map_err(sql(&self.path))?;
        for k in keys {
            ins.execute(params![k, article.id]).map_err(sql(&self.path))?;
        }
        let mut ins = db
            .prepare_cached("INSERT OR REPLACE INTO claims(claim_id, article_id, data) VALUES(?1, ?2, ?3)")
            .map_err(sql(&self.path))?;
        for (id, data) in claims {
            ins.execute(params![id, article.id, data]).map_err(sql(&self.path))?;
        }
        Ok(())
    }

    /// Records the entities of this run (canonical name, kind, aliases).
    pub fn store_entity(&self, id: &str, canonical: &str, kind: &str, aliases: &str) -> Result<()> {
        let db = self.db();
        db.execute(
                "INSERT INTO entities(entity_id, canonical, kind, aliases, last_run) VALUES(?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(entity_id) DO UPDATE SET canonical = ?2, kind = ?3,
                   aliases = CASE WHEN instr(';' || aliases || ';', ';' || ?4 || ';') > 0 THEN aliases ELSE aliases || ';' || ?4 END,
                   last_run = ?5",
                params![id, canonical, kind, aliases, self.run_id],
            )
            .map_err(sql(&self.path))?;
        Ok(())
    }

    /// Records the conflicts found tonight. Returns, for each, its status (`new` when no
    /// earlier run reported it, else `seen`) and the date it was first seen.
    pub fn record_conflicts(&self, found: &[ConflictSeen]) -> Result<Vec<(String, String)>> {
        let db = self.db();
        let mut out = Vec::with_capacity(found.len());
        for c in found {
            let first: Option<String> = db
                .query_row(
                    "SELECT first_seen FROM conflicts WHERE conflict_key = ?1",
                    params![c.key],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sql(&self.path))?;
            match first {
                Some(first) => {
                    db.execute(
                        "UPDATE conflicts SET last_seen = ?2, last_run = ?3 WHERE conflict_key = ?1",
                        params![c.key, self.today, self.run_id],
                    )
                    .map_err(sql(&self.path))?;
                    out.push(("seen".to_string(), first));
                }
                None => {
                    db.execute(
                        "INSERT INTO conflicts(conflict_key, conflict_id, kind, a_claim_id, b_claim_id, a_article_id,
                               b_article_id, first_seen, last_seen, first_run, last_run)
                             VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?9)",
                        params![
                            c.key,
                            c.conflict_id,
                            c.kind,
                            c.a_claim,
                            c.b_claim,
                            c.a_article,
                            c.b_article,
                            self.today,
                            self.run_id
                        ],
                    )
                    .map_err(sql(&self.path))?;
                    out.push(("new".to_string(), self.today.clone()));
                }
            }
        }
        Ok(out)
    }

    /// Closes the run: records its counts and commits. Until this returns, the state file
    /// holds what the last completed run left.
    pub fn commit(self, articles: usize, conflicts: usize, new_conflicts: usize) -> Result<()> {
        let db = self.db();
        db.execute(
            "UPDATE runs SET articles = ?2, conflicts = ?3, new_conflicts = ?4 WHERE run_id = ?1",
            params![self.run_id, articles as i64, conflicts as i64, new_conflicts as i64],
        )
        .map_err(sql(&self.path))?;
        db.execute_batch("COMMIT").map_err(sql(&self.path))
    }
}

/// Opens a state file for reading or maintenance (`crosscheck state ...`), migrating it.
fn open_for_maintenance(path: &Path, wait: Duration) -> Result<Connection> {
    if !path.exists() {
        return Err(state_err(path, "no such state file"));
    }
    let conn = connect(path, wait)?;
    conn.execute_batch("BEGIN IMMEDIATE").map_err(sql(path))?;
    migrate(&conn, path)?;
    Ok(conn)
}

/// Counts of a state file.
pub fn stats(path: &Path, wait: Duration) -> Result<Stats> {
    let conn = open_for_maintenance(path, wait)?;
    let count = |table: &str| -> Result<i64> {
        conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .map_err(sql(path))
    };
    let s = Stats {
        schema_version: SCHEMA_VERSION,
        runs: count("runs")?,
        articles: count("articles")?,
        claims: count("claims")?,
        conflicts: count("conflicts")?,
        entities: count("entities")?,
        last_run: conn
            .query_row("SELECT started FROM runs ORDER BY run_id DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql(path))?,
        published_range: conn
            .query_row("SELECT MIN(published), MAX(published) FROM articles", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(sql(path))?,
    };
    conn.execute_batch("COMMIT").map_err(sql(path))?;
    Ok(s)
}

/// Writes every recorded conflict (and, with `articles`, every stored article without its
/// text) as JSON Lines, in a stable order.
pub fn export(path: &Path, wait: Duration, articles: bool, w: &mut dyn Write) -> Result<()> {
    let conn = open_for_maintenance(path, wait)?;
    let io = |e: std::io::Error| Error::io(path, e);
    let mut stmt = conn
        .prepare(
            "SELECT conflict_key, conflict_id, kind, a_claim_id, b_claim_id, a_article_id, b_article_id, first_seen,
                    last_seen, first_run, last_run FROM conflicts ORDER BY first_run, conflict_key",
        )
        .map_err(sql(path))?;
    let rows = stmt
        .query_map([], |r| {
            Ok(serde_json::json!({"type": "conflict", "data": {
                "conflict_key": r.get::<_, String>(0)?, "conflict_id": r.get::<_, String>(1)?,
                "kind": r.get::<_, String>(2)?, "a_claim_id": r.get::<_, String>(3)?, "b_claim_id": r.get::<_, String>(4)?,
                "a_article_id": r.get::<_, String>(5)?, "b_article_id": r.get::<_, String>(6)?,
                "first_seen": r.get::<_, String>(7)?, "last_seen": r.get::<_, String>(8)?,
                "first_run": r.get::<_, i64>(9)?, "last_run": r.get::<_, i64>(10)?}}))
        })
        .map_err(sql(path))?;
    for row in rows {
        let v = row.map_err(sql(path))?;
        serde_json::to_writer(&mut *w, &v).map_err(|e| io(e.into()))?;
        w.write_all(b"\n").map_err(io)?;
    }
    if articles {
        let mut stmt = conn
            .prepare("SELECT article_id, source, COALESCE(published, ''), title, url, run_id FROM articles ORDER BY article_id")
            .map_err(sql(path))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(serde_json::json!({"type": "article", "data": {
                    "article_id": r.get::<_, String>(0)?, "source": r.get::<_, String>(1)?,
                    "published": r.get::<_, String>(2)?, "title": r.get::<_, String>(3)?,
                    "url": r.get::<_, String>(4)?, "run": r.get::<_, i64>(5)?}}))
            })
            .map_err(sql(path))?;
        for row in rows {
            let v = row.map_err(sql(path))?;
            serde_json::to_writer(&mut *w, &v).map_err(|e| io(e.into()))?;
            w.write_all(b"\n").map_err(io)?;
        }
    }
    conn.execute_batch("COMMIT").map_err(sql(path))?;
    Ok(())
}

/// Removes articles published before `before` (YYYY-MM-DD), with their keys and claims,
/// and the conflicts whose two articles are both gone. Returns (articles, conflicts)
/// removed.
pub fn prune(path: &Path, wait: Duration, before: &str) -> Result<(usize, usize)> {
    let conn = open_for_maintenance(path, wait)?;
    let gone = "SELECT article_id FROM articles WHERE published IS NOT NULL AND published < ?1";
    conn.execute(
        &format!("DELETE FROM article_keys WHERE article_id IN ({gone})"),
        params![before],
    )
    .map_err(sql(path))?;
    conn.execute(
        &format!("DELETE FROM claims WHERE article_id IN ({gone})"),
        params![before],
    )
    .map_err(sql(path))?;
    let articles = conn
        .execute(
            "DELETE FROM articles WHERE published IS NOT NULL AND published < ?1",
            params![before],
        )
        .map_err(sql(path))?;
    let conflicts = conn
        .execute(
            "DELETE FROM conflicts WHERE a_article_id NOT IN (SELECT article_id FROM articles)
               AND b_article_id NOT IN (SELECT article_id FROM articles)",
            [],
        )
        .map_err(sql(path))?;
    conn.execute_batch("COMMIT").map_err(sql(path))?;
    conn.execute_batch("VACUUM").map_err(sql(path))?;
    Ok((articles, conflicts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_through_compression() {
        let (t, b) = decompress(&compress("Title", "Body with ünïcode\nand lines"));
        assert_eq!((t.as_str(), b.as_str()), ("Title", "Body with ünïcode\nand lines"));
    }

    #[test]
    fn runs_record_conflicts_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let c = ConflictSeen {
            key: "a:0|b:0|denial".into(),
            conflict_id: "x1".into(),
            kind: "denial".into(),
            a_claim: "a:0".into(),
            b_claim: "b:0".into(),
            a_article: "a".into(),
            b_article: "b".into(),
        };
        let s = State::open(&path, Duration::from_secs(1), "2025-05-01", "test").unwrap();
        assert_eq!(s.record_conflicts(std::slice::from_ref(&c)).unwrap()[0].0, "new");
        s.commit(0, 1, 1).unwrap();
        let s = State::open(&path, Duration::from_secs(1), "2025-05-02", "test").unwrap();
        assert_eq!(
            s.record_conflicts(&[c]).unwrap()[0],
            ("seen".to_string(), "2025-05-01".to_string())
        );
        s.commit(0, 1, 0).unwrap();
        assert_eq!(stats(&path, Duration::from_secs(1)).unwrap().runs, 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "state file readable by others: {mode:o}");
        }
    }

    #[test]
    fn an_unfinished_run_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        State::open(&path, Duration::from_secs(1), "2025-05-01", "t")
            .unwrap()
            .commit(0, 0, 0)
            .unwrap();
        {
            let s = State::open(&path, Duration::from_secs(1), "2025-05-02", "t").unwrap();
            let a = StoredArticle {
                id: "a".into(),
                source: "s".into(),
                published: "2025-05-02".into(),
                title: "t".into(),
                body: "b".into(),
                url: String::new(),
            };
            s.store_article(&a, "h", None, &["k".into()], &[]).unwrap();
            // Dropped without commit: rolled back.
        }
        assert_eq!(stats(&path, Duration::from_secs(1)).unwrap().articles, 0);
    }

    #[test]
    fn a_second_run_waits_then_gives_up_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let _first = State::open(&path, Duration::from_secs(1), "2025-05-01", "t").unwrap();
        let second = State::open(&path, Duration::from_millis(100), "2025-05-01", "t");
        let msg = second.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("another crosscheck run"), "{msg}");
    }
}
