//! Downloading images over HTTP with every limit a hostile or dead host needs.
//!
//! Posts point at thousands of hosts Folio does not control, many of them gone (crawler
//! proxies, expired CDNs). So each request has a connect timeout, a per-read timeout
//! (a host that stalls mid-body), an overall deadline (a host that trickles), a redirect
//! limit (loops), and a byte cap checked both against `Content-Length` and while
//! reading, so no response can make Folio allocate more than the cap. Failures are
//! classified so the cache can remember permanent ones longer than transient ones.
//!
//! A post must not be able to make Folio reach the local network (a `headimg` pointing
//! at a router's admin page, a cloud metadata address). So, unless the person allows
//! it, every request — each redirect included, since Folio follows them itself — goes
//! only to port 80 or 443 of a public address: the name is resolved here, every
//! address it resolves to is checked, and the connection is made only to the checked
//! addresses (the plugged-in [`ureq`] resolver hands them to the connector, so a second
//! lookup cannot answer differently). Through a proxy the proxy resolves names, so only
//! literal addresses and `localhost` can be refused there.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{Connector, DefaultConnector, NextTimeout};

/// Setting this environment variable to `1` allows local addresses and any port, as
/// [`FetchConfig::allow_local`] does (for tests and scripts against a local server).
pub const ALLOW_LOCAL_ENV: &str = "FOLIO_ALLOW_LOCAL_IMAGES";

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
    /// Allow requests to loopback, private, link-local and other non-public addresses,
    /// and to ports other than 80 and 443. Off by default (see the module docs);
    /// [`ALLOW_LOCAL_ENV`]`=1` in the environment turns it on as well.
    pub allow_local: bool,
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
            allow_local: false,
        }
    }
}

impl FetchConfig {
    /// Whether local addresses are allowed, by this config or by the environment.
    pub fn allows_local(&self) -> bool {
        self.allow_local || allow_local_from_env(std::env::var_os(ALLOW_LOCAL_ENV).as_deref())
    }
}

/// Whether a value of [`ALLOW_LOCAL_ENV`] allows local addresses: only `1` does.
pub fn allow_local_from_env(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| v == "1")
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
    /// The request (or a redirect) would go to a local address or an unusual port, and
    /// local addresses are not allowed.
    #[error("not fetched, {reason}: {url}")]
    Refused {
        /// What was refused (`127.0.0.1 is not a public address`, `port 8080` …).
        reason: String,
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
    /// Whether retrying soon is pointless (the server said no, the answer is too big,
    /// the address is refused), as opposed to a network hiccup that may pass.
    pub fn is_permanent(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => matches!(status, 400..=499) && *status != 429,
            FetchError::TooManyRedirects { .. }
            | FetchError::TooLarge { .. }
            | FetchError::Refused { .. } => true,
            FetchError::Timeout { .. } | FetchError::Network { .. } => false,
        }
    }
}

/// Whether `ip` is an address on the public internet: not loopback, private
/// (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10), shared
/// (100.64/10), unspecified, broadcast, multicast, documentation or reserved. IPv6
/// addresses that embed an IPv4 one (mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`,
/// 6to4 `2002::/16`) are judged by the IPv4 address.
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0                                    // "this network", 0.0.0.0
        || a == 10                              // private
        || a == 127                             // loopback
        || (a == 100 && (64..=127).contains(&b)) // shared address space (CGNAT)
        || (a == 169 && b == 254)               // link-local, cloud metadata
        || (a == 172 && (16..=31).contains(&b)) // private
        || (a == 192 && b == 0 && c == 0)       // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)       // documentation
        || (a == 192 && b == 88 && c == 99)     // 6to4 relay anycast
        || (a == 192 && b == 168)               // private
        || (a == 198 && (b == 18 || b == 19))   // benchmarking
        || (a == 198 && b == 51 && c == 100)    // documentation
        || (a == 203 && b == 0 && c == 113)     // documentation
        || a >= 224) // multicast, reserved, broadcast
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = embedded_v4(ip) {
        return is_public_v4(v4);
    }
    let segments = ip.segments();
    let first = segments.first().copied().unwrap_or(0);
    !(ip.is_unspecified()
        || ip.is_loopback()
        || segments.iter().take(6).all(|s| *s == 0) // IPv4-compatible ::a.b.c.d (deprecated)
        || (first & 0xfe00) == 0xfc00               // unique local fc00::/7
        || (first & 0xffc0) == 0xfe80               // link-local fe80::/10
        || (first & 0xffc0) == 0xfec0               // site-local fec0::/10 (deprecated)
        || (first & 0xff00) == 0xff00               // multicast
        || (first == 0x2001 && segments.get(1) == Some(&0x0db8)) // documentation
        || (first == 0x0100 && segments.get(1..4) == Some(&[0u16, 0, 0][..]))) // discard-only
}

