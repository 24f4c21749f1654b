//! Which console link belongs to what the operator has selected, and the
//! effects of `open-link`, `copy-url` and `copy-id`. The runtime opens and
//! copies; this only decides what.

use super::action::ActionName;
use super::model::{Model, View};
use super::msg::Effect;
use super::rows::selected_check_id;
use crate::domain::console_url::Resource;
use crate::domain::fleet::{Flow, Wave};

/// One resource's place in the console, as a view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// What it is, in words: "stack web-use1", "execution 1a2b3c4d".
    pub what: String,
    /// The item's name as the views show it: "web-use1", "1a2b3c4d".
    pub name: String,
    pub url: String,
    /// Its ARN, or the id AWS knows it by.
    pub id: String,
}

impl Link {
    fn of(kind: &str, name: &str, resource: &Resource) -> Link {
        Link {
            what: format!("{kind} {name}"),
            name: name.to_string(),
            url: resource.url(),
            id: resource.arn_or_id(),
        }
    }
}

/// `open-link`, `copy-url` and `copy-id` on the selection: the effect, and
/// the footer that says what happened (or that there is no link).
pub fn act(model: &mut Model, action: ActionName, fx: &mut Vec<Effect>) {
    let Some(link) = selected_link(model) else {
        model.flash(format!(
            "nothing here has a console link ({} view)",
            model.view.title()
        ));
        return;
    };
    match action {
        ActionName::OpenLink => {
            model.flash(format!("opening {} in the browser", link.what));
            fx.push(Effect::OpenUrl { url: link.url });
        }
        ActionName::CopyUrl => {
            model.flash(format!("copied URL of {}", link.what));
            fx.push(Effect::Copy {
                text: link.url,
                what: format!("URL of {}", link.what),
            });
        }
        _ => {
            let kind = if link.id.starts_with("arn:") {
                "ARN"
            } else {
                "id"
            };
            model.flash(format!("copied {kind} of {}", link.what));
            fx.push(Effect::Copy {
                text: link.id,
                what: format!("{kind} of {}", link.what),
            });
        }
    }
}

/// The link of the item under the cursor of the current view. In the grid
/// and the cell detail that is the cell's stack when it deploys one (what
/// the region is doing), else its stage in the current execution.
pub fn selected_link(model: &Model) -> Option<Link> {
    match model.view {
        View::Pipelines => {
            let flow = *model.visible_flows().get(model.cursors.pipeline.selected)?;
            let p = flow.pipelines.first()?;
            Some(Link::of(
                "pipeline",
                &p.name,
                &Resource::Pipeline {
                    region: &p.home_region,
                    account: &p.account,
                    name: &p.name,
                },
            ))
        }
        View::Grid | View::CellDetail => {
            let links = cell_links(model);
            let stack = links.iter().find(|l| l.what.starts_with("stack "));
            stack.or(links.first()).cloned()
        }
        View::Executions => {
            let flow = model.selected_flow()?;
            let e = flow.executions.get(model.cursors.execution.selected)?;
            let region = pipeline_region(flow, &e.pipeline);
            Some(Link::of(
                "execution",
                &short(&e.id),
                &Resource::Execution {
                    region,
                    pipeline: &e.pipeline,
                    id: &e.id,
                },
            ))
        }
        View::Health => {
            let id = selected_check_id(&model.fleet, model.cursors.health.selected)?;
            let region = model.fleet.health.check(&id).map_or("", |c| &c.region);
            Some(Link::of(
                "health check",
                &id,
                &Resource::HealthCheck { region, id: &id },
            ))
        }
        View::Replication => {
            let table = model.fleet.tables.get(model.cursors.replication.selected)?;
            let region = table.replicas.first().map_or("", |r| r.region.as_str());
            let account = table
                .flow
                .as_deref()
                .and_then(|f| model.fleet.flow(f))
                .and_then(|f| f.pipelines.first())
                .map_or("", |p| p.account.as_str());
            Some(Link::of(
                "table",
                &table.name,
                &Resource::Table {
                    region,
                    account,
                    name: &table.name,
                },
            ))
        }
        View::Revisions | View::Activity => None,
    }
}

