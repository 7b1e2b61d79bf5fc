//! The write commands' safety rules (SPEC 11) on real plan folders, through the real binary:
//! every refusal leaves every file byte-identical; the file's mode is kept; nothing is written
//! outside the plan folder; a missing argument asks on a terminal and is a usage error
//! elsewhere. (Golden before/after files are in tests/cmd/write/.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The binary under test; `PLAN_TEST_BIN` runs these tests against another build (an older
/// binary, to see that a test catches what it was written for).
fn plan_bin() -> String {
    std::env::var("PLAN_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_plan").to_string())
}

/// A copy of tests/write/plan (and the survey files beside it) in a fresh temporary folder.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_dir(
        &Path::new(ROOT).join("tests/write/plan"),
        &dir.path().join("plan"),
    );
    for name in ["survey-2013.csv", "survey-odd.csv"] {
        std::fs::copy(
            Path::new(ROOT).join("tests/write").join(name),
            dir.path().join(name),
        )
        .expect("copy survey");
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for entry in std::fs::read_dir(from).expect("read fixture").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes (the "hash" of the folder, kept whole so a failure
/// can say which file changed).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read file");
                out.insert(path.strip_prefix(dir).unwrap_or(&path).to_path_buf(), bytes);
            }
        }
    }
    out
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(plan_bin())
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C")
        .env_remove("PLAN_DIR")
        .args(["--plan", "plan", "--as-of", "2014-06-30"])
        .args(args)
        .output()
        .expect("run plan")
}

#[test]
fn every_refusal_leaves_every_file_byte_identical() {
    let refusals: &[(&[&str], i32)] = &[
        (&["update", "I9", "on-track"], 1),
        (&["update", "I1", "on-trak"], 1),
        (&["update", "I1"], 2),
        (&["update"], 2),
        (&["update", "I1", "done", "--date", "2014-02-30"], 2),
        (&["milestone", "I1", "M9", "--done"], 1),
        (&["milestone", "I9", "M1", "--done"], 1),
        (&["milestone", "I1", "M1"], 2),
        (
            &[
                "milestone",
                "I1",
                "M1",
                "--add",
                "--title",
                "Igen",
                "--due",
                "2014-01-01",
            ],
            1,
        ),
        (
            &[
                "criterion",
                "pirs",
                "--achieved",
                "2015-01-01",
                "--evidence",
                "x",
            ],
            1,
        ),
        (&["criterion", "pris", "--achieved", "2015-01-01"], 2),
        (
            &[
                "ledger",
                "add",
                "pulje",
                "expense",
                "-5",
                "--file",
                "ledger.csv",
            ],
            1,
        ),
        (&["ledger", "add", "pulje", "expense", "-5"], 2),
        (
            &[
                "ledger",
                "add",
                "puljen",
                "expense",
                "100",
                "--file",
                "ledger.csv",
            ],
            1,
        ),
        (
            &[
                "ledger",
                "add",
                "pulje",
                "expense",
                "100",
                "--file",
                "okonomi/2013.csv",
                "--note",
                "Kő",
            ],
            1,
        ),
        (
            &[
                "ledger",
                "add",
                "pulje",
                "expense",
                "100",
                "--file",
                "okonomi/2013.csv",
                "--unit",
                "→",
            ],
            1,
        ),
        (
            &[
                "ledger",
                "add",
                "pulje",
                "hours",
                "100",
                "--file",
                "ledger.csv",
            ],
            1,
        ),
        (
            &[
                "ledger",
                "add",
                "pulje",
                "expense",
                "45.000",
                "--file",
                "ledger.csv",
            ],
            2,
        ),
        (
            &[
                "ledger", "add", "pulje", "expense", "100", "--file", "../x.csv",
            ],
            1,
        ),
        (&["new", "initiative", "I1", "--title", "Igen"], 1),
        (
            &[
                "new",
                "initiative",
                "I3",
                "--title",
                "Ny",
                "--focus-area",
                "F9",
            ],
            1,
        ),
        (&["new", "initiative", "I3"], 2),
        (
            &[
                "survey",
                "add",
                "survey-odd.csv",
                "--wave",
                "2013",
                "--date",
                "2013-11-15",
            ],
            1,
        ),
        (
            &[
                "survey",
                "add",
                "survey-2013.csv",
                "--wave",
                "2013",
                "--date",
                "2013-11-15",
                "--layout",
                "bogus",
            ],
            1,
        ),
        (
            &[
                "init",
                "--title",
                "T",
                "--organisation",
                "O",
                "--start",
                "2025-01-01",
                "--end",
                "2025-12-31",
            ],
            2,
        ),
    ];
    // Output options of the reports: a write command has no report to shape (issue 18).
    let output_options: &[(&[&str], i32)] = &[
        (&["-o", "out.txt", "update", "I1", "on-track"], 2),
        (&["--format", "json", "update", "I1", "on-track"], 2),
        (
            &[
                "--lang",
                "da",
                "ledger",
                "add",
                "pulje",
                "grant",
                "1",
                "--file",
                "ledger.csv",
            ],
            2,
        ),
        (
            &[
                "-o",
                "out.txt",
                "init",
                "ny",
                "--title",
                "T",
                "--organisation",
                "O",
                "--start",
                "2025-01-01",
                "--end",
                "2025-12-31",
            ],
            2,
        ),
    ];
    for (args, code) in refusals.iter().chain(output_options) {
        let dir = fixture();
        let before = snapshot(dir.path());
        let output = run(dir.path(), args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(*code),
            "plan {}: {stderr}",
            args.join(" ")
        );
        let after = snapshot(dir.path());
        for (path, bytes) in &before {
            assert!(
                after.get(path) == Some(bytes),
                "plan {} changed {}",
                args.join(" "),
                path.display()
            );
        }
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>(),
            "plan {} added or removed a file",
            args.join(" ")
        );
    }
}

