//! `nightjar-bench volatile`: the cost of the stable form every page is compared in.
//!
//! Every HTML or text capture has its visible text brought to the stable form
//! (`archive::volatile`: dates, times, counters and tokens replaced, line by line, by some
//! forty regular expressions) before it is indexed. This measures that step alone on three
//! inputs: a typical 20 KB listing page in English, 1 MB of English prose with the noise
//! pages carry (a clock and a counter every few lines), and 1 MB of the same in Russian
//! (non-ASCII text is where a regex engine can fall back to its slower paths). Prints
//! microseconds per call and megabytes per second.

use std::time::Instant;

use archive::volatile::Volatility;
use serde_json::{json, Value};

use crate::{round, Rng};

#[derive(clap::Args)]
pub struct Args {
    /// Small sizes for a smoke run.
    #[arg(long)]
    quick: bool,
}

const EN: [&str; 16] = [
    "vendor", "shipping", "quality", "stealth", "escrow", "listing", "review", "order", "price",
    "stock", "reply", "forum", "thread", "contact", "travel", "work",
];
const RU: [&str; 16] = [
    "продавец",
    "доставка",
    "качество",
    "гарант",
    "объявление",
    "отзыв",
    "заказ",
    "цена",
    "наличие",
    "ответ",
    "форум",
    "тема",
    "контакт",
    "работа",
    "визы",
    "квартира",
];

/// `bytes` of text in lines of about 12 words; every fifth line carries noise.
fn text(words: &[&str; 16], bytes: usize, rng: &mut Rng) -> String {
    let mut out = String::new();
    let mut line = 0u64;
    while out.len() < bytes {
        line += 1;
        for _ in 0..12 {
            out.push_str(words[(rng.next_u64() % 16) as usize]);
            out.push(' ');
        }
        match line % 5 {
            0 => out.push_str(&format!("2026-12-01 14:{:02}:07 UTC", rng.next_u64() % 60)),
            1 => out.push_str(&format!("Views: {}", rng.next_u64() % 100_000)),
            2 => out.push_str(&format!("Price {} USD", rng.next_u64() % 1000)),
            _ => {}
        }
        out.push('\n');
    }
    out
}

fn measure(v: &Volatility, input: &str, runs: usize) -> Value {
    let started = Instant::now();
    let mut kept = 0;
    for _ in 0..runs {
        kept += v.text(input).len();
    }
    let secs = started.elapsed().as_secs_f64();
    json!({
        "bytes": input.len(),
        "runs": runs,
        "us_per_call": round(secs * 1e6 / runs as f64, 1),
        "mb_per_s": round(input.len() as f64 * runs as f64 / secs / 1e6, 2),
        "output_bytes": kept / runs,
    })
}

pub fn run(args: Args) -> anyhow::Result<Value> {
    let mut rng = Rng::new(16);
    let v = Volatility::default();
    let scale = if args.quick { 1 } else { 10 };
    let page = text(&EN, 20 * 1024, &mut rng);
    let en = text(&EN, 1 << 20, &mut rng);
    let ru = text(&RU, 1 << 20, &mut rng);
    eprintln!("stable form of a 20 KB page, 1 MB English, 1 MB Russian");
    Ok(json!({
        "page_20k_en": measure(&v, &page, 20 * scale),
        "text_1m_en": measure(&v, &en, scale),
        "text_1m_ru": measure(&v, &ru, scale),
    }))
}
