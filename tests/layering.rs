//! The layering Cargo keeps: the pure core (`crates/wavetop-core`) reaches
//! no runtime, terminal, AWS or CLI crate, however indirectly. The compiler
//! already refuses a `use` of the app crate from the core (the core cannot
//! name a crate it does not depend on); this test refuses the dependency
//! that would make such a `use` compile.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

/// Crates whose presence in the core would let I/O, a clock or a terminal
/// into `update()`: by exact name, or by prefix when a family shares one.
const FORBIDDEN: &[&str] = &[
    "tokio",
    "ratatui",
    "crossterm",
    "aws-",
    "clap",
    "color-eyre",
    "toml",
    "libc",
    "futures",
    "hyper",
    "reqwest",
];

/// The only direct dependencies the core may declare, for its shipped code.
const ALLOWED_DIRECT: &[&str] = &["jiff", "serde", "serde_json"];

fn is_forbidden(name: &str) -> bool {
    FORBIDDEN.iter().any(|f| {
        if f.ends_with('-') {
            name.starts_with(f)
        } else {
            name == *f || name.starts_with(&format!("{f}-")) || name.starts_with(&format!("{f}_"))
        }
    })
}

struct Graph {
    /// Package id to its name.
    names: BTreeMap<String, String>,
    /// Package id to the ids it depends on for shipped code (build and
    /// normal dependencies; dev-dependencies only reach tests).
    edges: BTreeMap<String, Vec<String>>,
}

fn metadata() -> Graph {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    let names = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let edges = doc["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| {
            let shipped = node["deps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|dep| {
                    dep["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|k| k["kind"].as_str() != Some("dev"))
                })
                .map(|dep| dep["pkg"].as_str().unwrap().to_string())
                .collect();
            (node["id"].as_str().unwrap().to_string(), shipped)
        })
        .collect();
    Graph { names, edges }
}

impl Graph {
    fn id_of(&self, name: &str) -> String {
        self.names
            .iter()
            .find(|(_, n)| n.as_str() == name)
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| panic!("{name} is a workspace package"))
    }

    /// Every package `from` depends on for shipped code, with the path that
    /// reaches it (for the failure message).
    fn reachable(&self, from: &str) -> BTreeMap<String, Vec<String>> {
        let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut stack = vec![(from.to_string(), vec![self.names[from].clone()])];
        while let Some((id, path)) = stack.pop() {
            for dep in self.edges.get(&id).into_iter().flatten() {
                if seen.contains_key(dep) {
                    continue;
                }
                let mut to_dep = path.clone();
                to_dep.push(self.names[dep].clone());
                seen.insert(dep.clone(), to_dep.clone());
                stack.push((dep.clone(), to_dep));
            }
        }
        seen
    }
}

#[test]
fn the_core_crate_reaches_no_runtime_terminal_or_aws_crate() {
    let graph = metadata();
    let core = graph.id_of("wavetop-core");
    let reached = graph.reachable(&core);
    let offending: Vec<String> = reached
        .iter()
        .filter(|(id, _)| is_forbidden(&graph.names[*id]))
        .map(|(_, path)| path.join(" -> "))
        .collect();
    assert!(
        offending.is_empty(),
        "the pure core must not depend on these: {offending:#?}"
    );
    // The check has something to look at: the core does reach its own
    // dependencies, and the app crate does reach the forbidden ones.
    let reached_names: BTreeSet<&str> = reached.keys().map(|id| graph.names[id].as_str()).collect();
    assert!(reached_names.contains("jiff"), "{reached_names:?}");
    let app = graph.id_of("wavetop");
    let app_reaches: Vec<&str> = graph
        .reachable(&app)
        .keys()
        .map(|id| graph.names[id].as_str())
        .filter(|n| is_forbidden(n))
        .collect();
    assert!(app_reaches.contains(&"tokio") && app_reaches.contains(&"ratatui"));
}

#[test]
fn the_core_crate_declares_only_its_allowed_dependencies() {
    let graph = metadata();
    let core = graph.id_of("wavetop-core");
    let direct: BTreeSet<&str> = graph.edges[&core]
        .iter()
        .map(|id| graph.names[id].as_str())
        .collect();
    let allowed: BTreeSet<&str> = ALLOWED_DIRECT.iter().copied().collect();
    assert!(
        direct.is_subset(&allowed),
        "new dependencies of the core: {:?} (allowed: {allowed:?})",
        direct.difference(&allowed).collect::<Vec<_>>()
    );
}

#[test]
fn the_forbidden_list_catches_the_crates_it_names() {
    for name in [
        "tokio",
        "tokio-util",
        "ratatui",
        "crossterm",
        "aws-config",
        "aws-sdk-codepipeline",
        "aws-smithy-types",
        "color-eyre",
        "futures-util",
    ] {
        assert!(is_forbidden(name), "{name}");
    }
    for name in [
        "jiff",
        "serde",
        "serde_json",
        "tokenizer",
        "crossbeam",
        "libcore",
    ] {
        assert!(!is_forbidden(name), "{name}");
    }
}
