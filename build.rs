//! Embeds the bundled rule pack (`rules/`, without its `tests/` and hidden
//! folders) and the seed texts its documents name into the binary: writes
//! `embedded.rs` in OUT_DIR, a list of (path, text) with `include_str!`.

use std::path::Path;

fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
    names.sort_by_key(|e| e.file_name());
    for e in names {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(ft) = e.file_type() else { continue };
        let path = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if ft.is_dir() && !name.starts_with('.') && name != "tests" {
            walk(&e.path(), &path, out);
        } else if ft.is_file() && name.ends_with(".dudao") {
            out.push(path);
        }
    }
}

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let root = Path::new(&root);
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=seeds");
    let mut rules = Vec::new();
    walk(&root.join("rules"), "", &mut rules);
    let mut seeds: Vec<String> = Vec::new();
    for r in &rules {
        let text = std::fs::read_to_string(root.join("rules").join(r)).unwrap_or_default();
        for line in text.lines() {
            let line = line.trim_start();
            if !line.starts_with("document") {
                continue;
            }
            if let Some((_, rest)) = line.split_once(" seed \"")
                && let Some((seed, _)) = rest.split_once('"')
                && root.join(seed).is_file()
                && !seeds.contains(&seed.to_string())
            {
                seeds.push(seed.to_string());
            }
        }
    }
    seeds.sort();
    let mut out = String::from(
        "/// The bundled pack's rule files (relative to `rules/`).\npub static RULES: &[(&str, &str)] = &[\n",
    );
    for r in &rules {
        println!("cargo:rerun-if-changed=rules/{r}");
        out.push_str(&format!(
            "    ({r:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/{r}\"))),\n"
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
