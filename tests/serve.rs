//! `gazette serve`: the real binary on a free loopback port, a small fixture
//! site in a temporary folder, and plain HTTP/1.1 over `TcpStream` (so that
//! `..` and encoded paths reach the server exactly as written). Changes are
//! awaited by polling with generous deadlines, never by sleeping.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Site;

/// How long the server may take to start, or to show a change.
const DEADLINE: Duration = Duration::from_secs(60);
const SCRIPT_TAG: &str = "<script src=\"/__gazette/livereload.js\" defer></script>";

// ---------------------------------------------------------------- harness

/// A running `gazette serve`, stopped when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:port`.
    address: String,
    /// Everything the server printed to standard error so far.
    stderr: Arc<Mutex<String>>,
    /// The lines it prints to standard output.
    stdout: Receiver<String>,
}

impl Server {
    fn start(site: &Site, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .arg("serve")
            .arg("--root")
            .arg(site.root())
            .args(if args.contains(&"--port") {
                &[][..]
            } else {
                &["--port", "0"][..]
            })
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gazette serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let err_pipe = child.stderr.take().expect("stderr");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                let mut all = sink.lock().expect("stderr lock");
                all.push_str(&line);
                all.push('\n');
            }
        });
        let (lines, stdout) = mpsc::channel();
        let out_pipe = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            address: String::new(),
            stderr,
            stdout,
        };
        let start = Instant::now();
        while server.address.is_empty() {
            let left = DEADLINE.saturating_sub(start.elapsed());
            match server.stdout.recv_timeout(left) {
                Ok(line) => {
                    if let Some(at) = line.find("http://") {
                        let url = line[at..].split_whitespace().next().unwrap_or("");
                        let address = url.trim_start_matches("http://").trim_end_matches('/');
                        server.address = address.to_owned();
                    }
                }
                Err(_) => panic!(
                    "the server printed no URL; stderr:\n{}",
                    server.stderr_text()
                ),
            }
        }
        server
    }

    fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    fn stderr_text(&self) -> String {
        self.stderr.lock().expect("stderr lock").clone()
    }

    fn get(&self, target: &str) -> Response {
        request(&self.address, "GET", target)
    }

    /// The body of `target`, which must be served with status 200.
    fn text(&self, target: &str) -> String {
        let response = self.get(target);
        assert_eq!(response.status, 200, "GET {target}");
        response.text()
    }

    /// Polls `target` until `check` accepts the response.
    fn wait_for(&self, target: &str, what: &str, check: impl Fn(&Response) -> bool) -> Response {
        let start = Instant::now();
        loop {
            let response = self.get(target);
            if check(&response) {
                return response;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "GET {target}: {what} never happened; last status {}, stderr:\n{}",
                response.status,
                self.stderr_text()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn wait_for_stderr(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let text = self.stderr_text();
            if text.contains(needle) {
                return text;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "stderr never showed {needle:?}:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The server's state: `/__gazette/status` as text.
    fn status(&self) -> String {
        self.text("/__gazette/status")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP response.
struct Response {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }
}

/// Sends `method target` as written and reads the whole response.
fn request(address: &str, method: &str, target: &str) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// An open `/__gazette/events` stream.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(server: &Server) -> Events {
        let mut stream = TcpStream::connect(&server.address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        write!(
            stream,
            "GET /__gazette/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.address
        )
        .expect("send");
        let mut events = Events {
            stream,
            seen: String::new(),
        };
        events.wait_for("event: hello");
        events
    }

    /// Reads the stream until it has shown `needle`; returns all it showed.
    fn wait_for(&mut self, needle: &str) -> String {
        let start = Instant::now();
        let mut buffer = [0u8; 4096];
        while !self.seen.contains(needle) {
            assert!(
                start.elapsed() < DEADLINE,
                "the event stream never showed {needle:?}:\n{}",
                self.seen
            );
            match self.stream.read(&mut buffer) {
                Ok(0) => panic!("the event stream ended:\n{}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("reading the event stream: {e}"),
            }
        }
        self.seen.clone()
    }
}

/// The fixture: three articles by two people (one with a profile), a static
/// file, and a site configuration with a sub-path that serve must ignore.
fn fixture() -> Site {
    let site = Site::new();
    site.file(
        "gazette.toml",
        "title = \"Serve Test\"\nbase_url = \"https://example.org/sub-path/\"\nper_page = 2\n",
    )
    .file(
        "content/people/ada-lovelace.md",
        "---\nname: Ada Lovelace\nrole: Analyst\naliases: [Lovelace]\n---\nWrote the first program.\n",
    )
    .article(
        "content/2020/alpha.md",
        "title: Alpha statement\ndate: 2020-01-10\nspeaker: Lovelace\ntopic: Engines",
        "Alpha body text.\n",
    )
    .article(
        "content/2020/beta.md",
        "title: Beta statement\ndate: 2020-02-20\nspeaker: [Ada Lovelace, Charles Babbage]\ntopic: [Engines, Numbers]",
        "Beta body text.\n",
    )
    .article(
        "content/2021/gamma.md",
        "title: Gamma statement\ndate: 2021-03-30\nspeaker: Charles Babbage\ntopic: Numbers",
        "Gamma body text.\n",
    )
    .file("static/notes.txt", "static notes\n");
    site
}

/// Writes a file the way many editors save: a temporary file renamed over it.
fn save(site: &Site, path: &str, text: &str) {
    let target = site.root().join(path);
    let temporary = target.with_file_name(".gazette-test-save.tmp");
    std::fs::write(&temporary, text).expect("write the temporary file");
    std::fs::rename(&temporary, &target).expect("rename over the file");
}

// ---------------------------------------------------------------- tests

#[test]
fn serves_the_built_site_at_the_root_with_the_reload_script() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    assert!(
        server.address.starts_with("127.0.0.1:"),
        "{}",
        server.address
    );

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), "text/html; charset=utf-8");
    let home = home.text();
    assert!(home.contains("Gamma statement") && home.contains("Beta statement"));
    // Served at the root whatever base_url says; absolute links name the server.
    assert!(!home.contains("/sub-path/"), "base path kept:\n{home}");
    assert!(!home.contains("example.org"), "base URL kept:\n{home}");
    assert!(server.text("/feed.xml").contains(&server.url()));
    // The live-reload script is an external file; no inline script is added.
    assert_eq!(home.matches(SCRIPT_TAG).count(), 1);
    for tag in home.split("<script").skip(1) {
        assert!(
            tag.trim_start().starts_with("src="),
            "inline script: <script{tag}"
        );
    }
    let script = server.get("/__gazette/livereload.js");
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    assert!(script.text().contains("EventSource(\"/__gazette/events\")"));
    assert!(
        server
            .text("/2020/01/alpha-statement/")
            .contains("Alpha body text.")
    );
    assert!(
        server
            .text("/people/ada-lovelace/")
            .contains("Beta statement")
    );

    // `gazette build` knows nothing of it.
    let build = site.build_ok(&[]);
    assert!(build.ok());
    for (path, bytes) in common::snapshot(&site.public()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__gazette"),
            "{path} of a build mentions the preview server"
        );
    }
}

#[test]
fn a_changed_article_is_served_changed() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let page = "/2020/01/alpha-statement/";
    assert!(server.text(page).contains("Alpha body text."));

    save(
        &site,
        "content/2020/alpha.md",
        "---\ntitle: Alpha statement\ndate: 2020-01-10\nspeaker: Lovelace\ntopic: Engines\n---\nAlpha body, revised.\n",
    );
    server.wait_for(page, "the new text", |r| {
        r.status == 200 && r.text().contains("Alpha body, revised.")
    });

    // A new title reaches the article's person, topic, neighbours and lists.
    site.article(
        "content/2020/alpha.md",
        "title: Alpha retitled\nslug: alpha-statement\ndate: 2020-01-10\nspeaker: Lovelace\ntopic: Engines",
        "Alpha body, revised.\n",
    );
    for list in [
        "/people/ada-lovelace/",
        "/topics/engines/",
        "/2020/01/",
        "/2020/02/beta-statement/",
        "/feed.xml",
    ] {
        server.wait_for(list, "the new title", |r| {
            r.status == 200 && r.text().contains("Alpha retitled")
        });
    }
    assert!(
        !server
            .text("/people/ada-lovelace/")
            .contains("Alpha statement")
    );
}

