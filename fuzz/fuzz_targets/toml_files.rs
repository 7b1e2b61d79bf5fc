//! The TOML loader and validation: plan.toml and one initiative file, any bytes, no panic.
//! The input is split at the first 0xFF byte (which never occurs in UTF-8) into the two files.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let (plan, initiative) = match bytes.iter().position(|b| *b == 0xff) {
        Some(at) => (&bytes[..at], &bytes[at + 1..]),
        None => (bytes, &b""[..]),
    };
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("plan.toml"), plan).expect("write");
    std::fs::create_dir(dir.path().join("initiatives")).expect("mkdir");
    std::fs::write(dir.path().join("initiatives/a.toml"), initiative).expect("write");
    let as_of = chrono::NaiveDate::from_ymd_opt(2014, 6, 30).expect("date");
    let _ = plan::run_all(dir.path(), as_of);
});
