//! The `gazette` command line.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use gazette::check::Format;
use gazette::import::ImportOptions;
use gazette::scaffold::NewArticle;
use gazette::serve::ServeOptions;
use gazette::{BuildOptions, Error, SiteOptions};

/// A build allocates millions of small values from two threads; mimalloc
/// serves that far faster than the system allocator. It is built without
/// transparent huge pages (Cargo.toml), which made the resident set a fifth
/// larger and the build no faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gazette: a static news-archive generator — who said what, about what, and when.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site's folder (with gazette.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// The URL the site is published at, replacing gazette.toml's `base_url`.
        #[arg(long)]
        base_url: Option<String>,
        /// Build drafts too.
        #[arg(long)]
        drafts: bool,
        /// Render every page, whatever the last build left in `.gazette_cache/`.
        #[arg(long)]
        full: bool,
        /// The last deploy's sitemap.xml, or a list of its URLs or paths (one a
        /// line): each must still be a page, a file or a redirect.
        #[arg(long, value_name = "FILE")]
        published: Option<PathBuf>,
    },
    /// Build the site into memory, serve it on this machine, and rebuild and
    /// reload the open pages as its files change.
    Serve {
        /// The site's folder (with gazette.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// The port; when it is taken, the next free one (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Serve drafts too.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the web browser.
        #[arg(long)]
        open: bool,
    },
    /// Check the site as a build would, rendering every page, without writing
    /// anything; exits 1 on a problem.
    Check {
        /// The site's folder (with gazette.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check drafts too.
        #[arg(long)]
        drafts: bool,
        /// The last deploy's sitemap.xml, or a list of its URLs or paths (one a
        /// line): each must still be a page, a file or a redirect.
        #[arg(long, value_name = "FILE")]
        published: Option<PathBuf>,
        /// How findings are printed: `human`, `json` (one object a line) or
        /// `github` (workflow annotations).
        #[arg(long, value_enum, default_value_t = FindingsFormat::Human)]
        format: FindingsFormat,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
    },
    /// Write a new article, content/YYYY/SLUG.md, with its front matter.
    New {
        /// The article's title.
        title: String,
        #[command(flatten)]
        names: Names,
        /// The site's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Make a new site that builds at once, with a workflow that publishes it.
    Init {
        /// The folder of the new site.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Turn plain-text articles into Markdown articles, proposing who is quoted.
    Import {
        /// Plain-text files, or folders of .txt files.
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        #[command(flatten)]
        names: Names,
        /// Put the proposed speakers into the front matter.
        #[arg(long)]
        accept_speakers: bool,
        /// Where the articles go [default: ROOT/content/YYYY/].
        #[arg(long)]
        out: Option<PathBuf>,
        /// The site's folder, whose profiles the speakers are matched to.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Writes a new article and prints its path.
fn new_article(root: &std::path::Path, article: &NewArticle) -> ExitCode {
    match gazette::scaffold::new_article(root, article) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(error) => failed(&error, "nothing was written"),
    }
}

/// Makes a new site and says what to do next.
fn init(dir: &std::path::Path) -> ExitCode {
    match gazette::scaffold::init(dir) {
        Ok(files) => {
            for file in files {
                println!("{}", dir.join(file).display());
            }
            println!(
                "A new site is in {}: preview it with `gazette serve --root {}`",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => failed(&error, "nothing more was written"),
    }
}

/// Imports plain-text articles and prints what each became, with the
/// speakers and date proposed.
fn import(root: &std::path::Path, sources: &[PathBuf], options: &ImportOptions) -> ExitCode {
    let (reports, errors) = gazette::import::import(root, sources, options);
    for report in &reports {
        println!("{} → {}", report.source.display(), report.written.display());
        let proposed: Vec<String> = report
            .imported
            .speakers
            .iter()
            .map(|(name, n)| format!("{name} ({})", gazette::error::plural(*n, "attribution")))
            .collect();
        match (proposed.is_empty(), options.accept_speakers) {
            (true, _) => println!("  no attribution to a speaker found"),
            (false, true) => println!("  speakers: {}", proposed.join(", ")),
            (false, false) => println!(
                "  speakers proposed: {} (add them with --accept-speakers)",
                proposed.join(", ")
            ),
        }
        match (report.dated, report.imported.date) {
            ("the text", Some(date)) => println!("  date from the text: {date}"),
            ("today", _) => println!("  no date in the text: dated today (give one with --date)"),
            _ => {}
        }
    }
    for error in &errors {
        eprintln!("error: {error}");
    }
    match errors.is_empty() {
        true => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    }
}

/// Reports `error` and gives the exit code: 2 for what the command was given, 1 else.
fn failed(error: &Error, outcome: &str) -> ExitCode {
    report(error, outcome);
    match error {
        Error::Usage(_) => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}

/// Who an article quotes, what about, and when, as `new` and `import` take them.
#[derive(clap::Args)]
struct Names {
    /// A person quoted (a profile's name or alias gives the profile's name); repeatable.
    #[arg(long = "speaker", value_name = "NAME")]
    speakers: Vec<String>,
    /// A topic; repeatable.
    #[arg(long = "topic", value_name = "NAME")]
    topics: Vec<String>,
    /// The date, YYYY-MM-DD or RFC 3339 [default: for import, a date written
    /// in the text; else today].
    #[arg(long)]
    date: Option<String>,
}

/// How `gazette check` prints its findings.
#[derive(Clone, Copy, ValueEnum)]
enum FindingsFormat {
    Human,
    Json,
    Github,
}

/// Runs `gazette check`: exit 0 when clean, 1 on findings that fail, 2 when
/// the check itself cannot run (a file it needs cannot be read).
fn check(
    root: &std::path::Path,
    options: &SiteOptions,
    published: Option<&std::path::Path>,
    format: FindingsFormat,
    strict: bool,
) -> ExitCode {
    let format = match format {
        FindingsFormat::Human => Format::Human,
        FindingsFormat::Json => Format::Json,
        FindingsFormat::Github => Format::Github,
    };
    match gazette::check::check(root, options, published) {
        Ok(report) => {
            let findings = report.findings(format);
            match format {
                Format::Human => eprint!("{findings}"),
                Format::Json | Format::Github => print!("{findings}"),
            }
            eprintln!("{}", report.summary());
            if report.fails(strict) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            report(&error, "nothing was checked");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            full,
            published,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            build(&BuildOptions {
                root,
                output,
                site: SiteOptions { base_url, drafts },
                full,
                published,
                progress: true,
            })
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
        } => serve(&ServeOptions {
            root,
            bind,
            port,
            drafts,
            open,
        }),
        Command::Check {
            root,
            drafts,
            published,
            format,
            strict,
        } => {
            let options = SiteOptions {
                base_url: None,
                drafts,
            };
            check(&root, &options, published.as_deref(), format, strict)
        }
        Command::New { title, names, root } => new_article(
            &root,
            &NewArticle {
                title,
                speakers: names.speakers,
                topics: names.topics,
                date: names.date,
                body: "Write the article here.\n".to_owned(),
            },
        ),
        Command::Init { dir } => init(&dir),
        Command::Import {
            sources,
            names,
            accept_speakers,
            out,
            root,
        } => {
            let options = ImportOptions {
                speakers: names.speakers,
                topics: names.topics,
                date: names.date,
                accept_speakers,
                out,
            };
            import(&root, &sources, &options)
        }
    }
}

/// Builds the site and prints what the build did.
fn build(options: &BuildOptions) -> ExitCode {
    match gazette::build(options) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            report(
                &error,
                "nothing was written, the previous output is untouched",
            );
            ExitCode::FAILURE
        }
    }
}

/// Serves the site until it is stopped.
fn serve(options: &ServeOptions) -> ExitCode {
    match gazette::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Prints every problem of a failed build or check to standard error, and
/// what became of the output.
fn report(error: &Error, outcome: &str) {
    eprintln!("{}", gazette::error::report(error, outcome));
}
