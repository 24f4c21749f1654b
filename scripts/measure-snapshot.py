"""The fleet and the naive reader of scripts/measure-snapshot.sh.

  measure-snapshot.py seed URL     creates the fleet in the emulator at URL
  measure-snapshot.py warm URL     makes one call of each kind both readers
                                   make, so that neither pays for moto
                                   loading a service on its first request
  measure-snapshot.py naive URL    reads it back one call after another

The fleet: 200 pipelines in us-east-1, each a source stage and five waves
over 25 regions (five regions a wave, a CloudFormation prepare and deploy
action per region), and 50 Route53 health checks, two per region.
"""

import json
import sys

import boto3
from botocore.config import Config

HOME = "us-east-1"
PIPELINES = 200
REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
    "eu-south-1", "eu-central-2", "ap-south-1", "ap-south-2", "ap-southeast-1",
    "ap-southeast-2", "ap-southeast-3", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "sa-east-1", "me-south-1", "me-central-1", "af-south-1",
    "il-central-1",
]
WAVES = 5
HEALTH_CHECKS_PER_REGION = 2


def client(service, url, region=HOME, retries=None):
    config = Config(retries=retries) if retries else None
    return boto3.client(service, endpoint_url=url, region_name=region, config=config)


def action(name, stack, region, mode, run_order):
    return {
        "name": name,
        "actionTypeId": {"category": "Deploy", "owner": "AWS",
                         "provider": "CloudFormation", "version": "1"},
        "runOrder": run_order,
        "configuration": {"StackName": stack, "ActionMode": mode,
                          "ChangeSetName": "PipelineChange"},
        "inputArtifacts": [{"name": "Synth"}],
        "region": region,
    }


def stages(name):
    source = {
        "name": "Source",
        "actions": [{
            "name": "Source",
            "actionTypeId": {"category": "Source", "owner": "AWS",
                             "provider": "S3", "version": "1"},
            "configuration": {"S3Bucket": "sources", "S3ObjectKey": f"{name}.zip"},
            "outputArtifacts": [{"name": "Synth"}],
        }],
    }
    per_wave = len(REGIONS) // WAVES
    waves = []
    for w in range(WAVES):
        actions = []
        for region in REGIONS[w * per_wave:(w + 1) * per_wave]:
            stack = f"{name}-{region}"
            group = region.replace("-", "")
            actions.append(action(f"{group}.App.Prepare", stack, region,
                                  "CHANGE_SET_REPLACE", 1))
            actions.append(action(f"{group}.App.Deploy", stack, region,
                                  "CHANGE_SET_EXECUTE", 2))
        waves.append({"name": f"Wave{w + 1}", "actions": actions})
    return [source] + waves


def seed(url):
    iam = client("iam", url)
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"},
        "Action": "sts:AssumeRole"}]})
    role = iam.create_role(RoleName="fleet-pipelines",
                           AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    cp = client("codepipeline", url)
    for i in range(PIPELINES):
        name = f"svc{i:03d}"
        cp.create_pipeline(pipeline={
            "name": name, "roleArn": role,
            "artifactStore": {"type": "S3", "location": "artifacts"},
            "stages": stages(name),
        })
    r53 = client("route53", url)
    for region in REGIONS:
        for n in range(HEALTH_CHECKS_PER_REGION):
            r53.create_health_check(
                CallerReference=f"{region}-{n}",
                HealthCheckConfig={
                    "Type": "HTTPS", "FullyQualifiedDomainName": f"api{n}.{region}.example.com",
                    "Port": 443, "ResourcePath": "/health",
                    "RequestInterval": 30, "FailureThreshold": 3,
                },
            )


def warm(url):
    """moto loads a service's code on its first request (CloudFormation's
    takes seconds); whichever reader came first would pay for it."""
    def attempt(f, **kwargs):
        try:
            f(**kwargs)
        except Exception:  # an emulator lacking a call: it is loaded all the same
            pass

    cp = client("codepipeline", url)
    attempt(cp.get_pipeline_state, name="svc000")
    attempt(cp.list_pipeline_executions, pipelineName="svc000", maxResults=10)
    for region in REGIONS:
        attempt(client("cloudformation", url, region).describe_stacks)
    attempt(client("cloudwatch", url).get_metric_statistics, Namespace="AWS/Route53",
            MetricName="HealthCheckStatus", StartTime="2026-01-01T00:00:00Z",
            EndTime="2026-01-01T00:10:00Z", Period=60, Statistics=["Minimum"])


def naive(url):
    """What a script would do: every resource read by itself, in turn.

    Its calls are not retried: moto fails every GetPipelineState (it does not
    implement it), and boto3 would otherwise retry some of those failures
    after a back-off that has nothing to do with reading the fleet. wavetop
    makes one request for each of them too."""
    once = {"total_max_attempts": 1}

    def call(f, **kwargs):
        try:
            return f(**kwargs)
        except Exception:  # an emulator lacking a call still costs the call
            return {}

    cp = client("codepipeline", url, retries=once)
    names, token = [], None
    while True:
        page = call(cp.list_pipelines, **({"nextToken": token} if token else {}))
        names += [p["name"] for p in page.get("pipelines", [])]
        token = page.get("nextToken")
        if not token:
            break
    stacks = {}
    for name in names:
        structure = call(cp.get_pipeline, name=name)
        for stage in structure.get("pipeline", {}).get("stages", []):
            for a in stage["actions"]:
                if "StackName" in a.get("configuration", {}):
                    stacks.setdefault(a.get("region", HOME), set()).add(
                        a["configuration"]["StackName"])
        call(cp.get_pipeline_state, name=name)
        call(cp.list_pipeline_executions, pipelineName=name, maxResults=10)
    for region in sorted(stacks):
        call(client("cloudformation", url, region, retries=once).describe_stacks)
    r53 = client("route53", url, retries=once)
    checks = call(r53.list_health_checks).get("HealthChecks", [])
    cw = client("cloudwatch", url, retries=once)
    for check in checks:
        call(cw.get_metric_statistics, Namespace="AWS/Route53",
             MetricName="HealthCheckStatus",
             Dimensions=[{"Name": "HealthCheckId", "Value": check["Id"]}],
             StartTime="2026-01-01T00:00:00Z", EndTime="2026-01-01T00:10:00Z",
             Period=60, Statistics=["Minimum"])


if __name__ == "__main__":
    {"seed": seed, "warm": warm, "naive": naive}[sys.argv[1]](sys.argv[2])