/// The IPv4 address inside an IPv4-mapped, NAT64 (`64:ff9b::/96`) or 6to4 address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = ip.segments();
    let v4 = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    match s {
        [0x0064, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(v4(hi, lo)),
        [0x2002, hi, lo, ..] => Some(v4(hi, lo)),
        _ => None,
    }
}

/// The port a URL's request goes to.
fn port_of(uri: &Uri) -> Option<u16> {
    uri.port_u16().or(match uri.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    })
}

/// Checks what can be checked of a URL before any lookup: the scheme, the port, and a
/// host that is a literal address or `localhost`. Returns why it is refused.
fn refusal_before_lookup(uri: &Uri) -> Option<String> {
    match uri.scheme_str() {
        Some("http" | "https") => {}
        other => return Some(format!("scheme {} is not http(s)", other.unwrap_or("none"))),
    }
    match port_of(uri) {
        Some(80 | 443) => {}
        Some(port) => return Some(format!("port {port} is not 80 or 443")),
        None => return Some("no port".to_owned()),
    }
    let host = uri.host().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let lower = bare.trim_end_matches('.').to_ascii_lowercase();
    if lower == "localhost" || lower.ends_with(".localhost") {
        return Some(format!("{host} is a local name"));
    }
    match bare.parse::<IpAddr>() {
        Ok(ip) if !is_public_address(ip) => Some(format!("{ip} is not a public address")),
        _ => None,
    }
}

/// The error a refused address travels in through `ureq`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Refusal(String);

/// A resolver that lets only public addresses through (see the module docs). It is
/// also asked for the address of a configured proxy, which is the person's own choice
/// and passes unchecked.
#[derive(Debug)]
struct PublicOnly<R> {
    inner: R,
    allow_local: bool,
}

impl<R: Resolver> Resolver for PublicOnly<R> {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let is_proxy = config.proxy().is_some_and(|proxy| {
            uri.host() == Some(proxy.host()) && port_of(uri) == Some(proxy.port())
        });
        if self.allow_local || is_proxy {
            return self.inner.resolve(uri, config, timeout);
        }
        if let Some(reason) = refusal_before_lookup(uri) {
            return Err(ureq::Error::Other(Box::new(Refusal(reason))));
        }
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if let Some(local) = addrs.iter().find(|a| !is_public_address(a.ip())) {
            let host = uri.host().unwrap_or_default();
            let reason = format!("{host} resolves to {}, not a public address", local.ip());
            return Err(ureq::Error::Other(Box::new(Refusal(reason))));
        }
        Ok(addrs)
    }
}

/// A reusable HTTP client (keeps connections alive across requests to one host).
#[derive(Clone, Debug)]
pub struct Fetcher {
    agent: ureq::Agent,
    max_bytes: u64,
    max_redirects: u32,
    total_timeout: Duration,
    allow_local: bool,
}

impl Fetcher {
    /// Builds a client with these limits, resolving names with the system resolver.
    pub fn new(config: &FetchConfig) -> Self {
        Self::with_parts(
            config,
            DefaultConnector::default(),
            DefaultResolver::default(),
        )
    }

