//! `[tor.arti]`: arti's own configuration inside nightjar's, checked as strictly as
//! nightjar's own keys.
//!
//! arti reads its configuration leniently: a key it does not know is ignored (arti the
//! program warns about it; arti-client, which nightjar embeds, says nothing). A misspelt
//! table such as `[tor.arti.path_rulez]` would then be dropped silently and the crawl fail
//! much later with `NoPath`. So the table is deserialized into arti-client's own builder
//! with `serde_ignored` watching (the crate arti itself uses for its warnings): every key the
//! builder ignored is an error naming its line in the config file. The storage directories
//! are nightjar's (`[tor] state_dir`, `cache_dir`), so arti's `storage.state_dir` and
//! `storage.cache_dir` are refused rather than silently overridden.

use std::path::Path;

use arti_client::config::{CfgPath, TorClientConfigBuilder};

use crate::config::Config;

/// arti keys nightjar sets itself, and the nightjar key to use instead.
const OVERRIDDEN: [(&str, &str); 2] = [
    ("storage.state_dir", "tor.state_dir"),
    ("storage.cache_dir", "tor.cache_dir"),
];

/// Checks `[tor.arti]` of the config file `path` whose text is `text`: every key must be one
/// arti-client reads, none one nightjar sets, and the values must build. Errors name the
/// file and line, like nightjar's own.
pub fn check(cfg: &Config, path: &Path, text: &str) -> anyhow::Result<()> {
    let (_, ignored) = deserialize(&cfg.tor.arti)?;
    let mut problems = Vec::new();
    for key in ignored {
        let line = line_of(text, &key).unwrap_or(0);
        problems.push(format!(
            "{}:{line}: tor.arti.{key} is not an arti-client setting (its tables are arti.toml's, each prefixed with tor.arti.; arti the program's own tables such as [proxy], [logging] and [application] do not apply)",
            path.display()
        ));
    }
    for (key, ours) in OVERRIDDEN {
        if has_key(&cfg.tor.arti, key) {
            let line = line_of(text, key).unwrap_or(0);
            problems.push(format!(
                "{}:{line}: tor.arti.{key} is set by nightjar: use {ours} instead",
                path.display()
            ));
        }
    }
    if !problems.is_empty() {
        anyhow::bail!("{}", problems.join("\n"));
    }
    build(cfg).map(|_| ())
}

/// arti's configuration: the `[tor.arti]` table as arti reads it, with storage under the
/// data directory unless `[tor]` says where.
pub(super) fn build(cfg: &Config) -> anyhow::Result<arti_client::TorClientConfig> {
    let (mut builder, _) = deserialize(&cfg.tor.arti)?;
    let base = cfg.data.dir.join("tor");
    let state = cfg
        .tor
        .state_dir
        .clone()
        .unwrap_or_else(|| base.join("state"));
    let cache = cfg
        .tor
        .cache_dir
        .clone()
        .unwrap_or_else(|| base.join("cache"));
    builder
        .storage()
        .state_dir(CfgPath::new_literal(state))
        .cache_dir(CfgPath::new_literal(cache));
    builder
        .build()
        .map_err(|e| anyhow::anyhow!("invalid Tor configuration in [tor.arti]: {e}"))
}

/// The builder, and the dotted paths of the keys it ignored.
fn deserialize(table: &toml::Table) -> anyhow::Result<(TorClientConfigBuilder, Vec<String>)> {
    let mut ignored = Vec::new();
    let builder: TorClientConfigBuilder =
        serde_ignored::deserialize(toml::Value::Table(table.clone()), |p| {
            // serde_ignored writes `?` for a step that has no name (an Option's content).
            let path: Vec<String> = p
                .to_string()
                .split('.')
                .filter(|s| *s != "?")
                .map(str::to_string)
                .collect();
            ignored.push(path.join("."))
        })
        .map_err(|e| anyhow::anyhow!("[tor.arti] is not a valid arti configuration: {e}"))?;
    Ok((builder, ignored))
}

/// Whether the dotted `key` is set in `table`.
fn has_key(table: &toml::Table, key: &str) -> bool {
    let mut here = table;
    let mut parts = key.split('.').peekable();
    while let Some(part) = parts.next() {
        match here.get(part) {
            None => return false,
            Some(_) if parts.peek().is_none() => return true,
            Some(toml::Value::Table(t)) => here = t,
            Some(_) => return false,
        }
    }
    false
}

/// The line of `tor.arti.<key>` in the config text (1-based), following tables, inline
/// tables and arrays (serde_ignored names an array element by its index).
fn line_of(text: &str, key: &str) -> Option<usize> {
    let doc = toml_edit::ImDocument::parse(text.to_string()).ok()?;
    let parts: Vec<&str> = ["tor", "arti"].into_iter().chain(key.split('.')).collect();
    let span = in_item(doc.as_item(), &parts, None)?;
    Some(text[..span.start.min(text.len())].matches('\n').count() + 1)
}

