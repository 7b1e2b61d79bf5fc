//! `--lang` and the locale: people's formats change with the language, machine formats never.

use std::process::{Command, Output};

fn plan(envs: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plan"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--plan", "examples/fjordby", "--as-of", "2022-06-30"])
        .args(args)
        .env_remove("PLAN_DIR")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (k, v) in envs {
        command.env(k, v);
    }
    command.output().expect("run plan")
}

#[test]
fn machine_formats_do_not_change_with_the_language() {
    let reports: &[&[&str]] = &[
        &["export", "status"],
        &["export", "milestones"],
        &["export", "criteria"],
        &["export", "budget"],
        &["export", "budget", "--by", "month"],
        &["export", "ledger"],
        &["export", "status", "--dialect", "excel-da"],
        &["status"],
        &["initiatives"],
        &["initiatives", "I4"],
        &["budget"],
        &["check"],
    ];
    for report in reports {
        for format in ["csv", "json", "github"] {
            if format == "github" && report[0] != "check" {
                continue;
            }
            let mut args = vec!["--format", format];
            args.extend_from_slice(report);
            let with = |lang: &str| {
                let mut a = vec!["--lang", lang];
                a.extend_from_slice(&args);
                plan(&[], &a)
            };
            let (da, en) = (with("da"), with("en"));
            assert_eq!(da.status.code(), en.status.code(), "plan {args:?}");
            assert!(
                da.stdout == en.stdout,
                "plan {args:?} changes with --lang:\n{}\n---\n{}",
                String::from_utf8_lossy(&da.stdout),
                String::from_utf8_lossy(&en.stdout)
            );
        }
    }
    // `plan check` as text is a diagnostic stream for CI logs: English in either language.
    let check = |lang| plan(&[], &["--lang", lang, "check"]).stdout;
    assert_eq!(check("da"), check("en"));
}

#[test]
fn the_locale_chooses_the_default_language() {
    let status =
        |envs: &[(&str, &str)]| String::from_utf8(plan(envs, &["status"]).stdout).expect("UTF-8");
    let danish = status(&[("LANG", "da_DK.UTF-8")]);
    assert!(danish.contains("Initiativer"), "{danish}");
    assert!(danish.contains("2.400.000 kr."), "{danish}");
    assert!(danish.contains("62,4 %"), "{danish}");
    let english = status(&[("LANG", "en_GB.UTF-8")]);
    assert!(english.contains("Initiatives"), "{english}");
    assert!(english.contains("2,400,000 DKK"), "{english}");
    // LC_ALL overrides LANG; --lang overrides both.
    assert_eq!(status(&[("LC_ALL", "C"), ("LANG", "da_DK.UTF-8")]), english);
    let forced =
        String::from_utf8(plan(&[("LANG", "en_GB.UTF-8")], &["--lang", "da", "status"]).stdout)
            .expect("UTF-8");
    assert_eq!(forced, danish);
    // No locale at all: English.
    assert_eq!(status(&[]), english);
}