#[test]
fn a_dry_run_writes_nothing_and_a_run_writes_what_it_showed() {
    let dir = fixture();
    let before = snapshot(dir.path());
    let args = ["update", "I2", "done", "--note", "Færdig", "--dry-run"];
    let output = run(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0));
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(diff.contains("+  status = \"done\""), "{diff}");
    assert_eq!(before, snapshot(dir.path()), "--dry-run wrote");
    let output = run(dir.path(), &args[..5]);
    assert_eq!(output.status.code(), Some(0));
    let after = snapshot(dir.path());
    let file = Path::new("plan/initiatives/02-rum.toml");
    let text = String::from_utf8_lossy(&after[file]).into_owned();
    for line in diff
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
    {
        assert!(text.contains(&line[1..]), "`{line}` is not in the file");
    }
}

/// A write-protected plan file is not replaced by the rename (which only the folder's
/// permissions govern): the command names it and exits 2, and the file stays as it was.
#[cfg(unix)]
#[test]
fn a_read_only_file_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixture();
    let file = dir.path().join("plan/ledger.csv");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = snapshot(dir.path());
    let output = run(
        dir.path(),
        &[
            "ledger",
            "add",
            "pulje",
            "grant",
            "100",
            "--file",
            "ledger.csv",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("plan/ledger.csv is read-only"),
        "the file is not named: {stderr}"
    );
    assert_eq!(
        before,
        snapshot(dir.path()),
        "a read-only file was replaced"
    );
    let mode = std::fs::metadata(&file).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
}