type Span = Option<std::ops::Range<usize>>;

/// The span of the deepest of `parts` found below `item` (`found`: the span so far).
fn in_item(item: &toml_edit::Item, parts: &[&str], found: Span) -> Span {
    let Some((part, rest)) = parts.split_first() else {
        return found;
    };
    match item {
        toml_edit::Item::Value(v) => in_value(v, parts, found),
        toml_edit::Item::Table(t) => match t.get_key_value(part) {
            Some((k, i)) => in_item(i, rest, k.span().or(i.span()).or(found)),
            None => found,
        },
        toml_edit::Item::ArrayOfTables(a) => {
            match part.parse().ok().and_then(|n: usize| a.get(n)) {
                Some(t) => match rest.split_first() {
                    Some((next, after)) => match t.get_key_value(next) {
                        Some((k, i)) => in_item(i, after, k.span().or(i.span()).or(found)),
                        None => t.span().or(found),
                    },
                    None => t.span().or(found),
                },
                None => found,
            }
        }
        toml_edit::Item::None => found,
    }
}

fn in_value(v: &toml_edit::Value, parts: &[&str], found: Span) -> Span {
    let Some((part, rest)) = parts.split_first() else {
        return found;
    };
    match v {
        toml_edit::Value::InlineTable(t) => match t.get_key_value(part) {
            Some((k, v)) => in_item(v, rest, k.span().or(v.span()).or(found)),
            None => found,
        },
        toml_edit::Value::Array(a) => match part.parse().ok().and_then(|n: usize| a.get(n)) {
            Some(v) => in_value(v, rest, v.span().or(found)),
            None => found,
        },
        _ => found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> anyhow::Result<()> {
        let cfg: Config = toml::from_str(text).unwrap();
        check(&cfg, Path::new("nightjar.toml"), text)
    }

    /// The settings of the private test network (tests/tor/tornet.sh), as an operator
    /// would paste them.
    const PRIVATE_NETWORK: &str = r#"
[tor]
enabled = true

[tor.arti.path_rules]
ipv4_subnet_family_prefix = 33
ipv6_subnet_family_prefix = 129

[tor.arti.address_filter]
allow_local_addrs = true

[tor.arti.tor_network]
fallback_caches = [
  { rsa_identity = "1111111111111111111111111111111111111111", ed_identity = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", orports = ["127.0.0.1:20001"] },
]

[tor.arti.tor_network.authorities]
v3idents = ["2222222222222222222222222222222222222222"]
uploads = [["127.0.0.1:20101"]]
downloads = [["127.0.0.1:20101"]]
votes = [["127.0.0.1:20101"]]

[tor.arti.storage.permissions]
dangerously_trust_everyone = true
"#;

    #[test]
    fn arti_keys_arti_reads_are_accepted() {
        config(PRIVATE_NETWORK).unwrap();
        config("[tor]\nenabled = false\n").unwrap();
    }

    #[test]
    fn a_misspelt_arti_table_or_key_is_an_error_naming_its_line() {
        let text = PRIVATE_NETWORK.replace("[tor.arti.path_rules]", "[tor.arti.path_rulez]");
        let e = config(&text).unwrap_err().to_string();
        assert!(e.contains("nightjar.toml:5: tor.arti.path_rulez"), "{e}");

        let text = PRIVATE_NETWORK.replace("allow_local_addrs", "allow_local_adrs");
        let e = config(&text).unwrap_err().to_string();
        assert!(
            e.contains("nightjar.toml:10: tor.arti.address_filter.allow_local_adrs"),
            "{e}"
        );

        // Inside an inline table of an array.
        let text = PRIVATE_NETWORK.replace("orports =", "or_ports =");
        let e = config(&text).unwrap_err().to_string();
        assert!(
            e.contains("nightjar.toml:14: tor.arti.tor_network.fallback_caches"),
            "{e}"
        );
        assert!(e.contains("or_ports"), "{e}");

        // arti the program's tables are not arti-client's.
        let e = config("[tor.arti.proxy]\nsocks_listen = 9150\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("nightjar.toml:1: tor.arti.proxy"), "{e}");
    }

    #[test]
    fn storage_directories_are_nightjars_to_set() {
        let e = config("[tor.arti.storage]\nstate_dir = \"/tmp/x\"\ncache_dir = \"/tmp/y\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(
                "nightjar.toml:2: tor.arti.storage.state_dir is set by nightjar: use tor.state_dir"
            ),
            "{e}"
        );
        assert!(
            e.contains("nightjar.toml:3: tor.arti.storage.cache_dir"),
            "{e}"
        );
    }

    #[test]
    fn bad_values_are_errors_too() {
        let e = config("[tor.arti.path_rules]\nipv4_subnet_family_prefix = \"wide\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("[tor.arti]"), "{e}");
    }
}
