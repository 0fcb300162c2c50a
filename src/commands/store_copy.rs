//! `feedfold store copy SRC DST`: which stores the two arguments name
//! (`sqlite:PATH` or a `postgres://` URL), and what the command prints once
//! the copy is done and verified.

use std::ffi::OsStr;
use std::path::Path;

use crate::config::{StoreLocation, StoreUrl, located};
use crate::plural::{count, noun};
use crate::store::StoreError;
use crate::store::copy::{Copied, named};

/// The store an argument names: `sqlite:PATH` (relative to the current
/// folder, a leading `~/` standing for `home` as in the config) or
/// `postgres://…`. The error never repeats a URL, which may hold a
/// password.
pub fn location(arg: &str, home: Option<&OsStr>) -> Result<StoreLocation, String> {
    if let Some(path) = arg.strip_prefix("sqlite:") {
        if path.is_empty() {
            return Err("sqlite: names no file; write sqlite:PATH".into());
        }
        return located(path, Path::new(""), home).map(StoreLocation::Sqlite);
    }
    if arg.starts_with("postgres://") || arg.starts_with("postgresql://") {
        return StoreUrl::parse(arg).map(StoreLocation::Postgres);
    }
    Err("a store is sqlite:PATH or a postgres:// URL".into())
}

/// Whether `from` and `to` name one store: the same SQLite file however
/// its path is written (a link to it included), or the same PostgreSQL
/// host, port, database and session options (which may choose the
/// schema) whoever connects (other spellings of one
/// database's URL are told once both are open, by
/// [`crate::store::Store::identity`]). A
/// store copied into itself would be "verified" having copied nothing.
pub fn same_store(from: &StoreLocation, to: &StoreLocation) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (from, to) {
        (StoreLocation::Sqlite(a), StoreLocation::Sqlite(b)) => {
            match (std::fs::metadata(a), std::fs::metadata(b)) {
                (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
                _ => false,
            }
        }
        (StoreLocation::Postgres(a), StoreLocation::Postgres(b)) => {
            a.label() == b.label() && a.session_options() == b.session_options()
        }
        _ => false,
    }
}

/// How a store is named in what `store copy` prints.
pub fn shown(location: &StoreLocation) -> String {
    match location {
        StoreLocation::Sqlite(path) => format!("sqlite:{}", path.display()),
        StoreLocation::Postgres(url) => url.to_string(),
    }
}

/// What `store copy` says when SRC names no store
/// ([`StoreError::is_missing`]): the store's own message points at the
/// config, which `store copy` does not read.
pub fn no_source(from: &StoreLocation, error: &StoreError) -> String {
    let empty = match error {
        StoreError::Empty { .. } => "the file is empty: ",
        StoreError::Blank { .. } => "the SQLite database holds no feedfold store yet: ",
        _ => "",
    };
    format!(
        "store copy: SRC {}: {empty}there is no store here to copy; check the SQLite path or PostgreSQL URL given as SRC",
        shown(from)
    )
}

