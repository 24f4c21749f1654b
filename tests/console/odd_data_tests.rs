//! Rendered frames of data in shapes the demo fleet never takes: a pipeline
//! flow that carries no pipeline, and revision ids shorter than the column
//! cuts them to or written in multi-byte characters. The console must draw
//! them, not panic.

use wavetop::core::model::View;
use wavetop::domain::fleet::{Flow, FlowKind};
use wavetop::domain::stack_status::StackStatus;

use crate::render_tests::{dark, find, render};
use crate::support::Console;

fn selected_flow(c: &mut Console) -> &mut Flow {
    let name = c.model.selected_flow().expect("a flow").name.clone();
    c.model
        .fleet
        .flows
        .iter_mut()
        .find(|f| f.name == name)
        .expect("the selected flow")
}

#[test]
fn a_pipeline_flow_without_pipelines_draws_its_grid_and_cell_detail() {
    let mut c = Console::at_minutes(10);
    // Open a cell's detail on the real fleet first: keys poll, which would
    // bring the pipeline back.
    c.keys("down down down down enter");
    assert_eq!(c.model.view, View::CellDetail);
    let flow = selected_flow(&mut c);
    flow.kind = FlowKind::Pipeline;
    flow.pipelines.clear();
    let name = flow.name.clone();
    let home = flow.regions[0].clone();

    let detail = render(&c.model, &dark(), 80, 24);
    assert!(
        find(detail.backend().buffer(), &name).is_some(),
        "the detail names its flow:\n{}",
        detail.backend()
    );

    c.model.view = View::Grid;
    // Wide enough for the whole title: narrower, its lesser parts give way.
    let grid = render(&c.model, &dark(), 160, 24);
    let title = format!(" {name} pipeline · home {home}");
    assert!(
        find(grid.backend().buffer(), &title).is_some(),
        "the grid title says what is known:\n{}",
        grid.backend()
    );
}

#[test]
fn short_and_multibyte_revision_ids_draw_in_the_executions_view() {
    let mut c = Console::at_minutes(10);
    c.keys("5");
    let flow = selected_flow(&mut c);
    assert!(flow.executions.len() >= 2, "two executions to rewrite");
    // "€" takes three bytes: the seventh byte falls inside the third character.
    for (execution, id) in flow.executions.iter_mut().zip(["a1c", "€ü€üéèêë"]) {
        execution.revision_id = Some(id.into());
        execution.revision_summary = Some("fix".into());
    }

    let terminal = render(&c.model, &dark(), 160, 48);
    let buffer = terminal.backend().buffer();
    assert!(
        find(buffer, "a1c fix").is_some(),
        "a short id is shown whole:\n{}",
        terminal.backend()
    );
    assert!(
        find(buffer, "€ü€üéèê fix").is_some(),
        "a multi-byte id is cut to seven characters:\n{}",
        terminal.backend()
    );
}

#[test]
fn a_stack_no_poll_has_answered_for_says_so_and_is_not_drawn_as_complete() {
    let mut c = Console::at_minutes(10);
    c.keys("down down down down enter");
    assert_eq!(c.model.view, View::CellDetail);
    // The stacks as discovery names them, before the first stack poll.
    for stack in &mut c.model.fleet.stacks {
        stack.status = StackStatus::unknown();
        stack.events.clear();
    }
    let theme = dark();
    let detail = render(&c.model, &theme, 160, 48);
    let buffer = detail.backend().buffer();
    let (x, y) = find(buffer, "UNKNOWN").expect("the stack's status is drawn");
    assert_ne!(
        buffer[(x, y)].fg,
        theme.event_complete.fg.expect("a colour"),
        "an unknown status is not drawn as a completed one"
    );
    assert!(
        find(buffer, "not read yet").is_some(),
        "the detail says the stack was not read:\n{}",
        detail.backend()
    );
    assert!(find(buffer, "UNKNOWN  read").is_none());
}
