//! No input makes `plan` panic, hang or exit with anything but 0, 1 or 2.
//!
//! Random byte mutations of the example plan's files, and the edge cases of issue 7 that
//! concern the plan and initiative files, each run through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Run `plan check` on `dir`; fail the test on a panic or a hang (a liveness guard, not a
/// performance assertion: a healthy run takes milliseconds; the guard is generous because a
/// debug build on a loaded machine can take a minute over a 100 MB file).
fn check(dir: &Path, extra: &[&str]) -> Output {
    let mut args = extra.to_vec();
    args.push("check");
    run(dir, &args)
}

/// Run `plan ARGS` on `dir` as of 2022-06-30, with the same guards as [`check`].
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plan"))
        .arg("--plan")
        .arg(dir)
        .args(["--as-of", "2022-06-30"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn plan");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(300) {
            child.kill().ok();
            panic!("plan {args:?} hung on {}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let output = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked"),
        "panic on {}:\n{stderr}",
        dir.display()
    );
    output
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code, not a signal")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_below(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// xorshift64*: a deterministic generator, so a failure can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn random_mutations_never_panic() {
    let work = tempfile::tempdir().expect("tempdir");
    let interesting = b"=\"[]{}.,;\n\r\t\0\xff\xc3#-'0123456789";
    let mut broken = 0;
    for seed in 1..=200u64 {
        let dir = work.path().join(format!("case-{seed}"));
        copy_dir(Path::new("examples/fjordby"), &dir);
        let files = files_below(&dir);
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let target = &files[rng.below(files.len())];
        let mut bytes = std::fs::read(target).expect("read");
        for _ in 0..=rng.below(8) {
            let at = rng.below(bytes.len() + 1);
            match rng.below(4) {
                0 if at < bytes.len() => bytes[at] = interesting[rng.below(interesting.len())],
                1 if at < bytes.len() => {
                    bytes.remove(at);
                }
                2 => bytes.insert(at, interesting[rng.below(interesting.len())]),
                _ => bytes.truncate(at),
            }
        }
        std::fs::write(target, &bytes).expect("write");
        let output = check(&dir, &["--format", "json"]);
        match code(&output) {
            0 | 2 => {}
            1 => {
                // Broken: every error names its file, and a line wherever the text has one.
                broken += 1;
                let report: serde_json::Value =
                    serde_json::from_slice(&output.stdout).expect("check --format json");
                let errors: Vec<&serde_json::Value> = report["diagnostics"]
                    .as_array()
                    .expect("diagnostics")
                    .iter()
                    .filter(|d| d["severity"] == "error")
                    .collect();
                assert!(!errors.is_empty(), "seed {seed}: exit 1 without an error");
                for e in errors {
                    assert!(e["file"].is_string(), "seed {seed}: no file in {e}");
                    let whole_file = ["E003", "E013", "E014", "E102"];
                    if !whole_file.contains(&e["code"].as_str().unwrap_or_default()) {
                        assert!(e["line"].is_u64(), "seed {seed}: no line in {e}");
                    }
                }
            }
            other => panic!("seed {seed}: exit {other}"),
        }
        std::fs::remove_dir_all(&dir).ok();
    }
    // The mutations must actually break plans, or this test proves little.
    assert!(
        broken > 100,
        "only {broken} of 200 mutations broke the plan"
    );
}

fn plan_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
    dir
}

const VALID_PLAN: &[u8] = b"format = 1\nid = \"p\"\ntitle = \"T\"\norganisation = \"O\"\nperiod = { start = 2020-01-01, end = 2023-12-31 }\n";

#[test]
fn empty_plan_file_is_an_error_naming_the_missing_keys() {
    let dir = plan_with(&[("plan.toml", b"")]);
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 1);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("E003") && stdout.contains("plan.toml"),
        "{stdout}"
    );
}

#[test]
fn nul_bytes_are_not_text() {
    let dir = plan_with(&[
        ("plan.toml", VALID_PLAN),
        ("initiatives/a.toml", &[0u8; 4096]),
    ]);
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 1);
    assert!(String::from_utf8_lossy(&output.stdout).contains("E014"));
}

#[test]
fn a_directory_where_plan_toml_should_be() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("plan.toml")).expect("mkdir");
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 1);
    assert!(String::from_utf8_lossy(&output.stdout).contains("E014"));
}

#[test]
fn missing_plan_toml_exits_2_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("plan.toml"));
}

