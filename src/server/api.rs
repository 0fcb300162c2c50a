//! The aggregator API. `POST /api/articles` takes a JSON article, a JSON
//! array of them, or a `text/plain` raw dump, folds them through the same
//! path as every other source and republishes the feeds before answering;
//! `GET /api/articles` reads folded articles back with their sightings.
//! Both need `Authorization: Bearer <token>`; without a configured token the
//! API does not exist (404).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::AppState;
use super::schedule::republish;
use crate::dedup::Decision;
use crate::ingest::{DumpReader, date, html};
use crate::model::{Article, Block, Caption, Origin, StoredArticle};
use crate::normalize::clean_text;
use crate::pipeline::lock;
use crate::publish::rfc3339;

/// The source name of pushed articles that do not name one.
const DEFAULT_SOURCE: &str = "api";
/// Most articles `GET /api/articles` returns at once.
const MAX_LIMIT: usize = 1000;

/// An API error: a status and a message naming the bad field.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    field: Option<String>,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            field: None,
            message: message.into(),
        }
    }

    fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: format!("{field}: {}", message.into()),
            field: Some(field),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status == StatusCode::NOT_FOUND {
            return self.status.into_response();
        }
        let mut body = json!({ "error": self.message });
        if let Some(field) = self.field {
            body["field"] = Value::String(field);
        }
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"feedfold\""),
            );
        }
        response
    }
}

/// Compares two secrets in time that does not depend on where they differ
/// (or on their lengths): both are hashed and the digests compared in full.
pub fn constant_time_eq(given: &[u8], expected: &[u8]) -> bool {
    let a = Sha256::digest(given);
    let b = Sha256::digest(expected);
    let difference = a
        .iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

/// Checks the bearer token; failures are logged with the peer, never the
/// token.
fn authorize(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> Result<(), ApiError> {
    let Some(expected) = &state.token else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "not found"));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    match given {
        Some(token) if constant_time_eq(token.trim().as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => {
            tracing::warn!(%peer, "API request refused: wrong token");
            Err(ApiError::new(StatusCode::UNAUTHORIZED, "wrong token"))
        }
        None => {
            tracing::warn!(%peer, "API request refused: no bearer token");
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "send Authorization: Bearer <token>",
            ))
        }
    }
}

/// The token of an `Authorization: Bearer <token>` value; the scheme's
/// name is case-insensitive (RFC 9110 §11.1).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token)
}

#[derive(Serialize)]
struct Outcome {
    id: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    repeat_of: Option<String>,
}

#[derive(Deserialize)]
pub struct PushQuery {
    source: Option<String>,
}

pub async fn push(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<PushQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match push_inner(&state, peer, query, &headers, body).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn push_inner(
    state: &Arc<AppState>,
    peer: SocketAddr,
    query: PushQuery,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    authorize(state, headers, peer)?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let is_json = media_type == "application/json" || media_type.ends_with("+json");
    if !is_json && media_type != "text/plain" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send application/json (an article or an array) or text/plain (a raw dump)",
        ));
    }
    let limit = state.config.server.max_body as usize;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {limit} bytes ([server] max_body)"),
        )
    };
    // A declared length over the limit is refused before any byte is read.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large())?;
    let articles = if is_json {
        articles_from_json(&bytes)?
    } else {
        let source = match query.source {
            Some(name) => check_source_name("source", &name)?,
            None => DEFAULT_SOURCE.to_string(),
        };
        articles_from_dump(&bytes, &source)?
    };
    if articles.is_empty() {
        return Err(ApiError::field("body", "holds no article"));
    }
    let outcomes = fold(state, articles).await?;
    let created = outcomes.iter().any(|o| o.status == "new");
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!({ "articles": outcomes }))).into_response())
}

