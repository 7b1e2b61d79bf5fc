//! Outputs that clap generates from the command line: completion scripts and man pages.
//! Their text changes with every option, so these tests check their shape, not every byte.

use std::process::{Command, Output};

fn plan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run plan")
}

fn stdout(args: &[&str]) -> String {
    let output = plan(args);
    assert!(output.status.success(), "plan {args:?} failed");
    assert!(output.stderr.is_empty(), "plan {args:?} wrote to stderr");
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn completions_for_every_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        for word in ["status", "check", "export", "as-of"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    assert_eq!(plan(&["completions", "cmd.exe"]).status.code(), Some(2));
}

#[test]
fn man_pages_are_roff() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH plan 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"));
    let page = stdout(&["man", "check"]);
    assert!(page.contains(".TH plan-check 1"), "{page}");
    assert!(page.contains("\"plan 0."), "{page}");
    assert!(page.contains("deny\\-warnings"));
    let wrong = plan(&["man", "chek"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("did you mean `check`?"));
}

#[test]
fn the_diagnostics_page_lists_the_catalogue() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md"))
        .expect("docs/diagnostics.md");
    let begin = "<!-- BEGIN plan codes --format markdown -->\n";
    let end = "<!-- END plan codes -->";
    let start = page.find(begin).expect("BEGIN marker") + begin.len();
    let stop = page.find(end).expect("END marker");
    assert!(
        page[start..stop] == stdout(&["codes", "--format", "markdown"]),
        "docs/diagnostics.md disagrees with the catalogue in src/diag/mod.rs: replace its table \
         with the output of `cargo run -- codes --format markdown`"
    );
}

#[test]
fn codes_come_in_every_format() {
    let csv = stdout(&["codes", "--format", "csv"]);
    assert!(
        csv.starts_with("code,severity,summary\nE001,error,"),
        "{csv}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["codes", "--format", "json"])).expect("JSON");
    assert_eq!(json["rows"][0]["code"], "E001");
    assert!(stdout(&["codes"]).contains("W001  warning"));
}