#[cfg(unix)]
#[test]
fn a_fifo_in_initiatives_does_not_hang() {
    let dir = plan_with(&[("plan.toml", VALID_PLAN)]);
    std::fs::create_dir(dir.path().join("initiatives")).expect("mkdir");
    let fifo = dir.path().join("initiatives/pipe.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 1);
    assert!(String::from_utf8_lossy(&output.stdout).contains("E014"));
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_plan_is_refused() {
    let outside = plan_with(&[(
        "secret.toml",
        b"id = \"I9\"\ntitle = \"x\"\nstart = 2020-01-01\nsummary = \"s\"\n",
    )]);
    let dir = plan_with(&[("plan.toml", VALID_PLAN)]);
    std::fs::create_dir(dir.path().join("initiatives")).expect("mkdir");
    std::os::unix::fs::symlink(
        outside.path().join("secret.toml"),
        dir.path().join("initiatives/link.toml"),
    )
    .expect("symlink");
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 1);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("E012") && stdout.contains("link.toml"),
        "{stdout}"
    );
}

#[test]
fn deeply_nested_toml_is_an_error_not_a_stack_overflow() {
    let mut text = VALID_PLAN.to_vec();
    text.extend_from_slice(b"x = ");
    text.extend(std::iter::repeat_n(b'[', 200_000));
    text.extend(std::iter::repeat_n(b']', 200_000));
    let dir = plan_with(&[("plan.toml", &text)]);
    assert_eq!(code(&check(dir.path(), &[])), 1);
}

#[test]
fn a_single_huge_line_is_reported_without_echoing_it() {
    let mut text = VALID_PLAN.to_vec();
    text.extend_from_slice(b"purpose = \"");
    text.extend(std::iter::repeat_n(b'a', 20_000_000));
    // No closing quote: a syntax error on a 20 MB line.
    let dir = plan_with(&[("plan.toml", &text)]);
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 1);
    assert!(output.stdout.len() < 10_000, "the line was echoed");
}

#[test]
fn dates_at_the_ends_of_the_calendar() {
    let text = b"format = 1\nid = \"p\"\ntitle = \"T\"\norganisation = \"O\"\nperiod = { start = 0001-01-01, end = 9999-12-31 }\n";
    let dir = plan_with(&[
        ("plan.toml", text),
        // (A milestone due before its initiative starts is warned about, W403: the dates are
        // the other way round, still a whole calendar apart.)
        ("initiatives/a.toml", b"id = \"I1\"\ntitle = \"x\"\nstart = 0001-01-01\nsummary = \"s\"\n[[milestone]]\nid = \"M\"\ntitle = \"m\"\ndue = 9999-12-31\n"),
    ]);
    let output = check(dir.path(), &[]);
    assert!(matches!(code(&output), 0 | 1));
    let status = Command::new(env!("CARGO_BIN_EXE_plan"))
        .arg("--plan")
        .arg(dir.path())
        .args(["--as-of", "9999-12-31", "status"])
        .output()
        .expect("run");
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn an_amount_that_overflows_i64_ore_is_an_error() {
    let mut text = VALID_PLAN.to_vec();
    text.extend_from_slice(b"[[budget]]\nid = \"b\"\ntitle = \"t\"\nkind = \"money\"\namount = \"92233720368547758.08\"\n");
    let dir = plan_with(&[("plan.toml", &text)]);
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 1);
    assert!(String::from_utf8_lossy(&output.stdout).contains("E011"));
}

const PLAN_WITH_BUDGET: &[u8] = b"format = 1\nid = \"p\"\ntitle = \"T\"\norganisation = \"O\"\nperiod = { start = 2020-01-01, end = 2023-12-31 }\n[[budget]]\nid = \"b\"\ntitle = \"t\"\nkind = \"money\"\namount = 100\n";

#[test]
fn a_100_mb_cell_is_reported_without_printing_it() {
    let mut ledger = b"date,budget,kind,amount\n2020-01-01,b,grant,".to_vec();
    ledger.extend(std::iter::repeat_n(b'9', 100_000_000));
    ledger.push(b'\n');
    let dir = plan_with(&[("plan.toml", PLAN_WITH_BUDGET), ("ledger.csv", &ledger)]);
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 1);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("E103") && stdout.contains("ledger.csv:2:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("…[99999783 characters]…"),
        "the message says what it left out"
    );
    assert!(output.stdout.len() < 10_000, "the cell was echoed");
}

