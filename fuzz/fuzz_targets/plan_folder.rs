//! The whole load-and-validate pipeline on a plan folder, then every report: any bytes, no
//! panic. The input is split at 0xFF bytes into plan.toml, an initiative file and ledger.csv.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut parts = bytes.splitn(3, |b| *b == 0xff);
    let plan = parts.next().unwrap_or_default();
    let initiative = parts.next().unwrap_or_default();
    let ledger = parts.next().unwrap_or_default();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("plan.toml"), plan).expect("write");
    std::fs::create_dir(dir.path().join("initiatives")).expect("mkdir");
    std::fs::write(dir.path().join("initiatives/a.toml"), initiative).expect("write");
    std::fs::write(dir.path().join("ledger.csv"), ledger).expect("write");
    let as_of = chrono::NaiveDate::from_ymd_opt(2021, 6, 30).expect("date");
    let _ = plan::run_all(dir.path(), as_of);
});
