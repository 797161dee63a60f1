//! A form login: the site's own login form, filled in as a browser would.
//!
//! The form is read from the login page as served (so the hidden fields a site checks, CSRF
//! tokens among them, go back as they came), the account's user name and password go into
//! the fields the seed names, and a person's CAPTCHA answer into the CAPTCHA field. This is
//! the only POST the crawler sends. A form that would send the password in a URL (GET) or to
//! another host is refused: the credentials go only where the operator pointed them.
//!
//! What is archived of it: the login page and the CAPTCHA image as captured, and the POST
//! with the user name and password values replaced by `[redacted]` (the field names, the
//! CSRF token and the CAPTCHA answer as sent), the response as received (its cookies
//! redacted like every session's, see [`super::redact_response`]).

use std::path::Path;

use anyhow::{bail, Context};
use frontier::seed::LoginForm;
use scraper::{ElementRef, Html, Selector};
use url::Url;

/// What a redacted field's value is archived as.
pub const REDACTED: &str = "[redacted]";

/// An account's user name and password, read from its credentials file when a login needs
/// them (so a changed file is used at the next login) and never printed.
pub struct Credentials {
    username: String,
    password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials([redacted])")
    }
}

/// Reads a credentials file: the user name on the first line, the password on the second
/// (line ends aside, every character counts).
pub fn read_credentials(path: &Path) -> anyhow::Result<Credentials> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the credentials file {}", path.display()))?;
    let mut lines = text.lines();
    let (Some(username), Some(password)) = (lines.next(), lines.next()) else {
        bail!(
            "the credentials file {} needs two lines: the user name, then the password",
            path.display()
        );
    };
    if username.is_empty() || password.is_empty() {
        bail!(
            "the credentials file {}: the user name or the password is empty",
            path.display()
        );
    }
    Ok(Credentials {
        username: username.to_string(),
        password: password.to_string(),
    })
}

