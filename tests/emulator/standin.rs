//! A stand-in for the CodePipeline calls moto lacks, in front of moto.
//!
//! moto keeps pipelines' structure (`CreatePipeline`, `GetPipeline`,
//! `ListPipelines`) but has no `GetPipelineState` and none of the operator
//! calls. The stand-in answers those, in CodePipeline's own wire format
//! (awsJson1.1, `X-Amz-Target: CodePipeline_20150709.<Op>`, errors as
//! `{"__type", "message"}` with HTTP 400), for the pipelines it is told
//! about, from fixture states shaped as AWS returns them (see
//! `standin_model.rs`). Every other request (other pipelines, other
//! operations, other services) goes to the upstream untouched: moto, or the
//! CBOR relay when CloudWatch must answer too. One `--endpoint-url` serves all.
//!
//! It also answers `ListPipelineExecutions` for its pipelines: moto's
//! executions get random ids and are `Succeeded` from the start, so no
//! running, failed or superseded execution (what stop, retry and rollback
//! act on) could be made there, nor one whose id matches the state.
//!
//! Every request it receives is recorded ([`Call`]): the operation, the
//! parsed JSON body, the headers, and what it answered.
//!
//! Knobs for staging races ([`StandIn::script`]), each firing once:
//! - [`When::AfterRead`]`(k)`: right after the k-th `GetPipelineState` of
//!   the pipeline has been answered, so read k+1 and every call after it
//!   meet the change.
//! - [`When::OnCall`]`(op)`: when a call of `op` for the pipeline arrives,
//!   before it is checked, so it meets the change however many reads came
//!   first: someone else acted between wavetop's last read and its call.
//!
//! A change is any closure over the state; `PipelineState` has the usual
//! ones ready: `answer_approval`, `set_transition`, `supersede`,
//! `finish_execution`.
//!
//! [`StandIn::serve`] again replaces a pipeline's state (the read count and
//! script are kept); [`StandIn::serve_in_turn`] serves a list of states, the
//! Nth read answering states[min(N, len-1)] (counted from 0).

use super::*;

const TARGET_PREFIX: &str = "CodePipeline_20150709.";

/// The operations the stand-in answers for the pipelines it serves.
const ANSWERED: [&str; 8] = [
    "GetPipelineState",
    "ListPipelineExecutions",
    "PutApprovalResult",
    "RetryStageExecution",
    "DisableStageTransition",
    "EnableStageTransition",
    "StopPipelineExecution",
    "RollbackStage",
];

/// When a scripted change happens; see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    AfterRead(usize),
    OnCall(&'static str),
}

/// A scripted change: the state, and the time (epoch seconds) it happens at.
pub(crate) type Change = Box<dyn FnOnce(&mut PipelineState, f64) + Send>;

/// One request the stand-in received.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    /// The operation (`PutApprovalResult`), or the request line when the
    /// request named none (query-protocol and REST services).
    pub(crate) operation: String,
    /// The JSON body, or Null when the body was not JSON.
    pub(crate) body: Value,
    pub(crate) headers: Vec<(String, String)>,
    /// False when the request was passed on to the upstream.
    pub(crate) answered_here: bool,
    /// The exception the stand-in answered with.
    pub(crate) error: Option<String>,
}

impl Call {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }
}

struct Served {
    state: PipelineState,
    reads: usize,
    script: Vec<(When, Change)>,
}

impl Served {
    /// Applies (once) the scripted changes that are due.
    fn fire(&mut self, due: impl Fn(When) -> bool, now: f64) {
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.script)
            .into_iter()
            .partition(|(when, _)| due(*when));
        self.script = waiting;
        for (_, change) in ready {
            change(&mut self.state, now);
        }
    }

    fn answer(
        &mut self,
        operation: &str,
        body: &Value,
        caller: &str,
        now: f64,
    ) -> Result<Value, AwsError> {
        match operation {
            "GetPipelineState" => {
                let answer = self.state.state.clone();
                self.reads += 1;
                let reads = self.reads;
                self.fire(|w| matches!(w, When::AfterRead(k) if k <= reads), now);
                Ok(answer)
            }
            "ListPipelineExecutions" => Ok(self.state.list_executions(body)),
            _ => {
                self.fire(|w| matches!(w, When::OnCall(op) if op == operation), now);
                self.state.operate(operation, body, caller, now)
            }
        }
    }
}

#[derive(Default)]
struct Book {
    pipelines: BTreeMap<String, Served>,
    calls: Vec<Call>,
}

pub(crate) struct StandIn {
    pub(crate) url: String,
    /// The ARN calls are made as (moto's STS answer): who the stand-in
    /// records as having approved, held or released.
    pub(crate) caller: String,
    book: Arc<Mutex<Book>>,
}

impl StandIn {
    /// Starts a stand-in passing on to `upstream` (moto's URL, or a relay's).
    pub(crate) fn start(upstream: &str) -> StandIn {
        let caller = caller_arn(upstream);
        let book = Arc::new(Mutex::new(Book::default()));
        let url = {
            let (book, caller, upstream) = (book.clone(), caller.clone(), host_of(upstream));
            serve(
                "stand-in",
                Arc::new(move |request: HttpRequest| handle(&book, &caller, &upstream, request)),
            )
        };
        StandIn { url, caller, book }
    }

