//! Which files to check, and with which settings: walks folders (honouring .gitignore and
//! the `exclude` list of nianbao.toml, via the `ignore` crate) and finds each file's
//! nianbao.toml from its folder upward (an explicit `--config` wins).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use nianbao_core::{Config, Settings};

/// File extensions checked when walking folders.
pub const REPORT_EXTENSIONS: &[&str] = &["txt", "md", "html", "htm", "shtml", "docx"];

pub const CONFIG_FILE: &str = "nianbao.toml";

/// A configuration and the folder its paths are relative to.
#[derive(Clone)]
pub struct LoadedConfig {
    pub dir: PathBuf,
    pub config: Arc<Config>,
}

pub struct Configs {
    explicit: Option<LoadedConfig>,
    cache: HashMap<PathBuf, Option<LoadedConfig>>,
    /// The folder last asked for, as given, and its configuration: a folder's files come
    /// together, so most questions repeat the last one.
    last: Option<(PathBuf, Option<LoadedConfig>)>,
}

fn load(path: &Path) -> Result<LoadedConfig, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: 无法读取配置文件（{}）",
            path.display(),
            crate::input::io_reason(&e)
        )
    })?;
    let config = Config::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let dir = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .unwrap_or(Path::new("."))
        .to_path_buf();
    Ok(LoadedConfig {
        dir: absolute(&dir),
        config: Arc::new(config),
    })
}

/// `p` made absolute. The current folder is read once (`std::path::absolute` reads it for
/// every relative path: a system call per file checked).
fn absolute(p: &Path) -> PathBuf {
    static CWD: OnceLock<Option<PathBuf>> = OnceLock::new();
    let joined;
    let p = match CWD.get_or_init(|| std::env::current_dir().ok()) {
        Some(cwd) if p.is_relative() => {
            joined = cwd.join(p);
            &joined
        }
        _ => p,
    };
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

impl Configs {
    pub fn new(explicit: Option<&Path>) -> Result<Configs, String> {
        Ok(Configs {
            explicit: explicit.map(load).transpose()?,
            cache: HashMap::new(),
            last: None,
        })
    }

    /// The configuration that applies to files in `dir`.
    pub fn for_dir(&mut self, dir: &Path) -> Result<Option<LoadedConfig>, String> {
        if let Some(e) = &self.explicit {
            return Ok(Some(e.clone()));
        }
        if let Some((last, c)) = &self.last
            && last == dir
        {
            return Ok(c.clone());
        }
        let found = self.lookup(dir)?;
        self.last = Some((dir.to_path_buf(), found.clone()));
        Ok(found)
    }

    /// [`Configs::for_dir`] by the folder's absolute path, cached.
    fn lookup(&mut self, dir: &Path) -> Result<Option<LoadedConfig>, String> {
        let dir = absolute(dir);
        if let Some(c) = self.cache.get(&dir) {
            return Ok(c.clone());
        }
        let candidate = dir.join(CONFIG_FILE);
        let found = if candidate.is_file() {
            Some(load(&candidate)?)
        } else {
            match dir.parent() {
                Some(p) if p != dir => self.lookup(p)?,
                _ => None,
            }
        };
        self.cache.insert(dir, found.clone());
        Ok(found)
    }
}

/// The path relative to the configuration's folder, with `/` separators.
pub fn relative_to(path: &Path, dir: &Path) -> String {
    let abs = absolute(path);
    let rel = abs.strip_prefix(dir).unwrap_or(&abs);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Settings for a path (a file checked or stdin's `--stdin-filename`).
pub fn settings_for(configs: &mut Configs, path: &Path) -> Result<Settings, String> {
    Ok(settings_in(config_for(configs, path)?.as_ref(), path))
}

/// The configuration that applies to a path (a file checked or stdin's
/// `--stdin-filename`): the same for every file of a folder.
pub fn config_for(configs: &mut Configs, path: &Path) -> Result<Option<LoadedConfig>, String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    configs.for_dir(dir)
}

/// Settings for a path under the configuration [`config_for`] found for it.
pub fn settings_in(config: Option<&LoadedConfig>, path: &Path) -> Settings {
    match config {
        Some(c) => c.config.settings_for(&relative_to(path, &c.dir)),
        None => Settings::default(),
    }
}

/// Expands `paths` into files: named files as they are, folders walked for reports.
/// Returns the targets in a stable (sorted) order, and errors for paths that do not exist.
pub fn collect(
    paths: &[PathBuf],
    configs: &mut Configs,
) -> Result<(Vec<PathBuf>, Vec<String>), String> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        if p.is_file() {
            files.push(p.clone());
            continue;
        }
        if !p.is_dir() {
            missing.push(format!("{}: 文件不存在", p.display()));
            continue;
        }
        // Unsorted: the files are sorted once at the end (`sort_by_file_name` would sort each
        // folder's entries by a name found anew in every comparison).
        let walker = ignore::WalkBuilder::new(p)
            .hidden(true)
            .git_ignore(true)
            .require_git(false)
            .build();
        for entry in walker.flatten() {
            let path = entry.path();
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !REPORT_EXTENSIONS
                .iter()
                .any(|e| e.eq_ignore_ascii_case(ext))
            {
                continue;
            }
            let dir = path.parent().unwrap_or(Path::new("."));
            if let Some(c) = configs.for_dir(dir)?
                && c.config.is_excluded(&relative_to(path, &c.dir))
            {
                continue;
            }
            files.push(path.to_path_buf());
        }
    }
    Ok((sorted(files), missing))
}

