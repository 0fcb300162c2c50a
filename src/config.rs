//! The `config.toml` model. Unknown keys and bad values are errors that name
//! the file, the line and the key; relative paths resolve against the
//! folder the config file is in.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;
use url::Url;

use crate::model::FeedSpec;

/// Entries per feed when `limit` is not given.
pub const DEFAULT_FEED_LIMIT: usize = 50;
/// The most entries a feed may be asked to hold.
pub const MAX_FEED_LIMIT: usize = 10_000;

/// A config that cannot be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the config file: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("{path}, line {line}: `{key}`: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        key: String,
        message: String,
    },
}

/// A validated config, paths resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file this was read from.
    pub file: PathBuf,
    pub store_path: PathBuf,
    pub publish: PublishConfig,
    pub sources: Vec<SourceConfig>,
    pub feeds: Vec<FeedSpec>,
}

/// `[publish]`: where feeds go and how they present themselves.
#[derive(Debug, Clone)]
pub struct PublishConfig {
    pub dir: PathBuf,
    /// Without a trailing slash.
    pub base_url: String,
    pub author: String,
}

/// One `[[source]]`.
#[derive(Debug, Clone)]
pub struct SourceConfig {
    pub name: String,
    pub kind: SourceKind,
}

/// Where a source's articles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// Raw scraped dumps: a path or a glob, resolved.
    Text(PathBuf),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    store: RawStore,
    #[serde(default)]
    publish: RawPublish,
    #[serde(default, rename = "source")]
    sources: Vec<RawSource>,
    #[serde(default, rename = "feed")]
    feeds: Vec<RawFeed>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStore {
    path: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPublish {
    dir: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    author: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: Spanned<String>,
    text: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    name: Spanned<String>,
    title: Spanned<String>,
    description: Option<String>,
    sources: Option<Spanned<Vec<String>>>,
    limit: Option<Spanned<i64>>,
}

impl Config {
    /// Reads and validates the config at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Validates config `text` as if read from `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        Validator {
            text,
            path,
            base: path.parent().unwrap_or(Path::new("")),
        }
        .validate(raw)
    }
}

struct Validator<'a> {
    text: &'a str,
    path: &'a Path,
    base: &'a Path,
}

impl Validator<'_> {
    fn invalid<T>(
        &self,
        key: &str,
        spanned: &Spanned<T>,
        message: impl Into<String>,
    ) -> ConfigError {
        let line = self.text[..spanned.span().start.min(self.text.len())]
            .matches('\n')
            .count()
            + 1;
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line,
            key: key.to_string(),
            message: message.into(),
        }
    }

    fn resolve(&self, path: &str) -> PathBuf {
        self.base.join(path)
    }

    fn non_empty<'s>(&self, key: &str, value: &'s Spanned<String>) -> Result<&'s str, ConfigError> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            return Err(self.invalid(key, value, "must not be empty"));
        }
        Ok(text)
    }

    fn validate(&self, raw: RawConfig) -> Result<Config, ConfigError> {
        let store_path = match &raw.store.path {
            Some(p) => self.resolve(self.non_empty("store.path", p)?),
            None => self.resolve("feedfold.db"),
        };
        let publish = self.publish(&raw.publish)?;
        let sources = self.sources(&raw.sources)?;
        let known: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
        let feeds = self.feeds(&raw.feeds, &known)?;
        Ok(Config {
            file: self.path.to_path_buf(),
            store_path,
            publish,
            sources,
            feeds,
        })
    }

    fn publish(&self, raw: &RawPublish) -> Result<PublishConfig, ConfigError> {
        let dir = match &raw.dir {
            Some(d) => self.resolve(self.non_empty("publish.dir", d)?),
            None => self.resolve("feeds"),
        };
        let base_url = match &raw.base_url {
            Some(u) => {
                let text = self.non_empty("publish.base_url", u)?;
                let parsed = Url::parse(text).map_err(|e| {
                    self.invalid("publish.base_url", u, format!("not a URL ({e}): {text:?}"))
                })?;
                if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
                    return Err(self.invalid(
                        "publish.base_url",
                        u,
                        "must be an absolute http:// or https:// URL",
                    ));
                }
                text.trim_end_matches('/').to_string()
            }
            None => "http://127.0.0.1:8080".to_string(),
        };
        let author = match &raw.author {
            Some(a) => self.non_empty("publish.author", a)?.to_string(),
            None => "feedfold".to_string(),
        };
        Ok(PublishConfig {
            dir,
            base_url,
            author,
        })
    }

    fn sources(&self, raw: &[RawSource]) -> Result<Vec<SourceConfig>, ConfigError> {
        let mut seen = HashSet::new();
        let mut sources = Vec::new();
        for (i, source) in raw.iter().enumerate() {
            let key = |field: &str| format!("source[{i}].{field}");
            let name = self.non_empty(&key("name"), &source.name)?;
            if !is_simple_name(name) {
                return Err(self.invalid(
                    &key("name"),
                    &source.name,
                    format!("{name:?}: use letters, digits, `-`, `_` and `.` only"),
                ));
            }
            if !seen.insert(name.to_string()) {
                return Err(self.invalid(
                    &key("name"),
                    &source.name,
                    format!("{name:?} is used twice"),
                ));
            }
            let kind = match &source.text {
                Some(text) => SourceKind::Text(self.resolve(self.non_empty(&key("text"), text)?)),
                None => {
                    return Err(self.invalid(
                        &key("name"),
                        &source.name,
                        "the source needs `text = \"path or glob\"`",
                    ));
                }
            };
            sources.push(SourceConfig {
                name: name.to_string(),
                kind,
            });
        }
        Ok(sources)
    }

    fn feeds(&self, raw: &[RawFeed], known: &[&str]) -> Result<Vec<FeedSpec>, ConfigError> {
        let mut seen = HashSet::new();
        let mut feeds = Vec::new();
        for (i, feed) in raw.iter().enumerate() {
            let key = |field: &str| format!("feed[{i}].{field}");
            let name = self.non_empty(&key("name"), &feed.name)?;
            let file_safe = name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if !file_safe {
                return Err(self.invalid(
                    &key("name"),
                    &feed.name,
                    format!("{name:?}: it names files, so use a-z, 0-9, `-` and `_` only"),
                ));
            }
            if !seen.insert(name.to_string()) {
                return Err(self.invalid(
                    &key("name"),
                    &feed.name,
                    format!("{name:?} is used twice"),
                ));
            }
            let title = self.non_empty(&key("title"), &feed.title)?;
            let sources = match &feed.sources {
                Some(list) => {
                    if list.get_ref().is_empty() {
                        return Err(self.invalid(
                            &key("sources"),
                            list,
                            "list at least one source, or leave the key out for all",
                        ));
                    }
                    if let Some(unknown) =
                        list.get_ref().iter().find(|s| !known.contains(&s.as_str()))
                    {
                        return Err(self.invalid(
                            &key("sources"),
                            list,
                            format!(
                                "no [[source]] is named {unknown:?} (known: {})",
                                known.join(", ")
                            ),
                        ));
                    }
                    Some(list.get_ref().clone())
                }
                None => None,
            };
            let limit = match &feed.limit {
                Some(limit) => {
                    let value = *limit.get_ref();
                    if value < 1 || value as usize > MAX_FEED_LIMIT {
                        return Err(self.invalid(
                            &key("limit"),
                            limit,
                            format!("{value} is out of range 1..={MAX_FEED_LIMIT}"),
                        ));
                    }
                    value as usize
                }
                None => DEFAULT_FEED_LIMIT,
            };
            feeds.push(FeedSpec {
                name: name.to_string(),
                title: title.to_string(),
                description: feed.description.clone(),
                sources,
                limit,
            });
        }
        Ok(feeds)
    }
}