/// Folds pushed articles, one transaction per source, then republishes the
/// feeds they belong to, so the feeds hold them when the request returns.
async fn fold(
    state: &Arc<AppState>,
    articles: Vec<(String, Article)>,
) -> Result<Vec<Outcome>, ApiError> {
    let worker = state.clone();
    let now = Utc::now().trunc_subsecs(0);
    let (outcomes, sources) = tokio::task::spawn_blocking(move || {
        let mut store = lock(&worker.store);
        let mut outcomes = Vec::new();
        let mut sources: Vec<String> = Vec::new();
        let mut start = 0;
        while start < articles.len() {
            let source = articles[start].0.clone();
            let end = articles[start..]
                .iter()
                .position(|(s, _)| *s != source)
                .map_or(articles.len(), |n| start + n);
            let mut batch = store.source_batch(&source)?;
            for (_, article) in &articles[start..end] {
                outcomes.push(match batch.fold(article, now)?.decision {
                    Decision::New { id } => Outcome {
                        id,
                        status: "new",
                        repeat_of: None,
                    },
                    Decision::Repeat { id }
                    | Decision::Near {
                        id, update: None, ..
                    } => Outcome {
                        repeat_of: Some(id.clone()),
                        id,
                        status: "repeat",
                    },
                    Decision::Update { id }
                    | Decision::Near {
                        id,
                        update: Some(_),
                        ..
                    } => Outcome {
                        id,
                        status: "update",
                        repeat_of: None,
                    },
                });
            }
            batch.commit()?;
            if !sources.contains(&source) {
                sources.push(source);
            }
            start = end;
        }
        Ok::<_, crate::store::StoreError>((outcomes, sources))
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(|e| {
        tracing::error!("API fold failed: {e}");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the store is busy; try again",
        )
    })?;
    let names: Vec<&str> = sources.iter().map(String::as_str).collect();
    republish(state, &names).await;
    Ok(outcomes)
}

fn articles_from_dump(bytes: &[u8], source: &str) -> Result<Vec<(String, Article)>, ApiError> {
    DumpReader::new(bytes, "api")
        .map(|article| {
            article
                .map(|a| (source.to_string(), a))
                .map_err(|e| ApiError::field("body", e.to_string()))
        })
        .collect()
}

fn articles_from_json(bytes: &[u8]) -> Result<Vec<(String, Article)>, ApiError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::field("body", format!("not valid JSON: {e}")))?;
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| article_from_json(item, &format!("[{i}]"), i + 1))
            .collect(),
        item @ Value::Object(_) => Ok(vec![article_from_json(&item, "", 1)?]),
        _ => Err(ApiError::field(
            "body",
            "send an article object or an array of them",
        )),
    }
}

const FIELDS: &[&str] = &[
    "title",
    "link",
    "id",
    "published",
    "updated",
    "content_html",
    "body",
    "summary",
    "captions",
    "authors",
    "categories",
    "source",
];

fn article_from_json(
    value: &Value,
    at: &str,
    position: usize,
) -> Result<(String, Article), ApiError> {
    let field = |name: &str| format!("{at}{}{name}", if at.is_empty() { "" } else { "." });
    let Value::Object(object) = value else {
        return Err(ApiError::field(
            if at.is_empty() { "body" } else { at },
            "must be an object",
        ));
    };
    if let Some(unknown) = object.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(ApiError::field(
            field(unknown),
            format!("unknown field (known: {})", FIELDS.join(", ")),
        ));
    }
    let text = |name: &str| -> Result<Option<String>, ApiError> {
        match object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::field(field(name), "must be a string")),
        }
    };
    let title = text("title")?.map(|t| clean_text(&t)).unwrap_or_default();
    if title.is_empty() {
        return Err(ApiError::field(field("title"), "is required"));
    }
    let link = match text("link")? {
        Some(link) => Some(absolute_url(&field("link"), &link)?),
        None => None,
    };
    let date = |name: &str| -> Result<Option<DateTime<Utc>>, ApiError> {
        text(name)?
            .map(|t| {
                let date = DateTime::parse_from_rfc3339(t.trim())
                    .map(|d| d.with_timezone(&Utc).trunc_subsecs(0))
                    .map_err(|e| {
                        ApiError::field(field(name), format!("not an RFC 3339 date ({e})"))
                    })?;
                date::plausible(date).ok_or_else(|| {
                    ApiError::field(
                        field(name),
                        format!(
                            "{} is outside the years {}..={}",
                            date.to_rfc3339(),
                            date::PLAUSIBLE_YEARS.start(),
                            date::PLAUSIBLE_YEARS.end()
                        ),
                    )
                })
            })
            .transpose()
    };
    let published = date("published")?;
    let updated = date("updated")?;
    let base = link.as_deref().and_then(|l| url::Url::parse(l).ok());
    let converted =
        text("content_html")?.map(|h| html::Sanitizer::new().convert(&h, base.as_ref()));
    let (content_html, html_blocks) = match converted {
        Some(converted) => {
            let html = converted
                .html
                .ok_or_else(|| ApiError::field(field("content_html"), "nests too deeply"))?;
            (Some(html), Some(converted.blocks))
        }
        None => (None, None),
    };
    let body = match object.get("body") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(
            s.split("\n\n")
                .map(clean_text)
                .filter(|p| !p.is_empty())
                .map(Block::paragraph)
                .collect::<Vec<_>>(),
        ),
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, p)| match p {
                    Value::String(s) => Ok(Block::paragraph(clean_text(s))),
                    _ => Err(ApiError::field(
                        field(&format!("body[{i}]")),
                        "must be a string",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => {
            return Err(ApiError::field(
                field("body"),
                "must be a string or an array of strings",
            ));
        }
    };
    let body = match (body, html_blocks) {
        (Some(body), _) => body,
        (None, Some(blocks)) => blocks,
        (None, None) => {
            return Err(ApiError::field(
                field("body"),
                "give `body` or `content_html`",
            ));
        }
    };
    let captions = match object.get("captions") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, c)| caption_from_json(c, &field(&format!("captions[{i}]"))))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(ApiError::field(field("captions"), "must be an array")),
    };
    let strings = |name: &str| -> Result<Vec<String>, ApiError> {
        match object.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(clean_text))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| ApiError::field(field(name), "must be an array of strings")),
            Some(_) => Err(ApiError::field(field(name), "must be an array of strings")),
        }
    };
    let source = match text("source")? {
        Some(name) => check_source_name(&field("source"), &name)?,
        None => DEFAULT_SOURCE.to_string(),
    };
    let upstream_id = text("id")?.filter(|id| !id.trim().is_empty());
    let article = Article {
        title,
        published,
        updated,
        captions,
        body,
        upstream_key: upstream_id.clone().or_else(|| link.clone()),
        upstream_id,
        link,
        authors: strings("authors")?,
        categories: strings("categories")?,
        summary: text("summary")?
            .map(|s| clean_text(&s))
            .filter(|s| !s.is_empty()),
        content_html,
        origin: Origin {
            location: "api".into(),
            line: position,
        },
        content_key: None,
    };
    Ok((source, article))
}

