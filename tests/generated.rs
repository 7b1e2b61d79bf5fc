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