#[test]
fn a_deleted_article_disappears_from_every_page() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    assert!(
        server
            .text("/people/ada-lovelace/")
            .contains("Beta statement")
    );
    assert!(server.text("/").contains("Beta statement"));

    std::fs::remove_file(site.root().join("content/2020/beta.md")).expect("delete beta");
    server.wait_for("/2020/02/beta-statement/", "the 404", |r| r.status == 404);
    for page in [
        "/",
        "/people/ada-lovelace/",
        "/people/charles-babbage/",
        "/topics/numbers/",
        "/2020/",
        "/sitemap.xml",
        "/feed.xml",
        "/2020/01/alpha-statement/",
        "/2021/03/gamma-statement/",
    ] {
        server.wait_for(page, "the article gone", |r| {
            r.status == 200
                && !r.text().contains("Beta statement")
                && !r.text().contains("beta-statement")
        });
    }
    // Its month had no other article: the month's page is gone too.
    assert_eq!(server.get("/2020/02/").status, 404);

    // A renamed file keeps its article; a renamed folder too.
    std::fs::rename(
        site.root().join("content/2021"),
        site.root().join("content/moved"),
    )
    .expect("rename the folder");
    std::fs::rename(
        site.root().join("content/2020/alpha.md"),
        site.root().join("content/2020/alpha-renamed.md"),
    )
    .expect("rename the file");
    // Changes are taken in order: once a later one shows, the renames were taken in.
    site.article(
        "content/moved/epsilon.md",
        "title: Epsilon statement\ndate: 2019-01-01",
        "Epsilon.\n",
    );
    server.wait_for("/2019/01/epsilon-statement/", "a later article", |r| {
        r.status == 200
    });
    let home = server.text("/");
    assert!(home.contains("Gamma statement"), "{home}");
    assert_eq!(server.get("/2021/03/gamma-statement/").status, 200);
    assert_eq!(server.get("/2020/01/alpha-statement/").status, 200);
}