/// The lines `store copy` prints: what it copied, one count a line, and
/// that the destination holds as many of each.
pub fn summary(from: &StoreLocation, to: &StoreLocation, copied: &Copied) -> String {
    let mut text = format!(
        "copied {} into {} ({})\n",
        shown(from),
        shown(to),
        count(copied.records, "record", "records")
    );
    for (what, n) in named(&copied.counts) {
        let said = noun(&n, what.one, what.many);
        text.push_str(&format!("  {n:>10} {said}\n"));
    }
    text.push_str("verified: both stores hold as many of each\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Counts;

    #[test]
    fn one_store_however_it_is_named_is_the_same_store() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.db");
        std::fs::write(&file, b"").unwrap();
        std::os::unix::fs::symlink(&file, dir.path().join("link.db")).unwrap();
        let sqlite = |p: &std::path::Path| StoreLocation::Sqlite(p.to_path_buf());
        let same = sqlite(&dir.path().join(".").join("a.db"));
        assert!(same_store(&sqlite(&file), &same));
        assert!(same_store(
            &sqlite(&file),
            &sqlite(&dir.path().join("link.db"))
        ));
        assert!(!same_store(
            &sqlite(&file),
            &sqlite(&dir.path().join("b.db"))
        ));
        let pg = |url: &str| location(url, None).unwrap();
        assert!(same_store(
            &pg("postgres://a:x@db.example/news"),
            &pg("postgres://b:y@db.example:5432/news?sslmode=require")
        ));
        assert!(!same_store(
            &pg("postgres://a@db.example/news"),
            &pg("postgres://a@db.example/news2")
        ));
        // Two schemas of one database are two stores.
        assert!(!same_store(
            &pg("postgres://a@db.example/news?options=-c%20search_path%3Dprod"),
            &pg("postgres://a@db.example/news?options=-c%20search_path%3Dstaging")
        ));
    }

    #[test]
    fn no_store_to_copy_points_at_src_not_the_config() {
        let from = StoreLocation::Sqlite("backup/feedfold.db".into());
        let path = std::path::PathBuf::from("backup/feedfold.db");
        let missing = no_source(&from, &StoreError::Missing { path: path.clone() });
        assert_eq!(
            missing,
            "store copy: SRC sqlite:backup/feedfold.db: there is no store here to copy; \
             check the SQLite path or PostgreSQL URL given as SRC"
        );
        let empty = no_source(&from, &StoreError::Empty { path });
        assert!(
            empty.contains(": the file is empty: there is no store here"),
            "{empty}"
        );
        assert!(
            !empty.contains("[store]") && !empty.contains("--config"),
            "{empty}"
        );
    }

    #[test]
    fn a_count_of_one_is_said_in_the_singular() {
        let from = StoreLocation::Sqlite("a.db".into());
        let to = StoreLocation::Sqlite("b.db".into());
        let ones = Counts {
            articles: 1,
            sightings: 1,
            folds: 1,
            content_keys: 1,
            link_keys: 1,
            upstream_keys: 1,
            near_keys: 1,
            fetch_states: 1,
            document_validators: 1,
            seen_pages: 1,
            site_pages: 1,
            site_paragraphs: 1,
            cycles: 1,
            merged_articles: 1,
        };
        let text = summary(
            &from,
            &to,
            &Copied {
                records: 1,
                counts: ones,
            },
        );
        assert!(
            text.starts_with("copied sqlite:a.db into sqlite:b.db (1 record)\n"),
            "{text}"
        );
        for line in [
            "         1 article\n",
            "         1 near-duplicate index key\n",
            "         1 page fetched\n",
            "         1 source cycle\n",
            "         1 merged article's text\n",
        ] {
            assert!(text.contains(line), "{text}");
        }
        let twos = Counts {
            articles: 2,
            ..ones
        };
        let text = summary(
            &from,
            &to,
            &Copied {
                records: 2,
                counts: twos,
            },
        );
        assert!(
            text.contains("(2 records)\n") && text.contains("         2 articles\n"),
            "{text}"
        );
    }

    #[test]
    fn arguments_name_a_sqlite_file_or_a_postgres_url() {
        assert_eq!(
            location("sqlite:data/feedfold.db", None).unwrap(),
            StoreLocation::Sqlite("data/feedfold.db".into())
        );
        let home = Some(OsStr::new("/home/ed"));
        assert_eq!(
            location("sqlite:~/backup.db", home).unwrap(),
            StoreLocation::Sqlite("/home/ed/backup.db".into())
        );
        assert_eq!(
            location("sqlite:~ed/backup.db", home).unwrap(),
            StoreLocation::Sqlite("~ed/backup.db".into())
        );
        assert!(
            location("sqlite:~/backup.db", None)
                .unwrap_err()
                .contains("HOME")
        );
        let StoreLocation::Postgres(url) =
            location("postgres://feeds:s3cret@db.example/news", None).unwrap()
        else {
            panic!("not PostgreSQL");
        };
        assert_eq!(url.host_port(), "db.example:5432");
        assert!(!shown(&StoreLocation::Postgres(url)).contains("s3cret"));
        for bad in [
            "feedfold.db",
            "sqlite:",
            "mysql://x/y",
            "postgres://:s3cret@/",
        ] {
            let err = location(bad, None).unwrap_err();
            assert!(!err.contains("s3cret"), "{err}");
        }
    }
}
