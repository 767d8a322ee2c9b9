//! Tables printed as they are measured and gathered into
//! `docs/benchmarks.md`; timing helpers.

use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Report {
    sections: Vec<String>,
}

pub struct Table {
    pub title: String,
    pub intro: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub outro: String,
}

impl Table {
    pub fn new(title: &str, intro: &str, header: &[&str]) -> Self {
        Self {
            title: title.into(),
            intro: intro.into(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            outro: String::new(),
        }
    }

    /// Adds a row and prints it at once (the suite takes minutes).
    pub fn row(&mut self, cells: Vec<String>) {
        println!("  {}", cells.join(" | "));
        self.rows.push(cells);
    }

    fn markdown(&self) -> String {
        let mut s = format!("## {}\n\n", self.title);
        if !self.intro.is_empty() {
            s += &format!("{}\n\n", self.intro);
        }
        s += &format!("| {} |\n", self.header.join(" | "));
        s += &format!(
            "|{}\n",
            self.header
                .iter()
                .enumerate()
                .map(|(i, _)| if i == 0 { "---|" } else { "---:|" })
                .collect::<String>()
        );
        for r in &self.rows {
            s += &format!("| {} |\n", r.join(" | "));
        }
        if !self.outro.is_empty() {
            s += &format!("\n{}\n", self.outro);
        }
        s
    }
}

impl Report {
    pub fn start(&self, t: &Table) {
        println!("\n== {}\n  {}", t.title, t.header.join(" | "));
    }

    pub fn add(&mut self, t: Table) {
        if !t.outro.is_empty() {
            println!("  {}", t.outro);
        }
        self.sections.push(t.markdown());
    }

    pub fn markdown(&self) -> String {
        format!(
            "# Benchmarks\n\n\
             Written by `cargo bench --bench scale` (the whole suite; it takes about \
             ten minutes) on {machine}, release build, {date}. Times are from one run: \
             compare rows of one run, not runs on different machines. The documents are \
             generated prose (`gloss::sample::prose`: varied sentences, curly quotes, \
             dashes, accents, CJK and emoji, a very long paragraph every 40) and the \
             8 KB sample article; the annotations overlap, with one to three of six tags \
             and a note on every third (`gloss::sample::annotations`).\n\n{}",
            self.sections.join("\n"),
            machine = machine(),
            date = today(),
        )
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(String::new(), |kb| {
            format!(", {} GiB", (kb + 512 * 1024) / (1024 * 1024))
        });
    format!("{cores} cores ({cpu}){mem}, {}", std::env::consts::OS)
}

fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Runs `f` once and returns how long it took.
pub fn once<R>(f: impl FnOnce() -> R) -> (Duration, R) {
    let t = Instant::now();
    let r = std::hint::black_box(f());
    (t.elapsed(), r)
}

/// Median and 99th percentile.
pub fn spread(mut samples: Vec<Duration>) -> (Duration, Duration) {
    if samples.is_empty() {
        return (Duration::ZERO, Duration::ZERO);
    }
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}

/// "0.42 ms", "1.3 s".
pub fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1e3)
    } else if ms >= 10.0 {
        format!("{ms:.0} ms")
    } else if ms >= 1.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

/// "100,000".
pub fn count(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "✔" when `ok`, else "✘" — the targets column.
pub fn mark(ok: bool) -> &'static str {
    if ok { "✔" } else { "✘" }
}