#[test]
fn a_content_error_is_shown_and_the_last_good_site_stays_until_it_is_fixed() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let page = "/2020/01/alpha-statement/";
    assert!(server.text(page).contains("Alpha body text."));
    let mut events = Events::open(&server);

    site.file(
        "content/2020/alpha.md",
        "---\ntitle: [unclosed\ndate: 2020-01-10\n---\nBroken <b>body</b>.\n",
    );
    // The terminal shows it as `gazette build` does: path:line:column, the
    // line with a caret, the hint.
    let build = site.build(&[]);
    assert!(!build.ok());
    let diagnostic = build
        .stderr
        .split("\nerror: ")
        .next()
        .expect("a diagnostic");
    let first_line = diagnostic.lines().next().expect("a line");
    assert!(
        first_line.starts_with("content/2020/alpha.md:"),
        "{first_line}"
    );
    let stderr = server.wait_for_stderr(first_line);
    assert!(
        stderr.contains(diagnostic),
        "build said:\n{diagnostic}\nserve said:\n{stderr}"
    );
    // Open pages get it over the event stream; new pages on connect; tools in the status.
    let seen = events.wait_for(first_line);
    assert!(seen.contains("event: problems"), "{seen}");
    assert!(
        Events::open(&server)
            .wait_for(first_line)
            .contains("event: problems")
    );
    assert!(server.status().contains("content/2020/alpha.md:"));
    // The last good page is still served, even after another change.
    site.article(
        "content/2021/gamma.md",
        "title: Gamma statement\ndate: 2021-03-30\nspeaker: Charles Babbage\ntopic: Numbers",
        "Gamma changed while broken.\n",
    );
    let start = Instant::now();
    while server.stderr_text().matches(first_line).count() < 2 {
        assert!(
            start.elapsed() < DEADLINE,
            "the second change was not taken in"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    assert!(server.text(page).contains("Alpha body text."));
    assert!(
        server
            .text("/2021/03/gamma-statement/")
            .contains("Gamma body text.")
    );

    site.article(
        "content/2020/alpha.md",
        "title: Alpha statement\ndate: 2020-01-10\nspeaker: Lovelace",
        "Alpha fixed.\n",
    );
    server.wait_for(page, "the fixed page", |r| {
        r.text().contains("Alpha fixed.")
    });
    assert!(
        server
            .text("/2021/03/gamma-statement/")
            .contains("Gamma changed while broken.")
    );
    events.wait_for("event: fixed");
    events.wait_for("event: reload");
    assert!(server.status().contains("\"problems\":null"));
}

#[test]
fn two_articles_with_one_url_are_a_problem_until_one_moves() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    site.article(
        "content/2020/copy.md",
        "title: Alpha statement\nslug: alpha-statement\ndate: 2020-01-10",
        "A copy.\n",
    );
    let stderr = server.wait_for_stderr("two articles have the URL /2020/01/alpha-statement/");
    assert!(stderr.contains("content/2020/copy.md"), "{stderr}");
    assert!(
        server
            .text("/2020/01/alpha-statement/")
            .contains("Alpha body text.")
    );
    site.article(
        "content/2020/copy.md",
        "title: Alpha statement\nslug: alpha-copy\ndate: 2020-01-10",
        "A copy.\n",
    );
    server.wait_for("/2020/01/alpha-copy/", "the moved copy", |r| {
        r.status == 200
    });
    assert!(
        server
            .text("/2020/01/alpha-statement/")
            .contains("Alpha body text.")
    );
}

