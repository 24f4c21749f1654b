//! Pipeline structures kept on disk between runs. `ListPipelines` names
//! each pipeline's version and last update; a pipeline whose version and
//! update time are what a stored `GetPipeline` answer was read at has that
//! structure still, so a start of wavetop reads `GetPipeline` only for the
//! pipelines that changed since the last one (on a 200-pipeline fleet, 200
//! calls fewer).
//!
//! One file per pipeline version, under
//! `<dir>/<keys kept>/<partition or endpoint>/<account id>/<region>/<pipeline>/<version>.json`:
//! an emulator behind `--endpoint-url` has a tree of its own, never mixed
//! with AWS's. A structure keeps only the action configuration keys wavetop
//! reads; `<keys kept>` names them, so a release that reads one more key
//! finds none of the files an earlier one wrote, and reads every structure
//! again instead of using declarations that lack it. A stored update time that differs from the listing's (a
//! pipeline deleted and made again under the same name starts at version 1
//! again) is a miss. Files are written whole to a temporary name and
//! renamed, so a reader never sees half a file; a file that cannot be read
//! or parsed is ignored with a note, and the structure is read from AWS.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::codepipeline::CONFIGURATION_READ;
use crate::domain::pipeline_doc::GetPipelineOutput;

/// Where a pipeline's structure is kept: what `ListPipelines` says of it,
/// in the (account, region) it was listed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheKey<'a> {
    pub account_id: &'a str,
    pub region: &'a str,
    pub pipeline: &'a str,
    pub version: i64,
    /// The listing's `updated`, epoch milliseconds.
    pub updated: Option<i64>,
}

/// What a lookup found.
#[derive(Debug, PartialEq)]
pub enum Lookup {
    Hit(GetPipelineOutput),
    Miss,
}

/// What a file holds: the structure and the update time it was read at.
#[derive(Serialize, Deserialize)]
struct Stored {
    updated: Option<i64>,
    structure: GetPipelineOutput,
}

pub struct StructureCache {
    root: PathBuf,
    /// Set for an `--endpoint-url`: its own tree, whatever the partition.
    endpoint: Option<String>,
    notes: Mutex<Vec<String>>,
}

/// Makes each temporary file's name unique within the process.
static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);

impl StructureCache {
    /// A cache under `root`; `endpoint` is the `--endpoint-url`, if any.
    pub fn new(root: PathBuf, endpoint: Option<&str>) -> Self {
        Self {
            root,
            endpoint: endpoint.map(str::to_string),
            notes: Mutex::new(Vec::new()),
        }
    }

    /// `$XDG_CACHE_HOME/wavetop/pipelines`, else `$HOME/.cache/wavetop/pipelines`;
    /// None when neither is usable (a relative `XDG_CACHE_HOME` is ignored,
    /// as the XDG specification asks).
    pub fn default_root(
        xdg_cache_home: Option<&std::ffi::OsStr>,
        home: Option<&std::ffi::OsStr>,
    ) -> Option<PathBuf> {
        let base = xdg_cache_home
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| {
                home.map(PathBuf::from)
                    .filter(|p| p.is_absolute())
                    .map(|h| h.join(".cache"))
            })?;
        Some(base.join("wavetop").join("pipelines"))
    }

    /// The stored structure of `key`'s version, if it is still current.
    pub fn get(&self, key: &CacheKey) -> Lookup {
        let path = self.path(key);
        let text = match fs::read(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Lookup::Miss,
            Err(e) => {
                self.note(format!("{}: {e}; read from AWS instead", path.display()));
                return Lookup::Miss;
            }
        };
        match serde_json::from_slice::<Stored>(&text) {
            Ok(stored)
                if stored.updated == key.updated
                    && stored.structure.pipeline.version == Some(key.version) =>
            {
                Lookup::Hit(stored.structure)
            }
            Ok(_) => Lookup::Miss,
            Err(e) => {
                self.note(format!(
                    "{}: not a stored pipeline structure ({e}); read from AWS instead",
                    path.display()
                ));
                Lookup::Miss
            }
        }
    }

    /// Keeps `structure` for `key`, unless it is of another version than
    /// the key names (the pipeline changed between the listing and the
    /// read: the next listing names the new version). A failure to write is
    /// a note: the next run reads the structure from AWS again.
    pub fn put(&self, key: &CacheKey, structure: &GetPipelineOutput) {
        if structure.pipeline.version != Some(key.version) {
            return;
        }
        let stored = Stored {
            updated: key.updated,
            structure: structure.clone(),
        };
        let path = self.path(key);
        if let Err(e) = write_whole(&path, &stored) {
            self.note(format!("{}: not kept ({e})", path.display()));
        }
    }

    /// What could not be read or written, for the operator.
    pub fn notes(&self) -> Vec<String> {
        lock(&self.notes).clone()
    }

    fn note(&self, text: String) {
        lock(&self.notes).push(format!("pipeline cache: {text}"));
    }

    fn path(&self, key: &CacheKey) -> PathBuf {
        let scope = match &self.endpoint {
            Some(url) => format!("endpoint-{}", file_name(url)),
            None => partition(key.region).to_string(),
        };
        self.root
            .join(kept_keys())
            .join(scope)
            .join(file_name(key.account_id))
            .join(file_name(key.region))
            .join(file_name(key.pipeline))
            .join(format!("{}.json", key.version))
    }
}

