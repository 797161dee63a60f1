//! What changes on a page without the page changing: clocks, relative times, view counters,
//! tokens and session IDs in links.
//!
//! A market listing re-rendered a minute later says "generated at 14:04" instead of 14:03,
//! "Views: 1,235" instead of 1,234, and links to `?sid=<new session>`. Compared as they are,
//! such captures look `changed`, and the real edits an analyst looks for (a price, a phone
//! number, a new mirror address) drown among them. So before two captures are compared, the
//! visible text and the links are brought to a *stable form*: each volatile token is
//! replaced by a placeholder naming its kind (`⟨time⟩`, `⟨count⟩`, …), session and
//! cache-busting parameters are dropped from links, and a seed's own `ignore_text`
//! patterns are removed. Two captures with the same stable form differ only in such tokens:
//! the change index calls them `cosmetic`. The stored text is never altered; only the
//! comparison uses the stable form.
//!
//! The rules lean towards keeping a token: numbers are volatile only where their context says
//! so (a time of day, a date, a word such as "views" or "online" next to them), so a price, a
//! stock count, an age or a phone number always counts as content. Long random-looking
//! strings are volatile only after a word that names them (token, nonce, request ID,
//! session): a crypto address, a PGP fingerprint or an onion address changing is a change.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// Month names (English, German, French, Spanish, Russian in the genitive and nominative,
/// abbreviated or not) as a regex alternation.
const MONTHS: &str = r"(?:jan(?:uary|uar|vier|\.)?|feb(?:ruary|ruar|\.)?|f[ée]vr(?:ier|\.)?|mar(?:ch|\.)?|m[äa]rz|mars|apr(?:il|\.)?|avr(?:il|\.)?|may|mai|jun(?:e|i|\.)?|juin|jul(?:y|i|\.)?|juil(?:let|\.)?|aug(?:ust|\.)?|ao[uû]t|sep(?:tember|tembre|t|\.)?|oct(?:ober|obre|\.)?|okt(?:ober|\.)?|nov(?:ember|embre|\.)?|dec(?:ember|\.)?|dez(?:ember|\.)?|d[ée]c(?:embre|\.)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|январ[ья]|феврал[ья]|март[а]?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|август[а]?|сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья]|янв\.?|февр?\.?|апр\.?|авг\.?|сент?\.?|окт\.?|нояб?\.?|дек\.?|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня|ianuarie|februarie|martie|aprilie|iunie|iulie|septembrie|octombrie|noiembrie|decembrie|januari|februari|maart|mei|juni|juli|augustus|oktober|ocak|şubat|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık)";

/// Weekday names, which often lead a date.
const WEEKDAYS: &str = r"(?:mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|пн|вт|ср|чт|пт|сб|вс)";

/// Words that make the number beside them a counter of visits, readers or load.
const COUNTED: &str = r"(?:views?|page ?views|downloads?|descargas|téléchargements|скачиван(?:ий|ия)|загруз(?:ок|ки)|wyświetle(?:ń|nia)|odsłon(?:y)?|visualizações|visualizzazioni|visite|переглядів|перегляд(?:и|у)?|vizualizări|lượt xem|görüntülenme|weergaven|visits?|visitors?(?: today| online)?|hits|reads|impressions|(?:active |registered |hidden )?users(?: online)?|users? online|(?:active )?members(?: online)?|members? online|guests(?: online)?|guests? online|registered|hidden|bots|online(?: now)?|watching|watchers|queries|requests|sql queries|db queries|просмотр(?:ов|а|ы)?(?: темы| страницы)?|посетител(?:ей|я|и)|посещени(?:й|я)|пользовател(?:ей|я|и)|гост(?:ей|я|и)|участник(?:ов|а)?|онлайн|сейчас на (?:сайте|форуме)|запрос(?:ов|а)?|aufrufe|besucher(?: online)?|gäste|mitglieder|zugriffe|vues|visites|visiteurs|invités|membres|requêtes(?: exécutées)?|en ligne|visitas|vistas|visitantes|invitados|miembros|en línea|閲覧数?|浏览(?:量|次数)?|阅读|访问量|在线人数|在线|人在线|次浏览|次阅读)";

