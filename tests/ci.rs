//! The CI examples in `examples/ci/`: the pre-commit hook blocks a commit whose staged plan
//! has errors and lets a valid one through; the workflow's command runs as written.
#![cfg(unix)]

use std::path::Path;
use std::process::Command;

#[path = "common/repo.rs"]
mod repo;

use repo::{ROOT, Repo};

/// PATH with the freshly built `plan` first, as a user who installed it would have.
fn path_with_plan() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_plan"))
        .parent()
        .expect("the binary's directory");
    let rest = std::env::var("PATH").unwrap_or_default();
    format!("{}:{rest}", bin.display())
}

/// A git repository holding the Fjordby example as `plan/` and the hook installed.
fn hooked_repo() -> Repo {
    let repo = Repo::new();
    repo.copy_dir("examples/fjordby", "plan");
    let hook = repo.root.join(".git/hooks/pre-commit");
    std::fs::copy(Path::new(ROOT).join("examples/ci/pre-commit"), &hook).expect("hook");
    repo
}

/// `git commit -m`, hook included (with the built `plan` on PATH); Ok with the hook's
/// output, or Err with it.
fn commit(repo: &Repo, message: &str) -> Result<String, String> {
    let output = repo.git_output(
        &["commit", "-q", "-m", message],
        &[("PATH", path_with_plan())],
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

/// The number of commits on HEAD.
fn commits(repo: &Repo) -> usize {
    repo.git(&["rev-list", "--count", "HEAD"])
        .parse()
        .unwrap_or(0)
}

#[test]
fn the_hook_blocks_a_broken_plan_and_passes_a_valid_one() {
    let repo = hooked_repo();

    // A valid plan (with warnings) is committed; the hook shows the warnings.
    repo.git(&["add", "-A"]);
    let shown = commit(&repo, "Fjordby plan").expect("a valid plan commits");
    assert!(shown.contains("0 errors"), "{shown}");
    assert_eq!(commits(&repo), 1);

    // An error in the staged plan blocks the commit and says where the error is.
    let good = repo.read("plan/plan.toml");
    repo.write("plan/plan.toml", good.replace("format = 1", "format = 2"));
    repo.git(&["add", "plan/plan.toml"]);
    let refused = commit(&repo, "format 2").expect_err("a broken plan is refused");
    assert!(refused.contains("error[E005]"), "{refused}");
    assert!(refused.contains("plan/plan.toml"), "{refused}");
    assert!(refused.contains("pre-commit:"), "{refused}");
    assert_eq!(commits(&repo), 1);

    // The hook checks what is staged: fixing the working tree alone is not enough…
    let fixed = format!("{good}\n# Checked by the pre-commit hook.\n");
    repo.write("plan/plan.toml", &fixed);
    assert!(commit(&repo, "still format 2").is_err());
    // …staging the fix is.
    repo.git(&["add", "plan/plan.toml"]);
    commit(&repo, "format 1 and a comment").expect("the fixed plan commits");
    assert_eq!(commits(&repo), 2);

    // A broken file the commit does not include does not block it.
    repo.write("plan/initiatives/01-selvbetjening.toml", "this is not TOML");
    repo.write("notes.txt", "unrelated\n");
    repo.git(&["add", "notes.txt"]);
    commit(&repo, "notes").expect("the staged plan is still valid");
    assert_eq!(commits(&repo), 3);
}

#[test]
fn the_hook_can_block_on_warnings_and_needs_plan_on_the_path() {
    let repo = hooked_repo();
    repo.git(&["add", "-A"]);

    let output = Command::new("sh")
        .arg(".git/hooks/pre-commit")
        .current_dir(&repo.root)
        .env("PATH", path_with_plan())
        .env_remove("PLAN_DIR")
        .env("PLAN_CHECK_ARGS", "--deny-warnings")
        .output()
        .expect("sh");
    assert_eq!(
        output.status.code(),
        Some(1),
        "warnings block under --deny-warnings"
    );

    let output = Command::new("/bin/sh")
        .arg(".git/hooks/pre-commit")
        .current_dir(&repo.root)
        .env("PATH", "/usr/bin:/bin")
        .env_remove("PLAN_DIR")
        .output()
        .expect("sh");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not on PATH"));
}

#[test]
fn the_workflow_runs_plan_check_for_github() {
    let workflow = std::fs::read_to_string(Path::new(ROOT).join("examples/ci/plan-check.yml"))
        .expect("plan-check.yml");
    let command = workflow
        .lines()
        .find_map(|l| l.trim().strip_prefix("run: plan "))
        .expect("a `run: plan …` step");
    assert_eq!(command, "check --format github");

    let args: Vec<&str> = command.split_whitespace().collect();
    let output = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(&args)
        .current_dir(ROOT)
        .env("PLAN_DIR", "plan")
        .output()
        .expect("plan");
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines() {
        assert!(
            line.starts_with("::warning file=plan/") || line.starts_with("plan: "),
            "{line}"
        );
    }
}

fn workflow() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("examples/ci/plan-check.yml"))
        .expect("plan-check.yml")
}