/// Polls until the server serves exactly what `gazette build` writes for
/// the site now: every file byte for byte (pages without the reload script),
/// and no other file.
fn assert_serves_what_build_writes(site: &Site, server: &Server, step: &str) {
    let output = site.root().join(format!("built-{step}"));
    site.build_ok(&[
        "--output",
        output.to_str().expect("UTF-8"),
        "--base-url",
        &server.url(),
    ]);
    let mut expected = common::snapshot(&output);
    expected.remove(".gazette");
    let start = Instant::now();
    loop {
        let mut differences = Vec::new();
        for (path, bytes) in &expected {
            let response = server.get(&format!("/{path}"));
            let served = if path.ends_with(".html") {
                response.text().replace(SCRIPT_TAG, "").into_bytes()
            } else {
                response.body
            };
            if response.status != 200 || &served != bytes {
                differences.push(path.clone());
            }
        }
        let files = format!("\"files\":{},", expected.len());
        if differences.is_empty() && server.status().contains(&files) {
            return;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "{step}: served files differ from the build: {differences:?}; status {}, {} built\nstderr:\n{}",
            server.status(),
            expected.len(),
            server.stderr_text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_site_served_is_the_site_a_build_writes() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    assert_serves_what_build_writes(&site, &server, "start");

    // Articles that move, come and go, a profile that renames a person.
    site.article(
        "content/2020/alpha.md",
        "title: Alpha, second version\ndate: 2020-01-12\nspeaker: [Lovelace, Grace Hopper]\ntopic: Compilers",
        "Second version.\n",
    );
    site.article(
        "content/2022/delta.md",
        "title: Delta statement\ndate: 2022-05-05\nspeaker: Grace Hopper",
        "Delta body.\n",
    );
    std::fs::remove_file(site.root().join("content/2021/gamma.md")).expect("delete gamma");
    site.file(
        "content/people/ada-lovelace.md",
        "---\nname: Ada King\nrole: Countess\naliases: [Lovelace, Ada Lovelace]\n---\nRenamed.\n",
    );
    server.wait_for("/2022/05/delta-statement/", "the new article", |r| {
        r.status == 200
    });
    assert_serves_what_build_writes(&site, &server, "linked");
    for gone in ["2021/03/gamma-statement/", "2021/"] {
        assert_eq!(server.get(&format!("/{gone}")).status, 404, "{gone}");
    }

    // An article added to, then removed from, a year that has others: the
    // lists move, the pages that do not show it stay as they are.
    site.article(
        "content/2020/epsilon.md",
        "title: Epsilon statement\ndate: 2020-02-01\nspeaker: Lovelace\ntopic: Engines",
        "Epsilon body.\n",
    );
    server.wait_for("/2020/02/epsilon-statement/", "the added article", |r| {
        r.status == 200
    });
    assert_serves_what_build_writes(&site, &server, "added");
    std::fs::remove_file(site.root().join("content/2020/epsilon.md")).expect("delete epsilon");
    server.wait_for("/2020/02/epsilon-statement/", "the 404", |r| {
        r.status == 404
    });
    assert_serves_what_build_writes(&site, &server, "removed");

    // Edits patched in place: a body, a summary, a title that keeps its slug.
    site.article(
        "content/2020/beta.md",
        "title: Beta, retitled\nslug: beta-statement\ndate: 2020-02-20\nspeaker: [Ada Lovelace, Charles Babbage]\ntopic: [Engines, Numbers]",
        "Beta body, second version.\n",
    );
    server.wait_for("/2020/02/beta-statement/", "the new body", |r| {
        r.text().contains("second version")
    });
    assert_serves_what_build_writes(&site, &server, "patched");

    // A new title without a slug: a new URL, the old page gone.
    site.article(
        "content/2022/delta.md",
        "title: Delta renamed\ndate: 2022-05-05\nspeaker: Grace Hopper",
        "Delta body.\n",
    );
    server.wait_for("/2022/05/delta-renamed/", "the new URL", |r| {
        r.status == 200
    });
    assert_eq!(server.get("/2022/05/delta-statement/").status, 404);
    assert_serves_what_build_writes(&site, &server, "moved");

    // A template and a static file.
    site.file("static/notes.txt", "new notes\n");
    site.file(
        "templates/robots.txt",
        "User-agent: *\nDisallow: /private/\n",
    );
    server.wait_for("/robots.txt", "the new template", |r| {
        r.text().contains("/private/")
    });
    assert_serves_what_build_writes(&site, &server, "theme");
}

#[test]
fn requests_never_leave_the_site() {
    let site = fixture();
    // A secret beside the site, and links to it from inside the site.
    let outside = tempfile::tempdir().expect("a folder outside the site");
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET\n").expect("secret");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            site.root().join("static/secret.txt"),
        )
        .expect("symlink a file");
        std::os::unix::fs::symlink(outside.path(), site.root().join("static/outside"))
            .expect("symlink a folder");
    }
    let server = Server::start(&site, &[]);
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/static/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/people/..%2f..%2fetc%2fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/2020%2f01%2falpha-statement%2f",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "/%00",
        "/%ff%fe",
    ] {
        let response = server.get(target);
        assert!(
            response.status == 400 || response.status == 404,
            "{target}: {}",
            response.status
        );
        assert!(!response.text().contains("TOP SECRET"), "{target}");
        assert!(!response.text().contains("root:"), "{target}");
    }
    // Absolute paths, in the absolute form of a request target too.
    for target in [
        "/etc/passwd",
        &format!("/{}", outside.path().join("secret.txt").display()),
        &format!("http://{}/../etc/passwd", server.address),
    ] {
        let response = server.get(target);
        assert!(
            matches!(response.status, 400 | 404),
            "{target}: {}",
            response.status
        );
        assert!(!response.text().contains("TOP SECRET"), "{target}");
    }
    // Symbolic links out of the site are not part of it.
    for target in ["/secret.txt", "/outside/secret.txt"] {
        let response = server.get(target);
        assert_eq!(response.status, 404, "{target}");
        assert!(!response.text().contains("TOP SECRET"), "{target}");
    }
}

