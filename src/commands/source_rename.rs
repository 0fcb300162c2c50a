//! `feedfold sources rename OLD NEW`: the names checked against the config
//! (told before the store is opened: the config must already name the
//! source NEW, and no longer OLD), and the line that tells what the store
//! carried over ([`crate::store::Store::rename_source`]).

use thiserror::Error;

use crate::config::Config;
use crate::store::SourceHoldings;

/// The names of a rename do not fit the config.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum NamesRefused {
    #[error("{old:?} and {new:?} are one name: nothing to rename")]
    Same { old: String, new: String },
    #[error(
        "no source named {new:?} in {config}: rename the [[source]] there first, then run this (the sources are: {known})"
    )]
    NewUnknown {
        new: String,
        config: String,
        known: String,
    },
    #[error(
        "{new:?} is a name pushes are stored under (`[server] push_source`, `push_sources`), not a [[source]] of {config}: a source is renamed to the name of a [[source]]"
    )]
    NewPushOnly { new: String, config: String },
    #[error(
        "source {old:?} is still in {config}: rename it there to {new:?} first (a run would read it afresh under its old name)"
    )]
    OldConfigured {
        old: String,
        new: String,
        config: String,
    },
    #[error(
        "{old:?} is still a name pushes are stored under in {config} (`[server] push_source`, `push_sources`)"
    )]
    OldPushName { old: String, config: String },
}

/// Checks that renaming the source `old` to `new` fits `config`: `new` is
/// the name of one of its `[[source]]`s, and `old` is no name it uses.
pub fn check(config: &Config, old: &str, new: &str) -> Result<(), NamesRefused> {
    let file = config.file.display().to_string();
    let is_source = |name: &str| config.sources.iter().any(|s| s.name == name);
    if old == new {
        return Err(NamesRefused::Same {
            old: old.to_string(),
            new: new.to_string(),
        });
    }
    if is_source(old) {
        return Err(NamesRefused::OldConfigured {
            old: old.to_string(),
            new: new.to_string(),
            config: file,
        });
    }
    if config.server.push.allows(old) {
        return Err(NamesRefused::OldPushName {
            old: old.to_string(),
            config: file,
        });
    }
    if !is_source(new) {
        if config.server.push.allows(new) {
            return Err(NamesRefused::NewPushOnly {
                new: new.to_string(),
                config: file,
            });
        }
        return Err(NamesRefused::NewUnknown {
            new: new.to_string(),
            config: file,
            known: config
                .sources
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(())
}

/// What `sources rename` prints once the store renamed `old` to `new`,
/// carrying `moved` over.
pub fn carried_line(old: &str, new: &str, moved: &SourceHoldings) -> String {
    format!(
        "source {old} is now {new}: carried over {moved}; its entries keep their ids, and the next run reads it as {new}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            r#"
[server]
push_sources = ["desk"]

[[source]]
name = "reuters"
feed = "https://up.example/news.rss"

[[source]]
name = "site"
sitemap = "https://site.example/sitemap.xml"

[[feed]]
name = "all"
title = "All"
"#,
            std::path::Path::new("/srv/feedfold/config.toml"),
        )
        .unwrap()
    }

    #[test]
    fn the_new_name_must_be_a_source_and_the_old_one_no_longer_used() {
        let config = config();
        assert_eq!(check(&config, "wire", "reuters"), Ok(()));
        let refused = |old: &str, new: &str| check(&config, old, new).unwrap_err().to_string();
        assert_eq!(
            refused("reuters", "reuters"),
            "\"reuters\" and \"reuters\" are one name: nothing to rename"
        );
        assert_eq!(
            refused("wire", "reuter"),
            "no source named \"reuter\" in /srv/feedfold/config.toml: rename the [[source]] \
             there first, then run this (the sources are: reuters, site)"
        );
        assert!(
            refused("wire", "desk").contains("\"desk\" is a name pushes are stored under"),
            "{}",
            refused("wire", "desk")
        );
        assert!(refused("wire", "api").contains("not a [[source]]"));
        assert_eq!(
            refused("site", "reuters"),
            "source \"site\" is still in /srv/feedfold/config.toml: rename it there to \
             \"reuters\" first (a run would read it afresh under its old name)"
        );
        assert!(refused("api", "reuters").contains("\"api\" is still a name pushes"));
    }

    #[test]
    fn the_line_tells_what_was_carried_over() {
        let moved = SourceHoldings {
            entries: 2,
            places: 1,
            fetch_state: true,
            cycles: 3,
            ..SourceHoldings::default()
        };
        assert_eq!(
            carried_line("wire", "reuters", &moved),
            "source wire is now reuters: carried over 2 entries, 1 place, the fetch state, \
             3 cycles; its entries keep their ids, and the next run reads it as reuters"
        );
    }
}
