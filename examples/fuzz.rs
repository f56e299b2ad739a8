//! A fuzzing campaign over Folio's core: posts made by mutating the real fixtures go
//! through parsing, the editing model and the cleaner, and every broken invariant is
//! recorded with the input that broke it.
//!
//!     cargo run --release --example fuzz -- --seconds 600 [--seed 7] [--workers 2]
//!         [--out target/fuzz] [--replay FILE]
//!
//! Invariants, per input:
//! - no panic (each input runs under `catch_unwind`; a stack overflow cannot be caught,
//!   so each worker writes its current input to `OUT/current-W.md` first: after an
//!   abort, that file is the crash);
//! - no input takes more than 1 s (timed; a watchdog thread also ends the run, saving
//!   the input, if one takes more than 30 s);
//! - memory stays under the bound (`VmHWM` read from `/proc/self/status`; inputs are at
//!   most 2 MiB, so the bound is 1 GiB for the whole process);
//! - round trip: decoded text encodes back to the very bytes (when no byte was invalid
//!   and the encoder can write every character: where it cannot, a save refuses), and
//!   an empty edit list gives the text back unchanged;
//! - a random change to the fields either is refused (by `edits_from`, `apply_edits` or
//!   the encoding) or gives a text whose fields are exactly the intended ones, with the
//!   body unchanged.
//!
//! Findings go to `OUT/<kind>-<n>.md` (the input) and `.txt` (what broke); the first
//! few of each kind are kept, and the slowest input as `OUT/slowest.md`. A summary is
//! printed at the end.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use folio::archive::{self, Post};
use folio::clean::{self, OutputFormat};
use folio::fields::{FieldNote, FieldValue, Fields};

#[path = "fuzz/mutate.rs"]
mod mutate;

use mutate::Rng;

/// An input slower than this is a finding.
const SLOW: Duration = Duration::from_secs(1);
/// An input slower than this ends the run (it is saved first).
const HANG: Duration = Duration::from_secs(30);
/// The memory bound for the whole process.
const MAX_HWM_KIB: u64 = 1024 * 1024;
/// Seeds larger than this are left out.
const MAX_SEED_BYTES: usize = 64 * 1024;
/// Inputs kept per kind of finding.
const KEEP_PER_KIND: usize = 5;

struct Options {
    seconds: u64,
    seed: u64,
    workers: usize,
    out: PathBuf,
    replay: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        seconds: 60,
        seed: 1,
        workers: 2,
        out: PathBuf::from("target/fuzz"),
        replay: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--seconds" => options.seconds = value()?.parse().map_err(|e| format!("{e}"))?,
            "--seed" => options.seed = value()?.parse().map_err(|e| format!("{e}"))?,
            "--workers" => options.workers = value()?.parse().map_err(|e| format!("{e}"))?,
            "--out" => options.out = PathBuf::from(value()?),
            "--replay" => options.replay = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

/// Every post under `tests/fixtures/`: the seeds of the mutations.
fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seeds: Vec<Vec<u8>> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "md" || x == "markdown" || x == "html")
        })
        .filter_map(|e| std::fs::read(e.path()).ok())
        // The big regression inputs stay out: mutations make their shapes anyway, and
        // they would slow every run down.
        .filter(|bytes| bytes.len() <= MAX_SEED_BYTES)
        .collect();
    seeds.push(b"---\ntitle: t\n---\nbody\n".to_vec());
    seeds.push(b"+++\ntitle = \"t\"\ntags = [\"a\"]\n+++\nbody\n".to_vec());
    seeds
}

/// What one input broke, if anything.
#[derive(Debug)]
struct Finding {
    kind: &'static str,
    detail: String,
}

fn finding(kind: &'static str, detail: impl Into<String>) -> Option<Finding> {
    Some(Finding {
        kind,
        detail: detail.into(),
    })
}

