import ArgumentParser

extension Accounts {
    /// `chatctl accounts add-certfp NAME FINGERPRINT`: SASL EXTERNAL then
    /// logs that client certificate in to the account.
    ///
    /// Thread-safety: runs on the main thread.
    struct AddCertFP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-certfp",
            abstract: "Let a client certificate log in to an account (SASL EXTERNAL).",
            discussion: "FINGERPRINT is the certificate's SHA-256, as `openssl x509 -noout -fingerprint -sha256 -in cert.pem` prints it (colons optional).")
        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The account name.") var name: String
        @Argument(help: "The certificate's SHA-256 fingerprint.") var fingerprint: String
        func run() throws {
            try options.run(["cmd": "account-add-certfp", "name": name, "fingerprint": fingerprint]) { reply in
                print("certificate \(reply["fingerprint"] as? String ?? fingerprint) logs in to account \(name)")
            }
        }
    }
}
