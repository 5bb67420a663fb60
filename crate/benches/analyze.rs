#![allow(unsafe_code)] // the counting allocator below
//! Benchmark harness for the engine: `cargo bench -p shoal --bench analyze`.
//!
//! Inputs come from `scripts/gen-bench-inputs.py` (run automatically into
//! `target/bench-inputs/` when missing). For each input it reports the time per analysis
//! (min / median / p90 over repeated runs after a warm-up), throughput, and the peak heap
//! memory of one analysis, measured with a counting global allocator.
//!
//! Set `SHOAL_BENCH_QUICK=1` for fewer iterations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use shoal::{analyze, fix_all, Config, SourceFile};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                let grow = new_size - layout.size();
                let now = CURRENT.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn inputs_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = root.join("target/bench-inputs");
    if !dir.join("large.yaml").exists() {
        let status = std::process::Command::new("python3")
            .arg(root.join("scripts/gen-bench-inputs.py"))
            .arg(&dir)
            .status()
            .expect("python3 is needed to generate the benchmark inputs");
        assert!(status.success(), "scripts/gen-bench-inputs.py failed");
    }
    dir
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).expect("benchmark input")
}

struct Stats {
    min: Duration,
    median: Duration,
    p90: Duration,
    runs: usize,
}

fn measure(mut f: impl FnMut(), budget: Duration, max_runs: usize) -> Stats {
    f(); // warm-up
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < max_runs && (times.len() < 5 || started.elapsed() < budget) {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    Stats {
        min: times[0],
        median: times[times.len() / 2],
        p90: times[(times.len() * 9 / 10).min(times.len() - 1)],
        runs: times.len(),
    }
}

fn peak_of(f: impl FnOnce()) -> usize {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed) - base
}

fn fmt(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

fn report(label: &str, bytes: usize, stats: &Stats, peak: usize, findings: usize) {
    let mb = bytes as f64 / 1e6;
    println!(
        "{label:<34} {:>10} {:>10} {:>10} {:>8.1} MB/s {:>9.1} MB {:>6.1}x {:>6} {:>5}",
        fmt(stats.min),
        fmt(stats.median),
        fmt(stats.p90),
        mb / stats.median.as_secs_f64(),
        peak as f64 / 1e6,
        peak as f64 / bytes as f64,
        findings,
        stats.runs,
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let quick = std::env::var_os("SHOAL_BENCH_QUICK").is_some();
    let budget = Duration::from_secs(if quick { 1 } else { 5 });
    let dir = inputs_dir();
    let config = Config::default();
    println!(
        "{:<34} {:>10} {:>10} {:>10} {:>13} {:>12} {:>7} {:>6} {:>5}",
        "input", "min", "median", "p90", "throughput", "peak heap", "×input", "finds", "runs"
    );
    let small = vec![
        SourceFile::new("small/deploy.yaml", read(&dir, "small.yaml")),
        SourceFile::new("small/Dockerfile", read(&dir, "small.Dockerfile")),
    ];
    let cases: Vec<(&str, Vec<SourceFile>)> = vec![
        ("(a) 150 lines: Deployment+Service+DF", small.clone()),
        (
            "(b) 1 MB manifest",
            vec![SourceFile::new("medium.yaml", read(&dir, "medium.yaml"))],
        ),
        (
            "(c) 10 MB manifest",
            vec![SourceFile::new("large.yaml", read(&dir, "large.yaml"))],
        ),
    ];
    for (label, files) in &cases {
        let bytes: usize = files.iter().map(|f| f.text.len()).sum();
        let mut findings = 0;
        let max_runs = if bytes > 5_000_000 { 10 } else { 10_000 };
        let stats = measure(
            || findings = analyze(files, &config).findings.len(),
            budget,
            max_runs,
        );
        let peak = peak_of(|| {
            analyze(files, &config);
        });
        report(label, bytes, &stats, peak, findings);
    }
    let bytes: usize = small.iter().map(|f| f.text.len()).sum();
    let stats = measure(
        || {
            fix_all(&small, &config, false);
        },
        budget,
        2_000,
    );
    let peak = peak_of(|| {
        fix_all(&small, &config, false);
    });
    report("(a) fix_all safe fixes", bytes, &stats, peak, 0);
}