/// The login form as found on the login page.
#[derive(Clone, Debug)]
pub struct FoundForm {
    /// Where the form is sent (same host as the login page).
    pub action: Url,
    /// The form's other named fields with their values as served, in document order (hidden
    /// CSRF tokens among them).
    pub fields: Vec<(String, String)>,
    /// Whether the form has the seed's CAPTCHA field (a person must answer).
    pub captcha: bool,
    /// The CAPTCHA image the form shows.
    pub captcha_image: Option<Url>,
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

/// Finds the login form on `html` (the page at `page`): the form with the seed's password
/// field. Errors say what is missing, for the operator.
pub fn find_form(html: &str, page: &Url, spec: &LoginForm) -> anyhow::Result<FoundForm> {
    let doc = Html::parse_document(html);
    let forms = sel("form");
    let controls = sel("input, select, textarea, button");
    let Some(form) = doc.select(&forms).find(|f| {
        f.select(&controls)
            .any(|c| c.value().attr("name") == Some(spec.password_field.as_str()))
    }) else {
        bail!(
            "the login page has no form with the password field '{}' (set password_field to the field's name)",
            spec.password_field
        );
    };
    let method = form.value().attr("method").unwrap_or("get");
    if !method.trim().eq_ignore_ascii_case("post") {
        bail!("the login form is sent with {method}: nightjar never puts a password in a URL");
    }
    let action = match form.value().attr("action").map(str::trim) {
        None | Some("") => page.clone(),
        Some(a) => page
            .join(a)
            .with_context(|| format!("the login form's action '{a}' is not a URL"))?,
    };
    if action.host_str() != page.host_str()
        || action.port_or_known_default() != page.port_or_known_default()
        || (page.scheme() == "https" && action.scheme() != "https")
    {
        bail!("the login form is sent to {action}, not to the login page's own site: the credentials are not sent");
    }
    let mut fields = Vec::new();
    let mut has_captcha = false;
    let mut submitter = false;
    let ours = [
        spec.username_field.as_str(),
        spec.password_field.as_str(),
        spec.captcha_field.as_deref().unwrap_or_default(),
    ];
    for c in form.select(&controls) {
        let el = c.value();
        let Some(name) = el.attr("name").filter(|n| !n.is_empty()) else {
            continue;
        };
        if el.attr("disabled").is_some() {
            continue;
        }
        if spec.captcha_field.as_deref() == Some(name) {
            has_captcha = true;
        }
        if ours.contains(&name) {
            continue;
        }
        let kind = el.attr("type").unwrap_or("").to_ascii_lowercase();
        let value = match (el.name(), kind.as_str()) {
            ("button", "submit" | "") | ("input", "submit" | "image") => {
                // A browser sends the button it was submitted with: the first.
                if std::mem::replace(&mut submitter, true) {
                    continue;
                }
                el.attr("value").unwrap_or_default().to_string()
            }
            ("button", _) | ("input", "button" | "reset" | "file") => continue,
            ("input", "checkbox" | "radio") => {
                if el.attr("checked").is_none() {
                    continue;
                }
                el.attr("value").unwrap_or("on").to_string()
            }
            ("select", _) => selected_option(c),
            ("textarea", _) => c.text().collect(),
            _ => el.attr("value").unwrap_or_default().to_string(),
        };
        fields.push((name.to_string(), value));
    }
    let captcha_image = if has_captcha {
        let imgs: Vec<ElementRef> = form.select(&sel("img[src]")).collect();
        let looks = |i: &&ElementRef| {
            ["src", "id", "class", "alt", "name"].iter().any(|a| {
                i.value()
                    .attr(a)
                    .is_some_and(|v| v.to_ascii_lowercase().contains("captcha"))
            })
        };
        let img = imgs.iter().find(looks).or(imgs.first()).with_context(|| {
            "the login form asks for a CAPTCHA but shows no image in the form".to_string()
        })?;
        let src = img.value().attr("src").unwrap_or_default();
        Some(
            page.join(src)
                .with_context(|| format!("the CAPTCHA image '{src}' is not a URL"))?,
        )
    } else {
        None
    };
    Ok(FoundForm {
        action,
        fields,
        captcha: has_captcha,
        captcha_image,
    })
}

fn selected_option(select: ElementRef) -> String {
    let options: Vec<ElementRef> = select.select(&sel("option")).collect();
    let pick = options
        .iter()
        .find(|o| o.value().attr("selected").is_some())
        .or(options.first());
    pick.map(|o| {
        o.value()
            .attr("value")
            .map(str::to_string)
            .unwrap_or_else(|| o.text().collect::<String>().trim().to_string())
    })
    .unwrap_or_default()
}

/// The form's body as sent (`application/x-www-form-urlencoded`), and as archived (the user
/// name and password values replaced by [`REDACTED`]).
pub fn form_body(
    found: &FoundForm,
    spec: &LoginForm,
    creds: &Credentials,
    captcha_answer: Option<&str>,
) -> (Vec<u8>, Vec<u8>) {
    let mut sent = url::form_urlencoded::Serializer::new(String::new());
    let mut archived = url::form_urlencoded::Serializer::new(String::new());
    let mut both = |k: &str, sent_value: &str, archived_value: &str| {
        sent.append_pair(k, sent_value);
        archived.append_pair(k, archived_value);
    };
    both(&spec.username_field, &creds.username, REDACTED);
    both(&spec.password_field, &creds.password, REDACTED);
    if let (Some(field), Some(answer)) = (&spec.captcha_field, captcha_answer) {
        both(field, answer, answer);
    }
    for (k, v) in &found.fields {
        both(k, v, v);
    }
    (sent.finish().into_bytes(), archived.finish().into_bytes())
}

/// The login request as archived: its head with the cookies redacted and the
/// `Content-Length` of the archived body, then that body (`archived_body`, from
/// [`form_body`]) in place of the one sent.
pub fn archived_request(raw: &[u8], archived_body: &[u8]) -> Vec<u8> {
    let head_end = super::first_blank_line(raw);
    let head = super::redact_request(&raw[..head_end]);
    let mut out = Vec::with_capacity(head.len() + archived_body.len());
    for line in head.split_inclusive(|b| *b == b'\n') {
        let is_length = line.iter().position(|b| *b == b':').is_some_and(|c| {
            line[..c]
                .trim_ascii()
                .eq_ignore_ascii_case(b"content-length")
        });
        if is_length {
            out.extend_from_slice(
                format!("Content-Length: {}\r\n", archived_body.len()).as_bytes(),
            );
        } else {
            out.extend_from_slice(line);
        }
    }
    out.extend_from_slice(archived_body);
    out
}

/// Whether the site took the login, from its answer: a redirect away from the login page,
/// or a page without the login form (and with the logged-in text, when the seed names one).
pub fn accepted(
    spec: &frontier::seed::SessionSpec,
    status: u16,
    redirect: Option<&Url>,
    page: Option<(&str, &str)>,
) -> Result<(), String> {
    let form = spec.form.as_ref().expect("a form login");
    match status {
        300..=399 => match redirect {
            Some(to) if super::is_login_page(spec, to) => {
                Err("the site sent the login back to its login page".into())
            }
            Some(_) => Ok(()),
            None => Err(format!("HTTP {status} without a Location")),
        },
        200..=299 => {
            let (html, text) = page.unwrap_or_default();
            let doc = Html::parse_document(html);
            let again = doc
                .select(&sel("input, textarea"))
                .any(|c| c.value().attr("name") == Some(form.password_field.as_str()));
            if again {
                return Err("the site answered with its login form again: the credentials or the CAPTCHA answer were refused".into());
            }
            match super::state_of(spec, text, None) {
                super::SessionState::LoggedIn => Ok(()),
                super::SessionState::Lost(why) => Err(format!("after the login, {why}")),
            }
        }
        s => Err(format!("the site answered the login with HTTP {s}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> LoginForm {
        LoginForm {
            username_field: "user".into(),
            password_field: "pass".into(),
            captcha_field: Some("captcha".into()),
            credentials: "x".into(),
        }
    }

    const PAGE: &str = r#"<html><body>
        <form action="/search" method="get"><input name="q"></form>
        <form action="/login?do=1" method="POST" id="login">
          <input type="hidden" name="csrf" value="T0K&amp;EN">
          <input name="user"> <input type="password" name="pass">
          <img src="/static/logo.png"> <img src="/captcha.png?n=4" alt="code">
          <input name="captcha">
          <input type="checkbox" name="remember" checked> <input type="checkbox" name="spam">
          <select name="lang"><option value="en">English</option><option value="ru" selected>Русский</option></select>
          <input type="submit" name="go" value="Log in"> <input type="submit" name="other" value="Other">
          <input name="off" value="1" disabled>
        </form></body></html>"#;

    #[test]
    fn the_form_is_read_as_a_browser_would_send_it() {
        let page = Url::parse("http://f.test/login").unwrap();
        let found = find_form(PAGE, &page, &spec()).unwrap();
        assert_eq!(found.action.as_str(), "http://f.test/login?do=1");
        assert!(found.captcha);
        assert_eq!(
            found.captcha_image.as_ref().map(Url::as_str),
            Some("http://f.test/captcha.png?n=4")
        );
        let names: Vec<_> = found
            .fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(
            names,
            ["csrf=T0K&EN", "remember=on", "lang=ru", "go=Log in"]
        );
        let creds = Credentials {
            username: "agent".into(),
            password: "p&ss w0rd".into(),
        };
        let (sent, archived) = form_body(&found, &spec(), &creds, Some("X7K2"));
        let sent = String::from_utf8(sent).unwrap();
        let archived = String::from_utf8(archived).unwrap();
        assert!(
            sent.starts_with("user=agent&pass=p%26ss+w0rd&captcha=X7K2&csrf=T0K%26EN"),
            "{sent}"
        );
        assert!(
            !archived.contains("agent") && !archived.contains("w0rd"),
            "{archived}"
        );
        assert!(
            archived.contains("captcha=X7K2&csrf=T0K%26EN"),
            "{archived}"
        );
        let raw = format!("POST /login?do=1 HTTP/1.1\r\nHost: f.test\r\nCookie: pre=ABC\r\nContent-Length: {}\r\n\r\n{sent}", sent.len());
        let rec = String::from_utf8(archived_request(raw.as_bytes(), archived.as_bytes())).unwrap();
        assert!(!rec.contains("w0rd") && !rec.contains("pre=ABC"), "{rec}");
        assert!(
            rec.contains(&format!(
                "Content-Length: {}\r\n\r\n{archived}",
                archived.len()
            )),
            "{rec}"
        );
    }

    #[test]
    fn a_form_that_would_leak_the_password_is_refused() {
        let page = Url::parse("https://f.test/login").unwrap();
        let get = r#"<form action="/login"><input name="user"><input name="pass"></form>"#;
        assert!(find_form(get, &page, &spec())
            .unwrap_err()
            .to_string()
            .contains("never puts a password in a URL"));
        let away = r#"<form method="post" action="https://evil.test/x"><input name="pass"></form>"#;
        assert!(find_form(away, &page, &spec())
            .unwrap_err()
            .to_string()
            .contains("not to the login page's own site"));
        let plain = r#"<form method="post" action="http://f.test/x"><input name="pass"></form>"#;
        assert!(find_form(plain, &page, &spec()).is_err());
        let none = r#"<form method="post"><input name="password"></form>"#;
        assert!(find_form(none, &page, &spec())
            .unwrap_err()
            .to_string()
            .contains("password_field"));
        let no_image = r#"<form method="post"><input name="pass"><input name="captcha"></form>"#;
        assert!(find_form(no_image, &page, &spec())
            .unwrap_err()
            .to_string()
            .contains("no image"));
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("c");
        std::fs::write(&f, "only-a-name\n").unwrap();
        assert!(read_credentials(&f)
            .unwrap_err()
            .to_string()
            .contains("two lines"));
        std::fs::write(&f, "agent\n s3cret \n").unwrap();
        let c = read_credentials(&f).unwrap();
        assert_eq!(
            (c.username.as_str(), c.password.as_str()),
            ("agent", " s3cret ")
        );
        assert_eq!(format!("{c:?}"), "Credentials([redacted])");
    }
}
