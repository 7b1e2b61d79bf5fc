//! The JSON Schemas in `schema/`: they are what `plan schema` prints (so they cannot drift
//! from the loader's types), and every shipped plan file validates against them.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn plan_schema_output(which: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(["schema", which])
        .output()
        .expect("run plan schema");
    assert!(output.status.success(), "plan schema {which} failed");
    assert!(output.stderr.is_empty());
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn committed(which: &str) -> String {
    let path = Path::new(ROOT).join(format!("schema/{which}.schema.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn committed_schemas_are_what_plan_schema_prints() {
    for which in ["plan", "initiative"] {
        assert!(
            committed(which) == plan_schema_output(which),
            "schema/{which}.schema.json is out of date: run \
             `cargo run -- schema {which} > schema/{which}.schema.json` and commit it"
        );
    }
}

/// TOML → JSON as an editor sees it: dates and times become their text.
fn to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(items) => J::Array(items.into_iter().map(to_json).collect()),
        toml::Value::Table(table) => {
            J::Object(table.into_iter().map(|(k, v)| (k, to_json(v))).collect())
        }
    }
}

fn read_toml(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    to_json(toml::Value::Table(table))
}

fn validator(which: &str) -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&committed(which)).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn errors(validator: &jsonschema::Validator, instance: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn initiative_files(plan_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(plan_dir.join("initiatives"))
        .expect("initiatives/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn shipped_plans_validate_against_the_schemas() {
    let plan = validator("plan");
    let initiative = validator("initiative");
    let mut checked = 0;
    for dir in [
        "plan",
        "examples/fjordby",
        "examples/greve/klima",
        "examples/greve/voksen",
        "examples/greve/digital",
        "tests/plans/kinds",
        "tests/plans/additions",
        "tests/plans/shares",
    ] {
        let dir = Path::new(ROOT).join(dir);
        let path = dir.join("plan.toml");
        let problems = errors(&plan, &read_toml(&path));
        assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
        for path in initiative_files(&dir) {
            let problems = errors(&initiative, &read_toml(&path));
            assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} initiative files found");
}

#[test]
fn shipped_plan_files_point_at_the_schemas() {
    for dir in [
        "plan",
        "examples/fjordby",
        "examples/greve/klima",
        "examples/greve/voksen",
        "examples/greve/digital",
        "tests/plans/kinds",
        "tests/plans/additions",
    ] {
        let dir = Path::new(ROOT).join(dir);
        let depth = dir.strip_prefix(ROOT).expect("inside").components().count();
        let up = "../".repeat(depth);
        let first = |path: &Path| {
            std::fs::read_to_string(path)
                .expect("read")
                .lines()
                .next()
                .unwrap_or_default()
                .to_string()
        };
        let path = dir.join("plan.toml");
        assert_eq!(
            first(&path),
            format!("#:schema {up}schema/plan.schema.json"),
            "{}",
            path.display()
        );
        for path in initiative_files(&dir) {
            assert_eq!(
                first(&path),
                format!("#:schema ../{up}schema/initiative.schema.json"),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn the_schemas_refuse_what_the_loader_refuses() {
    let plan = validator("plan");
    let good = r#"
        format = 1
        id = "p"
        title = "A plan"
        organisation = "Kommune"
        period = { start = 2020-01-01, end = "2020-12-31" }
        [[budget]]
        id = "b"
        title = "Pot"
        kind = "money"
        amount = "500000.00"
    "#;
    let parse = |text: &str| to_json(toml::Value::Table(toml::from_str(text).expect("TOML")));
    assert_eq!(errors(&plan, &parse(good)), Vec::<String>::new());

    let cases = [
        (
            "an unknown key",
            good.replace("title = \"A plan\"", "titel = \"A plan\""),
        ),
        (
            "a missing required key",
            good.replace("organisation = \"Kommune\"", ""),
        ),
        (
            "an unknown key in an array item",
            good.replace("kind = \"money\"", "kind = \"money\"\nsize = 1"),
        ),
        (
            "an unknown budget kind",
            good.replace("\"money\"", "\"euros\""),
        ),
        (
            "a date that is not a date",
            good.replace("2020-12-31", "31/12/2020"),
        ),
        (
            "an amount that is not a number",
            good.replace("500000.00", "lots"),
        ),
        ("an invalid id", good.replace("id = \"b\"", "id = \"-b\"")),
        ("format 2", good.replace("format = 1", "format = 2")),
    ];
    for (what, text) in cases {
        assert!(!errors(&plan, &parse(&text)).is_empty(), "accepted {what}");
    }

    let initiative = validator("initiative");
    let good = r#"
        id = "I1"
        title = "Something"
        start = 2020-01-01
        summary = "What it is"
        [[update]]
        date = 2020-02-01
        status = "on-track"
    "#;
    assert_eq!(errors(&initiative, &parse(good)), Vec::<String>::new());
    assert!(!errors(&initiative, &parse(&good.replace("on-track", "fine"))).is_empty());
    assert!(!errors(&initiative, &parse(&good.replace("summary", "sumary"))).is_empty());
}
