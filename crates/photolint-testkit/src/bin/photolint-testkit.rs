//! Writes the labelled fixtures to a folder: `<name>.jpg` for each, `labels.json`,
//! and `contact-sheet.png` to look at before trusting them.
//!
//! Usage: `photolint-testkit OUT_DIR`
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: photolint-testkit OUT_DIR");
        return ExitCode::from(2);
    };
    match run(std::path::Path::new(&out)) {
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

fn run(out: &std::path::Path) -> Result<usize, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(out)?;
    let fixtures = photolint_testkit::all_fixtures();
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
