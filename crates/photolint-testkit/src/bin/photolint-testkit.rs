//! Writes the labelled fixtures to a folder: `<name>.jpg` for each, `labels.json`,
//! and `contact-sheet.png` to look at before trusting them.
//!
//! Usage: `photolint-testkit OUT_DIR` (the fixture families) or
//! `photolint-testkit --corpus OUT_DIR` (the whole evaluation corpus:
//! fixtures, borderline photos, two-fault photos, second strengths) or
//! `photolint-testkit --bad OUT_DIR` (the generated hostile and broken files
//! of testdata/bad).
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let corpus = args.iter().any(|a| a == "--corpus");
    let bad = args.iter().any(|a| a == "--bad");
    let Some(out) = args.iter().find(|a| !a.starts_with("--")).cloned() else {
        eprintln!("usage: photolint-testkit [--corpus | --bad] OUT_DIR");
        return ExitCode::from(2);
    };
    if bad {
        return match write_bad(std::path::Path::new(&out)) {
            Ok(n) => {
                println!("wrote {n} hostile and broken files to {out}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("photolint-testkit: {e}");
                ExitCode::from(2)
            }
        };
    }
    match run(std::path::Path::new(&out), corpus) {
        Ok(n) => {
            println!("wrote {n} fixtures, labels.json and contact-sheet.png to {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("photolint-testkit: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(out: &std::path::Path, corpus: bool) -> Result<usize, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(out)?;
    let fixtures = if corpus {
        photolint_testkit::corpus::evaluation_corpus()
    } else {
        photolint_testkit::all_fixtures()
    };
    for f in &fixtures {
        std::fs::write(out.join(&f.label.file_name), &f.bytes)?;
    }
    let labels: Vec<_> = fixtures.iter().map(|f| &f.label).collect();
    std::fs::write(
        out.join("labels.json"),
        serde_json::to_string_pretty(&labels)?,
    )?;
    photolint_testkit::contact_sheet(&fixtures).save(out.join("contact-sheet.png"))?;
    Ok(fixtures.len())
}

/// The generated part of testdata/bad (see its expected.toml), plus the
/// 8000x6000 camera photo.
fn write_bad(out: &std::path::Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(out)?;
    let mut files = photolint_testkit::bad::generated();
    files.push(photolint_testkit::bad::huge_valid());
    for f in &files {
        std::fs::write(out.join(&f.name), &f.bytes)?;
    }
    Ok(files.len())
}
