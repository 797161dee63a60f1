//! Tasks: what a person must do for a seed's session, raised by the crawler and answered in
//! the console, the API or by replacing a cookies file.
//!
//! A task lives in the daemon's memory with its seed's session (a restart logs in afresh and
//! raises a new one if a person is needed again); every step of it (raised, answered,
//! skipped, expired, done) is written to the audit log by the engine, with who answered.

use serde::Serialize;

/// Why a person is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskKind {
    /// The login form shows a CAPTCHA: type its answer (or paste fresh cookies).
    Captcha,
    /// The session is lost and nightjar cannot log in by itself: paste fresh cookies (or
    /// replace the cookies file).
    Cookies,
    /// Logging in failed too often: check the credentials, then retry (or paste cookies).
    LoginFailed,
}

impl TaskKind {
    /// The kind's name.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::Captcha => "captcha",
            TaskKind::Cookies => "cookies",
            TaskKind::LoginFailed => "login-failed",
        }
    }
}

/// Where a task stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskState {
    /// Waiting for a person.
    Open,
    /// A person answered; the login is being tried.
    Answered,
    /// The session is back.
    Done,
    /// A person chose not to answer now; the seed stays paused.
    Skipped,
    /// Nobody answered in time; the seed stays paused.
    Expired,
}

/// A task as the API, the console and the status show it (no secret in it).
#[derive(Clone, Debug, Serialize)]
pub struct Task {
    /// Its ID.
    pub id: String,
    /// The seed (its label).
    pub seed: String,
    /// The session's account label.
    pub account: String,
    /// Why a person is asked.
    pub kind: TaskKind,
    /// Where it stands.
    pub state: TaskState,
    /// What happened, in words.
    pub why: String,
    /// When it was raised (RFC 3339).
    pub raised: String,
    /// When it expires if nobody answers (RFC 3339).
    pub expires: String,
    /// The archived CAPTCHA image (a capture ID), for a CAPTCHA task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captcha_capture: Option<i64>,
    /// Who answered or skipped it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// What the answers may be: `captcha`, `cookies`, `retry`.
    pub answers: Vec<&'static str>,
}

impl Task {
    /// Whether a person may still act on it (an open one, or one skipped or expired whose
    /// seed still waits: cookies or a retry bring the session back; a stale CAPTCHA does
    /// not).
    pub fn takes(&self, answer: &str) -> bool {
        match self.state {
            TaskState::Open => self.answers.contains(&answer),
            TaskState::Skipped | TaskState::Expired => {
                answer != "captcha" && self.answers.contains(&answer)
            }
            _ => false,
        }
    }
}