/// The lines of one job: from `  NAME:` to the next job (two-space indent) or the end.
fn job<'a>(workflow: &'a str, name: &str) -> Vec<&'a str> {
    let header = format!("  {name}:");
    let mut lines = workflow.lines().skip_while(|l| *l != header);
    let first = lines.next().unwrap_or_else(|| panic!("no job `{name}`"));
    std::iter::once(first)
        .chain(
            lines.take_while(|l| {
                !(l.starts_with("  ") && !l.starts_with("   ") && l.ends_with(':'))
            }),
        )
        .collect()
}

#[test]
fn every_checkout_fetches_the_whole_history() {
    // `plan diff` and `plan log` read history; a shallow clone (checkout's default) lacks it.
    let workflow = workflow();
    let lines: Vec<&str> = workflow.lines().collect();
    let checkouts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains("uses: actions/checkout@"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(checkouts.len(), 2, "one checkout per job");
    for i in checkouts {
        let with: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with("- ") && !l.trim().is_empty())
            .map(|l| l.trim())
            .collect();
        assert!(
            with.contains(&"fetch-depth: 0"),
            "checkout at line {}: {with:?}",
            i + 1
        );
    }
}

#[test]
fn the_diff_job_comments_the_plan_diff_on_pull_requests_with_only_the_job_token() {
    let workflow = workflow();
    let diff = job(&workflow, "diff");
    let text = diff.join("\n");

    assert!(
        text.contains("if: github.event_name == 'pull_request'"),
        "{text}"
    );
    assert!(text.contains("pull-requests: write"), "{text}");
    assert!(
        text.contains(r#"plan diff "origin/$BASE_REF" HEAD --format markdown"#),
        "{text}"
    );
    assert!(text.contains("BASE_REF: ${{ github.base_ref }}"), "{text}");
    assert!(text.contains("gh pr comment \"$PR\""), "{text}");
    assert!(
        text.contains("GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}"),
        "{text}"
    );

    // No secret but the job's own token, anywhere.
    for (i, _) in workflow.match_indices("secrets.") {
        assert!(
            workflow[i..].starts_with("secrets.GITHUB_TOKEN "),
            "{}",
            &workflow[i..]
        );
    }
    // The check job keeps read-only rights: only the diff job may write.
    let grants = workflow
        .lines()
        .filter(|l| l.trim() == "pull-requests: write")
        .count();
    assert_eq!(grants, 1);

    // Nothing from the event is pasted into a shell script (script injection): `run:` blocks
    // read it from the environment instead.
    let mut in_run = false;
    for line in workflow.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("run:") {
            in_run = true;
            assert!(!trimmed.contains("${{"), "{line}");
            continue;
        }
        if in_run && (trimmed.starts_with("- ") || trimmed.is_empty() || trimmed.ends_with(':')) {
            in_run = false;
        }
        if in_run {
            assert!(!line.contains("${{"), "{line}");
        }
    }
}

/// The shell script of the workflow step named NAME (a `run: |` block), unindented.
fn step_script(workflow: &str, name: &str) -> String {
    let mut lines = workflow
        .lines()
        .skip_while(|l| l.trim() != format!("- name: {name}"));
    let script: Vec<&str> = lines
        .by_ref()
        .skip_while(|l| l.trim() != "run: |")
        .skip(1)
        .take_while(|l| l.starts_with("          ") || l.trim().is_empty())
        .collect();
    assert!(!script.is_empty(), "no `run: |` in step {name}");
    script
        .iter()
        .map(|l| l.strip_prefix("          ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_diff_step_runs_as_written_on_a_pull_request_checkout() {
    // A clone with the whole history (fetch-depth: 0), HEAD a commit on top of origin/main:
    // what a pull request's checkout has.
    let h = repo::history();
    let clone = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", h.repo.root.display());
    let status = Command::new("git")
        .args(["clone", "-q", &url, "pr"])
        .current_dir(clone.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .expect("git clone");
    assert!(status.success());
    let pr = clone.path().join("pr");
    let alfa = pr.join("plan/initiatives/01-alfa.toml");
    let text = std::fs::read_to_string(&alfa).expect("read");
    std::fs::write(&alfa, text.replace("due = 2021-12-31", "due = 2022-03-31")).expect("write");
    for args in [
        &["add", "-A"][..],
        &[
            "-c",
            "user.name=PR",
            "-c",
            "user.email=pr@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "-m",
            "M1 flyttet",
        ][..],
    ] {
        let status = Command::new("git")
            .args(args)
            .current_dir(&pr)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .expect("git");
        assert!(status.success(), "git {args:?}");
    }

    let script = step_script(&workflow(), "What the pull request changes in the plan");
    let summary = clone.path().join("summary.md");
    let output = Command::new("sh")
        .args(["-eu", "-c", &script])
        .current_dir(&pr)
        .env("PATH", path_with_plan())
        .env("PLAN_DIR", "plan")
        .env("BASE_REF", "main")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .output()
        .expect("sh");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let comment = std::fs::read_to_string(pr.join("plan-diff.md")).expect("plan-diff.md");
    assert!(
        comment.starts_with("### What this pull request changes in the plan"),
        "{comment}"
    );
    assert!(comment.contains("A/M1"), "{comment}");
    // The move in words, for the people who read the pull request.
    assert!(
        comment.contains("due: 31 Dec 2021 → 31 Mar 2022 (+90 d)"),
        "{comment}"
    );
    assert!(comment.contains('|'), "a Markdown table: {comment}");
    assert_eq!(
        std::fs::read_to_string(&summary).expect("summary"),
        comment,
        "the job summary has the same text"
    );
}
