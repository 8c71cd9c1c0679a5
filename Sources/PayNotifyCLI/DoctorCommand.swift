import ArgumentParser
import Foundation
import PayNotifyServer

/// Checks a configuration the way `serve` would load it, without starting the server, and prints
/// one line per check; exits non-zero when any check failed.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check a configuration (variables, ledger, Redis, TLS, keys) without starting the server.",
        discussion: ConfigurationOptions.variablesHelp
    )

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let findings: [ConfigurationDoctor.Finding]
        do {
            findings = await ConfigurationDoctor(configuration: try self.options.load()).check()
        } catch {
            findings = [ConfigurationDoctor.Finding(.error, "configuration", error.description)]
        }
        let width = findings.map(\.subject.count).max() ?? 0
        for finding in findings {
            let subject = finding.subject.padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(finding.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(subject)  \(finding.message)")
        }
        let errors = findings.count { $0.severity == .error }
        let warnings = findings.count { $0.severity == .warning }
        print("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        if errors > 0 { throw ExitCode.failure }
    }
}
