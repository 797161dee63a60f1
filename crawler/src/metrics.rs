//! Prometheus metrics of the daemon, served on a loopback address (`GET /metrics`).
//!
//! Counters and histograms are updated by the crawl loop as captures land; gauges that mirror
//! the database (queue depth by host, frontier states) are read fresh at each scrape, so a
//! scrape never sees numbers older than itself. Loopback only: metrics name the hosts being
//! watched, which is itself sensitive in an investigation.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Request, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use frontier::Frontier;

type Labels = Vec<(String, String)>;

fn label(name: &str, value: &str) -> Labels {
    vec![(name.to_string(), value.to_string())]
}

fn latency_histogram() -> Histogram {
    // 10 ms to about 160 s: loopback fetches and slow onion services both land in a bucket.
    Histogram::new(exponential_buckets(0.01, 2.0, 15))
}

/// The instruments, and the registry that names them.
pub struct Metrics {
    registry: Registry,
    pages: Family<Labels, Counter>,
    robots: Family<Labels, Counter>,
    response_bytes: Family<Labels, Counter>,
    warc_bytes: Counter,
    errors: Family<Labels, Counter>,
    retries: Family<Labels, Counter>,
    hosts_stopped: Family<Labels, Counter>,
    latency: Family<Labels, Histogram, fn() -> Histogram>,
    queue_by_host: Family<Labels, Gauge>,
    urls_by_state: Family<Labels, Gauge>,
    recovered: Family<Labels, Counter>,
    reloads: Family<Labels, Counter>,
    paused: Family<Labels, Gauge>,
    seeds_active: Gauge,
    start_time: Gauge,
    alerts: Family<Labels, Counter>,
    alert_delivery_failures: Counter,
    session_losses: Counter,
    logins: Family<Labels, Counter>,
    tasks_open: Gauge,
    sessions_paused: Gauge,
    hosts_held: Gauge,
    host_leases: Family<Labels, Counter>,
    retention: Family<Labels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("nightjar");
        let m = Metrics {
            registry: Registry::default(),
            pages: Family::default(),
            robots: Family::default(),
            response_bytes: Family::default(),
            warc_bytes: Counter::default(),
            errors: Family::default(),
            retries: Family::default(),
            hosts_stopped: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
            queue_by_host: Family::default(),
            urls_by_state: Family::default(),
            recovered: Family::default(),
            reloads: Family::default(),
            paused: Family::default(),
            seeds_active: Gauge::default(),
            start_time: Gauge::default(),
            alerts: Family::default(),
            alert_delivery_failures: Counter::default(),
            session_losses: Counter::default(),
            logins: Family::default(),
            tasks_open: Gauge::default(),
            sessions_paused: Gauge::default(),
            hosts_held: Gauge::default(),
            host_leases: Family::default(),
            retention: Family::default(),
        };
        registry.register(
            "retention_captures",
            "Captures by retention standing (due_for_erasure: past retention, erased at the next check; held: past retention, kept by a legal hold; due_for_review: past the review period), holds in force (holds), erasure requests waiting for approval (requests_waiting) and erasures carried out (erasures)",
            m.retention.clone(),
        );
        registry.register(
            "pages_fetched",
            "Pages archived (robots.txt not included), by route (direct, tor)",
            m.pages.clone(),
        );
        registry.register(
            "robots_fetched",
            "robots.txt responses archived, by route",
            m.robots.clone(),
        );
        registry.register(
            "response_bytes",
            "HTTP response bytes archived as received, by route",
            m.response_bytes.clone(),
        );
        registry.register(
            "warc_bytes_written",
            "Bytes written to WARC files (compressed records)",
            m.warc_bytes.clone(),
        );
        registry.register(
            "fetch_errors",
            "Failed fetch attempts, by class (transient, site-down, permanent, policy, …)",
            m.errors.clone(),
        );
        registry.register(
            "fetch_retries",
            "Answers asked for again, by reason (throttled: 429/503/Retry-After, the host waits; server-error: other 5xx)",
            m.retries.clone(),
        );
        registry.register(
            "hosts_stopped",
            "Hosts stopped for the rest of a seed's pass, by reason (link-farm, host-budget)",
            m.hosts_stopped.clone(),
        );
        registry.register(
            "fetch_duration_seconds",
            "Time from request to the last byte of the response, by route",
            m.latency.clone(),
        );
        registry.register(
            "queue_depth",
            "URLs queued for fetching, by host (host:port)",
            m.queue_by_host.clone(),
        );
        registry.register(
            "frontier_urls",
            "URLs known to the frontier, by state",
            m.urls_by_state.clone(),
        );
        registry.register(
            "recovered",
            "What crash recovery repaired: open files closed, records indexed, torn bytes set aside",
            m.recovered.clone(),
        );
        registry.register(
            "reloads",
            "Reloads of the configuration and seed lists, by result",
            m.reloads.clone(),
        );
        registry.register(
            "crawl_paused",
            "1 while crawling is paused, by reason (disk-full)",
            m.paused.clone(),
        );
        registry.register(
            "seeds_active",
            "Seeds this daemon crawls",
            m.seeds_active.clone(),
        );
        registry.register("alerts", "Alerts raised, by watch", m.alerts.clone());
        registry.register(
            "alert_delivery_failures",
            "Failed attempts to deliver an alert to its sinks",
            m.alert_delivery_failures.clone(),
        );
        registry.register(
            "sessions_lost",
            "Logged-in sessions found lost (a logged-out page, a redirect to the login page, a login cookie gone)",
            m.session_losses.clone(),
        );
        registry.register(
            "logins",
            "Form logins, by result (ok, failed, captcha: waiting for a person)",
            m.logins.clone(),
        );
        registry.register(
            "session_tasks_open",
            "Tasks waiting for a person (a CAPTCHA, fresh cookies, a failed login)",
            m.tasks_open.clone(),
        );
        registry.register(
            "sessions_paused",
            "Seeds paused because their session is lost",
            m.sessions_paused.clone(),
        );
        registry.register(
            "node_hosts_held",
            "Hosts this node holds a lease on (nodes sharing a PostgreSQL database)",
            m.hosts_held.clone(),
        );
        registry.register(
            "node_host_leases",
            "Host lease changes on this node: taken, released, lost (to another node), and \
             URLs a dead holder left in flight, requeued",
            m.host_leases.clone(),
        );
        registry.register(
            "start_time_seconds",
            "When the daemon started (Unix time)",
            m.start_time.clone(),
        );
        m.start_time.set(chrono::Utc::now().timestamp());
        m.set_paused("disk-full", false);
        Metrics { registry, ..m }
    }
}

