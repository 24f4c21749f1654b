//! Where each resource wavetop shows lives in the AWS console, and the ARN
//! or id that names it: built from its region and account alone, so a link
//! never needs a call. The partition comes from the region's name; it picks
//! the console's host and the ARN's first field.

/// An AWS partition, as a region's name tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    Aws,
    China,
    GovCloud,
}

impl Partition {
    pub fn of_region(region: &str) -> Partition {
        if region.starts_with("cn-") {
            Partition::China
        } else if region.starts_with("us-gov-") {
            Partition::GovCloud
        } else {
            Partition::Aws
        }
    }

    /// The first field of an ARN.
    pub fn arn_name(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::China => "aws-cn",
            Partition::GovCloud => "aws-us-gov",
        }
    }

    /// The console's origin for a regional page. The commercial console
    /// takes the region as a subdomain; the other two serve every region
    /// from one host and read the region from the query.
    fn regional_origin(self, region: &str) -> String {
        match self {
            Partition::Aws => format!("https://{region}.console.aws.amazon.com"),
            _ => self.global_origin().to_string(),
        }
    }

    /// The console's origin for a global service (Route53).
    fn global_origin(self) -> &'static str {
        match self {
            Partition::Aws => "https://console.aws.amazon.com",
            Partition::China => "https://console.amazonaws.cn",
            Partition::GovCloud => "https://console.amazonaws-us-gov.com",
        }
    }
}

/// A resource the console can show, with what its links are built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource<'a> {
    Pipeline {
        region: &'a str,
        account: &'a str,
        name: &'a str,
    },
    Execution {
        region: &'a str,
        pipeline: &'a str,
        id: &'a str,
    },
    /// A stage in one execution: the console shows stages on the
    /// execution's diagram, so that is the page.
    Stage {
        region: &'a str,
        pipeline: &'a str,
        execution: &'a str,
        stage: &'a str,
    },
    /// An action's runs in one execution: the execution's timeline lists
    /// each action with its details.
    Action {
        region: &'a str,
        pipeline: &'a str,
        execution: &'a str,
        action: &'a str,
    },
    /// A stack, by its name or its id (an ARN): the console takes either.
    Stack {
        region: &'a str,
        id: &'a str,
    },
    StackEvents {
        region: &'a str,
        id: &'a str,
    },
    /// Route53 is global: a health check's page is the same from every region;
    /// `region` only picks the partition.
    HealthCheck {
        region: &'a str,
        id: &'a str,
    },
    Alarm {
        region: &'a str,
        account: &'a str,
        name: &'a str,
    },
    Table {
        region: &'a str,
        account: &'a str,
        name: &'a str,
    },
}

impl Resource<'_> {
    /// The console page that shows the resource.
    pub fn url(&self) -> String {
        match *self {
            Resource::Pipeline { region, name, .. } => {
                format!("{}/view?region={region}", pipeline_base(region, name))
            }
            Resource::Execution {
                region,
                pipeline,
                id,
            }
            | Resource::Stage {
                region,
                pipeline,
                execution: id,
                ..
            } => format!(
                "{}/executions/{}/visualization?region={region}",
                pipeline_base(region, pipeline),
                encode(id)
            ),
            Resource::Action {
                region,
                pipeline,
                execution,
                ..
            } => format!(
                "{}/executions/{}/timeline?region={region}",
                pipeline_base(region, pipeline),
                encode(execution)
            ),
            Resource::Stack { region, id } => stack_page(region, "stackinfo", id),
            Resource::StackEvents { region, id } => stack_page(region, "events", id),
            Resource::HealthCheck { region, id } => format!(
                "{}/route53/healthchecks/home#/details/{}",
                Partition::of_region(region).global_origin(),
                encode(id)
            ),
            Resource::Alarm { region, name, .. } => format!(
                "{}/cloudwatch/home?region={region}#alarmsV2:alarm/{}",
                Partition::of_region(region).regional_origin(region),
                encode(name)
            ),
            Resource::Table { region, name, .. } => format!(
                "{}/dynamodbv2/home?region={region}#table?name={}",
                Partition::of_region(region).regional_origin(region),
                encode(name)
            ),
        }
    }

    /// The resource's ARN where it has one wavetop can build, else the id
    /// AWS knows it by (an execution id, a stack's name, a health check id).
    /// An ARN needs the account: without it the name is given.
    pub fn arn_or_id(&self) -> String {
        let arn = |region: &str, account: &str, service: &str, rest: &str| {
            if account.is_empty() {
                None
            } else {
                let partition = Partition::of_region(region).arn_name();
                Some(format!(
                    "arn:{partition}:{service}:{region}:{account}:{rest}"
                ))
            }
        };
        match *self {
            Resource::Pipeline {
                region,
                account,
                name,
            } => arn(region, account, "codepipeline", name).unwrap_or_else(|| name.to_string()),
            Resource::Execution { id, .. }
            | Resource::Stage { execution: id, .. }
            | Resource::Action { execution: id, .. } => id.to_string(),
            Resource::Stack { id, .. }
            | Resource::StackEvents { id, .. }
            | Resource::HealthCheck { id, .. } => id.to_string(),
            Resource::Alarm {
                region,
                account,
                name,
            } => arn(region, account, "cloudwatch", &format!("alarm:{name}"))
                .unwrap_or_else(|| name.to_string()),
            Resource::Table {
                region,
                account,
                name,
            } => arn(region, account, "dynamodb", &format!("table/{name}"))
                .unwrap_or_else(|| name.to_string()),
        }
    }
}

fn pipeline_base(region: &str, name: &str) -> String {
    format!(
        "{}/codesuite/codepipeline/pipelines/{}",
        Partition::of_region(region).regional_origin(region),
        encode(name)
    )
}

fn stack_page(region: &str, page: &str, id: &str) -> String {
    format!(
        "{}/cloudformation/home?region={region}#/stacks/{page}?stackId={}",
        Partition::of_region(region).regional_origin(region),
        encode(id)
    )
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so a
/// name with a space, a slash or a colon (a stack ARN) stays one path
/// segment or query value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
#[path = "console_url_tests.rs"]
mod tests;