#[cfg(unix)]
#[test]
fn the_mode_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixture();
    let file = dir.path().join("plan/initiatives/01-pulje.toml");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let output = run(dir.path(), &["update", "I1", "on-track"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mode = std::fs::metadata(&file).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // The temporary file is gone.
    let names: Vec<_> = std::fs::read_dir(dir.path().join("plan/initiatives"))
        .expect("read")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[cfg(unix)]
#[test]
fn nothing_is_written_outside_the_plan_folder() {
    let dir = fixture();
    // An initiative file that is a link to a file outside the plan folder.
    let outside = dir.path().join("outside.toml");
    std::fs::write(
        &outside,
        "id = \"I7\"\ntitle = \"Ude\"\nstart = 2013-01-01\nsummary = \"\"\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(&outside, dir.path().join("plan/initiatives/07-ude.toml"))
        .expect("symlink");
    let before = std::fs::read(&outside).expect("read");
    let output = run(dir.path(), &["update", "I7", "on-track"]);
    assert_ne!(output.status.code(), Some(0));
    assert_eq!(before, std::fs::read(&outside).expect("read"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("outside the plan"), "{stderr}");
}

/// A revision is the plan as committed: a write command refuses `--rev` (exit 2), writing nothing.
#[test]
fn a_write_command_refuses_a_revision() {
    let dir = fixture();
    let before = snapshot(&dir.path().join("plan"));
    let output = run(dir.path(), &["--rev", "HEAD", "update", "I1", "on-track"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("as committed, which cannot be changed")
    );
    assert_eq!(before, snapshot(&dir.path().join("plan")));
}

/// A new file in a folder that is a symlink to a place outside the plan (a linked `surveys/`
/// or `initiatives/`) is refused before anything is written: nothing lands outside.
#[cfg(unix)]
#[test]
fn a_new_file_in_a_folder_linked_outside_is_refused() {
    let dir = fixture();
    let outside = dir.path().join("elsewhere");
    std::fs::create_dir(&outside).expect("mkdir");
    let surveys = dir.path().join("plan/surveys");
    std::fs::remove_dir_all(&surveys).ok();
    std::os::unix::fs::symlink(&outside, &surveys).expect("symlink");
    let before = snapshot(&dir.path().join("plan"));
    let output = run(
        dir.path(),
        &[
            "survey",
            "add",
            "survey-2013.csv",
            "--wave",
            "2013",
            "--date",
            "2013-06-01",
        ],
    );
    assert_ne!(output.status.code(), Some(0));
    let shown = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(shown.contains("outside the plan"), "{shown}");
    assert_eq!(std::fs::read_dir(&outside).expect("read").count(), 0);
    assert_eq!(before, snapshot(&dir.path().join("plan")));

    let initiatives = dir.path().join("plan/initiatives");
    let moved = dir.path().join("initiatives-elsewhere");
    std::fs::rename(&initiatives, &moved).expect("move");
    std::os::unix::fs::symlink(&moved, &initiatives).expect("symlink");
    let before = snapshot(&moved);
    let output = run(dir.path(), &["new", "initiative", "I9", "--title", "Ny"]);
    assert_ne!(output.status.code(), Some(0));
    assert_eq!(before, snapshot(&moved));
}

/// SPEC 11 rule 5 on a terminal: `plan update` with no arguments asks for the initiative and
/// the status from lists and for the note, then writes.
#[cfg(unix)]
#[test]
fn on_a_terminal_a_missing_argument_is_asked_for() {
    let dir = fixture();
    let command = format!(
        "{} --plan {} --as-of 2014-06-30 update",
        plan_bin(),
        dir.path().join("plan").display()
    );
    let mut session = rexpect::spawn(&command, Some(30_000)).expect("spawn in a pty");
    // The list is drawn before the terminal is put in raw mode to read a key: a key sent in
    // between may be flushed, so each answer waits for the whole question and a moment more.
    let settle = || std::thread::sleep(std::time::Duration::from_millis(500));
    session
        .exp_string("Choose the initiative")
        .expect("initiative list");
    session
        .exp_string("Innovationsrum")
        .expect("the second initiative is listed");
    settle();
    session.send("j").expect("down"); // I2
    session.flush().expect("flush");
    settle();
    session.send("\r").expect("enter");
    session.flush().expect("flush");
    session
        .exp_string("Choose the status")
        .expect("status list");
    session
        .exp_string("cancelled")
        .expect("every status is listed");
    settle();
    session.send("j").expect("down"); // at-risk
    session.flush().expect("flush");
    settle();
    session.send("\r").expect("enter");
    session.flush().expect("flush");
    session.exp_string("Note").expect("note prompt");
    settle();
    session
        .send_line("Lokalet er stadig ikke fundet")
        .expect("note");
    session.exp_eof().expect("the command ends");
    let text =
        std::fs::read_to_string(dir.path().join("plan/initiatives/02-rum.toml")).expect("read");
    assert!(
        text.ends_with(
            "\r\n\r\n[[update]]\r\n  date = 2014-06-30\r\n  status = \"at-risk\"\r\n  note = \"Lokalet er stadig ikke fundet\"\r\n"
        ),
        "{text:?}"
    );
}

/// The text of `guide` from the heading `heading` to the next heading of the same level.
fn guide_section<'t>(guide: &'t str, heading: &str) -> &'t str {
    let start = guide
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}`"));
    let level = heading.split(' ').next().unwrap_or("##");
    let rest = &guide[start + heading.len()..];
    let end = rest
        .find(&format!("\n{level} "))
        .map_or(guide.len(), |i| start + heading.len() + i);
    &guide[start..end]
}

/// The fenced block after the first line of `text` that contains `caption`.
fn block_after<'t>(text: &'t str, caption: &str) -> &'t str {
    let at = text
        .find(caption)
        .unwrap_or_else(|| panic!("no `{caption}`"));
    let open = at + text[at..].find("```").expect("a block");
    let body = open + text[open..].find('\n').expect("fence line") + 1;
    let close = body + text[body..].find("```").expect("closing fence");
    &text[body..close]
}

/// A command line split as a POSIX shell would (double quotes only, as the guide writes them).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut any) = (false, false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// docs/guide.md, section 4: the commands, run in order on section 2's files, print what the
/// guide shows, and leave a plan that `plan check` passes.
#[test]
fn the_guides_commands_print_what_it_shows() {
    let guide = std::fs::read_to_string(Path::new(ROOT).join("docs/guide.md")).expect("guide");
    let start = guide_section(&guide, "## 2. Start a plan");
    let routine = guide_section(&guide, "## 3. The monthly routine");
    let commands = guide_section(&guide, "## 4. Changing the plan with commands");
    let dir = tempfile::tempdir().expect("temporary folder");
    let files = [
        ("plan/plan.toml", block_after(start, "`plan/plan.toml`")),
        (
            "plan/initiatives/01-selvbetjening.toml",
            block_after(start, "`plan/initiatives/01-selvbetjening.toml`"),
        ),
        ("plan/ledger.csv", block_after(start, "`plan/ledger.csv`")),
        (
            "trivsel-2026.csv",
            block_after(routine, "unchanged as `plan/surveys/2026.csv`"),
        ),
    ];
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let mut ran = 0;
    for block in commands.split("```console\n").skip(1) {
        let block = &block[..block.find("```").expect("closing fence")];
        for step in block.split("$ ").filter(|s| !s.is_empty()) {
            let (line, shown) = step.split_once('\n').unwrap_or((step, ""));
            let args = words(line);
            assert_eq!(args.first().map(String::as_str), Some("plan"), "{line}");
            let output = Command::new(plan_bin())
                .current_dir(dir.path())
                .env("NO_COLOR", "1")
                .env("LC_ALL", "C")
                .env_remove("PLAN_DIR")
                .args(&args[1..])
                .output()
                .expect("run plan");
            let printed = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert_eq!(printed.trim_end(), shown.trim_end(), "$ {line}");
            ran += 1;
        }
    }
    assert!(ran >= 8, "only {ran} commands in the guide's section 4");
}

#[test]
fn a_plan_without_its_ledger_file_gets_one_with_the_header() {
    let dir = fixture();
    let plan_toml = dir.path().join("plan/plan.toml");
    let text = std::fs::read_to_string(&plan_toml).expect("read");
    // The default ledger (no `ledger` key), not written yet.
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("ledger = "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&plan_toml, text).expect("write");
    std::fs::remove_file(dir.path().join("plan/ledger.csv")).expect("remove");
    let output = run(
        dir.path(),
        &["ledger", "add", "pulje", "grant", "45.000,00"],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("plan/ledger.csv")).expect("read"),
        "date,budget,kind,amount,unit,ref,note\n2014-06-30,pulje,grant,45000,,,\n"
    );
}

/// SPEC 11 rule 2 refuses a change that would *add* an error: an error the plan already has
/// elsewhere does not block an edit, and is not shown as the change's; a new one is refused,
/// and only it is shown.
#[test]
fn only_an_error_the_change_adds_refuses_it() {
    let dir = fixture();
    let other = dir.path().join("plan/initiatives/02-rum.toml");
    let text = std::fs::read_to_string(&other).expect("read") + "\nfarve = \"blå\"\n";
    std::fs::write(&other, text).expect("write");
    let check = run(dir.path(), &["check"]);
    assert_eq!(
        check.status.code(),
        Some(1),
        "the plan has an error already"
    );

    let output = run(
        dir.path(),
        &["update", "I1", "on-track", "--note", "Godt i gang"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains("farve"),
        "the old error is not the change's: {stderr}"
    );
    let edited =
        std::fs::read_to_string(dir.path().join("plan/initiatives/01-pulje.toml")).expect("read");
    assert!(edited.contains("Godt i gang"), "{edited}");

    let before = snapshot(dir.path());
    let output = run(dir.path(), &["update", "I1", "finished"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("finished") && !stderr.contains("farve"),
        "{stderr}"
    );
    assert_eq!(before, snapshot(dir.path()), "a refused change wrote");

    // The file that has the error is not written into, even by a change that adds none
    // (issue 18): its error is shown, with E406.
    let output = run(
        dir.path(),
        &["update", "I2", "on-track", "--note", "Fundet"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("farve") && stderr.contains("error[E406]"),
        "{stderr}"
    );
    assert_eq!(
        before,
        snapshot(dir.path()),
        "a file with an error was written into"
    );
}

/// A plan file that is a link (inside the plan folder) is written through: the file it leads
/// to gets the change, and the link stays a link.
#[cfg(unix)]
#[test]
fn a_linked_plan_file_is_written_through() {
    let dir = fixture();
    let plan = dir.path().join("plan");
    std::fs::create_dir(plan.join("kilde")).expect("mkdir");
    std::fs::rename(
        plan.join("initiatives/01-pulje.toml"),
        plan.join("kilde/01-pulje.toml"),
    )
    .expect("move");
    std::os::unix::fs::symlink(
        "../kilde/01-pulje.toml",
        plan.join("initiatives/01-pulje.toml"),
    )
    .expect("link");
    let output = run(
        dir.path(),
        &["update", "I1", "on-track", "--note", "Via et link"],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let link = std::fs::symlink_metadata(plan.join("initiatives/01-pulje.toml")).expect("stat");
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let target = std::fs::read_to_string(plan.join("kilde/01-pulje.toml")).expect("read");
    assert!(target.contains("Via et link"), "{target}");
}

/// A survey file already in a folder of surveys/ is declared where it is: nothing is copied.
#[test]
fn a_survey_file_in_a_folder_of_surveys_is_declared_where_it_is() {
    let dir = fixture();
    let folder = dir.path().join("plan/surveys/2013");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::copy(dir.path().join("survey-2013.csv"), folder.join("svar.csv")).expect("copy");
    let output = run(
        dir.path(),
        &[
            "survey",
            "add",
            "plan/surveys/2013/svar.csv",
            "--wave",
            "2013",
            "--date",
            "2013-11-01",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        !dir.path().join("plan/surveys/svar.csv").exists(),
        "the file was copied"
    );
    let plan = std::fs::read_to_string(dir.path().join("plan/plan.toml")).expect("read");
    assert!(plan.contains("file = \"surveys/2013/svar.csv\""), "{plan}");
}

/// Issue 18: an AMOUNT that two readers would read differently (a decimal mark or a thousands
/// separator before exactly three digits), or that has more than two decimals, is refused
/// (exit 2, nothing written); the unambiguous spellings of both forms are written as meant.
#[test]
fn ledger_add_refuses_amounts_read_two_ways_and_writes_the_rest_as_meant() {
    for amount in [
        "45,000",
        "45.000",
        "1.005",
        "1,005",
        "0,001",
        "0.001",
        "1.000",
        "20000.500",
        "1.5000",
    ] {
        let dir = fixture();
        let before = snapshot(dir.path());
        let output = run(
            dir.path(),
            &[
                "ledger",
                "add",
                "pulje",
                "grant",
                amount,
                "--file",
                "ledger.csv",
            ],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{amount}: {stderr}");
        assert!(
            stderr.contains(&format!("`{amount}`")),
            "{amount}: {stderr}"
        );
        assert_eq!(snapshot(dir.path()), before, "{amount} changed a file");
    }
    for (amount, written) in [
        ("45000.50", "45000.50"),
        ("45.000,50", "45000.50"),
        ("1.000.000", "1000000"),
        ("1,5", "1.50"),
        ("1.5", "1.50"),
        ("1.50", "1.50"),
        ("45000", "45000"),
    ] {
        let dir = fixture();
        let output = run(
            dir.path(),
            &[
                "ledger",
                "add",
                "pulje",
                "grant",
                amount,
                "--file",
                "ledger.csv",
            ],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{amount}: {stderr}");
        let ledger = std::fs::read_to_string(dir.path().join("plan/ledger.csv")).expect("read");
        let last = ledger.lines().last().unwrap_or_default();
        assert_eq!(
            last,
            format!("2014-06-30,pulje,grant,{written},,,"),
            "{amount}"
        );
    }
}

/// One command of [`concurrent_writes_never_lose_a_change`]: its arguments, and the text its
/// change leaves in the plan when it lands.
struct Racer {
    args: Vec<String>,
    mark: String,
    /// `new initiative` of an id another racer may have taken first.
    new_id: Option<String>,
}

fn racer(kind: usize, tag: &str, new_id: &str) -> Racer {
    let owned = |args: &[&str]| args.iter().map(|a| a.to_string()).collect();
    match kind % 3 {
        0 => Racer {
            args: owned(&["update", "I1", "on-track", "--note", tag]),
            mark: format!("note = \"{tag}\""),
            new_id: None,
        },
        1 => Racer {
            args: owned(&[
                "ledger",
                "add",
                "pulje",
                "expense",
                "1",
                "--file",
                "ledger.csv",
                "--note",
                tag,
            ]),
            mark: format!(",{tag}\n"),
            new_id: None,
        },
        _ => Racer {
            args: owned(&["new", "initiative", new_id, "--title", tag]),
            mark: format!("title = \"{tag}\""),
            new_id: Some(new_id.to_string()),
        },
    }
}

/// Every file of the plan's text, joined (the marks are unique, so where one is does not
/// matter), and how many initiative files define each id.
fn plan_text_and_ids(dir: &Path) -> (String, BTreeMap<String, usize>) {
    let mut text = String::new();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for (path, bytes) in snapshot(&dir.join("plan")) {
        let file = String::from_utf8_lossy(&bytes).into_owned();
        if path.starts_with("initiatives")
            && let Some(line) = file.lines().find(|l| l.starts_with("id = "))
        {
            *ids.entry(line.to_string()).or_default() += 1;
        }
        text.push_str(&file);
    }
    (text, ids)
}

/// SPEC 11 rule 3: of write commands on one plan at the same moment, each either lands whole or
/// exits 2 ("run again"); none prints "wrote" with its change lost, and two `new initiative` of
/// one id never both land. Pairs of each kind, then bursts of 20 at once; the invariant is
/// checked after every round. (A `new initiative` whose id another took first is refused as a
/// duplicate, exit 1, as it would be run after it.)
#[test]
fn concurrent_writes_never_lose_a_change() {
    let dir = fixture();
    let mut rounds: Vec<Vec<Racer>> = Vec::new();
    for round in 0..30 {
        let id = format!("P{round}");
        rounds.push(
            ["a", "b"]
                .iter()
                .map(|side| racer(round, &format!("pair {round} {side}"), &id))
                .collect(),
        );
    }
    for burst in 0..2 {
        let id = format!("B{burst}");
        rounds.push(
            (0..20)
                .map(|n| racer(n, &format!("burst {burst} {n}"), &id))
                .collect(),
        );
    }
    let (mut landed, mut waited_out) = (0, 0);
    for (round, racers) in rounds.iter().enumerate() {
        let children: Vec<_> = racers
            .iter()
            .map(|r| {
                Command::new(plan_bin())
                    .current_dir(dir.path())
                    .env("NO_COLOR", "1")
                    .env("LC_ALL", "C")
                    .env_remove("PLAN_DIR")
                    .args(["--plan", "plan", "--as-of", "2014-06-30"])
                    .args(&r.args)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("start plan")
            })
            .collect();
        let outputs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().expect("run plan"))
            .collect();
        let (text, ids) = plan_text_and_ids(dir.path());
        for (r, output) in racers.iter().zip(&outputs) {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let what = format!("round {round}: plan {}: {stderr}", r.args.join(" "));
            match output.status.code() {
                Some(0) => {
                    assert!(stderr.contains("plan: wrote"), "{what}");
                    assert!(
                        text.contains(&r.mark),
                        "said wrote, but its change is lost: {what}"
                    );
                    landed += 1;
                }
                Some(2) => {
                    assert!(stderr.contains("run again"), "{what}");
                    assert!(
                        !text.contains(&r.mark),
                        "exit 2, but its change is there: {what}"
                    );
                    waited_out += 1;
                }
                Some(1) if r.new_id.is_some() => {
                    assert!(stderr.contains("exists already"), "{what}");
                    assert!(!text.contains(&r.mark), "{what}");
                }
                other => panic!("exit {other:?}: {what}"),
            }
        }
        for (id, count) in &ids {
            assert_eq!(*count, 1, "round {round}: `{id}` is defined {count} times");
        }
    }
    assert!(landed > 0, "nothing landed ({waited_out} waited out)");
    assert!(
        !dir.path().join("plan/.plan.lock").exists(),
        "the lock file was left behind"
    );
    // A lock file left by a killed command locks nothing and is not part of the plan.
    std::fs::write(dir.path().join("plan/.plan.lock"), "").expect("write");
    let output = run(dir.path(), &["update", "I2", "done", "--note", "Til sidst"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(dir.path().join("plan/.plan.lock"), "").expect("write");
    let check = run(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("plan.lock"), "{stderr}");
}

/// `plan init` is all or nothing (issue 18): a run that fails while writing (here: killed by a
/// file size limit of 0 at its first byte) leaves no plan folder behind, so the same command run
/// again is not refused as "exists and is not empty", and the plan it writes passes `plan check`.
#[cfg(unix)]
#[test]
fn a_failed_init_does_not_block_its_retry() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let init = format!(
        "{} init ny/plan --title T --organisation O --start 2025-01-01 --end 2025-12-31",
        plan_bin()
    );
    let failed = Command::new("sh")
        .current_dir(dir.path())
        .args(["-c", &format!("ulimit -f 0; exec {init}")])
        .output()
        .expect("run plan init");
    assert!(!failed.status.success(), "the write did not fail");
    assert!(
        !dir.path().join("ny/plan").exists(),
        "a failed init left the plan folder"
    );
    let retry = Command::new("sh")
        .current_dir(dir.path())
        .args(["-c", &init])
        .output()
        .expect("run plan init");
    assert_eq!(
        retry.status.code(),
        Some(0),
        "the retry: {}",
        String::from_utf8_lossy(&retry.stderr)
    );
    let check = Command::new(plan_bin())
        .current_dir(dir.path())
        .args(["--plan", "ny/plan", "check"])
        .output()
        .expect("run plan check");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// SPEC 11 rule 2 (issue 18): a command run twice does not make its change twice. The second
/// run is refused (E403) with what is there, and the plan keeps one of each.
#[test]
fn a_command_run_twice_changes_the_plan_once() {
    let dir = fixture();
    let twice: &[&[&str]] = &[
        &[
            "survey",
            "add",
            "survey-2013.csv",
            "--wave",
            "2013",
            "--date",
            "2013-11-15",
        ],
        &["update", "I1", "at-risk", "--note", "Forsinket"],
        &["milestone", "I1", "M1", "--done"],
        &[
            "criterion",
            "pris",
            "--achieved",
            "2014-05-01",
            "--evidence",
            "Nomineret",
        ],
    ];
    for args in twice {
        let first = run(dir.path(), args);
        assert_eq!(
            first.status.code(),
            Some(0),
            "plan {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&first.stderr)
        );
        let before = snapshot(dir.path());
        let again = run(dir.path(), args);
        let stderr = String::from_utf8_lossy(&again.stderr);
        assert_eq!(
            again.status.code(),
            Some(1),
            "plan {}: {stderr}",
            args.join(" ")
        );
        assert!(stderr.contains("error[E403]"), "{stderr}");
        assert_eq!(
            before,
            snapshot(dir.path()),
            "plan {} wrote again",
            args.join(" ")
        );
    }
    // A done milestone keeps its date when marked done on a later day, even with a date given.
    let later = Command::new(plan_bin())
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["--plan", "plan", "--as-of", "2014-09-01"])
        .args(["milestone", "I1", "M1", "--done", "2014-09-01"])
        .output()
        .expect("run plan");
    assert_eq!(later.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&later.stderr).contains("error[E405]"));
    let text =
        std::fs::read_to_string(dir.path().join("plan/initiatives/01-pulje.toml")).expect("read");
    assert!(text.contains("done = 2014-06-30"), "{text}");
    let plan = std::fs::read_to_string(dir.path().join("plan/plan.toml")).expect("read");
    assert_eq!(plan.matches("[[survey]]").count(), 1, "{plan}");
    let check = run(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0));
}
