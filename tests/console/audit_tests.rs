//! Operations from the console recorded in the audit log by the executor the
//! runtime uses: the intent on disk before the call, the outcome after it.

use wavetop::protocol::OperateCall;
use wavetop::sim::SIM_IDENTITY;

use crate::support::Console;

#[test]
fn approving_a_gate_records_the_call_before_it_is_made_and_its_outcome_after() {
    // A GO gate: today's confirmation approves it.
    let mut c = Console::at_minutes(45);
    c.navigate("global-api", "SouthAmerica", "sa-east-1");
    c.keys("a tab right enter");
    let [call @ OperateCall::PutApprovalResult { .. }] = c.sent.as_slice() else {
        panic!("one approval call expected, sent {:?}", c.sent);
    };
    assert_eq!(
        c.audit_lines_at_call,
        [1],
        "the before line was on disk, alone, when the call reached the backend"
    );

    let lines = c.audit_lines();
    let [before, after] = lines.as_slice() else {
        panic!("a before and an after line expected: {lines:?}");
    };
    assert_eq!(before["phase"], "before");
    assert_eq!(before["api"], "codepipeline:PutApprovalResult");
    assert_eq!(before["call"], serde_json::to_value(call).unwrap());
    assert_eq!(before["identity"], SIM_IDENTITY);
    assert_eq!(before["target"], "global-api/SouthAmerica/sa-east-1");
    assert_eq!(before["params"]["intent"], "Approve manual gate");
    assert_eq!(
        before["params"]["state_read"]["gate_status"], "InProgress",
        "what the fresh read found is recorded with the intent"
    );
    assert_eq!(after["phase"], "after");
    assert_eq!(after["id"], before["id"]);
    assert_eq!(after["outcome"], "ok");
}

#[test]
fn an_operation_refused_on_the_fresh_read_records_nothing() {
    let (mut c, ours) = Console::approval_overtaken();
    c.run_operations = true;
    c.run(vec![ours]);
    assert!(c.sent.is_empty(), "{:?}", c.sent);
    assert!(c.audit_lines().is_empty(), "no call, no record");
}
