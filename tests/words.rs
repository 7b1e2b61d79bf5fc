//! What people read (issue 18): `plan diff` and `plan log` as committee minutes want them
//! (money, hours and plan-file values in words, in the language of `--lang`; CSV and JSON keep
//! machine values), and no terminal control character from a note or a title reaching the
//! terminal, with colour on or off.

#[path = "common/repo.rs"]
mod repo;

use repo::{HOLDER, Repo};

/// Compare with `tests/history/NAME`; `HISTORY_OVERWRITE=1 cargo test --test words`
/// writes the files instead (then read the diff before committing it).
fn golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/history")
        .join(name);
    if std::env::var_os("HISTORY_OVERWRITE").is_some() {
        std::fs::write(&path, actual).expect("write");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{name} differs (regenerate with HISTORY_OVERWRITE=1 cargo test --test words, then read the diff):\n{actual}"
    );
}

/// Run `plan ARGS` in the repository: its standard output, after checking it succeeded.
fn run(repo: &Repo, args: &[&str]) -> String {
    let output = repo.plan(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "plan {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The plan of format additions (money by the year, funding, valued hours) adopted, then a
/// commit that changes its money and hours and adds an update whose note carries a colour
/// escape and a bell, and a commit whose summary carries one too.
fn history() -> Repo {
    let repo = Repo::new();
    repo.copy_dir("tests/plans/additions", "plan");
    repo.commit_at(HOLDER, "2025-01-10T12:00:00+01:00", "Vedtaget");
    let plan = repo.read("plan/plan.toml");
    let plan = plan
        .replace(
            "amounts = { 2023 = 2000000, 2024 = 2000000,",
            "amounts = { 2023 = 2000000, 2024 = 2500000,",
        )
        .replace(
            "{ source = \"Egenfinansiering\", amount = 2800000, secured = false }",
            "{ source = \"Egenfinansiering\", amount = 3300000 }",
        )
        .replace("amount = 1000000", "amount = 1250000")
        .replace(
            "hours = { 2025 = 337, 2026 = 303 }",
            "hours = { 2025 = 337, 2026 = 350 }",
        );
    repo.write("plan/plan.toml", &plan);
    let i1 = repo.read("plan/initiatives/i1.toml");
    repo.write(
        "plan/initiatives/i1.toml",
        &(i1 + "\n[[update]]\ndate = 2025-06-01\nstatus = \"done\"\nnote = \"Rød \\u001b[31mtekst\\u0007 og mere\"\n"),
    );
    repo.commit_at(
        HOLDER,
        "2025-06-15T12:00:00+02:00",
        "Budget 2024 \u{1b}[32mopjusteret",
    );
    repo
}

#[test]
fn diff_and_log_read_as_words() {
    let repo = history();
    let mut all = String::new();
    for args in [
        &["diff", "HEAD~1", "HEAD"][..],
        &[
            "--lang", "da", "--format", "markdown", "diff", "HEAD~1", "HEAD",
        ],
        &["--lang", "da", "log", "I1"],
    ] {
        let out = run(&repo, args);
        // A note's ESC and BEL are shown, never sent: the terminal's colours stay.
        assert!(!out.contains(['\u{1b}', '\u{7}']), "plan {args:?}:\n{out}");
        all.push_str(&format!("$ plan {}\n{out}", args.join(" ")));
    }
    golden("words.txt", &all);
}

#[test]
fn machine_formats_keep_machine_values() {
    let repo = history();
    let csv = run(&repo, &["--format", "csv", "diff", "HEAD~1", "HEAD"]);
    assert!(
        csv.starts_with("kind,id,field,before,after,days\n"),
        "{csv}"
    );
    assert!(
        csv.contains("budget,cykelpulje,amount,1000000,1250000,\n"),
        "{csv}"
    );
    // The note as written, control characters included: CSV is data, not a terminal.
    assert!(csv.contains("\u{1b}[31mtekst\u{7}"), "{csv}");
    let json = run(&repo, &["--format", "json", "diff", "HEAD~1", "HEAD"]);
    assert!(json.contains("\"before\": \"1000000\""), "{json}");
    assert!(!json.contains("reading"), "{json}");
    // The same in either language.
    for format in ["csv", "json"] {
        let en = run(&repo, &["--format", format, "log"]);
        let da = run(&repo, &["--lang", "da", "--format", format, "log"]);
        assert_eq!(en, da, "--format {format}");
    }
}

/// With colour on, the tool's own colours are sent and the plan's escapes are shown: a note
/// with ESC[31m does not turn the terminal red.
#[test]
fn colour_on_sends_only_the_tools_own_escapes() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/initiatives/escape.in");
    for args in [&["initiatives", "A"][..], &["status"], &["initiatives"]] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_plan"))
            .args(["--color", "always", "--as-of", "2020-06-30"])
            .args(args)
            .current_dir(&dir)
            .env_remove("NO_COLOR")
            .env_remove("PLAN_DIR")
            .env("LC_ALL", "C")
            .env("GIT_CEILING_DIRECTORIES", env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("plan");
        let out = String::from_utf8(output.stdout).expect("UTF-8");
        assert_eq!(output.status.code(), Some(0), "plan {args:?}:\n{out}");
        for sent in [
            "\u{1b}[31mtekst",
            "\u{1b}[32momstilling",
            "\u{1b}]0;",
            "\u{7}",
            "\u{8}",
        ] {
            assert!(!out.contains(sent), "plan {args:?} sends {sent:?}:\n{out}");
        }
        assert!(out.contains("^[[32momstilling"), "plan {args:?}:\n{out}");
        if args != ["initiatives"] {
            // The status word is still painted: colour is on.
            assert!(
                out.contains("\u{1b}[32mon-track\u{1b}[0m"),
                "plan {args:?}:\n{out}"
            );
        }
    }
}
