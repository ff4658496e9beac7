//! `mediawatch serve`: a local web UI over the library — search, keyword in context, documents,
//! comparisons, timelines, exports and saved searches — rendered on the server as plain HTML.
//!
//! Every view is a GET of one page with all its state in the query string, so every view is a
//! permalink. The index is opened read-only once at start; heavy work (searches, counts) runs
//! on the blocking pool, at most [`HEAVY_AT_ONCE`] at a time. [`security`] is the one place
//! that checks hosts, origins and sizes and sets the headers every response carries.

mod error;
pub mod html;
mod pages;
pub mod params;
pub mod security;

use std::any::Any;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;
use tantivy::Index;
use tokio::sync::Semaphore;

pub use error::WebError;

use crate::index::settings::IndexSettings;
use crate::registry::{EntityMatcher, FrameMatcher};
use crate::timezone::Zone;

/// Most heavy queries (searches, counts) running at once; others wait their turn.
pub const HEAVY_AT_ONCE: usize = 2;
/// Results of statistics pages kept for repeated views (a permalink opened again, the other
/// toggle of a timeline); the cache is emptied when it holds this many.
pub const CACHED_RESULTS: usize = 64;

/// Large intermediate results (a comparison's term counts, which grow with the corpus) kept
/// for the next views of the same documents; the oldest is dropped beyond this many.
pub const CACHED_LARGE: usize = 2;

/// A request still running after this long gets 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// What `serve` serves and where.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Index directories (the first is the default; pages choose another with `ix=N`).
    pub indexes: Vec<PathBuf>,
    /// Address to bind.
    pub bind: IpAddr,
    /// Port (0 picks a free one).
    pub port: u16,
    /// Entity gazetteer and frame dictionary the compare page can count (requests choose a
    /// list by name only).
    pub lists: crate::registry::ListFiles,
}

/// The entity and frame lists loaded at start, each under a name (its file's stem): pages
/// choose a list by name, never by path.
#[derive(Default)]
pub struct Lists {
    /// Name and matcher of the entity gazetteer.
    pub entities: Option<(String, EntityMatcher)>,
    /// Name and matcher of the frame dictionary.
    pub frames: Option<(String, FrameMatcher)>,
}

impl Lists {
    /// Loads the lists named (none: no list).
    pub fn load(
        entity_list: Option<&Path>,
        frame_list: Option<&Path>,
    ) -> Result<Lists, crate::registry::RegistryError> {
        let name = |path: &Path| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        Ok(Lists {
            entities: entity_list
                .map(|p| Ok((name(p), EntityMatcher::load(p)?)))
                .transpose()?,
            frames: frame_list
                .map(|p| Ok((name(p), FrameMatcher::load(p)?)))
                .transpose()?,
        })
    }
}

/// One opened index.
pub struct Source {
    /// Its directory (shown on the start page; never taken from a request).
    pub dir: PathBuf,
    /// The index, opened read-only.
    pub index: Index,
    /// Its display zone.
    pub zone: Zone,
}

/// Shared state of the server.
pub struct App {
    /// The indexes, in the order given.
    pub sources: Vec<Source>,
    /// Host names besides localhost, 127.0.0.1 and [::1] that requests may name (the bound
    /// address when it is another one).
    pub extra_hosts: Vec<String>,
    /// Entity and frame lists for the compare page.
    pub lists: Lists,
    heavy: Arc<Semaphore>,
    cache: Mutex<HashMap<String, Arc<dyn Any + Send + Sync>>>,
    large: Mutex<Vec<(String, Arc<dyn Any + Send + Sync>)>>,
}

impl App {
    /// Opens every index read-only (an empty or missing one is an error).
    pub fn open(indexes: &[PathBuf], bind: IpAddr) -> Result<App, crate::index::IndexError> {
        let mut sources = Vec::new();
        for dir in indexes {
            let index = crate::index::open_nonempty(dir)?;
            let zone = IndexSettings::in_dir(dir).unwrap_or_default().display_zone;
            sources.push(Source {
                dir: dir.clone(),
                index,
                zone,
            });
        }
        let extra_hosts = if bind.is_loopback() || bind.is_unspecified() {
            Vec::new()
        } else {
            vec![host_name(bind)]
        };
        Ok(App {
            sources,
            extra_hosts,
            lists: Lists::default(),
            heavy: Arc::new(Semaphore::new(HEAVY_AT_ONCE)),
            cache: Mutex::new(HashMap::new()),
            large: Mutex::new(Vec::new()),
        })
    }

