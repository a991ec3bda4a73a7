//! The HTTP side: the site's files from memory, the live-reload script and
//! its event stream. A request names a file of the site or nothing: `..`,
//! encoded slashes and doubled slashes are refused before any lookup, and the
//! lookup is in a map of the site's own files, never in the file system.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{
    ALLOW, CACHE_CONTROL, CONTENT_TYPE, HeaderName, HeaderValue, LOCATION, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{Method, StatusCode, Uri};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;
use tower_http::set_header::SetResponseHeaderLayer;

use super::Shared;
use super::livereload::{EVENTS_PATH, Event, SCRIPT, SCRIPT_PATH, SCRIPT_TAG, STATUS_PATH};
use crate::paths;

/// The application: the site at `/`, the live-reload endpoints below `/__gazette/`.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(SCRIPT_PATH, get(script))
        .route(EVENTS_PATH, get(events))
        .route(STATUS_PATH, get(status))
        .fallback(site)
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(shared)
}

async fn script() -> Response {
    (
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        )],
        SCRIPT,
    )
        .into_response()
}

async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let live = &shared.live;
    let body = serde_json::json!({
        "generation": live.generation(),
        "search_generation": live.search_generation(),
        "files": shared.store.len(),
        "problems": live.problems().as_deref(),
    });
    (
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        )],
        body.to_string(),
    )
        .into_response()
}

/// The event stream: `hello` first, then the problems if the last rebuild
/// failed, then every `reload`, `problems` and `fixed` as they come, until
/// the server stops.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let receiver = shared.live.subscribe();
    let mut first = vec![
        SseEvent::default()
            .event("hello")
            .data(shared.live.generation().to_string()),
    ];
    if let Some(problems) = shared.live.problems() {
        first.push(SseEvent::default().event("problems").data(&*problems));
    }
    let shutdown = shared.shutdown.clone();
    let live = stream::unfold(
        (receiver, shutdown),
        |(mut receiver, mut shutdown)| async move {
            if *shutdown.borrow() {
                return None;
            }
            let event = tokio::select! {
                event = receiver.recv() => match event {
                    Ok(event) => to_sse(&event),
                    // Missed events: whatever they were, reloading is right.
                    Err(RecvError::Lagged(_)) => SseEvent::default().event("reload").data("[\"*\"]"),
                    Err(RecvError::Closed) => return None,
                },
                _ = shutdown.changed() => return None,
            };
            Some((Ok(event), (receiver, shutdown)))
        },
    );
    let stream = futures_util::StreamExt::chain(stream::iter(first.into_iter().map(Ok)), live);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn to_sse(event: &Event) -> SseEvent {
    match event {
        Event::Reload(urls) => SseEvent::default()
            .event("reload")
            .data(serde_json::to_string(&urls[..]).unwrap_or_else(|_| "[\"*\"]".into())),
        Event::Problems(text) => SseEvent::default().event("problems").data(&**text),
        Event::Fixed => SseEvent::default().event("fixed").data(""),
    }
}

/// A file of the site.
async fn site(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(ALLOW, HeaderValue::from_static("GET, HEAD"))],
            "only GET and HEAD\n",
        )
            .into_response();
    }
    // For HEAD, hyper sends the headers of the response without its body.
    match paths::from_request(uri.path()) {
        Some(path) => find(&shared, &path, &uri),
        None => (StatusCode::BAD_REQUEST, "bad request path\n").into_response(),
    }
}

fn find(shared: &Shared, path: &str, uri: &Uri) -> Response {
    let store = &shared.store;
    let file = paths::file_of_url(path);
    if let Some(bytes) = store.get(&file) {
        return file_response(StatusCode::OK, &file, bytes);
    }
    if !path.is_empty()
        && !path.ends_with('/')
        && store.get(&paths::html_file(&format!("{path}/"))).is_some()
    {
        let location = match uri.query() {
            Some(query) => format!("{}/?{query}", uri.path()),
            None => format!("{}/", uri.path()),
        };
        if let Ok(location) = HeaderValue::from_str(&location) {
            return (StatusCode::PERMANENT_REDIRECT, [(LOCATION, location)]).into_response();
        }
    }
    if !store.has_pages() && shared.live.problems().is_some() {
        return file_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "index.html",
            Bytes::from(unavailable_page()),
        );
    }
    match store.get("404.html") {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn file_response(status: StatusCode, path: &str, bytes: Bytes) -> Response {
    let header: (HeaderName, HeaderValue) = (CONTENT_TYPE, content_type(path));
    (status, [header], bytes).into_response()
}

/// The page served while the site has never built: the live-reload script
/// shows the problems over it and reloads it once they are fixed.
fn unavailable_page() -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\" data-gazette-unavailable><head><meta charset=\"utf-8\"><title>Gazette: the site cannot be built</title>{SCRIPT_TAG}</head>\n<body><h1>The site cannot be built</h1><p>The problems are shown in the terminal. This page reloads when they are fixed.</p></body></html>\n"
    )
}

/// The content type of a file, by its extension; text in UTF-8.
pub fn content_type(path: &str) -> HeaderValue {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let essence = mime.essence_str();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            essence,
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        );
    let value = if text {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_owned()
    };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_utf8() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("gazette.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("search.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "text/xml; charset=utf-8");
        assert_eq!(
            content_type("search/dict-001.bin"),
            "application/octet-stream"
        );
        assert_eq!(content_type("logo.png"), "image/png");
    }
}
