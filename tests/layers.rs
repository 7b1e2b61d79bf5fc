//! The layers of docs/architecture.md, read from the source: the stages below the reports
//! never import from them, the shared figures sit below both, and a command does not import
//! another command's file. Test modules are left out: a test may build what it likes.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, or `dir` itself when it is a file (none when it is absent).
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    if !dir.exists() {
        return Vec::new();
    }
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// A file's text without its `#[cfg(test)] mod tests`.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read source");
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn src(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(path)
}

/// `(file, path)` for each path of `forbidden` that a file under `dirs` names.
fn naming(dirs: &[&str], forbidden: &[&str]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for dir in dirs {
        for file in rust_files(&src(dir)) {
            let code = code_of(&file);
            for path in forbidden {
                if code.contains(path) {
                    found.push((file.display().to_string(), path.to_string()));
                }
            }
        }
    }
    found
}

#[test]
fn load_validate_and_model_import_nothing_from_reports_renderers_or_commands() {
    let found = naming(
        &["load", "validate", "model.rs", "raw.rs", "raw", "figures"],
        &["crate::report", "crate::render", "crate::cmd"],
    );
    assert_eq!(found, Vec::<(String, String)>::new());
}

#[test]
fn figures_build_on_the_model_only() {
    for file in rust_files(&src("figures")) {
        let code = code_of(&file);
        for (at, _) in code.match_indices("crate::") {
            let path = &code[at..];
            assert!(
                ["crate::model", "crate::stats"]
                    .iter()
                    .any(|allowed| path.starts_with(allowed)),
                "{} names {}",
                file.display(),
                &path[..path.find(['}', ';', ',', ' ']).unwrap_or(path.len())]
            );
        }
    }
}

#[test]
fn raw_does_not_import_the_schema_generator() {
    let found = naming(&["raw.rs", "raw"], &["crate::schema"]);
    assert_eq!(found, Vec::<(String, String)>::new());
}

#[test]
fn check_and_export_import_no_other_command() {
    let found = naming(
        &[
            "cmd/check.rs",
            "cmd/export.rs",
            "cmd/scores.rs",
            "cmd/budget.rs",
        ],
        &["crate::cmd::", "super::"],
    );
    assert_eq!(found, Vec::<(String, String)>::new());
}

#[test]
fn the_ledger_checks_and_the_mapped_reader_do_not_import_the_ledger_loader() {
    // Both take the rows as read from `load/ledger_rows.rs`; the loader calls them.
    let found = naming(
        &[
            "validate/ledger.rs",
            "load/mapped.rs",
            "load/ledger_rows.rs",
        ],
        &["crate::load::ledger::", "super::ledger::"],
    );
    assert_eq!(found, Vec::<(String, String)>::new());
}
