//! One copy of each repeated string in a fleet's declarations. The large
//! fleet declares over ten thousand actions of a handful of types whose
//! configurations repeat the same keys and many of the same values (the capabilities, a region's role
//! ARN, `PipelineChange`); held once each, they cost a few hundred
//! kilobytes instead of several megabytes of small allocations.

use std::collections::HashSet;
use std::sync::Arc;

use super::spec::FleetSpec;
use super::stacks::StackSim;

/// A pipeline execution's id as every action of the execution holds it:
/// one string for all of them, written and read as a plain string.
pub use crate::domain::shared_str::SharedStr as SharedId;

/// The strings seen so far, each kept once.
#[derive(Default)]
struct SharedStrings(HashSet<Arc<str>>);

impl SharedStrings {
    /// Points `s` at the copy already held, or holds `s` for those to come.
    fn share(&mut self, s: &mut Arc<str>) {
        match self.0.get(&**s) {
            Some(held) => *s = Arc::clone(held),
            None => {
                self.0.insert(Arc::clone(s));
            }
        }
    }
}

/// Shares the type, region and configuration strings of every declaration in `spec`.
pub(super) fn share_declarations(spec: &mut FleetSpec) {
    let mut strings = SharedStrings::default();
    for pipeline in spec.flows.iter_mut().flat_map(|f| f.pipelines.iter_mut()) {
        let decl = Arc::make_mut(&mut pipeline.decl);
        for action in decl.stages.iter_mut().flat_map(|s| s.actions.iter_mut()) {
            let type_id = action.action_type_id.strings_mut();
            let region = action.region.as_mut().map(SharedId::arc_mut);
            for s in action
                .configuration
                .strings_mut()
                .chain(type_id)
                .chain(region)
            {
                strings.share(s);
            }
        }
    }
}

/// Shares the flow and region names of the simulated stacks: a large fleet
/// has thousands of stacks over a few hundred flows and a few dozen regions.
pub(super) fn share_stack_places(stacks: &mut [StackSim]) {
    let mut strings = SharedStrings::default();
    for stack in stacks {
        strings.share(stack.flow.arc_mut());
        strings.share(stack.region.arc_mut());
    }
}

#[cfg(test)]
mod tests {
    use super::SharedId;
    use crate::sim::FleetSize;

    #[test]
    fn an_execution_id_is_written_and_read_as_a_plain_string() {
        let id = SharedId::from("e-1");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"e-1\"");
        let back: SharedId = serde_json::from_str("\"e-1\"").unwrap();
        assert_eq!(back, id);
    }

    #[test]
    fn equal_configuration_values_are_one_string() {
        let spec = FleetSize::Large.spec();
        let capabilities: Vec<&str> = spec
            .flows
            .iter()
            .flat_map(|f| &f.pipelines)
            .flat_map(|p| &p.decl.stages)
            .flat_map(|s| &s.actions)
            .filter_map(|a| a.configuration.get("Capabilities"))
            .collect();
        assert!(capabilities.len() > 1000, "{}", capabilities.len());
        let first = capabilities[0].as_ptr();
        assert!(capabilities.iter().all(|c| c.as_ptr() == first));
    }

    #[test]
    fn the_stacks_of_a_region_hold_one_copy_of_its_name() {
        let world = crate::sim::world::SimWorld::with_fleet(
            FleetSize::Large,
            7,
            jiff::Timestamp::from_second(1_700_000_000).unwrap(),
        );
        let first = &world.stacks[0];
        let same_region: Vec<_> = world
            .stacks
            .iter()
            .filter(|s| s.region == first.region)
            .collect();
        assert!(same_region.len() > 10, "{}", same_region.len());
        assert!(
            same_region
                .iter()
                .all(|s| s.region.as_ptr() == first.region.as_ptr())
        );
    }
}
