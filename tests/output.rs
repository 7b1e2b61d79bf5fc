//! How the binary treats its output streams: colour only where a person reads text, and a
//! reader that goes away (`plan export status | head -1`) is not an error.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn plan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--plan", "plan", "--as-of", "2014-06-30"])
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run plan")
}

const ESC: u8 = 0x1b;

#[test]
fn machine_formats_never_carry_colour() {
    let reports: &[&[&str]] = &[
        &["status"],
        &["initiatives"],
        &["initiatives", "I2"],
        &["export", "status"],
        &["export", "milestones"],
        &["check"],
        &["codes"],
    ];
    for report in reports {
        for format in ["csv", "json", "markdown"] {
            let mut args = vec!["--color", "always", "--format", format];
            args.extend_from_slice(report);
            let output = plan(&args);
            assert!(
                !output.stdout.contains(&ESC),
                "plan {args:?} wrote an ANSI escape: {}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
    }
    let output = plan(&["--color", "always", "--format", "github", "check"]);
    assert!(
        !output.stdout.contains(&ESC),
        "github annotations carry colour"
    );
}

#[test]
fn colour_is_on_for_text_only_when_asked_or_on_a_terminal() {
    // `always` forces colour for the text formats…
    for args in [
        &["--color", "always", "status"][..],
        &[
            "--color",
            "always",
            "--format",
            "table",
            "initiatives",
            "I7",
        ],
        &["--color", "always", "check"],
    ] {
        assert!(
            plan(args).stdout.contains(&ESC),
            "plan {args:?} has no colour"
        );
    }
    // …but a pipe is not a terminal, so `auto` (the default) gives none, and neither does `never`.
    for args in [&["status"][..], &["--color", "never", "status"], &["check"]] {
        assert!(
            !plan(args).stdout.contains(&ESC),
            "plan {args:?} has colour"
        );
    }
    // NO_COLOR wins over everything, `--color always` included (SPEC 2).
    let with_no_color = Command::new(env!("CARGO_BIN_EXE_plan"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "--plan",
            "plan",
            "--as-of",
            "2014-06-30",
            "--color",
            "always",
            "status",
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("run plan");
    assert!(with_no_color.status.success());
    assert!(!with_no_color.stdout.contains(&ESC), "NO_COLOR was ignored");
    // A file written with -o never gets colour.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("status.txt");
    let file_arg = file.to_str().expect("UTF-8 path");
    let output = plan(&["--color", "always", "-o", file_arg, "status"]);
    assert!(output.status.success());
    let written = std::fs::read(&file).expect("written");
    assert!(!written.is_empty() && !written.contains(&ESC));
}

/// A plan whose status export is far larger than a pipe's buffer (64 KiB on Linux), so that
/// writing it must fail once the reader is gone, rather than fit in the pipe by luck.
fn big_plan(dir: &Path) {
    std::fs::write(
        dir.join("plan.toml"),
        "format = 1\nid = \"big\"\ntitle = \"Big\"\norganisation = \"Kommune\"\n\
         period = { start = 2020-01-01, end = 2020-12-31 }\n",
    )
    .expect("plan.toml");
    std::fs::write(
        dir.join("ledger.csv"),
        "date,budget,kind,amount,unit,ref,note\n",
    )
    .expect("ledger.csv");
    let initiatives = dir.join("initiatives");
    std::fs::create_dir(&initiatives).expect("initiatives/");
    let title = "An initiative with a long title that fills the export ".repeat(3);
    for n in 0..1000 {
        let mut file =
            std::fs::File::create(initiatives.join(format!("{n:04}.toml"))).expect("initiative");
        write!(
            file,
            "id = \"I{n}\"\nnumber = {n}\ntitle = \"{title}{n}\"\nstart = 2020-01-01\nsummary = \"…\"\n"
        )
        .expect("write");
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let dir = tempfile::tempdir().expect("temp dir");
    big_plan(dir.path());
    let expected_size = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(["--as-of", "2020-06-30", "export", "status"])
        .current_dir(dir.path())
        .env("PLAN_DIR", dir.path())
        .output()
        .expect("run plan")
        .stdout
        .len();
    assert!(
        expected_size > 128 * 1024,
        "export only {expected_size} bytes"
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(["--as-of", "2020-06-30", "export", "status"])
        .env("PLAN_DIR", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn plan");
    // Close the reading end at once, as `head -1` does after its line.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait for plan");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr}");
}

/// `plan --plan examples/fjordby ARGS…`.
fn fjordby(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--plan", "examples/fjordby"])
        .args(args)
        .output()
        .expect("run plan")
}

#[test]
fn output_files_are_replaced_whole_and_readable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("status.csv");
    std::fs::write(
        &target,
        "an old, longer file that must not leave a tail behind\n".repeat(100),
    )
    .expect("write");
    let target_arg = target.to_str().expect("utf-8 path");
    let written = fjordby(&[
        "--as-of",
        "2022-06-30",
        "export",
        "status",
        "-o",
        target_arg,
    ]);
    assert!(written.status.success());
    let to_stdout = fjordby(&["--as-of", "2022-06-30", "export", "status"]);
    assert_eq!(std::fs::read(&target).expect("read"), to_stdout.stdout);
    // Only the target is left in the directory: no temporary file behind.
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let fresh = dir.path().join("fresh.csv");
        let fresh_arg = fresh.to_str().expect("utf-8 path");
        assert!(
            fjordby(&["export", "criteria", "-o", fresh_arg])
                .status
                .success()
        );
        let mode = std::fs::metadata(&fresh)
            .expect("stat")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o644, "a shared report is not private");
    }
}

#[test]
fn an_unwritable_target_directory_exits_2_naming_it() {
    let output = fjordby(&["export", "status", "-o", "no/such/dir/status.csv"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no/such/dir/status.csv"), "{stderr}");
    assert!(output.stdout.is_empty());
}
