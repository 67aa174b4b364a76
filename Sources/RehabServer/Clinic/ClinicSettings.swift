import Foundation

/// The clinic's part of `RehabServer.Configuration`: where the clinician file is, how the
/// session cookie is sent, which proxy is believed, and the lockout's and sessions' times
/// (shortened only by tests, through the test-only `rehab serve` flags).
public struct ClinicSettings: Sendable {
    /// The clinician file (`rehab clinician add`); its audit file is `<file>.audit` beside it.
    public var clinicians: URL
    /// `Secure` on the session cookie; off only with `--insecure-cookies` (plain-HTTP loopback tests).
    public var secureCookies = true
    /// The address of the reverse proxy whose `X-Forwarded-For` names the client.
    public var trustedProxy: String?
    /// Failed sign-ins of one (name, address) pair are counted over this window...
    public var lockoutWindow: TimeInterval = 15 * 60
    /// ...and five of them lock the pair for this long.
    public var lockoutDuration: TimeInterval = 15 * 60
    /// Seconds of delay each recent failure of a name adds to its next tries (5 s at most).
    public var failureDelay: TimeInterval = 1
    /// A session ends after this long without a request...
    public var sessionIdle: TimeInterval = 8 * 3600
    /// ...and this long after sign-in in any case.
    public var sessionLifetime: TimeInterval = 12 * 3600

    public init(clinicians: URL) { self.clinicians = clinicians }

    /// The audit file beside the clinician file.
    public var auditFile: URL { URL(fileURLWithPath: clinicians.path + ".audit") }
}
