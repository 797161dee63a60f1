//! Delivering alerts: the log, the audit log, the metrics, and the configured sinks (a
//! webhook that receives a JSON document by HTTP POST, and a command that receives it on
//! its standard input).
//!
//! Alerts are raised in the indexing transaction ([`crate::watch`]); this module reads the
//! outbox they sit in. Each sink's success is recorded per alert, so a sink that is down
//! gets the alert later (with exponential back-off, within `alerts.max_attempts`) and a
//! sink that took it never gets it twice from here. A receiver may still see a document
//! twice if nightjar stops between its answer and the record of it: documents carry their
//! `alert_id` for that.

use std::time::Duration;

use chrono::Utc;
use db::Db;
use tokio::io::AsyncWriteExt;

use crate::config::AlertsConfig;
use crate::store::watches::{self as store, AlertRow, Sink};
use crate::watch::AlertDocument;

/// The JSON document of an alert.
pub fn document(a: &AlertRow) -> String {
    let doc = AlertDocument {
        r#type: "nightjar.alert",
        alert_id: a.id,
        watch: &a.watch,
        capture_id: a.capture_id,
        url: &a.url,
        host: &a.host,
        seed: a.seed.as_deref(),
        captured_at: &a.captured_at,
        raised_at: &a.raised_at,
        matched: serde_json::from_str(&a.matched).unwrap_or(serde_json::Value::Null),
    };
    serde_json::to_string(&doc).unwrap_or_default()
}

/// Writes new alerts to the log and the audit log, and counts them. Returns how many.
pub async fn announce(db: &Db, metrics: Option<&crate::metrics::Metrics>) -> anyhow::Result<usize> {
    let fresh = store::unannounced(db).await?;
    for a in &fresh {
        tracing::warn!(
            alert = a.id,
            watch = %a.watch,
            capture = a.capture_id,
            url = %a.url,
            matched = %a.matched,
            "alert: watch '{}' matched capture {} of {}",
            a.watch,
            a.capture_id,
            a.url
        );
        crate::audit::append(
            db,
            &crate::audit::Event {
                actor: "nightjar",
                role: "daemon",
                action: "watch.fired",
                target: &format!("{} capture={}", a.watch, a.capture_id),
                reason: "",
                result: &format!("alert {}", a.id),
            },
        )
        .await?;
        if let Some(m) = metrics {
            m.alert_raised(&a.watch);
        }
        store::announced(db, a.id).await?;
    }
    Ok(fresh.len())
}

/// One pass over the outbox: every alert due (or every pending one, when `every`) is
/// offered to each configured sink that has not taken it yet. Returns (delivered, failed).
pub async fn deliver(
    db: &Db,
    cfg: &AlertsConfig,
    every: bool,
    metrics: Option<&crate::metrics::Metrics>,
) -> anyhow::Result<(usize, usize)> {
    let webhook = !cfg.webhook.is_empty();
    let command = !cfg.command.is_empty();
    if !webhook && !command {
        return Ok((0, 0));
    }
    let now = archive::index::index_time(&Utc::now());
    let due = store::due(db, &now, webhook, command, every).await?;
    let (mut ok, mut failed) = (0, 0);
    for a in due {
        let doc = document(&a);
        let mut errors = Vec::new();
        if webhook && a.webhook_at.is_none() {
            match post(&cfg.webhook, &doc, cfg.timeout).await {
                Ok(()) => {
                    store::delivered(db, a.id, Sink::Webhook, &now).await?;
                }
                Err(e) => errors.push(format!("webhook: {e}")),
            }
        }
        if command && a.command_at.is_none() {
            match run(&cfg.command, &doc, cfg.timeout).await {
                Ok(()) => store::delivered(db, a.id, Sink::Command, &now).await?,
                Err(e) => errors.push(format!("command: {e}")),
            }
        }
        if errors.is_empty() {
            ok += 1;
            continue;
        }
        failed += 1;
        let error = errors.join("; ");
        let attempts = a.attempts as u32 + 1;
        let next = (attempts < cfg.max_attempts).then(|| {
            let wait = cfg
                .retry_backoff
                .saturating_mul(2u32.saturating_pow(attempts - 1))
                .min(Duration::from_secs(3600));
            archive::index::index_time(
                &(Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default()),
            )
        });
        match &next {
            Some(at) => tracing::warn!(
                alert = a.id,
                "alert not delivered ({error}); trying again at {at}"
            ),
            None => tracing::error!(
                alert = a.id,
                "alert not delivered after {attempts} attempts ({error}); giving up: it stays \
                 in `nightjar alerts`"
            ),
        }
        if let Some(m) = metrics {
            m.alert_delivery_failed();
        }
        store::failed(db, a.id, &error, next.as_deref()).await?;
    }
    Ok((ok, failed))
}

/// Runs until `stop`: announces and delivers alerts every second.
pub async fn run_outbox(
    db: Db,
    cfg: impl Fn() -> AlertsConfig,
    metrics: Option<std::sync::Arc<crate::metrics::Metrics>>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let m = metrics.as_deref();
        if let Err(e) = announce(&db, m).await {
            tracing::warn!("alerts not announced: {e:#}");
        }
        if let Err(e) = deliver(&db, &cfg(), false, m).await {
            tracing::warn!("alerts not delivered: {e:#}");
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// POSTs the document to the webhook; any 2xx is a delivery.
async fn post(url: &str, doc: &str, limit: Duration) -> anyhow::Result<()> {
    let (status, _) = crate::outbound::send(crate::outbound::Call {
        method: hyper::Method::POST,
        url,
        content_type: Some("application/json"),
        bearer: None,
        body: doc.as_bytes().to_vec(),
        ca_file: None,
        limit,
    })
    .await?;
    anyhow::ensure!(status.is_success(), "the webhook answered {status}");
    Ok(())
}

/// Runs the command with the document on its standard input; exit status 0 is a delivery.
async fn run(argv: &[String], doc: &str, limit: Duration) -> anyhow::Result<()> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| anyhow::anyhow!("alerts.command is empty"))?;
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot start {program}: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let doc = doc.to_string();
    let done = async move {
        stdin.write_all(doc.as_bytes()).await?;
        stdin.write_all(b"\n").await?;
        drop(stdin);
        child.wait_with_output().await
    };
    let out = tokio::time::timeout(limit, done)
        .await
        .map_err(|_| anyhow::anyhow!("{program} did not finish within {limit:?}"))??;
    anyhow::ensure!(
        out.status.success(),
        "{program} exited with {}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(())
}
