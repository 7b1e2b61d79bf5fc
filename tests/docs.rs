//! The user documentation stays inside the repository and stays true: every link in README.md
//! and docs/ leads to a file (and heading) of the repository, no shipped file points at a path
//! outside it, every `$ plan --plan …` example in the docs prints what the docs show, and the
//! walk-through of `docs/guide.md` gives the outputs it shows when replayed step by step.

#[path = "common/repo.rs"]
mod repo;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `plan` with a fixed locale and no colour, in `dir`.
fn plan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(args)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        // Outside any repository, as the goldens of tests/cli.rs: the status screen then
        // shows no commit line, which would change with every commit.
        .env("GIT_CEILING_DIRECTORIES", ROOT)
        .env_remove("PLAN_DIR")
        .env_remove("LANG")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("run plan")
}

/// What a reader sees in a terminal: standard output, then standard error, without a BOM.
fn shown(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
    .replace('\u{feff}', "")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// README.md and every Markdown file under docs/ and examples/.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![Path::new(ROOT).join("README.md")];
    let mut dirs = vec![
        Path::new(ROOT).join("docs"),
        Path::new(ROOT).join("examples"),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The targets of the Markdown links `[text](target)` in `text`.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        if let Some(end) = after.find(')') {
            targets.push(after[..end].to_string());
        }
        rest = after;
    }
    targets
}

/// GitHub's anchor for a heading: lowercase; letters, digits, `-` and `_` kept; spaces become `-`;
/// everything else dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The anchors of the headings of a Markdown text (outside fenced blocks).
fn anchors(text: &str) -> HashSet<String> {
    let mut in_fence = false;
    let mut found = HashSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && line.starts_with('#') {
            found.insert(slug(line.trim_start_matches('#')));
        }
    }
    found
}