impl Metrics {
    /// A session was found lost.
    pub fn session_lost(&self) {
        self.session_losses.inc();
    }

    /// A form login ended (`ok`, `failed`) or waits for a person (`captcha`).
    pub fn login(&self, result: &str) {
        self.logins.get_or_create(&label("result", result)).inc();
    }

    /// A round of host leasing (see `frontier::leases`).
    pub fn lease_round(&self, r: &frontier::leases::LeaseRound) {
        self.hosts_held.set(r.held as i64);
        for (what, n) in [
            ("taken", r.taken as u64),
            ("released", r.released as u64),
            ("lost", r.lost as u64),
            ("requeued", r.requeued),
        ] {
            self.host_leases
                .get_or_create(&label("event", what))
                .inc_by(n);
        }
    }

    /// Open tasks and paused sessions now.
    pub fn set_sessions(&self, tasks_open: usize, paused: usize) {
        self.tasks_open.set(tasks_open as i64);
        self.sessions_paused.set(paused as i64);
    }

    /// A response archived: a page, or robots.txt (`robots`).
    pub fn page(
        &self,
        route: &str,
        robots: bool,
        response_bytes: u64,
        warc_bytes: u64,
        took: Duration,
    ) {
        match robots {
            false => &self.pages,
            true => &self.robots,
        }
        .get_or_create(&label("route", route))
        .inc();
        self.response_bytes
            .get_or_create(&label("route", route))
            .inc_by(response_bytes);
        self.warc_bytes.inc_by(warc_bytes);
        self.latency
            .get_or_create(&label("route", route))
            .observe(took.as_secs_f64());
    }

    /// Bytes written to WARC files outside a capture (checkpoints, warcinfo).
    pub fn warc_written(&self, bytes: u64) {
        self.warc_bytes.inc_by(bytes);
    }

    /// Counts a host stopped for the rest of a pass (`link-farm`, `host-budget`).
    pub fn host_stopped(&self, reason: &str) {
        self.hosts_stopped
            .get_or_create(&label("reason", reason))
            .inc();
    }

    /// Counts an answer that will be asked for again (`throttled` or `server-error`).
    pub fn retry(&self, reason: &str) {
        self.retries.get_or_create(&label("reason", reason)).inc();
    }

    /// Counts a failed fetch attempt.
    pub fn error(&self, class: archive::index::FailureClass) {
        self.errors
            .get_or_create(&label("class", class.as_str()))
            .inc();
    }

