//! The pipeline structure cache through discovery: a pipeline listed at a
//! version whose structure was read before is not read again, a new
//! version or a corrupt file is, and what goes wrong with the cache never
//! fails discovery.

use std::path::PathBuf;

use aws_sdk_codepipeline::Client;
use aws_smithy_mocks::{Rule, mock};
use jiff::Timestamp;
use wavetop::config::schema::AwsConfig;
use wavetop::domain::fleet::Flow;
use wavetop::protocol::{Discovery, Observe};
use wavetop::source::aws::structure_cache::StructureCache;

use super::fixtures;
use super::support::{Fake, caller_identity, http, json_error};

/// A cache directory of its own, removed at the end of the test.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "wavetop-adapters-cache-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch(dir)
    }

    fn cache(&self) -> StructureCache {
        StructureCache::new(self.0.clone(), None)
    }

    fn files(&self) -> Vec<PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(&self.0, &mut files);
        files.sort();
        files
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// ListPipelines in two pages: `api` at `api_version`, then `web` at 1.
fn listing(api_version: i32) -> Vec<Rule> {
    vec![
        mock!(Client::list_pipelines)
            .match_requests(|r| r.next_token().is_none())
            .then_http_response(move || {
                http(
                    200,
                    &format!(
                        r#"{{"pipelines":[{{"name":"api","version":{api_version},"updated":1763650000.25}}],"nextToken":"page-2"}}"#
                    ),
                )
            }),
        mock!(Client::list_pipelines)
            .match_requests(|r| r.next_token() == Some("page-2"))
            .then_http_response(|| {
                http(
                    200,
                    r#"{"pipelines":[{"name":"web","version":1,"updated":1763600000}]}"#,
                )
            }),
    ]
}

fn get_pipeline(name: &'static str, version: i32) -> Rule {
    mock!(Client::get_pipeline)
        .match_requests(move |r| r.name() == Some(name))
        .then_http_response(move || http(200, &fixtures::get_pipeline(name, version)))
}

/// One discovery through a backend over `cache`, with `rules` answering.
async fn discover(rules: Vec<Rule>, cache: StructureCache) -> (Discovery, Vec<String>) {
    let mut rules = rules;
    rules.push(caller_identity());
    let fake = Fake::new(rules);
    let backend = fake
        .backend(AwsConfig::default(), &["us-east-1"])
        .with_structure_cache(cache);
    let discovery = backend.discover().await.unwrap();
    (discovery, backend.cache_notes())
}

/// Each flow as discovery found it, but for when.
fn flows(d: &Discovery) -> Vec<Flow> {
    d.flows
        .iter()
        .map(|f| Flow {
            fetched_at: Timestamp::UNIX_EPOCH,
            ..f.clone()
        })
        .collect()
}

fn versions(d: &Discovery) -> Vec<(String, i64, usize)> {
    d.flows
        .iter()
        .map(|f| (f.name.clone(), f.pipelines[0].version, f.waves.len()))
        .collect()
}

#[tokio::test]
async fn a_listed_version_read_before_is_not_read_again() {
    let dir = Scratch::new("hit");
    let (api, web) = (get_pipeline("api", 3), get_pipeline("web", 1));
    let mut rules = listing(3);
    rules.extend([api.clone(), web.clone()]);
    let (cold, notes) = discover(rules, dir.cache()).await;
    assert_eq!((api.num_calls(), web.num_calls()), (1, 1));
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(dir.files().len(), 2, "{:?}", dir.files());

    let (api, web) = (get_pipeline("api", 3), get_pipeline("web", 1));
    let mut rules = listing(3);
    rules.extend([api.clone(), web.clone()]);
    let (warm, notes) = discover(rules, dir.cache()).await;
    assert_eq!((api.num_calls(), web.num_calls()), (0, 0));
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(versions(&warm), versions(&cold));
    assert_eq!(flows(&warm), flows(&cold));
}

#[tokio::test]
async fn a_new_version_is_read_and_kept_beside_the_old() {
    let dir = Scratch::new("new-version");
    let mut rules = listing(3);
    rules.extend([get_pipeline("api", 3), get_pipeline("web", 1)]);
    discover(rules, dir.cache()).await;

    let (api, web) = (get_pipeline("api", 4), get_pipeline("web", 1));
    let mut rules = listing(4);
    rules.extend([api.clone(), web.clone()]);
    let (d, _) = discover(rules, dir.cache()).await;
    assert_eq!((api.num_calls(), web.num_calls()), (1, 0));
    assert_eq!(versions(&d)[0].1, 4);
    assert_eq!(dir.files().len(), 3, "{:?}", dir.files());
}

#[tokio::test]
async fn a_corrupt_file_is_read_from_aws_again_with_a_note() {
    let dir = Scratch::new("corrupt");
    let mut rules = listing(3);
    rules.extend([get_pipeline("api", 3), get_pipeline("web", 1)]);
    let (cold, _) = discover(rules, dir.cache()).await;
    let api_file = dir
        .files()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("/api/"))
        .unwrap();
    std::fs::write(&api_file, "{\"updated\":").unwrap();

    let (api, web) = (get_pipeline("api", 3), get_pipeline("web", 1));
    let mut rules = listing(3);
    rules.extend([api.clone(), web.clone()]);
    let (d, notes) = discover(rules, dir.cache()).await;
    assert_eq!((api.num_calls(), web.num_calls()), (1, 0));
    assert_eq!(flows(&d), flows(&cold));
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("api"), "{notes:?}");
}

#[tokio::test]
async fn a_failed_read_keeps_nothing_and_is_tried_again() {
    let dir = Scratch::new("failed");
    let denied = mock!(Client::get_pipeline)
        .match_requests(|r| r.name() == Some("api"))
        .then_http_response(|| json_error("AccessDeniedException", "not authorized"));
    let mut rules = listing(3);
    rules.extend([denied, get_pipeline("web", 1)]);
    let (d, _) = discover(rules, dir.cache()).await;
    assert_eq!(d.errors.len(), 1, "{:?}", d.errors);
    assert_eq!(d.errors[0].source, "pipeline api");
    assert_eq!(dir.files().len(), 1, "{:?}", dir.files());

    let api = get_pipeline("api", 3);
    let mut rules = listing(3);
    rules.extend([api.clone(), get_pipeline("web", 1)]);
    let (d, _) = discover(rules, dir.cache()).await;
    assert_eq!(api.num_calls(), 1);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
}