#[test]
fn links_lead_to_files_and_headings_inside_the_repository() {
    let root = Path::new(ROOT).canonicalize().expect("root");
    let mut broken = Vec::new();
    for file in markdown_files() {
        let text = read(&file);
        for target in link_targets(&text) {
            if target.starts_with("http://") || target.starts_with("https://") {
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let resolved = if path.is_empty() {
                file.clone()
            } else {
                file.parent().expect("parent").join(path)
            };
            let inside = resolved
                .canonicalize()
                .is_ok_and(|p| p.starts_with(&root) && !path.starts_with('/'));
            if !inside {
                broken.push(format!(
                    "{}: {target} (no such file in the repository)",
                    file.display()
                ));
                continue;
            }
            if !anchor.is_empty()
                && resolved.extension().is_some_and(|e| e == "md")
                && !anchors(&read(&resolved)).contains(anchor)
            {
                broken.push(format!("{}: {target} (no such heading)", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn no_shipped_file_points_outside_the_repository() {
    // Spelled in pieces, so that this file does not match itself.
    let needles = [["..", "shared"].join("/"), ["", "work", "shared"].join("/")];
    let mut files: Vec<PathBuf> = vec![Path::new(ROOT).join("README.md")];
    let mut dirs: Vec<PathBuf> = ["docs", "plan", "examples", "schema", "src", "tests"]
        .iter()
        .map(|d| Path::new(ROOT).join(d))
        .collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            // Never follow a link or open a FIFO: test fixtures hold both on purpose.
            let kind = std::fs::symlink_metadata(&path)
                .expect("metadata")
                .file_type();
            if kind.is_dir() {
                dirs.push(path);
            } else if kind.is_file() {
                files.push(path);
            }
        }
    }
    let mut found = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        for needle in &needles {
            if text.contains(needle.as_str()) {
                found.push(format!("{} mentions {needle}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The `$ …` commands of the fenced blocks of `text`, each with the lines shown after it (up to
/// the next command or the end of the block).
fn shown_commands(text: &str) -> Vec<(String, Vec<String>)> {
    let mut commands: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_fence = false;
    let mut current: Option<(String, Vec<String>)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
            commands.extend(current.take());
        } else if in_fence {
            if let Some(command) = line.strip_prefix("$ ") {
                commands.extend(current.take());
                current = Some((command.to_string(), Vec::new()));
            } else if let Some((_, lines)) = current.as_mut() {
                lines.push(line.to_string());
            }
        }
    }
    commands
}

/// Whether `got` is what the docs show in `expected`: the same lines, where a line `…` stands
/// for any lines left out (none or more). So a last line `…` shows only the beginning, and a
/// `…` between lines shows lines further down, in order.
fn shows(got: &[&str], expected: &[String]) -> bool {
    let mut parts = expected.split(|l| l == "…");
    let first = parts.next().unwrap_or_default();
    if !got.starts_with_lines(first) {
        return false;
    }
    let mut at = first.len();
    let rest: Vec<&[String]> = parts.collect();
    for (i, part) in rest.iter().enumerate() {
        if i + 1 == rest.len() {
            // After the last `…`: the end of the output (nothing when the `…` is last).
            return part.is_empty()
                || (got.len() >= at + part.len() && got[got.len() - part.len()..].same(part));
        }
        match (at..=got.len().saturating_sub(part.len()))
            .find(|&from| got[from..from + part.len()].same(part))
        {
            Some(from) => at = from + part.len(),
            None => return false,
        }
    }
    got.len() == at
}

/// Line-by-line comparison of output lines with the lines the docs show.
trait Lines {
    fn same(&self, shown: &[String]) -> bool;
    fn starts_with_lines(&self, shown: &[String]) -> bool;
}

impl Lines for [&str] {
    fn same(&self, shown: &[String]) -> bool {
        self.len() == shown.len() && self.iter().zip(shown).all(|(a, b)| a == b)
    }
    fn starts_with_lines(&self, shown: &[String]) -> bool {
        self.len() >= shown.len() && self[..shown.len()].same(shown)
    }
}

/// Run `$ plan …` in `dir` and compare with the lines shown ([`shows`]: a line `…` stands for
/// lines left out). Returns a description of the difference, if any.
fn differs(dir: &Path, command: &str, expected: &[String]) -> Option<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    assert!(
        !command.contains(['"', '\'', '|', '>', '<']),
        "`{command}`: keep shown commands to plain words"
    );
    if words.first() == Some(&"cat") {
        let got = read(&dir.join(words[1])).replace('\u{feff}', "");
        let got: Vec<&str> = got.lines().collect();
        return (got != expected.iter().map(String::as_str).collect::<Vec<_>>())
            .then(|| format!("$ {command}\n{}", got.join("\n")));
    }
    assert_eq!(words.first(), Some(&"plan"), "`{command}`");
    let output = plan(dir, &words[1..]);
    let got = shown(&output);
    let got: Vec<&str> = got.lines().collect();
    (!shows(&got, expected)).then(|| format!("$ {command}\n{}", got.join("\n")))
}

#[test]
fn examples_on_the_shipped_plans_print_what_the_docs_show() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for file in markdown_files() {
        for (command, expected) in shown_commands(&read(&file)) {
            // Commands on a plan folder of this repository run from its root; the guide's
            // walk-through on a plan of its own is replayed by the next test.
            if !command.starts_with("plan ") || !command.contains("--plan ") {
                continue;
            }
            checked += 1;
            if let Some(d) = differs(Path::new(ROOT), &command, &expected) {
                wrong.push(format!("{}:\n{d}", file.display()));
            }
        }
    }
    assert!(checked >= 3, "only {checked} examples found");
    assert!(
        wrong.is_empty(),
        "the docs show other output:\n\n{}",
        wrong.join("\n\n")
    );
}

/// The text of the section of `text` whose heading starts with `heading`, up to the next
/// heading of the same or a higher level.
fn section<'t>(text: &'t str, heading: &str) -> &'t str {
    let start = text
        .find(&format!("\n{heading}"))
        .unwrap_or_else(|| panic!("no section `{heading}`"))
        + 1;
    let level = heading.chars().take_while(|c| *c == '#').count();
    let body = &text[start..];
    let mut in_fence = false;
    let mut offset = 0;
    for (i, line) in body.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if i > 0 && !in_fence && hashes > 0 && hashes <= level && line[hashes..].starts_with(' ') {
            return &body[..offset];
        }
        offset += line.len() + 1;
    }
    body
}

/// The fenced block that follows the first line of `text` that starts with `caption`.
fn block_after<'t>(text: &'t str, caption: &str) -> &'t str {
    let at = text
        .find(&format!("\n{caption}"))
        .unwrap_or_else(|| panic!("no `{caption}`"));
    let open = at + text[at..].find("```").expect("a block");
    let body = open + text[open..].find('\n').expect("fence line") + 1;
    let close = body + text[body..].find("```").expect("end of block");
    &text[body..close]
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Replays sections 2, 3, 5 and 6 of docs/guide.md in a temporary folder: writes the files it
/// shows, makes the edits it describes, and runs each `$ plan …` it shows.
#[test]
fn the_guide_walk_through_prints_what_it_shows() {
    let guide = read(&Path::new(ROOT).join("docs/guide.md"));
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let mut wrong = Vec::new();
    let run_all = |text: &str, wrong: &mut Vec<String>| {
        for (command, expected) in shown_commands(text) {
            wrong.extend(differs(root, &command, &expected));
        }
    };

    // 2. Start a plan: three files.
    let start = section(&guide, "## 2. Start a plan");
    write(
        &root.join("plan/plan.toml"),
        block_after(start, "`plan/plan.toml`"),
    );
    let initiative = root.join("plan/initiatives/01-selvbetjening.toml");
    write(
        &initiative,
        block_after(start, "`plan/initiatives/01-selvbetjening.toml`"),
    );
    write(
        &root.join("plan/ledger.csv"),
        block_after(start, "`plan/ledger.csv`"),
    );
    run_all(start, &mut wrong);

    // 3. An update: the shown milestones replace the first one, the update is appended.
    let routine = section(&guide, "## 3. The monthly routine");
    let update = section(routine, "### An update per initiative");
    let edit = block_after(update, "Ask each owner");
    let text = read(&initiative);
    let first_milestone = text.find("[[milestone]]").expect("a milestone");
    write(&initiative, &format!("{}{edit}", &text[..first_milestone]));
    run_all(update, &mut wrong);

    // The ledger from finance, saved as "CSV UTF-8" (with a BOM), read through `ledger`; the
    // amount typed with a decimal point is fixed after the first check.
    let ledger = section(routine, "### The ledger rows from finance");
    let finance = root.join("plan/okonomi/2026-11.csv");
    write(
        &finance,
        &format!(
            "\u{feff}{}",
            block_after(ledger, "`plan/okonomi/2026-11.csv`")
        ),
    );
    let plan_toml = root.join("plan/plan.toml");
    let period_line = "period = { start = 2026-01-01, end = 2028-12-31 }\n";
    let ledger_key = block_after(ledger, "Tell the plan");
    write(
        &plan_toml,
        &read(&plan_toml).replacen(period_line, &format!("{period_line}{ledger_key}"), 1),
    );
    let commands = shown_commands(ledger);
    assert_eq!(commands.len(), 2, "a failing check, then the budget");
    wrong.extend(differs(root, &commands[0].0, &commands[0].1));
    // 5. CI: the annotation shown for the same mistake.
    let ci = section(&guide, "## 5. `plan check` in CI");
    let annotation = block_after(ci, "- **GitHub Actions**").trim();
    let github = shown(&plan(
        root,
        &["--as-of", "2026-11-30", "check", "--format", "github"],
    ));
    if !github.lines().any(|l| l == annotation) {
        wrong.push(format!("$ plan check --format github\n{github}"));
    }
    write(&finance, &read(&finance).replace("42318.75", "42.318,75"));
    wrong.extend(differs(root, &commands[1].0, &commands[1].1));

    // A new survey wave: the vendor's file, then its [[survey]] entry.
    let survey = section(routine, "### A new survey wave");
    write(
        &root.join("plan/surveys/2026.csv"),
        &format!(
            "\u{feff}{}",
            block_after(survey, "unchanged as `plan/surveys/2026.csv`")
        ),
    );
    let entry = block_after(survey, "and declare it");
    write(&plan_toml, &format!("{}\n{entry}", read(&plan_toml)));
    run_all(survey, &mut wrong);
    let check = plan(root, &["--as-of", "2026-11-30", "check"]);
    assert_eq!(shown(&check), "plan: 0 errors, 0 warnings\n");

    // 6. The report for the committee.
    let report = section(&guide, "## 6. The report for the committee");
    let written = plan(
        root,
        &[
            "--as-of",
            "2026-11-30",
            "--lang",
            "da",
            "report",
            "-o",
            "udvalg-2026-11.html",
        ],
    );
    assert!(written.status.success(), "{}", shown(&written));
    assert!(root.join("udvalg-2026-11.html").is_file());
    assert!(report.contains("plan --as-of 2026-11-30 --lang da report -o udvalg-2026-11.html"));
    run_all(report, &mut wrong);

    assert!(
        wrong.is_empty(),
        "the guide shows other output:\n\n{}",
        wrong.join("\n\n")
    );
}

#[test]
fn a_line_of_dots_stands_for_lines_left_out() {
    let got = ["a", "b", "c", "d", "e"];
    let lines = |shown: &[&str]| shown.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(shows(&got, &lines(&["a", "b", "c", "d", "e"])));
    assert!(!shows(&got, &lines(&["a", "b"])));
    assert!(shows(&got, &lines(&["a", "b", "…"])));
    assert!(shows(&got, &lines(&["a", "…", "c", "…"])));
    assert!(shows(&got, &lines(&["a", "…", "b", "c", "…", "e"])));
    assert!(shows(&got, &lines(&["…", "e"])));
    // In order, and the part after the last `…` is the end.
    assert!(!shows(&got, &lines(&["a", "…", "d", "…", "c", "…"])));
    assert!(!shows(&got, &lines(&["a", "…", "d"])));
    assert!(!shows(&got, &lines(&["a", "…", "x", "…"])));
}

/// The section 1 of docs/guide.md names the Rust version `Cargo.toml` asks for
/// (`rust-version`) and how to install it.
#[test]
fn the_guide_names_the_rust_version_cargo_toml_asks_for() {
    let cargo = read(&Path::new(ROOT).join("Cargo.toml"));
    let version = cargo
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("Cargo.toml names a rust-version");
    let guide = read(&Path::new(ROOT).join("docs/guide.md"));
    let install = section(&guide, "## 1. Install");
    assert!(
        install.contains(&format!("Rust {version}")),
        "section 1 does not name Rust {version}:\n{install}"
    );
    assert!(
        install.contains("rustup"),
        "section 1 does not say how to install Rust"
    );
    // No other Rust version is named anywhere in the guide.
    for (at, _) in guide.match_indices("Rust 1.") {
        assert!(
            guide[at..].starts_with(&format!("Rust {version}")),
            "the guide names another Rust version: {}",
            &guide[at..(at + 12).min(guide.len())]
        );
    }
}

/// Section 7 of docs/guide.md, the history, has content, and each `$ plan …` it shows prints
/// what it shows in the repository `examples/history/make.sh` builds (where the section says to
/// run them).
#[test]
fn the_guide_history_section_prints_what_it_shows_on_the_example_history() {
    let guide = read(&Path::new(ROOT).join("docs/guide.md"));
    let history = section(&guide, "## 7. History");
    assert!(
        !history.contains("<!--"),
        "section 7 still holds a placeholder"
    );
    let commands = shown_commands(history);
    for needed in ["--rev ", "plan diff ", "plan log ", "--baseline "] {
        assert!(
            commands.iter().any(|(c, _)| c.contains(needed)),
            "section 7 shows no `{needed}` command"
        );
    }
    assert!(history.contains("examples/history/make.sh"));
    let repo = repo::example();
    let wrong: Vec<String> = commands
        .iter()
        .filter_map(|(command, expected)| differs(&repo.root, command, expected))
        .collect();
    assert!(
        wrong.is_empty(),
        "section 7 shows other output:\n\n{}",
        wrong.join("\n\n")
    );
}
