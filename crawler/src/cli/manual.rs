//! The manual page the Debian package installs, `debian/nightjar.1`, is rendered from the
//! command line's own definition (`flags.rs`, by clap_mangen) so that it cannot drift from
//! `--help`; the sections clap knows nothing about (files, environment, exit status) are
//! written here. The test below renders the page again and fails when the committed copy
//! differs; after changing a command or a flag, rewrite it with
//! `NIGHTJAR_WRITE_MANUAL=1 cargo test -p nightjar --bin nightjar manual`.

use clap::CommandFactory;

use super::flags::Cli;

/// Sections after clap's own, in roff.
const EXTRA: &str = r#".SH "COMMAND OPTIONS"
Each command has options of its own:
.B nightjar
.I command
.B \-\-help
lists them.
.SH FILES
.TP
.I /etc/nightjar/nightjar.toml
The configuration, with every setting documented and set to its default (a conffile of
the Debian package: upgrades keep local changes).
.TP
.I /etc/nightjar/seeds/
Seed lists: one TOML file or more, each with
.B [[seed]]
tables; the daemon re-reads them when a file changes and on SIGHUP. An example is in
.IR /usr/share/doc/nightjar/examples/seeds/ .
.TP
.I /var/lib/nightjar/
The archive: WARC files, the database, the node's signing key and the Tor state. Upgrades,
removal and purge of the package never touch it.
.SH ENVIRONMENT
.TP
.B NIGHTJAR_LOG
Log filter, as
.BR \-\-log .
.TP
.B NIGHTJAR_LOG_FORMAT
Log format, as
.BR \-\-log\-format .
.SH "EXIT STATUS"
0 on success; 1 when the command failed (the message says why and what to do); 2 for a
command line nightjar does not understand.
.SH "SEE ALSO"
.BR systemctl (1),
.BR journalctl (1),
.BR systemd.exec (5);
.I /usr/share/doc/nightjar/README.md
and
.IR /usr/share/doc/nightjar/README.systemd.md .
"#;

/// The whole manual page.
fn render() -> String {
    let man = clap_mangen::Man::new(Cli::command()).section("1");
    let mut out = Vec::new();
    man.render_title(&mut out).expect("write to memory");
    man.render_name_section(&mut out).expect("write to memory");
    man.render_synopsis_section(&mut out)
        .expect("write to memory");
    man.render_description_section(&mut out)
        .expect("write to memory");
    man.render_options_section(&mut out)
        .expect("write to memory");
    man.render_subcommands_section(&mut out)
        .expect("write to memory");
    out.extend_from_slice(EXTRA.as_bytes());
    man.render_version_section(&mut out)
        .expect("write to memory");
    String::from_utf8(out).expect("clap_mangen writes UTF-8")
}

#[test]
fn the_manual_page_matches_the_command_line() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../debian/nightjar.1");
    let page = render();
    if std::env::var_os("NIGHTJAR_WRITE_MANUAL").is_some() {
        std::fs::write(&path, &page).expect("write debian/nightjar.1");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == page,
        "debian/nightjar.1 is not the manual page of this command line; rewrite it with \
         NIGHTJAR_WRITE_MANUAL=1 cargo test -p nightjar --bin nightjar manual"
    );
    // Every command is in it.
    for sub in Cli::command().get_subcommands() {
        assert!(page.contains(sub.get_name()), "{} missing", sub.get_name());
    }
}