#[test]
fn files_folders_and_missing_pages() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    for (target, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/people/", "text/html; charset=utf-8"),
        ("/gazette.css", "text/css; charset=utf-8"),
        ("/syntax.css", "text/css; charset=utf-8"),
        ("/feed.xml", "text/xml; charset=utf-8"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/notes.txt", "text/plain; charset=utf-8"),
        ("/__gazette/status", "application/json; charset=utf-8"),
    ] {
        let response = server.get(target);
        assert_eq!(response.status, 200, "{target}");
        assert_eq!(response.header("content-type"), content_type, "{target}");
    }
    assert_eq!(server.text("/notes.txt"), "static notes\n");
    // A folder without its slash is redirected to it, with its query.
    let response = server.get("/people?x=1");
    assert_eq!(response.status, 308);
    assert_eq!(response.header("location"), "/people/?x=1");
    let response = server.get("/2020/01/alpha-statement");
    assert_eq!(response.status, 308);
    assert_eq!(response.header("location"), "/2020/01/alpha-statement/");
    // A page that does not exist: the site's 404 page, with status 404.
    let not_found_page = server.text("/404.html");
    for target in [
        "/nope/",
        "/nope",
        "/2020/01/nope/",
        "/people/nobody/feed.xml",
    ] {
        let response = server.get(target);
        assert_eq!(response.status, 404, "{target}");
        assert_eq!(response.text(), not_found_page, "{target}");
        assert_eq!(response.header("content-type"), "text/html; charset=utf-8");
    }
    // HEAD: the headers alone; other methods are refused.
    let head = request(&server.address, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(&server.address, "POST", "/").status, 405);
    // The search bundle follows the pages.
    server.wait_for("/__gazette/status", "the search bundle", |r| {
        !r.text().contains("\"search_generation\":0")
    });
    assert_eq!(server.get("/search/").status, 200);
}

