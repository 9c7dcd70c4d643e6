//! A rule pack reads only its own files.
//!
//! `load_pack` on rule packs built in a temporary folder: seed paths that
//! leave the project folder (absolute, `..`, hidden, a link out of it), seeds
//! that are not regular files (a pipe, a folder), too large or not UTF-8, and
//! rule files that are links out of the pack, pipes, or not UTF-8. Each is a
//! diagnostic with its code, on the seed's path where there is one, and no
//! byte of a file outside the pack is ever shown. The bundled pack (seeds in
//! `seeds/` beside `rules/`) loads: the other tests use it.

#![cfg(unix)]

use dudao::check::{MAX_SEED_BYTES, load_pack};
use dudao::diag::{Code, Diag, render_plain};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A text outside the rule pack that must never be shown.
const SECRET: &str = "SECRET-7f3a9c";

/// A fresh project folder: `rules/` with the bundled schema and documents,
/// `seeds/` with the plan, and a secret file outside it (returned second).
fn project(name: &str) -> (PathBuf, PathBuf) {
    let base = std::env::temp_dir().join(format!("dudao-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let dir = base.join("project");
    std::fs::create_dir_all(dir.join("rules")).expect("rules");
    std::fs::create_dir_all(dir.join("seeds")).expect("seeds");
    for f in ["00-schema.dudao", "01-documents.dudao"] {
        std::fs::copy(root().join("national").join(f), dir.join("rules").join(f)).expect("copy");
    }
    // Every seed the documents declare.
    for e in std::fs::read_dir(root().join("seeds")).expect("seeds") {
        let p = e.expect("entry").path();
        if let Some(n) = p.file_name() {
            std::fs::copy(&p, dir.join("seeds").join(n)).expect("copy seed");
        }
    }
    let secret = base.join("secret.txt");
    std::fs::write(&secret, format!("{SECRET} 的一句话。\n")).expect("secret");
    (dir, secret)
}

/// `load_pack` on `dir/rules`, failing the test if it takes more than 20
/// seconds (a pipe read would block forever).
fn load(dir: &Path) -> Result<dudao::pack::RulePack, Vec<Diag>> {
    let (tx, rx) = mpsc::channel();
    let rules = dir.join("rules");
    std::thread::spawn(move || {
        let _ = tx.send(load_pack(&rules));
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("load_pack did not return: it reads something that does not end")
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {}", path.display());
}

/// A rule citing `doc` with a quote that is in no text, so that a readable
/// seed would show its closest sentence.
fn citing(id: &str, doc: &str) -> String {
    format!(
        "rule {id} \"t\" {{\n  severity info\n  cite {doc} clause \"一\" quote \"的一句话不在这里\"\n  for submission\n  assert true\n}}\n"
    )
}

#[test]
fn seeds_stay_inside_the_project_folder() {
    let (dir, secret) = project("seeds");
    let seeds = dir.join("seeds");
    symlink(&secret, seeds.join("link.txt")).expect("symlink");
    symlink("/dev/zero", seeds.join("zero.txt")).expect("symlink");
    std::fs::create_dir_all(dir.join(".git")).expect(".git");
    std::fs::write(dir.join(".git/config"), format!("token = {SECRET}\n")).expect("config");
    symlink("../.git/config", seeds.join("gitconfig.txt")).expect("symlink");
    mkfifo(&seeds.join("fifo.txt"));
    std::fs::create_dir_all(seeds.join("folder.txt")).expect("folder");
    std::fs::File::create(seeds.join("big.txt"))
        .and_then(|f| f.set_len(MAX_SEED_BYTES + 1))
        .expect("big");
    std::fs::write(seeds.join("gbk.txt"), b"\xb9\xfa\xbc\xd2\n").expect("gbk");
    // Beside the rule files: the pack folder is searched too.
    std::fs::write(dir.join("rules/here.txt"), "规则包文件夹中的一句话。\n").expect("here");
    let secret_path = secret.display().to_string();
    let cases: Vec<(&str, String, Option<Code>)> = vec![
        (
            "up",
            "../../../../etc/passwd".into(),
            Some(Code::CheckSeedOutside),
        ),
        (
            "up_inside",
            "seeds/../seeds/wanzhou-plan-2021-2025.txt".into(),
            Some(Code::CheckSeedOutside),
        ),
        (
            "absolute",
            "/etc/passwd".into(),
            Some(Code::CheckSeedOutside),
        ),
        ("absolute_secret", secret_path, Some(Code::CheckSeedOutside)),
        ("hidden", ".git/config".into(), Some(Code::CheckSeedOutside)),
        (
            "link",
            "seeds/link.txt".into(),
            Some(Code::CheckSeedOutside),
        ),
        (
            "link_to_device",
            "seeds/zero.txt".into(),
            Some(Code::CheckSeedOutside),
        ),
        (
            "link_to_hidden",
            "seeds/gitconfig.txt".into(),
            Some(Code::CheckSeedOutside),
        ),
        (
            "pipe",
            "seeds/fifo.txt".into(),
            Some(Code::CheckSeedNotAFile),
        ),
        (
            "folder",
            "seeds/folder.txt".into(),
            Some(Code::CheckSeedNotAFile),
        ),
        ("big", "seeds/big.txt".into(), Some(Code::CheckSeedTooLarge)),
        ("gbk", "seeds/gbk.txt".into(), Some(Code::CheckSeedEncoding)),
        (
            "missing",
            "seeds/missing.txt".into(),
            Some(Code::CheckSeedNotFound),
        ),
        ("in_pack", "here.txt".into(), None),
        ("plan", "seeds/wanzhou-plan-2021-2025.txt".into(), None),
    ];
    let mut text = String::new();
    for (id, seed, _) in &cases {
        text += &format!("document d_{id} \"{id}\" seed \"{seed}\"\n");
        text += &citing(&format!("R_{id}"), &format!("d_{id}"));
    }
    std::fs::write(dir.join("rules/50-seeds.dudao"), &text).expect("rules");
    let diags = load(&dir).err().unwrap_or_default();
    let shown = render_plain(&diags);
    assert!(
        !shown.contains(SECRET),
        "a file outside the pack is shown:\n{shown}"
    );
    for (id, seed, code) in &cases {
        // The seed's path, in quotes, is where its error is shown.
        let at = text.find(&format!("\"{seed}\"")).expect("seed in text");
        let here: Vec<&Diag> = diags
            .iter()
            .filter(|d| d.labels.first().is_some_and(|(s, _)| s.start == at))
            .collect();
        match code {
            Some(code) => {
                assert_eq!(
                    here.iter().map(|d| d.code).collect::<Vec<_>>(),
                    vec![*code],
                    "{id}:\n{shown}"
                );
                assert!(here[0].help.is_some(), "{id}: no help");
            }
            None => assert!(here.is_empty(), "{id}:\n{shown}"),
        }
    }
    // The readable seeds are read: their quotes are checked against them.
    let quotes = diags
        .iter()
        .filter(|d| d.code == Code::CheckQuoteNotInSource)
        .count();
    assert_eq!(quotes, 2, "{shown}");
    let _ = std::fs::remove_dir_all(dir.parent().unwrap_or(&dir));
}

#[test]
fn rule_files_stay_inside_the_pack_folder() {
    let (dir, secret) = project("rule-files");
    let rules = dir.join("rules");
    std::fs::write(&secret, format!("rule {SECRET} broken {{\n")).expect("secret");
    symlink(&secret, rules.join("60-link.dudao")).expect("symlink");
    symlink("/dev/zero", rules.join("61-zero.dudao")).expect("symlink");
    mkfifo(&rules.join("62-fifo.dudao"));
    let diags = load(&dir).err().unwrap_or_default();
    let shown = render_plain(&diags);
    assert!(
        !shown.contains(SECRET),
        "a file outside the pack is shown:\n{shown}"
    );
    let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::RulesIo; 3], "{shown}");
    for (d, file) in diags.iter().zip(["60-link", "61-zero", "62-fifo"]) {
        assert!(d.message.zh().contains(file), "{shown}");
        assert!(d.help.is_some(), "{shown}");
    }
    let _ = std::fs::remove_dir_all(dir.parent().unwrap_or(&dir));
}

#[test]
fn a_rule_file_that_is_not_utf8_is_shown_at_its_line_and_column() {
    let (dir, _) = project("encoding");
    let rules = dir.join("rules");
    // Line 3, column 5: the first byte that is not UTF-8.
    let bytes = b"rule X1 \"t\" {\n  severity info\n  # \xff\xfe caf\xc3\n}\n".to_vec();
    std::fs::write(rules.join("70-bad.dudao"), &bytes).expect("write");
    let diags = load(&dir).err().unwrap_or_default();
    let shown = render_plain(&diags);
    assert_eq!(diags.len(), 1, "{shown}");
    let d = &diags[0];
    assert_eq!(d.code, Code::RulesEncoding);
    assert!(shown.contains("70-bad.dudao:3:5"), "{shown}");
    assert!(shown.contains("0xFF"), "{shown}");
    assert!(shown.contains("# "), "no snippet:\n{shown}");
    // A GB18030 file is recognised as such.
    std::fs::remove_file(rules.join("70-bad.dudao")).expect("rm");
    let (gbk, _, _) = encoding_rs::GB18030.encode("# 国家标准\nparam x = 1\n");
    std::fs::write(rules.join("71-gbk.dudao"), &*gbk).expect("write");
    let diags = load(&dir).err().unwrap_or_default();
    let help = diags
        .first()
        .and_then(|d| d.help.as_ref())
        .map(|h| h.zh().to_string());
    assert!(
        help.is_some_and(|h| h.contains("GB18030")),
        "{}",
        render_plain(&diags)
    );
    // A byte-order mark is dropped, not an error.
    std::fs::remove_file(rules.join("71-gbk.dudao")).expect("rm");
    std::fs::write(rules.join("72-bom.dudao"), "\u{feff}param x = 1\n").expect("write");
    if let Err(d) = load(&dir) {
        panic!("a file with a byte-order mark:\n{}", render_plain(&d));
    }
    let _ = std::fs::remove_dir_all(dir.parent().unwrap_or(&dir));
}