/// Words that name the random-looking string after them as a token.
///
/// Not "session" or "token" alone: Session is also a messenger whose IDs vendors publish
/// ("Session ID: 05…"), and a token's contract address is content ("Token: 0xdAC1…").
const TOKEN_WORDS: &str = r"(?:csrf(?:[ _-]?token)?|xsrf(?:[ _-]?token)?|authenticity[ _-]?token|(?:access|auth|form|page|security)[ _-]?token|nonce|request[ _-]?id|req[ _-]?id|trace[ _-]?id|correlation[ _-]?id|ray[ _-]?id|cf-ray|build(?:[ _-]?id)?|cache[ _-]?key|etag|captcha[ _-]?id|id запроса)";

/// A count as pages write it: 1234, 1,234, 1.234, 1 234 (also with a no-break space),
/// 2,4K.
const NUMBER: &str =
    r"(?:\d{1,3}(?:[,.\u{a0}\u{202f}' ]\d{3})+|\d+)(?:[.,]\d+\s?[KkMmКкМм]\b|\s?[KkКк]\b)?";

/// The text rules, in order: longest forms first, so a date-time is one token, not a date
/// and a time.
static TEXT_RULES: LazyLock<Vec<(Regex, &'static str, bool)>> = LazyLock::new(|| {
    // Each rule runs line by line: the regex engine's fast paths need short haystacks when
    // a pattern has Unicode word boundaries and the text is not ASCII (the whole text at
    // once was six times slower). Digits are ASCII digits, which keeps the automata small.
    let rule = |re: &str, to: &'static str| {
        let re = re.replace(r"\d", "[0-9]");
        // A rule whose digits are optional ("an hour ago", "минуту назад") runs on every
        // line; one that needs a digit only on lines that have one.
        let needs_digit =
            re.contains("[0-9]") && !re.contains("(?:[0-9]+|") && !re.contains(r"(?:[0-9]+\s+)?");
        (
            Regex::new(&re).expect("volatile-token regex"),
            to,
            needs_digit,
        )
    };
    vec![
        // Timings of the page's own rendering.
        rule(
            r"(?i)\b(?:generated|rendered|loaded|created|executed|processed|served|built|page (?:generated|loaded))\s+in\s+\d+(?:[.,]\d+)?\s*(?:ms|s|sec|secs|seconds?|milliseconds?)\b\.?",
            "⟨timing⟩",
        ),
        rule(
            r"(?i)(?:сгенерирован[ао]?|страница сгенерирована|создана)\s+за\s+\d+(?:[.,]\d+)?\s*(?:сек(?:унд[ыа]?)?|мс|с)\.?",
            "⟨timing⟩",
        ),
        rule(
            r"(?i)\b(?:générée?|généré|generiert|erstellt|generad[ao]|cargad[ao])\s+(?:en|in)\s+\d+(?:[.,]\d+)?\s*(?:ms|s|sec|secondes?|sekunden|segundos?)\b\.?",
            "⟨timing⟩",
        ),
        // "Time: 0.563s", "0.614 s", "Peak Memory Usage: 7.37 MiB": the server's own load.
        rule(
            r"(?i)\b(?:(?:page |load |render |execution |query )?time\s*[:=]\s*\d+(?:[.,]\d+)?\s*(?:ms|s|sec|seconds)|(?:peak memory(?: usage)?|memory usage|memory used)\s*[:=]\s*\d+(?:[.,]\d+)?\s*(?:[kmg]i?b|bytes))\b",
            "⟨timing⟩",
        ),
        rule(r"\b\d+[.,]\d+\s?(?:ms|s|sec|secs|сек)\b\.?", "⟨timing⟩"),
        // SMF's "(Read 1985 times)".
        rule(r"(?i)\bread\s+\d+\s+times\b", "⟨count⟩"),
        // ISO 8601 / RFC 3339 date-times, with optional fraction and zone.
        rule(
            r"(?i)\b\d{4}-\d{2}-\d{2}(?:[t ]|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?(?:z|utc|gmt|[+-]\d{2}:?\d{2}))?\b",
            "⟨datetime⟩",
        ),
        // RFC 2822 / HTTP dates: "Tue, 01 Dec 2026 14:03:07 GMT".
        rule(
            &format!(
                r"(?i)\b{WEEKDAYS}\.?,?\s+\d{{1,2}}\.?\s+{MONTHS}\s+\d{{2,4}}(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?(?:\s*(?:gmt|utc|[+-]\d{{4}}|[a-z]{{3,4}}))?\b"
            ),
            "⟨datetime⟩",
        ),
        // CJK dates and times: 2026年12月1日 14:03, 12月1日, 14時03分.
        rule(
            r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*[（(]?[日月火水木金土一二三四五六天][）)]?)?",
            "⟨date⟩",
        ),
        rule(
            r"\d{1,2}\s*[時时点]\s*\d{1,2}\s*分(?:\s*\d{1,2}\s*秒)?",
            "⟨time⟩",
        ),
        // Day-month-year and month-day-year with a month name: "1 Dec 2026", "1. Dezember
        // 2026", "1 декабря 2026 г.", "December 1, 2026", "Dec 1st 2026", "1 de diciembre de
        // 2026".
        rule(
            &format!(
                r"(?i)\b\d{{1,2}}(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?{MONTHS}\.?,?\s+(?:de\s+)?\d{{4}}(?:\s*(?:г\.|года?))?"
            ),
            "⟨date⟩",
        ),
        rule(
            &format!(r"(?i)\b{MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"),
            "⟨date⟩",
        ),
        // Numeric dates: 2026-12-01, 2026/12/01, 01.12.2026, 12/01/2026, 1/12/26 (days and
        // months in range; with dashes only a four-digit year, since 12-34-56 is a phone).
        rule(
            r"\b(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b",
            "⟨date⟩",
        ),
        rule(
            r"\b(?:0?[1-9]|[12]\d|3[01])[./](?:0?[1-9]|[12]\d|3[01])[./](?:(?:19|20)\d{2}|\d{2})\b",
            "⟨date⟩",
        ),
        rule(
            r"\b(?:0?[1-9]|[12]\d|3[01])-(?:0?[1-9]|1[0-2])-(?:19|20)\d{2}\b",
            "⟨date⟩",
        ),
        // A month name and a day without a year, as logs and forums write ("Dec 1 14:03",
        // "1 Dec, 14:03"): only when a time follows, else "Dec 5" may be content.
        rule(
            &format!(
                r"(?i)\b(?:{MONTHS}\.?\s+\d{{1,2}}|\d{{1,2}}\.?\s+{MONTHS}\.?),?\s+(?:at\s+|um\s+|à\s+|в\s+)?\d{{1,2}}:\d{{2}}(?::\d{{2}})?"
            ),
            "⟨datetime⟩",
        ),
        // A weekday before a date is part of it ("Thu ⟨date⟩", "Saturday, ⟨date⟩").
        rule(
            &format!(r"(?i)\b{WEEKDAYS}\.?,?\s+⟨(?:date|datetime)⟩"),
            "⟨date⟩",
        ),
        // Times of day: 14:03, 14:03:07, 2:03 PM, 14:03:07.123 UTC.
        rule(
            r"(?i)\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?[ap]\.?m\.?)?(?:\s?(?:utc|gmt|msk|cet|cest|est|edt|pst|pdt|z|[+-]\d{2}:?\d{2}))?\b",
            "⟨time⟩",
        ),
        // French and others write 14h03.
        rule(r"\b(?:[01]?\d|2[0-3])h[0-5]\d\b", "⟨time⟩"),
        // Unix timestamps of these years (2020 to 2030), in seconds or milliseconds.
        rule(r"\b1[6-8]\d{8}(?:\d{3})?\b", "⟨timestamp⟩"),
        // Relative times.
        rule(
            r"(?i)\b(?:\d+|an?|one|a few|few)\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b",
            "⟨ago⟩",
        ),
        rule(r"(?i)\b\d+\s?(?:s|m|min|h|hr|d|w|mo|y)\s+ago\b", "⟨ago⟩"),
        rule(
            r"(?i)\bvor\s+(?:\d+|einer?|wenigen)\s+(?:sekunden?|minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?|sek\.|min\.|std\.|tg\.)",
            "⟨ago⟩",
        ),
        // Portuguese, Italian, Polish, Ukrainian, Romanian, Dutch, Turkish, Vietnamese, Thai.
        rule(
            r"(?i)\bhá\s+(?:\d+|uma?|alguns|algumas)\s+(?:segundos?|minutos?|horas?|dias?|semanas?|m[eê]s(?:es)?|anos?)\b",
            "⟨ago⟩",
        ),
        rule(
            r"(?i)\b(?:\d+|un'?|una)\s*(?:secondi|secondo|minuti|minuto|ore|ora|giorni|giorno|settimane|settimana|mesi|mese|anni|anno)\s+fa\b",
            "⟨ago⟩",
        ),
        rule(
            r"(?i)\b(?:\d+|jedną)\s+(?:sekund[ęy]?|minut[ęy]?|godzin[ęy]?|dni|dzień|tygodni[e]?|tydzień|miesi[ąę]c[ey]?|miesięcy|lat[a]?|rok)\s+temu\b",
            "⟨ago⟩",
        ),
        rule(
            r"(?i)(?:\d+\s+)?(?:секунд[уи]?|хвилин[уи]?|годин[уи]?|дн(?:і|ів)|день|тижн(?:і|ів|ень)|місяц(?:ь|і|ів)|рок(?:и|ів)?)\s+тому",
            "⟨ago⟩",
        ),
        rule(
            r"(?i)\bacum\s+(?:\d+|o|un|câteva)\s+(?:secunde|secundă|minute|minut|ore|oră|zile|zi|săptămâni|săptămână|luni|lună|ani|an)\b",
            "⟨ago⟩",
        ),
        rule(
            r"(?i)\b(?:\d+|een)\s+(?:seconden|minuten|minuut|uur|dagen|dag|weken|week|maanden|maand|jaar)\s+geleden\b",
            "⟨ago⟩",
        ),
        rule(
            r"(?i)\b\d+\s+(?:saniye|dakika|saat|gün|hafta|ay|yıl)\s+önce\b",
            "⟨ago⟩",
        ),
        rule(
            r"(?i)\b\d+\s+(?:giây|phút|giờ|ngày|tuần|tháng|năm)\s+trước",
            "⟨ago⟩",
        ),
        rule(r"\d+\s*(?:วินาที|นาที|ชั่วโมง|วัน|สัปดาห์|เดือน|ปี)\s*ที่แล้ว", "⟨ago⟩"),
        rule(
            r"(?i)\bil y a\s+(?:\d+|une?|quelques)\s*(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?|min|h|j|s)\b",
            "⟨ago⟩",
        ),
        rule(
            r"(?i)\bhace\s+(?:\d+|una?|unos|unas)\s+(?:segundos?|minutos?|horas?|d[ií]as?|semanas?|mes(?:es)?|años?)\b",
            "⟨ago⟩",
        ),
        rule(
            r"(?i)(?:\d+\s+)?(?:секунд[уы]?|минут[уы]?|час(?:а|ов)?|дн(?:я|ей)|день|недел[юиь]|месяц(?:а|ев)?|год(?:а)?|лет)\s+назад",
            "⟨ago⟩",
        ),
        rule(
            r"\d+\s*(?:秒|秒钟|分钟|分|小时|時間|天|日|周|週間|个月|か月|ヶ月|年)\s*前",
            "⟨ago⟩",
        ),
        rule(
            r"(?i)\b(?:just now|moments? ago|a moment ago|right now|gerade eben|soeben|à l'instant|il y a un instant|ahora mismo|justo ahora|hace un momento|hace unos segundos|hace instantes|только что|刚刚|たった今)",
            "⟨ago⟩",
        ),
        // Counters: a number beside a word that says it counts visits, readers or load
        // (before the day words: "Visitors today: 2,495").
        rule(
            &format!(
                r"(?i)\b{COUNTED}(?:\s+(?:today|heute|сегодня|aujourd'hui|hoy|темы|страницы))?(?:\s*[:：]\s*|\s+){NUMBER}"
            ),
            "⟨count⟩",
        ),
        rule(
            &format!(
                r"(?i)\b{NUMBER}\s*(?:people\s+|persons?\s+|users?\s+|members?\s+|guests?\s+)?{COUNTED}"
            ),
            "⟨count⟩",
        ),
        // "accessed 18,233 times", "visto 1204 vezes", "14 people are viewing this".
        rule(
            &format!(
                r"(?i)\b(?:accessed|viewed|visited|read|downloaded|seen|visto|vista|visualizado|gelesen|aufgerufen|vu|lu|просмотрено|прочитано|переглянуто)\s+{NUMBER}\s+(?:times|vezes|veces|mal|fois|volte|razy|раз(?:а)?|разів)\b"
            ),
            "⟨count⟩",
        ),
        rule(
            &format!(
                r"(?i)\b{NUMBER}\s+(?:people|persons|users|others|visitors)\s+(?:are\s+|is\s+)?(?:viewing|looking at|watching|browsing|online)"
            ),
            "⟨count⟩",
        ),
        // Counted words with a short qualifier before the colon ("Запросов к БД: 17").
        rule(
            &format!(r"(?i)\b{COUNTED}(?:\s+[^\s:：]{{1,4}}){{1,2}}\s*[:：]\s*{NUMBER}"),
            "⟨count⟩",
        ),
        // The server's load split ("89.32% PHP / 10.68% MySQL") and memory in other words.
        rule(
            r"(?i)\d+(?:[.,]\d+)?\s?%\s*(?:php|mysql|sql|db|cpu|gzip)\b",
            "⟨timing⟩",
        ),
        rule(
            r"(?i)\b(?:mémoire|memoire|speicher|память|memoria|pamięć)(?:\s+(?:max|maximale?|peak|utilisée|usage))?\s*[:=]?\s*\d+(?:[.,]\d+)?\s*(?:[kmg]i?b|[kmg]o|кб|мб|гб)\b",
            "⟨timing⟩",
        ),
        // An ID shown as a UUID after a word naming it an ID (a consent or request ID).
        rule(
            r"(?i)id\s*[:=#]\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
            "⟨token⟩",
        ),
        // Relative days are relative times: "yesterday" and "5 hours ago" say the same.
        rule(
            r"(?i)\b(?:yesterday|today|tomorrow|gestern|heute|morgen|hier|aujourd'hui|demain|ayer|hoy|mañana|ontem|hoje|ieri|oggi|wczoraj|dzisiaj|dziś|вчора|сьогодні|ieri|azi|astăzi)\b|(?:вчера|сегодня|завтра|昨天|今天|明天|昨日|今日|明日)",
            "⟨ago⟩",
        ),
        // An increment of a counter over a relative day ("(+14 today)").
        rule(r"\(\+\d+\s*⟨ago⟩\)", "⟨count⟩"),
        // Tokens named as such: "Request ID: 9f8a7b6c…", "nonce=…", "session: …".
        rule(
            &format!(r"(?i)\b{TOKEN_WORDS}\s*[:=#]?\s*[A-Za-z_\-+/=.]*\d[A-Za-z0-9_\-+/=.]{{4,}}"),
            "⟨token⟩",
        ),
    ]
});