/// Runs one input through parse, the round trips, a random edit and the cleaner.
fn check_input(bytes: &[u8], rng: &mut Rng) -> Option<Finding> {
    let post = archive::parse_bytes(PathBuf::from("fuzz/post.md"), None, bytes.to_vec());
    let article = &post.article;
    let damaged = article
        .problems
        .iter()
        .any(|p| p.kind.blocks_saving() || p.kind == archive::ProblemKind::InvalidBytes);
    if !damaged {
        match archive::encode(&post.text, article.encoding) {
            Ok(again) if again == bytes => {}
            Ok(_) => {
                return finding(
                    "decode-not-lossless",
                    format!(
                        "{} text does not encode back to its bytes",
                        article.encoding.label()
                    ),
                );
            }
            // A character the encoder lacks (Big5's HKSCS ones) makes a save of changed
            // text refuse by name, which loses nothing.
            Err(_) => {}
        }
    }
    if let Some(f) = check_edits(&post, rng) {
        return Some(f);
    }
    let document = clean::clean_post(&post);
    for format in [
        OutputFormat::Text,
        OutputFormat::Markdown,
        OutputFormat::Json,
    ] {
        let _ = clean::render(&document, format);
    }
    None
}

fn check_edits(post: &Post, rng: &mut Rng) -> Option<Finding> {
    let Ok(original) = Fields::of_post(post) else {
        return None;
    };
    match archive::apply_edits(post, &[]) {
        Ok(text) if text == post.text => {}
        Ok(text) => {
            return finding(
                "noop-edit-changed-text",
                format!(
                    "no edit, yet the text changed:\n{}",
                    first_difference(&post.text, &text)
                ),
            );
        }
        Err(e) => return finding("noop-edit-refused", format!("editable, but: {e}")),
    }
    let mut changed = original.clone();
    let what = mutate::change_fields(&mut changed, rng);
    let Ok(edits) = changed.edits_from(&original) else {
        return None;
    };
    let Ok(new_text) = archive::apply_edits(post, &edits) else {
        return None;
    };
    let Ok(new_bytes) = archive::encode(&new_text, post.article.encoding) else {
        return None;
    };
    let reread = archive::parse_bytes(post.article.path.clone(), None, new_bytes);
    // Saved in one encoding, a file may be read back in another when the guess was made
    // from little evidence (reported as a problem) and the edit tipped it; that is told
    // apart from damage done by the edit itself.
    let kind = |damage: &'static str| {
        if reread.article.encoding == post.article.encoding {
            damage
        } else {
            "edit-changed-encoding-guess"
        }
    };
    let encodings = format!(
        "{} read back as {}",
        post.article.encoding.label(),
        reread.article.encoding.label()
    );
    if reread.body() != post.body() {
        return finding(
            kind("edit-changed-body"),
            format!("{what}: the body changed ({encodings})"),
        );
    }
    let got = match Fields::of_post(&reread) {
        Ok(fields) => fields,
        Err(e) => {
            return finding(
                kind("edit-broke-front-matter"),
                format!("{what}: {e} ({encodings})"),
            );
        }
    };
    let mut expected = intended(&changed, &original);
    let mut got: Vec<(String, FieldValue)> = got
        .iter()
        .map(|f| (f.key.clone(), f.value.clone()))
        .collect();
    // Keys that were there keep their order; an added key may go before TOML tables
    // (appended after one it would belong to the table), so order is not compared.
    let kept_order = |fields: &[(String, FieldValue)]| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| original.get(k).is_some())
            .map(|(k, _)| k.clone())
            .collect()
    };
    if kept_order(&got) != kept_order(&expected) {
        return finding(
            kind("edit-reordered-keys"),
            format!("{what}\n{expected:?}\n{got:?}"),
        );
    }
    let by_key = |a: &(String, FieldValue), b: &(String, FieldValue)| a.0.cmp(&b.0);
    expected.sort_by(by_key);
    got.sort_by(by_key);
    if got != expected {
        return finding(
            kind("edit-not-as-intended"),
            format!(
                "{what} ({encodings})\nexpected {expected:?}\ngot      {got:?}\nedits {edits:?}"
            ),
        );
    }
    None
}

