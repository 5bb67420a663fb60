//! Parses (`parse`) or analyses (`analyze`) one file once, for instruction counts:
//!
//! ```sh
//! cargo build --release -p shoal --example parse_once
//! valgrind --tool=callgrind target/release/examples/parse_once parse target/bench-inputs/medium.yaml
//! ```
//!
//! See docs/performance.md.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(what), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: parse_once parse|analyze FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).expect("readable file");
    let count = match what.as_str() {
        "parse" => {
            let file = shoal::yaml::parse(&text);
            let documents = file.documents.len();
            // Not dropped: the count is of parsing and building the tree.
            std::mem::forget(file);
            documents
        }
        "analyze" => {
            let files = [shoal::SourceFile::new(path.as_str(), text)];
            shoal::analyze(&files, &shoal::Config::default())
                .findings
                .len()
        }
        _ => {
            eprintln!("usage: parse_once parse|analyze FILE");
            std::process::exit(2);
        }
    };
    println!("{count}");
}