#[test]
fn many_requests_at_once() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let address = Arc::new(server.address.clone());
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let address = address.clone();
            std::thread::spawn(move || {
                let targets = [
                    "/",
                    "/people/",
                    "/2020/01/alpha-statement/",
                    "/gazette.css",
                    "/feed.xml",
                ];
                (0..40)
                    .map(|i| request(&address, "GET", targets[(t + i) % targets.len()]).status)
                    .filter(|&status| status != 200)
                    .count()
            })
        })
        .collect();
    let failures: usize = threads
        .into_iter()
        .map(|t| t.join().expect("a client thread"))
        .sum();
    assert_eq!(failures, 0);
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let site = fixture();
    let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("address").port();
    let server = Server::start(&site, &["--port", &port.to_string()]);
    let served: u16 = server
        .address
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    assert_ne!(served, port);
    assert!(
        served > port && served < port.saturating_add(50),
        "{served}"
    );
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_site_that_never_built_shows_its_problems_and_recovers() {
    let site = fixture();
    site.file("gazette.toml", "title = \"Broken\"\nper_pgae = 3\n");
    let server = Server::start(&site, &[]);
    server.wait_for_stderr("gazette.toml:2:1: unknown key `per_pgae`");
    let response = server.get("/");
    assert_eq!(response.status, 503);
    assert!(response.text().contains(SCRIPT_TAG));
    site.file("gazette.toml", "title = \"Fixed\"\nper_page = 3\n");
    server.wait_for("/", "the site", |r| {
        r.status == 200 && r.text().contains("Fixed")
    });
}

