import Foundation
import Testing

/// The outside programs some end-to-end suites drive. A suite that needs a missing one is
/// skipped and says which (a fresh machine may lack tmux or sshd); under CI (`CI` set) nothing
/// skips: the suite runs and fails loudly instead, since `.ci/run` installs them
/// (`.ci/run` sets `SHOPDECK_REQUIRE_ALL_SUITES=1`; CI also sets `CI`).
enum Tools {
    static var underCI: Bool {
        let env = ProcessInfo.processInfo.environment
        return !(env["CI"] ?? "").isEmpty || env["SHOPDECK_REQUIRE_ALL_SUITES"] == "1"
    }

    /// An executable regular file named `name` on PATH (or at an absolute path).
    static func has(_ name: String) -> Bool {
        let paths = name.hasPrefix("/") ? [name]
            : (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/\(name)" }
        return paths.contains { p in
            var st = stat()
            return stat(p, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(p, X_OK) == 0
        }
    }

    static let tmux = has("tmux")
    static let sshd = has("/usr/sbin/sshd") && has("ssh") && has("ssh-keygen")

    /// The trait for a suite that needs tmux.
    static var needsTmux: ConditionTrait {
        .enabled(if: tmux || underCI, "tmux is not installed (apt-get install tmux): the terminal end-to-end tests are skipped")
    }

    static let sshClient = has("ssh") && has("ssh-keygen")

    /// The trait for a suite that needs OpenSSH's client (and tmux): `shopdeck serve` is the
    /// server.
    static var needsSSHClient: ConditionTrait {
        .enabled(if: (tmux && sshClient) || underCI, "ssh, ssh-keygen or tmux is missing (apt-get install openssh-client tmux): the shopdeck serve end-to-end tests are skipped")
    }

    /// The trait for a suite that needs OpenSSH's server and client.
    static var needsSSH: ConditionTrait {
        .enabled(if: (tmux && sshd) || underCI, "sshd, ssh or tmux is missing (apt-get install openssh-server openssh-client tmux): the SSH end-to-end tests are skipped")
    }
}
