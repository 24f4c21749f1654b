//! Turning SDK errors into [`SourceError`]s. The variants that change what
//! wavetop does next (back off, ask for fresh credentials, refresh a token,
//! refuse a retry) are matched on the error code AWS returns; everything else
//! keeps its code and message for the operator to read.

use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::protocol::SourceError;

/// Maps one failed SDK call. `operation` names the API (e.g.
/// `codepipeline:GetPipelineState`) so every message says what failed.
pub(crate) fn map_sdk_error<E>(operation: &str, err: SdkError<E, HttpResponse>) -> SourceError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(_) => {
            let status = err.raw_response().map(|r| r.status().as_u16());
            classify(operation, err.code(), err.message(), status)
        }
        SdkError::TimeoutError(_) => {
            SourceError::Timeout(format!("{operation}: no answer in time"))
        }
        SdkError::DispatchFailure(d) => {
            let text = DisplayErrorContext(&err).to_string();
            if d.is_timeout() {
                SourceError::Timeout(format!("{operation}: {text}"))
            } else if mentions_credentials(&text) {
                SourceError::ExpiredCredentials(format!("{operation}: {text}"))
            } else {
                SourceError::Unreachable(format!("{operation}: {text}"))
            }
        }
        SdkError::ResponseError(_) => {
            // The body may be a whole HTML page (a proxy, an emulator lacking
            // the API): name the status only.
            let status = err.raw_response().map(|r| r.status().as_u16()).unwrap_or(0);
            let text = format!("{operation}: unreadable answer (HTTP {status})");
            if status >= 500 {
                SourceError::Unreachable(text)
            } else {
                SourceError::Other(text)
            }
        }
        _ => {
            let text = DisplayErrorContext(&err).to_string();
            if mentions_credentials(&text) {
                SourceError::ExpiredCredentials(format!("{operation}: {text}"))
            } else {
                SourceError::Other(format!("{operation}: {text}"))
            }
        }
    }
}

/// Failures to resolve credentials (no profile, SSO session gone) surface
/// before any request is sent; they all mean "log in again".
fn mentions_credentials(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("credential")
        || lower.contains("sso session")
        || lower.contains("token has expired")
}

/// Classifies an error answer by its code, message and HTTP status.
pub(crate) fn classify(
    operation: &str,
    code: Option<&str>,
    message: Option<&str>,
    status: Option<u16>,
) -> SourceError {
    let code = code.unwrap_or("");
    let text = match (code.is_empty(), message) {
        (false, Some(m)) => format!("{operation}: {code}: {m}"),
        (false, None) => format!("{operation}: {code}"),
        (true, Some(m)) => format!("{operation}: {m}"),
        (true, None) => format!("{operation}: HTTP {}", status.unwrap_or(0)),
    };
    let message = message.unwrap_or("");
    match code {
        "ThrottlingException"
        | "Throttling"
        | "ThrottledException"
        | "PriorRequestNotComplete"
        | "TooManyRequestsException"
        | "TooManyRequests"
        | "RequestLimitExceeded"
        | "LimitExceededException"
        | "SlowDown"
        | "RequestThrottled"
        | "RequestThrottledException" => SourceError::Throttled(text),
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "InvalidSignatureException"
        | "SignatureDoesNotMatch"
        | "NotAuthorized" => SourceError::AccessDenied(text),
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => {
            SourceError::ExpiredCredentials(text)
        }
        "PipelineNotFoundException"
        | "PipelineNotFound"
        | "StageNotFoundException"
        | "StageNotFound"
        | "ActionNotFoundException"
        | "ActionNotFound"
        | "PipelineExecutionNotFoundException"
        | "NoSuchHealthCheck"
        | "NoSuchHostedZone"
        | "ResourceNotFoundException"
        | "ResourceNotFound"
        | "TableNotFoundException"
        | "StackNotFoundException" => SourceError::NotFound(text),
        "ValidationError" | "ValidationException" if message.contains("does not exist") => {
            SourceError::NotFound(text)
        }
        "InvalidApprovalTokenException" | "InvalidApprovalToken" => {
            SourceError::InvalidApprovalToken(text)
        }
        "ApprovalAlreadyCompletedException" | "ApprovalAlreadyCompleted" => {
            SourceError::ApprovalAlreadyCompleted(text)
        }
        "StageNotRetryableException" | "StageNotRetryable" => SourceError::StageNotRetryable(text),
        "NotLatestPipelineExecutionException" | "NotLatestPipelineExecution" => {
            SourceError::NotLatestExecution(text)
        }
        "ConflictException"
        | "ConcurrentModificationException"
        | "ConcurrentModification"
        | "HealthCheckVersionMismatch"
        | "ConcurrentPipelineExecutionsLimitExceededException"
        | "PipelineExecutionNotStoppableException"
        | "PipelineExecutionOutdatedException"
        | "UnableToRollbackStageException"
        | "ConditionNotOverridableException"
        | "StageNotRetryableStateException" => SourceError::Conflict(text),
        "ServiceUnavailable"
        | "ServiceUnavailableException"
        | "InternalFailure"
        | "InternalServiceError"
        | "InternalError"
        | "InternalServerError" => SourceError::Unreachable(text),
        _ => match status {
            Some(429) => SourceError::Throttled(text),
            Some(s) if s >= 500 => SourceError::Unreachable(text),
            Some(403) if code.is_empty() => SourceError::AccessDenied(text),
            _ => SourceError::Other(text),
        },
    }
}