fn caption_from_json(value: &Value, at: &str) -> Result<Caption, ApiError> {
    let object: &Map<String, Value> = value
        .as_object()
        .ok_or_else(|| ApiError::field(at, "must be an object"))?;
    let get = |name: &str| -> Result<Option<String>, ApiError> {
        match object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(clean_text(s))),
            Some(_) => Err(ApiError::field(format!("{at}.{name}"), "must be a string")),
        }
    };
    let image = match get("image")? {
        Some(url) => Some(absolute_url(&format!("{at}.image"), &url)?),
        None => None,
    };
    Ok(Caption {
        text: get("text")?.unwrap_or_default(),
        credit: get("credit")?.filter(|c| !c.is_empty()),
        image,
    })
}

fn absolute_url(field: &str, text: &str) -> Result<String, ApiError> {
    match url::Url::parse(text.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(url.to_string())
        }
        _ => Err(ApiError::field(
            field,
            format!("{text:?} is not an absolute http(s) URL"),
        )),
    }
}

fn check_source_name(field: &str, name: &str) -> Result<String, ApiError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(name.to_string())
    } else {
        Err(ApiError::field(
            field,
            "use 1-64 letters, digits, `-`, `_` and `.`",
        ))
    }
}

#[derive(Deserialize)]
pub struct ReadQuery {
    feed: Option<String>,
    since: Option<String>,
    limit: Option<String>,
}