#[test]
fn serve_needs_a_site_folder() {
    let run = common::gazette(&[
        "serve",
        "--root",
        "/nonexistent/gazette-site",
        "--port",
        "0",
    ]);
    assert!(!run.ok());
    assert!(
        run.stderr.contains("cannot find the site's folder"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_even_with_pages_open() {
    let site = fixture();
    let mut server = Server::start(&site, &[]);
    let _open_page = Events::open(&server);
    let pid = server.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("run kill");
    assert!(sent.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("the server's status") {
            break status;
        }
        assert!(start.elapsed() < DEADLINE, "the server did not stop");
        std::thread::sleep(Duration::from_millis(25));
    };
    assert!(status.success(), "{status}");
    // The pipe closes with the process: read what it printed to the end.
    let mut printed = Vec::new();
    while let Ok(line) = server.stdout.recv_timeout(DEADLINE) {
        printed.push(line);
    }
    assert!(printed.iter().any(|l| l == "Stopped."), "{printed:?}");
}

#[test]
fn drafts_are_served_only_when_asked_for() {
    let site = fixture();
    site.article(
        "content/2020/draft.md",
        "title: Draft statement\ndate: 2020-03-03\ndraft: true",
        "Not yet.\n",
    );
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/2020/03/draft-statement/").status, 404);
    // An article made a draft leaves the site; made public again, it comes back.
    site.article(
        "content/2020/alpha.md",
        "title: Alpha statement\ndate: 2020-01-10\nspeaker: Lovelace\ntopic: Engines\ndraft: true",
        "Alpha body text.\n",
    );
    server.wait_for("/2020/01/alpha-statement/", "the 404", |r| r.status == 404);
    assert!(
        !server
            .text("/people/ada-lovelace/")
            .contains("Alpha statement")
    );
    site.article(
        "content/2020/draft.md",
        "title: Draft statement\ndate: 2020-03-03",
        "Now public.\n",
    );
    server.wait_for("/2020/03/draft-statement/", "the published draft", |r| {
        r.status == 200
    });
    drop(server);

    let with_drafts = Server::start(&site, &["--drafts"]);
    assert_eq!(with_drafts.get("/2020/01/alpha-statement/").status, 200);
}

#[test]
fn the_browser_shows_problems_over_the_page_and_reloads_when_fixed() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let file = site.root().join("content/2020/alpha.md");
    let broken =
        "---\ntitle: Alpha statement\ndate: 2020-01-10\nspekaer: \"<b>Ada</b>\"\n---\nAlpha.\n";
    let fixed = "---\ntitle: Alpha statement\ndate: 2020-01-10\n---\nFixed in the browser.\n";
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/serve.mjs");
    let run = Command::new("node")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg(script)
        .arg(server.url())
        .arg("/2020/01/alpha-statement/")
        .arg(&file)
        .arg(broken)
        .arg(fixed)
        .arg("Fixed in the browser.")
        .output()
        .expect("node is installed (scripts/test.sh installs it)");
    assert!(
        run.status.success(),
        "the browser test failed:\n{}{}\nserver:\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr),
        server.stderr_text()
    );
}

#[test]
fn folder_files_redirects_and_links_between_articles_are_served_and_updated() {
    let site = fixture();
    site.article(
        "content/2020/mir/index.md",
        "title: Mir\ndate: 2020-03-01\nredirect_from: /old/mir.html",
        "![chart](chart.svg) See [alpha](../alpha.md).\n",
    )
    .file("content/2020/mir/chart.svg", "<svg id=\"one\"/>");
    let server = Server::start(&site, &[]);
    assert_eq!(server.text("/2020/03/mir/chart.svg"), "<svg id=\"one\"/>");
    assert!(
        server
            .text("/2020/03/mir/")
            .contains("href=\"/2020/01/alpha-statement/\"")
    );
    assert!(server.text("/old/mir.html").contains("url=/2020/03/mir/"));

    // A changed image is served again.
    save(&site, "content/2020/mir/chart.svg", "<svg id=\"two\"/>");
    server.wait_for("/2020/03/mir/chart.svg", "the new image", |r| {
        r.status == 200 && r.text().contains("two")
    });
    // The article linked to moves: the link and the redirect follow.
    site.article(
        "content/2020/alpha.md",
        "title: Alpha moved\ndate: 2020-01-10\nspeaker: Lovelace\ntopic: Engines",
        "Alpha body text.\n",
    );
    server.wait_for("/2020/03/mir/", "the link to the new URL", |r| {
        r.text().contains("href=\"/2020/01/alpha-moved/\"")
    });
    assert_serves_what_build_writes(&site, &server, "after the moves");
}