/// The SDK's enum-like strings, for messages.
pub(crate) fn missing(operation: &str, what: &str) -> SourceError {
    SourceError::Other(format!("{operation}: answer has no {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(code: &str, message: &str) -> SourceError {
        classify("op", Some(code), Some(message), Some(400))
    }

    #[test]
    fn throttling_codes_of_every_protocol_mean_back_off() {
        for code in [
            "ThrottlingException",
            "Throttling",
            "PriorRequestNotComplete",
            "TooManyRequestsException",
        ] {
            assert!(
                matches!(kind(code, "slow down"), SourceError::Throttled(_)),
                "{code}"
            );
        }
        assert!(matches!(
            classify("op", None, None, Some(429)),
            SourceError::Throttled(_)
        ));
    }

    #[test]
    fn credentials_and_permissions_are_told_apart() {
        assert!(matches!(
            kind("AccessDenied", "x"),
            SourceError::AccessDenied(_)
        ));
        assert!(matches!(
            kind("AccessDeniedException", "x"),
            SourceError::AccessDenied(_)
        ));
        assert!(matches!(
            kind("UnauthorizedOperation", "x"),
            SourceError::AccessDenied(_)
        ));
        assert!(matches!(
            kind("ExpiredToken", "x"),
            SourceError::ExpiredCredentials(_)
        ));
        assert!(matches!(
            kind("ExpiredTokenException", "x"),
            SourceError::ExpiredCredentials(_)
        ));
    }

    #[test]
    fn validation_error_is_not_found_only_when_the_resource_does_not_exist() {
        let gone = kind("ValidationError", "Stack with id api-prod does not exist");
        assert!(matches!(gone, SourceError::NotFound(_)));
        let bad = kind("ValidationError", "1 validation error detected");
        assert!(matches!(bad, SourceError::Other(_)));
    }

    #[test]
    fn pipeline_specific_codes_keep_their_meaning() {
        assert!(matches!(
            kind("PipelineNotFoundException", "x"),
            SourceError::NotFound(_)
        ));
        assert!(matches!(
            kind("NoSuchHealthCheck", "x"),
            SourceError::NotFound(_)
        ));
        assert!(matches!(
            kind("InvalidApprovalTokenException", "x"),
            SourceError::InvalidApprovalToken(_)
        ));
        assert!(matches!(
            kind("ApprovalAlreadyCompletedException", "x"),
            SourceError::ApprovalAlreadyCompleted(_)
        ));
        assert!(matches!(
            kind("StageNotRetryableException", "x"),
            SourceError::StageNotRetryable(_)
        ));
        assert!(matches!(
            kind("NotLatestPipelineExecutionException", "x"),
            SourceError::NotLatestExecution(_)
        ));
        assert!(matches!(
            kind("ConflictException", "x"),
            SourceError::Conflict(_)
        ));
        assert!(matches!(
            kind("ConcurrentModification", "x"),
            SourceError::Conflict(_)
        ));
    }

    #[test]
    fn unknown_server_errors_back_off_and_messages_name_the_call() {
        let err = classify(
            "route53:ListHealthChecks",
            Some("Weird"),
            Some("boom"),
            Some(503),
        );
        assert_eq!(
            err,
            SourceError::Unreachable("route53:ListHealthChecks: Weird: boom".to_string())
        );
        assert!(matches!(kind("Weird", "x"), SourceError::Other(_)));
    }

    use aws_sdk_sts::config::{BehaviorVersion, Credentials, Region, retry::RetryConfig};
    use aws_smithy_runtime_api::client::http::{
        HttpConnector, HttpConnectorFuture, SharedHttpConnector, http_client_fn,
    };
    use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
    use aws_smithy_runtime_api::client::result::ConnectorError;

    #[derive(Debug, Clone, Copy)]
    struct Failing {
        timeout: bool,
    }

    impl HttpConnector for Failing {
        fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
            let err = if self.timeout {
                ConnectorError::timeout("read timed out".into())
            } else {
                ConnectorError::io("connection refused".into())
            };
            HttpConnectorFuture::ready(Err(err))
        }
    }

    async fn failed_call(timeout: bool) -> SourceError {
        let config = aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "secret", None, None, "test"))
            .retry_config(RetryConfig::disabled())
            .http_client(http_client_fn(move |_, _| {
                SharedHttpConnector::new(Failing { timeout })
            }))
            .build();
        let err = aws_sdk_sts::Client::from_conf(config)
            .get_caller_identity()
            .send()
            .await
            .unwrap_err();
        map_sdk_error("sts:GetCallerIdentity", err)
    }

    #[tokio::test]
    async fn connection_failures_and_timeouts_are_told_apart() {
        let refused = failed_call(false).await;
        assert!(
            matches!(&refused, SourceError::Unreachable(m) if m.starts_with("sts:GetCallerIdentity")),
            "{refused:?}"
        );
        let slow = failed_call(true).await;
        assert!(matches!(slow, SourceError::Timeout(_)), "{slow:?}");
    }
}