    /// What a recovery did.
    pub fn recovery(&self, files: usize, records: usize, torn_bytes: u64) {
        let add = |what: &str, n: u64| {
            self.recovered.get_or_create(&label("what", what)).inc_by(n);
        };
        add("files", files as u64);
        add("records", records as u64);
        add("torn_bytes", torn_bytes);
    }

    /// The retention standing, as `nightjar retention` shows it.
    pub fn retention(&self, s: &crate::retention::Standing) {
        let sum =
            |f: fn(&crate::retention::SeedStanding) -> i64| s.seeds.iter().map(f).sum::<i64>();
        for (what, n) in [
            ("due_for_erasure", sum(|x| x.due_for_erasure)),
            ("held", sum(|x| x.held)),
            ("due_for_review", sum(|x| x.due_for_review)),
            ("holds", s.holds),
            ("requests_waiting", s.requests_waiting),
            ("erasures", s.erasures),
        ] {
            self.retention.get_or_create(&label("what", what)).set(n);
        }
    }

    /// A reload, applied or refused.
    pub fn reload(&self, ok: bool) {
        let result = if ok { "applied" } else { "refused" };
        self.reloads.get_or_create(&label("result", result)).inc();
    }

    /// Whether crawling is paused for `reason`.
    pub fn set_paused(&self, reason: &str, paused: bool) {
        self.paused
            .get_or_create(&label("reason", reason))
            .set(i64::from(paused));
    }

    /// An alert raised by watch `watch`.
    pub fn alert_raised(&self, watch: &str) {
        self.alerts.get_or_create(&label("watch", watch)).inc();
    }

    /// A failed delivery attempt.
    pub fn alert_delivery_failed(&self) {
        self.alert_delivery_failures.inc();
    }

    /// How many seeds are crawled.
    pub fn set_seeds(&self, n: usize) {
        self.seeds_active.set(n as i64);
    }

    /// The text exposition, with the queue's gauges read from `frontier` now.
    pub async fn render(&self, frontier: &Frontier) -> anyhow::Result<String> {
        let by_host = frontier.queued_by_host().await?;
        self.queue_by_host.clear();
        for (host, n) in by_host {
            self.queue_by_host
                .get_or_create(&label("host", &host))
                .set(n);
        }
        self.urls_by_state.clear();
        for (state, n) in frontier.counts().await? {
            self.urls_by_state
                .get_or_create(&label("state", state.as_str()))
                .set(n);
        }
        let mut out = String::new();
        encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// Serves `GET /metrics` on `addr` until the process ends: `metrics`, with the queue gauges
/// read from `frontier` at each scrape. Returns the bound address (port 0 picks a free one).
pub async fn serve(
    metrics: Arc<Metrics>,
    frontier: Arc<Frontier>,
    addr: SocketAddr,
) -> anyhow::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                // Out of descriptors, most likely: try again shortly, not in a tight loop.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            let (metrics, frontier) = (metrics.clone(), frontier.clone());
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                        let (metrics, frontier) = (metrics.clone(), frontier.clone());
                        async move {
                            Ok::<_, std::convert::Infallible>(
                                respond(&metrics, &frontier, &req).await,
                            )
                        }
                    });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    });
    Ok(bound)
}

async fn respond<B>(
    metrics: &Metrics,
    frontier: &Frontier,
    req: &Request<B>,
) -> Response<Full<Bytes>> {
    let reply = |status: u16, ctype: &str, body: String| {
        Response::builder()
            .status(status)
            .header("content-type", ctype)
            .body(Full::new(Bytes::from(body)))
            .expect("static response parts")
    };
    // A web page in a local browser could reach a loopback port through DNS rebinding; its
    // requests carry the attacker's host name.
    let host = req
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = host.rsplit_once(':').map_or(host, |(n, _)| n);
    if !matches!(name, "127.0.0.1" | "localhost" | "[::1]" | "") && !name.starts_with("127.") {
        return reply(
            403,
            "text/plain",
            "metrics answer loopback names only\n".into(),
        );
    }
    if req.uri().path() != "/metrics" {
        return reply(404, "text/plain", "not found: try /metrics\n".into());
    }
    if req.method() != hyper::Method::GET && req.method() != hyper::Method::HEAD {
        return reply(405, "text/plain", "use GET\n".into());
    }
    match metrics.render(frontier).await {
        Ok(text) => reply(
            200,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
            text,
        ),
        Err(e) => reply(
            500,
            "text/plain",
            format!("cannot read the frontier: {e:#}\n"),
        ),
    }
}
