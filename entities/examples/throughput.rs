//! How fast `find` goes through page text like the crawl benchmark's (words, one number a
//! paragraph): `cargo run --release -p nightjar-entities --example throughput`.

use std::time::Instant;

const WORDS: &[&str] = &[
    "market",
    "vendor",
    "listing",
    "escrow",
    "shipping",
    "account",
    "review",
    "feedback",
    "price",
    "order",
    "stock",
    "bitcoin",
    "monero",
    "wallet",
    "contact",
    "message",
    "forum",
    "thread",
    "reply",
    "member",
    "profile",
    "verified",
    "secure",
    "private",
    "delivery",
    "worldwide",
    "discount",
    "quality",
    "trusted",
    "support",
    "policy",
    "refund",
];

fn main() {
    let mut seed: u64 = 8;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut text = String::new();
    while text.len() < 20_000 {
        let n = 40 + next(50);
        let number = next(n);
        for i in 0..n {
            if i == number {
                text.push_str(&(1000 + next(999_000)).to_string());
            } else {
                text.push_str(WORDS[next(WORDS.len() as u64) as usize]);
            }
            text.push(' ');
        }
        text.push_str(".\n");
    }
    let page = entities::Page {
        text: &text,
        uris: &[],
        attrs: "",
        raw: None,
    };
    let hints = entities::Hints::default();
    let rounds = 2000;
    let start = Instant::now();
    let mut found = 0;
    for _ in 0..rounds {
        found += entities::find(&page, &hints).len();
    }
    let took = start.elapsed();
    println!(
        "{} bytes: {:.1} µs a page, {:.0} MB/s ({found} found)",
        text.len(),
        took.as_secs_f64() * 1e6 / rounds as f64,
        (text.len() * rounds) as f64 / took.as_secs_f64() / 1e6
    );
}
