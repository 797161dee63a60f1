//! `nightjar`: the command line of the crawler and daemon. The arguments are in
//! [`cli::flags`], what each subcommand does in the other [`cli`] modules.

#![cfg_attr(not(test), warn(clippy::unwrap_used))]

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::flags::{Cli, LogFormat};

/// The embedded Tor client's crates (arti-client and its `tor_*` crates; a directive's
/// target matches every target it begins).
const ARTI_TARGETS: [&str; 2] = ["arti_client", "tor_"];

/// The log filter for `--log SPEC`. A plain `info` or `warn` (the default is `info`) keeps
/// the embedded Tor client at `error`: arti reports routine network facts at WARN (on a
/// small network about one line in eight was `tor_netdir: Requested 48 relays…`), and the
/// crawl logs what matters about Tor itself (bootstrap progress, failures by class).
/// PostgreSQL's notices are kept at `warn` too: every start's migration check draws
/// "relation _sqlx_migrations already exists, skipping" at INFO, once per migrator.
/// `debug`, `trace`, or directives of one's own are taken as given.
fn log_filter(spec: &str) -> tracing_subscriber::EnvFilter {
    let spec = spec.trim();
    let full = match spec {
        "info" | "warn" => {
            let mut quiet: Vec<String> =
                ARTI_TARGETS.iter().map(|t| format!("{t}=error")).collect();
            quiet.push(format!("{}=warn", db::SERVER_NOTICES));
            format!("{spec},{}", quiet.join(","))
        }
        _ => spec.to_string(),
    };
    tracing_subscriber::EnvFilter::try_new(&full).unwrap_or_else(|_| "info".into())
}

/// Logs go to stderr: a terminal, a file, or journald (which timestamps lines itself).
fn init_logging(cli: &Cli) {
    let filter = log_filter(&cli.log);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let journald = std::env::var_os("JOURNAL_STREAM").is_some();
    match cli.log_format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Text if journald => builder.without_time().with_ansi(false).init(),
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // arti's rustls needs a process-wide crypto provider before its runtime starts.
    let _ = rustls::crypto::ring::default_provider().install_default();
    init_logging(&cli);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match rt.block_on(cli::dispatch(cli)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::log_filter;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What a subscriber with `--log spec` prints of a few events.
    fn printed(spec: &str) -> String {
        let buffer = Buffer::default();
        let out = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(log_filter(spec))
            .with_writer(move || out.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::warn!(target: "tor_netdir", "Requested 48 relays");
            tracing::error!(target: "tor_dirmgr", "cannot bootstrap");
            tracing::info!(target: "arti_client::client", "arti chatter");
            tracing::info!(target: "crawler::engine", "page archived");
            tracing::warn!(target: "crawler::engine", "site down");
        });
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        text
    }

    #[test]
    fn the_default_filter_keeps_arti_below_error_and_ours_at_info() {
        let out = printed("info");
        assert!(!out.contains("Requested 48 relays"), "{out}");
        assert!(!out.contains("arti chatter"), "{out}");
        assert!(out.contains("cannot bootstrap"), "{out}");
        assert!(
            out.contains("page archived") && out.contains("site down"),
            "{out}"
        );
        let out = printed("warn");
        assert!(!out.contains("Requested 48 relays") && !out.contains("page archived"));
        assert!(out.contains("site down"), "{out}");
    }

    #[test]
    fn debug_and_explicit_directives_are_taken_as_given() {
        let out = printed("debug");
        assert!(out.contains("Requested 48 relays") && out.contains("arti chatter"));
        let out = printed("info,tor_netdir=warn");
        assert!(out.contains("Requested 48 relays"), "{out}");
    }
}
