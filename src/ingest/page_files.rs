//! The pages source: the HTML article pages a path or a glob names, one
//! article a file, each file a unit read (and its article found) when the
//! fold reaches it.

use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;
use url::Url;

use super::dump_files::{OpenError, file_units};
use super::page::{self, MAX_PAGE_BYTES, Page, PageError, PageSource};
use super::source::{GatherContext, Gathering, ReadError, SitePage, Source, Unit};
use crate::model::Article;

/// A page file that gave no article; the message names the file.
#[derive(Debug, Error)]
pub enum PageFileError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Page(#[from] PageError),
}

/// Reads the article in the HTML page at `path`, named `location` in its
/// article and errors (at most [`MAX_PAGE_BYTES`] are read: a larger page
/// is refused).
fn read_page_at(path: &Path, location: String) -> Result<Page, PageFileError> {
    let open_error = |cause| OpenError {
        path: location.clone(),
        cause,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_PAGE_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(open_error)?;
    let source = PageSource {
        location: &location,
        ..Default::default()
    };
    Ok(page::extract(&bytes, &source)?)
}

/// A `pages = "…"` source.
pub struct PageFiles {
    name: String,
    pattern: PathBuf,
    folder: PathBuf,
}

impl PageFiles {
    /// The pages `pattern` names; `folder` is the config file's folder.
    pub fn new(name: &str, pattern: &Path, folder: &Path) -> PageFiles {
        PageFiles {
            name: name.to_string(),
            pattern: pattern.to_path_buf(),
            folder: folder.to_path_buf(),
        }
    }
}

impl Source for PageFiles {
    fn name(&self) -> &str {
        &self.name
    }

    fn gather(self: Box<Self>, _: GatherContext) -> Gathering {
        file_units(self.name, self.pattern, self.folder, |path, location| {
            PageFile::read(path, location).map(|unit| Box::new(unit) as Box<dyn Unit>)
        })
    }
}

/// One page file, read.
struct PageFile {
    path: PathBuf,
    size: u64,
    article: Option<Article>,
    site_page: SitePage,
}

impl PageFile {
    fn read(path: PathBuf, location: String) -> Result<PageFile, ReadError> {
        let page = read_page_at(&path, location.clone())?;
        for warning in &page.warnings {
            tracing::warn!("{location}: {warning}");
        }
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let site_page = SitePage {
            site: site_of(&page.article, Path::new(&location)),
            page: location,
        };
        Ok(PageFile {
            path,
            size,
            article: Some(page.article),
            site_page,
        })
    }
}

/// The site a page file belongs to: the host of the link the page gives
/// itself, else the folder it was saved in.
fn site_of(article: &Article, path: &Path) -> String {
    article
        .link
        .as_deref()
        .and_then(|link| Url::parse(link).ok())
        .and_then(|url| url.host_str().map(str::to_string))
        .unwrap_or_else(|| {
            path.parent()
                .map(|dir| dir.display().to_string())
                .unwrap_or_default()
        })
}

impl Iterator for PageFile {
    type Item = Result<Article, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.article.take().map(Ok)
    }
}

impl Unit for PageFile {
    fn file(&self) -> Option<(&Path, u64)> {
        Some((&self.path, self.size))
    }

    fn bytes_read(&self) -> u64 {
        if self.article.is_some() { 0 } else { self.size }
    }

    fn site_page(&self) -> Option<&SitePage> {
        Some(&self.site_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_belongs_to_the_host_of_its_link_else_to_its_folder() {
        let mut article = Article {
            link: Some("https://www.harbour.example/news/strike".into()),
            ..Article::default()
        };
        let path = Path::new("scraped/harbour/strike.html");
        assert_eq!(site_of(&article, path), "www.harbour.example");
        article.link = None;
        assert_eq!(site_of(&article, path), "scraped/harbour");
    }

    #[test]
    fn errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone.html");
        let err = read_page_at(&missing, missing.display().to_string())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(&missing.display().to_string()), "{err}");
        let empty = dir.path().join("empty.html");
        std::fs::write(
            &empty,
            "<!DOCTYPE html><html><body><nav>Home</nav></body></html>",
        )
        .unwrap();
        let err = read_page_at(&empty, empty.display().to_string())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            format!("{}: no article text found in the page", empty.display())
        );
    }
}
