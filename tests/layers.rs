//! The house rules of `docs/architecture.md`, held by a test: the files of `src/` form layers
//! that import only downwards.
//!
//! - No module of the stages below the reports (`source`, `tree`, `git`, `dates`, `diag`, `raw`,
//!   `load`, `validate`, `model`, `figures`) imports from `report`, `render`, `output`, `cli`,
//!   `history`, `write` or `cmd`; `figures` builds on the model (and `dates`, `stats`) only.
//! - No file in `cmd/` imports another command's file (what two commands share lives below).
//! - No two files import each other, directly or through others (a child module may use its
//!   parent `mod.rs`'s items, as long as the parent does not import back from it).
//!
//! An import is a `crate::…` or `super::…` path in a file's code outside its `#[cfg(test)]`
//! module; it is resolved to the longest prefix that names a file of `src/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A file's module path: `validate/ledger` for `src/validate/ledger.rs`, `report` for
/// `src/report/mod.rs`, `` for `lib.rs` and `main.rs`.
fn module_of(rel: &str) -> String {
    let stem = rel.trim_end_matches(".rs");
    let stem = stem.strip_suffix("/mod").unwrap_or(stem);
    match stem {
        "lib" | "main" => String::new(),
        other => other.to_string(),
    }
}

fn read_sources(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("an entry of src/").path();
        if path.is_dir() {
            read_sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .expect("below src/")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("a source file");
            // The code the program runs: a file's unit tests (at its end, by the house's habit)
            // may reach anywhere.
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            out.insert(module_of(&rel), code);
        }
    }
}

/// The longest prefix of `segments` that names a file of `src/`.
fn resolve(segments: &[&str], modules: &BTreeSet<String>) -> Option<String> {
    (1..=segments.len())
        .rev()
        .map(|n| segments[..n].join("/"))
        .find(|m| modules.contains(m))
}

/// The segments of a path that starts at `at` in `code`: identifiers joined by `::`, with a
/// `{a, b::c}` group expanded into one path per member (one level deep, as the house writes).
fn paths_at(code: &str, at: usize) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut i = at;
    let mut prefix: Vec<String> = Vec::new();
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i > start {
            prefix.push(code[start..i].to_string());
        }
        // `crate::{a, b}` opens a group at once; `crate::a::{b, c}` after a prefix.
        let group = if code[i..].starts_with("::{") {
            Some(i + 3)
        } else if prefix.is_empty() && code[i..].starts_with('{') {
            Some(i + 1)
        } else {
            None
        };
        if let Some(open) = group {
            let close = code[open..].find('}').map_or(code.len(), |c| open + c);
            return code[open..close]
                .split(',')
                .map(|member| {
                    let mut path = prefix.clone();
                    path.extend(
                        member
                            .split_whitespace()
                            .next()
                            .unwrap_or_default()
                            .split("::")
                            .filter(|s| !s.is_empty() && *s != "self")
                            .map(str::to_string),
                    );
                    path
                })
                .collect();
        }
        if code[i..].starts_with("::") {
            i += 2;
        } else {
            return vec![prefix];
        }
    }
}

/// Every file's imports of other files.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = BTreeMap::new();
    read_sources(&root, &root, &mut sources);
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    let mut graph = BTreeMap::new();
    for (module, code) in &sources {
        let mut targets = BTreeSet::new();
        // `super::` from `a/b` (a file) or `a/b/mod.rs` (a folder) both name `a`.
        let parent: Vec<&str> = module.split('/').filter(|s| !s.is_empty()).collect();
        let parent = &parent[..parent.len().saturating_sub(1)];
        for (marker, base) in [("crate::", &[][..]), ("super::", parent)] {
            let mut from = 0;
            while let Some(found) = code[from..].find(marker) {
                let at = from + found;
                from = at + marker.len();
                // `my_crate::` or `xsuper::` are other words.
                if code[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
                {
                    continue;
                }
                for path in paths_at(code, from) {
                    let mut segments: Vec<&str> = base.to_vec();
                    segments.extend(path.iter().map(String::as_str));
                    if let Some(target) = resolve(&segments, &modules)
                        && &target != module
                    {
                        targets.insert(target);
                    }
                }
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

/// The stages below the reports.
const LOWER: &[&str] = &[
    "source", "tree", "git", "dates", "diag", "raw", "load", "validate", "model", "figures",
];

/// The stages from the reports up.
const HIGHER: &[&str] = &[
    "report", "render", "output", "cli", "history", "write", "cmd",
];

fn layer(module: &str) -> &str {
    module.split('/').next().unwrap_or_default()
}

#[test]
fn lower_layers_never_import_higher_ones() {
    let mut wrong = Vec::new();
    for (module, targets) in imports() {
        if LOWER.contains(&layer(&module)) {
            for t in &targets {
                if HIGHER.contains(&layer(t)) {
                    wrong.push(format!("{module} -> {t}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports upwards:\n{}", wrong.join("\n"));
}

#[test]
fn figures_build_on_the_model_only() {
    let mut wrong = Vec::new();
    for (module, targets) in imports() {
        if layer(&module) == "figures" {
            for t in &targets {
                if !["figures", "model", "dates", "stats"].contains(&layer(t)) {
                    wrong.push(format!("{module} -> {t}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "figures importing more than the model:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_command_imports_another_commands_file() {
    let mut wrong = Vec::new();
    for (module, targets) in imports() {
        if layer(&module) == "cmd" && module != "cmd" {
            for t in &targets {
                if layer(t) == "cmd" && t != "cmd" {
                    wrong.push(format!("{module} -> {t}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "commands importing commands:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_files_import_each_other() {
    let graph = imports();
    // Tarjan's strongly connected components: a component of more than one file is a circle.
    struct Walk<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        circles: Vec<Vec<&'g str>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, v: &'g str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort_unstable();
                    self.circles.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        graph: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        circles: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    let shown: Vec<String> = walk
        .circles
        .iter()
        .map(|c| {
            let inside: BTreeSet<&str> = c.iter().copied().collect();
            c.iter()
                .map(|v| {
                    let to: Vec<&str> = graph[*v]
                        .iter()
                        .map(String::as_str)
                        .filter(|t| inside.contains(t))
                        .collect();
                    format!("  {v} -> {}", to.join(", "))
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    assert!(
        shown.is_empty(),
        "files in a circle:\n{}",
        shown.join("\n\n")
    );
}

#[test]
fn the_import_reader_reads_groups_and_parents() {
    let modules: BTreeSet<String> = ["report", "report/status", "model", "validate/values"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let code = "use crate::{model::Date, report::status::stale_days};";
    let at = code.find("crate::").expect("a crate path") + "crate::".len();
    let found: BTreeSet<String> = paths_at(code, at)
        .iter()
        .filter_map(|p| resolve(&p.iter().map(String::as_str).collect::<Vec<_>>(), &modules))
        .collect();
    assert_eq!(
        found,
        ["model", "report/status"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(module_of("report/mod.rs"), "report");
    assert_eq!(module_of("validate/values.rs"), "validate/values");
    assert_eq!(module_of("lib.rs"), "");
}
