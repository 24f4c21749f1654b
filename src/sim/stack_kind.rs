//! The kinds of stack the simulated fleet deploys. Every stack of a kind
//! holds the same resources, so they are named once here: the large fleet
//! has thousands of stacks, and a copy of the list in each cost megabytes.

use serde::{Deserialize, Serialize};

/// A stack's kind, which decides the (logical id, type) of its resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StackKind {
    /// Shared infrastructure: network and cluster.
    Infra,
    /// The orders service, with its global table replica.
    Orders,
    /// The edge relay's function and queue.
    EdgeRelay,
    /// A CDK service stack behind API Gateway (every other stack).
    Api,
}

impl StackKind {
    /// The kind of the stack named `stack`.
    pub fn of(stack: &str) -> StackKind {
        if stack.ends_with("infra") {
            StackKind::Infra
        } else if stack.starts_with("orders") {
            StackKind::Orders
        } else if stack.starts_with("edge-relay") {
            StackKind::EdgeRelay
        } else {
            StackKind::Api
        }
    }

    /// (logical id, resource type) of every resource such a stack holds.
    pub fn resources(self) -> &'static [(&'static str, &'static str)] {
        match self {
            StackKind::Infra => &[
                ("Vpc", "AWS::EC2::VPC"),
                ("ClusterSecurityGroup", "AWS::EC2::SecurityGroup"),
                ("Cluster", "AWS::ECS::Cluster"),
                ("LogGroup", "AWS::Logs::LogGroup"),
            ],
            StackKind::Orders => &[
                ("OrdersTableReplica", "AWS::DynamoDB::GlobalTable"),
                ("OrdersHandlerServiceRole", "AWS::IAM::Role"),
                ("OrdersHandler", "AWS::Lambda::Function"),
                ("OrdersApi", "AWS::ApiGateway::RestApi"),
                ("OrdersApiDeployment", "AWS::ApiGateway::Deployment"),
                ("OrdersApiStage", "AWS::ApiGateway::Stage"),
                ("HealthCheckFunction", "AWS::Lambda::Function"),
            ],
            StackKind::EdgeRelay => &[
                ("RelayFunction", "AWS::Lambda::Function"),
                ("RelayQueue", "AWS::SQS::Queue"),
                ("RelayAlarm", "AWS::CloudWatch::Alarm"),
            ],
            StackKind::Api => &[
                ("ApiHandlerServiceRole", "AWS::IAM::Role"),
                ("ApiHandler", "AWS::Lambda::Function"),
                ("ApiHandlerLogGroup", "AWS::Logs::LogGroup"),
                ("RestApi", "AWS::ApiGateway::RestApi"),
                ("RestApiDeployment", "AWS::ApiGateway::Deployment"),
                ("RestApiStage", "AWS::ApiGateway::Stage"),
                ("CDKMetadata", "AWS::CDK::Metadata"),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stack_name_picks_its_kind() {
        assert_eq!(StackKind::of("network-infra"), StackKind::Infra);
        assert_eq!(StackKind::of("orders-us-east-1"), StackKind::Orders);
        assert_eq!(StackKind::of("edge-relay-apse"), StackKind::EdgeRelay);
        assert_eq!(StackKind::of("UsEast1-CatalogApi"), StackKind::Api);
    }

    #[test]
    fn every_kind_has_enough_resources_for_an_update() {
        // An update touches two to four resources of a stack.
        for kind in [
            StackKind::Infra,
            StackKind::Orders,
            StackKind::EdgeRelay,
            StackKind::Api,
        ] {
            assert!(kind.resources().len() >= 3, "{kind:?}");
        }
    }
}
