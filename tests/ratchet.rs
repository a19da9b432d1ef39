//! The quality ratchet: `crosscheck eval` on the dev sets must not fall more than 0.02
//! below the figures the README states (or rise above them, for figures where lower is
//! better). Skipped with a message when ../shared/data is absent.

use crate::util::{crosscheck, root, shared_data};

/// A README row: `| set | metric | value |` inside the marked table.
struct Stated {
    set: String,
    metric: String,
    value: f64,
}

fn stated() -> Vec<Stated> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let start = readme
        .find("<!-- ratchet:start -->")
        .expect("ratchet table start marker");
    let end = readme.find("<!-- ratchet:end -->").expect("ratchet table end marker");
    readme[start..end]
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split('|').map(str::trim).collect();
            if cells.len() < 3 {
                return None;
            }
            let value: f64 = cells[2].parse().ok()?;
            Some(Stated {
                set: cells[0].to_string(),
                metric: cells[1].to_string(),
                value,
            })
        })
        .collect()
}

/// Metrics where a smaller figure is better.
fn lower_is_better(metric: &str) -> bool {
    metric.ends_with("agree_flagged") || metric.ends_with("false_flags")
}

#[test]
fn dev_set_figures_hold_the_readme_line() {
    let Some(data) = shared_data() else { return };
    let rows = stated();
    assert!(rows.len() >= 10, "ratchet table has {} rows", rows.len());
    let o = crosscheck(&["eval", "--json", "--data", data.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).expect("eval --json output");
    let mut failures = Vec::new();
    for r in rows {
        let mut v = &got[&r.set];
        for part in r.metric.split('.') {
            v = &v[part];
        }
        let value = match v {
            serde_json::Value::Array(a) => a.len() as f64,
            other => other.as_f64().unwrap_or(f64::NAN),
        };
        let ok = if lower_is_better(&r.metric) {
            value <= r.value + 0.02 + if r.value >= 1.0 { 0.5 } else { 0.0 }
        } else if r.value >= 1.0 {
            // Counts: no tolerance below the stated count.
            value >= r.value
        } else {
            value >= r.value - 0.02
        };
        if !ok {
            failures.push(format!(
                "{} {}: README says {}, eval gives {value}",
                r.set, r.metric, r.value
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