    fn book(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Answers for the state's pipeline from now on (replacing its state).
    pub(crate) fn serve(&self, state: PipelineState) {
        let mut book = self.book();
        let name = state.name().to_string();
        match book.pipelines.get_mut(&name) {
            Some(served) => served.state = state,
            None => {
                book.pipelines.insert(
                    name,
                    Served {
                        state,
                        reads: 0,
                        script: Vec::new(),
                    },
                );
            }
        }
    }

    /// Serves `states` in turn, counting reads from now: the first at once,
    /// the k-th (from 0) from read k+1 on, the last one for good.
    pub(crate) fn serve_in_turn(&self, states: Vec<PipelineState>) {
        let mut states = states.into_iter();
        let first = states.next().expect("at least one state");
        let name = first.name().to_string();
        self.serve(first);
        let before = self.reads(&name);
        for (k, next) in states.enumerate() {
            self.script(&name, When::AfterRead(before + k + 1), move |state, _| {
                *state = next;
            });
        }
    }

    /// Schedules a change of a served pipeline's state.
    pub(crate) fn script(
        &self,
        pipeline: &str,
        when: When,
        change: impl FnOnce(&mut PipelineState, f64) + Send + 'static,
    ) {
        if let When::OnCall(op) = when {
            assert!(ANSWERED.contains(&op), "the stand-in never answers {op}");
        }
        self.book()
            .pipelines
            .get_mut(pipeline)
            .unwrap_or_else(|| panic!("{pipeline} is not served"))
            .script
            .push((when, Box::new(change)));
    }

    /// The pipeline's state as the stand-in holds it now.
    pub(crate) fn state(&self, pipeline: &str) -> PipelineState {
        self.book().pipelines[pipeline].state.clone()
    }

    /// How many `GetPipelineState` calls for the pipeline were answered.
    pub(crate) fn reads(&self, pipeline: &str) -> usize {
        self.book().pipelines[pipeline].reads
    }

    /// Every request received, in order.
    pub(crate) fn calls(&self) -> Vec<Call> {
        self.book().calls.clone()
    }

    /// The calls that change a served pipeline (everything answered here but
    /// the two reads), in order.
    pub(crate) fn operator_calls(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| {
                c.answered_here
                    && !matches!(
                        c.operation.as_str(),
                        "GetPipelineState" | "ListPipelineExecutions"
                    )
            })
            .collect()
    }
}

fn handle(
    book: &Mutex<Book>,
    caller: &str,
    upstream: &str,
    request: HttpRequest,
) -> io::Result<Vec<u8>> {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    // The operation after the target's service prefix, e.g. `PutApprovalResult`.
    let named = request
        .header("x-amz-target")
        .map(|t| t.rsplit('.').next().unwrap_or(t).to_string());
    let operation = named
        .clone()
        .filter(|op| ANSWERED.contains(&op.as_str()))
        .filter(|_| {
            request
                .header("x-amz-target")
                .is_some_and(|t| t.starts_with(TARGET_PREFIX))
        });
    let mut call = Call {
        operation: named.unwrap_or_else(|| request.line.clone()),
        body: body.clone(),
        headers: request.headers.clone(),
        answered_here: false,
        error: None,
    };
    // `GetPipelineState` names the pipeline `name`; every other call `pipelineName`.
    let pipeline = body["name"]
        .as_str()
        .or(body["pipelineName"].as_str())
        .unwrap_or_default();
    let mut book = book.lock().unwrap_or_else(|p| p.into_inner());
    let answered = match (operation, book.pipelines.get_mut(pipeline)) {
        (Some(operation), Some(served)) => {
            Some(served.answer(&operation, &body, caller, epoch_now()))
        }
        _ => None,
    };
    let Some(answered) = answered else {
        book.calls.push(call);
        drop(book);
        return forward(upstream, &request.line, &request.headers, &request.body);
    };
    call.answered_here = true;
    call.error = answered.as_ref().err().map(|e| e.code.to_string());
    book.calls.push(call);
    drop(book);
    Ok(json_answer(answered))
}

/// The awsJson1.1 answer: the output, or the exception with HTTP 400.
fn json_answer(answered: Result<Value, AwsError>) -> Vec<u8> {
    const JSON: (&str, &str) = ("Content-Type", "application/x-amz-json-1.1");
    let request_id = ("x-amzn-RequestId", "00000000-0000-4000-8000-5eed0000da7a");
    match answered {
        Ok(output) => response("200 OK", &[JSON, request_id], output.to_string().as_bytes()),
        Err(e) => response(
            "400 Bad Request",
            &[JSON, request_id, ("x-amzn-ErrorType", e.code)],
            json!({ "__type": e.code, "message": e.message })
                .to_string()
                .as_bytes(),
        ),
    }
}

/// The ARN the upstream's STS says the dummy credentials belong to.
fn caller_arn(upstream: &str) -> String {
    let answer = query_call(
        upstream,
        "sts",
        "Action=GetCallerIdentity&Version=2011-06-15",
    );
    let arn = answer
        .split_once("<Arn>")
        .and_then(|(_, rest)| rest.split_once("</Arn>"))
        .map(|(arn, _)| arn.to_string());
    arn.unwrap_or_else(|| panic!("GetCallerIdentity answered no Arn: {answer}"))
}