pub async fn read(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<ReadQuery>,
    headers: HeaderMap,
) -> Response {
    match read_inner(&state, peer, query, &headers).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn read_inner(
    state: &Arc<AppState>,
    peer: SocketAddr,
    query: ReadQuery,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    authorize(state, headers, peer)?;
    let sources = match &query.feed {
        Some(name) => {
            let spec = state
                .config
                .feeds
                .iter()
                .find(|f| &f.name == name)
                .ok_or_else(|| ApiError::field("feed", format!("no feed is named {name:?}")))?;
            spec.sources.clone()
        }
        None => None,
    };
    let since = query
        .since
        .as_deref()
        .map(|s| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|e| ApiError::field("since", format!("not an RFC 3339 date ({e})")))
        })
        .transpose()?;
    let limit = match query.limit.as_deref() {
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::field("limit", format!("must be a number from 1 to {MAX_LIMIT}"))
            })?,
        None => 50,
    };
    let worker = state.clone();
    let articles = tokio::task::spawn_blocking(move || {
        let store = lock(&worker.store);
        let entries = store.feed_entries(sources.as_deref(), since, limit)?;
        entries
            .into_iter()
            .map(|article| {
                let sightings = store.sightings(&article.id)?;
                Ok(article_json(&article, &sightings))
            })
            .collect::<Result<Vec<Value>, crate::store::StoreError>>()
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(Json(json!({ "articles": articles })).into_response())
}

fn article_json(article: &StoredArticle, sightings: &[crate::store::Sighting]) -> Value {
    json!({
        "id": article.id,
        "title": article.title,
        "link": article.link,
        "published": rfc3339(article.published),
        "updated": rfc3339(article.updated),
        "summary": crate::publish::html::summary(article),
        "content_html": crate::publish::html::article_html(article),
        "captions": article.captions,
        "body": article.body,
        "authors": article.authors,
        "categories": article.categories,
        "sightings": sightings.iter().map(|s| json!({
            "source": s.source,
            "location": s.location,
            "line": s.line,
            "first_seen": rfc3339(s.first_seen),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_compare_is_exact() {
        assert!(constant_time_eq(b"s3cret", b"s3cret"));
        assert!(!constant_time_eq(b"s3cret", b"s3creT"));
        assert!(!constant_time_eq(b"s3c", b"s3cret"));
        assert!(!constant_time_eq(b"", b"s3cret"));
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        for value in ["Bearer t0k", "bearer t0k", "BEARER t0k", "bEaReR t0k"] {
            assert_eq!(bearer_token(value), Some("t0k"), "{value}");
        }
        assert_eq!(bearer_token("Basic dXNlcjpwYXNz"), None);
        assert_eq!(bearer_token("Bearer"), None);
        assert_eq!(bearer_token("Bearert0k"), None);
    }

    #[test]
    fn json_article_is_validated_field_by_field() {
        let ok = article_from_json(
            &json!({"title": " Pushed  story ", "link": "https://agg.example/a?utm_source=x",
                    "body": "One.\n\nTwo.", "captions": [{"text": "A photo", "credit": "AP"}],
                    "source": "agg", "published": "2026-11-28T09:30:00+01:00"}),
            "",
            1,
        )
        .unwrap();
        assert_eq!(ok.0, "agg");
        assert_eq!(ok.1.title, "Pushed story");
        assert_eq!(ok.1.body.len(), 2);
        assert_eq!(ok.1.captions[0].credit.as_deref(), Some("AP"));
        assert_eq!(
            ok.1.published.unwrap().to_rfc3339(),
            "2026-11-28T08:30:00+00:00"
        );
        assert_eq!(
            ok.1.upstream_key.as_deref(),
            Some("https://agg.example/a?utm_source=x")
        );

        let field_of = |v: Value| {
            article_from_json(&v, "[3]", 4)
                .err()
                .unwrap()
                .field
                .unwrap()
        };
        assert_eq!(field_of(json!({"body": "x"})), "[3].title");
        assert_eq!(
            field_of(json!({"title": "T", "body": "x", "published": "yesterday"})),
            "[3].published"
        );
        for date in ["0000-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00"] {
            assert_eq!(
                field_of(json!({"title": "T", "body": "x", "updated": date})),
                "[3].updated",
                "{date}"
            );
        }
        assert_eq!(
            field_of(json!({"title": "T", "body": "x", "link": "/rel"})),
            "[3].link"
        );
        assert_eq!(field_of(json!({"title": "T"})), "[3].body");
        assert_eq!(field_of(json!({"title": "T", "body": [1]})), "[3].body[0]");
        assert_eq!(
            field_of(json!({"title": "T", "body": "x", "colour": "red"})),
            "[3].colour"
        );
        assert_eq!(
            field_of(json!({"title": "T", "body": "x", "source": "a b"})),
            "[3].source"
        );
        assert_eq!(
            field_of(json!({"title": "T", "body": "x", "captions": [{"text": 5}]})),
            "[3].captions[0].text"
        );
    }

    #[test]
    fn pushed_html_is_sanitized() {
        let (_, article) = article_from_json(
            &json!({"title": "T", "content_html": "<p onclick=\"x()\">Hi<script>alert(1)</script></p>"}),
            "",
            1,
        )
        .unwrap();
        let html = article.content_html.unwrap();
        assert!(
            !html.contains("script") && !html.contains("onclick"),
            "{html}"
        );
        assert_eq!(article.body[0].text, "Hi");
    }
}