/// The patterns of [`TEXT_RULES`] as one set, to find which can match in a text. Without
/// their word boundaries: each then matches at least where it did (a prefilter must never
/// miss), and the set runs on the fast automaton even over non-ASCII text, where a Unicode
/// word boundary would force the slow one (3 s for 1 MB of Russian, against 0.1 s).
///
/// The lazy automaton's cache is given room for the set's states: at the default size a
/// crawl's pages kept clearing it, and building states again was 6 % of a crawl's CPU
/// (issue 21's profile). The room is a ceiling per thread, used only as states are built.
static RULE_SET: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSetBuilder::new(
        TEXT_RULES
            .iter()
            .map(|(re, _, _)| re.as_str().replace(r"\b", "")),
    )
    .dfa_size_limit(32 << 20)
    .build()
    .expect("volatile-token regex set")
});

/// Rules that match what earlier rules wrote (a weekday before `⟨date⟩`): the set cannot
/// see those in the original text, so they are always tried.
static AFTER_RULES: LazyLock<Vec<usize>> = LazyLock::new(|| {
    TEXT_RULES
        .iter()
        .enumerate()
        .filter(|(_, (re, _, _))| re.as_str().contains('⟨'))
        .map(|(i, _)| i)
        .collect()
});

/// Query parameters that carry a session, a token or a cache-buster, never content.
const VOLATILE_PARAMS: &[&str] = &[
    "sess",
    "session",
    "sessionid",
    "session_id",
    "phpsessid",
    "jsessionid",
    "aspsessionid",
    "cfid",
    "cftoken",
    "token",
    "_token",
    "csrf",
    "csrf_token",
    "csrftoken",
    "csrfmiddlewaretoken",
    "xsrf",
    "_xsrf",
    "authenticity_token",
    "nonce",
    "_",
    "cb",
    "cachebuster",
    "cache_buster",
    "nocache",
    "rnd",
    "rand",
    "random",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "fbclid",
    "gclid",
    "mc_eid",
    "mc_cid",
    "_ga",
    "_gl",
    "yclid",
    "msclkid",
    "igshid",
];