    /// Builds a client on a given connector and name resolver, as a test simulates the
    /// network with; the address checks apply to what `resolver` answers.
    pub fn with_parts(
        config: &FetchConfig,
        connector: impl Connector,
        resolver: impl Resolver,
    ) -> Self {
        let allow_local = config.allows_local();
        let mut builder = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_millis(config.connect_timeout_ms)))
            .timeout_recv_response(Some(Duration::from_millis(config.read_timeout_ms)))
            .timeout_recv_body(Some(Duration::from_millis(config.total_timeout_ms)))
            .timeout_per_read(Some(Duration::from_millis(config.read_timeout_ms)))
            .timeout_global(Some(Duration::from_millis(config.total_timeout_ms)))
            // Redirects are followed in `fetch`, so that each target is checked.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(config.user_agent.as_str())
            .accept("image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1")
            .http_status_as_error(true);
        if !config.use_env_proxy {
            builder = builder.proxy(None);
        }
        let resolver = PublicOnly {
            inner: resolver,
            allow_local,
        };
        Self {
            agent: ureq::Agent::with_parts(builder.build(), connector, resolver),
            max_bytes: config.max_bytes,
            max_redirects: config.max_redirects,
            total_timeout: Duration::from_millis(config.total_timeout_ms),
            allow_local,
        }
    }

    /// Downloads `url` whole, within the configured limits, following redirects.
    pub fn fetch(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let started = Instant::now();
        let mut current = url.to_owned();
        let mut redirects = 0u32;
        loop {
            let uri = Uri::try_from(current.as_str()).map_err(|e| FetchError::Network {
                message: e.to_string(),
                url: url.to_owned(),
            })?;
            // Checked here as well as in the resolver: through a proxy, the resolver
            // never sees the target.
            if !self.allow_local
                && let Some(reason) = refusal_before_lookup(&uri)
            {
                return Err(refused(reason, url));
            }
            let remaining = self
                .total_timeout
                .checked_sub(started.elapsed())
                .filter(|d| !d.is_zero())
                .ok_or_else(|| FetchError::Timeout {
                    url: url.to_owned(),
                })?;
            let mut response = self
                .agent
                .get(uri)
                .config()
                .timeout_global(Some(remaining))
                .build()
                .call()
                .map_err(|err| self.classify(err, url))?;
            if response.status().is_redirection() {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|location| join_location(&current, location));
                let Some(next) = location else {
                    return Err(FetchError::Network {
                        message: "redirect without a usable Location".to_owned(),
                        url: url.to_owned(),
                    });
                };
                redirects += 1;
                if redirects > self.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: url.to_owned(),
                    });
                }
                current = next;
                continue;
            }
            return self.read_body(&mut response, url);
        }
    }

    fn read_body(
        &self,
        response: &mut ureq::http::Response<ureq::Body>,
        url: &str,
    ) -> Result<Vec<u8>, FetchError> {
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
            ureq::Error::Other(other) if other.is::<Refusal>() => FetchError::Refused {
                reason: other.to_string(),
                url,
            },
            other => FetchError::Network {
                message: other.to_string(),
                url,
            },
        }
    }
}

fn refused(reason: String, url: &str) -> FetchError {
    FetchError::Refused {
        reason,
        url: url.to_owned(),
    }
}

/// The URL a redirect's `Location` names, resolved against the URL that answered it
/// (absolute, scheme-relative `//host/x`, absolute-path `/x`, query `?q` or relative
/// `x`). `None` when `base` is not an absolute URL.
pub fn join_location(base: &str, location: &str) -> Option<String> {
    let location = location.trim();
    let base_uri = Uri::try_from(base).ok()?;
    let scheme = base_uri.scheme_str()?;
    let authority = base_uri.authority()?.as_str();
    let has_scheme = location.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
    });
    if has_scheme {
        return Some(location.to_owned());
    }
    if location.starts_with("//") {
        return Some(format!("{scheme}:{location}"));
    }
    let path = base_uri.path();
    if location.starts_with('/') {
        return Some(format!("{scheme}://{authority}{location}"));
    }
    if location.starts_with('?') {
        return Some(format!("{scheme}://{authority}{path}{location}"));
    }
    if location.is_empty() || location.starts_with('#') {
        return Some(base.to_owned());
    }
    let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    Some(format!("{scheme}://{authority}{folder}/{location}"))
}
