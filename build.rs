//! Embeds the bundled rule packs into the binary: `rules/` (the Wanzhou plan
//! pack, named `wanzhou`, which imports `../national`) and `national/` (the
//! national standards, named `national`), without their `tests/` and hidden
//! folders, and the seed texts their documents name. Writes `embedded.rs` in
//! OUT_DIR: the packs (name, folder) and the files (path from the project
//! folder, text) with `include_str!`.

use std::path::Path;

/// The bundled packs: (name, folder in the project). The first is the pack
/// used when no other is chosen.
const PACKS: &[(&str, &str)] = &[("wanzhou", "rules"), ("national", "national")];

fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
    names.sort_by_key(|e| e.file_name());
    for e in names {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(ft) = e.file_type() else { continue };
        let path = format!("{rel}/{name}");
        if ft.is_dir() && !name.starts_with('.') && name != "tests" {
            walk(&e.path(), &path, out);
        } else if ft.is_file() && name.ends_with(".dudao") {
            out.push(path);
        }
    }
}

/// `a/b/../c` → `a/c` (paths with `/`).
fn clean(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| *l != "..") => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.join("/")
}

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let root = Path::new(&root);
    println!("cargo:rerun-if-changed=seeds");
    let mut rules = Vec::new();
    for (_, folder) in PACKS {
        println!("cargo:rerun-if-changed={folder}");
        walk(&root.join(folder), folder, &mut rules);
    }
    let mut seeds: Vec<String> = Vec::new();
    for r in &rules {
        let text = std::fs::read_to_string(root.join(r)).unwrap_or_default();
        let pack = r.split('/').next().unwrap_or("");
        let dir = r.rsplit_once('/').map_or("", |(d, _)| d);
        for line in text.lines() {
            let line = line.trim_start();
            if !line.starts_with("document") {
                continue;
            }
            let Some((_, rest)) = line.split_once(" seed \"") else {
                continue;
            };
            let Some((seed, _)) = rest.split_once('"') else {
                continue;
            };
            // As the loader tries it: from the declaring file's folder, the
            // pack folder, then the project folder.
            let found = [
                format!("{dir}/{seed}"),
                format!("{pack}/{seed}"),
                seed.to_string(),
            ]
            .into_iter()
            .map(|c| clean(&c))
            .find(|c| !c.starts_with("..") && root.join(c).is_file());
            if let Some(s) = found
                && !seeds.contains(&s)
            {
                seeds.push(s);
            }
        }
    }
    seeds.sort();
    let mut out = String::from(
        "/// The bundled packs: (name, folder in the project); the first is the default.\npub static PACKS: &[(&str, &str)] = &[\n",
    );
    for (name, folder) in PACKS {
        out.push_str(&format!("    ({name:?}, {folder:?}),\n"));
    }
    out.push_str(
        "];\n/// The bundled packs' rule files (relative to the project folder).\npub static RULES: &[(&str, &str)] = &[\n",
    );
    for r in &rules {
        println!("cargo:rerun-if-changed={r}");
        out.push_str(&format!(
            "    ({r:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{r}\"))),\n"
        ));
    }
    out.push_str("];\n/// The seed texts they name (relative to the project folder).\npub static SEEDS: &[(&str, &str)] = &[\n");
    for s in &seeds {
        println!("cargo:rerun-if-changed={s}");
        out.push_str(&format!(
            "    ({s:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{s}\"))),\n"
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}