/// Parameter names that carry a session or a token whatever the software calls them
/// (`_wpnonce`, `osCsid`, `zenid`, `my_session_id`, `_xfToken`, `csrfKey`), by their
/// ending or beginning (`tokenId` and `assessment` are content).
static VOLATILE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:.*[_-])?sess(?:ion)?(?:[_-]?id)?$|sessid$|^oscsid$|^zenid$|token$|nonce$|^_?(?:csrf|xsrf)")
        .unwrap()
});

/// Short names that are a session ID only when their value looks like one (PHP-Nuke's
/// `sid=12` is a story, vBulletin's `s=<32 hex>` a session).
const SESSION_IF_RANDOM: &[&str] = &["sid", "s"];

/// A value that looks generated: 16 or more letters and digits (both present).
static RANDOM_VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_-]{16,}$").unwrap());

/// Parameters that are cache-busters when their value looks like one, and content
/// otherwise (`?v=2` may choose a product variant, `?t=123456` is a phpBB topic).
const VERSION_PARAMS: &[&str] = &["v", "ver", "version"];
const TIME_PARAMS: &[&str] = &["ts", "time", "timestamp", "t"];

static VERSION_VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:1[6-8]\d{8}(?:\d{3})?|[0-9a-fA-F]{8,})$").unwrap());