    /// The app with entity and frame lists for the compare page.
    pub fn with_lists(self, lists: Lists) -> App {
        App { lists, ..self }
    }

    /// The index a request chose with `ix` (the first by default).
    pub fn source(&self, ix: usize) -> Result<&Source, WebError> {
        self.sources
            .get(ix)
            .ok_or_else(|| WebError::BadRequest(format!("no index number {ix}")))
    }

    /// Runs `work` on the blocking pool once one of the [`HEAVY_AT_ONCE`] slots is free.
    pub async fn heavy<T, F>(&self, work: F) -> Result<T, WebError>
    where
        F: FnOnce() -> Result<T, WebError> + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self
            .heavy
            .acquire()
            .await
            .map_err(|_| WebError::Internal("server shutting down".into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| WebError::Internal(format!("worker failed: {e}")))?
    }
}

impl App {
    /// [`App::heavy`], remembered under `key` (a page's kind and canonical query) for as long
    /// as the index `ix` keeps its last commit: an ingest into it while serving is seen by
    /// the next request.
    pub async fn cached<T, F>(&self, ix: usize, key: String, work: F) -> Result<Arc<T>, WebError>
    where
        F: FnOnce() -> Result<T, WebError> + Send + 'static,
        T: Send + Sync + 'static,
    {
        let key = self.commit_key(ix, &key)?;
        let found = self.cache.lock().ok().and_then(|c| c.get(&key).cloned());
        if let Some(hit) = found.and_then(|v| v.downcast::<T>().ok()) {
            return Ok(hit);
        }
        let value = Arc::new(self.heavy(work).await?);
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHED_RESULTS {
                cache.clear();
            }
            cache.insert(key, value.clone());
        }
        Ok(value)
    }

    /// [`App::cached`] for large values: only the last [`CACHED_LARGE`] are kept.
    pub async fn cached_large<T, F>(
        &self,
        ix: usize,
        key: String,
        work: F,
    ) -> Result<Arc<T>, WebError>
    where
        F: FnOnce() -> Result<T, WebError> + Send + 'static,
        T: Send + Sync + 'static,
    {
        let key = self.commit_key(ix, &key)?;
        let found = self
            .large
            .lock()
            .ok()
            .and_then(|c| c.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()));
        if let Some(hit) = found.and_then(|v| v.downcast::<T>().ok()) {
            return Ok(hit);
        }
        let value = Arc::new(self.heavy(work).await?);
        if let Ok(mut large) = self.large.lock() {
            large.retain(|(k, _)| *k != key);
            if large.len() >= CACHED_LARGE {
                large.remove(0);
            }
            large.push((key, value.clone()));
        }
        Ok(value)
    }

    /// `key` qualified by the index and its last commit.
    fn commit_key(&self, ix: usize, key: &str) -> Result<String, WebError> {
        let commit = self
            .source(ix)?
            .index
            .load_metas()
            .map(|m| m.opstamp)
            .map_err(WebError::from)?;
        Ok(format!("{ix}\u{1f}{commit}\u{1f}{key}"))
    }
}

/// How an address is written in a `Host` header (IPv6 in brackets).
fn host_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// The whole UI as a router (handler tests call it directly, without a socket).
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(pages::home::page))
        .route("/search", get(pages::search::page))
        .route("/kwic", get(pages::kwic::page))
        .route("/doc", get(pages::doc::page))
        .route("/compare", get(pages::compare::page))
        .route("/timeline", get(pages::timeline::page))
        .route("/export", get(pages::export::page))
        .route("/saved", get(pages::saved::list).post(pages::saved::create))
        .route("/saved/delete", post(pages::saved::delete))
        .route("/style.css", get(pages::assets::style))
        .route("/favicon.ico", get(pages::assets::favicon))
        .fallback(pages::assets::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(security::MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            security::guard,
        ))
        .with_state(app)
}

/// Serves until the process ends. `ready` gets the bound address once the socket listens
/// (the CLI prints it as the first line).
pub fn serve(config: &ServeConfig, ready: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    let lists = Lists::load(
        config.lists.entity_list.as_deref(),
        config.lists.frame_list.as_deref(),
    )?;
    let app = Arc::new(App::open(&config.indexes, config.bind)?.with_lists(lists));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((config.bind, config.port))
            .await
            .map_err(|e| {
                anyhow::anyhow!("cannot listen on {}:{}: {e}", config.bind, config.port)
            })?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(app)).await?;
        Ok(())
    })
}

/// Where saved searches of the index at `dir` are kept: `queries.json` beside the index.
pub fn saved_file(dir: &Path) -> PathBuf {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join("queries.json")
}