#[test]
fn a_csv_with_100000_columns_reports_a_capped_list() {
    let mut header = String::from("date,budget,kind,amount");
    for i in 0..100_000 {
        header.push_str(&format!(",extra{i}"));
    }
    header.push('\n');
    let dir = plan_with(&[
        ("plan.toml", PLAN_WITH_BUDGET),
        ("ledger.csv", header.as_bytes()),
    ]);
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 0, "extra columns are warnings");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("and 99950 more W004"),
        "{}",
        &stdout[stdout.len().saturating_sub(500)..]
    );
    assert!(stdout.contains("0 errors, 100000 warnings"));
}

#[cfg(unix)]
#[test]
fn a_ledger_that_is_a_fifo_or_a_directory_does_not_hang() {
    for make in ["fifo", "dir"] {
        let dir = plan_with(&[("plan.toml", PLAN_WITH_BUDGET)]);
        let ledger = dir.path().join("ledger.csv");
        if make == "fifo" {
            assert!(
                Command::new("mkfifo")
                    .arg(&ledger)
                    .status()
                    .expect("mkfifo")
                    .success()
            );
        } else {
            std::fs::create_dir(&ledger).expect("mkdir");
        }
        let output = check(dir.path(), &[]);
        assert_eq!(code(&output), 1, "{make}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("E014"),
            "{make}"
        );
    }
}

#[test]
fn empty_and_nul_ledgers_are_errors_naming_the_file() {
    for bytes in [&b""[..], &[0u8; 4096][..]] {
        let dir = plan_with(&[("plan.toml", PLAN_WITH_BUDGET), ("ledger.csv", bytes)]);
        let output = check(dir.path(), &[]);
        assert_eq!(code(&output), 1);
        assert!(String::from_utf8_lossy(&output.stdout).contains("ledger.csv"));
    }
}

/// A plan declaring one survey file, `surveys/2021.csv`, on line 6.
const PLAN_WITH_SURVEY: &[u8] = b"format = 1\nid = \"p\"\ntitle = \"T\"\norganisation = \"O\"\nperiod = { start = 2020-01-01, end = 2023-12-31 }\n[[survey]]\nwave = \"2021\"\ndate = 2021-11-01\nfile = \"surveys/2021.csv\"\n";

fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(made.success());
}

/// Issue 11: a named pipe or a directory where a declared survey file should be is a problem in
/// the plan (exit 1, pointing at the `file = …` line), never a hang or a machine failure:
/// `check`, and `scores` and `status`, which read survey files too, each under the hang guard.
#[cfg(unix)]
#[test]
fn a_survey_file_that_is_a_fifo_or_a_directory_is_a_plan_error() {
    for make in ["fifo", "dir"] {
        let dir = plan_with(&[("plan.toml", PLAN_WITH_SURVEY)]);
        let survey = dir.path().join("surveys/2021.csv");
        if make == "fifo" {
            mkfifo(&survey);
        } else {
            std::fs::create_dir_all(&survey).expect("mkdir");
        }
        let output = check(dir.path(), &[]);
        assert_eq!(code(&output), 1, "{make}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let what = if make == "fifo" {
            "is a named pipe, not a file"
        } else {
            "is a directory, not a file"
        };
        assert!(
            stdout.contains("E014") && stdout.contains(what) && stdout.contains("plan.toml:9:8"),
            "{make}: {stdout}"
        );
        for command in ["scores", "status"] {
            let output = run(dir.path(), &[command]);
            assert_eq!(code(&output), 1, "{command} on a survey {make}");
        }
    }
}

/// A named pipe that a ledger glob matches is reported and never opened.
#[cfg(unix)]
#[test]
fn a_fifo_matched_by_a_ledger_glob_is_not_opened() {
    let mut plan = b"ledger = [\"okonomi/*.csv\"]\n".to_vec();
    plan.extend_from_slice(PLAN_WITH_BUDGET);
    let dir = plan_with(&[
        ("plan.toml", &plan),
        (
            "okonomi/a.csv",
            b"date,budget,kind,amount\n2021-01-01,b,expense,10\n",
        ),
    ]);
    mkfifo(&dir.path().join("okonomi/b.csv"));
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 1);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("E014") && stdout.contains("b.csv` is a named pipe"),
        "{stdout}"
    );
}
