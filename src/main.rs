//! The `gazette` command line.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use gazette::check::Format;
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
    let result = match Cli::parse().command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            full,
            published,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let options = BuildOptions {
                root,
                output,
                site: SiteOptions { base_url, drafts },
                full,
                published,
                progress: true,
            };
            gazette::build(&options).map(|report| println!("{report}"))
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
        } => {
            let options = ServeOptions {
                root,
                bind,
                port,
                drafts,
                open,
            };
            return match gazette::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            };
        }
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
            return check(&root, &options, published.as_deref(), format, strict);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report(
                &error,
                "nothing was written, the previous output is untouched",
            );
            ExitCode::FAILURE
        }
    }
}

/// Prints every problem of a failed build or check to standard error, and
/// what became of the output.
fn report(error: &Error, outcome: &str) {
    eprintln!("{}", gazette::error::report(error, outcome));
}