/// Every console link of the selected cell, as the cell detail lists them:
/// its stage (or its pipeline, before any execution), each action, each
/// alarm watched for the flow in the region, each stack's events.
pub fn cell_links(model: &Model) -> Vec<Link> {
    let Some(flow) = model.selected_flow() else {
        return Vec::new();
    };
    let Some((row, region)) = model.selected_cell() else {
        return Vec::new();
    };
    let Some(wave) = flow.waves.get(row) else {
        return Vec::new();
    };
    let mut links = vec![stage_link(flow, wave)];
    let home = pipeline_region(flow, &wave.pipeline);
    let Some(cell) = wave.cell(region) else {
        return links;
    };
    for action in &cell.actions {
        let own = action.external_url.as_deref().map(str::to_string);
        let in_execution = wave.execution_id.as_deref().map(|execution| {
            Link::of(
                "action",
                &action.name,
                &Resource::Action {
                    region: home,
                    pipeline: &wave.pipeline,
                    execution,
                    action: &action.name,
                },
            )
        });
        // CodePipeline's own link to the action's run (a build's log, a
        // stack's page) is the more precise page when there is one.
        match (own, in_execution) {
            (Some(url), Some(link)) => links.push(Link { url, ..link }),
            (Some(url), None) => links.push(Link {
                what: format!("action {}", action.name),
                name: action.name.to_string(),
                id: url.clone(),
                url,
            }),
            (None, Some(link)) => links.push(link),
            (None, None) => {}
        }
    }
    let alarms = &model.fleet.alarms;
    let account = alarms
        .watched
        .watches
        .iter()
        .find(|w| w.flow == flow.name && w.region == cell.region)
        .map_or("", |w| w.account.as_str());
    for alarm in alarms.of(&flow.name, &cell.region) {
        links.push(Link::of(
            "alarm",
            &alarm.name,
            &Resource::Alarm {
                region: &alarm.region,
                account,
                name: &alarm.name,
            },
        ));
    }
    for name in cell.stack_names() {
        let id = model
            .fleet
            .stack(&cell.region, name)
            .map_or(name, |s| s.name.as_str());
        links.push(Link::of(
            "stack",
            name,
            &Resource::StackEvents {
                region: &cell.region,
                id,
            },
        ));
    }
    links
}

fn stage_link(flow: &Flow, wave: &Wave) -> Link {
    let region = pipeline_region(flow, &wave.pipeline);
    match &wave.execution_id {
        Some(execution) => Link {
            what: format!("stage {} of execution {}", wave.name, short(execution)),
            ..Link::of(
                "stage",
                &wave.name,
                &Resource::Stage {
                    region,
                    pipeline: &wave.pipeline,
                    execution,
                    stage: &wave.name,
                },
            )
        },
        None => Link::of(
            "pipeline",
            &wave.pipeline,
            &Resource::Pipeline {
                region,
                account: pipeline_account(flow, &wave.pipeline),
                name: &wave.pipeline,
            },
        ),
    }
}

fn pipeline_region<'a>(flow: &'a Flow, pipeline: &str) -> &'a str {
    flow.pipelines
        .iter()
        .find(|p| p.name == pipeline)
        .map_or_else(|| flow.home_region(), |p| p.home_region.as_str())
}

fn pipeline_account<'a>(flow: &'a Flow, pipeline: &str) -> &'a str {
    flow.pipelines
        .iter()
        .find(|p| p.name == pipeline)
        .map_or("", |p| p.account.as_str())
}

/// An execution id as the views show it: its first eight characters.
fn short(id: &str) -> String {
    id.chars().take(8).collect()
}