static PATH_SESSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i);(?:jsessionid|phpsessid|sid|sessionid)=[^/?#;]*").unwrap());

/// The stable form of pages: the built-in rules, and a seed's own.
#[derive(Clone, Debug, Default)]
pub struct Volatility {
    /// A seed's `ignore_text`: what matches is removed before comparing.
    ignore: Vec<Regex>,
}

impl Volatility {
    /// The built-in rules plus `ignore_text` patterns (already checked when the seed was
    /// read; an invalid one here is an error).
    pub fn new(ignore_text: &[String]) -> Result<Volatility, regex::Error> {
        Ok(Volatility {
            ignore: ignore_text
                .iter()
                .map(|p| Regex::new(p))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The stable form of visible text: volatile tokens replaced by placeholders, the
    /// seed's patterns removed, whitespace collapsed, lines left empty dropped.
    pub fn text(&self, text: &str) -> String {
        // Which rules can match anywhere in the text, in one pass over it: most pages need
        // a handful of the forty, and each rule tried on each line costs a search.
        let mut may_match: Vec<usize> = RULE_SET.matches(text).into_iter().collect();
        may_match.extend(AFTER_RULES.iter().copied());
        let mut out = String::with_capacity(text.len());
        for line in text.lines() {
            let mut line: Cow<str> = line.into();
            for re in &self.ignore {
                if let Cow::Owned(o) = re.replace_all(&line, "") {
                    line = o.into();
                }
            }
            let digits = line.bytes().any(|b| b.is_ascii_digit());
            for (i, (re, to, needs_digit)) in TEXT_RULES.iter().enumerate() {
                if (*needs_digit && !digits) || !may_match.contains(&i) {
                    continue;
                }
                if let Cow::Owned(o) = re.replace_all(&line, *to) {
                    line = o.into();
                }
            }
            let mut words = line.split_whitespace().peekable();
            if words.peek().is_none() {
                continue;
            }
            for (i, w) in words.enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(w);
            }
            out.push('\n');
        }
        out
    }

    /// The stable form of a link: session IDs in the path, and session, token, tracking
    /// and cache-busting parameters in the query, removed.
    pub fn link(&self, link: &str) -> String {
        let Ok(mut url) = url::Url::parse(link) else {
            return link.to_string();
        };
        if PATH_SESSION.is_match(url.path()) {
            let path = PATH_SESSION.replace_all(url.path(), "").into_owned();
            url.set_path(&path);
        }
        if let Some(folded) = hashed_asset(url.path()) {
            url.set_path(&folded);
        }
        if url.query().is_some() {
            let kept: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(k, v)| {
                    let k = k.to_ascii_lowercase();
                    let random = RANDOM_VALUE.is_match(v)
                        && v.bytes().any(|b| b.is_ascii_digit())
                        && v.bytes().any(|b| b.is_ascii_alphabetic());
                    !(VOLATILE_PARAMS.contains(&k.as_str())
                        || VOLATILE_NAME.is_match(&k)
                        || (SESSION_IF_RANDOM.contains(&k.as_str()) && random)
                        || (VERSION_PARAMS.contains(&k.as_str()) && VERSION_VALUE.is_match(v))
                        || (TIME_PARAMS.contains(&k.as_str()) && TIMESTAMP_VALUE.is_match(v)))
                })
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            if kept.is_empty() {
                url.set_query(None);
            } else {
                url.query_pairs_mut().clear().extend_pairs(kept);
            }
        }
        url.to_string()
    }
}

static HASHED_ASSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)([.-])[0-9a-f]{8,}(\.(?:min\.)?(?:css|js|mjs|map|woff2?|ttf|otf|eot|png|jpe?g|gif|svg|webp|avif|ico))$")
        .unwrap()
});

