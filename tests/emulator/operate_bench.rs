//! What the operate tests share: a gated pipeline created in moto, its state
//! served by the stand-in from a fixture, a sandbox to run wavetop in
//! against the stand-in, and readers for what came out the other end.

use super::*;

/// The home region of every pipeline these tests seed.
pub(crate) const HOME: &str = "eu-central-2";

/// Executions of the fixtures, newest first: the one in the Europe stage
/// (running in `gates-waiting.json`, failed in `europe-failed.json`), and
/// two earlier successes.
pub(crate) const LATEST: &str = "2f9e8d7c-6b5a-4c3d-8e1f-0a9b8c7d6e5f";
pub(crate) const PREVIOUS: &str = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";
pub(crate) const OLDEST: &str = "0d4c6a52-3b1e-4f7a-9c2d-5e8f1a0b3c4d";
/// A newer execution that scripts let overtake the latest.
pub(crate) const NEWER: &str = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";

/// The approval tokens waiting in `gates-waiting.json`.
pub(crate) const IRELAND_TOKEN: &str = "7d0c5e1a-93b2-4c6f-a8e4-2b1d9f3c6a70";
pub(crate) const FRANKFURT_TOKEN: &str = "8e1d6f2b-a4c3-4d70-b9f5-3c2e0a4d7b81";

/// Another operator, acting on the same pipeline.
pub(crate) const BOB: &str = "arn:aws:sts::123456789012:assumed-role/OnCall/bob";

pub(crate) struct Bench {
    pub(crate) standin: StandIn,
    pub(crate) sandbox: Sandbox,
    pub(crate) config: PathBuf,
    pub(crate) pipeline: String,
}

impl Bench {
    /// A pipeline named `<prefix>-<unique>` in moto, and the stand-in
    /// serving `fixture` as its state; panics when the fixture's stages and
    /// actions are not the ones moto holds.
    pub(crate) async fn new(url: &str, prefix: &str, fixture: &str) -> Bench {
        let tag = format!("{prefix}{}", unique());
        let pipeline = format!("{prefix}-{tag}");
        let structure = seed_gated_pipeline(url, HOME, &pipeline).await;
        let state = PipelineState::fixture(fixture, &pipeline);
        assert_fixture_matches(&structure, &state);
        let standin = StandIn::start(url);
        standin.serve(state);
        let sandbox = Sandbox::new(&tag);
        let config = sandbox.config(&format!(
            "[aws]\nhome_regions = [\"{HOME}\"]\npipelines = [\"{pipeline}\"]\n"
        ));
        Bench {
            standin,
            sandbox,
            config,
            pipeline,
        }
    }

    /// Adds `toml` (e.g. a `[windows.<region>]` table) to the config.
    pub(crate) fn configure(&mut self, toml: &str) {
        let text = fs::read_to_string(&self.config).unwrap();
        self.config = self.sandbox.config(&format!("{toml}\n{text}"));
    }

    /// Serves `fixture` as the pipeline's state again, from scratch.
    pub(crate) fn reset(&self, fixture: &str) {
        self.standin
            .serve(PipelineState::fixture(fixture, &self.pipeline));
    }

    /// The pipeline's state as the stand-in holds it now.
    pub(crate) fn state(&self) -> PipelineState {
        self.standin.state(&self.pipeline)
    }

    /// Runs wavetop against the stand-in.
    pub(crate) fn wavetop(&self, args: &[&str]) -> Output {
        self.sandbox.wavetop(&self.standin.url, &self.config, args)
    }

    /// Runs a headless command on the pipeline: `words` (split at spaces)
    /// with `--pipeline <name>` after the subcommand, then `extra` as they
    /// are (values with spaces in them).
    pub(crate) fn run(&self, words: &str, extra: &[&str]) -> Output {
        let mut words = words.split_whitespace();
        let mut args: Vec<&str> = words.next().into_iter().collect();
        args.extend(["--pipeline", self.pipeline.as_str()]);
        args.extend(words);
        args.extend_from_slice(extra);
        self.wavetop(&args)
    }

    /// [`Bench::run`] for a command that must succeed.
    pub(crate) fn done(&self, words: &str, extra: &[&str]) -> Output {
        let out = self.run(words, extra);
        assert!(out.status.success(), "{}", describe(&out));
        out
    }

    /// [`Bench::run`] for a command that AWS must refuse: exit status 1, and
    /// stderr naming `code`; returns stderr.
    pub(crate) fn refused(&self, words: &str, extra: &[&str], code: &str) -> String {
        let out = self.run(words, extra);
        assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(stderr.contains(code), "{code} named: {stderr}");
        stderr
    }