/// `files` in `Path`'s order (component by component), each path once (as `Path`'s
/// equality counts it: `a//b` is `a/b`): sorted by a key made once per path instead of
/// comparing the paths' components anew in each comparison.
fn sorted(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut keyed: Vec<(Vec<u8>, PathBuf)> =
        files.into_iter().map(|p| (order_key(&p), p)).collect();
    // Stable: of paths equal as `Path`s, the first given is kept.
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    keyed.into_iter().map(|(_, p)| p).collect()
}

/// Bytes that sort as `Path` sorts: each component in turn, tagged by its kind in the
/// order of `std::path::Component` and ended by a zero byte (lower than any byte of a
/// name, so a name sorts before the longer names it begins).
fn order_key(p: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(p.as_os_str().len() + 8);
    for c in p.components() {
        let (tag, bytes) = match c {
            Component::Prefix(x) => (1, x.as_os_str().as_encoded_bytes()),
            Component::RootDir => (2, &[][..]),
            Component::CurDir => (3, &[][..]),
            Component::ParentDir => (4, &[][..]),
            Component::Normal(n) => (5, n.as_encoded_bytes()),
        };
        key.push(tag);
        key.extend_from_slice(bytes);
        key.push(0);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_sorted_and_deduplicated_as_paths_are() {
        let names = [
            "a/b.txt",
            "a-b.txt",
            "a.txt",
            "a/b/c.txt",
            "ab/c.txt",
            "a//b.txt",
            "./a.txt",
            "a.txt",
            "../x.txt",
            "/r/a.txt",
            "/r.txt",
            "报告/二.txt",
            "报告二.txt",
            "A.txt",
            "a/./b.txt",
            "a/b.txt/",
            "b",
            "a/b",
        ];
        assert_sorted_as_paths(names.iter().map(PathBuf::from).collect());
    }

    /// [`sorted`] gives the same paths in the same order as `Path`'s sort and dedup (of
    /// equal paths maybe another one, written otherwise).
    fn assert_sorted_as_paths(files: Vec<PathBuf>) {
        let mut expected = files.clone();
        expected.sort();
        expected.dedup();
        let got = sorted(files);
        assert_eq!(got.len(), expected.len(), "{got:?}");
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(g.as_path(), e.as_path());
        }
    }

    proptest::proptest! {
        #[test]
        fn any_paths_are_sorted_as_paths_are(
            parts in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec!["a", "b", "a-b", "a.b", "/", "//", "./", "../", "报", " "]),
                    1..6,
                ),
                0..12,
            )
        ) {
            assert_sorted_as_paths(parts.iter().map(|p| PathBuf::from(p.concat())).collect());
        }
    }

    #[test]
    fn absolute_is_the_standard_librarys() {
        for p in ["a/./b.txt", "./x", "../y/z.md", "报告/2023.txt", "/tmp/./a"] {
            let p = Path::new(p);
            assert_eq!(
                absolute(p),
                std::path::absolute(p).unwrap(),
                "{}",
                p.display()
            );
        }
    }

    #[test]
    fn each_folder_gets_its_own_configuration_in_any_order() {
        let root = tempfile::tempdir().unwrap();
        let with = root.path().join("with");
        let without = root.path().join("without");
        std::fs::create_dir_all(with.join("sub")).unwrap();
        std::fs::create_dir_all(&without).unwrap();
        std::fs::write(
            with.join(CONFIG_FILE),
            "[check]\nexclude = [\"drafts/**\"]\n",
        )
        .unwrap();
        let mut configs = Configs::new(None).unwrap();
        let dir_of = |c: Option<LoadedConfig>| c.map(|c| c.dir);
        let expected = Some(absolute(&with));
        for _ in 0..2 {
            assert_eq!(dir_of(configs.for_dir(&with).unwrap()), expected);
            assert_eq!(
                dir_of(configs.for_dir(&with.join("sub")).unwrap()),
                expected
            );
            assert_eq!(dir_of(configs.for_dir(&without).unwrap()), None);
        }
    }
}
