//! Times the worker's analysis of a 150-line manifest natively: `cargo run --release -p shoal-web --example timing`.
use shoal_web::model::{analyze, wire, FileDoc, Request, Settings};

fn main() {
    let mut text = String::from("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bench\nspec:\n  selector:\n    matchLabels: {app: bench}\n  template:\n    metadata:\n      labels: {app: bench}\n    spec:\n      containers:\n");
    for i in 0..20 {
        text.push_str(&format!("        - name: c{i}\n          image: ghcr.io/acme/svc{i}:1.{i}.0\n          ports:\n            - containerPort: {}\n          resources:\n            requests: {{cpu: 100m, memory: 64Mi}}\n            limits: {{cpu: 250m, memory: 128Mi}}\n", 8000 + i));
    }
    let request = Request {
        generation: 1,
        ids: vec![1],
        files: vec![FileDoc {
            name: "a.yaml".into(),
            text,
        }],
        settings: Settings::default(),
        pairs: Vec::new(),
    };
    let t = std::time::Instant::now();
    let n = 20;
    let mut findings = 0;
    for _ in 0..n {
        findings = analyze(&request).findings.len();
    }
    let report = wire::encode(&analyze(&request));
    println!(
        "{findings} findings, {:.2} ms per analysis, report {} bytes (wire format)",
        t.elapsed().as_secs_f64() * 1000.0 / n as f64,
        report.len()
    );
}