    /// The operator calls the stand-in received, each checked to be on the
    /// wire as CodePipeline expects it (see [`assert_on_the_wire`]).
    pub(crate) fn operator_calls(&self) -> Vec<Call> {
        let calls = self.standin.operator_calls();
        for call in &calls {
            assert_on_the_wire(call);
        }
        calls
    }

    /// The body of the `n`-th operator call (from 0), which must be `operation`.
    pub(crate) fn call(&self, n: usize, operation: &str) -> Value {
        let calls = self.operator_calls();
        let call = calls
            .get(n)
            .unwrap_or_else(|| panic!("no operator call #{n}; calls: {calls:#?}"));
        assert_eq!(call.operation, operation, "{calls:#?}");
        call.body.clone()
    }

    /// The PutApprovalResult body wavetop sends for `action` of the Europe
    /// wave: `verdict` (Approved or Rejected) with the operator's comment.
    pub(crate) fn approval_body(
        &self,
        action: &str,
        token: &str,
        verdict: &str,
        comment: &str,
    ) -> Value {
        let caller = &self.standin.caller;
        json!({
            "pipelineName": self.pipeline,
            "stageName": "Europe",
            "actionName": action,
            "token": token,
            "result": {
                "status": verdict,
                "summary": format!("{verdict} by {caller} via wavetop: {comment}"),
            },
        })
    }

    /// The EnableStageTransition body that releases `stage`.
    pub(crate) fn release_body(&self, stage: &str) -> Value {
        json!({ "pipelineName": self.pipeline, "stageName": stage, "transitionType": "Inbound" })
    }

    /// Waits (for the console) until `n` operator calls have arrived.
    pub(crate) fn wait_for_calls(&self, n: usize, timeout: Duration) -> Vec<Call> {
        let start = Instant::now();
        loop {
            let calls = self.operator_calls();
            if calls.len() >= n {
                return calls;
            }
            assert!(
                start.elapsed() < timeout,
                "{n} operator calls never arrived; calls: {calls:#?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Every line of the audit log.
    pub(crate) fn audit(&self) -> Vec<Value> {
        fs::read_to_string(self.sandbox.audit_log())
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("an audit line is JSON"))
            .collect()
    }
}

/// The fixture's stages are the pipeline's in order, each with the same actions.
fn assert_fixture_matches(structure: &Value, state: &PipelineState) {
    assert_eq!(
        outline(
            &state.state["stageStates"],
            "stageName",
            "actionStates",
            "actionName"
        ),
        outline(&structure["pipeline"]["stages"], "name", "actions", "name"),
        "the fixture describes the seeded pipeline"
    );
}

/// Each stage's name and the names of its actions, however the document spells them.
fn outline<'v>(
    stages: &'v Value,
    stage_name: &str,
    actions: &str,
    action_name: &str,
) -> Vec<(&'v str, BTreeSet<&'v str>)> {
    items(stages)
        .iter()
        .map(|s| {
            let names = items(&s[actions]).iter().map(|a| text(&a[action_name]));
            (text(&s[stage_name]), names.collect())
        })
        .collect()
}

/// A call as the SDK sends it to CodePipeline: awsJson1.1, the operation
/// in `X-Amz-Target`, signed for CodePipeline in the pipeline's home region.
pub(crate) fn assert_on_the_wire(call: &Call) {
    assert_eq!(
        call.header("x-amz-target"),
        Some(format!("CodePipeline_20150709.{}", call.operation).as_str()),
        "{call:#?}"
    );
    assert_eq!(
        call.header("content-type"),
        Some("application/x-amz-json-1.1"),
        "{call:#?}"
    );
    let scope = format!("/{HOME}/codepipeline/aws4_request");
    assert!(
        call.header("authorization")
            .is_some_and(|a| a.contains(&scope)),
        "signed for {scope}: {call:#?}"
    );
}

/// The audit lines come in before/after pairs, one per call, in `apis`
/// order, each after with `outcome`; returns the pairs.
pub(crate) fn assert_audited(lines: &[Value], apis: &[&str], outcome: &str) -> Vec<(Value, Value)> {
    assert_eq!(lines.len(), apis.len() * 2, "{lines:#?}");
    lines
        .chunks(2)
        .zip(apis)
        .map(|(pair, api)| {
            let (before, after) = (&pair[0], &pair[1]);
            assert_eq!(before["phase"], "before", "{pair:#?}");
            assert_eq!(before["api"], *api, "{pair:#?}");
            assert_eq!(after["phase"], "after", "{pair:#?}");
            assert_eq!(after["id"], before["id"], "{pair:#?}");
            assert_eq!(after["outcome"], outcome, "{pair:#?}");
            (before.clone(), after.clone())
        })
        .collect()
}
