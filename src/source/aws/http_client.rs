//! The one HTTP client every service client of a pool shares.
//!
//! Left to itself, the SDK gives each service client a default HTTP client
//! of its own, and each of those builds its own TLS connector (a parsed
//! trust store of about 100 KB) and keeps its own connection pool. A fleet
//! over 25 regions makes a client per service and region: dozens of trust
//! stores, megabytes, and no connection shared between them. One client
//! with one connector per set of connection settings (the pool's clients all
//! share theirs) does the same work.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// An HTTPS client as the SDK's default one is made (rustls over aws-lc,
/// proxies from the environment), and a count of the connectors it built.
pub struct SharedHttps {
    pub client: SharedHttpClient,
    connectors_built: Arc<AtomicUsize>,
}

impl SharedHttps {
    pub fn new() -> Self {
        let connectors_built = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&connectors_built);
        let client = Builder::new().build_with_connector_fn(move |settings, components| {
            // Without settings, the SDK is only trying the builder out while
            // it makes a service client, and drops what it gets.
            if settings.is_some() {
                count.fetch_add(1, Ordering::Relaxed);
            }
            let mut builder =
                ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
            builder.set_connector_settings(settings.cloned());
            if let Some(components) = components {
                builder.set_sleep_impl(components.sleep_impl());
            }
            builder.set_proxy_config(Some(ProxyConfig::from_env()));
            builder.build()
        });
        Self {
            client,
            connectors_built,
        }
    }

    /// How many TLS connectors were built to send requests with: one per
    /// distinct set of connection settings, however many service clients
    /// send through them.
    pub fn connectors_built(&self) -> usize {
        self.connectors_built.load(Ordering::Relaxed)
    }
}

impl Default for SharedHttps {
    fn default() -> Self {
        Self::new()
    }
}