/// Where two texts first differ, with a little context of each.
fn first_difference(before: &str, after: &str) -> String {
    let at = before
        .bytes()
        .zip(after.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(before.len().min(after.len()));
    let around = |text: &str| {
        let start = text.floor_char_boundary(at.saturating_sub(40));
        let end = text.ceil_char_boundary((at + 40).min(text.len()));
        format!("{:?}", text.get(start..end).unwrap_or_default())
    };
    format!(
        "at byte {at}\nbefore {}\nafter  {}",
        around(before),
        around(after)
    )
}

/// The fields as they should read back: dates in the format they are saved in.
fn intended(changed: &Fields, original: &Fields) -> Vec<(String, FieldValue)> {
    changed
        .iter()
        .map(|f| {
            let value = match changed.note(f, original) {
                Some(FieldNote::SavedAs(saved)) => FieldValue::Date(saved),
                _ => f.value.clone(),
            };
            (f.key.clone(), value)
        })
        .collect()
}

/// Findings kept so far, by kind.
#[derive(Default)]
struct Findings {
    counts: BTreeMap<&'static str, usize>,
}

impl Findings {
    fn record(&mut self, out: &Path, f: &Finding, input: &[u8]) {
        let n = self.counts.entry(f.kind).or_insert(0);
        *n += 1;
        if *n <= KEEP_PER_KIND {
            let base = out.join(format!("{}-{}", f.kind, n));
            let _ = std::fs::write(base.with_extension("md"), input);
            let _ = std::fs::write(base.with_extension("txt"), &f.detail);
        }
    }
}

/// What the workers share with the watchdog and the report.
struct Shared {
    inputs: AtomicUsize,
    bytes: AtomicU64,
    slowest_us: AtomicU64,
    stop: AtomicBool,
    findings: Mutex<Findings>,
    /// Per worker: when its current input started (µs since `epoch`, 0 when idle).
    started_us: Vec<AtomicU64>,
    epoch: Instant,
}

thread_local! {
    static PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn worker(id: usize, options: &Options, seeds: &[Vec<u8>], shared: &Shared) {
    let mut rng = Rng::new(options.seed.wrapping_mul(1_000_003).wrapping_add(id as u64));
    let current = options.out.join(format!("current-{id}.md"));
    while !shared.stop.load(Ordering::Relaxed) {
        let input = mutate::input(seeds, &mut rng);
        // Saved first: a stack overflow aborts the process, and this file is the crash.
        let _ = std::fs::write(&current, &input);
        let mut edit_rng = rng.fork();
        let start = Instant::now();
        if let Some(slot) = shared.started_us.get(id) {
            slot.store(micros(shared.epoch.elapsed()).max(1), Ordering::Relaxed);
        }
        let result = catch_unwind(AssertUnwindSafe(|| check_input(&input, &mut edit_rng)));
        let elapsed = start.elapsed();
        if let Some(slot) = shared.started_us.get(id) {
            slot.store(0, Ordering::Relaxed);
        }
        shared.inputs.fetch_add(1, Ordering::Relaxed);
        shared
            .bytes
            .fetch_add(input.len() as u64, Ordering::Relaxed);
        let slowest_before = shared
            .slowest_us
            .fetch_max(micros(elapsed), Ordering::Relaxed);
        if micros(elapsed) > slowest_before {
            // The slowest input so far is kept whatever else was recorded.
            let _ = std::fs::write(options.out.join("slowest.md"), &input);
        }
        let found = match result {
            Ok(found) => found,
            Err(_) => finding("panic", PANIC.with(|p| p.borrow().clone())),
        };
        let slow = (elapsed > SLOW).then(|| Finding {
            kind: "slow",
            detail: format!("{elapsed:?}"),
        });
        for f in found.iter().chain(slow.iter()) {
            if let Ok(mut findings) = shared.findings.lock() {
                findings.record(&options.out, f, &input);
            }
        }
    }
    let _ = std::fs::remove_file(&current);
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// Peak resident memory of this process, in KiB.
fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> std::process::ExitCode {
    let options = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("fuzz: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&options.out) {
        eprintln!("fuzz: cannot create {}: {e}", options.out.display());
        return std::process::ExitCode::from(2);
    }
    std::panic::set_hook(Box::new(|info| {
        let message = format!("{info}");
        PANIC.with(|p| *p.borrow_mut() = message);
    }));
    if let Some(file) = &options.replay {
        return replay(file);
    }
    let seeds = seeds();
    let shared = Shared {
        inputs: AtomicUsize::new(0),
        bytes: AtomicU64::new(0),
        slowest_us: AtomicU64::new(0),
        stop: AtomicBool::new(false),
        findings: Mutex::new(Findings::default()),
        started_us: (0..options.workers).map(|_| AtomicU64::new(0)).collect(),
        epoch: Instant::now(),
    };
    let shared = Arc::new(shared);
    println!(
        "fuzz: {} seeds, {} workers, seed {}, {} s",
        seeds.len(),
        options.workers,
        options.seed,
        options.seconds
    );
    let deadline = Duration::from_secs(options.seconds);
    let mut over_memory = false;
    std::thread::scope(|scope| {
        for id in 0..options.workers {
            let (options, seeds, shared) = (&options, &seeds, &shared);
            scope.spawn(move || worker(id, options, seeds, shared));
        }
        // The watchdog and the progress report.
        let mut last_report = Instant::now();
        while shared.epoch.elapsed() < deadline {
            std::thread::sleep(Duration::from_millis(100));
            let now = micros(shared.epoch.elapsed());
            for (id, slot) in shared.started_us.iter().enumerate() {
                let started = slot.load(Ordering::Relaxed);
                if started > 0 && now.saturating_sub(started) > micros(HANG) {
                    let current = options.out.join(format!("current-{id}.md"));
                    let saved = options.out.join(format!("hang-{id}.md"));
                    let _ = std::fs::copy(&current, &saved);
                    eprintln!(
                        "fuzz: an input ran past {HANG:?}; saved as {}",
                        saved.display()
                    );
                    std::process::exit(3);
                }
            }
            if vm_hwm_kib().is_some_and(|kib| kib > MAX_HWM_KIB) {
                over_memory = true;
                break;
            }
            if last_report.elapsed() > Duration::from_secs(30) {
                last_report = Instant::now();
                println!(
                    "  {:>6.0} s: {} inputs",
                    shared.epoch.elapsed().as_secs_f64(),
                    shared.inputs.load(Ordering::Relaxed)
                );
            }
        }
        shared.stop.store(true, Ordering::Relaxed);
    });
    report(&shared, over_memory)
}

fn report(shared: &Shared, over_memory: bool) -> std::process::ExitCode {
    let elapsed = shared.epoch.elapsed().as_secs_f64();
    let inputs = shared.inputs.load(Ordering::Relaxed);
    let bytes = shared.bytes.load(Ordering::Relaxed);
    println!(
        "fuzz: {inputs} inputs in {elapsed:.0} s ({:.0} inputs/s, {:.1} MiB/s)",
        inputs as f64 / elapsed,
        bytes as f64 / elapsed / 1024.0 / 1024.0
    );
    println!(
        "      slowest input {:.3} s; peak memory (VmHWM) {} MiB, bound {} MiB{}",
        shared.slowest_us.load(Ordering::Relaxed) as f64 / 1e6,
        vm_hwm_kib().unwrap_or(0) / 1024,
        MAX_HWM_KIB / 1024,
        if over_memory { " — EXCEEDED" } else { "" }
    );
    let findings = shared
        .findings
        .lock()
        .map(|f| f.counts.clone())
        .unwrap_or_default();
    if findings.is_empty() {
        println!("      no findings");
    }
    for (kind, count) in &findings {
        println!("      {kind}: {count}");
    }
    if findings.is_empty() && !over_memory {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(1)
    }
}

fn replay(file: &Path) -> std::process::ExitCode {
    let Ok(input) = std::fs::read(file) else {
        eprintln!("fuzz: cannot read {}", file.display());
        return std::process::ExitCode::from(2);
    };
    let mut rng = Rng::new(1);
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| check_input(&input, &mut rng)));
    println!("{:?} in {:?}", result.as_ref().map(|_| ()), start.elapsed());
    match result {
        Ok(None) => std::process::ExitCode::SUCCESS,
        Ok(Some(f)) => {
            println!("{}: {}", f.kind, f.detail);
            std::process::ExitCode::from(1)
        }
        Err(_) => {
            println!("panic: {}", PANIC.with(|p| p.borrow().clone()));
            std::process::ExitCode::from(1)
        }
    }
}
