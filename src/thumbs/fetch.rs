//! Downloading images over HTTP with every limit a hostile or dead host needs.
//!
//! Posts point at thousands of hosts Folio does not control, many of them gone (crawler
//! proxies, expired CDNs). So each request has a connect timeout, a per-read timeout
//! (a host that stalls mid-body), an overall deadline (a host that trickles), a redirect
//! limit (loops), and a byte cap checked both against `Content-Length` and while
//! reading, so no response can make Folio allocate more than the cap. Failures are
//! classified so the cache can remember permanent ones longer than transient ones.

use std::time::Duration;

/// Limits and identity for downloads.
#[derive(Clone, Debug)]
pub struct FetchConfig {
    /// Time allowed to open the TCP (and TLS) connection.
    pub connect_timeout_ms: u64,
    /// Time allowed between two reads of the response (headers or body).
    pub read_timeout_ms: u64,
    /// Time allowed for the whole request, redirects included.
    pub total_timeout_ms: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// Largest response body accepted.
    pub max_bytes: u64,
    /// Sent as `User-Agent`.
    pub user_agent: String,
    /// Honour `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` from the environment.
    pub use_env_proxy: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            connect_timeout_ms: 5_000,
            read_timeout_ms: 10_000,
            total_timeout_ms: 30_000,
            max_redirects: 5,
            max_bytes: 20 * 1024 * 1024,
            user_agent: format!("Folio/{}", env!("CARGO_PKG_VERSION")),
            use_env_proxy: true,
        }
    }
}

/// Why a download failed.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum FetchError {
    /// The server answered with a non-success status.
    #[error("HTTP status {status}: {url}")]
    Status {
        /// The status code.
        status: u16,
        /// The URL requested.
        url: String,
    },
    /// A timeout expired (connect, read or overall).
    #[error("timed out: {url}")]
    Timeout {
        /// The URL requested.
        url: String,
    },
    /// Redirects went on past the limit (often a loop).
    #[error("too many redirects: {url}")]
    TooManyRedirects {
        /// The URL requested.
        url: String,
    },
    /// The body is larger than the cap.
    #[error("larger than {max_bytes} bytes: {url}")]
    TooLarge {
        /// The cap.
        max_bytes: u64,
        /// The URL requested.
        url: String,
    },
    /// Anything else on the way: DNS, refused connection, TLS, protocol errors.
    #[error("network error ({message}): {url}")]
    Network {
        /// What went wrong.
        message: String,
        /// The URL requested.
        url: String,
    },
}

impl FetchError {
    /// Whether retrying soon is pointless (the server said no, or the answer is too
    /// big), as opposed to a network hiccup that may pass.
    pub fn is_permanent(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => matches!(status, 400..=499) && *status != 429,
            FetchError::TooManyRedirects { .. } | FetchError::TooLarge { .. } => true,
            FetchError::Timeout { .. } | FetchError::Network { .. } => false,
        }
    }
}

/// A reusable HTTP client (keeps connections alive across requests to one host).
#[derive(Clone, Debug)]
pub struct Fetcher {
    agent: ureq::Agent,
    max_bytes: u64,
}

impl Fetcher {
    /// Builds a client with these limits.
    pub fn new(config: &FetchConfig) -> Self {
        let mut builder = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_millis(config.connect_timeout_ms)))
            .timeout_recv_response(Some(Duration::from_millis(config.read_timeout_ms)))
            .timeout_recv_body(Some(Duration::from_millis(config.total_timeout_ms)))
            .timeout_per_read(Some(Duration::from_millis(config.read_timeout_ms)))
            .timeout_global(Some(Duration::from_millis(config.total_timeout_ms)))
            .max_redirects(config.max_redirects)
            .max_redirects_will_error(true)
            .user_agent(config.user_agent.as_str())
            .accept("image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1")
            .http_status_as_error(true);
        if !config.use_env_proxy {
            builder = builder.proxy(None);
        }
        Self {
            agent: builder.build().new_agent(),
            max_bytes: config.max_bytes,
        }
    }

    /// Downloads `url` whole, within the configured limits.
    pub fn fetch(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let mut response = self
            .agent
            .get(url)
            .call()
            .map_err(|err| self.classify(err, url))?;
        if let Some(length) = response.body().content_length()
            && length > self.max_bytes
        {
            return Err(FetchError::TooLarge {
                max_bytes: self.max_bytes,
                url: url.to_owned(),
            });
        }
        response
            .body_mut()
            .with_config()
            .limit(self.max_bytes)
            .read_to_vec()
            .map_err(|err| self.classify(err, url))
    }

    fn classify(&self, err: ureq::Error, url: &str) -> FetchError {
        let url = url.to_owned();
        match err {
            ureq::Error::StatusCode(status) => FetchError::Status { status, url },
            ureq::Error::Timeout(_) => FetchError::Timeout { url },
            ureq::Error::TooManyRedirects => FetchError::TooManyRedirects { url },
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge {
                max_bytes: self.max_bytes,
                url,
            },
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                FetchError::Timeout { url }
            }
            other => FetchError::Network {
                message: other.to_string(),
                url,
            },
        }
    }
}