/// The path component naming the configuration keys a stored structure
/// keeps.
fn kept_keys() -> String {
    format!("keys-{}", CONFIGURATION_READ.join("-"))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The AWS partition a region belongs to.
fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else {
        "aws"
    }
}

/// `text` as one path component: letters, digits, `-`, `_` and `@` kept,
/// every other byte written `%XX` (so `.`, `..` and `/` cannot escape).
fn file_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'@') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Writes `value` to a temporary file beside `path` and renames it over
/// `path`: readers see the old file or the new one, never a part.
fn write_whole(path: &Path, value: &Stored) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent directory"))?;
    fs::create_dir_all(dir)?;
    let temp = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        NEXT_TEMP.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(&serde_json::to_vec(value)?)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pipeline_doc::PipelineDeclaration;

    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir().join(format!(
                "wavetop-structure-cache-{name}-{}",
                std::process::id()
            ));
            let _ = fs::remove_dir_all(&dir);
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn structure(version: i64) -> GetPipelineOutput {
        let pipeline: PipelineDeclaration = serde_json::from_value(serde_json::json!({
            "name": "api", "version": version, "stages": []
        }))
        .unwrap();
        GetPipelineOutput {
            pipeline,
            metadata: None,
        }
    }

    fn key(version: i64, updated: i64) -> CacheKey<'static> {
        CacheKey {
            account_id: "111122223333",
            region: "us-east-1",
            pipeline: "api",
            version,
            updated: Some(updated),
        }
    }

    #[test]
    fn a_kept_version_is_found_and_a_newer_one_is_not() {
        let dir = Scratch::new("hit");
        let cache = StructureCache::new(dir.0.clone(), None);
        assert_eq!(cache.get(&key(3, 100)), Lookup::Miss);
        cache.put(&key(3, 100), &structure(3));
        assert_eq!(cache.get(&key(3, 100)), Lookup::Hit(structure(3)));
        assert_eq!(cache.get(&key(4, 160)), Lookup::Miss);
        // Same version, another update time: made again under the same name.
        assert_eq!(cache.get(&key(3, 900)), Lookup::Miss);
        assert!(cache.notes().is_empty(), "{:?}", cache.notes());
        let leftovers: Vec<_> = fs::read_dir(cache.path(&key(3, 100)).parent().unwrap())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("3.json")]);
    }

    #[test]
    fn a_structure_of_another_version_than_listed_is_not_kept() {
        let dir = Scratch::new("raced");
        let cache = StructureCache::new(dir.0.clone(), None);
        cache.put(&key(3, 100), &structure(4));
        assert_eq!(cache.get(&key(3, 100)), Lookup::Miss);
        assert!(!cache.path(&key(3, 100)).exists());
    }

    #[test]
    fn a_corrupt_file_is_a_miss_with_a_note() {
        let dir = Scratch::new("corrupt");
        let cache = StructureCache::new(dir.0.clone(), None);
        let path = cache.path(&key(3, 100));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, b"{\"updated\": 100, \"structure\": {\"pipel").unwrap();
        assert_eq!(cache.get(&key(3, 100)), Lookup::Miss);
        let notes = cache.notes();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("3.json"), "{notes:?}");
        // Read again from AWS, it is kept over the corrupt file.
        cache.put(&key(3, 100), &structure(3));
        assert_eq!(cache.get(&key(3, 100)), Lookup::Hit(structure(3)));
    }

    #[test]
    fn structures_are_kept_under_the_configuration_keys_they_hold() {
        let dir = Scratch::new("kept");
        let cache = StructureCache::new(dir.0.clone(), None);
        let path = cache.path(&key(3, 100));
        let kept = path
            .strip_prefix(&dir.0)
            .ok()
            .and_then(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap();
        for read in CONFIGURATION_READ {
            assert!(kept.contains(read), "{kept} names {read}");
        }
    }

    #[test]
    fn an_emulator_and_each_partition_keep_trees_of_their_own() {
        let dir = Scratch::new("scopes");
        let aws = StructureCache::new(dir.0.clone(), None);
        let moto = StructureCache::new(dir.0.clone(), Some("http://127.0.0.1:5000"));
        aws.put(&key(3, 100), &structure(3));
        assert_eq!(moto.get(&key(3, 100)), Lookup::Miss);
        let china = CacheKey {
            region: "cn-north-1",
            ..key(3, 100)
        };
        assert!(
            aws.path(&china)
                .starts_with(dir.0.join(kept_keys()).join("aws-cn"))
        );
        let odd = CacheKey {
            pipeline: "../..",
            ..key(3, 100)
        };
        assert!(
            aws.path(&odd)
                .starts_with(dir.0.join(kept_keys()).join("aws"))
        );
        assert!(
            !aws.path(&odd)
                .components()
                .any(|c| c == std::path::Component::ParentDir)
        );
    }

    #[test]
    fn the_root_follows_xdg_then_home() {
        use std::ffi::OsStr;
        let root = |x: Option<&str>, h: Option<&str>| {
            StructureCache::default_root(x.map(OsStr::new), h.map(OsStr::new))
        };
        assert_eq!(
            root(Some("/x"), Some("/h")),
            Some(PathBuf::from("/x/wavetop/pipelines"))
        );
        assert_eq!(
            root(Some("rel"), Some("/h")),
            Some(PathBuf::from("/h/.cache/wavetop/pipelines"))
        );
        assert_eq!(root(None, None), None);
    }
}
