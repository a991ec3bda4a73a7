//! `gazette serve`: builds the site into memory, serves it over HTTP on this
//! machine, watches its sources and rebuilds what a change touches, and
//! reloads the open pages. Nothing is written to disk.
//!
//! The site itself, and what a change renders again, is the library's core
//! ([`crate::site`]); this module only serves it:
//!
//! - `store`: the served files, path → bytes;
//! - `server`: HTTP (axum), the live-reload endpoints;
//! - `livereload`: the events open pages get, and their script;
//! - `watch`: the file watcher (notify);
//! - `builder`: the rebuild loop, with the search bundle rebuilt behind the
//!   pages ([`crate::search::SearchWorker`]).

mod builder;
pub mod livereload;
pub mod server;
mod store;
mod watch;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use builder::{Builder, Rebuilt};
use livereload::LiveReload;
use store::Store;
use watch::Watcher;

use crate::build::BuildReport;
use crate::error::Error;
use crate::site::{Site, SiteOptions};

/// How many ports after the asked one are tried when it is taken.
const PORT_TRIES: u16 = 50;
/// How long open connections get to finish once the server is asked to stop.
const GRACE: Duration = Duration::from_secs(3);

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's root folder (with `gazette.toml` and `content/`).
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port; when it is taken, the next free one. 0: any free port.
    pub port: u16,
    /// Whether drafts are served.
    pub drafts: bool,
    /// Whether to open the site in the browser.
    pub open: bool,
}

/// What the server's threads share.
pub struct Shared {
    /// The site's root folder, absolute.
    pub root: PathBuf,
    /// The files served.
    pub store: Store,
    /// The live-reload state and channel.
    pub live: LiveReload,
    /// Becomes true when the server stops, to end the event streams.
    pub shutdown: tokio::sync::watch::Receiver<bool>,
}

/// Serves the site until Ctrl-C (or SIGTERM).
///
/// Problems in the site's files do not stop it: they are shown, and the last
/// good site is served. An [`Error::Serve`] says why it could not start or stopped.
pub fn serve(options: &ServeOptions) -> Result<(), Error> {
    let root = std::fs::canonicalize(&options.root).map_err(|e| {
        let folder = options.root.display();
        Error::Serve(format!("{folder}: cannot find the site's folder: {e}"))
    })?;
    let listener = bind(options.bind, options.port)?;
    let address = listener.local_addr().map_err(failed)?;
    let url = site_url(address);
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Shared {
        root: root.clone(),
        store: Store::default(),
        live: LiveReload::default(),
        shutdown,
    });

    let start = Instant::now();
    let site_options = SiteOptions {
        base_url: Some(url.clone()),
        drafts: options.drafts,
    };
    let mut builder = Builder::new(Site::open(&root, &site_options), shared.clone());
    if let Some(Rebuilt { pages, .. }) = builder.rebuild() {
        if let Some(archive) = builder.site().archive() {
            let report = BuildReport {
                articles: archive.articles.len(),
                people: archive.people.len(),
                topics: archive.topics.len(),
                pages,
                incremental: false,
                elapsed: start.elapsed(),
            };
            println!("{report}");
        }
    }
    let (changes, batches) = std::sync::mpsc::channel();
    let watcher = Watcher::start(&root, changes)
        .map_err(|e| Error::Serve(format!("cannot watch the site for changes: {e}")))?;
    std::thread::Builder::new()
        .name("gazette-rebuild".into())
        .spawn(move || builder.run(batches, watcher))
        .map_err(failed)?;

    if address.port() != options.port && options.port != 0 {
        println!("Port {} is taken; using {}.", options.port, address.port());
    }
    println!("Serving {} at {url} (Ctrl-C to stop)", root.display());
    if options.open {
        if let Err(e) = open::that_detached(&url) {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(failed)?;
    runtime
        .block_on(async move {
            listener.set_nonblocking(true)?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            let mut stopping = stop.subscribe();
            let server =
                axum::serve(listener, server::router(shared)).with_graceful_shutdown(async move {
                    stop_signal().await;
                    let _ = stop.send(true);
                });
            let deadline = async move {
                let _ = stopping.wait_for(|stopped| *stopped).await;
                tokio::time::sleep(GRACE).await;
            };
            tokio::select! {
                result = server => result,
                () = deadline => Ok(()),
            }
        })
        .map_err(failed)?;
    println!("Stopped.");
    Ok(())
}

/// The server failed: the error as the terminal shows it.
fn failed(error: io::Error) -> Error {
    Error::Serve(format!("the server failed: {error}"))
}

/// Listens on `port`, or the next free port after it; any free port for 0.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, Error> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES - 1)
    };
    for port in port..=last {
        let address = SocketAddr::new(ip, port);
        match TcpListener::bind(address) {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse && port < last => continue,
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => break,
            Err(e) => return Err(Error::Serve(format!("cannot listen on {address}: {e}"))),
        }
    }
    Err(Error::Serve(format!(
        "ports {port} to {last} on {ip} are all taken; choose another with --port"
    )))
}

/// The URL the site is served at, which becomes its `base_url`: the site is
/// served at the root whatever sub-path the configuration gives.
fn site_url(address: SocketAddr) -> String {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    match ip {
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
    }
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_a_reachable_host() {
        let url = |s: &str| site_url(s.parse().unwrap());
        assert_eq!(url("127.0.0.1:1111"), "http://127.0.0.1:1111/");
        assert_eq!(url("0.0.0.0:8080"), "http://127.0.0.1:8080/");
        assert_eq!(url("[::1]:1111"), "http://[::1]:1111/");
    }
}