fn is_simple_name(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("/etc/feedfold/config.toml")).map_err(|e| e.to_string())
    }

    const GOOD: &str = r#"
[store]
path = "data/feedfold.db"

[publish]
dir = "feeds"
base_url = "https://news.example/"

[[source]]
name = "samples"
text = "samples/*.txt"

[[feed]]
name = "news"
title = "News"
sources = ["samples"]
limit = 20
"#;

    #[test]
    fn good_config_resolves_paths_against_its_folder() {
        let config = parse(GOOD).unwrap();
        assert_eq!(
            config.store_path,
            Path::new("/etc/feedfold/data/feedfold.db")
        );
        assert_eq!(config.publish.dir, Path::new("/etc/feedfold/feeds"));
        assert_eq!(config.publish.base_url, "https://news.example");
        assert_eq!(
            config.sources[0].kind,
            SourceKind::Text(PathBuf::from("/etc/feedfold/samples/*.txt"))
        );
        assert_eq!(config.feeds[0].limit, 20);
        assert_eq!(
            config.feeds[0].sources.as_deref(),
            Some(&["samples".to_string()][..])
        );
    }

    #[test]
    fn defaults_fill_missing_sections() {
        let config = parse(
            "[[source]]\nname = \"a\"\ntext = \"a.txt\"\n[[feed]]\nname = \"n\"\ntitle = \"N\"\n",
        )
        .unwrap();
        assert_eq!(config.store_path, Path::new("/etc/feedfold/feedfold.db"));
        assert_eq!(config.feeds[0].limit, DEFAULT_FEED_LIMIT);
        assert_eq!(config.feeds[0].sources, None);
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = parse(&GOOD.replace("limit = 20", "limt = 20")).unwrap_err();
        assert!(err.contains("line 17"), "{err}");
        assert!(err.contains("limt"), "{err}");
    }

    #[test]
    fn bad_values_name_key_and_line() {
        let cases = [
            (GOOD.replace("limit = 20", "limit = 0"), "feed[0].limit", 17),
            (GOOD.replace("limit = 20", "limit = \"many\""), "limit", 17),
            (
                GOOD.replace("[\"samples\"]", "[\"nope\"]"),
                "feed[0].sources",
                16,
            ),
            (
                GOOD.replace("https://news.example/", "news.example"),
                "publish.base_url",
                7,
            ),
            (
                GOOD.replace("name = \"news\"", "name = \"../news\""),
                "feed[0].name",
                14,
            ),
            (
                GOOD.replace("text = \"samples/*.txt\"", ""),
                "source[0]",
                10,
            ),
        ];
        for (text, key, line) in cases {
            let err = parse(&text).unwrap_err();
            assert!(err.contains(key), "{key}: {err}");
            assert!(err.contains(&format!("line {line}")), "{key}: {err}");
        }
    }

    #[test]
    fn duplicate_names_are_refused() {
        let text = format!("{GOOD}\n[[source]]\nname = \"samples\"\ntext = \"x\"\n");
        let err = parse(&text).unwrap_err();
        assert!(err.contains("used twice"), "{err}");
    }
}