/// A static file named by its content's hash (`app.8f3a2c1d.css`): the hash changes with
/// every deployment, the page does not.
fn hashed_asset(path: &str) -> Option<String> {
    HASHED_ASSET
        .is_match(path)
        .then(|| HASHED_ASSET.replace(path, "${1}hash${2}").into_owned())
}

/// A query value that is a Unix time in seconds or milliseconds (2020 to 2030).
static TIMESTAMP_VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^1[6-8]\d{8}(?:\d{3})?$").unwrap());

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        let v = Volatility::default();
        v.text(a) == v.text(b)
    }

    #[test]
    fn clocks_in_common_forms_are_volatile() {
        for (a, b) in [
            (
                "Generated at 2026-12-01T14:03:07Z",
                "Generated at 2026-12-01T14:04:12Z",
            ),
            ("Updated 2026-12-01 14:03", "Updated 2026-12-02 09:00"),
            (
                "Tue, 01 Dec 2026 14:03:07 GMT",
                "Wed, 02 Dec 2026 08:00:00 GMT",
            ),
            ("as of 12/01/2026 2:03 PM", "as of 12/01/2026 2:05 PM"),
            ("Stand: 01.12.2026 14:03", "Stand: 02.12.2026 14:05"),
            ("1 Dec 2026", "2 Dec 2026"),
            ("December 1, 2026", "December 2, 2026"),
            ("Dec 1 14:03:07", "Dec 1 14:09:00"),
            ("обновлено 1 декабря 2026 г.", "обновлено 2 декабря 2026 г."),
            ("Stand 1. Dezember 2026", "Stand 2. Dezember 2026"),
            (
                "mis à jour le 1 décembre 2026",
                "mis à jour le 3 décembre 2026",
            ),
            ("更新 2026年12月1日 14:03", "更新 2026年12月2日 09:15"),
            ("ts=1764597787", "ts=1764597999"),
            ("Server time: 14:03:07 UTC", "Server time: 14:04:51 UTC"),
        ] {
            assert!(same(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn relative_times_and_counters_are_volatile() {
        for (a, b) in [
            ("last post 5 minutes ago", "last post an hour ago"),
            ("posted yesterday at 14:03", "posted today at 09:00"),
            ("vor 5 Minuten", "vor 2 Stunden"),
            ("5 минут назад", "2 часа назад"),
            ("минуту назад", "час назад"),
            ("an hour ago", "a few minutes ago"),
            ("il y a 3 heures", "il y a 5 minutes"),
            ("hace 2 días", "hace 3 horas"),
            ("3分钟前", "5小时前"),
            ("just now", "2 minutes ago"),
            ("Views: 1,234", "Views: 1,301"),
            ("1234 views", "1240 views"),
            ("Users online: 37", "Users online: 41"),
            ("37 members online", "12 members online"),
            ("Просмотров: 120", "Просмотров: 131"),
            (
                "Page generated in 0.042 s. Queries: 23",
                "Page generated in 0.051 s. Queries: 25",
            ),
            (
                "Request ID: 9f8a7b6c5d4e3f2a1b0c",
                "Request ID: 0c1b2a3f4e5d6c7b8a9f",
            ),
        ] {
            assert!(same(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn content_numbers_and_identifiers_are_never_volatile() {
        for (a, b) in [
            ("Price: $120", "Price: $125"),
            ("0.0021 BTC", "0.0025 BTC"),
            ("In stock: 5", "In stock: 3"),
            ("Only 5 left", "Only 3 left"),
            ("Age 21", "Age 19"),
            ("Call +7 916 123-45-67", "Call +7 916 123-45-68"),
            ("Telegram @vendor_a", "Telegram @vendor_b"),
            (
                "BTC: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
                "BTC: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx",
            ),
            (
                "PGP 3AA5C34371567BD2A1B6C1B1F0E7D2C3B4A59687",
                "PGP 3AA5C34371567BD2A1B6C1B1F0E7D2C3B4A59688",
            ),
            ("10 g for 0.05 XMR", "10 g for 0.06 XMR"),
            ("Replies: 4", "Replies: 5"),
            (
                "Session ID: 05a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
                "Session ID: 05ffb2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
            ),
            (
                "Token: 0xdAC17F958D2ee523a2206206994597C13D831ec7",
                "Token: 0xdAC17F958D2ee523a2206206994597C13D831ec8",
            ),
            ("1.500 с доставкой", "1.700 с доставкой"),
            ("Memory: 16 GB", "Memory: 32 GB"),
            ("Telegram ID 1234567890", "Telegram ID 1234567891"),
            ("Order 1987654321", "Order 1987654322"),
            ("Tel. 06.12.34.56.78", "Tel. 06.12.34.56.79"),
            ("@user123", "@user124"),
            ("User 4821", "User 4822"),
            ("guest2024", "guest2025"),
        ] {
            assert!(!same(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn links_lose_sessions_tokens_and_cache_busters_only() {
        let v = Volatility::default();
        for (a, b) in [
            (
                "http://m.onion/item?id=7&sid=9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c",
                "http://m.onion/item?id=7&sid=0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a59",
            ),
            (
                "http://f.test/t/1;jsessionid=ABC123",
                "http://f.test/t/1;jsessionid=XYZ789",
            ),
            (
                "http://f.test/a.css?v=1764597787",
                "http://f.test/a.css?v=1764599999",
            ),
            (
                "http://f.test/x?_=1764597787123",
                "http://f.test/x?_=1764597787999",
            ),
            (
                "http://f.test/f?s=0123456789abcdef0123456789abcdef&t=3",
                "http://f.test/f?s=fedcba9876543210fedcba9876543210&t=3",
            ),
            (
                "http://f.test/login?csrf=q1w2e3",
                "http://f.test/login?csrf=r4t5y6",
            ),
        ] {
            assert_eq!(v.link(a), v.link(b), "{a} / {b}");
        }
        for (a, b) in [
            ("http://m.onion/item?id=7", "http://m.onion/item?id=8"),
            ("http://m.onion/p?v=2", "http://m.onion/p?v=3"),
            ("http://m.onion/a", "http://m.onion/b"),
            (
                "http://f.test/viewtopic.php?t=123456",
                "http://f.test/viewtopic.php?t=123457",
            ),
            (
                "http://n.test/article.php?sid=12",
                "http://n.test/article.php?sid=13",
            ),
            (
                "http://e.test/a?assessment=1",
                "http://e.test/a?assessment=2",
            ),
            ("http://e.test/nft?tokenId=7", "http://e.test/nft?tokenId=8"),
            (
                "http://e.test/u?id=1987654321",
                "http://e.test/u?id=1987654322",
            ),
        ] {
            assert_ne!(v.link(a), v.link(b), "{a} / {b}");
        }
    }

    #[test]
    fn a_seeds_patterns_are_removed() {
        let v = Volatility::new(&["Mirror status: .*".into()]).unwrap();
        assert_eq!(
            v.text("Mirror status: 3/5 up\nPrice 10"),
            v.text("Mirror status: 5/5 up\nPrice 10")
        );
        assert_ne!(
            v.text("Mirror status: 3/5 up\nPrice 10"),
            v.text("Mirror status: 3/5 up\nPrice 11")
        );
    }
}
