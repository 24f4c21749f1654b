//! The protocol between the pure core and the backends: what a poll asks for
//! ([`PollKey`]) and brings back ([`Observation`], [`Discovery`]), the calls
//! that change AWS ([`OperateCall`]), how fast an endpoint is read ([`Pace`]), the errors either side can answer, and
//! the two traits ([`Observe`], [`Operate`]) the AWS adapters and the
//! simulator implement. It names no runtime, terminal or AWS SDK type.

mod backend;
mod credentials;
mod discovery;
mod error;
mod observation;
mod operate_call;
mod pace;
mod poll_key;
mod read_error;
mod stream;

pub use backend::{BoxFuture, Observe, Operate, UNKNOWN_IDENTITY};
pub use credentials::CredentialsStatus;
pub use discovery::{Discovery, StackRef, TableRef, zone_source};
pub use error::SourceError;
pub use observation::{Observation, StackObservation};
pub use operate_call::{OperateCall, OperateOutcome, RetryMode};
pub use pace::Pace;
pub use poll_key::PollKey;
pub use read_error::ReadError;
pub use stream::{ReadStream, StreamBatch};
